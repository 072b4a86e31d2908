// Export task records: in memory, and with --state one JSON file each under
// `state/tasks/`, written durably so that a restart finds every task as it
// was last saved. A record the emulator cannot read is moved aside, not fatal.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ExportTaskRequest, ExportTaskState, ExportTaskStatus } from "@modelarts-export/types";
import type { SavedDataset } from "./dataset-registry.js";
import { removeFileDurably, writeFileDurably } from "./durable-file.js";
import { loadSpec } from "@modelarts-export/openapi/validate";

export interface TaskRecord {
  task_id: string;
  project_id: string;
  dataset_id: string;
  /**
   * The request while the task waits or runs; once it has ended, only the
   * fields GET answers, so that finished tasks do not keep whole bodies.
   */
  request: ExportTaskRequest;
  status: ExportTaskState;
  progress: number;
  finished_sample_count: number;
  total_sample_count: number;
  create_time: number;
  update_time: number;
  /** Creation order: waiting tasks run by it, also after a restart. */
  sequence?: number;
  error_code?: string;
  error_msg?: string;
  /** Where the output is assembled before it is moved into place. */
  temp_dir?: string;
  /** Id of the dataset an export to NEW_DATASET registered. */
  new_dataset_id?: string;
  /** Set while the output moves from `temp_dir` into place, with the dataset it makes, if any. */
  publishing?: { new_dataset?: SavedDataset };
}

/** The request fields a task reports (`ExportTaskStatus`). */
const REPORTED = ["path", "export_type", "export_format", "version_format", "version_id", "export_params"] as const;

export const isFinished = (status: ExportTaskState): boolean => status !== "INIT" && status !== "RUNNING";

/** A task as the API reports it: the state plus the request's parameters. */
export function toStatus(record: TaskRecord): ExportTaskStatus {
  const { request } = record;
  const reported: Partial<ExportTaskStatus> = {};
  for (const key of REPORTED) if (request[key] !== undefined) Object.assign(reported, { [key]: request[key] });
  return {
    task_id: record.task_id,
    status: record.status,
    progress: record.progress,
    finished_sample_count: record.finished_sample_count,
    total_sample_count: record.total_sample_count,
    create_time: record.create_time,
    update_time: record.update_time,
    ...reported,
    ...(record.error_code === undefined ? {} : { error_code: record.error_code }),
    ...(record.error_msg === undefined ? {} : { error_msg: record.error_msg }),
  };
}

/** A finished task keeps only what GET answers of its request. */
function slim(record: TaskRecord): TaskRecord {
  if (!isFinished(record.status)) return record;
  const request: Partial<ExportTaskRequest> = {};
  for (const key of REPORTED)
    if (record.request[key] !== undefined) Object.assign(request, { [key]: record.request[key] });
  return { ...record, request: request as ExportTaskRequest };
}

let requestFields: Set<string> | undefined;
/**
 * The request without fields the spec does not know: a queued task keeps
 * what it needs to run, not whatever else a body of up to 1 MiB carried.
 */
export function knownRequestFields(request: ExportTaskRequest): ExportTaskRequest {
  const known = (requestFields ??= new Set(
    Object.keys((loadSpec().components.schemas.ExportTaskRequest as { properties?: object }).properties ?? {}),
  ));
  return Object.fromEntries(Object.entries(request).filter(([key]) => known.has(key))) as ExportTaskRequest;
}

// ModelArts task ids: 19 letters and digits.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export const newTaskId = (): string => [...randomBytes(19)].map((b) => ALPHABET[b % ALPHABET.length]).join("");

export interface TaskStore {
  save(record: TaskRecord): void;
  /**
   * A progress update: kept in memory at once, written to disk at most every
   * half second per task, without flushing. A crash turns a running task
   * FAILED whatever its progress, so the hot loop need not write every slice.
   */
  saveProgress(record: TaskRecord): void;
  get(taskId: string): TaskRecord | undefined;
  /** Every task, in creation order. */
  all(): TaskRecord[];
  /** The next creation sequence number. */
  nextSequence(): number;
  /** Forgets a task (and removes its file). */
  remove(taskId: string): void;
  /** Forgets every task (and removes their files). */
  clear(): void;
}

const PROGRESS_WRITE_MS = 500;

const isRecord = (value: unknown): value is TaskRecord => {
  const r = value as Partial<TaskRecord> | null;
  return (
    typeof r === "object" &&
    r !== null &&
    typeof r.task_id === "string" &&
    typeof r.project_id === "string" &&
    typeof r.dataset_id === "string" &&
    typeof r.status === "string" &&
    typeof r.create_time === "number" &&
    typeof r.request === "object" &&
    r.request !== null
  );
};

/**
 * Reads the records of `dir`. One that is empty, not JSON or not a task
 * record (a disk filled up, a hand edit) is renamed to `NAME.corrupt`, and
 * `warn` names it; the others load. Temporary files of interrupted writes go.
 */
function loadRecords(dir: string, warn: (message: string) => void): TaskRecord[] {
  const records: TaskRecord[] = [];
  for (const file of readdirSync(dir)) {
    const path = join(dir, file);
    if (file.endsWith(".json.tmp")) {
      rmSync(path, { force: true });
      continue;
    }
    if (!file.endsWith(".json")) continue;
    let record: unknown;
    try {
      record = JSON.parse(readFileSync(path, "utf8"));
    } catch {
      record = undefined;
    }
    if (isRecord(record) && `${record.task_id}.json` === file) {
      records.push(record);
      continue;
    }
    renameSync(path, `${path}.corrupt`);
    warn(`task record ${path} is empty or not a task record; moved to ${path}.corrupt`);
  }
  return records.sort((a, b) => (a.sequence ?? a.create_time) - (b.sequence ?? b.create_time));
}

/** Records in memory, mirrored to `stateDir/tasks/*.json` when given. */
export function createTaskStore(stateDir?: string, warn: (message: string) => void = console.warn): TaskStore {
  const records = new Map<string, TaskRecord>();
  const dir = stateDir ? join(stateDir, "tasks") : undefined;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    for (const record of loadRecords(dir, warn)) records.set(record.task_id, record);
  }
  let sequence = Math.max(0, ...[...records.values()].map((r) => r.sequence ?? 0));
  const lastWritten = new Map<string, number>();
  const write = (record: TaskRecord, durable: boolean): void => {
    if (!dir) return;
    writeFileDurably(join(dir, `${record.task_id}.json`), JSON.stringify(record), durable);
    lastWritten.set(record.task_id, Date.now());
  };
  const remove = (taskId: string): void => {
    records.delete(taskId);
    lastWritten.delete(taskId);
    const file = dir && join(dir, `${taskId}.json`);
    if (file && existsSync(file)) removeFileDurably(file);
  };
  return {
    save(record) {
      const kept = slim(record);
      // Memory first: a task that ends while the disk is full still reads as
      // ended; a restart finds the older record and fails it if it ran.
      records.set(kept.task_id, kept);
      if (isFinished(kept.status)) lastWritten.delete(kept.task_id);
      write(kept, true);
    },
    saveProgress(record) {
      if (Date.now() - (lastWritten.get(record.task_id) ?? 0) >= PROGRESS_WRITE_MS) write(record, false);
      records.set(record.task_id, record);
    },
    get: (taskId) => records.get(taskId),
    all: () => [...records.values()],
    nextSequence: () => ++sequence,
    remove,
    clear() {
      for (const taskId of [...records.keys()]) remove(taskId);
    },
  };
}
