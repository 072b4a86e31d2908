// A consumer's program against the published @modelarts-export/types.
// Lines marked @ts-expect-error must stay errors: if the types loosened,
// the compiler would report the directive as unused and the check fails.
import type {
  ExportTaskRequest,
  ExportTaskState,
  ExportTaskStatus,
  ListExportTasksQuery,
  components,
  operations,
  paths,
} from "@modelarts-export/types";

export const request: ExportTaskRequest = {
  path: "/test-obs/daoChu/",
  export_type: 3,
  annotation_format: "COCO",
  export_params: {
    sample_state: "",
    export_dest: "DIR",
    train_sample_ratio: "0.8",
    search_conditions: [{ label_list: { op: "OR", labels: [{ name: "cat", property: { color: null } }] } }],
  },
};

// @ts-expect-error YOLO is not an annotation format of the API
export const yolo: ExportTaskRequest = { annotation_format: "YOLO" };

// @ts-expect-error the request status is an integer
export const stringStatus: ExportTaskRequest = { status: "RUNNING" };

// @ts-expect-error exactOptionalPropertyTypes: absent is not the same as undefined
export const explicitUndefined: ExportTaskRequest = { path: undefined };

export function describeTask(task: ExportTaskStatus): string {
  const state: ExportTaskState | undefined = task.status;
  switch (state) {
    case "SUCCESSED":
      return `done: ${task.finished_sample_count ?? 0}/${task.total_sample_count ?? 0}`;
    case "FAILED":
      return `failed: ${task.error_code ?? "?"} ${task.error_msg ?? ""}`;
    case "INIT":
    case "RUNNING":
      return `${(task.progress ?? 0).toFixed(1)}%`;
    case undefined:
      return "unknown";
  }
}

// @ts-expect-error the service spells it SUCCESSED
export const misspelt: ExportTaskState = "SUCCEEDED";

export const ratio: string | number | undefined = ({} as ExportTaskStatus).export_params?.train_sample_ratio;

export const query: ListExportTasksQuery = { export_type: 0, limit: 100, offset: 0 };

export type CreateBody = paths["/v2/{project_id}/datasets/{dataset_id}/export-tasks"]["post"]["requestBody"] extends
  { content: { "application/json": infer Body } } | undefined
  ? Body
  : never;
export const sameBody: CreateBody = request;

export type NotFound = operations["getExportTask"]["responses"][404]["content"]["application/json"];
export const notFound: NotFound = { error_code: "ModelArts.4359", error_msg: "Export task does not exist." };
export const errorShape: components["schemas"]["ErrorResponse"] = notFound;
