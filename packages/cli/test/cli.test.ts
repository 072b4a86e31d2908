// The real binary against the emulator over 127.0.0.1.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listParameter, requestFields } from "../src/spec.js";
import { DEMO, startEmulator, writeDetectionDataset, type RunningEmulator } from "@modelarts-export/emulator";
import { cli, execute, type Run } from "./run-cli.js";

const bin = fileURLToPath(new URL("../bin/modelarts-export.js", import.meta.url));
const BIG = 4000;
const storage = mkdtempSync(join(tmpdir(), "cli-test-"));
let emulator: RunningEmulator;

beforeAll(async () => {
  // A larger dataset, exported at a set pace (about 4 s for all of it), so
  // that the progress bar has steps to show and Ctrl-C lands mid-export.
  writeDetectionDataset(storage, { count: BIG, seed: 9, dir: "/big/", manifestName: "big.manifest" });
  emulator = await startEmulator({
    storage,
    port: 0,
    demo: true,
    exportRate: 1000,
    datasets: [{ projectId: DEMO.projectId, datasetId: "big", manifest: "/big/big.manifest" }],
  });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(storage, { recursive: true, force: true });
});

/** Starts a VOC export of the big dataset, which takes about 4 s. */
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
    [[...offlineCreate, "--region", "cn-north-4"], /--region and --endpoint cannot be used together/],
    [
      ["create", "--region", "mars-1", "--project-id", "p", "--token", "t", "--dataset-id", "d", "--path", "/b/"],
      /Unknown ModelArts region "mars-1"/,
    ],
    [
      [...offlineCreate, "--export-type", "two"],
      /'--export-type <0\|1\|2\|3>' argument 'two' is invalid. It must be one of "0", "1", "2", "3"/,
    ],
    [
      [...offlineCreate, "--dataset-type", "1.5"],
      /'--dataset-type <n>' argument '1.5' is invalid. It must be one of "0", "1", "3"/,
    ],
    [
      [...offlineCreate, "--status", "1.5"],
      /'--status <n>' argument '1.5' is invalid. It must be a whole number from -2147483648 to 2147483647/,
    ],
    [
      [...offlineCreate, "--annotation-format", "YOLO"],
      /'--annotation-format <VOC\|COCO>' argument 'YOLO' is invalid. It must be one of "VOC", "COCO"/,
    ],
    [
      [...offlineCreate, "--search-conditions", "{oops"],
      /'--search-conditions <json>' argument '\{oops' is invalid. It must be JSON/,
    ],
    [
      [...offlineCreate, "--body", "/no/such/file.json"],
      /--body \/no\/such\/file.json: cannot read the file \(ENOENT\)/,
    ],
    [[...offlineCreate, "--body", "-", "--path", "/b/"], /--body cannot be combined with field flags/],
    [
      ["wait", "t", ...offlineCreate.slice(1), "--timeout", "10x"],
      /'--timeout <duration>' argument '10x' is invalid. It must be a duration such as 90s, 10m or 1h, or a plain number of seconds/,
    ],
    [["wait", "t", ...offlineCreate.slice(1), "--timeout", ""], /'--timeout <duration>' argument '' is invalid/],
    [["wait", "t", ...offlineCreate.slice(1), "--timeout", "-1h"], /'--timeout <duration>' argument '-1h' is invalid/],
    [
      ["wait", "t", ...offlineCreate.slice(1), "--timeout", "30d"],
      /'--timeout <duration>' argument '30d' is invalid. It must be from 1ms to 24d/,
    ],
    [
      ["wait", "t", ...offlineCreate.slice(1), "--interval", "500ms"],
      /'--interval <duration>' argument '500ms' is invalid. It must be from 1s to 24d/,
    ],
    [
      ["list", ...offlineCreate.slice(1), "--limit", "0"],
      /'--limit <n>' argument '0' is invalid. It must be a whole number from 1 to 100/,
    ],
    [["list", ...offlineCreate.slice(1), "--limit", "1e2"], /'--limit <n>' argument '1e2' is invalid/],
  ])("bad flags exit 2 with a message naming the flag and the rule: %j", async (args, message) => {
    const run = await cli(args as string[]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test("a rule the spec states refuses before sending; one it only infers never does", async () => {
    // --limit 1-100 is stated by the reference; --offset >= 0 is only inferred, so -1 is sent.
    expect(listParameter("limit")).toMatchObject({ minimum: 1, maximum: 100 });
    expect(listParameter("offset").minimum).toBeUndefined();
    const tooMany = await cli(["list", ...offlineCreate.slice(1), "--limit", "101"]);
    expect([tooMany.code, tooMany.stderr]).toEqual([2, expect.stringMatching(/--limit/)]);
    const run = await cli(["list", ...offlineCreate.slice(1), "--offset", "-1"]);
    // Sent: port 1 cannot be reached, so the request ends in a network error that names it, exit 3.
    expect([run.code, run.stderr]).toEqual([3, expect.stringMatching(/GET \S+offset=-1/)]);
  });

  test("durations as users write them: --timeout 10m, --interval 1s, plain seconds", async () => {
    // The task does not exist: each reaches the API (exit 3), past the flags.
    for (const [flag, value] of [
      ["--timeout", "10m"],
      ["--timeout", "90"],
      ["--timeout", "1.5h"],
      ["--interval", "1s"],
      ["--interval", "2"],
    ] as const) {
      const run = await cli(["wait", "no-such-task", ...common(), "--dataset-id", "big", flag, value]);
      expect([flag, value, run.code, run.stderr]).toEqual([flag, value, 3, expect.stringContaining("ModelArts.4359")]);
    }
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
  });

  test("create --help shows every request field from the spec, with its description and allowed values", async () => {
    const help = (await cli(["create", "--help"])).stdout.replace(/\s+/g, " ");
    const fields = requestFields();
    expect(fields.length).toBeGreaterThan(15);
    for (const { field, description } of fields) {
      expect(help).toContain(` --${field.replace(/_/g, "-")} `);
      expect(help).toContain(description.slice(0, 60));
    }
    expect(help).toContain("--annotation-format <VOC|COCO> Annotation format of the exported files");
    expect(help).toContain("--export-type <0|1|2|3> Which samples to export: 0 labelled, 1 unlabelled");
    expect(help).toContain("--no-clear-hard-property");
    const wait = (await cli(["wait", "--help"])).stdout.replace(/\s+/g, " ");
    expect(wait).toMatch(/--interval <duration> time between polls, such as 5s or 1m, at least 1s/);
    expect(wait).toContain("MODELARTS_TOKEN");
  });

  test("on a terminal, wait shows a progress bar with the real sample totals, up to 100%", async () => {
    const taskId = await createBigExport("/big/out/voc/");
    const script = join(storage, "tty.sh");
    writeFileSync(
      script,
      `exec "${process.execPath}" "${bin}" wait ${taskId} ${common().join(" ")} --dataset-id big --interval 1s\n`,
    );
    // `script` gives the command a pseudo-terminal and records what it drew.
    const log = join(storage, "tty.log");
    const run = await execute("script", ["-qfec", `sh ${script}`, log], {
      PATH: process.env.PATH ?? "",
      TERM: "xterm",
    });
    expect(run.code, run.stderr).toBe(0);
    const drawn = readFileSync(log, "utf8");
    const frames = [...drawn.matchAll(/(\d+)% \| ([\d,?]+)\/([\d,?]+) samples \| \S+ \| (\w+)/g)].map((m) => ({
      percent: Number(m[1]),
      finished: Number(m[2]!.replace(/,/g, "")),
      total: m[3],
      state: m[4],
    }));
    expect(frames.length).toBeGreaterThan(1);
    // The totals are the task's: 4,000 samples, never the bar's 100.
    expect(new Set(frames.map((f) => f.total))).toEqual(new Set(["4,000"]));
    expect(frames.every((f) => f.finished <= BIG)).toBe(true);
    expect(frames.at(-1)).toEqual({ percent: 100, finished: BIG, total: "4,000", state: "SUCCESSED" });
    expect(drawn).toMatch(new RegExp(`export task ${taskId} SUCCESSED: ${BIG} samples`));
    expect(drawn).not.toMatch(/^\{"event"/m);
  });

  test("Ctrl-C stops waiting, exits 130 and prints a resume command that works when pasted", async () => {
    const taskId = await createBigExport("/big/out/sigint/");
    const env = {
      PATH: process.env.PATH ?? "",
      HUAWEICLOUD_SDK_AK: DEMO.accessKey,
      HUAWEICLOUD_SDK_SK: DEMO.secretKey,
      HUAWEICLOUD_SDK_PROJECT_ID: DEMO.projectId,
    };
    const child = spawn(
      process.execPath,
      [bin, "wait", taskId, "--endpoint", emulator.url, "--dataset-id", "big", "--interval", "1s", "--json"],
      { stdio: ["ignore", "pipe", "pipe"], env },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    // The first progress line comes after the Ctrl-C handler is in place.
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.kill("SIGINT");
    expect(await exited, stderr).toBe(130);
    expect(stderr).toContain(`export task ${taskId} goes on. Resume with:`);
    expect(stderr).toContain("Credentials: from HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, as for this run.");
    expect(stderr).not.toContain(DEMO.secretKey);
    const command = /Resume with:\n {2}(.+)\n/.exec(stderr)?.[1];
    expect(command).toContain(
      `wait ${taskId} --endpoint ${emulator.url} --project-id ${DEMO.projectId} --dataset-id big`,
    );
    // Pasted into a shell with the same environment, it waits to the end.
    const pasted = await execute("sh", ["-c", command as string], env);
    expect(pasted.code, pasted.stderr).toBe(0);
    expect(pasted.stdout.trim().split("\n").at(-1)).toMatch(/"event":"done".*"status":"SUCCESSED"/);
  });

  test("--interval 1s polls about once a second, not in a busy loop", async () => {
    const taskId = await createBigExport("/big/out/interval/");
    const started = Date.now();
    const run = await cli([
      "wait",
      taskId,
      ...common(),
      "--dataset-id",
      "big",
      "--interval",
      "1s",
      "--json",
      "--verbose",
    ]);
    const seconds = (Date.now() - started) / 1000;
    expect(run.code, run.stderr).toBe(0);
    const polls = run.stderr.split("\n").filter((line) => line.startsWith("> GET ")).length;
    expect(polls).toBeGreaterThan(1);
    // At most one poll per second of the whole run, and one to start with.
    expect(polls).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
  });

  test("--timeout stops waiting with exit 124 and the same resume hint; the task goes on", async () => {
    const taskId = await createBigExport("/big/out/timeout/");
    const run = await cli(["wait", taskId, ...common(), "--dataset-id", "big", "--timeout", "1s", "--json"]);
    expect(run.code, run.stderr).toBe(124);
    expect(run.stderr).toMatch(new RegExp(`export task ${taskId} is not finished after 1s; it goes on. Resume with:`));
    expect(run.stderr).toContain("Credentials: first set MODELARTS_TOKEN to what you gave --token");
    expect(run.stderr).not.toContain(DEMO.token);
    await emulator.idle();
  });

  test("a closed stdout ends the command quietly with exit 141, no stack trace", async () => {
    for (const args of [
      ["list", ...common(), "--dataset-id", DEMO.datasets.detection.id],
      ["get", "no-matter", ...common(), "--dataset-id", DEMO.datasets.detection.id],
    ]) {
      const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      // Like `| head` that has already exited: the reading end is gone before the first write.
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
      if (args[0] === "list") {
        expect([code, stderr]).toEqual([141, ""]);
      } else {
        // get of a missing task writes to stderr only: stdout never fails.
        expect(code).toBe(3);
      }
    }
  });
});
