// The portability claim, proven: src/program.ts (AK/SK, create an export task,
// wait for SUCCESSED with progress, read the task) bundled by esbuild for each
// runtime and run against one emulator on Node, Deno, Bun, workerd and headless
// Chromium, the page served from the emulator's own origin.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build, type BuildOptions } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO, startEmulator, type RunningEmulator } from "@modelarts-export/emulator";
import { launchChromium } from "../../../scripts/chromium.mjs";
import type { SigningRun, RunResult, RunSettings } from "../src/program.js";

const execFileAsync = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, "..");

/** An npm-installed binary: this package's node_modules/.bin, else the workspace root's. */
function binary(name: string): string {
  for (let dir = packageDir; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, "node_modules", ".bin", name);
    if (existsSync(file)) return file;
  }
  throw new Error(`${name} is not installed: run npm ci at the repository root`);
}

const work = mkdtempSync(join(tmpdir(), "runtime-check-"));
const storage = join(work, "storage");
// Only the page and its script are served; the other bundles stay out of reach.
const site = join(work, "site");
const bundles = join(work, "bundles");
let emulator: RunningEmulator;

// Same entry points as a user's bundler would pick for each runtime.
const targets: Record<string, BuildOptions> = {
  node: {
    entryPoints: ["src/command-line.ts"],
    platform: "node",
    target: "node20",
    outfile: join(bundles, "node.mjs"),
  },
  deno: {
    entryPoints: ["src/command-line.ts"],
    platform: "neutral",
    conditions: ["deno"],
    mainFields: ["module", "main"],
    outfile: join(bundles, "deno.mjs"),
  },
  bun: {
    entryPoints: ["src/command-line.ts"],
    platform: "neutral",
    conditions: ["bun"],
    mainFields: ["module", "main"],
    outfile: join(bundles, "bun.mjs"),
  },
  workerd: {
    entryPoints: ["src/worker.ts"],
    platform: "browser",
    conditions: ["workerd", "worker"],
    outfile: join(bundles, "worker.mjs"),
  },
  browser: { entryPoints: ["src/page.ts"], platform: "browser", outfile: join(site, "page.js") },
};

beforeAll(async () => {
  mkdirSync(site, { recursive: true });
  copyFileSync(join(packageDir, "page", "index.html"), join(site, "index.html"));
  await Promise.all(
    Object.values(targets).map((options) =>
      build({ ...options, absWorkingDir: packageDir, bundle: true, format: "esm", logLevel: "warning" }),
    ),
  );
  // Slow enough (about a second for the 200 labelled samples) that the wait
  // polls while the export runs and reports progress on the way.
  emulator = await startEmulator({ storage, port: 0, demo: true, exportRate: 200, staticDir: site });
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  rmSync(work, { recursive: true, force: true });
});

const settings = (runtime: string): RunSettings => ({
  baseUrl: emulator.url,
  projectId: DEMO.projectId,
  accessKey: DEMO.accessKey,
  secretKey: DEMO.secretKey,
  datasetId: DEMO.datasets.detection.id,
  path: `/demo-bucket/runtime-check/${runtime}/`,
});

/** The last line of a program's output, as JSON. */
const lastJsonLine = (stdout: string): RunResult => JSON.parse(stdout.trim().split("\n").at(-1) as string) as RunResult;

/** What every run must show, checked against the emulator's own record and files. */
function expectCompleteRun(run: SigningRun, folder: string): void {
  const { taskId, progress, waited, task } = run;
  expect(taskId).toMatch(/^\w{19}$/);
  // Progress was reported while the export ran, never going back, up to the end.
  expect(progress.some((p) => p.status === "RUNNING" && p.progress! > 0 && p.progress! < 100)).toBe(true);
  for (let i = 1; i < progress.length; i++)
    expect(progress[i]!.finished!).toBeGreaterThanOrEqual(progress[i - 1]!.finished!);
  expect(progress.at(-1)).toEqual({ status: "SUCCESSED", progress: 100, finished: waited.total_sample_count });
  expect(waited).toMatchObject({ task_id: taskId, status: "SUCCESSED", progress: 100 });
  expect(task).toEqual(waited);
  // The emulator did export it, to the run's own folder.
  expect(emulator.store.get(taskId)?.status).toBe("SUCCESSED");
  const images = ["train", "val"].map(
    (split) =>
      (
        JSON.parse(
          readFileSync(
            join(storage, "demo-bucket", "runtime-check", folder, "annotations", `instances_${split}.json`),
            "utf8",
          ),
        ) as { images: unknown[] }
      ).images.length,
  );
  expect(images[0]! + images[1]!).toBe(waited.total_sample_count);
  expect(waited.total_sample_count).toBeGreaterThan(0);
}

/** The program ran on the runtime meant, and both its runs, default signing and Web Crypto, completed. */
function expectRuns(result: RunResult, runtime: string, name: string | RegExp): void {
  if (typeof name === "string") expect(result.runtime).toBe(name);
  else expect(result.runtime).toMatch(name);
  expect(result.runs.map((run) => run.signing)).toEqual(["default", "web-crypto"]);
  for (const run of result.runs) expectCompleteRun(run, `${runtime}/${run.signing}`);
}

const versionOf = async (name: string, pattern: RegExp): Promise<string> => {
  const { stdout } = await execFileAsync(binary(name), ["--version"], { encoding: "utf8" });
  return (pattern.exec(stdout) ?? [])[1] ?? `unreadable: ${stdout}`;
};

// Asynchronous children throughout: the emulator answers from this very process.
describe.concurrent("one program against the emulator", () => {
  test("Node", async () => {
    const { stdout } = await execFileAsync(
      process.execPath,
      [join(bundles, "node.mjs"), JSON.stringify(settings("node"))],
      {
        encoding: "utf8",
      },
    );
    const result = lastJsonLine(stdout);
    expectRuns(result, "node", `node ${process.versions.node}`);
  });

  test("Deno, allowed to reach the emulator and nothing else", async () => {
    const version = await versionOf("deno", /^deno (\S+)/);
    const { stdout } = await execFileAsync(
      binary("deno"),
      ["run", `--allow-net=127.0.0.1:${emulator.port}`, join(bundles, "deno.mjs"), JSON.stringify(settings("deno"))],
      { encoding: "utf8", cwd: work, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", DENO_DIR: join(work, "deno") } },
    );
    const result = lastJsonLine(stdout);
    expectRuns(result, "deno", `deno ${version}`);
  });

  test("Bun", async () => {
    const version = await versionOf("bun", /^(\S+)/);
    const { stdout } = await execFileAsync(binary("bun"), [join(bundles, "bun.mjs"), JSON.stringify(settings("bun"))], {
      encoding: "utf8",
      cwd: work,
    });
    const result = lastJsonLine(stdout);
    expectRuns(result, "bun", `bun ${version}`);
  });

  test("workerd, Cloudflare Workers' runtime, reaching only loopback", async () => {
    // `workerd test` runs the worker's test handler; the worker's only way out
    // is a network service limited to local addresses.
    const config = join(work, "workerd.capnp");
    writeFileSync(
      config,
      [
        `using Workerd = import "/workerd/workerd.capnp";`,
        `const config :Workerd.Config = (`,
        `  services = [(name = "main", worker = .worker), (name = "loopback", network = (allow = ["local"]))],`,
        `);`,
        `const worker :Workerd.Worker = (`,
        `  modules = [(name = "worker.mjs", esModule = embed "bundles/worker.mjs")],`,
        `  compatibilityDate = "2026-11-01",`,
        // A JSON string literal is a valid Cap'n Proto text literal.
        `  bindings = [(name = "SETTINGS", text = ${JSON.stringify(JSON.stringify(settings("workerd")))})],`,
        `  globalOutbound = "loopback",`,
        `);`,
        ``,
      ].join("\n"),
    );
    const { stdout, stderr } = await execFileAsync(binary("workerd"), ["test", config], {
      encoding: "utf8",
      cwd: work,
    });
    expect(stderr).toMatch(/\[ PASS \] main/);
    const result = lastJsonLine(stdout);
    expectRuns(result, "workerd", "workerd");
  });

  test("headless Chromium, the page served at /static/ by the emulator", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const { baseUrl: _sameOrigin, ...pageSettings } = settings("chromium");
      await page.goto(`${emulator.url}/static/#${encodeURIComponent(JSON.stringify(pageSettings))}`);
      const outcome = (await page.evaluate(() => (window as { runResult?: Promise<unknown> }).runResult)) as
        { ok: true; result: RunResult } | { ok: false; error: string };
      if (!outcome.ok) throw new Error(`the page failed: ${outcome.error}`);
      expectRuns(outcome.result, "chromium", new RegExp(`HeadlessChrome/${browser.version().replaceAll(".", "\\.")} `));
    } finally {
      await browser.close();
    }
  });
});
