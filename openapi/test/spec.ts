// Loads the bundled description (openapi/dist, written by `npm run build`)
// and resolves its local `$ref`s.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export type Node = Record<string, unknown>;

export const distFile = (name: string): string => fileURLToPath(new URL(`../dist/${name}`, import.meta.url));

export function loadSpec(name = "openapi.json"): Node {
  const text = readFileSync(distFile(name), "utf8");
  return (name.endsWith(".json") ? JSON.parse(text) : parse(text)) as Node;
}

/** Follows `$ref` chains inside `spec`; sibling keys of a `$ref` win over the target's. */
export function deref(spec: Node, node: unknown): Node {
  let current = node as Node;
  const siblings: Node = {};
  while (typeof current.$ref === "string") {
    const { $ref, ...rest } = current;
    Object.assign(siblings, { ...rest, ...siblings });
    current = ($ref as string)
      .replace(/^#\//, "")
      .split("/")
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<Node>((parent, key) => {
        const child = parent[key];
        if (child === undefined) throw new Error(`unresolved $ref ${$ref as string}`);
        return child as Node;
      }, spec);
  }
  return { ...current, ...siblings };
}

/** The JSON types a schema allows: its `type`, or those of its `anyOf` members. */
export const typesOf = (schema: Node): string[] =>
  Array.isArray(schema.type)
    ? (schema.type as string[])
    : typeof schema.type === "string"
      ? [schema.type]
      : [...new Set(((schema.anyOf ?? []) as Node[]).flatMap(typesOf))];

/** The node and its rule-only `allOf` members, where inferred rules live. */
export const withMembers = (schema: Node): Node[] => [schema, ...((schema.allOf ?? []) as Node[])];

/** Every `pattern` of a schema, its own and its `allOf` members'. */
export const patternsOf = (schema: Node): string[] =>
  withMembers(schema)
    .map((node) => node.pattern)
    .filter((p): p is string => typeof p === "string");

/** Enum values and their descriptions, from `enum` or from the members of an open `anyOf`. */
export function enumOf(schema: Node): { values: unknown[]; descriptions: Record<string, string> } {
  const parts = [schema, ...((schema.anyOf ?? []) as Node[])];
  return {
    values: parts.flatMap((part) => (part.enum ?? []) as unknown[]),
    descriptions: Object.assign({}, ...parts.map((part) => part["x-enumDescriptions"] ?? {})) as Record<string, string>,
  };
}
