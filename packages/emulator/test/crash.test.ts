// kill -9 at seeded random points of exports, then a restart on the same
// --state, again and again: after each restart no task is RUNNING, every
// SUCCESSED task has its whole output, and nothing is left outside the
// tasks' targets (no temporary folders once recovery is done).
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { ExportTaskStatus } from "@modelarts-export/types";
import { seeded, writeDetectionDataset } from "../src/demo.js";
import { persistentArgs, startBinary } from "./binary.js";

const POINTS = Number(process.env.CRASH_POINTS ?? 20);
const SEED = Number(process.env.CRASH_SEED ?? 7);
const SAMPLES = 1000;
const work = mkdtempSync(join(tmpdir(), "emulator-crash-"));
const storage = join(work, "storage");
const state = join(work, "state");
const children: ChildProcess[] = [];

beforeAll(() => {
  writeDetectionDataset(storage, { count: SAMPLES, seed: 5, dir: "/data/set/", manifestName: "set.manifest" });
  mkdirSync(join(storage, "out")); // the bucket the exports go to
});
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

const start = (): Promise<{ child: ChildProcess; url: string }> =>
  startBinary(
    [
      ...persistentArgs(storage, state),
      "--dataset",
      "p/set=/data/set/set.manifest",
      // About 0.5 s per export, so that kills land in running exports on a fast machine too.
      "--export-rate",
      "2000",
    ],
    children,
  );

const TASKS = "/v2/p/datasets/set/export-tasks";
const headers = { "x-auth-token": "t", "content-type": "application/json" };
async function allTasks(url: string): Promise<ExportTaskStatus[]> {
  const tasks: ExportTaskStatus[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = (await (await fetch(`${url}${TASKS}?limit=100&offset=${offset}`, { headers })).json()) as {
      total_count: number;
      export_tasks: ExportTaskStatus[];
    };
    tasks.push(...page.export_tasks);
    if (tasks.length >= page.total_count || page.export_tasks.length === 0) return tasks;
  }
}

const KINDS = [
  { export_type: 2, annotation_format: "COCO" },
  { export_type: 2 }, // manifest
  { export_type: 2, annotation_format: "VOC" },
] as const;

/** Whether a SUCCESSED task's output is all there, by the counts its own files give. */
function complete(task: ExportTaskStatus): void {
  const dir = join(storage, ...(task.path as string).split("/").filter(Boolean));
  const total = task.total_sample_count as number;
  expect(total, task.task_id).toBe(SAMPLES);
  const names = readdirSync(dir);
  if (names.includes("annotations")) {
    // One file per split: together they list every sample.
    const images = readdirSync(join(dir, "annotations"))
      .filter((f) => f.endsWith(".json"))
      .flatMap(
        (f) =>
          (JSON.parse(readFileSync(join(dir, "annotations", f), "utf8")) as { images: { file_name: string }[] }).images,
      );
    expect(images.length, task.task_id).toBe(total);
    for (const image of images) expect(existsSync(join(dir, "images", image.file_name))).toBe(true);
  } else if (names.includes("JPEGImages")) {
    expect(readdirSync(join(dir, "JPEGImages")).length, task.task_id).toBe(total);
  } else {
    const manifest = names.find((f) => f.endsWith(".manifest")) as string;
    const lines = readFileSync(join(dir, manifest), "utf8").trim().split("\n");
    expect(lines.length, task.task_id).toBe(total);
    for (const line of lines) {
      const source = (JSON.parse(line) as { source: string }).source.replace(/^obs:\/\//, "");
      expect(existsSync(join(storage, ...source.split("/"))), source).toBe(true);
    }
  }
}

/**
 * Nothing in storage but the dataset and the targets of SUCCESSED tasks (and
 * of tasks killed while moving their output into place, which say so); no
 * temporary folders.
 */
function noStrays(tasks: ExportTaskStatus[]): void {
  const targets = new Set(
    tasks
      .filter((t) => t.status === "SUCCESSED" || /moved its output into place/.test(t.error_msg ?? ""))
      .map((t) => (t.path as string).split("/").filter(Boolean)[1]),
  );
  expect(readdirSync(storage).filter((name) => name !== "data" && name !== "out")).toEqual([]);
  expect(readdirSync(join(storage, "out")).filter((name) => !targets.has(name))).toEqual([]);
}

test(`kill -9 at ${POINTS} seeded points of exports; every restart is consistent`, async () => {
  const random = seeded(SEED);
  let next = 0;
  let emulator = await start();
  let killedRunning = 0;
  for (let point = 0; point <= POINTS; point++) {
    // After the restart: no RUNNING left, SUCCESSED complete, no stray files.
    const tasks = await allTasks(emulator.url);
    for (const task of tasks.filter((t) => t.status === "SUCCESSED")) complete(task);
    if (point === POINTS) break;
    // New tasks, each to a target of its own, then a kill at a random moment.
    for (let n = 1 + Math.floor(random() * 2); n > 0; n--) {
      const kind = KINDS[next % KINDS.length];
      const reply = await fetch(`${emulator.url}${TASKS}`, {
        method: "POST",
        headers,
        body: JSON.stringify({ ...kind, path: `/out/t${next++}/` }),
      });
      expect(reply.status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, random() * 1500));
    const before = await allTasks(emulator.url);
    killedRunning += before.filter((t) => t.status === "RUNNING").length;
    emulator.child.kill("SIGKILL");
    await new Promise((resolve) => emulator.child.once("exit", resolve));
    emulator = await start();
    // Right after a restart, nothing is RUNNING that the last process left.
    const restarted = await allTasks(emulator.url);
    // A task running when killed is FAILED now (or SUCCESSED, if it ended between the look and the kill).
    for (const task of restarted) {
      const was = before.find((t) => t.task_id === task.task_id);
      if (was?.status === "RUNNING") expect(["FAILED", "SUCCESSED"], task.task_id).toContain(task.status);
    }
  }
  // Let the last restart finish what waits, then check everything once more.
  for (let i = 0; i < 600; i++) {
    const tasks = await allTasks(emulator.url);
    if (tasks.every((t) => t.status === "SUCCESSED" || t.status === "FAILED")) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const tasks = await allTasks(emulator.url);
  expect(tasks.filter((t) => t.status === "INIT" || t.status === "RUNNING")).toEqual([]);
  for (const task of tasks.filter((t) => t.status === "SUCCESSED")) complete(task);
  // FAILED tasks left nothing (each task has a target of its own), and no temporary folder is left.
  noStrays(tasks);
  console.log(
    `crash: ${POINTS} kills, ${tasks.length} tasks, ${killedRunning} killed while RUNNING, ${tasks.filter((t) => t.status === "SUCCESSED").length} SUCCESSED, ${tasks.filter((t) => t.status === "FAILED").length} FAILED`,
  );
  expect(killedRunning).toBeGreaterThan(0);
  emulator.child.kill("SIGTERM");
  await new Promise((resolve) => emulator.child.once("exit", resolve));
}, 900_000);
