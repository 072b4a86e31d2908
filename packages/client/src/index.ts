export {
  createExportClient,
  type ExportClient,
  type ExportClientAuth,
  type ExportClientOptions,
  type ListOptions,
  USER_AGENT,
} from "./client.js";
export {
  ExportTaskFailedError,
  ModelArtsApiError,
  ModelArtsNetworkError,
  ModelArtsTimeoutError,
  type Operation,
} from "./errors.js";
export { SPEC_VERSION, VERSION } from "./generated/version.js";
export { endpointFor, REGIONS, type Region } from "./regions.js";
export type { RetryPolicy } from "./retry.js";
export {
  canonicalQuery,
  canonicalUri,
  createSigner,
  type AkSkCredentials,
  type SignInput,
  type Signer,
} from "./signer.js";
export type { ExportProgress, WaitOptions } from "./wait.js";
export type {
  ExportTaskList,
  ExportTaskRequest,
  ExportTaskState,
  ExportTaskStatus,
  ListExportTasksQuery,
  SpecVersion,
} from "@modelarts-export/types";
