// Polls a task until it ends, with backoff, progress callbacks, abort and a
// deadline.
import type { ExportTaskStatus } from "@modelarts-export/types";
import { ExportTaskFailedError, ModelArtsTimeoutError } from "./errors.js";
import { sleep } from "./retry.js";

export interface ExportProgress {
  status: ExportTaskStatus["status"];
  progress: number | undefined;
  finished_sample_count: number | undefined;
  total_sample_count: number | undefined;
  task: ExportTaskStatus;
}

export interface WaitOptions {
  /** Called whenever status, progress or the counts change. */
  onProgress?: (progress: ExportProgress) => void;
  signal?: AbortSignal;
  /** First polling interval (default 1,000 ms), doubled up to `maxIntervalMs`. */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Give up after this long (default: never). */
  timeoutMs?: number;
}

interface Getter {
  getExportTask(datasetId: string, taskId: string, init?: { signal?: AbortSignal }): Promise<ExportTaskStatus>;
}

export async function waitForExportTask(
  client: Getter,
  datasetId: string,
  taskId: string,
  options: WaitOptions = {},
): Promise<ExportTaskStatus> {
  const { onProgress, signal, intervalMs = 1000, timeoutMs } = options;
  const maxIntervalMs = Math.max(intervalMs, options.maxIntervalMs ?? 10_000);
  const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
  let last = "";
  for (let interval = intervalMs; ; interval = Math.min(maxIntervalMs, interval * 2)) {
    signal?.throwIfAborted();
    const task = await client.getExportTask(datasetId, taskId, signal ? { signal } : {});
    const progress: ExportProgress = {
      status: task.status,
      progress: task.progress,
      finished_sample_count: task.finished_sample_count,
      total_sample_count: task.total_sample_count,
      task,
    };
    const key = JSON.stringify([task.status, task.progress, task.finished_sample_count, task.total_sample_count]);
    if (key !== last) {
      last = key;
      onProgress?.(progress);
    }
    if (task.status === "SUCCESSED") return task;
    if (task.status === "FAILED") throw new ExportTaskFailedError(task);
    const remaining = deadline - Date.now();
    if (remaining <= 0)
      throw new ModelArtsTimeoutError(
        `Export task ${taskId} is still ${task.status} after ${timeoutMs} ms`,
        timeoutMs ?? 0,
      );
    await sleep(Math.min(interval, remaining), signal);
  }
}
