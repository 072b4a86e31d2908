#!/usr/bin/env node
// Writes the spec version (@modelarts-export/openapi's package version) into
// the spec, the types and the client; with --check, fails if any is stale.
//
//   node packages/release-tools/bin/sync-versions.mjs [--check]
import { relative } from "node:path";
import { repoRoot } from "../src/paths.mjs";
import { staleVersionFiles, writeVersionFiles } from "../src/versions.mjs";

if (process.argv.includes("--check")) {
  const stale = staleVersionFiles(repoRoot);
  if (stale.length > 0) {
    console.error(
      `The spec version is not written everywhere; stale: ${stale.map((path) => relative(repoRoot, path)).join(", ")}.\n` +
        "Run `npm run version:sync` and commit the result.",
    );
    process.exit(1);
  }
  console.log("spec and package versions agree.");
} else {
  const written = writeVersionFiles(repoRoot);
  for (const path of written) console.log(`wrote ${relative(repoRoot, path)}`);
}
