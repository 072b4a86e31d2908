// npm ships a package's own LICENSE, never the repository's: every published
// workspace package carries a committed copy of the root LICENSE, kept identical.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const license = readFileSync(join(repoRoot, "LICENSE"), "utf8");

interface Manifest {
  name: string;
  private?: boolean;
  license?: string;
  files?: string[];
}

/** Folders of the root package.json's workspaces ("openapi", "packages/*"). */
function workspaceDirs(): string[] {
  const { workspaces } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { workspaces: string[] };
  return workspaces.flatMap((pattern) =>
    pattern.endsWith("/*")
      ? readdirSync(join(repoRoot, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern],
  );
}

const published = workspaceDirs()
  .filter((dir) => existsSync(join(repoRoot, dir, "package.json")))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(repoRoot, dir, "package.json"), "utf8")) as Manifest }))
  .filter(({ manifest }) => !manifest.private);

test("the root LICENSE is the Apache License 2.0 text", () => {
  expect(license).toMatch(/^\n\s+Apache License\n\s+Version 2\.0, January 2004\n/);
  expect(license).toContain("END OF TERMS AND CONDITIONS");
  expect(license.split("\n")).toHaveLength(203);
});

test("the published packages are found", () => {
  expect(published.map(({ manifest }) => manifest.name)).toEqual(
    expect.arrayContaining([
      "@modelarts-export/openapi",
      "@modelarts-export/types",
      "@modelarts-export/client",
      "@modelarts-export/docs",
      "@modelarts-export/emulator",
      "@modelarts-export/cli",
    ]),
  );
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
