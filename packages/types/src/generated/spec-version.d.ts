/**
 * GENERATED FILE: DO NOT EDIT.
 * Source: openapi/package.json.
 * Regenerate with `npm run version:sync` (packages/release-tools/bin/sync-versions.mjs).
 */
/** `info.version` of the OpenAPI description these types were generated from. */
export type SpecVersion = "0.1.0";
