// Holds the bundled spec against every table of Huawei's reference page:
// each field, in the right schema, with its type, enum values, defaults and
// required flags; and the page's status codes.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parseStatusCodes, parseTables, type FieldRow, type Table } from "./reference-page.js";
import { deref, enumOf, loadSpec, patternsOf, typesOf, type Node } from "./spec.js";
import { REFERENCE_FILES, readReference, sharedReference, vendoredReference } from "./reference-page.js";

const page = readReference("create-export-task.zh.md");

const spec = loadSpec();
const tables = parseTables(page);
const createPath = (spec.paths as Node)["/v2/{project_id}/datasets/{dataset_id}/export-tasks"] as Node;
const createOp = createPath.post as Node;

const tableByAnchor = (anchor: string): Table => {
  const table = tables.find((t) => t.anchor === anchor);
  if (!table) throw new Error(`no table anchored ${anchor}`);
  return table;
};

/** What the page's type column promises, checked against a resolved schema. */
function expectType(row: FieldRow, schema: Node, where: string): void {
  const types = typesOf(schema);
  const itemTypes = schema.items ? typesOf(deref(spec, schema.items)) : [];
  const message = `${where}: type "${row.type}"`;
  if (row.type === "String") expect(types, message).toContain("string");
  else if (row.type === "Integer") expect(types, message).toContain("integer");
  else if (row.type === "Long") {
    expect(types, message).toContain("integer");
    expect(schema.format, message).toBe("int64");
  } else if (row.type === "Float") expect(types, message).toContain("number");
  else if (row.type === "Boolean") expect(types, message).toEqual(["boolean"]);
  else if (row.type === "Array of strings") {
    expect(types, message).toEqual(["array"]);
    expect(itemTypes, message).toEqual(["string"]);
  } else if (/^Array of \w+ objects$/.test(row.type)) {
    expect(types, message).toEqual(["array"]);
    expect(itemTypes, message).toEqual(["object"]);
  } else if (/^\w+ object$/.test(row.type)) expect(types, message).toEqual(["object"]);
  else if (row.type === "Map<String,Array<String>>") {
    expect(types, message).toEqual(["object"]);
    const values = deref(spec, schema.additionalProperties);
    expect(typesOf(values), message).toContain("array");
    expect(typesOf(deref(spec, values.items)), message).toEqual(["string"]);
  } else throw new Error(`${message} is not a type this test knows`);
}

interface Tally {
  fields: number;
  enumValues: number;
}

/** Checks one table against one object schema, descending into linked tables. */
function checkTable(table: Table, schemaNode: unknown, where: string, tally: Tally): void {
  const schema = deref(spec, schemaNode);
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = (schema.required ?? []) as string[];
  for (const row of table.rows) {
    const at = `${where}.${row.name}`;
    expect(properties, `${at} is missing`).toHaveProperty([row.name]);
    const property = deref(spec, properties[row.name]);
    tally.fields += 1;
    expectType(row, property, at);
    expect(typeof property.description === "string" && property.description.length > 0, `${at} description`).toBe(true);
    if (row.required !== undefined) expect(required.includes(row.name), `${at} required`).toBe(row.required);
    checkEnum(row, property, at, tally);
    if (row.required !== undefined) checkDefault(row, property, at);
    if (row.link) {
      const inner = property.items ? property.items : properties[row.name];
      checkTable(tableByAnchor(row.link), inner, row.type.startsWith("Array") ? `${at}[]` : at, tally);
    }
  }
}

function checkEnum(row: FieldRow, property: Node, at: string, tally: Tally): void {
  if (row.enumItems.length === 0) return;
  const types = typesOf(property);
  if (types.includes("boolean")) {
    expect(row.enumItems.map((i) => i.value).sort(), at).toEqual(["false", "true"]);
    return;
  }
  if (row.name === "sample_time") {
    // month, day or a yyyyMMdd-yyyyMMdd range: a pattern, not an enum; the
    // page's own example (two digits more) must pass too.
    const patterns = patternsOf(property).map((p) => new RegExp(p));
    expect(patterns, at).toHaveLength(1);
    for (const sample of ["month", "day", "20190901-20190915", "20190901-2019091501"])
      for (const pattern of patterns) expect(sample, at).toMatch(pattern);
    expect(
      patterns.every((pattern) => pattern.test("week")),
      at,
    ).toBe(false);
    return;
  }
  const allowed = enumOf(property);
  expect(allowed.values.length, `${at} has no enum`).toBeGreaterThan(0);
  for (const item of row.enumItems) {
    const value = types.includes("integer") ? Number(item.value) : item.value;
    expect(allowed.values, `${at} lacks enum value ${item.value}`).toContain(value);
    expect(allowed.descriptions[String(value)], `${at} enum value ${item.value} is not described`).toBeTruthy();
    tally.enumValues += 1;
  }
}

function checkDefault(row: FieldRow, property: Node, at: string): void {
  const listed = row.enumItems.find((i) => i.isDefault);
  const stated = /默认为“?([^”，,。]+)/.exec(row.description)?.[1];
  if (listed) {
    const expected = typesOf(property).includes("boolean") ? listed.value === "true" : listed.value;
    expect(property.default, `${at} default`).toEqual(expected);
  } else if (stated) expect(property.default, `${at} default`).toBe(stated);
}

describe("the bundled spec covers the reference page", () => {
  test("the vendored reference files exist and equal the shared ones", () => {
    for (const name of REFERENCE_FILES) {
      expect(existsSync(vendoredReference(name)), `openapi/reference/${name} is missing`).toBe(true);
      // Outside the workplace only the vendored copies exist.
      if (existsSync(sharedReference(name)))
        expect(readFileSync(vendoredReference(name), "utf8"), name).toBe(readFileSync(sharedReference(name), "utf8"));
    }
  });

  test("the page parses into its 13 tables", () => {
    expect(tables.map((t) => t.caption)).toEqual([
      "路径参数",
      "请求Body参数",
      "ExportParams",
      "SearchCondition",
      "SearchLabels",
      "SearchLabel",
      "SearchProp",
      "响应Body参数",
      "ExportParams",
      "SearchCondition",
      "SearchLabels",
      "SearchLabel",
      "SearchProp",
    ]);
  });

  const tally: Tally = { fields: 0, enumValues: 0 };

  test("path parameters", () => {
    const parameters = (createPath.parameters as unknown[]).map((p) => deref(spec, p));
    const [pathTable] = tables;
    for (const row of pathTable?.rows ?? []) {
      const parameter = parameters.find((p) => p.name === row.name && p.in === "path");
      expect(parameter, row.name).toBeDefined();
      expect(parameter?.required, row.name).toBe(row.required);
      expectType(row, deref(spec, parameter?.schema), `path.${row.name}`);
      tally.fields += 1;
    }
  });

  test("request body: every field, type, enum value and default in the right schema", () => {
    const body = ((createOp.requestBody as Node).content as Node)["application/json"] as Node;
    expect(deref(spec, body.schema).title).toBe("ExportTaskRequest");
    checkTable(tables[1] as Table, body.schema, "request", tally);
  });

  test("response body: every field, type and enum value in the right schema", () => {
    const ok = deref(spec, (createOp.responses as Node)["200"]);
    const schema = ((ok.content as Node)["application/json"] as Node).schema;
    expect(deref(spec, schema).title).toBe("ExportTaskStatus");
    checkTable(tables[7] as Table, schema, "response", tally);
  });

  test("status codes", () => {
    const codes = parseStatusCodes(page);
    expect(codes).toEqual(["200", "401", "403", "404"]);
    for (const code of codes) expect(createOp.responses, `status ${code}`).toHaveProperty([code]);
    tally.fields += codes.length;
  });

  test("105 fields and status codes and 117 enum values were checked", () => {
    expect(tally).toEqual({ fields: 105, enumValues: 117 });
  });
});
