// Polls a task until it ends, with backoff, progress callbacks, abort and a
// deadline. An hours-long wait outlives a dropped connection or a few 5xx
// answers: transient failures are retried within a time budget.
import type { ExportTaskStatus } from "@modelarts-export/types";
import {
  ExportTaskFailedError,
  ExportTaskStoppedError,
  ModelArtsApiError,
  ModelArtsNetworkError,
  ModelArtsTimeoutError,
} from "./errors.js";
import { backoffMs, sleep } from "./retry.js";

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
  /** First polling interval (default 1,000 ms), doubled up to `maxIntervalMs` (default 10,000). */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Give up after this long (default: never). */
  timeoutMs?: number;
  /**
   * How long polls may fail in a row with a network error, a timeout, 429 or
   * 5xx (retried with jittered backoff) before the wait rejects with the last
   * error (default 300,000 ms).
   */
  failureBudgetMs?: number;
  /** Polls in a row answering no or an unknown status before the wait rejects (default 30). */
  maxUnknownPolls?: number;
}

interface Getter {
  getExportTask(datasetId: string, taskId: string, init?: { signal?: AbortSignal }): Promise<ExportTaskStatus>;
}

const RUNNING = ["INIT", "RUNNING", "STOPPING"];

const transient = (error: unknown): boolean =>
  error instanceof ModelArtsNetworkError ||
  error instanceof ModelArtsTimeoutError ||
  (error instanceof ModelArtsApiError && (error.status === 429 || error.status >= 500));

export async function waitForExportTask(
  client: Getter,
  datasetId: string,
  taskId: string,
  options: WaitOptions = {},
): Promise<ExportTaskStatus> {
  const { onProgress, signal, intervalMs = 1000, timeoutMs, failureBudgetMs = 300_000, maxUnknownPolls = 30 } = options;
  const maxIntervalMs = Math.max(intervalMs, options.maxIntervalMs ?? 10_000);
  signal?.throwIfAborted();
  // One signal for the whole wait: the caller's abort or the deadline, which
  // also cuts short a poll that hangs, not only the sleeps between polls.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  let last = "";
  let status: string | undefined;
  const timer =
    timeoutMs !== undefined &&
    setTimeout(
      () =>
        stop.abort(
          new ModelArtsTimeoutError(`Export task ${taskId} not finished in ${timeoutMs} ms (${status})`, timeoutMs),
        ),
      timeoutMs,
    );
  let failingSince: number | undefined;
  let failures = 0;
  let unknown = 0;
  try {
    for (let interval = intervalMs; ;) {
      let task: ExportTaskStatus;
      try {
        task = await client.getExportTask(datasetId, taskId, { signal: stop.signal });
      } catch (error) {
        failingSince ??= Date.now();
        if (stop.signal.aborted || !transient(error) || Date.now() - failingSince >= failureBudgetMs) throw error;
        await sleep(backoffMs(failures++, intervalMs, maxIntervalMs), stop.signal);
        continue;
      }
      failingSince = undefined;
      failures = 0;
      const { progress, finished_sample_count, total_sample_count } = task;
      status = task.status;
      const key = JSON.stringify([status, progress, finished_sample_count, total_sample_count]);
      if (key !== last) {
        last = key;
        onProgress?.({ status: task.status, progress, finished_sample_count, total_sample_count, task });
      }
      if (status === "SUCCESSED") return task;
      if (status === "FAILED") throw new ExportTaskFailedError(task);
      if (status === "STOPPED") throw new ExportTaskStoppedError(task);
      if (RUNNING.includes(status as string)) unknown = 0;
      else if (++unknown >= maxUnknownPolls)
        throw new ModelArtsApiError({
          status: 200,
          errorCode: "UnknownStatus",
          errorMsg: `status ${status}, ${unknown} times in a row`,
          requestId: undefined,
          operation: "waitForExportTask",
        });
      await sleep(interval, stop.signal);
      interval = Math.min(maxIntervalMs, interval * 2);
    }
  } finally {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}
