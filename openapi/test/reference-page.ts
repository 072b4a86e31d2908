// Reads the tables of Huawei's reference page (HTML tables inside
// markdown) into plain rows, so that tests can hold the spec against it.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The reference files the tests read, vendored in openapi/reference/. */
export const REFERENCE_FILES = ["create-export-task.zh.md", "api-facts.md"] as const;
type ReferenceFile = (typeof REFERENCE_FILES)[number];

export const vendoredReference = (name: ReferenceFile): string =>
  fileURLToPath(new URL(`../reference/${name}`, import.meta.url));
/** The workplace's shared reference folder, beside the repository checkout. */
export const sharedReference = (name: ReferenceFile): string =>
  fileURLToPath(new URL(`../../../shared/reference/${name}`, import.meta.url));

/** A vendored reference file; a missing one throws, so its tests fail. */
export const readReference = (name: ReferenceFile): string => readFileSync(vendoredReference(name), "utf8");

export interface EnumItem {
  value: string;
  meaning: string;
  isDefault: boolean;
}

export interface FieldRow {
  name: string;
  /** `true`/`false` for request tables (是否必选), `undefined` for response tables. */
  required: boolean | undefined;
  type: string;
  /** Anchor of the table that describes this field's object type, if any. */
  link: string | undefined;
  description: string;
  enumItems: EnumItem[];
}

export interface Table {
  caption: string;
  anchor: string | undefined;
  rows: FieldRow[];
}

const decode = (html: string): string =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();

function parseEnumItems(cellHtml: string): EnumItem[] {
  return [...cellHtml.matchAll(/<li><p>([\s\S]*?)<\/p>/g)].map((match) => {
    const text = decode(match[1] ?? "");
    // Values end at the first full-width or ASCII colon ("3: 图像分割").
    const colon = text.search(/[：:]/);
    const value = (colon < 0 ? text : text.slice(0, colon)).trim();
    const meaning = colon < 0 ? "" : text.slice(colon + 1).trim();
    return { value, meaning, isDefault: meaning.includes("默认值") };
  });
}

/** Every `**表 N** caption` table of the page, with its anchor and rows. */
export function parseTables(markdown: string): Table[] {
  const tables: Table[] = [];
  const pattern = /\*\*表 \d+\*\*\s+(\S+)\s*\n+(?:<a name="([^"]+)"><\/a>\s*)?(<table>[\s\S]*?<\/table>)/g;
  for (const [, caption = "", anchor, tableHtml = ""] of markdown.matchAll(pattern)) {
    const body = tableHtml.split("<tbody>")[1] ?? "";
    const rows = body
      .split(/<tr>/)
      .slice(1)
      .map((rowHtml) => [...rowHtml.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1] ?? ""))
      .map((cells): FieldRow => {
        const withRequired = cells.length === 4;
        const [nameCell = "", ...rest] = cells;
        const requiredCell = withRequired ? rest.shift() : undefined;
        const [typeCell = "", descriptionCell = ""] = rest;
        return {
          name: decode(nameCell),
          required: requiredCell === undefined ? undefined : decode(requiredCell) === "是",
          type: decode(typeCell),
          link: /href="#([^"]+)"/.exec(typeCell)?.[1],
          description: decode(descriptionCell.replace(/<ul>[\s\S]*<\/ul>/, "")),
          enumItems: parseEnumItems(descriptionCell),
        };
      });
    tables.push({ caption, anchor, rows });
  }
  return tables;
}

/** The status codes of the page's 状态码 table. */
export function parseStatusCodes(markdown: string): string[] {
  const section = markdown.split('<a name="status_code"></a>')[1] ?? "";
  const body = (section.split("<tbody>")[1] ?? "").split("</tbody>")[0] ?? "";
  return [...body.matchAll(/<tr><td[^>]*><p>(\d{3})/g)].map((m) => m[1] ?? "");
}
