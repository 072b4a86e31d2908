// Errors in the API's own shape: `{ error_code, error_msg }` with the real
// ModelArts codes, thrown anywhere and answered by the server.
import type { ErrorResponse } from "@modelarts-export/types";

export interface ApiError {
  status: number;
  body: ErrorResponse;
  /** Extra response headers (Retry-After). */
  headers?: Record<string, string>;
}

export const apiError = (status: number, error_code: string, error_msg: string): ApiError => ({
  status,
  body: { error_code, error_msg },
});

export const isApiError = (value: unknown): value is ApiError =>
  typeof value === "object" && value !== null && "status" in value && "body" in value;

export const errors = {
  invalidExportParameter: (detail: string) => apiError(400, "ModelArts.4384", `Invalid export parameter: ${detail}`),
  invalidParameter: (detail: string) => apiError(400, "ModelArts.4396", `Parameter is invalid: ${detail}`),
  invalidExportPath: (detail: string) => apiError(400, "ModelArts.4358", `Invalid export path: ${detail}`),
  obsBucketNotFound: (bucket: string, field: string) =>
    apiError(400, "ModelArts.4311", `OBS bucket does not exist: ${bucket} (${field}).`),
  datasetNotFound: (datasetId: string) => apiError(404, "ModelArts.4352", `Dataset does not exist: ${datasetId}.`),
  exportTaskNotFound: (taskId: string) => apiError(404, "ModelArts.4359", `Export task does not exist: ${taskId}.`),
  unauthorized: (detail: string) => apiError(401, "APIGW.0301", `Incorrect IAM authentication information: ${detail}`),
  forbidden: (detail: string) => apiError(403, "ModelArts.4336", `No permission: ${detail}`),
  unsupported: (detail: string) =>
    apiError(501, "ModelArts.4383", `Operation not supported for this dataset type: ${detail}`),
  notFound: (path: string) => apiError(404, "ModelArts.0104", `No such API: ${path}.`),
  methodNotAllowed: (method: string) => apiError(405, "ModelArts.0104", `Method ${method} is not allowed here.`),
  unsupportedMediaType: (type: string) =>
    apiError(415, "ModelArts.0101", `Unsupported content type "${type}": send application/json.`),
  payloadTooLarge: (limit: number) => apiError(413, "ModelArts.0101", `Request body is larger than ${limit} bytes.`),
  malformedJson: (detail: string) => apiError(400, "ModelArts.0101", `Request body is not valid JSON: ${detail}`),
  internal: (detail: string) => apiError(500, "ModelArts.0010", `Internal error: ${detail}`),
  tooManyQueued: (limit: number, retryAfterS: number) => ({
    ...apiError(
      429,
      "ModelArts.4395",
      `Too many dataset requests: ${limit} export tasks are already waiting to run; retry later.`,
    ),
    headers: { "retry-after": String(retryAfterS) },
  }),
};
