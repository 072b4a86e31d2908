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
import { createSigner, type AkSkCredentials } from "./signer.js";
import { SPEC_VERSION, VERSION } from "./generated/version.js";
import { waitForExportTask, type WaitOptions } from "./wait.js";

export type ExportClientAuth = { token: string } | AkSkCredentials;

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
  /** openapi-fetch middleware, run after auth for the helpers and `raw` alike. */
  middleware?: Middleware[];
}

export interface ListOptions extends ListExportTasksQuery {
  signal?: AbortSignal;
}

export interface ExportClient {
  createExportTask(
    datasetId: string,
    body: ExportTaskRequest,
    init?: { signal?: AbortSignal },
  ): Promise<ExportTaskStatus>;
  getExportTask(datasetId: string, taskId: string, init?: { signal?: AbortSignal }): Promise<ExportTaskStatus>;
  listExportTasks(datasetId: string, query?: ListOptions): Promise<ExportTaskList>;
  /** Every task of the dataset, page after page. */
  exportTasks(datasetId: string, query?: Omit<ListOptions, "offset">): AsyncGenerator<ExportTaskStatus>;
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

function authMiddleware(auth: ExportClientAuth, projectId: string, userAgent: string): Middleware {
  const signer = "token" in auth ? undefined : createSigner(auth);
  return {
    async onRequest({ request }) {
      // openapi-fetch hands over a fresh Request: set headers in place.
      const { headers } = request;
      headers.set("User-Agent", userAgent);
      headers.set("X-Project-Id", projectId);
      if ("token" in auth) {
        headers.set("X-Auth-Token", auth.token);
        return request;
      }
      // Sign the exact bytes that will be sent.
      const body = request.body ? await request.clone().arrayBuffer() : undefined;
      const signed = await (signer as NonNullable<typeof signer>).sign({
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(headers),
        body,
      });
      for (const [name, value] of Object.entries(signed)) headers.set(name, value);
      return request;
    },
  };
}

function check(options: ExportClientOptions | undefined): string {
  const auth = options?.auth as { token?: string; accessKey?: string; secretKey?: string } | undefined;
  if (!options?.projectId)
    throw new TypeError("Pass projectId: the IAM project ID of the region (see 'Obtaining a Project ID').");
  if (!(auth?.token || (auth?.accessKey && auth.secretKey))) {
    throw new TypeError("Pass auth: { token } (an IAM token) or { accessKey, secretKey } (an AK/SK pair).");
  }
  if (options.region && options.baseUrl) throw new TypeError("Pass region or baseUrl, not both.");
  if (options.baseUrl) return options.baseUrl.replace(/\/+$/, "");
  if (!options.region)
    throw new TypeError('Pass region (such as "cn-north-4") or baseUrl (such as "http://127.0.0.1:8080").');
  return endpointFor(options.region);
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
    }),
  });
  const userAgent = options.userAgent ? `${options.userAgent} ${USER_AGENT}` : USER_AGENT;
  raw.use(authMiddleware(auth, projectId, userAgent), ...(options.middleware ?? []));

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
      errorMsg: redact(typeof body.error_msg === "string" ? body.error_msg : response.statusText || "no error message"),
      requestId:
        response.headers.get("x-request-id") ?? (typeof body.request_id === "string" ? body.request_id : undefined),
      operation,
    });
  }

  const client: ExportClient = {
    raw,
    projectId,
    baseUrl,
    createExportTask: (datasetId, body, init = {}) =>
      unwrap(
        "createExportTask",
        raw.POST(TASKS, { params: { path: { project_id: projectId, dataset_id: datasetId } }, body, ...init }),
      ),
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
    async *exportTasks(datasetId, { limit = 100, ...rest } = {}) {
      for (let offset = 0; ;) {
        const page = await client.listExportTasks(datasetId, { ...rest, limit, offset });
        const tasks = page.export_tasks ?? [];
        yield* tasks;
        offset += tasks.length;
        if (tasks.length === 0 || offset >= (page.total_count ?? 0)) return;
      }
    },
    waitForExportTask: (datasetId, taskId, waitOptions) => waitForExportTask(client, datasetId, taskId, waitOptions),
  };
  return client;
}
