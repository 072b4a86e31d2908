// Request validation with the bundled OpenAPI description: every schema the
// spec declares is compiled by Ajv (JSON Schema 2020-12), so the emulator
// accepts exactly what the spec says and names the field and rule otherwise.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { errors } from "./errors.js";

const require = createRequire(import.meta.url);

export type Spec = {
  paths: Record<string, Record<string, { parameters?: unknown[] }>>;
  components: { schemas: Record<string, unknown>; parameters: Record<string, Parameter> };
};

interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema: unknown;
}

/** The bundled OpenAPI description (JSON) of the installed @modelarts-export/openapi. */
export const specFile = require.resolve("@modelarts-export/openapi/openapi.json");

export const loadSpec = (): Spec => JSON.parse(readFileSync(specFile, "utf8")) as Spec;

function newAjv(coerceTypes: boolean): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, coerceTypes, useDefaults: false });
  // OpenAPI annotations that are not JSON Schema keywords.
  ajv.addVocabulary(["example", "x-enumDescriptions", "components"]);
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat("float", { type: "number", validate: (n: number) => Number.isFinite(n) });
  return ajv;
}

/** Turns one Ajv error into "field: rule" in the API's vocabulary. */
export function describeError(error: ErrorObject, root: string): string {
  const field = [root, ...error.instancePath.split("/").slice(1)]
    .filter(Boolean)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".")
    .replace(/\.(\d+)(?=\.|$)/g, "[$1]");
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return `${field ? `${field}.` : ""}${String(params.additionalProperty)} is not a known field`;
    case "enum":
      return `${field} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "pattern":
      return `${field} must match ${String(params.pattern)}`;
    case "required":
      return `${field ? `${field}.` : ""}${String(params.missingProperty)} is required`;
    default:
      return `${field || "body"} ${error.message ?? "is invalid"}`;
  }
}

export interface Validators {
  /** Validates a create body; throws the API error naming the first problem. */
  createBody(body: unknown): void;
  /** Validates and coerces list query parameters (strings from the URL). */
  listQuery(query: Record<string, string>): { export_type?: number; limit: number; offset: number };
  /** Checks a response body against a named schema (used by tests). */
  schema(name: string): ValidateFunction;
}

// Fields whose failures are path errors (4358) rather than parameter errors.
const PATH_FIELDS = new Set(["/path", "/export_params/export_new_dataset_work_path"]);

export function createValidators(spec: Spec = loadSpec()): Validators {
  const strictAjv = newAjv(false);
  const coercingAjv = newAjv(true);
  // Only the schemas: the rest of the document is not JSON Schema.
  for (const ajv of [strictAjv, coercingAjv])
    ajv.addSchema({ $id: "spec", components: { schemas: spec.components.schemas } });
  const compile = (ajv: Ajv2020, name: string): ValidateFunction =>
    ajv.compile({ $ref: `spec#/components/schemas/${name}` });

  const body = compile(strictAjv, "ExportTaskRequest");
  const listParameters = (spec.paths["/v2/{project_id}/datasets/{dataset_id}/export-tasks"]?.get?.parameters ?? [])
    .map((p) => p as { $ref?: string })
    .map((p) => spec.components.parameters[(p.$ref ?? "").split("/").pop() ?? ""])
    .filter((p): p is Parameter => p?.in === "query");
  // Parameter schemas refer to `#/components/...` of the spec document.
  const inSpec = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"spec#/components/'));
  const query = coercingAjv.compile({
    type: "object",
    additionalProperties: false,
    properties: Object.fromEntries(listParameters.map((p) => [p.name, inSpec(p.schema)])),
  });

  const cache = new Map<string, ValidateFunction>();
  return {
    createBody(value) {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw errors.invalidExportParameter("the body must be a JSON object");
      }
      if (body(value)) return;
      const [first] = body.errors ?? [];
      if (!first) throw errors.invalidExportParameter("the body is invalid");
      const message = describeError(first, "");
      throw PATH_FIELDS.has(first.instancePath)
        ? errors.invalidExportPath(message)
        : errors.invalidExportParameter(message);
    },
    listQuery(raw) {
      const value: Record<string, unknown> = { ...raw };
      if (!query(value)) {
        const [first] = query.errors ?? [];
        throw errors.invalidParameter(first ? describeError(first, "") : "invalid query");
      }
      return { limit: 10, offset: 0, ...(value as { export_type?: number; limit?: number; offset?: number }) };
    },
    schema(name) {
      let validate = cache.get(name);
      if (!validate) {
        validate = compile(strictAjv, name);
        cache.set(name, validate);
      }
      return validate;
    },
  };
}
