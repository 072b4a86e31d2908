#!/usr/bin/env node
// What a release would publish, without publishing: applies the pending
// changesets to a scratch copy of the repository, syncs the spec version,
// builds, packs every public package, and prints the versions, the changelog
// entries and the tarballs. The repository itself is not changed.
//
//   npm run release:dry [-- --keep]   (--keep leaves the scratch copy for a look)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import readChangesets from "@changesets/read";
import { publicPackages, repoRoot } from "../src/paths.mjs";
import { createScratchCopy } from "../src/scratch.mjs";

const keep = process.argv.includes("--keep");
const bin = (name) => join(repoRoot, "node_modules", ".bin", name);
const run = (command, args, cwd) => execFileSync(command, args, { cwd, encoding: "utf8", stdio: "pipe" });

/** The section of a CHANGELOG.md for `version` (its `## version` heading to the next). */
function changelogSection(text, version) {
  const start = text.indexOf(`\n## ${version}\n`);
  if (start < 0) return "";
  const end = text.indexOf("\n## ", start + 1);
  return text.slice(start + 1, end < 0 ? undefined : end).trim();
}

const pending = await readChangesets(repoRoot);
if (pending.length === 0) {
  console.log(
    "No pending changesets (.changeset/*.md): a release would publish nothing. Add one with `npx changeset`.",
  );
  process.exit(0);
}
console.log(`${pending.length} pending changeset(s); applying them to a scratch copy...`);
const before = new Map(publicPackages(repoRoot).map((pkg) => [pkg.name, pkg.manifest.version]));
const scratch = createScratchCopy(repoRoot);
try {
  run(bin("changeset"), ["version"], scratch.dir);
  run(process.execPath, [join(scratch.dir, "packages/release-tools/bin/sync-versions.mjs")], scratch.dir);
  console.log("building the new versions...");
  run(bin("turbo"), ["run", "build", "--output-logs=errors-only"], scratch.dir);
  const packs = join(scratch.dir, "packs");
  mkdirSync(packs);
  const packages = publicPackages(scratch.dir);
  const packed = JSON.parse(
    run(
      "npm",
      ["pack", "--json", "--pack-destination", packs, ...packages.flatMap((pkg) => ["-w", pkg.name])],
      scratch.dir,
    ),
  );
  console.log("\nWould publish:\n");
  for (const pkg of packages) {
    const tarball = packed.find((entry) => entry.name === pkg.name);
    const was = before.get(pkg.name);
    const changed = was !== pkg.manifest.version;
    console.log(
      `${pkg.name}@${pkg.manifest.version}${changed ? ` (was ${was})` : " (unchanged, not published)"}` +
        `  ${tarball.filename}, ${tarball.files.length} files, ${(tarball.size / 1024).toFixed(1)} kB packed`,
    );
    const changelog = join(scratch.dir, pkg.dir, "CHANGELOG.md");
    if (changed && existsSync(changelog)) {
      const section = changelogSection(readFileSync(changelog, "utf8"), pkg.manifest.version);
      console.log(section.replace(/^/gm, "    "), "\n");
    }
  }
  console.log(keep ? `\nScratch copy kept at ${scratch.dir}` : "\nNothing was published; the scratch copy is removed.");
} finally {
  if (!keep) scratch.remove();
}
