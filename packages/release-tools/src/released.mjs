// The last released spec, kept as openapi/released/<version>.json when the
// packages are versioned (bin/freeze-release.mjs), and the check against it.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { compare } from "semver";
import { requireMajor } from "./changesets.mjs";
import { readJson } from "./paths.mjs";
import { compareSpecs } from "./spec-diff.mjs";

export const RELEASED_DIR = "openapi/released";

/** The newest released spec: `{ version, file }`, or undefined. */
export function lastReleasedSpec(root) {
  const dir = join(root, RELEASED_DIR);
  const versions = existsSync(dir)
    ? readdirSync(dir)
        .map((name) => /^(\d+\.\d+\.\d+)\.json$/.exec(name)?.[1])
        .filter(Boolean)
        .sort(compare)
    : [];
  const version = versions.at(-1);
  return version ? { version, file: join(dir, `${version}.json`) } : undefined;
}

/**
 * Compares the built spec (openapi/dist/openapi.json) with the last released
 * one. Returns `{ ok, message, changes }`.
 */
export async function checkSpecAgainstRelease(root) {
  const released = lastReleasedSpec(root);
  if (!released) return { ok: false, message: `no released spec in ${RELEASED_DIR}/`, changes: [] };
  const changes = compareSpecs(readJson(released.file), readJson(join(root, "openapi/dist/openapi.json")));
  const breaks = changes
    .filter((change) => change.type === "breaking")
    .map((change) => `${change.location} (${change.action}: ${change.reason})`);
  const verdict = await requireMajor(
    root,
    "@modelarts-export/openapi",
    [...new Set(breaks)],
    `spec against ${released.version}`,
  );
  return { ...verdict, changes };
}
