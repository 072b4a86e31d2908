// Breaking changes in the spec, for users who generate clients from it in
// other languages. api-smart-diff compares the two descriptions and classifies
// each change; the corrections below fix what it gets wrong for OpenAPI 3.1
// (each was found by a case in test/spec-diff.test.ts).
import { apiCompare } from "api-smart-diff";

const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"]);

/** `node`, or what its local `$ref` points to. */
function resolve(doc, node) {
  for (let hops = 0; node && typeof node === "object" && typeof node.$ref === "string" && hops < 32; hops += 1) {
    node = node.$ref.startsWith("#/")
      ? node.$ref
          .slice(2)
          .split("/")
          .reduce((parent, part) => parent?.[part.replaceAll("~1", "/").replaceAll("~0", "~")], doc)
      : undefined;
  }
  return node;
}

/** The node at `path` in `doc`, following local `$ref`s on the way. */
function at(doc, path) {
  let node = resolve(doc, doc);
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = resolve(doc, node[key]);
  }
  return node;
}

/** `request`, `response` or undefined, from where a change sits. */
function direction(path) {
  if (path.includes("responses")) return "response";
  if (path.includes("requestBody") || path.includes("parameters")) return "request";
  return undefined;
}

/** `POST /v2/.../export-tasks request body: export_params.export_dest` */
export function describeLocation(path) {
  if (path[0] !== "paths") return path.join(".");
  const [, url, method, ...rest] = path;
  const where = [];
  if (METHODS.has(method)) where.push(`${method.toUpperCase()} ${url}`);
  else where.push(url, method);
  const schema = rest.indexOf("schema");
  if (rest[0] === "requestBody") where.push("request body");
  else if (rest[0] === "responses") where.push(`response ${rest[1]}`);
  else if (rest.length > 0) where.push(rest.slice(0, schema < 0 ? undefined : schema).join("."));
  const field = (schema < 0 ? [] : rest.slice(schema + 1)).filter(
    (key) => !["properties", "items", "allOf", "anyOf", "oneOf"].includes(key) && typeof key !== "number",
  );
  return field.length > 0 ? `${where.join(" ")}: ${field.join(".")}` : where.join(" ");
}

const types = (value) => new Set(value === undefined ? [] : [value].flat());
const covers = (wider, narrower) =>
  [...narrower].every((type) => wider.has(type) || (type === "integer" && wider.has("number")));

/**
 * Our classification of one api-smart-diff change, or undefined to keep its
 * own. Returns `{ type, reason }`.
 */
function correct(change, before, after) {
  const { path, action } = change;
  const last = path.at(-1);
  const flow = direction(path);
  if (path.some((key) => typeof key === "string" && key.startsWith("x-"))) {
    return { type: "annotation", reason: "an extension (x-…) changed: documentation, not the wire" };
  }
  if (!flow) return undefined;
  // A property leaves the generated models in every language.
  if (action === "remove" && path.at(-2) === "properties") {
    return {
      type: "breaking",
      reason: `the field is removed: code generated from the last release uses it (${flow})`,
    };
  }
  // `enum` entries gone because the whole keyword went: the set opened.
  const enumAt = path.lastIndexOf("enum");
  if (
    enumAt > 0 &&
    path[enumAt - 1] !== "properties" &&
    (action === "remove" || action === "replace") &&
    enumAt >= path.length - 2
  ) {
    const schema = at(after, path.slice(0, enumAt));
    if (schema && typeof schema === "object" && schema.enum === undefined) {
      return flow === "request"
        ? { type: "non-breaking", reason: "the request enum is opened: every value sent before is still accepted" }
        : { type: "breaking", reason: "the response enum is opened: callers may receive values they do not know" };
    }
  }
  // OpenAPI 3.1 type arrays: compare the sets of types.
  const typeAt = path.lastIndexOf("type");
  if (typeAt >= 0 && typeAt >= path.length - 2 && path[typeAt - 1] !== "properties") {
    const was = types(at(before, path.slice(0, typeAt + 1)));
    const now = types(at(after, path.slice(0, typeAt + 1)));
    if (was.size > 0 && now.size > 0) {
      const safe = flow === "request" ? covers(now, was) : covers(was, now);
      return safe
        ? { type: "non-breaking", reason: `the ${flow} type ${flow === "request" ? "widens" : "narrows"}` }
        : { type: "breaking", reason: `the ${flow} type ${flow === "request" ? "narrows" : "widens"}` };
    }
  }
  // Without `additionalProperties: false` an object accepts more (request)
  // or may carry more fields (response), which callers ignore by convention.
  if (action === "remove" && last === "additionalProperties" && change.before === false) {
    return { type: "non-breaking", reason: "unknown fields are allowed now" };
  }
  return undefined;
}

/**
 * Compares two OpenAPI documents (plain objects). Returns the changes under
 * paths (components are compared where operations use them), each
 * `{ type, action, path, location, reason }`, with type one of `breaking`,
 * `non-breaking`, `annotation`, `unclassified`, `deprecated`.
 */
export function compareSpecs(before, after) {
  // apiCompare changes the documents it is given.
  const { diffs } = apiCompare(structuredClone(before), structuredClone(after));
  return diffs
    .filter((change) => change.path[0] !== "components" && change.path[0] !== "info")
    .map((change) => {
      const corrected = correct(change, before, after);
      return {
        type: corrected?.type ?? change.type,
        action: change.action,
        path: change.path,
        location: describeLocation(change.path),
        reason: corrected?.reason ?? "api-smart-diff's rule",
      };
    });
}
