// Where requests go and who sends them: the flags (or environment variables)
// that make a client, and the command that picks up a wait where it stopped.
import { realpathSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Option, type Command } from "commander";
import { createExportClient, type ExportClient } from "@modelarts-export/client";
import { VERSION } from "./generated/version.js";
import { UsageError } from "./usage.js";

/** The environment variables the CLI reads: Huawei's SDK names, and ours for a token. */
export const ENV = {
  region: "HUAWEICLOUD_SDK_REGION",
  projectId: "HUAWEICLOUD_SDK_PROJECT_ID",
  accessKey: "HUAWEICLOUD_SDK_AK",
  secretKey: "HUAWEICLOUD_SDK_SK",
  securityToken: "HUAWEICLOUD_SDK_SECURITY_TOKEN",
  token: "MODELARTS_TOKEN",
} as const;

export interface ConnectionOptions {
  region?: string;
  endpoint?: string;
  projectId?: string;
  datasetId?: string;
  token?: string;
  accessKey?: string;
  secretKey?: string;
  verbose?: boolean;
}

/** What a command needs to reach one dataset's export tasks. */
export interface Connection {
  client: ExportClient;
  datasetId: string;
  /** Flags that name the same endpoint, project and dataset again (no credentials). */
  flags: string[];
  /** How the credentials were given, to say so in a resume hint without their values. */
  credentials: { variables: string[]; fromFlags: { flag: string; variable: string }[] };
}

export function addConnectionOptions(command: Command): Command {
  return command
    .optionsGroup("Connection (where and who):")
    .option("--region <region>", `Huawei Cloud region, such as cn-north-4 (env: ${ENV.region})`)
    .option("--endpoint <url>", "any other endpoint instead of a region's, such as an emulator's http://127.0.0.1:8080")
    .addOption(new Option("--project-id <id>", "IAM project ID of the region").env(ENV.projectId))
    .option("--dataset-id <id>", "dataset ID")
    .addOption(new Option("--token <token>", "IAM token, sent as X-Auth-Token").env(ENV.token))
    .addOption(new Option("--access-key <ak>", "access key ID for AK/SK signing").env(ENV.accessKey))
    .addOption(
      new Option("--secret-key <sk>", "secret access key (prefer the variable: flags show in ps)").env(ENV.secretKey),
    );
}

/** A shell word: as is when safe, else in single quotes. */
export const shellWord = (word: string): string =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

export function connect(
  options: ConnectionOptions,
  command: Command,
  io: { env: NodeJS.ProcessEnv; stderr: NodeJS.WritableStream },
): Connection {
  const { env } = io;
  if (options.region !== undefined && options.endpoint !== undefined)
    throw new UsageError("--region and --endpoint cannot be used together: give one");
  const projectId = options.projectId;
  if (!projectId) throw new UsageError(`--project-id is required (or set ${ENV.projectId})`);
  const datasetId = options.datasetId;
  if (!datasetId) throw new UsageError("--dataset-id is required");
  // --endpoint wins over a region from the environment.
  const region = options.endpoint ? undefined : (options.region ?? env[ENV.region]);
  if (!region && !options.endpoint) throw new UsageError(`--region or --endpoint is required (or set ${ENV.region})`);

  const source = (key: string): "env" | "flag" => (command.getOptionValueSource(key) === "env" ? "env" : "flag");
  const securityToken = env[ENV.securityToken];
  let auth: Parameters<typeof createExportClient>[0]["auth"];
  const credentials: Connection["credentials"] = { variables: [], fromFlags: [] };
  const note = (key: "token" | "accessKey" | "secretKey", flag: string): void => {
    if (source(key) === "env") credentials.variables.push(ENV[key]);
    else credentials.fromFlags.push({ flag, variable: ENV[key] });
  };
  if (options.token) {
    auth = { token: options.token };
    note("token", "--token");
  } else if (options.accessKey && options.secretKey) {
    auth = { accessKey: options.accessKey, secretKey: options.secretKey, ...(securityToken ? { securityToken } : {}) };
    note("accessKey", "--access-key");
    note("secretKey", "--secret-key");
    if (securityToken) credentials.variables.push(ENV.securityToken);
  } else
    throw new UsageError(
      `credentials are required: --token (or ${ENV.token}), or --access-key and --secret-key (or ${ENV.accessKey} and ${ENV.secretKey})`,
    );

  let client: ExportClient;
  try {
    client = createExportClient({
      ...(region ? { region } : {}),
      ...(options.endpoint ? { baseUrl: options.endpoint } : {}),
      projectId,
      auth,
      userAgent: `modelarts-export-cli/${VERSION}`,
      // --verbose shows requests, never their headers: no secret is printed.
      middleware: options.verbose
        ? [
            {
              onRequest: ({ request }) => void io.stderr.write(`> ${request.method} ${request.url}\n`),
              onResponse: ({ response }) =>
                void io.stderr.write(`< ${response.status} request ${response.headers.get("x-request-id") ?? "-"}\n`),
            },
          ]
        : [],
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const where = options.endpoint ? ["--endpoint", options.endpoint] : ["--region", region as string];
  return {
    client,
    datasetId,
    flags: [...where, "--project-id", projectId, "--dataset-id", datasetId],
    credentials,
  };
}

const BIN = fileURLToPath(new URL("../bin/modelarts-export.js", import.meta.url));

const realpath = (path: string): string | undefined => {
  try {
    return statSync(path).isFile() ? realpathSync(path) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * How to run this CLI again from a shell, as the user's shell will find it:
 * `npx @modelarts-export/cli` when npm started it (npx, npm exec, npm run put
 * a `node_modules/.bin` on PATH only while they run); `modelarts-export` when
 * the first one on PATH is this very file; else node and the file's absolute path.
 */
export function invocation(env: NodeJS.ProcessEnv): string {
  if (env.npm_command) return "npx @modelarts-export/cli";
  const self = realpath(BIN) ?? BIN;
  // The shell runs the first `modelarts-export` on PATH: only this one will do.
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    const found = dir ? realpath(join(dir, "modelarts-export")) : undefined;
    if (found !== undefined) {
      if (found === self) return "modelarts-export";
      break;
    }
  }
  return `node ${shellWord(self)}`;
}

/** What to paste to wait again, with a line on how credentials are given: by variable name, never by value. */
export function resumeHint(connection: Connection, taskId: string, extra: string[], env: NodeJS.ProcessEnv): string {
  const command = [invocation(env), "wait", taskId, ...connection.flags, ...extra].map((w, i) =>
    i === 0 ? w : shellWord(w),
  );
  const { variables, fromFlags } = connection.credentials;
  const lines = [`  ${command.join(" ")}`];
  if (variables.length) lines.push(`Credentials: from ${variables.join(" and ")}, as for this run.`);
  for (const { flag, variable } of fromFlags)
    lines.push(`Credentials: first set ${variable} to what you gave ${flag}; the CLI reads it from there.`);
  return lines.join("\n");
}
