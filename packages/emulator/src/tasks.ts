// Export tasks: their records (in memory, or one JSON file each under
// --state so they survive restarts) and the worker that runs them one at a
// time, INIT -> RUNNING -> SUCCESSED or FAILED.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { ExportTaskRequest, ExportTaskState, ExportTaskStatus } from "@modelarts-export/types";
import { loadDataset, samplesOf, type Dataset, type Sample } from "./dataset.js";
import { isApiError } from "./errors.js";
import {
  classificationWriter,
  cocoWriter,
  manifestWriter,
  vocWriter,
  type ExportContext,
  type Writer,
} from "./exporters.js";
import type { PixelSize } from "./image-size.js";
import { startFileThreads, type FileThreads, type OutputFiles, type ReadRequest, type ReadResult } from "./threads.js";
import type { VocAnnotation, VocBoxes } from "./voc.js";
import { createSampleFilter, type SampleFilter } from "./select.js";
import { createSplitter } from "./split.js";
import type { Storage } from "./storage.js";

export interface TaskRecord {
  task_id: string;
  project_id: string;
  dataset_id: string;
  request: ExportTaskRequest;
  status: ExportTaskState;
  progress: number;
  finished_sample_count: number;
  total_sample_count: number;
  create_time: number;
  update_time: number;
  error_code?: string;
  error_msg?: string;
  /** Where the output is assembled before it is moved into place. */
  temp_dir?: string;
  /** Id of the dataset an export to NEW_DATASET registered. */
  new_dataset_id?: string;
}

/** A task as the API reports it: the state plus the request's parameters. */
export function toStatus(record: TaskRecord): ExportTaskStatus {
  const { request } = record;
  return {
    task_id: record.task_id,
    status: record.status,
    progress: record.progress,
    finished_sample_count: record.finished_sample_count,
    total_sample_count: record.total_sample_count,
    create_time: record.create_time,
    update_time: record.update_time,
    ...(request.path === undefined ? {} : { path: request.path }),
    ...(request.export_type === undefined ? {} : { export_type: request.export_type }),
    ...(request.export_format === undefined ? {} : { export_format: request.export_format }),
    ...(request.version_format === undefined ? {} : { version_format: request.version_format }),
    ...(request.version_id === undefined ? {} : { version_id: request.version_id }),
    ...(request.export_params === undefined ? {} : { export_params: request.export_params }),
    ...(record.error_code === undefined ? {} : { error_code: record.error_code }),
    ...(record.error_msg === undefined ? {} : { error_msg: record.error_msg }),
  };
}

// ModelArts task ids: 19 letters and digits.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export const newTaskId = (): string => [...randomBytes(19)].map((b) => ALPHABET[b % ALPHABET.length]).join("");

export interface TaskStore {
  save(record: TaskRecord): void;
  /**
   * A progress update: kept in memory at once, written to disk at most every
   * half second per task. A crash turns a running task FAILED whatever its
   * progress, so the exports' hot loop need not write a file every slice.
   */
  saveProgress(record: TaskRecord): void;
  get(taskId: string): TaskRecord | undefined;
  all(): TaskRecord[];
}

const PROGRESS_WRITE_MS = 500;

/** Records in memory, mirrored to `stateDir/tasks/*.json` when given. */
export function createTaskStore(stateDir?: string): TaskStore {
  const records = new Map<string, TaskRecord>();
  const dir = stateDir ? join(stateDir, "tasks") : undefined;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      const record = JSON.parse(readFileSync(join(dir, file), "utf8")) as TaskRecord;
      records.set(record.task_id, record);
    }
  }
  const lastWritten = new Map<string, number>();
  const save = (record: TaskRecord): void => {
    records.set(record.task_id, record);
    if (!dir) return;
    // Write then rename: a crash never leaves half a record.
    const file = join(dir, `${record.task_id}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(record));
    renameSync(`${file}.tmp`, file);
    lastWritten.set(record.task_id, Date.now());
  };
  return {
    save,
    saveProgress(record) {
      if (Date.now() - (lastWritten.get(record.task_id) ?? 0) >= PROGRESS_WRITE_MS) save(record);
      else records.set(record.task_id, record);
    },
    get: (taskId) => records.get(taskId),
    all: () => [...records.values()],
  };
}

export interface DatasetRegistry {
  get(projectId: string, datasetId: string): Dataset | undefined;
  add(dataset: Dataset, manifest?: string): void;
  all(): Dataset[];
}

/**
 * Datasets by project and id. Those that exports create are remembered in
 * `stateDir/datasets.json` (their manifest path), so they survive restarts.
 */
export function createDatasetRegistry(storage: Storage, stateDir?: string): DatasetRegistry {
  const datasets = new Map<string, Dataset>();
  const file = stateDir ? join(stateDir, "datasets.json") : undefined;
  type Saved = { projectId: string; id: string; name: string; manifest: string; type: Dataset["type"] };
  const saved: Saved[] = file && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Saved[]) : [];
  const key = (projectId: string, datasetId: string): string => `${projectId}/${datasetId}`;
  for (const entry of saved) datasets.set(key(entry.projectId, entry.id), loadDataset(entry, storage));
  return {
    get: (projectId, datasetId) => datasets.get(key(projectId, datasetId)),
    add(dataset, manifest) {
      datasets.set(key(dataset.projectId, dataset.id), dataset);
      if (file && manifest) {
        saved.push({ projectId: dataset.projectId, id: dataset.id, name: dataset.name, manifest, type: dataset.type });
        writeFileSync(`${file}.tmp`, JSON.stringify(saved));
        renameSync(`${file}.tmp`, file);
      }
    },
    all: () => [...datasets.values()],
  };
}

/** Marks tasks that were running when the process died as FAILED, and removes their partial output. */
export function recoverInterrupted(store: TaskStore, now = Date.now()): number {
  let count = 0;
  for (const record of store.all()) {
    if (record.status !== "INIT" && record.status !== "RUNNING") continue;
    if (record.temp_dir) rmSync(record.temp_dir, { recursive: true, force: true });
    const { temp_dir: _gone, ...rest } = record;
    store.save({
      ...rest,
      status: "FAILED",
      update_time: now,
      error_code: "ModelArts.0010",
      error_msg: "Internal error: the emulator stopped while this task was running; no output was kept.",
    });
    count += 1;
  }
  return count;
}

export interface Runner {
  enqueue(record: TaskRecord): void;
  /** Resolves when the queue is empty (for shutdown and tests). */
  idle(): Promise<void>;
  /** Stops the threads exports use. */
  close(): Promise<void>;
}

// Exports run on the server's thread in slices of at most ~8 ms, so that
// requests are answered promptly while a large export runs.
const SLICE_MS = 8;
// Samples exported per batch: a few milliseconds of work.
const BATCH_SIZE = 128;
const FIRST_BATCH_SIZE = 16;
// Batches whose annotation files are read ahead of the one being exported:
// more keeps more samples alive across collections, and memory grows.
const BATCHES_READ_AHEAD = 1;
const yieldToServer = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Yields to the server once a slice of work has run; call it after each unit
 * of work. The clock is read every 16 small units, or after each large one.
 */
function slices(): (large?: boolean) => Promise<void> | undefined {
  let sliceStart = performance.now();
  let count = 0;
  return (large) => {
    if ((!large && ++count % 16 !== 0) || performance.now() - sliceStart <= SLICE_MS) return undefined;
    return yieldToServer().then(() => {
      sliceStart = performance.now();
    });
  };
}

/** Runs `each` over `items` (awaiting what it returns), yielding to the server after every slice. */
async function inSlices<T>(
  items: Iterable<T>,
  each: (item: T) => Promise<void> | undefined,
  slice = slices(),
): Promise<void> {
  for (const item of items) {
    const waiting = each(item);
    if (waiting) await waiting;
    const yielding = slice();
    if (yielding) await yielding;
  }
}

/**
 * The second pass of an export: the selected samples, a batch at a time. The
 * annotation files of the next batches are read, and the files of earlier
 * ones written, on the file threads while this batch is turned into text.
 */
async function exportSelected(options: {
  samples: Iterable<Sample>;
  selected: SampleFilter;
  writer: Writer;
  output: OutputFiles;
  threads: FileThreads;
  /** Samples per second at most. */
  rate?: number;
  /** How many samples have all their files written. */
  onProgress(done: number): void;
}): Promise<void> {
  const { selected, writer, output, threads, rate } = options;
  // Paced exports use batches of about 50 ms, so that progress moves smoothly.
  const fullBatch = rate ? Math.max(1, Math.min(BATCH_SIZE, Math.round(rate / 20))) : BATCH_SIZE;
  // The first batches are small, so that the reading and files threads start
  // work at once instead of after a whole batch has been gathered.
  let batchSize = Math.min(FIRST_BATCH_SIZE, fullBatch);
  const started = performance.now();
  const slice = slices();
  let exported = 0;
  let batch: Sample[] = [];
  // Batches whose annotation files are being read, oldest first.
  const reading: { samples: Sample[]; requests: (ReadRequest | undefined)[]; results: Promise<ReadResult[]> }[] = [];
  const requestFor = (sample: Sample): ReadRequest | undefined => {
    if (sample.vocFile) return writer.readsBoxes ? { boxes: sample.vocFile } : { voc: sample.vocFile };
    return writer.readsBoxes || writer.readsImageSizes ? { image: sample.file } : undefined;
  };
  // A batch is a few milliseconds of work: added in one go, then the server gets its turn.
  const addBatch = (samples: Sample[], requests: (ReadRequest | undefined)[], read: ReadResult[]): void => {
    let index = 0;
    for (let position = 0; position < samples.length; position++) {
      const sample = samples[position] as Sample;
      const request = requests[position];
      if (request) {
        const result = read[index++];
        if ("voc" in request) sample.voc = result as VocAnnotation;
        else if ("boxes" in request) sample.boxes = result as VocBoxes;
        else sample.pixelSize = (result as PixelSize | null) ?? undefined;
      }
      writer.add(sample);
      output.sampleDone();
    }
  };
  const exportBatches = async (next: Sample[], keepReading: number): Promise<void> => {
    const requests = next.map(requestFor);
    const results = threads.read(requests.filter((request): request is ReadRequest => request !== undefined));
    results.catch(() => {}); // reported when its batch is exported, unless an earlier one failed
    reading.push({ samples: next, requests, results });
    while (reading.length > keepReading) {
      const current = reading.shift() as (typeof reading)[number];
      addBatch(current.samples, current.requests, await current.results);
      const yielding = slice(true);
      if (yielding) await yielding;
      exported += current.samples.length;
      options.onProgress(await output.settled());
      if (rate) await sleep(started + (exported / rate) * 1000 - performance.now());
    }
  };
  await inSlices(
    options.samples,
    (sample) => {
      if (!selected(sample)) return undefined;
      batch.push(sample);
      if (batch.length < batchSize) return undefined;
      batchSize = Math.min(batchSize * 2, fullBatch);
      const full = batch;
      batch = [];
      return exportBatches(full, BATCHES_READ_AHEAD);
    },
    slice,
  );
  await exportBatches(batch, 0);
}

/** Moves every entry of `from` into `to`, replacing what is there. */
function moveInto(from: string, to: string): void {
  if (!existsSync(to)) {
    mkdirSync(dirname(to), { recursive: true });
    renameSync(from, to);
    return;
  }
  for (const entry of readdirSync(from)) {
    rmSync(join(to, entry), { recursive: true, force: true });
    renameSync(join(from, entry), join(to, entry));
  }
  rmSync(from, { recursive: true, force: true });
}

function writerFor(request: ExportTaskRequest, ctx: ExportContext): Writer {
  if (request.annotation_format === "VOC") return vocWriter(ctx);
  if (request.annotation_format === "COCO") return cocoWriter(ctx);
  if (request.export_format !== undefined) return classificationWriter(ctx);
  return manifestWriter(ctx);
}

export function createRunner(options: {
  store: TaskStore;
  datasets: DatasetRegistry;
  storage: Storage;
  /** Samples per second at most; unlimited without. */
  exportRate?: number;
}): Runner {
  const { store, datasets, storage } = options;
  const queue: TaskRecord[] = [];
  const threads = startFileThreads();
  let running: Promise<void> | undefined;
  const update = (record: TaskRecord, changes: Partial<TaskRecord>): TaskRecord => {
    const next = { ...record, ...changes, update_time: Date.now() };
    store.save(next);
    return next;
  };

  async function run(initial: TaskRecord): Promise<void> {
    let record = initial;
    const { request } = record;
    const params = request.export_params ?? {};
    const toNewDataset = params.export_dest === "NEW_DATASET";
    const finalDir = (toNewDataset ? params.export_new_dataset_work_path : request.path) as string;
    const finalHost = storage.resolve(finalDir);
    const temp = join(dirname(finalHost), `.${basename(finalHost)}.export-${record.task_id}.tmp`);
    record = update(record, { status: "RUNNING", temp_dir: temp });
    let files: OutputFiles | undefined;
    try {
      const dataset = datasets.get(record.project_id, record.dataset_id);
      if (!dataset) throw new Error(`dataset ${record.dataset_id} disappeared`);
      const selected = createSampleFilter(request);
      const splitter = createSplitter({
        ratio: Number(params.train_sample_ratio ?? "1.00"),
        random: params.ratio_sample_usage === true,
        seed: dataset.id,
      });
      // First pass: count the selection and rank it for the split, unless
      // the whole dataset goes out as its manifest says.
      let total = 0;
      if (selected.all && !splitter.ranked) total = dataset.sampleCount;
      else
        await inSlices(samplesOf(dataset, storage), (sample) => {
          if (!selected(sample)) return undefined;
          total += 1;
          splitter.add(sample);
          return undefined;
        });
      record = update(record, { total_sample_count: total });
      const manifestName = `${toNewDataset ? (params.export_new_dataset_name as string) : dataset.name}-${record.task_id}.manifest`;
      rmSync(temp, { recursive: true, force: true });
      mkdirSync(temp, { recursive: true });
      files = threads.output();
      const writer = writerFor(request, {
        dataset,
        storage,
        out: temp,
        finalDir,
        prefix: request.source_type_header ?? "obs://",
        usage: (sample: Sample) => splitter.usageOf(sample),
        clearHard: params.clear_hard_property !== false,
        exportFormat: request.export_format,
        manifestName,
        files,
      });
      await exportSelected({
        samples: samplesOf(dataset, storage),
        selected,
        writer,
        output: files,
        threads,
        ...(options.exportRate ? { rate: options.exportRate } : {}),
        onProgress(done) {
          record = {
            ...record,
            finished_sample_count: done,
            progress: total ? Math.floor((done / total) * 1000) / 10 : 0,
            update_time: Date.now(),
          };
          store.saveProgress(record);
        },
      });
      await files.flush();
      writer.end();
      moveInto(temp, finalHost);
      const changes: Partial<TaskRecord> = {};
      if (toNewDataset) {
        const manifest = `${finalDir}${manifestName}`;
        const created = loadDataset(
          {
            projectId: record.project_id,
            id: record.task_id,
            name: params.export_new_dataset_name as string,
            manifest,
            type: dataset.type,
          },
          storage,
        );
        datasets.add(created, manifest);
        changes.new_dataset_id = created.id;
      }
      const { temp_dir: _done, ...rest } = record;
      store.save({
        ...rest,
        ...changes,
        status: "SUCCESSED",
        progress: 100,
        finished_sample_count: total,
        update_time: Date.now(),
      });
    } catch (error) {
      // Stop writing files before removing the folder they go to.
      await files?.abandon();
      rmSync(temp, { recursive: true, force: true });
      const { temp_dir: _failed, ...rest } = record;
      const [code, message] = isApiError(error)
        ? [error.body.error_code, error.body.error_msg]
        : (error as NodeJS.ErrnoException).code === "ENOENT"
          ? [
              "ModelArts.4312",
              `OBS path does not exist: ${storage.toObsPath((error as NodeJS.ErrnoException).path ?? "")}`,
            ]
          : ["ModelArts.0010", `Internal error: ${(error as Error).message}`];
      store.save({ ...rest, status: "FAILED", update_time: Date.now(), error_code: code, error_msg: message });
    }
  }

  async function drain(): Promise<void> {
    for (let next = queue.shift(); next; next = queue.shift()) await run(next);
    running = undefined;
  }

  return {
    enqueue(record) {
      queue.push(record);
      running ??= drain();
    },
    idle: () => running ?? Promise.resolve(),
    close: () => threads.close(),
  };
}
