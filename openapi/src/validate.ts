// Checks requests against the bundled description and says, for each
// problem, whether Huawei documents the rule it breaks or we inferred it
// (`x-inferred`), so that callers refuse only what the service refuses and
// warn about the rest. Every schema is compiled by Ajv (JSON Schema 2020-12).
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { closest } from "fastest-levenshtein";

/** The bundled description, as `openapi.json` beside this module has it. */
export interface Spec {
  paths: Record<string, Record<string, { parameters?: unknown[] } | undefined>>;
  components: { schemas: Record<string, unknown>; parameters: Record<string, unknown> };
}

export type ProblemCode = "ModelArts.4384" | "ModelArts.4358" | "ModelArts.4396";

/** One rule a request breaks. */
export interface Problem {
  /** Dotted field path, such as `export_params.train_sample_ratio`; `""` for the whole body. */
  field: string;
  /** The rule in words, such as "must end with `/`". */
  rule: string;
  /** `documented`: Huawei's reference states the rule. `inferred`: our reading (`x-inferred`). */
  source: "documented" | "inferred";
  /** Why we believe an inferred rule. */
  reason?: string;
  /** The error code the service answers a documented violation with. */
  code: ProblemCode;
  /** For an unknown field: the known field whose name is closest. */
  closest?: string;
  /** One sentence naming the field and the rule. */
  message: string;
}

export interface ListQuery {
  export_type?: number;
  limit: number;
  offset: number;
}

export interface RequestValidator {
  /** Problems of a `createExportTask` body; empty when it is fine. */
  createBody(body: unknown): Problem[];
  /** Problems of `listExportTasks` query parameters (strings from a URL), and the values read. */
  listQuery(query: Record<string, string>): { value: ListQuery; problems: Problem[] };
  /** A compiled validator of one component schema (for checking answers). */
  schema(name: string): ValidateFunction;
}

export const loadSpec = (): Spec =>
  JSON.parse(readFileSync(new URL("./openapi.json", import.meta.url), "utf8")) as Spec;

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

const UNKNOWN_FIELD_REASON =
  "The reference lists the fields of the request but does not say what the service does with another one; it may be ignored.";

function newAjv(coerceTypes: boolean): Ajv2020 {
  // verbose: errors carry the schema that holds the failed keyword, whose
  // `description` words the rule and whose `x-inferred` says why we hold it.
  const ajv = new Ajv2020({ allErrors: true, strict: false, coerceTypes, useDefaults: false, verbose: true });
  ajv.addFormat("int32", {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max,
  });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat("float", { type: "number", validate: (n: number) => Number.isFinite(n) });
  return ajv;
}

/**
 * A copy of the schemas in which every object schema with listed properties
 * refuses others, so that unknown fields show up as errors; they are
 * reported as inferred problems (the spec itself does not refuse them).
 */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== "object") return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, closeObjects(value)]));
  if ("properties" in copy && !("additionalProperties" in copy)) copy.additionalProperties = false;
  return copy;
}

const article = (type: string): string => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** The rule an Ajv error breaks, in words. */
function ruleOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const holder = (error.parentSchema ?? {}) as Record<string, unknown>;
  switch (error.keyword) {
    case "type":
      return `must be ${String(params.type)
        .split(",")
        .map((t) => article(t === "null" ? "null" : t))
        .join(" or ")}`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "required":
      return "is required";
    case "minimum":
      return `must be at least ${String(params.limit)}`;
    case "maximum":
      return `must be at most ${String(params.limit)}`;
    case "maxLength":
      return `must be at most ${String(params.limit)} characters long`;
    case "minLength":
      return `must be at least ${String(params.limit)} characters long`;
    case "format":
      return params.format === "int32"
        ? `must be a 32-bit integer (${INT32.min} to ${INT32.max})`
        : params.format === "int64"
          ? "must be an integer of at most 53 bits"
          : "must be a finite number";
    case "additionalProperties":
      return "is not a field the reference lists";
    default:
      return typeof holder.description === "string" && holder.description.length < 120
        ? holder.description
        : (error.message ?? "is invalid");
  }
}

/** One Ajv error as "field rule" in words, such as `offset must be at least 0` (for other Ajv schemas too). */
export function describeError(error: ErrorObject, root = ""): string {
  const params = error.params as Record<string, unknown>;
  const extra = error.keyword === "required" ? params.missingProperty : params.additionalProperty;
  const field = [root, fieldOf(error.instancePath, extra)].filter(Boolean).join(".");
  const rule = error.keyword === "additionalProperties" ? "is not a known field" : ruleOf(error);
  return `${field || "the body"} ${rule}`;
}

/** `/export_params/search_conditions/0/sample_time` to `export_params.search_conditions[0].sample_time`. */
const fieldOf = (pointer: string, extra?: unknown): string =>
  [...pointer.split("/").slice(1), ...(typeof extra === "string" ? [extra] : [])]
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".")
    .replace(/\.(\d+)(?=\.|$)/g, "[$1]");

// Fields whose documented failures are path errors (4358), as on the service.
const PATH_FIELDS = new Set(["path", "export_params.export_new_dataset_work_path"]);

function problem(fields: Omit<Problem, "message">): Problem {
  const subject = fields.field === "" ? "the body" : fields.field;
  const suggestion = fields.closest ? `; did you mean ${fields.closest}?` : "";
  const source = fields.reason ? ` (inferred, not stated by Huawei's reference: ${fields.reason})` : "";
  return { ...fields, message: `${subject} ${fields.rule}${suggestion}${source}` };
}

/** Ajv errors to problems: one per field and rule, noise of union keywords left out. */
function toProblems(errors: ErrorObject[], codeOf: (field: string) => ProblemCode): Problem[] {
  const problems = new Map<string, Problem>();
  for (const error of errors) {
    // anyOf/oneOf/allOf/not failures come with the errors of their members,
    // or (for `not`) are worded by the member that holds them.
    if (["anyOf", "oneOf", "allOf", "if", "then"].includes(error.keyword)) continue;
    const params = error.params as Record<string, unknown>;
    const extra = error.keyword === "required" ? params.missingProperty : params.additionalProperty;
    const field = fieldOf(error.instancePath, extra);
    const holder = (error.parentSchema ?? {}) as Record<string, unknown>;
    const unknown = error.keyword === "additionalProperties";
    const reason = unknown
      ? UNKNOWN_FIELD_REASON
      : typeof holder["x-inferred"] === "string"
        ? holder["x-inferred"]
        : undefined;
    const known = unknown ? Object.keys((holder.properties ?? {}) as object) : [];
    const rule = ruleOf(error);
    const key = `${field} ${rule}`;
    if (problems.has(key)) continue;
    problems.set(
      key,
      problem({
        field,
        rule,
        source: reason ? "inferred" : "documented",
        ...(reason ? { reason } : {}),
        code: codeOf(field),
        ...(known.length > 0 ? { closest: closest(String(extra), known) } : {}),
      }),
    );
  }
  return [...problems.values()];
}

const bodyCode = (field: string): ProblemCode => (PATH_FIELDS.has(field) ? "ModelArts.4358" : "ModelArts.4384");

/** Rules across fields that api-facts.md states and a schema does not express. */
function crossFieldProblems(body: Record<string, unknown>): Problem[] {
  const found: Problem[] = [];
  const params = (
    typeof body.export_params === "object" && body.export_params !== null ? body.export_params : {}
  ) as Record<string, unknown>;
  // "Needed in practice when exporting to OBS or a new dataset, though the page marks it optional."
  if (body.path === undefined)
    found.push(
      problem({
        field: "path",
        rule: "is required: the OBS directory to export to",
        source: "documented",
        code: "ModelArts.4358",
      }),
    );
  // "export_dest=NEW_DATASET needs export_new_dataset_name and export_new_dataset_work_path."
  if (params.export_dest === "NEW_DATASET")
    for (const name of ["export_new_dataset_name", "export_new_dataset_work_path"])
      if (params[name] === undefined || params[name] === "")
        found.push(
          problem({
            field: `export_params.${name}`,
            rule: "is required when export_dest is NEW_DATASET",
            source: "documented",
            code: bodyCode(`export_params.${name}`),
          }),
        );
  return found;
}

interface Parameter {
  name: string;
  in: string;
  schema: unknown;
}

export function createRequestValidator(spec: Spec = loadSpec()): RequestValidator {
  const plain = newAjv(false);
  const closed = newAjv(false);
  const coercing = newAjv(true);
  // Only the schemas: the rest of the document is not JSON Schema.
  plain.addSchema({ $id: "spec", components: { schemas: spec.components.schemas } });
  closed.addSchema({ $id: "spec", components: { schemas: closeObjects(spec.components.schemas) } });
  coercing.addSchema({ $id: "spec", components: { schemas: spec.components.schemas } });
  const compile = (ajv: Ajv2020, name: string): ValidateFunction =>
    ajv.compile({ $ref: `spec#/components/schemas/${name}` });

  const body = compile(closed, "ExportTaskRequest");
  const listParameters = (spec.paths["/v2/{project_id}/datasets/{dataset_id}/export-tasks"]?.get?.parameters ?? [])
    .map((p) => {
      const ref = (p as { $ref?: string }).$ref;
      return (ref ? spec.components.parameters[ref.split("/").pop() ?? ""] : p) as Parameter | undefined;
    })
    .filter((p): p is Parameter => p?.in === "query");
  // Parameter schemas refer to `#/components/...` of the spec document.
  const inSpec = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"spec#/components/'));
  const query = coercing.compile({
    type: "object",
    properties: Object.fromEntries(listParameters.map((p) => [p.name, inSpec(p.schema)])),
  });
  const known = listParameters.map((p) => p.name);

  const cache = new Map<string, ValidateFunction>();
  return {
    createBody(value) {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        return [problem({ field: "", rule: "must be a JSON object", source: "documented", code: "ModelArts.4384" })];
      const problems = body(value) ? [] : toProblems(body.errors ?? [], bodyCode);
      return [...problems, ...crossFieldProblems(value as Record<string, unknown>)];
    },
    listQuery(raw) {
      const value: Record<string, unknown> = { ...raw };
      const problems = query(value) ? [] : toProblems(query.errors ?? [], () => "ModelArts.4396");
      for (const name of Object.keys(raw).filter((n) => !known.includes(n))) {
        delete value[name];
        problems.push(
          problem({
            field: name,
            rule: "is not a query parameter the reference lists",
            source: "inferred",
            reason: "The reference does not say what the service does with another query parameter; it may be ignored.",
            code: "ModelArts.4396",
            closest: closest(name, known),
          }),
        );
      }
      return { value: { limit: 10, offset: 0, ...(value as Partial<ListQuery>) }, problems };
    },
    schema(name) {
      let validate = cache.get(name);
      if (!validate) {
        validate = compile(plain, name);
        cache.set(name, validate);
      }
      return validate;
    },
  };
}

/** The problems that the service is documented to refuse. */
export const documented = (problems: Problem[]): Problem[] => problems.filter((p) => p.source === "documented");
/** The problems that break only rules we inferred. */
export const inferred = (problems: Problem[]): Problem[] => problems.filter((p) => p.source === "inferred");
