// What a restart with --state does with the tasks the last process left:
// a task that was RUNNING had its output half made, so it is FAILED and the
// partial output removed, unless it died after its output was all in place
// (then it is SUCCESSED, as it was about to be); a task still waiting (INIT)
// never started, so it runs, in the order it was created.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadDataset } from "./dataset.js";
import type { DatasetRegistry } from "./dataset-registry.js";
import type { Storage } from "./storage.js";
import type { TaskRecord, TaskStore } from "./task-store.js";

export interface Recovery {
  /** Tasks that were running, now FAILED. */
  failed: number;
  /** Tasks still waiting, in creation order, to enqueue again. */
  waiting: TaskRecord[];
}

/** Whether `dir` holds a file at any depth (publishing leaves the folders it entered, empty, until it ends). */
const holdsFiles = (dir: string): boolean =>
  readdirSync(dir, { withFileTypes: true }).some((entry) => !entry.isDirectory() || holdsFiles(join(dir, entry.name)));

/** Whether a task died after moving all of its output into place: no file is left in its temporary folder. */
const published = (record: TaskRecord): boolean =>
  record.publishing !== undefined && !(record.temp_dir && existsSync(record.temp_dir) && holdsFiles(record.temp_dir));

export function recoverTasks(
  store: TaskStore,
  datasets: DatasetRegistry,
  storage: Storage,
  now = Date.now(),
): Recovery {
  let failed = 0;
  const waiting: TaskRecord[] = [];
  for (const record of store.all()) {
    if (record.status === "INIT") waiting.push(record);
    if (record.status !== "RUNNING") continue;
    const { temp_dir: _gone, publishing, ...rest } = record;
    if (published(record)) {
      if (record.temp_dir) rmSync(record.temp_dir, { recursive: true, force: true });
      const made = publishing?.new_dataset;
      if (made && !datasets.get(made.projectId, made.id)) {
        try {
          datasets.add(loadDataset(made, storage), made.manifest);
        } catch (error) {
          const message = `Internal error: the dataset this task made does not load: ${(error as Error).message}`;
          store.save({ ...rest, status: "FAILED", update_time: now, error_code: "ModelArts.0010", error_msg: message });
          failed += 1;
          continue;
        }
      }
      store.save({
        ...rest,
        ...(made ? { new_dataset_id: made.id } : {}),
        status: "SUCCESSED",
        progress: 100,
        finished_sample_count: record.total_sample_count,
        update_time: now,
      });
      continue;
    }
    if (record.temp_dir) rmSync(record.temp_dir, { recursive: true, force: true });
    store.save({
      ...rest,
      status: "FAILED",
      update_time: now,
      error_code: "ModelArts.0010",
      error_msg: publishing
        ? "Internal error: the emulator stopped while this task moved its output into place; some of its files may be in the target."
        : "Internal error: the emulator stopped while this task was running; its partial output was removed.",
    });
    failed += 1;
  }
  // store.all() is in creation order already; tasks from before sequences existed sort by time.
  return { failed, waiting };
}
