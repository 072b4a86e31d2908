/**
 * GENERATED FILE: DO NOT EDIT.
 * Source: packages/client/package.json and openapi/package.json.
 * Regenerate with `npm run version:sync` (packages/release-tools/bin/sync-versions.mjs).
 */
/** Version of this package, @modelarts-export/client. */
export const VERSION = "0.1.0";
/** `info.version` of the OpenAPI description the client was generated from. */
export const SPEC_VERSION = "0.1.0";
