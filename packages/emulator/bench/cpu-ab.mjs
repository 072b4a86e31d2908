// A/B of export CPU time between emulator builds, for changes that must not
// cost more than a given share: on a shared machine wall-clock rates vary
// twofold from run to run, CPU time (user + system, all threads of the
// emulator process, from /proc) far less. Each build runs as its own
// process over one generated dataset; exports alternate between them, the
// order flipped every round, after one warm-up export each.
//
//   node bench/cpu-ab.mjs --variants OLD_DIR,NEW_DIR [--rounds 6 --size 10000 --formats COCO,VOC]
//
// A variant is a folder holding an emulator build's `bin/` and `dist/`
// (`cp -r packages/emulator/{bin,dist,package.json} DIR` of each commit,
// inside a folder whose node_modules reaches the workspace's). Linux only.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { httpClient, startEmulatorProcess } from "./process.mjs";

const { values } = parseArgs({
  options: {
    variants: { type: "string" },
    rounds: { type: "string", default: "6" },
    size: { type: "string", default: "10000" },
    formats: { type: "string", default: "COCO,VOC" },
    dir: { type: "string", default: tmpdir() },
  },
});
if (!values.variants) throw new Error("--variants OLD_DIR,NEW_DIR is required");
const variants = values.variants.split(",").map((dir) => resolve(dir));
const size = Number(values.size);
const formats = values.formats.split(",");
const work = mkdtempSync(join(values.dir, "emulator-cpu-ab-"));
const storage = join(work, "storage");

const { writeDetectionDataset } = await import(pathToFileURL(join(variants[0], "dist", "demo.js")).href);
writeDetectionDataset(storage, { count: size, seed: size, dir: `/bench/d${size}/`, manifestName: "d.manifest" });
execFileSync("sync");

const client = httpClient();
const { call } = client;
// utime and stime of the whole process, in clock ticks (10 ms).
const cpuTicks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
};
const start = (dir) =>
  startEmulatorProcess(join(dir, "bin", "modelarts-export-emulator.js"), storage, "d", `/bench/d${size}/d.manifest`);

const emulators = [];
for (const dir of variants) emulators.push(await start(dir));
let exportNumber = 0;
async function cpuOfExport(index, format) {
  const { child, url } = emulators[index];
  const tasks = `${url}/v2/p/datasets/d/export-tasks`;
  const headers = { "x-auth-token": "t", "content-type": "application/json" };
  const before = cpuTicks(child.pid);
  const path = `/out/${index}-${format}-${exportNumber++}/`;
  const { task_id } = await call(tasks, {
    method: "POST",
    headers,
    body: JSON.stringify({ path, export_type: 2, annotation_format: format }),
  });
  let task = {};
  // Bounded: at most 10 minutes of polling, every 20 ms.
  for (const deadline = Date.now() + 600_000; Date.now() < deadline;) {
    task = await call(`${tasks}/${task_id}`, { headers });
    if (task.status === "SUCCESSED" || task.status === "FAILED") break;
    await new Promise((r) => setTimeout(r, 20));
  }
  if (task.status !== "SUCCESSED") throw new Error(`${format} export ended ${task.status}: ${task.error_msg}`);
  return (cpuTicks(child.pid) - before) * 10;
}

const samples = new Map();
try {
  for (const format of formats) for (let i = 0; i < variants.length; i++) await cpuOfExport(i, format); // warm-up
  for (let round = 0; round < Number(values.rounds); round++)
    for (const format of formats) {
      const order = variants.map((_, i) => i);
      if (round % 2) order.reverse();
      for (const i of order) {
        const key = `${format} ${variants[i]}`;
        samples.set(key, [...(samples.get(key) ?? []), await cpuOfExport(i, format)]);
      }
    }
  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  console.table(
    [...samples].map(([key, list]) => ({ export: key, "median CPU ms": median(list), "all CPU ms": list.join(" ") })),
  );
} finally {
  for (const { child } of emulators) child.kill("SIGTERM");
  client.close();
  if (existsSync(work)) rmSync(work, { recursive: true, force: true });
}
