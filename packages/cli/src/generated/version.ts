/**
 * GENERATED FILE: DO NOT EDIT.
 * Source: packages/cli/package.json.
 * Regenerate with `npm run version:sync` (packages/release-tools/bin/sync-versions.mjs).
 */
/** Version of this package, @modelarts-export/cli. */
export const VERSION = "0.1.0";
