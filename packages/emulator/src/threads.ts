// Work that runs on threads of their own, beside the export loop on the
// server's thread: writing the export's files and placing its images, and
// reading annotation files ahead of it. Each thread makes plain synchronous
// calls in batches: here a file system call costs tens of microseconds, and
// libuv's pool adds a round trip per call and contends for folder locks.
import { Worker } from "node:worker_threads";
import { IMAGE_HEAD_BYTES, PIXEL_SIZE_SOURCE, type PixelSize } from "./image-size.js";
import { PARSE_VOC_SOURCE, type VocAnnotation, type VocBoxes } from "./voc.js";

interface Failure {
  message: string;
  code?: string;
  path?: string;
}

/**
 * A worker from `source`, which answers each `{ id, batch }` with
 * `{ id, result?, error?, ms? }` in order (`ms`: how long the batch took it).
 */
export function batchWorker(source: string): {
  run(batch: string): Promise<string>;
  /** Whether the thread has died (its batches, and every later one, fail). */
  dead(): boolean;
  /** Batches handed over and not yet answered. */
  pending(): number;
  /** How long the last answered batch took the thread, in milliseconds, if it said. */
  lastBatchMs(): number;
  close(): Promise<void>;
} {
  // Batches are small: a small young generation keeps each thread's memory small too.
  const worker = new Worker(source, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  worker.unref();
  const waiting = new Map<number, { resolve: (result: string) => void; reject: (error: Error) => void }>();
  let failure: Error | undefined;
  let nextId = 0;
  let lastMs = 0;
  worker.on("message", ({ id, result, error, ms }: { id: number; result?: string; error?: Failure; ms?: number }) => {
    lastMs = ms ?? 0;
    const call = waiting.get(id);
    waiting.delete(id);
    if (error) call?.reject(Object.assign(new Error(error.message), { code: error.code, path: error.path }));
    else call?.resolve(result ?? "");
  });
  const fail = (error: Error): void => {
    failure ??= error;
    for (const call of waiting.values()) call.reject(failure);
    waiting.clear();
  };
  worker.on("error", fail);
  worker.on("exit", () => fail(new Error("the file thread stopped")));
  return {
    run(batch) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      const result = new Promise<string>((resolve, reject) => waiting.set(id, { resolve, reject }));
      result.catch(() => {}); // reported when awaited
      worker.postMessage({ id, batch });
      return result;
    },
    dead: () => failure !== undefined,
    pending: () => waiting.size,
    lastBatchMs: () => lastMs,
    close: () => worker.terminate().then(() => undefined),
  };
}

// Batches are one string, fields joined by NUL: far cheaper to post than
// arrays of strings. Storage refuses NUL in paths; texts written have any
// NUL replaced by U+FFFD, so that fields never shift.
const WORKER_PRELUDE = `
const { parentPort } = require("node:worker_threads");
const fs = require("node:fs");
const failure = (e) => ({ message: e.message, code: e.code, path: e.path });
// Files are opened without following a symbolic link as their last part,
// which could lead outside the storage (the export loop checks the folders).
const openNoFollow = (path) => {
  try {
    return fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (e) {
    if (e.code === "ELOOP") e.message = \`\${path} is a symbolic link\`;
    throw e;
  }
};
`;

export interface OutputFiles {
  /** Puts an image into the export: a hard link, or a copy where links are refused. */
  link(from: string, to: string): void;
  /** Writes a file of the export (its folder exists). */
  write(file: string, text: string): void;
  /**
   * Hands the files asked for since the last call to the files thread, and
   * waits only while more than a few such batches are still in progress, so
   * that files are written while the caller prepares the next ones. Returns
   * how many samples' files are done (`sampleDone` counts them).
   */
  settled(): Promise<number>;
  /** Marks the end of one sample's files, for `settled`'s count. */
  sampleDone(): void;
  /** Waits for every file. */
  flush(): Promise<number>;
  /** After a failure: waits until nothing more is written for this export. */
  abandon(): Promise<void>;
}

// Runs "L\0from\0to" (link, or copy where links are refused) and
// "W\0file\0text" (write) operations, all joined by NUL, in order.
const FILES_SOURCE = `${WORKER_PRELUDE}
parentPort.on("message", ({ id, batch }) => {
  const parts = batch === "" ? [] : batch.split("\\0");
  let error;
  for (let i = 0; i < parts.length && !error; i += 3) {
    try {
      if (parts[i] === "W") fs.writeFileSync(parts[i + 1], parts[i + 2]);
      else {
        let linked = false;
        try {
          fs.linkSync(parts[i + 1], parts[i + 2]);
          linked = true;
        } catch (e) {
          if (e.code === "ENOENT" || e.code === "EEXIST") throw e;
          const fd = openNoFollow(parts[i + 1]);
          try {
            fs.writeFileSync(parts[i + 2], fs.readFileSync(fd));
          } finally {
            fs.closeSync(fd);
          }
        }
        // link() does not follow a symbolic link: it links the link itself,
        // which is then the one thing to look at.
        if (linked && fs.lstatSync(parts[i + 2]).isSymbolicLink()) {
          fs.unlinkSync(parts[i + 2]);
          throw Object.assign(new Error(\`\${parts[i + 1]} is a symbolic link\`), { code: "ELOOP", path: parts[i + 1] });
        }
      }
    } catch (e) {
      error = failure(e);
    }
  }
  parentPort.postMessage({ id, error });
});
`;

// Reads "Vpath\0Bpath\0Spath..." and answers a JSON array: for V the PASCAL
// VOC file parsed, for B only its boxes (vocBoxes), for S the image's pixel
// size (null if its header does not say). Parsing here leaves the export
// loop a JSON.parse per batch.
const READER_SOURCE = `${WORKER_PRELUDE}
${PARSE_VOC_SOURCE}
${PIXEL_SIZE_SOURCE}
// One buffer for every read: annotation files and image headers are small.
const buffer = Buffer.allocUnsafe(${IMAGE_HEAD_BYTES});
// The first bytes of a file, or all of it when \`whole\` and it is longer.
const readStart = (path, whole) => {
  const fd = openNoFollow(path);
  try {
    const start = buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0));
    return whole && start.length === buffer.length ? fs.readFileSync(fd) : start;
  } finally {
    fs.closeSync(fd);
  }
};
const readOne = (field) => {
  const path = field.slice(1);
  if (field[0] === "S") return pixelSize(readStart(path, false)) ?? null;
  const text = readStart(path, true).toString("utf8");
  const annotation = parseVoc(text, path);
  return field[0] === "B" ? vocBoxes(annotation) : annotation;
};
parentPort.on("message", ({ id, batch }) => {
  const started = performance.now();
  try {
    const result = JSON.stringify(batch === "" ? [] : batch.split("\\0").map(readOne));
    parentPort.postMessage({ id, result, ms: performance.now() - started });
  } catch (e) {
    parentPort.postMessage({ id, error: failure(e) });
  }
});
`;

// Reading threads. Batches go to the first, unless its reads wait on the
// disk (a cold page cache): then two reads at a time are 15 % faster. With
// the files cached, the second thread would only spend time compiling its
// own copy of the parser, which on two cores slows exports down.
const READERS = 2;
// Measured here: a cached annotation file is read and parsed in 10-40 µs, an
// uncached one in about 100 µs. Two slow batches in a row mean the disk.
const DISK_WAIT_MS_PER_FILE = 0.08;

// Batches in flight before the export loop waits for the oldest.
const BATCHES_AHEAD = 4;

/** A PASCAL VOC file to parse (whole, or only its boxes), or an image whose pixel size is wanted. */
export type ReadRequest = { voc: string } | { boxes: string } | { image: string };
export type ReadResult = VocAnnotation | VocBoxes | PixelSize | null;

export interface FileThreads {
  /** The files of one export, written on the files thread. */
  output(): OutputFiles;
  /** Reads and parses files on a reading thread: each result in the order asked. */
  read(requests: ReadRequest[]): Promise<ReadResult[]>;
  close(): Promise<void>;
}

/** A path as a batch field; storage never makes one with NUL, but a field must not split. */
const field = (path: string): string => {
  if (path.includes("\0")) throw new Error(`a path holds a NUL character: ${JSON.stringify(path)}`);
  return path;
};

const requestField = (r: ReadRequest): string =>
  "voc" in r ? `V${field(r.voc)}` : "boxes" in r ? `B${field(r.boxes)}` : `S${field(r.image)}`;

type BatchWorker = ReturnType<typeof batchWorker>;

/**
 * A thread that is started again when it has died (an out-of-memory error,
 * a crash): the batches it had fail, and so does their export, but the next
 * export gets a new thread instead of one that fails every batch.
 */
export function replacedWhenDead(start: () => BatchWorker): () => BatchWorker {
  let current = start();
  return () => {
    if (current.dead()) current = start();
    return current;
  };
}

/**
 * Starts the threads that exports share: one writes the export's files and
 * places its images (storage is one local folder, so a hard link gives the
 * export the same bytes without copying them), one or two read annotation
 * files ahead of the export loop. The export loop itself only builds text,
 * so a slow file system never stalls the server. Started once, so that no
 * export pays for starting them.
 */
export function startFileThreads(): FileThreads {
  const writer = replacedWhenDead(() => batchWorker(FILES_SOURCE));
  const readers = Array.from({ length: READERS }, () => replacedWhenDead(() => batchWorker(READER_SOURCE)));
  let waitingOnDisk = false;
  let lastBatchSlow = false;
  return {
    output() {
      let done = 0;
      let samples = 0;
      let ops: string[] = [];
      // Batches handed over and not yet awaited, oldest first.
      const inFlight: { finished: Promise<string>; samples: number }[] = [];
      const send = (): void => {
        inFlight.push({ finished: writer().run(ops.join("\0")), samples });
        ops = [];
        samples = 0;
      };
      const waitWhileMoreThan = async (batches: number): Promise<number> => {
        while (inFlight.length > batches) {
          const batch = inFlight.shift() as { finished: Promise<string>; samples: number };
          await batch.finished;
          done += batch.samples;
        }
        return done;
      };
      return {
        link(from, to) {
          ops.push("L", field(from), field(to));
        },
        write(file, text) {
          ops.push("W", field(file), text.replace(/\0/g, "\uFFFD"));
        },
        sampleDone() {
          samples += 1;
        },
        settled() {
          send();
          return waitWhileMoreThan(BATCHES_AHEAD);
        },
        flush() {
          send();
          return waitWhileMoreThan(0);
        },
        async abandon() {
          ops = [];
          await Promise.allSettled(inFlight.splice(0).map((batch) => batch.finished));
        },
      };
    },
    async read(requests) {
      if (requests.length === 0) return [];
      const batch = requests.map(requestField).join("\0");
      const reader = waitingOnDisk
        ? readers.map((thread) => thread()).reduce((best, next) => (next.pending() < best.pending() ? next : best))
        : (readers[0] as (typeof readers)[number])();
      const answer = await reader.run(batch);
      const slow = reader.lastBatchMs() / requests.length > DISK_WAIT_MS_PER_FILE;
      waitingOnDisk = slow && lastBatchSlow;
      lastBatchSlow = slow;
      return JSON.parse(answer) as ReadResult[];
    },
    async close() {
      await Promise.all([writer, ...readers].map((thread) => thread().close()));
    },
  };
}
