// modelarts-export: the export-task API from a shell or a CI job.
// Exit codes: 0 SUCCESSED (or done), 1 task FAILED, 2 usage error, 3 API or network error.
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import {
  createExportClient,
  ExportTaskFailedError,
  ModelArtsApiError,
  ModelArtsNetworkError,
  ModelArtsTimeoutError,
  type ExportClient,
  type ExportTaskRequest,
  type ExportTaskStatus,
} from "@modelarts-export/client";
import { BODY_FIELDS, bodyFromFlags, flagName, UsageError } from "./body.js";
import { barReporter, jsonReporter, type Reporter } from "./output.js";
import { checkBody } from "./validate.js";

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
}

const EXAMPLES = {
  export: `
Examples:
  $ modelarts-export export --endpoint http://127.0.0.1:8080 --project-id demo-project --token demo-token \\
      --dataset-id demo-detection --export-type 0 --annotation-format COCO --path /demo-bucket/out/
  $ HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... modelarts-export export --region cn-north-4 \\
      --project-id $PROJECT --dataset-id $DATASET --body export.json --json`,
  create: `
Examples:
  $ modelarts-export create --region cn-north-4 --dataset-id $DATASET --path /bucket/out/ --export-type 0
  $ echo '{"path": "/bucket/out/", "export_type": 2}' | modelarts-export create --dataset-id $DATASET --body -`,
  get: `
Example:
  $ modelarts-export get rF9NNoB56k5rtYKg2Y7 --region cn-north-4 --dataset-id $DATASET`,
  list: `
Examples:
  $ modelarts-export list --dataset-id $DATASET             (every page)
  $ modelarts-export list --dataset-id $DATASET --limit 10 --offset 20`,
  wait: `
Example:
  $ modelarts-export wait rF9NNoB56k5rtYKg2Y7 --region cn-north-4 --dataset-id $DATASET`,
};

interface Common {
  region?: string;
  endpoint?: string;
  projectId?: string;
  datasetId?: string;
  token?: string;
  accessKey?: string;
  secretKey?: string;
  json?: boolean;
  verbose?: boolean;
}

function clientFrom(common: Common, io: Io): ExportClient {
  const env = io.env;
  const projectId = common.projectId ?? env.HUAWEICLOUD_SDK_PROJECT_ID;
  if (!projectId) throw new UsageError("--project-id is required (or set HUAWEICLOUD_SDK_PROJECT_ID)");
  const token = common.token ?? env.MODELARTS_TOKEN;
  const accessKey = common.accessKey ?? env.HUAWEICLOUD_SDK_AK;
  const secretKey = common.secretKey ?? env.HUAWEICLOUD_SDK_SK;
  const securityToken = env.HUAWEICLOUD_SDK_SECURITY_TOKEN;
  const auth = token
    ? { token }
    : accessKey && secretKey
      ? { accessKey, secretKey, ...(securityToken ? { securityToken } : {}) }
      : undefined;
  if (!auth)
    throw new UsageError(
      "credentials are required: --token (or MODELARTS_TOKEN), or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK",
    );
  const region = common.region ?? (common.endpoint ? undefined : env.HUAWEICLOUD_SDK_REGION);
  if (!region && !common.endpoint)
    throw new UsageError("--region or --endpoint is required (or set HUAWEICLOUD_SDK_REGION)");
  try {
    return createExportClient({
      ...(region ? { region } : {}),
      ...(common.endpoint ? { baseUrl: common.endpoint } : {}),
      projectId,
      auth,
      userAgent: "modelarts-export-cli/0.1.0",
      // --verbose shows requests, never their headers: no secret is printed.
      middleware: common.verbose
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
}

const datasetOf = (common: Common): string => {
  if (!common.datasetId) throw new UsageError("--dataset-id is required");
  return common.datasetId;
};

async function readBody(source: string, io: Io): Promise<unknown> {
  let text: string;
  if (source === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(chunk as Buffer);
    text = Buffer.concat(chunks).toString("utf8");
  } else {
    try {
      text = readFileSync(source, "utf8");
    } catch (error) {
      throw new UsageError(`--body ${source}: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--body ${source} is not JSON: ${(error as Error).message}`);
  }
}

function resumeHint(common: Common, taskId: string): string {
  const where = common.endpoint
    ? `--endpoint ${common.endpoint}`
    : `--region ${common.region ?? "$HUAWEICLOUD_SDK_REGION"}`;
  return `modelarts-export wait ${taskId} ${where} --project-id ${common.projectId ?? "$HUAWEICLOUD_SDK_PROJECT_ID"} --dataset-id ${common.datasetId ?? "?"}`;
}

/** Waits with a bar or JSON lines; Ctrl-C stops waiting and leaves the task alone. */
async function waitAndReport(
  client: ExportClient,
  common: Common,
  taskId: string,
  io: Io,
  options: { interval?: string; timeout?: string },
): Promise<number> {
  const json = common.json || !io.stdout.isTTY;
  const reporter: Reporter = json ? jsonReporter((line) => io.stdout.write(`${line}\n`)) : barReporter(io.stdout);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort(new Error("interrupted"));
  process.once("SIGINT", onSigint);
  try {
    const task = await client.waitForExportTask(datasetOf(common), taskId, {
      signal: controller.signal,
      intervalMs: Number(options.interval ?? 1000),
      maxIntervalMs: Math.max(Number(options.interval ?? 1000), 5000),
      ...(options.timeout ? { timeoutMs: Number(options.timeout) } : {}),
      onProgress: (update) => reporter.progress(update),
    });
    reporter.done(task);
    if (!json) io.stdout.write(`\nexport task ${taskId} SUCCESSED: ${task.finished_sample_count ?? 0} samples\n`);
    return 0;
  } catch (error) {
    reporter.stop();
    if (controller.signal.aborted) {
      io.stderr.write(
        `\nStopped waiting; export task ${taskId} goes on. Resume with:\n  ${resumeHint(common, taskId)}\n`,
      );
      return 130;
    }
    throw error;
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}

function commonOptions(command: Command): Command {
  return command
    .addOption(new Option("--region <region>", "Huawei Cloud region, such as cn-north-4 (env HUAWEICLOUD_SDK_REGION)"))
    .addOption(
      new Option("--endpoint <url>", "another endpoint, such as the emulator's http://127.0.0.1:8080").conflicts(
        "region",
      ),
    )
    .option("--project-id <id>", "IAM project ID (env HUAWEICLOUD_SDK_PROJECT_ID)")
    .option("--dataset-id <id>", "dataset ID")
    .option(
      "--token <token>",
      "IAM token (env MODELARTS_TOKEN); else AK/SK from HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK",
    )
    .option("--access-key <ak>", "access key (env HUAWEICLOUD_SDK_AK)")
    .option("--secret-key <sk>", "secret key (env HUAWEICLOUD_SDK_SK; prefer the variable: flags show in ps)")
    .option("--json", "machine-readable JSON output")
    .option("--verbose", "show each request and answer status (never credentials)");
}

function bodyOptions(command: Command): Command {
  command.option("--body <file>", "the whole request body as JSON, from a file or - for stdin");
  for (const [field, kind] of BODY_FIELDS) {
    const flag = flagName(field);
    if (kind === "boolean") {
      command.option(`--${flag}`, `set ${field} to true`);
      command.option(`--no-${flag}`, `set ${field} to false`);
    } else {
      const hint = kind === "list" ? "<id,id,...>" : kind === "json" ? "<json>" : "<value>";
      command.option(`--${flag} ${hint}`, `${field}${kind === "integer" ? " (integer)" : ""}`);
    }
  }
  return command;
}

async function bodyFor(options: Record<string, unknown>, io: Io): Promise<ExportTaskRequest> {
  const fromFlags = bodyFromFlags(options);
  if (typeof options.body === "string") {
    if (Object.keys(fromFlags).length)
      throw new UsageError("--body cannot be combined with field flags such as --path");
    return checkBody(await readBody(options.body, io), (line) => io.stderr.write(`${line}\n`));
  }
  return checkBody(fromFlags, (line) => io.stderr.write(`${line}\n`));
}

function print(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export async function main(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin },
): Promise<number> {
  let exitCode = 0;
  const program = new Command("modelarts-export")
    .description("Create, list, follow and run Huawei Cloud ModelArts dataset export tasks.")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError("(add --help for usage)");

  const run =
    (fn: (options: Record<string, unknown>, command: Command, ...args: string[]) => Promise<number>) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args[args.length - 1] as Command;
      const positional = args.slice(0, -2) as string[];
      exitCode = await fn(command.opts(), command, ...positional);
    };

  bodyOptions(commonOptions(program.command("create").description("create an export task and print its id")))
    .addHelpText("after", EXAMPLES.create)
    .action(
      run(async (options) => {
        const client = clientFrom(options, io);
        const task = await client.createExportTask(datasetOf(options), await bodyFor(options, io));
        if (options.json) print(io, task);
        else io.stdout.write(`${task.task_id}\n`);
        return 0;
      }),
    );

  bodyOptions(
    commonOptions(program.command("export").description("create an export task, then wait for it with progress")),
  )
    .option("--interval <ms>", "first polling interval", "1000")
    .option("--timeout <ms>", "stop waiting after this long")
    .addHelpText("after", EXAMPLES.export)
    .action(
      run(async (options) => {
        const client = clientFrom(options, io);
        const task = await client.createExportTask(datasetOf(options), await bodyFor(options, io));
        if (!options.json && io.stdout.isTTY) io.stdout.write(`created export task ${task.task_id}\n`);
        return waitAndReport(
          client,
          options,
          task.task_id as string,
          io,
          options as { interval?: string; timeout?: string },
        );
      }),
    );

  commonOptions(program.command("get").argument("<task-id>").description("print one export task as JSON"))
    .addHelpText("after", EXAMPLES.get)
    .action(
      run(async (options, _command, taskId) => {
        print(io, await clientFrom(options, io).getExportTask(datasetOf(options), taskId as string));
        return 0;
      }),
    );

  commonOptions(
    program
      .command("list")
      .description("print the export tasks of a dataset as JSON (every page unless --limit/--offset)"),
  )
    .option("--export-type <n>", "only tasks of this export type (0-3)")
    .option("--limit <n>", "one page of at most n tasks (1-100)")
    .option("--offset <n>", "start of that page")
    .addHelpText("after", EXAMPLES.list)
    .action(
      run(async (options) => {
        const client = clientFrom(options, io);
        const number = (flag: string): number | undefined => {
          const value = options[flag];
          if (value === undefined) return undefined;
          const n = Number(value);
          if (!Number.isInteger(n))
            throw new UsageError(
              `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be an integer, got "${String(value)}"`,
            );
          return n;
        };
        const exportType = number("exportType") as 0 | 1 | 2 | 3 | undefined;
        const filter = exportType === undefined ? {} : { export_type: exportType };
        if (options.limit !== undefined || options.offset !== undefined) {
          const page = await client.listExportTasks(datasetOf(options), {
            ...filter,
            limit: number("limit") ?? 10,
            offset: number("offset") ?? 0,
          });
          print(io, page);
          return 0;
        }
        const all: ExportTaskStatus[] = [];
        for await (const task of client.exportTasks(datasetOf(options), filter)) all.push(task);
        print(io, { total_count: all.length, export_tasks: all });
        return 0;
      }),
    );

  commonOptions(
    program
      .command("wait")
      .argument("<task-id>")
      .description("wait for an export task, with a progress bar on a terminal"),
  )
    .option("--interval <ms>", "first polling interval", "1000")
    .option("--timeout <ms>", "stop waiting after this long")
    .addHelpText("after", EXAMPLES.wait)
    .action(
      run(async (options, _command, taskId) =>
        waitAndReport(
          clientFrom(options, io),
          options,
          taskId as string,
          io,
          options as { interval?: string; timeout?: string },
        ),
      ),
    );

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ExportTaskFailedError) {
      io.stderr.write(
        `export task ${error.task.task_id ?? "?"} FAILED: ${error.errorCode ?? ""} ${error.errorMsg ?? ""}\n`,
      );
      if (program.args.includes("--json")) print(io, error.task);
      return 1;
    }
    if (
      error instanceof ModelArtsApiError ||
      error instanceof ModelArtsNetworkError ||
      error instanceof ModelArtsTimeoutError
    ) {
      io.stderr.write(`error: ${error.message}\n`);
      return 3;
    }
    throw error;
  }
}
