// The HTTP server: the three export-task operations, /health, the spec and the docs.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  createRequestValidator,
  type Problem,
  type ProblemCode,
  type RequestValidator,
} from "@modelarts-export/openapi/validate";
import sirv from "sirv";
import type { DatasetType, ExportTaskRequest, ExportTaskList } from "@modelarts-export/types";
import { authenticate, type Credentials } from "./auth.js";
import { errors, isApiError, type ApiError } from "./errors.js";
import { checkConditions } from "./select.js";
import { OutsideStorageError, type Storage } from "./storage.js";
import { CONTROL_PREFIX, handleControl, type Control } from "./control.js";
import type { DatasetRegistry } from "./dataset-registry.js";
import type { Fault, Operation } from "./faults.js";
import { knownRequestFields, newTaskId, toStatus, type TaskRecord, type TaskStore } from "./task-store.js";
import type { Runner } from "./tasks.js";

export const MAX_BODY_BYTES = 1 << 20;

export interface ServerOptions {
  storage: Storage;
  credentials: Credentials;
  datasets: DatasetRegistry;
  store: TaskStore;
  runner: Runner;
  /** Folder with the rendered docs (index.html, zh/index.html), served at /docs. */
  docsDir?: string;
  validator?: RequestValidator;
  /** Refuse requests that break inferred rules too (`x-inferred`), naming the rule. */
  strict?: boolean;
  /** Folder whose files are served at /static/, so that a page there calls the API from its own origin. */
  staticDir?: string;
  /** Tasks that may wait (INIT) before create answers 429. */
  maxQueued?: number;
  /** The control API under /_emulator/, when enabled. */
  control?: Control;
}

export const DEFAULT_MAX_QUEUED = 1000;

const EXPORT_TASKS = /^\/v2\/([^/]+)\/datasets\/([^/]+)\/export-tasks\/?$/;
const EXPORT_TASK = /^\/v2\/([^/]+)\/datasets\/([^/]+)\/export-tasks\/([^/]+)\/?$/;

// Which dataset types can export what (ModelArts exports annotation files
// only for image classification, detection and segmentation).
const DETECTION: DatasetType[] = [1];
const CLASSIFICATION: DatasetType[] = [0];

const require = createRequire(import.meta.url);
// The bundled description, served as the running API's own document.
const SPEC_FILES: Record<string, [string, string]> = {
  "/openapi.json": ["@modelarts-export/openapi/openapi.json", "application/json; charset=utf-8"],
  "/openapi.yaml": ["@modelarts-export/openapi/openapi.yaml", "application/yaml; charset=utf-8"],
};

// The emulator's own error for each code a validation problem carries.
const ERROR_FOR: Record<ProblemCode, (detail: string) => ApiError> = {
  "ModelArts.4358": errors.invalidExportPath,
  "ModelArts.4384": errors.invalidExportParameter,
  "ModelArts.4396": errors.invalidParameter,
};

/**
 * The first problem the service would refuse: a documented one, or in
 * strict mode an inferred one too. Answered with the problem's code.
 */
function refusal(problems: Problem[], strict: boolean): ApiError | undefined {
  const refused = problems.find((p) => p.source === "documented") ?? (strict ? problems[0] : undefined);
  if (!refused) return undefined;
  const strictNote = refused.source === "inferred" ? " [refused by --strict]" : "";
  return ERROR_FOR[refused.code](`${refused.message}${strictNote}`);
}
function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(errors.payloadTooLarge(MAX_BODY_BYTES));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

export function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  type = "application/json",
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const payload = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  response.writeHead(status, {
    ...(body === undefined
      ? {}
      : { "content-type": type === "application/json" ? "application/json; charset=utf-8" : type }),
    "content-length": Buffer.byteLength(payload),
    "x-request-id": requestId,
    ...headers,
  });
  response.end(payload);
}

const operationOf = (method: string | undefined, path: string): Operation | undefined => {
  if (EXPORT_TASKS.test(path))
    return method === "POST" ? "createExportTask" : method === "GET" ? "listExportTasks" : undefined;
  return method === "GET" && EXPORT_TASK.test(path) ? "getExportTask" : undefined;
};

/** Delays, drops or answers a request as an injected fault says; false when the request goes on as usual. */
async function applyFault(fault: Fault, response: ServerResponse, requestId: string): Promise<boolean> {
  if (fault.delay_ms > 0) await new Promise((resolve) => setTimeout(resolve, fault.delay_ms));
  if (fault.drop) {
    response.socket?.destroy();
    return true;
  }
  if (fault.status === undefined) return false;
  const headers: Record<string, string> =
    fault.retry_after_s === undefined ? {} : { "retry-after": String(fault.retry_after_s) };
  send(
    response,
    fault.status,
    { error_code: fault.error_code, error_msg: fault.error_msg },
    requestId,
    undefined,
    headers,
  );
  return true;
}

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw errors.invalidParameter(`"${segment}" is not a valid path segment`);
  }
};

const isFolder = (hostPath: string): boolean => {
  try {
    return statSync(hostPath).isDirectory();
  } catch {
    return false;
  }
};
/** Dotfiles and dot-folders (.env, .git) stay private: sirv's dev mode would serve them. */
function isHidden(relativePath: string): boolean {
  try {
    return /(^|\/)\./.test(decodeURIComponent(relativePath));
  } catch {
    return true;
  }
}

export function createEmulatorServer(options: ServerOptions): Server {
  const { storage, credentials, datasets, store, runner, control } = options;
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  const validator = options.validator ?? createRequestValidator();
  const strict = options.strict ?? false;

  function checkDestination(request: ExportTaskRequest, type: DatasetType): void {
    const params = request.export_params ?? {};
    for (const [field, path] of [
      ["path", request.path],
      ["export_params.export_new_dataset_work_path", params.export_new_dataset_work_path],
    ] as const) {
      if (path === undefined) continue;
      try {
        storage.resolve(path);
      } catch (error) {
        if (error instanceof OutsideStorageError) throw errors.invalidExportPath(`${field}: ${error.message}`);
        throw error;
      }
      // Each top-level folder of the storage is a bucket. As on OBS, folders
      // inside one are made as needed, but a bucket is not.
      const bucket = path.split("/")[1] ?? "";
      if (!isFolder(join(storage.root, bucket))) throw errors.obsBucketNotFound(bucket, field);
    }
    if (request.annotation_format && !DETECTION.includes(type)) {
      throw errors.unsupported(
        `annotation_format ${request.annotation_format} needs an object detection dataset (type 1), this one is type ${type}`,
      );
    }
    if (request.export_format !== undefined && !CLASSIFICATION.includes(type)) {
      throw errors.unsupported(
        `export_format needs an image classification dataset (type 0), this one is type ${type}`,
      );
    }
    if (request.version_format && request.version_format !== "Default") {
      throw errors.unsupported(
        `version_format ${request.version_format} is for table datasets; the emulator exports Default`,
      );
    }
    checkConditions(params.search_conditions ?? [], Date.now());
  }

  async function handleApi(
    request: IncomingMessage,
    path: string,
    query: string,
    body: Buffer,
  ): Promise<[number, unknown]> {
    const collection = EXPORT_TASKS.exec(path);
    const single = collection ? undefined : EXPORT_TASK.exec(path);
    const match = collection ?? single;
    if (!match) throw errors.notFound(path);
    const method = request.method ?? "GET";
    if (collection ? !["GET", "POST"].includes(method) : method !== "GET") throw errors.methodNotAllowed(method);

    const projectId = decodeSegment(match[1] as string);
    const datasetId = decodeSegment(match[2] as string);
    const callerProject = await authenticate(
      { method, url: request.url ?? "/", headers: request.headers, body },
      credentials,
    );
    if (callerProject !== projectId)
      throw errors.forbidden(`the credentials belong to project ${callerProject}, not ${projectId}`);
    const dataset = datasets.get(projectId, datasetId);
    if (!dataset) throw errors.datasetNotFound(datasetId);

    if (single) {
      const taskId = decodeSegment(single[3] as string);
      const record = store.get(taskId);
      if (!record || record.project_id !== projectId || record.dataset_id !== datasetId)
        throw errors.exportTaskNotFound(taskId);
      return [200, toStatus(record)];
    }
    if (method === "GET") {
      const { value, problems } = validator.listQuery(Object.fromEntries(new URLSearchParams(query)));
      const refused = refusal(problems, strict);
      if (refused) throw refused;
      const { export_type, limit, offset } = value;
      const tasks = store
        .all()
        .filter((t) => t.project_id === projectId && t.dataset_id === datasetId)
        .filter((t) => export_type === undefined || (t.request.export_type ?? 2) === export_type)
        // The store keeps creation order: reversed, then a stable sort, so that
        // tasks created in the same millisecond still come newest first.
        .reverse()
        .sort((a, b) => b.create_time - a.create_time);
      const page: ExportTaskList = {
        total_count: tasks.length,
        export_tasks: tasks.slice(offset, offset + limit).map(toStatus),
      };
      return [200, page];
    }
    const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (type !== "application/json") throw errors.unsupportedMediaType(type);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch (error) {
      throw errors.malformedJson((error as Error).message);
    }
    const refused = refusal(validator.createBody(parsed), strict);
    if (refused) throw refused;
    const exportRequest = parsed as ExportTaskRequest;
    checkDestination(exportRequest, dataset.type);
    if (runner.queued() >= maxQueued) throw errors.tooManyQueued(maxQueued, 1);
    const now = Date.now();
    const record: TaskRecord = {
      task_id: newTaskId(),
      project_id: projectId,
      dataset_id: datasetId,
      sequence: store.nextSequence(),
      request: knownRequestFields(exportRequest),
      status: "INIT",
      progress: 0,
      finished_sample_count: 0,
      total_sample_count: 0,
      create_time: now,
      update_time: now,
    };
    try {
      store.save(record);
    } catch (error) {
      store.remove(record.task_id);
      throw errors.internal(`the task could not be recorded: ${(error as Error).message}`);
    }
    runner.enqueue(record);
    // Like the service, answer with the task id alone; GET the task for the rest.
    return [200, { task_id: record.task_id }];
  }

  function serveDocs(path: string): [number, string, string] | undefined {
    if (!options.docsDir) return undefined;
    const file =
      path === "/docs" || path === "/docs/"
        ? "index.html"
        : path === "/docs/zh" || path === "/docs/zh/"
          ? "zh/index.html"
          : undefined;
    if (!file || !existsSync(join(options.docsDir, file))) return undefined;
    return [200, readFileSync(join(options.docsDir, file), "utf8"), "text/html; charset=utf-8"];
  }

  // Looked up on every request (sirv's dev mode), so that files rebuilt while
  // the emulator runs are served as they are now; ETags spare unchanged ones.
  const serveStatic = options.staticDir ? sirv(options.staticDir, { dev: true, etag: true }) : undefined;
  const STATIC = "/static/";

  // Header and request timeouts are checked every second, not every 30 s.
  return createServer({ connectionsCheckingInterval: 1000 }, (request, response) => {
    const requestId = randomBytes(16).toString("hex");
    const [path = "/", query = ""] = (request.url ?? "/").split("?", 2) as [string, string?];
    const respondError = (error: unknown): void => {
      const apiErr: ApiError = isApiError(error) ? error : errors.internal((error as Error).message);
      // Gateway errors carry the request id in the body too.
      const body = apiErr.body.error_code.startsWith("APIGW.")
        ? { ...apiErr.body, request_id: requestId }
        : apiErr.body;
      send(response, apiErr.status, body, requestId, undefined, apiErr.headers);
    };
    if (request.method === "GET" && path === "/health") {
      send(response, 200, { status: "ok" }, requestId);
      return;
    }
    const specFile = request.method === "GET" ? SPEC_FILES[path] : undefined;
    if (specFile) {
      send(response, 200, readFileSync(require.resolve(specFile[0]), "utf8"), requestId, specFile[1]);
      return;
    }
    if (serveStatic && path.startsWith(STATIC) && (request.method === "GET" || request.method === "HEAD")) {
      const notFound = (): void => respondError(errors.notFound(path));
      if (isHidden(path.slice(STATIC.length))) return notFound();
      request.url = (request.url ?? path).slice(STATIC.length - 1);
      return serveStatic(request, response, notFound);
    }
    const docs = request.method === "GET" ? serveDocs(path) : undefined;
    if (docs) {
      send(response, docs[0], docs[1], requestId, docs[2]);
      return;
    }
    if (control && path.startsWith(CONTROL_PREFIX)) {
      readBody(request)
        .then((body) => handleControl(request, path, body, credentials, control))
        .then(([status, body]) => send(response, status, body, requestId))
        .catch(respondError);
      return;
    }
    const operation = control && operationOf(request.method, path);
    const fault = operation && control.faults.take(operation);
    readBody(request)
      .then(async (body) => {
        if (fault && (await applyFault(fault, response, requestId))) return;
        const [status, answer] = await handleApi(request, path, query ?? "", body);
        send(response, status, answer, requestId);
      })
      .catch(respondError);
  });
}
