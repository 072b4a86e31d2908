#!/usr/bin/env node
// Run when the packages are versioned (npm run version-packages), after the
// build: keeps what the new release promises, for the next release's checks.
// - openapi/released/<spec version>.json: the bundled spec (the spec check);
// - packages/consumer-check/compat/<client version>/: the consumer programs
//   of packages/consumer-check/fixtures (the compatibility check).
// Existing ones are left alone.
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { COMPAT_DIR } from "../src/compat.mjs";
import { findPackage, repoRoot } from "../src/paths.mjs";
import { RELEASED_DIR } from "../src/released.mjs";

const specVersion = findPackage("@modelarts-export/openapi", repoRoot).manifest.version;
const clientVersion = findPackage("@modelarts-export/client", repoRoot).manifest.version;
const spec = join(repoRoot, RELEASED_DIR, `${specVersion}.json`);
const programs = join(repoRoot, COMPAT_DIR, clientVersion);

if (!existsSync(spec)) {
  mkdirSync(join(repoRoot, RELEASED_DIR), { recursive: true });
  cpSync(join(repoRoot, "openapi/dist/openapi.json"), spec);
  console.log(`kept the ${specVersion} spec in ${RELEASED_DIR}/`);
}
if (!existsSync(programs)) {
  cpSync(join(repoRoot, "packages/consumer-check/fixtures"), programs, { recursive: true });
  console.log(`kept the ${clientVersion} consumer programs in ${COMPAT_DIR}/`);
}
