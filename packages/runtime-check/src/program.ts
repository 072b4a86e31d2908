// The one program every runtime runs: AK/SK auth, create an export task, wait
// for SUCCESSED with progress callbacks, read the task. It uses only the
// client and what every runtime has (fetch, Web Crypto, timers); the entries
// beside it only carry the settings in and the result out.
import { createExportClient, type ExportProgress, type ExportTaskStatus } from "@modelarts-export/client";

export interface RunSettings {
  baseUrl: string;
  projectId: string;
  accessKey: string;
  secretKey: string;
  datasetId: string;
  /** The OBS folder to export to, one per runtime; each run gets a folder in it. */
  path: string;
}

/** "default": the signing the client picks on this runtime; "web-crypto": Web Crypto asked for. */
export type Signing = "default" | "web-crypto";

export interface SigningRun {
  signing: Signing;
  taskId: string;
  /** Every change onProgress reported, in order. */
  progress: { status: ExportProgress["status"]; progress: number | undefined; finished: number | undefined }[];
  /** The task as waitForExportTask returned it. */
  waited: ExportTaskStatus;
  /** The task read again with getExportTask afterwards. */
  task: ExportTaskStatus;
}

export interface RunResult {
  /** The runtime as it names itself, such as "deno 2.9.6". */
  runtime: string;
  /** The client's default signing first, then Web Crypto asked for. */
  runs: SigningRun[];
}

type RuntimeGlobals = {
  Deno?: { version: { deno: string } };
  Bun?: { version: string };
  process?: { versions?: { node?: string } };
  navigator?: { userAgent?: string };
};

/**
 * The runtime this code runs on. Deno, Bun and workerd also set
 * process.versions.node (workerd to the Node version it emulates), so they go first.
 */
export function runtimeName(): string {
  const g = globalThis as RuntimeGlobals;
  if (g.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  if (g.process?.versions?.node) return `node ${g.process.versions.node}`;
  return g.navigator?.userAgent ?? "unknown";
}

async function exportWith(settings: RunSettings, signing: Signing): Promise<SigningRun> {
  const { baseUrl, projectId, accessKey, secretKey, datasetId } = settings;
  // A client whose signer predates the engine option signs with Web Crypto alone and ignores it.
  const auth = signing === "web-crypto" ? { accessKey, secretKey, engine: "web" as const } : { accessKey, secretKey };
  const client = createExportClient({ baseUrl, projectId, auth });
  const { task_id: taskId } = await client.createExportTask(datasetId, {
    path: `${settings.path}${signing}/`,
    export_type: 0,
    annotation_format: "COCO",
    export_params: { train_sample_ratio: "0.8" },
  });
  if (!taskId) throw new Error("createExportTask answered without a task_id");
  const progress: SigningRun["progress"] = [];
  const waited = await client.waitForExportTask(datasetId, taskId, {
    intervalMs: 25,
    maxIntervalMs: 100,
    timeoutMs: 60_000,
    onProgress: ({ status, progress: percent, finished_sample_count }) =>
      progress.push({ status, progress: percent, finished: finished_sample_count }),
  });
  const task = await client.getExportTask(datasetId, taskId);
  return { signing, taskId, progress, waited, task };
}

export async function runExport(settings: RunSettings): Promise<RunResult> {
  // Where the runtime offers node:crypto (Node, and Deno, Bun and workerd too)
  // the client signs with it by default; Web Crypto, the browsers' path, must
  // work there as well.
  const runs = [await exportWith(settings, "default"), await exportWith(settings, "web-crypto")];
  return { runtime: runtimeName(), runs };
}
