// The Chinese edition must be the English spec with only its prose
// translated: same structure, and no English text left behind.
import { describe, expect, test } from "vitest";
import { loadSpec, type Node } from "./spec.js";

const english = loadSpec("openapi.yaml");
const chinese = loadSpec("openapi.zh.yaml");

const PROSE = new Set(["description", "summary", "x-displayName", "x-enumDescriptions", "x-inferred"]);
const CJK = /[\u4e00-\u9fff]/;

/** The spec without its prose (and without the info title, which is prose too). */
function structure(node: unknown, path: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((item, i) => structure(item, [...path, String(i)]));
  if (node === null || typeof node !== "object") return node;
  const inValue = path.includes("value"); // example payloads are data, never translated
  return Object.fromEntries(
    Object.entries(node as Node)
      .filter(([key]) => inValue || !(PROSE.has(key) || (path.join(".") === "info" && key === "title")))
      .map(([key, value]) => [key, structure(value, [...path, key])]),
  );
}

/** Every piece of prose with where it stands, outside example payloads. */
function prose(node: unknown, path: string[] = [], found: [string, string][] = []): [string, string][] {
  if (node === null || typeof node !== "object" || path.includes("value")) return found;
  for (const [key, value] of Object.entries(node as Node)) {
    const at = [...path, key];
    if (PROSE.has(key) && typeof value === "string") found.push([at.join("."), value]);
    else if (key === "x-enumDescriptions") {
      for (const [enumValue, text] of Object.entries(value as Node))
        found.push([`${at.join(".")}.${enumValue}`, String(text)]);
    } else prose(value, at, found);
  }
  return found;
}

describe("Chinese edition (openapi/overlays/zh.yaml)", () => {
  test("has exactly the structure of the English spec", () => {
    expect(structure(chinese)).toEqual(structure(english));
  });

  test("translates every description, summary and enum description", () => {
    const untranslated = prose(chinese).filter(([, text]) => !CJK.test(text));
    expect(untranslated).toEqual([]);
    // The overlay may add prose (on `$ref` siblings) but never drop any.
    const translated = new Set(prose(chinese).map(([at]) => at));
    expect(prose(english).filter(([at]) => !translated.has(at))).toEqual([]);
  });

  test("keeps the reference page's own wording", () => {
    const schemas = (chinese.components as Node).schemas as Record<string, Node>;
    const searchCondition = schemas.SearchCondition?.properties as Record<string, Node>;
    expect(searchCondition.sample_dir?.description).toBe(
      "根据样本所在目录搜索（目录需要以/结尾），只搜索指定目录下的样本，不支持目录递归搜索。",
    );
    expect((chinese.info as Node).title).toBe("ModelArts 数据集导出任务");
  });
});
