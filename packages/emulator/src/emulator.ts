// Assembles the emulator: storage, datasets, task store and worker, server.
import { mkdirSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { DatasetType } from "@modelarts-export/types";
import type { Credentials } from "./auth.js";
import { loadDataset } from "./dataset.js";
import { DEMO, writeDemo } from "./demo.js";
import { createDatasetRegistry, type DatasetRegistry } from "./dataset-registry.js";
import { createFaults, type Fault, type FaultRequest, type TaskOutcome, type TaskOutcomeRequest } from "./faults.js";
import { recoverTasks } from "./recovery.js";
import { createEmulatorServer } from "./server.js";
import { lockState, type StateLock } from "./state-lock.js";
import { createStorage } from "./storage.js";
import { createTaskStore, type TaskStore } from "./task-store.js";
import { createRunner } from "./tasks.js";

export interface DatasetOption {
  projectId: string;
  datasetId: string;
  /** `/bucket/path/file.manifest` in storage. */
  manifest: string;
  type?: DatasetType;
}

export interface EmulatorOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Folder that emulates OBS: `/bucket/a/` is `storage/bucket/a/`. */
  storage: string;
  /** Folder for task records that survive restarts; in memory without it. */
  state?: string;
  tokens?: Record<string, string>;
  credentials?: Record<string, { secretKey: string; projectId: string }>;
  datasets?: DatasetOption[];
  /** Write and load the demo datasets and credentials. */
  demo?: boolean;
  /** At most this many samples per second per export, to watch progress as on the real service. */
  exportRate?: number;
  docsDir?: string;
  /**
   * Also refuse requests that break rules the spec marks `x-inferred` (not
   * stated by Huawei's reference), naming the rule. Off by default: the
   * emulator then refuses only what the service is documented to refuse.
   */
  strict?: boolean;
  /** Tasks that may wait (INIT) before create answers 429 (default 1,000). */
  maxQueued?: number;
  /** Serve the control API under /_emulator/ (reset, faults, task outcomes). */
  control?: boolean;
  /** Where warnings go (a corrupt record moved aside, say); console.warn by default. */
  warn?: (message: string) => void;
  /** Other connection limits than SERVER_LIMITS (tests of them use shorter ones). */
  limits?: Partial<typeof SERVER_LIMITS>;
  /** Folder whose files are served at `/static/`: a page there calls the API from the emulator's own origin, without CORS. */
  staticDir?: string;
}

// Slow or stalled clients cannot hold the server: a request's headers must
// arrive within 10 s and all of it within 30 s, an idle keep-alive
// connection closes after 5 s, and at most 1,024 connections are open.
export const SERVER_LIMITS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  maxConnections: 1024,
};

export interface RunningEmulator {
  url: string;
  port: number;
  datasets: DatasetRegistry;
  store: TaskStore;
  /** Tasks found running at start and marked FAILED. */
  recovered: number;
  /** Tasks found waiting (INIT) at start and queued again. */
  requeued: number;
  /** Waits until no export is queued or running. */
  idle(): Promise<void>;
  /** Stops any export and forgets every task and every dataset made by an export (POST /_emulator/reset). */
  reset(): Promise<void>;
  /** Injects a fault into the next matching requests (POST /_emulator/faults); throws on an invalid one. */
  addFault(fault: FaultRequest): Fault;
  /** Removes every injected fault (DELETE /_emulator/faults). */
  clearFaults(): void;
  /** Makes the next export of a dataset fail (POST /_emulator/task-outcomes); throws on an invalid one. */
  addTaskOutcome(outcome: TaskOutcomeRequest): TaskOutcome;
  /** Stops the server and the running export (FAILED, output removed) and waits for both; frees --state. */
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  if (options.staticDir !== undefined && !statSync(options.staticDir, { throwIfNoEntry: false })?.isDirectory())
    throw new TypeError(`staticDir ${options.staticDir}: expected an existing folder`);
  mkdirSync(options.storage, { recursive: true });
  let lock: StateLock | undefined;
  if (options.state) {
    mkdirSync(options.state, { recursive: true });
    lock = lockState(options.state);
  }
  try {
    return await start(options, lock);
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function start(options: EmulatorOptions, lock: StateLock | undefined): Promise<RunningEmulator> {
  const warn = options.warn ?? ((message: string) => console.warn(`warning: ${message}`));
  const storage = createStorage(options.storage);
  const credentials: Credentials = {
    tokens: new Map(Object.entries(options.tokens ?? {})),
    keys: new Map(Object.entries(options.credentials ?? {})),
  };
  const datasetOptions = [...(options.datasets ?? [])];
  if (options.demo) {
    writeDemo(storage.root);
    credentials.tokens.set(DEMO.token, DEMO.projectId);
    credentials.keys.set(DEMO.accessKey, { secretKey: DEMO.secretKey, projectId: DEMO.projectId });
    for (const { id, manifest } of Object.values(DEMO.datasets)) {
      datasetOptions.push({ projectId: DEMO.projectId, datasetId: id, manifest });
    }
  }
  const datasets = createDatasetRegistry(storage, options.state, warn);
  for (const d of datasetOptions) {
    datasets.add(
      loadDataset(
        {
          projectId: d.projectId,
          id: d.datasetId,
          manifest: d.manifest,
          ...(d.type === undefined ? {} : { type: d.type }),
        },
        storage,
      ),
    );
  }
  const store = createTaskStore(options.state, warn);
  const recovery = recoverTasks(store, datasets, storage);
  const faults = createFaults();
  const runner = createRunner({
    store,
    datasets,
    storage,
    warn,
    takeOutcome: faults.takeOutcome,
    ...(options.exportRate ? { exportRate: options.exportRate } : {}),
  });
  const reset = async (): Promise<void> => {
    await runner.reset();
    store.clear();
    datasets.forgetExported();
  };
  const server = createEmulatorServer({
    storage,
    credentials,
    datasets,
    store,
    runner,
    ...(options.maxQueued === undefined ? {} : { maxQueued: options.maxQueued }),
    ...(options.control ? { control: { faults, reset } } : {}),
    ...(options.docsDir ? { docsDir: options.docsDir } : {}),
    ...(options.strict ? { strict: true } : {}),
    ...(options.staticDir ? { staticDir: options.staticDir } : {}),
  });
  Object.assign(server, SERVER_LIMITS, options.limits);
  const host = options.host ?? "127.0.0.1";
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 8080, host, resolve);
    });
  } catch (error) {
    await runner.close();
    throw error;
  }
  // Waiting tasks of the last process run now, in the order they were created.
  for (const record of recovery.waiting) runner.enqueue(record);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    datasets,
    store,
    recovered: recovery.failed,
    requeued: recovery.waiting.length,
    idle: () => runner.idle(),
    reset,
    addFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    addTaskOutcome: (outcome) => faults.addOutcome(outcome),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runner.close();
      lock?.release();
    },
  };
}
