// Assembles the emulator: storage, datasets, task store and worker, server.
import { mkdirSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { DatasetType } from "@modelarts-export/types";
import type { Credentials } from "./auth.js";
import { loadDataset } from "./dataset.js";
import { DEMO, writeDemo } from "./demo.js";
import { createEmulatorServer } from "./server.js";
import { createStorage } from "./storage.js";
import {
  createDatasetRegistry,
  createRunner,
  createTaskStore,
  recoverInterrupted,
  type DatasetRegistry,
  type TaskStore,
} from "./tasks.js";

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
  /** Folder whose files are served at `/static/`: a page there calls the API from the emulator's own origin, without CORS. */
  staticDir?: string;
}

export interface RunningEmulator {
  url: string;
  port: number;
  datasets: DatasetRegistry;
  store: TaskStore;
  /** Tasks found running at start and marked FAILED. */
  recovered: number;
  /** Waits until no export is queued or running. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  if (options.staticDir !== undefined && !statSync(options.staticDir, { throwIfNoEntry: false })?.isDirectory())
    throw new TypeError(`staticDir ${options.staticDir}: expected an existing folder`);
  mkdirSync(options.storage, { recursive: true });
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
  const datasets = createDatasetRegistry(storage, options.state);
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
  const store = createTaskStore(options.state);
  const recovered = recoverInterrupted(store);
  const runner = createRunner({
    store,
    datasets,
    storage,
    ...(options.exportRate ? { exportRate: options.exportRate } : {}),
  });
  const server = createEmulatorServer({
    storage,
    credentials,
    datasets,
    store,
    runner,
    ...(options.docsDir ? { docsDir: options.docsDir } : {}),
    ...(options.strict ? { strict: true } : {}),
    ...(options.staticDir ? { staticDir: options.staticDir } : {}),
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    datasets,
    store,
    recovered,
    idle: () => runner.idle(),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runner.close();
    },
  };
}
