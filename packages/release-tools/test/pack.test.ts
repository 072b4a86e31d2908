// Every public package as npm would publish it: the file list of
// `npm pack --dry-run`, the registry metadata, publint --strict and, for
// packages with module entry points, Are the Types Wrong.
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { publicPackages, readJson, repoRoot } from "../src/paths.mjs";

interface Packed {
  name: string;
  files: { path: string; size: number }[];
}

const packages = publicPackages(repoRoot);
const packed: Packed[] = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json", ...packages.flatMap((pkg) => ["-w", pkg.name])], {
    cwd: repoRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }),
);
const repository = readJson(join(repoRoot, "package.json")).repository as { url: string };
const MB = 1024 * 1024;

test("the public packages are the ones expected (a new package is covered here once it lands)", () => {
  expect(packages.map((pkg) => pkg.name)).toEqual(
    expect.arrayContaining([
      "@modelarts-export/openapi",
      "@modelarts-export/types",
      "@modelarts-export/client",
      "@modelarts-export/signer",
      "@modelarts-export/docs",
      "@modelarts-export/emulator",
      "@modelarts-export/cli",
    ]),
  );
  expect(packed.map((entry) => entry.name).sort()).toEqual(packages.map((pkg) => pkg.name).sort());
});

describe.each(packages)("$name", ({ name, dir, manifest }) => {
  const files = packed.find((entry) => entry.name === name)!.files;
  const paths = files.map((file) => file.path);
  const declared: string[] = manifest.files;

  test("packs package.json, README.md and its built files", () => {
    expect(paths).toEqual(expect.arrayContaining(["package.json", "README.md"]));
    // Built output, or (types, openapi) the declared declarations and spec.
    expect(paths.some((path) => path.startsWith("dist/") || (declared.includes("src") && path.endsWith(".d.ts")))).toBe(
      true,
    );
  });

  test("packs nothing from test/ or bench/, no TypeScript sources unless declared", () => {
    expect(paths.filter((path) => /^(test|bench|fixtures)\//.test(path))).toEqual([]);
    expect(paths.filter((path) => /\.[cm]?ts$/.test(path) && !/\.d\.[cm]?ts$/.test(path))).toEqual([]);
    expect(paths.filter((path) => path.startsWith("src/") && !declared.includes("src"))).toEqual([]);
  });

  test("no file over 3 MB (the docs pages excepted)", () => {
    const large = files.filter(
      (file) => file.size > 3 * MB && !(name === "@modelarts-export/docs" && file.path.endsWith(".html")),
    );
    expect(large).toEqual([]);
  });

  test("registry metadata: repository with directory, homepage, bugs, keywords, license, provenance", () => {
    expect(manifest.repository).toEqual({ type: "git", url: repository.url, directory: dir });
    expect(manifest.homepage).toMatch(new RegExp(`^https://.+/tree/main/${dir}#readme$`));
    expect(manifest.bugs).toEqual(readJson(join(repoRoot, "package.json")).bugs);
    expect(manifest.keywords.length).toBeGreaterThanOrEqual(3);
    expect(manifest.license).toBe("Apache-2.0");
    expect(manifest.publishConfig).toEqual({ access: "public", provenance: true });
  });

  test("publint --strict: no warnings or errors", async () => {
    const { messages, pkg } = await publint({ pkgDir: join(repoRoot, dir), strict: true, pack: "npm" });
    const problems = messages.filter((message) => message.type !== "suggestion");
    expect(problems.map((message) => formatMessage(message, pkg))).toEqual([]);
  }, 60_000);
});

// attw checks how TypeScript resolves JavaScript entry points; openapi and
// docs export data files, the CLI only a command.
test.each([
  ["packages/client", []],
  ["packages/signer", []],
  ["packages/types", ["--ignore-rules", "cjs-resolves-to-esm"]],
  ["packages/emulator", ["--profile", "esm-only"]],
])(
  "attw --pack %s is clean",
  (dir, options) => {
    const attw = join(repoRoot, "node_modules/.bin/attw");
    const result = spawnSync(attw, ["--pack", ".", "--format", "ascii", ...options], {
      cwd: join(repoRoot, dir),
      encoding: "utf8",
    });
    expect(result.status, result.stdout + result.stderr).toBe(0);
  },
  120_000,
);
