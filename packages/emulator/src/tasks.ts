// The worker that runs export tasks one at a time, INIT -> RUNNING ->
// SUCCESSED or FAILED. Their records are kept by task-store.ts.
import { mkdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { ExportTaskRequest } from "@modelarts-export/types";
import { loadDataset, samplesOf, type Dataset, type Sample } from "./dataset.js";
import { apiError, isApiError } from "./errors.js";
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
import { publish } from "./publish.js";
import { createSplitter } from "./split.js";
import { OutsideStorageError, type Storage } from "./storage.js";
import type { DatasetRegistry } from "./dataset-registry.js";
import type { TaskOutcome } from "./faults.js";
import { isFinished, type TaskRecord, type TaskStore } from "./task-store.js";

export interface Runner {
  enqueue(record: TaskRecord): void;
  /** Tasks waiting to run (INIT). */
  queued(): number;
  /** Resolves when the queue is empty (for shutdown and tests). */
  idle(): Promise<void>;
  /** Stops the running export (its output removed) and drops the queue; the runner goes on taking tasks. */
  reset(): Promise<void>;
  /**
   * Stops the running export (FAILED, its output removed), waits for it,
   * and stops the threads; queued tasks stay INIT (with --state they run
   * after a restart). Nothing runs after it.
   */
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
}): Promise<number> {
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
  return exported;
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
  /** The failure the control API asked for on this dataset's next export, if any (taken). */
  takeOutcome?: (projectId: string, datasetId: string) => TaskOutcome | undefined;
  /** Problems that have no task to report them on (a full disk under --state, say). */
  warn?: (message: string) => void;
}): Runner {
  const { store, datasets, storage } = options;
  const warn = options.warn ?? console.warn;
  const queue: TaskRecord[] = [];
  const threads = startFileThreads();
  let running: Promise<void> | undefined;
  let closed = false;
  // Set to stop the running export; `forget` also drops its record (reset).
  let stop: { reason: string; forget: boolean } | undefined;
  const stopped = (): void => {
    if (stop) throw new Error(stop.reason);
  };
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
    const outcome = options.takeOutcome?.(record.project_id, record.dataset_id);
    let temp: string | undefined;
    let files: OutputFiles | undefined;
    try {
      const finalHost = storage.resolve(finalDir);
      temp = join(dirname(finalHost), `.${basename(finalHost)}.export-${record.task_id}.tmp`);
      record = update(record, { status: "RUNNING", temp_dir: temp });
      // An injected failure after K samples: at the end of the batch that reaches K.
      const failIfDue = (done: number): void => {
        if (outcome && done >= outcome.after_samples)
          throw Object.assign(apiError(500, outcome.error_code, outcome.error_msg), {
            finished: outcome.after_samples,
          });
      };
      failIfDue(0);
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
          if (stop) stopped();
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
      const exported = await exportSelected({
        samples: samplesOf(dataset, storage),
        selected,
        writer,
        output: files,
        threads,
        ...(options.exportRate ? { rate: options.exportRate } : {}),
        onProgress(done) {
          stopped();
          failIfDue(done);
          // The total counted at load may be out of date (an edited manifest): never past it, nor 100 before the end.
          total = Math.max(total, done);
          record = {
            ...record,
            finished_sample_count: done,
            total_sample_count: total,
            progress: total ? Math.min(99.9, Math.floor((done / total) * 1000) / 10) : 0,
            update_time: Date.now(),
          };
          store.saveProgress(record);
        },
      });
      await files.flush();
      stopped();
      failIfDue(Number.POSITIVE_INFINITY);
      writer.end();
      const newDataset = toNewDataset
        ? {
            projectId: record.project_id,
            id: record.task_id,
            name: params.export_new_dataset_name as string,
            manifest: `${finalDir}${manifestName}`,
            type: dataset.type,
          }
        : undefined;
      // Said durably before the output moves into place: a restart then knows
      // whether the move had finished (see recovery.ts).
      record = update(record, { publishing: newDataset ? { new_dataset: newDataset } : {} });
      // Checked again: a folder on the way may have become a symbolic link since the task started.
      publish(temp, storage.resolve(finalDir), (path) => storage.toObsPath(path));
      const changes: Partial<TaskRecord> = {};
      if (newDataset) {
        datasets.add(loadDataset(newDataset, storage), newDataset.manifest);
        changes.new_dataset_id = newDataset.id;
      }
      const { temp_dir: _done, publishing: _published, ...rest } = record;
      store.save({
        ...rest,
        ...changes,
        status: "SUCCESSED",
        progress: 100,
        // What this export read and wrote, which an edited manifest may have made differ from the count at load.
        total_sample_count: exported,
        finished_sample_count: exported,
        update_time: Date.now(),
      });
    } catch (error) {
      // Stop writing files before removing the folder they go to.
      await files?.abandon();
      if (temp) removeLeftovers(temp, warn);
      if (stop?.forget) return;
      const { temp_dir: _failed, publishing: _unpublished, ...rest } = record;
      const [code, message] = failureOf(error, storage);
      const finished = (error as { finished?: number }).finished;
      store.save({
        ...rest,
        status: "FAILED",
        update_time: Date.now(),
        error_code: code,
        error_msg: message,
        ...(finished === undefined ? {} : { finished_sample_count: Math.min(finished, rest.total_sample_count) }),
      });
    }
  }

  /** After an error no export expected: warned about, and the task FAILED at least in memory. */
  const failUnfinished = (taskId: string, error: unknown): void => {
    warn(`export task ${taskId}: ${(error as Error).message}`);
    const record = store.get(taskId);
    if (!record || isFinished(record.status) || stop?.forget) return;
    const { temp_dir: _gone, publishing: _unpublished, ...rest } = record;
    const message = `Internal error: ${(error as Error).message}`;
    try {
      store.save({
        ...rest,
        status: "FAILED",
        update_time: Date.now(),
        error_code: "ModelArts.0010",
        error_msg: message,
      });
    } catch {
      // Kept in memory all the same (save updates it first); the disk error was warned about above.
    }
  };

  async function drain(): Promise<void> {
    for (let next = queue.shift(); next && !closed; next = queue.shift()) {
      // A task that cannot even be failed (its record cannot be written) must not stop the others.
      await run(next).catch((error: unknown) => failUnfinished(next?.task_id ?? "", error));
    }
    running = undefined;
  }

  /** Stops the running export and waits until it has cleaned up. */
  const interrupt = async (reason: string, forget: boolean): Promise<void> => {
    stop = { reason, forget };
    await running;
    stop = undefined;
  };

  return {
    enqueue(record) {
      if (closed) return;
      queue.push(record);
      running ??= drain();
    },
    queued: () => queue.length,
    idle: () => running ?? Promise.resolve(),
    async reset() {
      queue.length = 0;
      await interrupt("the emulator was reset while this task ran", true);
    },
    async close() {
      if (closed) return;
      closed = true;
      queue.length = 0;
      await interrupt("the emulator was closed while this task ran; its partial output was removed", false);
      await threads.close();
    },
  };
}

/** Removes a failed export's temporary folder; one already gone (its parent replaced, say) is fine. */
function removeLeftovers(temp: string, warn: (message: string) => void): void {
  try {
    rmSync(temp, { recursive: true, force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOTDIR" && code !== "ENOENT") warn(`could not remove ${temp}: ${(error as Error).message}`);
  }
}

/** The error code and message a failed export reports. */
function failureOf(error: unknown, storage: Storage): [string, string] {
  if (isApiError(error)) return [error.body.error_code, error.body.error_msg];
  const { code, path } = error as NodeJS.ErrnoException;
  if (code === "ENOENT" && path) {
    try {
      return ["ModelArts.4312", `OBS path does not exist: ${storage.toObsPath(path)}`];
    } catch {
      // a path outside storage: reported as it is below
    }
  }
  if (code === "ELOOP" && path) {
    try {
      return [
        "ModelArts.4312",
        `OBS path does not exist: ${storage.toObsPath(path)} is a symbolic link, which the emulator never follows out of its storage`,
      ];
    } catch {
      // a path outside storage: reported as it is below
    }
  }
  if (error instanceof OutsideStorageError) return ["ModelArts.4312", `OBS path does not exist: ${error.message}`];
  if (code === "ENOSPC") return ["ModelArts.4314", `OBS error: no space left to write the export (${path ?? ""})`];
  return ["ModelArts.0010", `Internal error: ${(error as Error).message}`];
}
