// The real binary against the emulator over 127.0.0.1.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO, startEmulator, writeDetectionDataset, type RunningEmulator } from "@modelarts-export/emulator";

const bin = fileURLToPath(new URL("../bin/modelarts-export.js", import.meta.url));
const storage = mkdtempSync(join(tmpdir(), "cli-test-"));
let emulator: RunningEmulator;

beforeAll(async () => {
  // A larger dataset, exported at a set pace (about 2 s for all of it), so
  // that the progress bar has steps to show and Ctrl-C lands mid-export.
  writeDetectionDataset(storage, { count: 6000, seed: 9, dir: "/big/", manifestName: "big.manifest" });
  emulator = await startEmulator({
    storage,
    port: 0,
    demo: true,
    exportRate: 3000,
    datasets: [{ projectId: DEMO.projectId, datasetId: "big", manifest: "/big/big.manifest" }],
  });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(storage, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the binary without blocking this process, which serves the emulator. */
function cli(args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env: { PATH: process.env.PATH ?? "", ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Starts a VOC export of the 6,000-sample dataset, which takes about 2 s. */
async function createBigExport(path: string): Promise<string> {
  const create = await cli([
    "create",
    ...common(),
    "--dataset-id",
    "big",
    "--export-type",
    "2",
    "--annotation-format",
    "VOC",
    "--path",
    path,
  ]);
  return create.stdout.trim();
}

/** A create with every required flag, aimed at a port nothing listens on: usage errors stop it first. */
const offlineCreate = [
  "create",
  "--endpoint",
  "http://127.0.0.1:1",
  "--project-id",
  "p",
  "--token",
  "t",
  "--dataset-id",
  "d",
];

const common = (): string[] => ["--endpoint", emulator.url, "--project-id", DEMO.projectId, "--token", DEMO.token];

describe("modelarts-export", () => {
  test("export to COCO reaches SUCCESSED with exit 0, JSON lines when not a terminal, files on disk", async () => {
    const run = await cli([
      "export",
      ...common(),
      "--dataset-id",
      DEMO.datasets.detection.id,
      "--export-type",
      "0",
      "--annotation-format",
      "COCO",
      "--path",
      "/demo-bucket/out/cli-coco/",
      "--interval",
      "10",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({ event: "done", status: "SUCCESSED" });
    expect(lines.every((l) => typeof l.task_id === "string")).toBe(true);
    expect(existsSync(join(storage, "demo-bucket", "out", "cli-coco", "annotations", "instances_train.json"))).toBe(
      true,
    );
  });

  test("AK/SK from Huawei's environment variables, body from stdin", async () => {
    const env = {
      HUAWEICLOUD_SDK_AK: DEMO.accessKey,
      HUAWEICLOUD_SDK_SK: DEMO.secretKey,
      HUAWEICLOUD_SDK_PROJECT_ID: DEMO.projectId,
    };
    const run = await cli(
      ["create", "--endpoint", emulator.url, "--dataset-id", DEMO.datasets.detection.id, "--body", "-", "--json"],
      env,
      '{"path": "/demo-bucket/out/cli-stdin/", "export_type": 1}',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).task_id).toMatch(/^\w{19}$/);
  });

  test("a FAILED task exits 1 and prints error_code and error_msg", async () => {
    const run = await cli([
      "export",
      ...common(),
      "--dataset-id",
      DEMO.datasets.broken.id,
      "--path",
      "/demo-bucket/out/cli-broken/",
      "--interval",
      "10",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/FAILED: ModelArts\.4312 OBS path does not exist/);
  });

  test.each([
    [["create", "--bogus"], /unknown option '--bogus'/],
    [
      ["create", "--endpoint", "http://127.0.0.1:1", "--token", "t", "--dataset-id", "d", "--path", "/b/"],
      /--project-id is required/,
    ],
    [
      ["create", "--endpoint", "http://127.0.0.1:1", "--project-id", "p", "--dataset-id", "d"],
      /credentials are required/,
    ],
    [
      ["create", "--region", "cn-north-4", "--endpoint", "http://x", "--project-id", "p", "--token", "t"],
      /cannot be used with option '--region/,
    ],
    [
      ["create", "--region", "mars-1", "--project-id", "p", "--token", "t", "--dataset-id", "d", "--path", "/b/"],
      /Unknown ModelArts region "mars-1"/,
    ],
    [[...offlineCreate, "--export-type", "two"], /--export-type must be an integer/],
    [
      [...offlineCreate, "--path", "/b/", "--annotation-format", "YOLO"],
      /annotation_format must be one of "VOC", "COCO"/,
    ],
    [[...offlineCreate, "--path", "/b/../x/"], /path must not have a `..` segment/],
    [[...offlineCreate, "--search-conditions", "{oops"], /--search-conditions must be JSON/],
  ])("bad flags exit 2 with a message naming the flag or field: %j", async (args, message) => {
    const run = await cli(args as string[]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  test("API errors exit 3; secrets are never printed, even with --verbose", async () => {
    const run = await cli([
      "get",
      "x",
      "--endpoint",
      emulator.url,
      "--project-id",
      DEMO.projectId,
      "--access-key",
      DEMO.accessKey,
      "--secret-key",
      "wrong-secret-value",
      "--dataset-id",
      "d",
      "--verbose",
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/APIGW\.0301/);
    expect(run.stderr).toMatch(/> GET http/);
    expect(`${run.stdout}${run.stderr}`).not.toContain("wrong-secret-value");
    const missing = await cli(["get", "x", ...common(), "--dataset-id", "no-such-dataset"]);
    expect([missing.code, missing.stderr.includes("ModelArts.4352")]).toEqual([3, true]);
  });

  test("list prints every page as JSON, or one page with --limit", async () => {
    const all = await cli(["list", ...common(), "--dataset-id", DEMO.datasets.detection.id]);
    const page = await cli(["list", ...common(), "--dataset-id", DEMO.datasets.detection.id, "--limit", "1"]);
    const parsed = JSON.parse(all.stdout) as { total_count: number; export_tasks: unknown[] };
    expect(parsed.export_tasks.length).toBe(parsed.total_count);
    expect((JSON.parse(page.stdout) as { export_tasks: unknown[] }).export_tasks).toHaveLength(1);
  });

  test("--help on every command, with examples", async () => {
    for (const command of ["create", "get", "list", "wait", "export"]) {
      const run = await cli([command, "--help"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Example/);
    }
    expect((await cli(["create", "--help"])).stdout).toContain("--annotation-format");
  });

  test("on a terminal, wait shows a progress bar that advances to 100%", async () => {
    const taskId = await createBigExport("/big/out/voc/");
    const script = join(storage, "tty.sh");
    writeFileSync(
      script,
      `exec "${process.execPath}" "${bin}" wait ${taskId} ${common().join(" ")} --dataset-id big --interval 5\n`,
    );
    // `script` gives the command a pseudo-terminal and records what it drew.
    const log = join(storage, "tty.log");
    const run = await new Promise<Run>((resolve) =>
      execFile(
        "script",
        ["-qfec", `sh ${script}`, log],
        { env: { PATH: process.env.PATH ?? "", TERM: "xterm" } },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(run.code, run.stderr).toBe(0);
    const drawn = readFileSync(log, "utf8");
    const percents = [...drawn.matchAll(/(\d+)% \| (\d+)\/(\d+) samples \| \S+ \| (\w+)/g)].map((m) => Number(m[1]));
    expect(new Set(percents).size).toBeGreaterThan(2);
    expect(percents.at(-1)).toBe(100);
    expect(drawn).toMatch(/SUCCESSED/);
    expect(drawn).not.toMatch(/^\{"event"/m);
  });

  test("Ctrl-C stops waiting, leaves the task running and says how to resume", async () => {
    const taskId = await createBigExport("/big/out/sigint/");
    const child = spawn(
      process.execPath,
      [bin, "wait", taskId, ...common(), "--dataset-id", "big", "--interval", "5", "--json"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(130);
    expect(stderr).toContain(`Resume with:\n  modelarts-export wait ${taskId} --endpoint ${emulator.url}`);
    await emulator.idle();
    const after = await cli(["get", taskId, ...common(), "--dataset-id", "big"]);
    expect(JSON.parse(after.stdout).status).toBe("SUCCESSED");
  });
});
