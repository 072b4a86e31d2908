// Kills the emulator process in the middle of an export and starts it again
// on the same --state: the task must come back FAILED, with no output that
// looks complete and no temporary files left.
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { writeDetectionDataset } from "../src/demo.js";
import { persistentArgs, startBinary } from "./binary.js";

const work = mkdtempSync(join(tmpdir(), "emulator-restart-"));
const storage = join(work, "storage");
const state = join(work, "state");
const children: ChildProcess[] = [];

const start = (): Promise<{ child: ChildProcess; url: string }> =>
  startBinary([...persistentArgs(storage, state), "--dataset", "p/big=/bench/big/big.manifest"], children);

const get = async (url: string, path: string): Promise<Record<string, unknown>> =>
  (await (await fetch(new URL(path, url), { headers: { "x-auth-token": "t" } })).json()) as Record<string, unknown>;

beforeAll(() => {
  writeDetectionDataset(storage, { count: 8000, seed: 3, dir: "/bench/big/", manifestName: "big.manifest" });
});

afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

test("a task running when the process dies is FAILED after restart, with nothing left behind", async () => {
  const first = await start();
  const created = await fetch(new URL("/v2/p/datasets/big/export-tasks", first.url), {
    method: "POST",
    headers: { "x-auth-token": "t", "content-type": "application/json" },
    body: JSON.stringify({ path: "/bench/out/voc/", export_type: 2, annotation_format: "VOC" }),
  });
  const { task_id: taskId } = (await created.json()) as { task_id: string };
  // Poll (bounded) until the export is under way, then kill -9.
  let task: Record<string, unknown> = {};
  for (let i = 0; i < 500 && !(task.status === "RUNNING" && (task.finished_sample_count as number) > 0); i++) {
    task = await get(first.url, `/v2/p/datasets/big/export-tasks/${taskId}`);
  }
  expect(task.status).toBe("RUNNING");
  expect(task.progress as number).toBeLessThan(100);
  first.child.kill("SIGKILL");
  await new Promise((resolve) => first.child.once("exit", resolve));
  expect(readdirSync(join(storage, "bench", "out")).some((f) => f.includes(".tmp"))).toBe(true); // the crash left partial output

  const second = await start();
  const after = await get(second.url, `/v2/p/datasets/big/export-tasks/${taskId}`);
  expect([after.status, after.error_code]).toEqual(["FAILED", "ModelArts.0010"]);
  expect(existsSync(join(storage, "bench", "out", "voc"))).toBe(false);
  expect(readdirSync(join(storage, "bench", "out")).filter((f) => f.includes(".tmp"))).toEqual([]);
  second.child.kill("SIGTERM");
  await new Promise((resolve) => second.child.once("exit", resolve));
});
