// `create` and `export` flags: one per field of the request body, named after
// it in kebab-case, described and constrained as the spec does; and the
// JSON body the API takes, from those flags or from --body.
import { readFileSync } from "node:fs";
import { Option, type Command } from "commander";
import type { ExportTaskRequest } from "@modelarts-export/client";
import { requestFields, type FieldSpec } from "./spec.js";
import { choice, integer, json, list, UsageError } from "./usage.js";

export const flagName = (field: string): string => `--${field.replace(/_/g, "-")}`;
/** commander's key for a flag: camelCase. */
const optionKey = (field: string): string => field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const PLACEHOLDER: Record<FieldSpec["kind"], string> = {
  string: "<text>",
  integer: "<n>",
  boolean: "",
  list: "<id,...>",
  json: "<json>",
};

/** The spec's description, and its allowed values unless it names them all. */
function help(spec: FieldSpec): string {
  const unnamed = spec.choices?.filter((c) => c !== "" && !spec.description.includes(String(c)));
  const values = unnamed?.length ? ` Values: ${spec.choices!.map((c) => JSON.stringify(c)).join(", ")}.` : "";
  return `${spec.description}${values}`;
}

function parserFor(spec: FieldSpec): ((text: string) => unknown) | undefined {
  if (spec.choices) {
    const parse = choice(spec.choices.map(String));
    // Integer enums travel as numbers.
    return spec.kind === "integer" ? (text) => Number(parse(text)) : parse;
  }
  if (spec.kind === "integer")
    return integer({
      ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}),
      ...(spec.maximum !== undefined ? { maximum: spec.maximum } : {}),
    });
  if (spec.kind === "list") return list;
  if (spec.kind === "json") return json;
  return undefined;
}

/** Adds --body and a flag for every body field to a command. */
export function addBodyOptions(command: Command): Command {
  command
    .optionsGroup("Request body (the create request's fields, as the API reference describes them):")
    .option("--body <file>", "the whole request body as JSON, from a file, or - for stdin");
  for (const spec of requestFields()) {
    if (spec.where === "export_params") command.optionsGroup("Request body, export_params:");
    const flag = flagName(spec.field);
    if (spec.kind === "boolean") {
      command.addOption(new Option(flag, `${help(spec)} Sends true.`));
      command.addOption(new Option(`--no-${flag.slice(2)}`, `Sends ${spec.field}: false.`));
      continue;
    }
    const few = spec.choices?.map(String).join("|");
    const placeholder = few && few.length <= 20 && !few.includes("||") ? `<${few}>` : PLACEHOLDER[spec.kind];
    const option = new Option(`${flag} ${placeholder}`, help(spec));
    const parse = parserFor(spec);
    command.addOption(parse ? option.argParser(parse) : option);
  }
  return command;
}

/** The request body from the field flags that were given. */
function bodyFromFlags(options: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  for (const { field, where } of requestFields()) {
    const value = options[optionKey(field)];
    if (value !== undefined) (where === "body" ? body : params)[field] = value;
  }
  if (Object.keys(params).length) body.export_params = params;
  return body;
}

async function readJson(source: string, stdin: NodeJS.ReadableStream): Promise<unknown> {
  let text: string;
  if (source === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
    text = Buffer.concat(chunks).toString("utf8");
  } else {
    try {
      text = readFileSync(source, "utf8");
    } catch (error) {
      throw new UsageError(`--body ${source}: cannot read the file (${(error as NodeJS.ErrnoException).code})`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--body ${source} must be JSON: ${(error as Error).message}`);
  }
}

/** The body to send: from --body, or else from the field flags. */
export async function requestBody(
  options: Record<string, unknown>,
  stdin: NodeJS.ReadableStream,
): Promise<ExportTaskRequest> {
  const fromFlags = bodyFromFlags(options);
  if (typeof options.body !== "string") return fromFlags as ExportTaskRequest;
  if (Object.keys(fromFlags).length)
    throw new UsageError("--body cannot be combined with field flags such as --path: put every field in the JSON");
  const body = await readJson(options.body, stdin);
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new UsageError(`--body ${options.body} must be a JSON object, such as {"path": "/bucket/out/"}`);
  return body as ExportTaskRequest;
}
