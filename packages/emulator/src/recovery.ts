// What a restart with --state does with the tasks the last process left:
// a task that was RUNNING had its output half made, so it is FAILED and the
// partial output removed; a task still waiting (INIT) never started, so it
// runs, in the order it was created.
import { rmSync } from "node:fs";
import type { TaskRecord, TaskStore } from "./task-store.js";

export interface Recovery {
  /** Tasks that were running, now FAILED. */
  failed: number;
  /** Tasks still waiting, in creation order, to enqueue again. */
  waiting: TaskRecord[];
}

export function recoverTasks(store: TaskStore, now = Date.now()): Recovery {
  let failed = 0;
  const waiting: TaskRecord[] = [];
  for (const record of store.all()) {
    if (record.status === "INIT") waiting.push(record);
    if (record.status !== "RUNNING") continue;
    if (record.temp_dir) rmSync(record.temp_dir, { recursive: true, force: true });
    const { temp_dir: _gone, ...rest } = record;
    store.save({
      ...rest,
      status: "FAILED",
      update_time: now,
      error_code: "ModelArts.0010",
      error_msg: "Internal error: the emulator stopped while this task was running; its partial output was removed.",
    });
    failed += 1;
  }
  // store.all() is in creation order already; tasks from before sequences existed sort by time.
  return { failed, waiting };
}
