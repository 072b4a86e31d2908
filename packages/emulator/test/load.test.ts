// 50 clients creating export tasks and polling them for a while against the
// real binary: every task ends, no request fails, and the figures (request
// latency, tasks, the emulator's memory) are printed. `npm run reliability`
// runs it for 20 s and also holds it to no request over 1 s and flat memory.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { writeDetectionDataset } from "../src/demo.js";
import { startBinary } from "./binary.js";

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 20);
const STRICT = process.env.RELIABILITY_STRICT === "1";
const work = mkdtempSync(join(tmpdir(), "emulator-load-"));
const storage = join(work, "storage");
const children: ChildProcess[] = [];
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  writeDetectionDataset(storage, { count: 40, seed: 2, dir: "/load/set/", manifestName: "set.manifest" });
  ({ child, url } = await startBinary(
    ["--storage", storage, "--port", "0", "--token", "t=p", "--dataset", "p/set=/load/set/set.manifest"],
    children,
  ));
});
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

/** The emulator process's resident memory, in MiB. */
const rssMiB = (): number =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? Number.NaN) / 1024;

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

test(`${CLIENTS} clients creating and polling for ${SECONDS} s: every task ends, no request fails`, async () => {
  const tasks = `${url}/v2/p/datasets/set/export-tasks`;
  const headers = { "x-auth-token": "t", "content-type": "application/json" };
  const latencies: number[] = [];
  const failures: string[] = [];
  const ended = new Map<string, string>();
  const timed = async (method: string, target: string, body?: string): Promise<Record<string, unknown>> => {
    const started = performance.now();
    const response = await fetch(target, { method, headers, ...(body ? { body } : {}) });
    const answer = (await response.json()) as Record<string, unknown>;
    latencies.push(performance.now() - started);
    if (!response.ok) failures.push(`${method} ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(rssMiB()), 250);
  const deadline = Date.now() + SECONDS * 1000;
  let created = 0;
  const client = async (n: number): Promise<void> => {
    while (Date.now() < deadline) {
      const kind = n % 3 === 0 ? { annotation_format: "COCO" } : n % 3 === 1 ? { annotation_format: "VOC" } : {};
      const { task_id: taskId } = await timed(
        "POST",
        tasks,
        JSON.stringify({ ...kind, export_type: 2, path: `/load/out/c${n}/` }),
      );
      if (typeof taskId !== "string") continue;
      created += 1;
      // Bounded polling: each task must end within a minute.
      for (let poll = 0; poll < 1200; poll++) {
        const task = await timed("GET", `${tasks}/${taskId}`);
        if (task.status === "SUCCESSED" || task.status === "FAILED") {
          ended.set(taskId, task.status);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  const warm = rss.slice(Math.floor(rss.length / 4));
  const figures = {
    clients: CLIENTS,
    seconds: SECONDS,
    requests: latencies.length,
    tasks: created,
    succeeded: [...ended.values()].filter((s) => s === "SUCCESSED").length,
    p50_ms: Math.round(percentile(latencies, 50)),
    p99_ms: Math.round(percentile(latencies, 99)),
    max_ms: Math.round(latencies.at(-1) ?? Number.NaN),
    rss_mib_after_first_quarter: Math.round(warm[0] ?? Number.NaN),
    rss_mib_max: Math.round(Math.max(...warm)),
    rss_mib_end: Math.round(rss.at(-1) ?? Number.NaN),
  };
  console.log(`load: ${JSON.stringify(figures)}`);
  expect(failures).toEqual([]);
  expect(created).toBeGreaterThan(CLIENTS);
  expect(ended.size).toBe(created);
  expect(figures.succeeded).toBe(created);
  if (STRICT) {
    expect(figures.max_ms, "no request over 1 s").toBeLessThan(1000);
    expect(figures.rss_mib_end, "memory flat").toBeLessThan(figures.rss_mib_after_first_quarter * 1.25 + 16);
  }
}, 300_000);
