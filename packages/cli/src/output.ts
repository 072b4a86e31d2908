// How `wait` and `export` report: a live bar on a terminal, JSON lines
// otherwise (or with --json).
import { SingleBar } from "cli-progress";
import type { ExportProgress, ExportTaskStatus } from "@modelarts-export/client";

export interface Reporter {
  progress(update: ExportProgress): void;
  done(task: ExportTaskStatus): void;
  stop(): void;
}

export function jsonReporter(write: (line: string) => void): Reporter {
  return {
    progress: ({ status, progress, finished_sample_count, total_sample_count, task }) =>
      write(
        JSON.stringify({
          event: "progress",
          task_id: task.task_id,
          status,
          progress,
          finished_sample_count,
          total_sample_count,
        }),
      ),
    done: (task) => write(JSON.stringify({ event: "done", ...task })),
    stop: () => {},
  };
}

/** "1,234/6,000", or "?" for a count the service has not given yet. */
const count = (n: number | undefined): string => (n === undefined ? "?" : n.toLocaleString("en-US"));

/**
 * The bar runs over the task's progress, 0 to 100 %; the sample counts go in
 * a payload key of their own, `samples`, since cli-progress computes `value`
 * and `total` itself from the bar.
 */
export function barReporter(stream: NodeJS.WritableStream): Reporter {
  const bar = new SingleBar({
    stream,
    format: "{bar} {percentage}% | {samples} samples | {duration_formatted} | {state}",
    hideCursor: true,
    clearOnComplete: false,
  });
  let started = false;
  return {
    progress({ status, progress, finished_sample_count, total_sample_count }) {
      const payload = {
        samples: `${count(finished_sample_count)}/${count(total_sample_count)}`,
        state: status ?? "?",
      };
      const value = Math.min(100, Math.max(0, progress ?? 0));
      if (!started) {
        bar.start(100, value, payload);
        started = true;
      } else bar.update(value, payload);
    },
    done() {
      if (started) bar.stop();
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
