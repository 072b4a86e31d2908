// `create` flags: every field of the request body, named after it in
// kebab-case, turned into the JSON body the API takes.
import type { ExportTaskRequest } from "@modelarts-export/client";

export type Kind = "string" | "integer" | "boolean" | "list" | "json";

/**
 * [field, kind, where]: top-level request fields, then export_params. The
 * body's own `dataset_id` has no flag: --dataset-id names the dataset in the
 * URL (use --body to send the field too).
 */
export const BODY_FIELDS: [string, Kind, "body" | "export_params"][] = [
  ["annotation_format", "string", "body"],
  ["dataset_type", "integer", "body"],
  ["export_format", "integer", "body"],
  ["export_type", "integer", "body"],
  ["path", "string", "body"],
  ["sample_state", "string", "body"],
  ["source_type_header", "string", "body"],
  ["status", "integer", "body"],
  ["task_id", "string", "body"],
  ["version_format", "string", "body"],
  ["version_id", "string", "body"],
  ["with_column_header", "boolean", "body"],
  ["clear_hard_property", "boolean", "export_params"],
  ["export_dataset_version_format", "string", "export_params"],
  ["export_dataset_version_name", "string", "export_params"],
  ["export_dest", "string", "export_params"],
  ["export_new_dataset_name", "string", "export_params"],
  ["export_new_dataset_work_path", "string", "export_params"],
  ["ratio_sample_usage", "boolean", "export_params"],
  ["samples", "list", "export_params"],
  ["search_conditions", "json", "export_params"],
  ["train_sample_ratio", "string", "export_params"],
];

export const flagName = (field: string): string => field.replace(/_/g, "-");
/** commander's key for a flag: camelCase. */
export const optionKey = (field: string): string => field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export class UsageError extends Error {}

function convert(field: string, kind: Kind, value: unknown): unknown {
  if (kind === "integer") {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new UsageError(`--${flagName(field)} must be an integer, got "${String(value)}"`);
    return n;
  }
  if (kind === "list")
    return String(value)
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (kind === "json") {
    try {
      return JSON.parse(String(value));
    } catch (error) {
      throw new UsageError(`--${flagName(field)} must be JSON: ${(error as Error).message}`);
    }
  }
  return value;
}

/** The request body from the flags that were given. */
export function bodyFromFlags(options: Record<string, unknown>): ExportTaskRequest {
  const body: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  for (const [field, kind, where] of BODY_FIELDS) {
    const value = options[optionKey(field)];
    if (value === undefined) continue;
    (where === "body" ? body : params)[field] = convert(field, kind, value);
  }
  if (Object.keys(params).length) body.export_params = params;
  return body as ExportTaskRequest;
}
