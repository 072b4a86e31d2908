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

export const typesOf = (schema: Node): string[] =>
  Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === "string" ? [schema.type] : [];
