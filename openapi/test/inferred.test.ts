// The reverse of reference-coverage: walks the bundled spec and sorts every
// operation, parameter, response, schema property, constraint, enum value
// and error code into "documented" (Huawei's page or api-facts.md states
// it) or "inferred" (the node, or one it belongs to, carries `x-inferred`).
// Anything else is unmarked invention, and fails.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parseTables, readReference, type FieldRow, type Table } from "./reference-page.js";
import { deref, loadSpec, type Node } from "./spec.js";

const page = readReference("create-export-task.zh.md");
const facts = readReference("api-facts.md");
const tables = parseTables(page);
const spec = loadSpec();

/** Keywords that constrain a value (what a validator could refuse). */
const CONSTRAINTS = [
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "uniqueItems",
  "required",
  "additionalProperties",
  "default",
  "const",
  "not",
  "multipleOf",
];

/**
 * Statements of api-facts.md (or the page) that document a node the page's
 * tables cannot: `where keyword` to the words that state it. The test fails
 * if the words are not in the reference.
 */
const STATED: Record<string, { in: "facts" | "page"; says: string }> = {
  "operation post /v2/{project_id}/datasets/{dataset_id}/export-tasks": {
    in: "facts",
    says: "`POST /v2/{project_id}/datasets/{dataset_id}/export-tasks`",
  },
  "operation get /v2/{project_id}/datasets/{dataset_id}/export-tasks": {
    in: "facts",
    says: "`GET /v2/{project_id}/datasets/{dataset_id}/export-tasks`",
  },
  "operation get /v2/{project_id}/datasets/{dataset_id}/export-tasks/{task_id}": {
    in: "facts",
    says: "`GET /v2/{project_id}/datasets/{dataset_id}/export-tasks/{task_id}`",
  },
  "parameter task_id": { in: "facts", says: "/export-tasks/{task_id}`" },
  "parameter export_type": { in: "facts", says: "query: `export_type` (0-3, omit for all)" },
  "parameter limit": { in: "facts", says: "`limit` (1-100, default 10)" },
  "parameter limit format": { in: "facts", says: "`limit` (1-100, default 10)" },
  "parameter limit minimum": { in: "facts", says: "`limit` (1-100, default 10)" },
  "parameter limit maximum": { in: "facts", says: "`limit` (1-100, default 10)" },
  "parameter limit default": { in: "facts", says: "`limit` (1-100, default 10)" },
  "parameter offset": { in: "facts", says: "`offset` (default 0)" },
  "parameter offset format": { in: "facts", says: "`offset` (default 0)" },
  "parameter offset default": { in: "facts", says: "`offset` (default 0)" },
  "header X-Request-Id": { in: "facts", says: "A request id is also returned in the `X-Request-Id` header." },
  "status 200": { in: "facts", says: "All three document 200, 401, 403 and 404." },
  "status 401": { in: "facts", says: "All three document 200, 401, 403 and 404." },
  "status 403": { in: "facts", says: "All three document 200, 401, 403 and 404." },
  "status 404": { in: "facts", says: "All three document 200, 401, 403 and 404." },
  "status 400": { in: "facts", says: "The service also answers 400 for bad parameters" },
  "status 429": { in: "facts", says: "429 for throttling" },
  "status 500": { in: "facts", says: "5xx for internal faults" },
  "status 501": { in: "facts", says: "501: 4383 operation not supported for this dataset type" },
  "ExportTaskList.total_count": { in: "facts", says: '{ "total_count": int, "export_tasks": [ExportTaskStatus...] }' },
  "ExportTaskList.total_count format": { in: "facts", says: '"total_count": int' },
  "ExportTaskList.export_tasks": { in: "facts", says: '"export_tasks": [ExportTaskStatus...]' },
  "ErrorResponse.error_code": { in: "facts", says: 'Body: `{"error_code": "ModelArts.4384", "error_msg"' },
  "ErrorResponse.error_msg": { in: "facts", says: 'Body: `{"error_code": "ModelArts.4384", "error_msg"' },
  "ErrorResponse required": { in: "facts", says: 'Body: `{"error_code": "ModelArts.4384", "error_msg"' },
  "ErrorResponse.request_id": { in: "facts", says: "gateway errors add `request_id`" },
  "ReportedExportParams.clear_difficult": {
    in: "facts",
    says: "Responses may carry `export_params.clear_difficult` (boolean)",
  },
  "ExportTaskStatus.progress minimum": { in: "facts", says: "`progress` is a float percentage (0.0-100.0)" },
  "ExportTaskStatus.progress maximum": { in: "facts", says: "`progress` is a float percentage (0.0-100.0)" },
  "enum sample_state ": { in: "facts", says: 'The page\'s own examples send `""`, read as "no state filter"' },
  "ObsDirectory must start with `/` and the bucket name": {
    in: "facts",
    says: "`path` is `/bucket/dir/.../` style: leading `/` + bucket name",
  },
  // A `..` segment names no directory of the `/bucket/dir/.../` form.
  "ObsDirectory must not have a `..` segment": { in: "facts", says: "`path` is `/bucket/dir/.../` style" },
  "SearchCondition.sample_dir must end with `/`": { in: "page", says: "目录需要以/结尾" },
  "SearchCondition.sample_time must be `month`, `day` or a range `yyyyMMdd-yyyyMMdd`": {
    in: "page",
    says: "yyyyMMdd-yyyyMMdd：搜索指定时间段内添加的样本",
  },
};

/** Error codes of api-facts.md's table, by HTTP status. */
const codesByStatus = new Map<string, string[]>(
  [...facts.matchAll(/(\d{3}): ([^.\n]*(?:\.\d+[^.\n]*)*)/g)]
    .filter(([, status]) => ["400", "403", "429", "500", "501"].includes(status ?? ""))
    .map(([, status = "", list = ""]) => [status, [...list.matchAll(/\b(\d{4})\b/g)].map((m) => `ModelArts.${m[1]}`)]),
);

/** Nodes by name: a schema reached from several operations counts once. */
interface Tally {
  documented: Set<string>;
  inferred: Set<string>;
  unmarked: Set<string>;
}

const tally: Tally = { documented: new Set(), inferred: new Set(), unmarked: new Set() };
const visitedSchemas = new Set<string>();

function stated(key: string): boolean {
  const statement = STATED[key];
  if (!statement) return false;
  const text = (statement.in === "facts" ? facts : page).replace(/\s+/g, " ");
  expect(text.includes(statement.says), `STATED["${key}"] quotes words the reference does not contain`).toBe(true);
  return true;
}

function sort(at: string, documented: boolean): void {
  (documented ? tally.documented : tally.unmarked).add(at);
}

const isInferred = (node: Node): boolean => typeof node["x-inferred"] === "string" && node["x-inferred"].length > 0;

/** What the page's row says of one constraint of the field it describes. */
function rowStates(row: FieldRow | undefined, keyword: string, value: unknown): boolean {
  if (!row) return false;
  if (keyword === "format")
    return (
      (value === "int32" && row.type === "Integer") ||
      (value === "int64" && row.type === "Long") ||
      (value === "float" && row.type === "Float")
    );
  if (keyword === "default") {
    const listed = row.enumItems.find((item) => item.isDefault)?.value;
    const written = /默认为“?([^”，,。]+)/.exec(row.description)?.[1];
    return String(value) === listed || String(value) === written;
  }
  if (keyword === "additionalProperties") return row.type.startsWith("Map<");
  return false;
}

function rowListsValue(row: FieldRow | undefined, value: unknown): boolean {
  if (!row) return false;
  return row.enumItems.some((item) => item.value === String(value)) || row.description.includes(`“${String(value)}”`);
}

const tableByAnchor = (anchor: string | undefined): Table | undefined => tables.find((t) => t.anchor === anchor);

/**
 * Walks one schema. `name` names the node for messages and STATED keys,
 * `row` is the page's row for the field (if any), `table` the page's table
 * that lists the properties of an object schema.
 */
function walkSchema(node: unknown, name: string, row: FieldRow | undefined, table: Table | undefined): void {
  const raw = node as Node;
  if (typeof raw.$ref === "string") {
    const component = /^#\/components\/schemas\/(.+)$/.exec(raw.$ref)?.[1];
    if (component) visitedSchemas.add(component);
  }
  const schema = deref(spec, node);
  if (isInferred(schema)) {
    tally.inferred.add(name);
    return;
  }
  const title = typeof schema.title === "string" ? schema.title : undefined;
  const owner = title ?? name;
  // A task listed by the list operation is the page's response table too.
  if (!table && title === "ExportTaskStatus") table = tables[7];
  for (const keyword of CONSTRAINTS) {
    if (!(keyword in schema)) continue;
    const value = schema[keyword];
    const at = `${name} ${keyword}`;
    sort(at, rowStates(row, keyword, value) || stated(at) || stated(`${owner} ${keyword}`));
  }
  for (const value of (schema.enum ?? []) as unknown[]) {
    const at = `enum ${name} ${String(value)}`;
    sort(at, rowListsValue(row, value) || stated(`enum ${row?.name ?? name} ${String(value)}`));
  }
  for (const [index, member] of ((schema.allOf ?? []) as Node[]).entries()) {
    const words = typeof member.description === "string" ? member.description : `allOf[${index}]`;
    const at = `${owner} ${words}`;
    if (isInferred(member)) tally.inferred.add(at);
    else sort(at, stated(at));
  }
  for (const [index, member] of ((schema.anyOf ?? []) as Node[]).entries())
    walkSchema(member, `${name}|anyOf[${index}]`, row, table);
  if (schema.items) walkSchema(schema.items, `${name}[]`, row, table);
  if (typeof schema.additionalProperties === "object") walkSchema(schema.additionalProperties, `${name}{}`, row, table);
  for (const [property, child] of Object.entries((schema.properties ?? {}) as Record<string, unknown>)) {
    const at = `${owner}.${property}`;
    const childRow = table?.rows.find((r) => r.name === property);
    if (isInferred(deref(spec, child))) {
      tally.inferred.add(at);
      continue;
    }
    sort(at, childRow !== undefined || stated(at));
    walkSchema(child, at, childRow, childRow?.link ? tableByAnchor(childRow.link) : undefined);
  }
}

function walkResponse(status: string, response: unknown, where: string): void {
  const resolved = deref(spec, response);
  const at = `${where} ${status}`;
  if (isInferred(resolved)) {
    tally.inferred.add(at);
    return;
  }
  sort(at, stated(`status ${status}`));
  for (const header of Object.keys((resolved.headers ?? {}) as Node))
    sort(`${at} header ${header}`, stated(`header ${header}`));
  const content = ((resolved.content ?? {}) as Record<string, Node>)["application/json"];
  if (!content) return;
  const schema = deref(spec, content.schema);
  const table = schema.title === "ExportTaskStatus" ? tables[7] : undefined;
  walkSchema(content.schema, `${at} body`, undefined, table);
  for (const [exampleName, example] of Object.entries((content.examples ?? {}) as Record<string, unknown>)) {
    const resolvedExample = deref(spec, example);
    const code = ((resolvedExample.value ?? {}) as Node).error_code;
    if (typeof code !== "string") continue;
    const codeAt = `${at} example ${exampleName} ${code}`;
    if (isInferred(resolvedExample)) tally.inferred.add(codeAt);
    else
      sort(
        codeAt,
        // A failed task's own error code may be any code of the table.
        (status === "200" ? [...codesByStatus.values()].flat() : (codesByStatus.get(status) ?? [])).includes(code) ||
          (status === "401" && code === "APIGW.0301" && facts.includes("`APIGW.0301` for failed authentication")),
      );
  }
}

function walkSpec(): void {
  const regions = /Regions known to host ModelArts: ([^.]*)\./.exec(facts.replace(/\s+/g, " "))?.[1]?.split(", ") ?? [];
  for (const [index, server] of ((spec.servers ?? []) as Node[]).entries()) {
    const host = /^https:\/\/(.*)$/.exec(server.url as string)?.[1] ?? "";
    sort(`server ${index} ${host}`, facts.includes(`https://${host}`));
    for (const [name, variable] of Object.entries((server.variables ?? {}) as Record<string, Node>)) {
      for (const value of (variable.enum ?? []) as string[])
        sort(`server ${index} ${name} ${value}`, regions.includes(value));
      sort(`server ${index} ${name} default`, regions.includes(variable.default as string));
    }
  }
  const requestTable = tables[1];
  for (const [path, item] of Object.entries(spec.paths as Record<string, Node>)) {
    const shared = (item.parameters ?? []) as unknown[];
    for (const [method, operation] of Object.entries(item).filter(([key]) => ["get", "post"].includes(key))) {
      const op = operation as Node;
      const where = `${method} ${path}`;
      sort(`operation ${where}`, stated(`operation ${where}`));
      for (const parameter of [...shared, ...((op.parameters ?? []) as unknown[])]) {
        const p = deref(spec, parameter);
        const name = p.name as string;
        const row = tables[0]?.rows.find((r) => r.name === name && p.in === "path");
        // The list filter takes the request's export_type values.
        const queryRow = name === "export_type" ? requestTable?.rows.find((r) => r.name === name) : undefined;
        sort(`${where} parameter ${name}`, row !== undefined || stated(`parameter ${name}`));
        walkSchema(p.schema, `parameter ${name}`, row ?? queryRow, undefined);
      }
      const body = (((op.requestBody ?? {}) as Node).content as Record<string, Node> | undefined)?.["application/json"];
      if (body) walkSchema(body.schema, `${where} body`, undefined, requestTable);
      for (const [status, response] of Object.entries(op.responses as Node)) walkResponse(status, response, where);
    }
  }
}

walkSpec();

describe("every node of the bundled spec is documented or marked x-inferred", () => {
  test("no node is unmarked invention", () => {
    expect([...tally.unmarked]).toEqual([]);
  });

  test("every component schema was reached by the walk", () => {
    const all = Object.keys((spec.components as Node).schemas as Node);
    expect(all.filter((name) => !visitedSchemas.has(name))).toEqual([]);
  });

  test("the counts are the ones openapi/README.md states", () => {
    const counts = `${tally.documented.size} documented, ${tally.inferred.size} inferred, ${tally.unmarked.size} unmarked`;
    console.log(`bundled spec: ${counts}`);
    if (process.env.DUMP_NODES)
      console.log([...tally.inferred].join("\n"), "\n---\n", [...tally.documented].join("\n"));
    const readme = readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
    expect(readme).toContain(counts);
  });

  test("the walk sees inferred nodes where the spec marks them, and counts them once", () => {
    expect(tally.inferred).toContain("ObsDirectory must end with `/`");
    expect(tally.inferred).toContain("post /v2/{project_id}/datasets/{dataset_id}/export-tasks default");
    expect(tally.inferred).toContain("ExportTaskStatus.status|anyOf[1]");
    expect(tally.documented).toContain("enum ExportTaskStatus.status|anyOf[0] SUCCESSED");
    expect(tally.documented).toContain("server 0 region cn-north-4");
    for (const name of tally.inferred) expect(tally.documented.has(name), name).toBe(false);
  });

  test("a node neither stated nor marked is caught", () => {
    const before = new Set(tally.unmarked);
    walkSchema({ type: "string", pattern: "^x$", enum: ["y"] }, "Probe", undefined, undefined);
    expect([...tally.unmarked].filter((name) => !before.has(name))).toEqual(["Probe pattern", "enum Probe y"]);
    for (const name of ["Probe pattern", "enum Probe y"]) tally.unmarked.delete(name);
  });
});
