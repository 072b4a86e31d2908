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
  signal?.throwIfAborted();
  // One signal for the whole wait: the caller's abort or the deadline, which
  // also cuts short a poll that hangs, not only the sleeps between polls.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  let last = "";
  let status: ExportTaskStatus["status"];
  const timer =
    timeoutMs !== undefined &&
    setTimeout(
      () =>
        stop.abort(
          new ModelArtsTimeoutError(
            `Export task ${taskId} is not finished after ${timeoutMs} ms (${status ?? "no answer"})`,
            timeoutMs,
          ),
        ),
      timeoutMs,
    );
  try {
    for (let interval = intervalMs; ; interval = Math.min(maxIntervalMs, interval * 2)) {
      const task = await client.getExportTask(datasetId, taskId, { signal: stop.signal });
      const { progress, finished_sample_count, total_sample_count } = task;
      status = task.status;
      const key = JSON.stringify([status, progress, finished_sample_count, total_sample_count]);
      if (key !== last) {
        last = key;
        onProgress?.({ status, progress, finished_sample_count, total_sample_count, task });
      }
      if (status === "SUCCESSED") return task;
      if (status === "FAILED") throw new ExportTaskFailedError(task);
      await sleep(interval, stop.signal);
    }
  } finally {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}
