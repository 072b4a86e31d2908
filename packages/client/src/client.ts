// createExportClient: openapi-fetch typed from the spec, plus what a real
// client needs: the endpoint of a region, auth as middleware, a fetch with
// timeouts and safe retries, helpers that return data or throw.
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type {
  ExportTaskList,
  ExportTaskRequest,
  ExportTaskStatus,
  ListExportTasksQuery,
  paths,
} from "@modelarts-export/types";
import { createRedactor, ModelArtsApiError, type Operation } from "./errors.js";
import { endpointFor } from "./regions.js";
import { createRetryingFetch, type RetryPolicy } from "./retry.js";
import type { Signer, SignerOptions } from "@modelarts-export/signer";
import { SPEC_VERSION, VERSION } from "./generated/version.js";
import { waitForExportTask, type WaitOptions } from "./wait.js";

/** An AK/SK pair (temporary ones with securityToken); `engine` forces node:crypto or Web Crypto. */
export type AkSkCredentials = SignerOptions;
export type ExportClientAuth = { token: string } | AkSkCredentials;

/** A created task: `task_id` is always there (checked). */
export type CreatedExportTask = ExportTaskStatus & { task_id: string };

export interface ExportClientOptions {
  /** Huawei Cloud region, such as `cn-north-4`; or give `baseUrl`. */
  region?: string;
  /** Any endpoint, such as the emulator's `http://127.0.0.1:8080`. */
  baseUrl?: string;
  projectId: string;
  auth: ExportClientAuth;
  fetch?: typeof fetch;
  /**
   * Per-attempt timeout in ms. Default: none, like fetch itself (Node's fetch
   * gives up after 300 s without response headers).
   */
  timeoutMs?: number;
  /** Retry policy for GETs, or `false` (creates are never retried). */
  retry?: RetryPolicy | false;
  /**
   * Your application, such as `my-tool/1.2`: sent before the client's own
   * `modelarts-export-client/<version> (spec <version>)` in `User-Agent`.
   */
  userAgent?: string;
  /**
   * openapi-fetch middleware, for the helpers and `raw` alike. It runs before
   * auth: requests are signed last, so what middleware changes is signed.
   */
  middleware?: Middleware[];
}

export interface ListOptions extends ListExportTasksQuery {
  signal?: AbortSignal;
}

export interface ExportTasksOptions extends Omit<ListOptions, "offset"> {
  /** Pages read at most (default 1,000); more rejects, so that a list is never cut short silently. */
  maxPages?: number;
}

export interface ExportClient {
  createExportTask(
    datasetId: string,
    body: ExportTaskRequest,
    init?: { signal?: AbortSignal },
  ): Promise<CreatedExportTask>;
  getExportTask(datasetId: string, taskId: string, init?: { signal?: AbortSignal }): Promise<ExportTaskStatus>;
  listExportTasks(datasetId: string, query?: ListOptions): Promise<ExportTaskList>;
  /**
   * Every task of the dataset, once each, page after page, until a short page,
   * `total_count`, or a page with nothing new.
   */
  exportTasks(datasetId: string, options?: ExportTasksOptions): AsyncGenerator<ExportTaskStatus>;
  waitForExportTask(datasetId: string, taskId: string, options?: WaitOptions): Promise<ExportTaskStatus>;
  /** The openapi-fetch client: `{ data, error }` results, same middleware. */
  raw: Client<paths>;
  projectId: string;
  baseUrl: string;
}

const TASKS = "/v2/{project_id}/datasets/{dataset_id}/export-tasks";
const TASK = "/v2/{project_id}/datasets/{dataset_id}/export-tasks/{task_id}";

/** What the client sends as `User-Agent`: the caller's product first, as in RFC 9110. */
export const USER_AGENT = `modelarts-export-client/${VERSION} (spec ${SPEC_VERSION})`;

/** Sets the auth headers of one attempt; AK/SK signs it, exact body bytes included. */
function authorizer(
  auth: ExportClientAuth,
  projectId: string,
  userAgent: string,
): (attempt: Request) => void | Promise<void> {
  const common = (headers: Headers): void => {
    headers.set("User-Agent", userAgent);
    headers.set("X-Project-Id", projectId);
  };
  if ("token" in auth)
    return ({ headers }) => {
      common(headers);
      headers.set("X-Auth-Token", auth.token);
    };
  // Loaded on first use: a bundle that splits chunks (as browser apps do)
  // keeps the signer out of the code token users load.
  let signer: Promise<Signer> | undefined;
  return async (request) => {
    const { headers, method, url } = request;
    common(headers);
    const body = request.body ? await request.clone().arrayBuffer() : undefined;
    signer ??= import("./aksk.js").then(({ createSigner }) => createSigner(auth));
    for (const [name, value] of Object.entries(await (await signer).sign({ method, url, headers, body })))
      headers.set(name, value);
  };
}

function check(options: ExportClientOptions | undefined): string {
  const auth = options?.auth as { token?: string; accessKey?: string; secretKey?: string } | undefined;
  const fail = (what: string): never => {
    throw new TypeError(`Pass ${what}`);
  };
  if (!options?.projectId) fail("projectId");
  if (!(auth?.token || (auth?.accessKey && auth.secretKey))) fail("auth: { token } or { accessKey, secretKey }");
  const { region, baseUrl } = options!;
  if (region && baseUrl) fail("region or baseUrl, not both");
  return baseUrl ? baseUrl.replace(/\/+$/, "") : region ? endpointFor(region) : fail("region or baseUrl");
}

export function createExportClient(options: ExportClientOptions): ExportClient {
  const baseUrl = check(options);
  const { projectId, auth } = options;
  const redact = createRedactor("token" in auth ? [auth.token] : [auth.secretKey, auth.securityToken]);
  const raw = createClient<paths>({
    baseUrl,
    fetch: createRetryingFetch(options.fetch ?? globalThis.fetch.bind(globalThis), {
      retry: options.retry ?? {},
      timeoutMs: options.timeoutMs,
      authorize: authorizer(auth, projectId, options.userAgent ? `${options.userAgent} ${USER_AGENT}` : USER_AGENT),
    }),
  });
  raw.use(...(options.middleware ?? []));

  async function unwrap<T>(
    operation: Operation,
    call: Promise<{ data?: T; error?: unknown; response: Response }>,
  ): Promise<T> {
    const { data, error, response } = await call;
    if (response.ok && data !== undefined) return data;
    const body = (error ?? {}) as { error_code?: unknown; error_msg?: unknown; request_id?: unknown };
    throw new ModelArtsApiError({
      status: response.status,
      errorCode: typeof body.error_code === "string" ? body.error_code : `HTTP.${response.status}`,
      errorMsg: redact(typeof body.error_msg === "string" ? body.error_msg : response.statusText),
      requestId:
        response.headers.get("x-request-id") ?? (typeof body.request_id === "string" ? body.request_id : undefined),
      operation,
    });
  }

  const client: ExportClient = {
    raw,
    projectId,
    baseUrl,
    async createExportTask(datasetId, body, init = {}) {
      const task = await unwrap(
        "createExportTask",
        raw.POST(TASKS, { params: { path: { project_id: projectId, dataset_id: datasetId } }, body, ...init }),
      );
      if (typeof task.task_id !== "string" || !task.task_id) throw new TypeError("No task_id in the answer");
      return task as CreatedExportTask;
    },
    getExportTask: (datasetId, taskId, init = {}) =>
      unwrap(
        "getExportTask",
        raw.GET(TASK, { params: { path: { project_id: projectId, dataset_id: datasetId, task_id: taskId } }, ...init }),
      ),
    listExportTasks: (datasetId, { signal, ...query } = {}) =>
      unwrap(
        "listExportTasks",
        raw.GET(TASKS, {
          params: { path: { project_id: projectId, dataset_id: datasetId }, query },
          ...(signal ? { signal } : {}),
        }),
      ),
    async *exportTasks(datasetId, { limit = 100, maxPages = 1000, ...rest } = {}) {
      const seen = new Set<string>();
      for (let offset = 0, pages = 0; ; pages++) {
        if (pages === maxPages) throw new RangeError(`More than maxPages (${maxPages}) pages`);
        const page = await client.listExportTasks(datasetId, { ...rest, limit, offset });
        const tasks = page.export_tasks ?? [];
        let fresh = 0;
        for (const task of tasks) {
          const id = task.task_id;
          if (id !== undefined) {
            if (seen.has(id)) continue;
            seen.add(id);
          }
          fresh++;
          yield task;
        }
        offset += tasks.length;
        // A page with nothing new also ends it: a server that ignores offset.
        if (tasks.length < limit || !fresh || offset >= (page.total_count ?? Infinity)) return;
      }
    },
    waitForExportTask: (datasetId, taskId, waitOptions) => waitForExportTask(client, datasetId, taskId, waitOptions),
  };
  return client;
}
