// Public entry: the generated OpenAPI types (`paths`, `operations`,
// `components` and one alias per schema), plus names for shapes that are
// awkward to spell from the generated tree.
import type { operations } from "./generated/openapi.js";

export * from "./generated/openapi.js";
export type { SpecVersion } from "./generated/spec-version.js";

/** Query parameters of `listExportTasks` (`export_type`, `limit`, `offset`). */
export type ListExportTasksQuery = NonNullable<operations["listExportTasks"]["parameters"]["query"]>;

/** Path parameters shared by every export-task operation. */
export type DatasetPathParams = operations["listExportTasks"]["parameters"]["path"];

/** Path parameters of `getExportTask`. */
export type ExportTaskPathParams = operations["getExportTask"]["parameters"]["path"];
