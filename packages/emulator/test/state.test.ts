// The emulator's own state: task records written durably and read back,
// corrupt ones moved aside, one emulator per --state, waiting tasks run
// after a restart, close() and failures that never crash the process.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { ExportTaskRequest, ExportTaskStatus } from "@modelarts-export/types";
import { DEMO } from "../src/demo.js";
import { createTaskStore, type TaskRecord } from "../src/task-store.js";
import { startHarness, TASKS, type Harness } from "./harness.js";

const DET = DEMO.datasets.detection.id;
const CLS = DEMO.datasets.classification.id;
let work: string;
let storage: string;
let state: string;
const open: Harness[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "emulator-state-"));
  storage = join(work, "storage");
  state = join(work, "state");
  unhandled.length = 0;
  process.on("unhandledRejection", onUnhandled);
});
afterEach(async () => {
  for (const h of open.splice(0)) await h.stop();
  process.off("unhandledRejection", onUnhandled);
  expect(unhandled).toEqual([]);
  rmSync(work, { recursive: true, force: true });
});

/** An emulator on this test's storage, with --state unless `inMemory`. */
async function start(
  options: Parameters<typeof startHarness>[0] & { inMemory?: boolean } = {},
): Promise<Harness & { warnings: string[] }> {
  const warnings: string[] = [];
  const { inMemory, ...rest } = options;
  const h = await startHarness({ storage, ...(inMemory ? {} : { state }), warn: (m) => warnings.push(m), ...rest });
  open.push(h);
  return Object.assign(h, { warnings });
}

/** Polls (bounded) until the task is in one of `states`. */
async function until(h: Harness, datasetId: string, taskId: string, test: (t: ExportTaskStatus) => boolean) {
  let task = {} as ExportTaskStatus;
  for (let i = 0; i < 2000; i++) {
    task = (await h.call("GET", `${TASKS(datasetId)}/${taskId}`)).body as ExportTaskStatus;
    if (test(task)) return task;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`task ${taskId} never got there: ${JSON.stringify(task)}`);
}

const VOC = (dir: string): ExportTaskRequest => ({
  path: `/demo-bucket/${dir}/`,
  export_type: 2,
  annotation_format: "VOC",
});

describe("task records", () => {
  test("are written whole and read back after a restart, finished ones slimmed to what GET answers", async () => {
    const first = await start();
    const taskId = await first.create(DET, { ...VOC("slim"), source_type_header: "s3://" });
    const done = await first.wait(DET, taskId);
    expect(done.status).toBe("SUCCESSED");
    await first.stop();
    open.length = 0;
    const file = join(state, "tasks", `${taskId}.json`);
    const onDisk = JSON.parse(readFileSync(file, "utf8")) as TaskRecord;
    // Fields only needed to run the export are gone once it ended.
    expect(onDisk.request).toEqual({ path: "/demo-bucket/slim/", export_type: 2 });
    expect(readdirSync(join(state, "tasks")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const second = await start();
    expect((await second.call("GET", `${TASKS(DET)}/${taskId}`)).body).toEqual(done);
  });

  test("a zero-length or corrupt record is moved aside with a warning naming it, and startup goes on", async () => {
    const tasks = join(state, "tasks");
    mkdirSync(tasks, { recursive: true });
    const good = createTaskStore(state, () => {});
    const record: TaskRecord = {
      task_id: "good",
      project_id: DEMO.projectId,
      dataset_id: DET,
      request: { path: "/demo-bucket/x/" },
      status: "SUCCESSED",
      progress: 100,
      finished_sample_count: 1,
      total_sample_count: 1,
      create_time: 1,
      update_time: 2,
    };
    good.save(record);
    writeFileSync(join(tasks, "empty.json"), "");
    writeFileSync(join(tasks, "half.json"), '{"task_id": "half", "sta');
    writeFileSync(join(tasks, "other.json"), '{"hello": 1}');
    writeFileSync(join(tasks, "good.json.tmp"), "{"); // a write cut short
    const h = await start();
    for (const name of ["empty", "half", "other"]) {
      expect(existsSync(join(tasks, `${name}.json.corrupt`))).toBe(true);
      expect(h.warnings.some((w) => w.includes(join(tasks, `${name}.json`)) && w.includes(".corrupt"))).toBe(true);
    }
    expect(h.warnings).toHaveLength(3);
    expect(existsSync(join(tasks, "good.json.tmp"))).toBe(false);
    expect((await h.call("GET", `${TASKS(DET)}/good`)).body.status).toBe("SUCCESSED");
  });

  test("a corrupt dataset list is moved aside with a warning, and the loaded datasets still answer", async () => {
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, "datasets.json"), "");
    const h = await start();
    expect(h.warnings).toEqual([expect.stringContaining(`${join(state, "datasets.json")}.corrupt`)]);
    expect((await h.call("GET", TASKS(DET))).status).toBe(200);
  });
});

describe("one emulator per --state", () => {
  test("a second emulator on the same --state refuses, naming the lock; after close it starts", async () => {
    const first = await start();
    const lock = join(state, "emulator.lock");
    await expect(start()).rejects.toThrow(lock);
    await first.stop();
    open.length = 0;
    expect(existsSync(lock)).toBe(false);
    await start();
  });

  test("a second emulator process refuses to start and says which lock holds it", async () => {
    await start();
    const bin = new URL("../bin/modelarts-export-emulator.js", import.meta.url).pathname;
    const result = spawnSync(process.execPath, [bin, "--storage", storage, "--state", state, "--port", "0"], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(join(state, "emulator.lock"));
    expect(result.stderr).toContain(`process ${process.pid}`);
    expect(result.stderr).not.toContain("    at "); // a message, not a stack
  });

  test("a lock left by a process that is gone is taken over", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, "emulator.lock"), dead.stdout);
    await start();
    expect(readFileSync(join(state, "emulator.lock"), "utf8")).toBe(String(process.pid));
  });
});

describe("restart", () => {
  test("tasks that were RUNNING fail, with their partial output removed; INIT tasks run in creation order", async () => {
    const store = createTaskStore(state, () => {});
    const partial = join(storage, "demo-bucket", ".run.export-running.tmp");
    mkdirSync(partial, { recursive: true });
    writeFileSync(join(partial, "half.xml"), "<annotation>");
    const base = {
      project_id: DEMO.projectId,
      dataset_id: CLS,
      progress: 0,
      finished_sample_count: 0,
      total_sample_count: 0,
      create_time: 1000,
      update_time: 1000,
    };
    store.save({ ...base, task_id: "running", status: "RUNNING", request: VOC("run"), temp_dir: partial, sequence: 1 });
    // Saved out of order, same creation time: the sequence decides.
    for (const n of [5, 3, 4, 2])
      store.save({
        ...base,
        task_id: `wait${n}`,
        status: "INIT",
        request: { path: `/demo-bucket/w${n}/` },
        sequence: n,
      });
    const h = await start();
    expect([h.emulator.recovered, h.emulator.requeued]).toEqual([1, 4]);
    const failed = (await h.call("GET", `${TASKS(CLS)}/running`)).body;
    expect([failed.status, failed.error_code]).toEqual(["FAILED", "ModelArts.0010"]);
    expect(existsSync(partial)).toBe(false);
    await h.emulator.idle();
    const finished: [number, string][] = [];
    for (const n of [2, 3, 4, 5]) {
      const task = (await h.call("GET", `${TASKS(CLS)}/wait${n}`)).body as ExportTaskStatus;
      expect(task.status).toBe("SUCCESSED");
      finished.push([task.update_time as number, `wait${n}`]);
    }
    expect([...finished].sort((a, b) => a[0] - b[0]).map(([, id]) => id)).toEqual(["wait2", "wait3", "wait4", "wait5"]);
  });
});

test("a task killed while moving its output into place: SUCCESSED if the move had finished, else FAILED saying so", async () => {
  const store = createTaskStore(state, () => {});
  const base = {
    project_id: DEMO.projectId,
    dataset_id: CLS,
    status: "RUNNING" as const,
    progress: 90,
    finished_sample_count: 150,
    total_sample_count: 150,
    create_time: 1000,
    update_time: 1000,
    publishing: {},
  };
  // Moved: its temporary folder is gone. Not moved: the folder still holds files.
  const moved = join(storage, "demo-bucket", ".moved.export-moved.tmp");
  const halfway = join(storage, "demo-bucket", ".half.export-half.tmp");
  mkdirSync(halfway, { recursive: true });
  writeFileSync(join(halfway, "left.txt"), "");
  store.save({ ...base, task_id: "moved", request: { path: "/demo-bucket/moved/" }, temp_dir: moved, sequence: 1 });
  store.save({ ...base, task_id: "half", request: { path: "/demo-bucket/half/" }, temp_dir: halfway, sequence: 2 });
  const h = await start();
  const done = (await h.call("GET", `${TASKS(CLS)}/moved`)).body;
  expect([done.status, done.progress, done.finished_sample_count]).toEqual(["SUCCESSED", 100, 150]);
  const half = (await h.call("GET", `${TASKS(CLS)}/half`)).body;
  expect([half.status, half.error_code]).toEqual(["FAILED", "ModelArts.0010"]);
  expect(half.error_msg).toMatch(/moved its output into place; some of its files may be in the target/);
  expect(existsSync(halfway)).toBe(false);
  expect(h.emulator.recovered).toBe(1);
});

describe("close", () => {
  test("stops the running export (FAILED, partial output removed) and waits; nothing runs after it", async () => {
    const h = await start({ exportRate: 100 });
    const running = await h.create(DET, VOC("closing"));
    const waiting = await h.create(DET, VOC("waiting"));
    await until(h, DET, running, (t) => (t.finished_sample_count ?? 0) > 0);
    await h.emulator.close();
    open.length = 0;
    const bucket = join(storage, "demo-bucket");
    const after = readdirSync(bucket).sort();
    expect(after.filter((f) => f.includes("closing") || f.includes("waiting"))).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readdirSync(bucket).sort()).toEqual(after);
    const records = Object.fromEntries(
      [running, waiting].map((id) => [
        id,
        JSON.parse(readFileSync(join(state, "tasks", `${id}.json`), "utf8")) as TaskRecord,
      ]),
    );
    expect(records[running]?.status).toBe("FAILED");
    expect(records[running]?.error_msg).toMatch(/closed while this task ran/);
    // The waiting one stays INIT, and runs after a restart.
    expect(records[waiting]?.status).toBe("INIT");
    const again = await start();
    await again.emulator.idle();
    expect((await again.call("GET", `${TASKS(DET)}/${waiting}`)).body.status).toBe("SUCCESSED");
  });
});

describe("bounded queue", () => {
  test("past --max-queued waiting tasks, create answers 429 ModelArts.4395 with Retry-After", async () => {
    const h = await start({ inMemory: true, maxQueued: 2, exportRate: 50 });
    const first = await h.create(DET, VOC("q1"));
    await until(h, DET, first, (t) => t.status === "RUNNING");
    await h.create(DET, VOC("q2"));
    await h.create(DET, VOC("q3"));
    const refused = await h.call("POST", TASKS(DET), { body: VOC("q4") });
    expect([refused.status, refused.body.error_code]).toEqual([429, "ModelArts.4395"]);
    expect(refused.body.error_msg).toMatch(/2 export tasks are already waiting/);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await h.call("GET", TASKS(DET))).body.total_count).toBe(3);
  });
});

describe("failures never crash the process", () => {
  test("a --state that cannot be written: create answers 500 in the API's shape, a running task still ends FAILED", async () => {
    const h = await start({ exportRate: 200 });
    const taskId = await h.create(DET, VOC("nostate"));
    await until(h, DET, taskId, (t) => (t.finished_sample_count ?? 0) > 0);
    // A file where the records' folder should be: every write fails, as on a full disk.
    rmSync(join(state, "tasks"), { recursive: true });
    writeFileSync(join(state, "tasks"), "");
    const refused = await h.call("POST", TASKS(DET), { body: VOC("other") });
    expect([refused.status, refused.body.error_code]).toEqual([500, "ModelArts.0010"]);
    expect(refused.body.error_msg).toMatch(/could not be recorded/);
    const failed = await until(h, DET, taskId, (t) => t.status !== "RUNNING");
    expect(failed.status).toBe("FAILED");
    expect(failed.error_msg).toMatch(/ENOTDIR|not a directory/);
    await h.emulator.idle();
    expect(h.warnings.some((w) => w.includes(taskId))).toBe(true);
    expect(readdirSync(join(storage, "demo-bucket")).filter((f) => f.includes("nostate"))).toEqual([]);
    // Writable again: the emulator goes on.
    rmSync(join(state, "tasks"));
    mkdirSync(join(state, "tasks"));
    expect((await h.wait(DET, await h.create(DET, VOC("again")))).status).toBe("SUCCESSED");
  });

  test("a destination that turns into a file or a symlink mid-export fails the task with a clear message", async () => {
    const h = await start({ inMemory: true, exportRate: 200 });
    const outside = join(work, "outside");
    mkdirSync(outside);
    for (const [name, replace] of [
      ["as-file", (dir: string) => writeFileSync(dir, "")],
      ["as-link", (dir: string) => symlinkSync(outside, dir)],
    ] as const) {
      mkdirSync(join(storage, "demo-bucket", name), { recursive: true });
      const taskId = await h.create(DET, { ...VOC(`${name}/out`) });
      await until(h, DET, taskId, (t) => (t.finished_sample_count ?? 0) > 0);
      // Renamed away in one step: the files thread may be writing into it.
      renameSync(join(storage, "demo-bucket", name), join(work, `${name}-was`));
      replace(join(storage, "demo-bucket", name));
      const task = await until(h, DET, taskId, (t) => t.status !== "RUNNING");
      expect([task.status, task.error_code]).toEqual(["FAILED", expect.stringMatching(/^ModelArts\./)]);
      expect(task.error_msg?.length).toBeGreaterThan(10);
    }
    expect(readdirSync(outside)).toEqual([]);
    expect((await h.call("GET", "/health")).status).toBe(200);
  });
});
