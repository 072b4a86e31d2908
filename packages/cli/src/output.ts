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

export function barReporter(stream: NodeJS.WriteStream): Reporter {
  const bar = new SingleBar({
    stream,
    format: "{bar} {percentage}% | {finished}/{total} samples | {duration_formatted} | {state}",
    hideCursor: true,
    clearOnComplete: false,
  });
  let started = false;
  return {
    progress({ status, progress, finished_sample_count, total_sample_count }) {
      const payload = { finished: finished_sample_count ?? 0, total: total_sample_count ?? 0, state: status ?? "?" };
      if (!started) {
        bar.start(100, progress ?? 0, payload);
        started = true;
      } else bar.update(progress ?? 0, payload);
    },
    done() {
      bar.stop();
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
