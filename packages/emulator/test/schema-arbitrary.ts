// fast-check arbitraries from the spec's own JSON Schemas: values shaped as
// the schema says (most of them valid), for fuzzing the emulator with.
import fc, { type Arbitrary } from "fast-check";

type Schema = Record<string, unknown>;

/** A value for `schema`; `$ref`s are looked up in `schemas` (the spec's components). */
export function arbitraryFor(schema: Schema, schemas: Record<string, Schema>, depth = 0): Arbitrary<unknown> {
  if (typeof schema.$ref === "string") {
    const target = schemas[schema.$ref.split("/").pop() ?? ""];
    if (!target) throw new Error(`unknown $ref ${schema.$ref}`);
    return arbitraryFor({ ...target, ...without(schema, "$ref") }, schemas, depth);
  }
  if (Array.isArray(schema.allOf)) {
    // Members merged: inferred rules ride in allOf members beside the shape.
    const merged = (schema.allOf as Schema[]).reduce<Schema>(
      (all, member) => ({ ...all, ...resolved(member, schemas) }),
      without(schema, "allOf"),
    );
    return arbitraryFor(merged, schemas, depth);
  }
  for (const key of ["oneOf", "anyOf"] as const)
    if (Array.isArray(schema[key]))
      return fc.oneof(...(schema[key] as Schema[]).map((member) => arbitraryFor(member, schemas, depth + 1)));
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ("const" in schema) return fc.constant(schema.const);
  const type = Array.isArray(schema.type) ? (schema.type as string[])[0] : (schema.type as string | undefined);
  switch (type) {
    case "string":
      if (typeof schema.pattern === "string")
        return fc
          .stringMatching(new RegExp(schema.pattern, "u"))
          .filter((s) => s.length <= Number(schema.maxLength ?? 1e9));
      return fc.string({
        minLength: Number(schema.minLength ?? 0),
        maxLength: Math.min(Number(schema.maxLength ?? 40), 40),
      });
    case "integer":
      return fc.integer({
        min: Number(schema.minimum ?? (schema.format === "int32" ? -(2 ** 31) : Number.MIN_SAFE_INTEGER)),
        max: Number(schema.maximum ?? (schema.format === "int32" ? 2 ** 31 - 1 : Number.MAX_SAFE_INTEGER)),
      });
    case "number":
      return fc.double({
        noNaN: true,
        noDefaultInfinity: true,
        ...(schema.minimum === undefined ? {} : { min: Number(schema.minimum) }),
        ...(schema.maximum === undefined ? {} : { max: Number(schema.maximum) }),
      });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(
        depth > 4 ? fc.constant(null) : arbitraryFor((schema.items ?? {}) as Schema, schemas, depth + 1),
        {
          maxLength: Math.min(Number(schema.maxItems ?? 3), 3),
          minLength: Number(schema.minItems ?? 0),
        },
      );
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      if (depth > 4 || Object.keys(properties).length === 0)
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 });
      return fc.record(
        Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, arbitraryFor(s, schemas, depth + 1)])),
        { requiredKeys: (schema.required ?? []) as string[] },
      );
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const without = (schema: Schema, key: string): Schema =>
  Object.fromEntries(Object.entries(schema).filter(([k]) => k !== key));

function resolved(schema: Schema, schemas: Record<string, Schema>): Schema {
  if (typeof schema.$ref !== "string") return schema;
  return { ...(schemas[schema.$ref.split("/").pop() ?? ""] ?? {}), ...without(schema, "$ref") };
}

/**
 * A value turned wrong in one place: a field of another type, removed, or
 * unknown; a number out of range; a string far too long or with odd characters.
 */
export function mutated(valid: Arbitrary<unknown>): Arbitrary<unknown> {
  const odd = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(-1, 2 ** 31, -(2 ** 31) - 1, 1e308, 0.5, "", "../..", "/a/../b/", "%2e%2e", "\u0000", "obs://x/y/"),
    fc.string({ unit: "binary", maxLength: 64 }),
    fc.string({ minLength: 2000, maxLength: 5000 }),
  );
  return fc
    .tuple(valid, fc.nat(), odd, fc.string({ maxLength: 12 }))
    .map(([value, pick, replacement, newKey]) => mutate(value, pick, replacement, newKey));
}

function mutate(value: unknown, pick: number, replacement: unknown, newKey: string): unknown {
  if (typeof value !== "object" || value === null) return replacement;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as object) };
  const keys = Object.keys(copy);
  if (keys.length === 0 || pick % 5 === 0) {
    (copy as Record<string, unknown>)[newKey || "x"] = replacement;
    return copy;
  }
  const key = keys[pick % keys.length] as string;
  const inner = (copy as Record<string, unknown>)[key];
  if (pick % 5 === 1) delete (copy as Record<string, unknown>)[key];
  else if (pick % 5 === 2 && typeof inner === "object" && inner !== null)
    (copy as Record<string, unknown>)[key] = mutate(inner, Math.floor(pick / 5), replacement, newKey);
  else (copy as Record<string, unknown>)[key] = replacement;
  return copy;
}
