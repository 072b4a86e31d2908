// Starts an emulator on 127.0.0.1 (port chosen by the OS) over a temporary
// storage folder, and calls it over HTTP, checking every answer against the
// spec's response schemas.
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { ExportTaskRequest, ExportTaskStatus } from "@modelarts-export/types";
import { canonicalQuery, canonicalUri } from "../src/auth.js";
import { DEMO } from "../src/demo.js";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../src/emulator.js";
import { createRequestValidator } from "@modelarts-export/openapi/validate";

const validator = createRequestValidator();

export interface Harness {
  emulator: RunningEmulator;
  storage: string;
  call(method: string, path: string, init?: CallInit): Promise<Reply>;
  create(datasetId: string, body: ExportTaskRequest): Promise<string>;
  wait(datasetId: string, taskId: string): Promise<ExportTaskStatus>;
  stop(): Promise<void>;
}

export interface CallInit {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  auth?: "token" | "aksk" | "none";
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export const TASKS = (datasetId: string, project: string = DEMO.projectId): string =>
  `/v2/${project}/datasets/${datasetId}/export-tasks`;

/** SDK-HMAC-SHA256 headers for a request (the test's own signer). */
export function sign(
  method: string,
  url: URL,
  body: string,
  accessKey: string,
  secretKey: string,
  date = new Date(),
): Record<string, string> {
  const sdkDate = date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const headers: Record<string, string> = { host: url.host, "x-sdk-date": sdkDate, "content-type": "application/json" };
  const names = Object.keys(headers).sort();
  const canonical = [
    method,
    canonicalUri(url.pathname),
    canonicalQuery(url.search.slice(1)),
    names.map((n) => `${n}:${headers[n]}\n`).join(""),
    names.join(";"),
    createHash("sha256").update(body).digest("hex"),
  ].join("\n");
  const toSign = `SDK-HMAC-SHA256\n${sdkDate}\n${createHash("sha256").update(canonical).digest("hex")}`;
  const signature = createHmac("sha256", secretKey).update(toSign).digest("hex");
  return {
    "x-sdk-date": sdkDate,
    "content-type": "application/json",
    authorization: `SDK-HMAC-SHA256 Access=${accessKey}, SignedHeaders=${names.join(";")}, Signature=${signature}`,
  };
}

/** Which spec schema an answer of this path and status must satisfy. */
function schemaFor(path: string, method: string, status: number): string | undefined {
  if (!path.startsWith("/v2/")) return undefined;
  if (status >= 400) return "ErrorResponse";
  if (/\/export-tasks\/[^/]+$/.test(path) || method === "POST") return "ExportTaskStatus";
  return "ExportTaskList";
}

export async function startHarness(options: Partial<EmulatorOptions> = {}): Promise<Harness> {
  const storage = options.storage ?? mkdtempSync(join(tmpdir(), "emulator-test-"));
  const emulator = await startEmulator({ port: 0, demo: true, ...options, storage });
  const call = async (method: string, path: string, init: CallInit = {}): Promise<Reply> => {
    const url = new URL(path, emulator.url);
    const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    const headers: Record<string, string> = { ...(body === undefined ? {} : { "content-type": "application/json" }) };
    if ((init.auth ?? "token") === "token") headers["x-auth-token"] = DEMO.token;
    if (init.auth === "aksk") Object.assign(headers, sign(method, url, body ?? "", DEMO.accessKey, DEMO.secretKey));
    Object.assign(headers, init.headers);
    const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    expect(response.headers.get("x-request-id"), `${method} ${path} X-Request-Id`).toMatch(/^[0-9a-f]{32}$/);
    const schema = schemaFor(url.pathname, method, response.status);
    if (schema) {
      const validate = validator.schema(schema);
      expect(validate(parsed) ? [] : validate.errors, `${method} ${path} ${response.status} matches ${schema}`).toEqual(
        [],
      );
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
  return {
    emulator,
    storage,
    call,
    async create(datasetId, body) {
      const reply = await call("POST", TASKS(datasetId), { body });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body.task_id as string;
    },
    async wait(datasetId, taskId) {
      await emulator.idle();
      const reply = await call("GET", `${TASKS(datasetId)}/${taskId}`);
      expect(reply.status).toBe(200);
      return reply.body as ExportTaskStatus;
    },
    async stop() {
      await emulator.close();
      if (!options.storage) rmSync(storage, { recursive: true, force: true });
    },
  };
}

/**
 * A harness over `storage` without the demo data: one dataset of the demo
 * project, `datasetId` from `manifest`, reached with the demo token.
 */
export const startHarnessWithDataset = (storage: string, datasetId: string, manifest: string): Promise<Harness> =>
  startHarness({
    storage,
    demo: false,
    tokens: { [DEMO.token]: DEMO.projectId },
    datasets: [{ projectId: DEMO.projectId, datasetId, manifest }],
  });
