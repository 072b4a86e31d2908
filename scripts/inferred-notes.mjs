// Makes the spec's `x-inferred` marks visible in the rendered docs: Redoc
// shows no extension, so each mark becomes a line of the description a
// reader sees (the schema's, the property's, the parameter's, the
// response's or the example's), and each rule of a rule-only `allOf` member
// becomes a line too, since Redoc merges those members without their words.
//
//   English: "Inferred, not stated by Huawei's reference: <reason>"
//   Chinese: "推断，华为参考文档未说明：<reason>"

export const NOTE = {
  en: {
    inferred: "Inferred, not stated by Huawei's reference:",
    rule: "Rule:",
    open: " (",
    close: ")",
    list: ", ",
    colon: ": ",
  },
  "zh-CN": { inferred: "推断，华为参考文档未说明：", rule: "规则：", open: "（", close: "）", list: "、", colon: "：" },
};

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

const append = (node, key, line) => {
  node[key] = node[key] ? `${String(node[key]).trimEnd()}\n\n${line}` : line;
};

/**
 * Returns a copy of a bundled spec with the notes written into descriptions.
 * `lang` picks the wording; the reasons are the spec's own (the Chinese
 * edition's overlay translates them).
 */
export function withInferredNotes(spec, lang) {
  const words = NOTE[lang];
  const copy = structuredClone(spec);
  const inferredLine = (reason, rule) =>
    `*${words.inferred}* ${reason}${rule ? `${words.open}${words.rule} ${rule}${words.close}` : ""}`;
  // Notes of component schemas, repeated where a `$ref` to them carries its
  // own description (which Redoc shows instead of the schema's).
  const schemaNotes = new Map();

  /** The nearest node on the way up that has a description to extend. */
  const describable = (ancestors) => [...ancestors].reverse().find((node) => typeof node.description === "string");

  function visit(node, ancestors, schemaName) {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, ancestors, schemaName);
      return;
    }
    if (!isObject(node)) return;
    const lines = [];
    // Rule-only allOf members: their words (and reasons) move to the holder.
    if (Array.isArray(node.allOf)) {
      for (const member of node.allOf) {
        if (!isObject(member) || typeof member.description !== "string") continue;
        const rule = member.description;
        delete member.description;
        if (typeof member["x-inferred"] === "string") lines.push(inferredLine(member["x-inferred"], rule));
        else lines.push(`*${words.rule}* ${rule}`);
      }
    }
    // Open enums: which values are inferred, and why.
    if (Array.isArray(node.anyOf)) {
      for (const member of node.anyOf) {
        if (!isObject(member) || typeof member["x-inferred"] !== "string") continue;
        const values = Array.isArray(member.enum) ? member.enum.map((v) => `\`${v}\``).join(words.list) : undefined;
        lines.push(inferredLine(values ? `${values}${words.colon}${member["x-inferred"]}` : member["x-inferred"]));
      }
    }
    // Anything else marked (a response, an example, a property): its own note.
    const ownMark =
      typeof node["x-inferred"] === "string" &&
      !ancestors.some((a) => Array.isArray(a.allOf) && a.allOf.includes(node)) &&
      !ancestors.some((a) => Array.isArray(a.anyOf) && a.anyOf.includes(node));
    if (ownMark) append(node, "description", inferredLine(node["x-inferred"]));
    if (lines.length > 0) {
      const target = typeof node.description === "string" ? node : (describable(ancestors) ?? node);
      for (const line of lines) append(target, "description", line);
      if (schemaName && target === node) schemaNotes.set(schemaName, lines);
    }
    const isSchemas = node === copy.components?.schemas;
    for (const [key, value] of Object.entries(node)) visit(value, [...ancestors, node], isSchemas ? key : undefined);
  }

  visit(copy, [], undefined);

  // `$ref` siblings: `{ $ref: "#/components/schemas/ObsDirectory", description }`.
  (function propagate(node) {
    if (Array.isArray(node)) return node.forEach(propagate);
    if (!isObject(node)) return;
    const target = typeof node.$ref === "string" ? /^#\/components\/schemas\/(.+)$/.exec(node.$ref)?.[1] : undefined;
    if (target && typeof node.description === "string")
      for (const line of schemaNotes.get(target) ?? []) append(node, "description", line);
    Object.values(node).forEach(propagate);
  })(copy);
  return copy;
}
