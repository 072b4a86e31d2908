// What the CLI knows about the API, read from the bundled spec of
// @modelarts-export/openapi at run time, so that flags, allowed values and
// help texts follow the spec without a copy here.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  minimum?: number;
  maximum?: number;
  format?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  "x-inferred"?: unknown;
};

interface Parameter {
  name: string;
  in: string;
  description?: string;
  schema: Schema;
  "x-inferred"?: unknown;
}

interface Spec {
  paths: Record<string, Record<string, { parameters?: ({ $ref: string } | Parameter)[] }>>;
  components: { schemas: Record<string, Schema>; parameters: Record<string, Parameter> };
}

/** How a flag's text becomes a value of the body. */
export type Kind = "string" | "integer" | "boolean" | "list" | "json";

export interface FieldSpec {
  /** The wire name, such as `annotation_format`. */
  field: string;
  /** Top-level body field or member of `export_params`. */
  where: "body" | "export_params";
  kind: Kind;
  /** The spec's description, as one line of plain text. */
  description: string;
  /** Allowed values, when the spec states them (not when only inferred). */
  choices?: unknown[];
  minimum?: number;
  maximum?: number;
}

const loadSpec = (() => {
  let spec: Spec | undefined;
  return (): Spec => {
    const path = createRequire(import.meta.url).resolve("@modelarts-export/openapi/openapi.json");
    return (spec ??= JSON.parse(readFileSync(path, "utf8")) as Spec);
  };
})();

const refName = (ref: string): string => ref.slice(ref.lastIndexOf("/") + 1);

/**
 * A schema with its `$ref` followed and its `allOf` members merged in. Members
 * marked `x-inferred` carry rules Huawei's page does not state: the CLI leaves
 * those to the validator (warnings) and never refuses on them.
 */
function resolve(schema: Schema): Schema {
  const { $ref, allOf, ...own } = schema;
  let merged: Schema = $ref ? { ...resolve(loadSpec().components.schemas[refName($ref)] ?? {}) } : {};
  for (const member of allOf ?? []) if (member["x-inferred"] === undefined) merged = { ...merged, ...resolve(member) };
  return { ...merged, ...own };
}

/** Markdown description as one line: no backticks, single spaces. */
export const plain = (text: string | undefined): string => (text ?? "").replace(/`/g, "").replace(/\s+/g, " ").trim();

function kindOf(schema: Schema): Kind {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "integer") return "integer";
  if (type === "boolean") return "boolean";
  if (type === "array") return resolve(schema.items ?? {}).type === "string" ? "list" : "json";
  if (type === "object") return "json";
  return "string";
}

function fieldSpec(field: string, where: FieldSpec["where"], property: Schema): FieldSpec {
  const schema = resolve(property);
  const documented = schema["x-inferred"] === undefined;
  return {
    field,
    where,
    kind: kindOf(schema),
    description: plain(schema.description),
    ...(documented && schema.enum ? { choices: schema.enum } : {}),
    ...(documented && schema.minimum !== undefined ? { minimum: schema.minimum } : {}),
    ...(documented && schema.maximum !== undefined ? { maximum: schema.maximum } : {}),
  };
}

/**
 * The fields of the create body that get a flag: the top-level ones, then
 * those of `export_params`. The body's `dataset_id` has none (--dataset-id
 * names the dataset in the URL), nor does a member of `export_params` whose
 * name a top-level field already uses (`sample_state`): --body sends those.
 */
export function requestFields(): FieldSpec[] {
  const request = resolve({ $ref: "#/components/schemas/ExportTaskRequest" });
  const params = resolve(request.properties?.export_params ?? {});
  const top = Object.entries(request.properties ?? {})
    .filter(([field]) => field !== "dataset_id" && field !== "export_params")
    .map(([field, schema]) => fieldSpec(field, "body", schema));
  const names = new Set(top.map((f) => f.field));
  const nested = Object.entries(params.properties ?? {})
    .filter(([field]) => !names.has(field))
    .map(([field, schema]) => fieldSpec(field, "export_params", schema));
  return [...top, ...nested];
}

/** A query parameter of the list operation, such as `limit`. */
export function listParameter(name: string): FieldSpec {
  const spec = loadSpec();
  const operation = Object.entries(spec.paths).find(([path]) => path.endsWith("/export-tasks"))?.[1].get;
  for (const entry of operation?.parameters ?? []) {
    const parameter = "$ref" in entry ? spec.components.parameters[refName(entry.$ref)] : entry;
    if (parameter?.in === "query" && parameter.name === name)
      return {
        ...fieldSpec(name, "body", { ...parameter.schema, ...(parameter["x-inferred"] ? { "x-inferred": true } : {}) }),
        description: plain(parameter.description),
      };
  }
  throw new Error(`the bundled spec has no list parameter "${name}"`);
}

/** The description of a path parameter, such as `task_id`. */
export function pathParameterDescription(name: string): string {
  return plain(loadSpec().components.parameters[name]?.description);
}
