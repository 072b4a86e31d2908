// Installs the packed packages into a fresh project outside the workspace,
// as a user would from npm, and type-checks a consumer program with the
// TypeScript this repo builds with (5.9) and the newest one (7.x), under
// strict settings and both module resolutions users pick.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator, type RunningEmulator } from "@modelarts-export/emulator";
import { requireMajor } from "../../release-tools/src/changesets.mjs";
import { breaksByPackage, COMPAT_DIR, compatVersions, typeCheckPrograms } from "../../release-tools/src/compat.mjs";

const execFileAsync = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..", "..");
const require = createRequire(import.meta.url);
const compatVersion = compatVersions(repoRoot).at(-1) as string;

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
    run(
      "npm",
      [
        "pack",
        "--json",
        "--pack-destination",
        project,
        "-w",
        "@modelarts-export/types",
        "-w",
        "@modelarts-export/client",
      ],
      repoRoot,
    ),
  ) as { filename: string }[];
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // As a user would: the tarballs, and openapi-fetch from the registry.
  run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--ignore-scripts", ...packed.map((p) => `./${p.filename}`)],
    project,
  );
  for (const file of ["types-consumer.ts", "client-consumer.ts", "run.mjs", "run.cjs"]) {
    copyFileSync(join(here, "..", "fixtures", file), join(project, file));
  }
  cpSync(join(repoRoot, COMPAT_DIR, compatVersion), join(project, "compat"), { recursive: true });
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
    // Both packages' programs are checked together; see fixtures/.
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
              lib: ["ES2022", "DOM"],
            },
            files: ["types-consumer.ts", "client-consumer.ts"],
          }),
        );
        // execFileSync throws with the compiler's output when it reports errors.
        expect(run(process.execPath, [tsc, "-p", config], project)).toBe("");
      }, 60_000);
    }
  }
});

describe("@modelarts-export/client in a consumer project", () => {
  let emulator: RunningEmulator;
  const storage = mkdtempSync(join(tmpdir(), "consumer-emulator-"));

  beforeAll(async () => {
    emulator = await startEmulator({ storage, port: 0, demo: true });
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(storage, { recursive: true, force: true });
  });

  // Asynchronous: the emulator answers from this very process.
  const runNode = async (file: string): Promise<Record<string, unknown>> => {
    const { stdout } = await execFileAsync(process.execPath, [file], {
      cwd: project,
      encoding: "utf8",
      env: { ...process.env, EMULATOR_URL: emulator.url },
    });
    return JSON.parse(stdout.trim().split("\n").pop() as string) as Record<string, unknown>;
  };

  test("runs with ESM import: AK/SK, create, wait with progress, SUCCESSED, files written", async () => {
    const result = await runNode("run.mjs");
    expect(result.status).toBe("SUCCESSED");
    expect(result.total).toBeGreaterThan(0);
    expect((result.seen as string[]).at(-1)).toBe("SUCCESSED");
    const images = ["train", "val"].map(
      (split) =>
        (
          JSON.parse(
            readFileSync(
              join(storage, "demo-bucket", "consumer", "esm", "annotations", `instances_${split}.json`),
              "utf8",
            ),
          ) as { images: unknown[] }
        ).images.length,
    );
    expect(images[0]! + images[1]!).toBe(result.total);
  }, 60_000);

  test("runs with CommonJS require: token auth, typed errors", async () => {
    const result = await runNode("run.cjs");
    expect(result).toMatchObject({ status: "SUCCESSED", apiError: "ModelArts.4352" });
    expect(
      readFileSync(join(storage, "demo-bucket", "consumer", "cjs", "ImageSets", "Main", "train.txt"), "utf8").length,
    ).toBeGreaterThan(0);
  }, 60_000);
});

// Stainless-style: the programs written against the last release (frozen in
// compat/<version>/ when it was versioned) type-check and run against this
// build. A program that breaks needs a major changeset of what it imports.
describe(`programs written against ${compatVersion}, the last release`, () => {
  let emulator: RunningEmulator;
  const storage = mkdtempSync(join(tmpdir(), "consumer-compat-"));

  beforeAll(async () => {
    emulator = await startEmulator({ storage, port: 0, demo: true });
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(storage, { recursive: true, force: true });
  });

  test("type-check on TypeScript 5.9 with this build, or a major changeset says they break", async () => {
    const results = typeCheckPrograms(join(project, "compat"), compilers["5.9"]);
    expect(results.map((result) => result.file).sort()).toEqual(["client-consumer.ts", "types-consumer.ts"]);
    for (const [name, breaks] of breaksByPackage(compatVersion, results)) {
      const verdict = await requireMajor(repoRoot, name, breaks, `compat/${compatVersion}`);
      expect(verdict.ok, verdict.message).toBe(true);
    }
  }, 120_000);

  test.each(["run.mjs", "run.cjs"])(
    "%s runs against the emulator to SUCCESSED",
    async (file) => {
      const { stdout } = await execFileAsync(process.execPath, [join("compat", file)], {
        cwd: project,
        encoding: "utf8",
        env: { ...process.env, EMULATOR_URL: emulator.url },
      });
      expect(JSON.parse(stdout.trim().split("\n").pop() as string)).toMatchObject({ status: "SUCCESSED" });
    },
    60_000,
  );
});
