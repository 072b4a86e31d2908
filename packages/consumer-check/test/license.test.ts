// npm ships a package's own LICENSE, never the repository's: every published
// workspace package carries a committed copy of the root LICENSE, kept identical.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { publicPackages, repoRoot } from "../../release-tools/src/paths.mjs";

const license = readFileSync(join(repoRoot, "LICENSE"), "utf8");

// The published (not private) workspace packages; release-tools' pack test
// checks that the expected ones are among them.
const published = publicPackages(repoRoot).map(({ dir, manifest }) => ({
  dir,
  manifest: manifest as { name: string; license?: string; files?: string[] },
}));

test("the root LICENSE is the Apache License 2.0 text", () => {
  expect(license).toMatch(/^\n\s+Apache License\n\s+Version 2\.0, January 2004\n/);
  expect(license).toContain("END OF TERMS AND CONDITIONS");
  expect(license.split("\n")).toHaveLength(203);
});

describe.each(published)("$manifest.name", ({ dir, manifest }) => {
  test("says Apache-2.0 and lists LICENSE in files", () => {
    expect(manifest.license, `${dir}/package.json: license`).toBe("Apache-2.0");
    expect(manifest.files, `${dir}/package.json: files must list LICENSE`).toContain("LICENSE");
  });

  test("carries a copy of the root LICENSE", () => {
    const copy = join(repoRoot, dir, "LICENSE");
    expect(existsSync(copy), `${dir}/LICENSE is missing: copy the root LICENSE there`).toBe(true);
    expect(readFileSync(copy, "utf8") === license, `${dir}/LICENSE differs from the root LICENSE`).toBe(true);
  });
});
