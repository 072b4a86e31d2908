// Installs the packed packages into a fresh project outside the workspace,
// as a user would from npm, and type-checks a consumer program with the
// TypeScript this repo builds with (5.9) and the newest one (7.x), under
// strict settings and both module resolutions users pick.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..", "..");
const require = createRequire(import.meta.url);

// 5.9 from the workspace root; 7.x is this package's own devDependency.
const compilers = {
  "5.9": join(repoRoot, "node_modules", "typescript", "bin", "tsc"),
  "7.x": join(dirname(require.resolve("typescript/package.json")), "bin", "tsc"),
};

const resolutions = {
  nodenext: { module: "NodeNext", moduleResolution: "NodeNext" },
  bundler: { module: "ESNext", moduleResolution: "Bundler" },
};

let project: string;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: "pipe" });
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "modelarts-export-consumer-"));
  const packed = JSON.parse(
    run("npm", ["pack", "--json", "--pack-destination", project, "-w", "@modelarts-export/types"], repoRoot),
  ) as { filename: string }[];
  const tarball = join(project, (packed[0] as { filename: string }).filename);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({
      name: "consumer",
      private: true,
      type: "module",
      dependencies: { "@modelarts-export/types": `file:${tarball}` },
    }),
  );
  run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], project);
  copyFileSync(join(here, "..", "fixtures", "types-consumer.ts"), join(project, "types-consumer.ts"));
}, 120_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("@modelarts-export/types in a consumer project", () => {
  test("the tarball holds the declarations and nothing the consumer does not need", () => {
    const installed = join(project, "node_modules", "@modelarts-export", "types");
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { exports: unknown };
    expect(manifest.exports).toEqual({ ".": { types: "./src/index.d.ts" }, "./package.json": "./package.json" });
    expect(readFileSync(join(installed, "src", "generated", "openapi.d.ts"), "utf8")).toMatch(
      /^\/\*\*\n \* GENERATED FILE: DO NOT EDIT\./,
    );
  });

  for (const [version, tsc] of Object.entries(compilers)) {
    for (const [resolution, options] of Object.entries(resolutions)) {
      test(`type-checks on TypeScript ${version} with moduleResolution ${resolution}`, () => {
        expect(run(process.execPath, [tsc, "--version"], project)).toMatch(
          version === "5.9" ? /Version 5\.9\./ : /Version 7\./,
        );
        const config = `tsconfig.${resolution}.json`;
        writeFileSync(
          join(project, config),
          JSON.stringify({
            compilerOptions: {
              ...options,
              target: "ES2022",
              strict: true,
              exactOptionalPropertyTypes: true,
              noUncheckedIndexedAccess: true,
              verbatimModuleSyntax: true,
              skipLibCheck: false,
              noEmit: true,
              types: [],
            },
            files: ["types-consumer.ts"],
          }),
        );
        // execFileSync throws with the compiler's output when it reports errors.
        expect(run(process.execPath, [tsc, "-p", config], project)).toBe("");
      }, 60_000);
    }
  }
});
