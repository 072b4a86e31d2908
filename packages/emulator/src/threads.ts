// Work that runs on threads of their own, beside the export loop on the
// server's thread: placing images into the export, and reading annotation
// files ahead of it. Each is one worker doing plain synchronous calls in
// batches: in this VM a file system call costs tens of microseconds, and
// libuv's pool adds a round trip per call and contends for folder locks.
import { Worker } from "node:worker_threads";

interface Failure {
  message: string;
  code?: string;
  path?: string;
}

/** A worker from `source`, which answers each `{ id, batch }` with `{ id, result?, error? }`, in order. */
function batchWorker(source: string): { run(batch: string): Promise<string>; close(): Promise<void> } {
  const worker = new Worker(source, { eval: true });
  worker.unref();
  const waiting = new Map<number, { resolve: (result: string) => void; reject: (error: Error) => void }>();
  let failure: Error | undefined;
  let nextId = 0;
  worker.on("message", ({ id, result, error }: { id: number; result?: string; error?: Failure }) => {
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
    close: () => worker.terminate().then(() => undefined),
  };
}

// Batches are one string, paths joined by NUL (which no path or XML text
// holds): far cheaper to post than arrays of strings.
const WORKER_PRELUDE = `
const { parentPort } = require("node:worker_threads");
const fs = require("node:fs");
const failure = (e) => ({ message: e.message, code: e.code, path: e.path });
`;

export interface ImagePlacer {
  /** Starts putting an image into the export. */
  place(from: string, to: string): void;
  /**
   * Hands the images placed since the last call to the placing thread, and
   * waits only while more than a few such batches are still being placed, so
   * that images are placed while the caller prepares the next ones. Returns
   * how many images are placed.
   */
  settled(): Promise<number>;
  /** Waits for every image. */
  flush(): Promise<number>;
  /** After a failure: waits until nothing more is placed for this export. */
  abandon(): Promise<void>;
}

// Links (or, where links are refused, copies) "from\0to\0from\0to...".
const PLACER_SOURCE = `${WORKER_PRELUDE}
parentPort.on("message", ({ id, batch }) => {
  const pairs = batch === "" ? [] : batch.split("\\0");
  let error;
  for (let i = 0; i < pairs.length && !error; i += 2) {
    try {
      try {
        fs.linkSync(pairs[i], pairs[i + 1]);
      } catch (e) {
        if (e.code === "ENOENT" || e.code === "EEXIST") throw e;
        fs.copyFileSync(pairs[i], pairs[i + 1]);
      }
    } catch (e) {
      error = failure(e);
    }
  }
  parentPort.postMessage({ id, error });
});
`;

// Placing batches in flight before the export loop waits for the oldest.
const BATCHES_AHEAD = 4;

export interface FileThreads {
  /** Puts the images of one export into place, on the placing thread. */
  placer(): ImagePlacer;
  /** The UTF-8 text of each file, read on the reading thread. */
  read(paths: string[]): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Starts the two threads that exports share: one places images (storage is
 * one local folder, so a hard link gives the export the same bytes without
 * copying them; across file systems, or where links are refused, it
 * copies), one reads annotation files ahead of the export loop. Started
 * once, so that no export pays for starting them.
 */
export function startFileThreads(): FileThreads {
  const placing = batchWorker(PLACER_SOURCE);
  const reading = batchWorker(READER_SOURCE);
  return {
    placer() {
      let placed = 0;
      let pairs: string[] = [];
      // Batches handed over and not yet awaited, oldest first.
      const inFlight: { done: Promise<string>; size: number }[] = [];
      const send = (): void => {
        inFlight.push({ done: placing.run(pairs.join("\0")), size: pairs.length / 2 });
        pairs = [];
      };
      const waitWhileMoreThan = async (batches: number): Promise<number> => {
        while (inFlight.length > batches) {
          const batch = inFlight.shift() as { done: Promise<string>; size: number };
          await batch.done;
          placed += batch.size;
        }
        return placed;
      };
      return {
        place(from, to) {
          pairs.push(from, to);
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
          pairs = [];
          await Promise.allSettled(inFlight.splice(0).map((batch) => batch.done));
        },
      };
    },
    read: async (paths) => (paths.length === 0 ? [] : (await reading.run(paths.join("\0"))).split("\0")),
    async close() {
      await Promise.all([placing.close(), reading.close()]);
    },
  };
}

// Reads "path\0path..." as UTF-8 and answers "text\0text...".
const READER_SOURCE = `${WORKER_PRELUDE}
parentPort.on("message", ({ id, batch }) => {
  try {
    const texts = batch === "" ? [] : batch.split("\\0").map((path) => fs.readFileSync(path, "utf8"));
    parentPort.postMessage({ id, result: texts.join("\\0") });
  } catch (e) {
    parentPort.postMessage({ id, error: failure(e) });
  }
});
`;
