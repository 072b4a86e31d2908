// Export throughput benchmark: generates 10,000 and 100,000-sample detection
// datasets, exports each to COCO and VOC through a real emulator process,
// and prints samples/s, the process's peak RSS and the latency of GET task
// requests made while the export runs. Each process exports twice: the
// first export runs while V8 still compiles the export code ("cold"), the
// second as a long-running emulator does ("warm").
//
//   npm run bench -w @modelarts-export/emulator [-- --sizes 10000,100000 --dir DIR]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeDetectionDataset } from "../dist/demo.js";
import { httpClient, startEmulatorProcess } from "./process.mjs";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,100000" },
    // The folder to work in (a new one inside it); default the system's temporary folder.
    dir: { type: "string", default: tmpdir() },
    keep: { type: "boolean" },
  },
});
const sizes = values.sizes.split(",").map(Number);
const bin = fileURLToPath(new URL("../bin/modelarts-export-emulator.js", import.meta.url));
mkdirSync(values.dir, { recursive: true });
const work = mkdtempSync(join(values.dir, "emulator-bench-"));
const storage = join(work, "storage");

const startEmulator = (size) => startEmulatorProcess(bin, storage, `d${size}`, `/bench/d${size}/d.manifest`);

const peakRssMb = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const client = httpClient();
const { call } = client;

async function exportOnce(url, size, format, run) {
  const base = `${url}/v2/p/datasets/d${size}/export-tasks`;
  const headers = { "x-auth-token": "t", "content-type": "application/json" };
  await call(`${url}/health`); // the connection, opened before the clock starts
  const started = performance.now();
  const { task_id } = await call(base, {
    method: "POST",
    headers,
    body: JSON.stringify({ path: `/bench/out-${size}-${format}-${run}/`, export_type: 2, annotation_format: format }),
  });
  const latencies = [];
  let task = {};
  // Bounded: at most 10 minutes of polling.
  for (const deadline = Date.now() + 600_000; Date.now() < deadline;) {
    const t0 = performance.now();
    task = await call(`${base}/${task_id}`, { headers });
    latencies.push(performance.now() - t0);
    if (task.status === "SUCCESSED" || task.status === "FAILED") break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = (performance.now() - started) / 1000;
  if (task.status !== "SUCCESSED")
    throw new Error(`export ${format} of ${size} ended ${task.status}: ${task.error_msg}`);
  return { rate: task.total_sample_count / seconds, latencies };
}

// How fast this disk creates small files in a new folder beside the output:
// on this machine it varies tenfold from folder to folder, and VOC exports,
// which create a file per sample, follow it.
function diskFilesPerSecond(dir) {
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  for (let i = 0; i < 2000; i++) writeFileSync(join(dir, `${i}.xml`), "<annotation></annotation>\n");
  return Math.round(2000 / ((performance.now() - t0) / 1000));
}

const rows = [];
try {
  // Every dataset first, flushed to disk, so that no export is measured
  // against the generation or the write-back of what it reads.
  for (const size of sizes) {
    const t0 = performance.now();
    writeDetectionDataset(storage, { count: size, seed: size, dir: `/bench/d${size}/`, manifestName: "d.manifest" });
    console.log(`generated ${size} samples in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  execFileSync("sync");
  for (const size of sizes) {
    for (const format of ["COCO", "VOC"]) {
      // A fresh process per dataset and format, so that peak RSS belongs to its two exports.
      const disk = diskFilesPerSecond(join(storage, "bench", `disk-${size}-${format}`));
      const { child, url } = await startEmulator(size);
      const cold = await exportOnce(url, size, format, "cold");
      const warm = await exportOnce(url, size, format, "warm");
      const latencies = [...cold.latencies, ...warm.latencies].sort((a, b) => a - b);
      rows.push({
        samples: size,
        format,
        "cold samples/s": Math.round(cold.rate),
        "warm samples/s": Math.round(warm.rate),
        "peak RSS MB": peakRssMb(child.pid).toFixed(0),
        "GET p50 ms": percentile(latencies, 50).toFixed(1),
        "GET p99 ms": percentile(latencies, 99).toFixed(1),
        GETs: latencies.length,
        "disk files/s": disk,
      });
      child.kill("SIGTERM");
      // Outputs are removed only at the end: for a few minutes after many
      // files are deleted, ext4 looks past each recently deleted inode when
      // it creates a file (perf: find_inode_bit, recently_deleted), and
      // creating small files gets 20 times slower.
    }
  }
  console.table(rows);
  console.log("targets: COCO >= 25000 samples/s, VOC >= 5000 samples/s, peak RSS < 512 MB and flat, GET p99 < 50 ms");
} finally {
  client.close();
  if (!values.keep && existsSync(work)) rmSync(work, { recursive: true, force: true });
}
