export {
  createExportClient,
  type AkSkCredentials,
  type CreatedExportTask,
  type ExportClient,
  type ExportClientAuth,
  type ExportClientOptions,
  type ExportTasksOptions,
  type ListOptions,
  USER_AGENT,
} from "./client.js";
export {
  ExportTaskFailedError,
  ExportTaskStoppedError,
  ModelArtsApiError,
  ModelArtsNetworkError,
  ModelArtsTimeoutError,
  type Operation,
} from "./errors.js";
export { SPEC_VERSION, VERSION } from "./generated/version.js";
export { endpointFor, REGIONS, type Region } from "./regions.js";
export type { RetryPolicy } from "./retry.js";
export type { SignInput, Signer } from "@modelarts-export/signer";
export type { ExportProgress, WaitOptions } from "./wait.js";
export type {
  ExportTaskList,
  ExportTaskRequest,
  ExportTaskState,
  ExportTaskStatus,
  ListExportTasksQuery,
  SpecVersion,
} from "@modelarts-export/types";
