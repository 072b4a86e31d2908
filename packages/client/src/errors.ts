// What the client throws. Secrets (token, secret key, security token,
// signatures) never reach a message, toString(), JSON or cause: errors are
// built from plain strings that go through `redact` first, and JSON shows
// only their own fields.
import type { ExportTaskStatus } from "@modelarts-export/types";

export type Operation = "createExportTask" | "getExportTask" | "listExportTasks" | "waitForExportTask";

/** Removes every known secret, and anything shaped like a signature, from a text. */
export function createRedactor(secrets: (string | undefined)[]): (text: string) => string {
  const known = secrets.filter((s): s is string => typeof s === "string" && s.length >= 4);
  return (text) => {
    let out = text.replace(/Signature=[0-9a-fA-F]{16,}/g, "Signature=****");
    out = out.replace(/(x-security-token|x-auth-token):[^|\n]*/gi, "$1:****");
    for (const secret of known) out = out.split(secret).join("****");
    return out;
  };
}

/** A non-2xx answer of the API. */
export class ModelArtsApiError extends Error {
  override name = "ModelArtsApiError";
  declare readonly status: number;
  declare readonly errorCode: string;
  declare readonly errorMsg: string;
  declare readonly requestId: string | undefined;
  declare readonly operation: Operation;

  constructor(init: {
    status: number;
    errorCode: string;
    errorMsg: string;
    requestId: string | undefined;
    operation: Operation;
  }) {
    const { status, errorCode, errorMsg, requestId, operation } = init;
    super(`${errorCode} ${errorMsg} (${status}${requestId ? `, request ${requestId}` : ""}) in ${operation}`);
    Object.assign(this, init);
  }
}

/** The request never got an answer: connection refused, reset, DNS... */
export class ModelArtsNetworkError extends Error {
  override name = "ModelArtsNetworkError";
  constructor(
    message: string,
    readonly method: string,
    readonly url: string,
  ) {
    super(message);
  }
}

/** No answer within `timeoutMs` (one attempt), or the wait's own timeout. */
export class ModelArtsTimeoutError extends Error {
  override name = "ModelArtsTimeoutError";
  constructor(
    message: string,
    readonly timeoutMs: number,
  ) {
    super(message);
  }
}

/** The export task ended FAILED. */
export class ExportTaskFailedError extends Error {
  override name = "ExportTaskFailedError";
  readonly errorCode: string | undefined;
  readonly errorMsg: string | undefined;
  constructor(readonly task: ExportTaskStatus) {
    super(`Export task ${task.task_id} ${task.status}: ${task.error_code ?? ""} ${task.error_msg ?? ""}`.trim());
    this.errorCode = task.error_code;
    this.errorMsg = task.error_msg;
  }
}

/** The export task was stopped (STOPPED) before it finished. */
export class ExportTaskStoppedError extends ExportTaskFailedError {
  override name = "ExportTaskStoppedError";
}
