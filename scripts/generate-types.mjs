// The one place that calls the type generator (openapi-typescript), so that
// it can be swapped for another without touching the packages.
//
//   node scripts/generate-types.mjs          write packages/types/src/generated/openapi.d.ts
//   node scripts/generate-types.mjs --check  fail if the committed file is stale
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { parse } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const spec = join(root, "openapi", "dist", "openapi.yaml");
const target = join(root, "packages", "types", "src", "generated", "openapi.d.ts");

const HEADER = `/**
 * GENERATED FILE: DO NOT EDIT.
 * Source: openapi/dist/openapi.yaml (bundled from openapi/).
 * Regenerate with \`npm run build\` (scripts/generate-types.mjs).
 */
`;

// Keywords of a rule-only `allOf` member (`{description, pattern, x-inferred}`):
// value rules TypeScript cannot express. Such members are dropped before
// generating, so that `path` is typed `string`, not `string & unknown`.
const RULE_KEYWORDS = new Set([
  "description",
  "x-inferred",
  "pattern",
  "not",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "format",
]);
const isRuleOnly = (member) => Object.keys(member).every((key) => RULE_KEYWORDS.has(key));
function withoutRules(node) {
  if (Array.isArray(node)) return node.map(withoutRules);
  if (node === null || typeof node !== "object") return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withoutRules(value)]));
  if (Array.isArray(copy.allOf)) {
    copy.allOf = copy.allOf.filter((member) => !isRuleOnly(member));
    if (copy.allOf.length === 0) delete copy.allOf;
  }
  return copy;
}

const ast = await openapiTS(withoutRules(parse(readFileSync(spec, "utf8"))), {
  // Stable, reviewable diffs whatever the order of the YAML.
  alphabetize: true,
  // `ExportTaskRequest` etc. as top-level aliases, without a `Schema` prefix.
  rootTypes: true,
  rootTypesNoSchemaPrefix: true,
  // A `default` is what the server assumes, not a promise that the field
  // is present: keep optional fields optional.
  defaultNonNullable: false,
  // Literal unions, no runtime enums: this package ships types only.
  enum: false,
  silent: true,
});
const output = HEADER + astToString(ast);
const name = relative(root, target);

if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(target, "utf8");
  } catch {
    // Missing counts as stale.
  }
  if (committed !== output) {
    console.error(`${name} is stale: run \`npm run build\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${name} is up to date.`);
} else {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, output);
  console.log(`wrote ${name}`);
}
