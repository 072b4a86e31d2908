import { describe, expectTypeOf, test } from "vitest";
import type {
  AnnotationFormat,
  ErrorResponse,
  ExportParams,
  ExportTaskList,
  ExportTaskRequest,
  ExportTaskState,
  ExportTaskStatus,
  ListExportTasksQuery,
  ReportedExportParams,
  SampleState,
  SearchCondition,
  SearchLabel,
  components,
  operations,
  paths,
} from "../src/index.js";

type ExportTasksPath = paths["/v2/{project_id}/datasets/{dataset_id}/export-tasks"];

describe("request shapes", () => {
  test("annotation_format is VOC or COCO, nothing else", () => {
    expectTypeOf<AnnotationFormat>().toEqualTypeOf<"VOC" | "COCO">();
    expectTypeOf<{ annotation_format: "YOLO" }>().not.toMatchTypeOf<ExportTaskRequest>();
    expectTypeOf<{ annotation_format: "COCO" }>().toMatchTypeOf<ExportTaskRequest>();
  });

  test("request status is a number, unlike the response state", () => {
    expectTypeOf<NonNullable<ExportTaskRequest["status"]>>().toEqualTypeOf<number>();
    expectTypeOf<{ status: "RUNNING" }>().not.toMatchTypeOf<ExportTaskRequest>();
  });

  test("numeric enums are literal unions", () => {
    expectTypeOf<NonNullable<ExportTaskRequest["export_type"]>>().toEqualTypeOf<0 | 1 | 2 | 3>();
    expectTypeOf<NonNullable<ExportTaskRequest["export_format"]>>().toEqualTypeOf<1 | 2>();
    expectTypeOf<{ export_type: 4 }>().not.toMatchTypeOf<ExportTaskRequest>();
  });

  test("every request field is optional, defaults do not make them required", () => {
    expectTypeOf<{}>().toMatchTypeOf<ExportTaskRequest>();
    expectTypeOf<{}>().toMatchTypeOf<ExportParams>();
    expectTypeOf<{ export_params: { sample_state: "" } }>().toMatchTypeOf<ExportTaskRequest>();
  });

  test("train_sample_ratio is sent as a string", () => {
    expectTypeOf<NonNullable<ExportParams["train_sample_ratio"]>>().toEqualTypeOf<string>();
    expectTypeOf<{ train_sample_ratio: 0.8 }>().not.toMatchTypeOf<ExportParams>();
  });

  test("sample_state keeps its double underscores and allows the empty string", () => {
    expectTypeOf<"__ALL__">().toMatchTypeOf<SampleState>();
    expectTypeOf<"">().toMatchTypeOf<SampleState>();
    expectTypeOf<"ALL">().not.toMatchTypeOf<SampleState>();
  });

  test("label property values may be null (has the key)", () => {
    expectTypeOf<{ property: { color: null; size: ["big"] } }>().toMatchTypeOf<SearchLabel>();
    expectTypeOf<{ label_list: { op: "AND"; labels: [{ name: "cat" }] } }>().toMatchTypeOf<SearchCondition>();
    expectTypeOf<{ label_list: { op: "XOR" } }>().not.toMatchTypeOf<SearchCondition>();
  });

  test("a misspelt field is a compile error: the request types have no index signature", () => {
    // @ts-expect-error annotation_fromat is not a field of ExportTaskRequest
    const misspelt: ExportTaskRequest = { path: "/b-1/out/", annotation_fromat: "VOC" };
    // @ts-expect-error export_dset is not a field of ExportParams
    const nested: ExportTaskRequest = { path: "/b-1/out/", export_params: { export_dset: "DIR" } };
    expectTypeOf(misspelt).toEqualTypeOf<ExportTaskRequest>();
    expectTypeOf(nested).toEqualTypeOf<ExportTaskRequest>();
    expectTypeOf<keyof ExportTaskRequest>().toEqualTypeOf<
      | "annotation_format"
      | "dataset_id"
      | "dataset_type"
      | "export_format"
      | "export_params"
      | "export_type"
      | "path"
      | "sample_state"
      | "source_type_header"
      | "status"
      | "task_id"
      | "version_format"
      | "version_id"
      | "with_column_header"
    >();
  });

  test("path takes any OBS directory as a plain string", () => {
    expectTypeOf<NonNullable<ExportTaskRequest["path"]>>().toEqualTypeOf<string>();
  });

  test("the create operation takes an ExportTaskRequest body", () => {
    type Body = NonNullable<ExportTasksPath["post"]["requestBody"]>["content"]["application/json"];
    expectTypeOf<Body>().toEqualTypeOf<ExportTaskRequest>();
  });
});

describe("response shapes", () => {
  test("response status is open: the documented and inferred states, and any other string", () => {
    expectTypeOf<NonNullable<ExportTaskStatus["status"]>>().toEqualTypeOf<ExportTaskState>();
    for (const state of ["INIT", "RUNNING", "FAILED", "SUCCESSED", "STOPPING", "STOPPED", "PAUSED"] as const)
      expectTypeOf(state).toMatchTypeOf<ExportTaskState>();
    expectTypeOf<ExportTaskState>().toEqualTypeOf<string>();
    expectTypeOf<3>().not.toMatchTypeOf<ExportTaskState>();
  });

  test("every task field is optional: create may answer with task_id alone", () => {
    expectTypeOf<{ task_id: "rF9NNoB56k5rtYKg2Y7" }>().toMatchTypeOf<ExportTaskStatus>();
    expectTypeOf<ExportTaskStatus["progress"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ExportTaskStatus["create_time"]>().toEqualTypeOf<number | undefined>();
  });

  test("reported train_sample_ratio may be a string or a number; clear_difficult may appear", () => {
    expectTypeOf<NonNullable<ReportedExportParams["train_sample_ratio"]>>().toEqualTypeOf<string | number>();
    expectTypeOf<NonNullable<ReportedExportParams["clear_difficult"]>>().toEqualTypeOf<boolean>();
  });

  test("list answers with total_count and export_tasks", () => {
    expectTypeOf<ExportTaskList["export_tasks"]>().toEqualTypeOf<ExportTaskStatus[] | undefined>();
    type Ok = operations["listExportTasks"]["responses"][200]["content"]["application/json"];
    expectTypeOf<Ok>().toEqualTypeOf<ExportTaskList>();
  });

  test("list query: export_type, limit and offset, all optional", () => {
    expectTypeOf<{}>().toMatchTypeOf<ListExportTasksQuery>();
    expectTypeOf<ListExportTasksQuery["limit"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NonNullable<ListExportTasksQuery["export_type"]>>().toEqualTypeOf<0 | 1 | 2 | 3>();
  });

  test("errors carry error_code and error_msg, request_id optional", () => {
    expectTypeOf<ErrorResponse>().toEqualTypeOf<components["schemas"]["ErrorResponse"]>();
    expectTypeOf<{ error_code: "ModelArts.4352"; error_msg: "x" }>().toMatchTypeOf<ErrorResponse>();
    expectTypeOf<{ error_msg: "x" }>().not.toMatchTypeOf<ErrorResponse>();
    type NotFound = operations["getExportTask"]["responses"][404]["content"]["application/json"];
    expectTypeOf<NotFound>().toEqualTypeOf<ErrorResponse>();
  });
});
