// modelarts-export: the export-task API from a shell or a CI job.
// Exit codes (EXIT in usage.ts): 0 done, 1 task FAILED or STOPPED, 2 usage
// error, 3 API or network error, 70 a bug of ours, 124 --timeout passed, 130 Ctrl-C,
// 141 stdout closed.
import { Command, CommanderError, Option } from "commander";
import {
  ExportTaskFailedError,
  ModelArtsApiError,
  ModelArtsNetworkError,
  ModelArtsTimeoutError,
  type ExportTaskStatus,
} from "@modelarts-export/client";
import { addBodyOptions, requestBody } from "./body.js";
import { addConnectionOptions, connect, resumeHint, type Connection, type ConnectionOptions } from "./connection.js";
import { formatDuration } from "./duration.js";
import { VERSION } from "./generated/version.js";
import { barReporter, jsonReporter, type Reporter } from "./output.js";
import { listParameter, pathParameterDescription } from "./spec.js";
import { choice, duration, EXIT, integer, UsageError } from "./usage.js";
import { checkBody } from "./validate.js";

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
}

/** Polls at most once a second: the API throttles (ModelArts.4395) and tasks take seconds at least. */
export const MIN_INTERVAL_MS = 1000;

const EXAMPLES = {
  export: `
Examples:
  $ modelarts-export export --endpoint http://127.0.0.1:8080 --project-id demo-project --token demo-token \\
      --dataset-id demo-detection --export-type 0 --annotation-format COCO --path /demo-bucket/out/
  $ export HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_PROJECT_ID=...
  $ modelarts-export export --region cn-north-4 --dataset-id $DATASET --body export.json --timeout 2h`,
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
  $ modelarts-export wait rF9NNoB56k5rtYKg2Y7 --region cn-north-4 --dataset-id $DATASET --interval 10s`,
};

const ENVIRONMENT = `
Environment:
  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK   AK/SK credentials (HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary ones)
  MODELARTS_TOKEN                         an IAM token instead
  HUAWEICLOUD_SDK_PROJECT_ID              --project-id
  HUAWEICLOUD_SDK_REGION                  --region, unless --endpoint is given

Exit codes: 0 done, 1 task FAILED or STOPPED, 2 usage error, 3 API or network error,
  70 internal error, 124 --timeout passed, 130 interrupted (Ctrl-C), 141 output closed (such as | head).`;

interface WaitFlags {
  json?: boolean;
  interval?: number;
  timeout?: number;
}

function addWaitOptions(command: Command): Command {
  return command
    .optionsGroup("Waiting:")
    .addOption(
      new Option(
        "--interval <duration>",
        `time between polls, such as 5s or 1m, at least ${formatDuration(MIN_INTERVAL_MS)} (default: from 1s, backing off to 10s)`,
      ).argParser(duration(MIN_INTERVAL_MS)),
    )
    .addOption(
      new Option(
        "--timeout <duration>",
        "stop waiting after this long, such as 30m or 2h (the task goes on)",
      ).argParser(duration(1)),
    );
}

/** --json (when the command has another output) and --verbose. */
function addOutputOptions(command: Command, json?: string): Command {
  command.optionsGroup("Output:");
  if (json) command.option("--json", json);
  return command.option("--verbose", VERBOSE);
}

const VERBOSE = "print each request and the answer's status on stderr (never credentials)";
const WAIT_JSON = "JSON lines instead of a progress bar, also on a terminal";

/** Waits with a bar or JSON lines; Ctrl-C or --timeout stop waiting and leave the task alone. */
async function waitAndReport(connection: Connection, taskId: string, flags: WaitFlags, io: Io): Promise<number> {
  const json = flags.json === true || !io.stdout.isTTY;
  const reporter: Reporter = json ? jsonReporter((line) => io.stdout.write(`${line}\n`)) : barReporter(io.stdout);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once("SIGINT", onSigint);
  const hint = (): string =>
    resumeHint(
      connection,
      taskId,
      [
        ...(flags.interval !== undefined ? ["--interval", formatDuration(flags.interval)] : []),
        ...(flags.json ? ["--json"] : []),
      ],
      io.env,
    );
  try {
    const task = await connection.client.waitForExportTask(connection.datasetId, taskId, {
      signal: controller.signal,
      intervalMs: flags.interval ?? MIN_INTERVAL_MS,
      maxIntervalMs: flags.interval ?? 10_000,
      ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
      onProgress: (update) => reporter.progress(update),
    });
    reporter.done(task);
    if (!json) io.stdout.write(`export task ${taskId} SUCCESSED: ${task.finished_sample_count ?? 0} samples\n`);
    return EXIT.ok;
  } catch (error) {
    reporter.stop();
    if (controller.signal.aborted && !(error instanceof ModelArtsTimeoutError)) {
      io.stderr.write(`\nStopped waiting; export task ${taskId} goes on. Resume with:\n${hint()}\n`);
      return EXIT.interrupted;
    }
    if (error instanceof ModelArtsTimeoutError && flags.timeout !== undefined) {
      io.stderr.write(
        `\nexport task ${taskId} is not finished after ${formatDuration(flags.timeout)}; it goes on. Resume with:\n${hint()}\n`,
      );
      return EXIT.timeout;
    }
    throw error;
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}

function print(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Ends of a task that are not success: FAILED, and STOPPED (ExportTaskStoppedError extends ExportTaskFailedError). */
function taskEnd(error: unknown): ExportTaskStatus | undefined {
  return error instanceof ExportTaskFailedError ? error.task : undefined;
}

export async function main(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin },
): Promise<number> {
  let exitCode: number = EXIT.ok;
  let json = false;
  const program = new Command("modelarts-export")
    .description("Create, list, follow and run Huawei Cloud ModelArts dataset export tasks.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      getOutHelpWidth: () => (io.stdout.isTTY ? io.stdout.columns : 100),
      getErrHelpWidth: () => (io.stderr.isTTY ? io.stderr.columns : 100),
    })
    // The body flags are long; wrap their descriptions even in a narrow column.
    .configureHelp({ minWidthToWrap: 24 })
    .showHelpAfterError("(add --help for usage)")
    .addHelpText("after", ENVIRONMENT);

  const run =
    <T extends unknown[]>(fn: (options: Record<string, unknown>, command: Command, ...args: T) => Promise<number>) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args[args.length - 1] as Command;
      const options = command.opts();
      json = options.json === true;
      exitCode = await fn(options, command, ...(args.slice(0, -2) as T));
    };
  const connectFor = (options: Record<string, unknown>, command: Command): Connection =>
    connect(options as ConnectionOptions, command, io);
  const taskIdHelp = pathParameterDescription("task_id");

  addOutputOptions(
    addBodyOptions(
      addConnectionOptions(program.command("create").description("create an export task and print its ID")),
    ),
    "print the whole answer as JSON",
  )
    .addHelpText("after", EXAMPLES.create)
    .action(
      run(async (options, command) => {
        const connection = connectFor(options, command);
        const body = checkBody(await requestBody(options, io.stdin), (line) => io.stderr.write(`${line}\n`));
        const task = await connection.client.createExportTask(connection.datasetId, body);
        if (options.json) print(io, task);
        else io.stdout.write(`${task.task_id}\n`);
        return EXIT.ok;
      }),
    );

  addOutputOptions(
    addWaitOptions(
      addBodyOptions(
        addConnectionOptions(
          program.command("export").description("create an export task, then wait for it with a progress bar"),
        ),
      ),
    ),
    WAIT_JSON,
  )
    .addHelpText("after", EXAMPLES.export)
    .action(
      run(async (options, command) => {
        const connection = connectFor(options, command);
        const body = checkBody(await requestBody(options, io.stdin), (line) => io.stderr.write(`${line}\n`));
        const task = await connection.client.createExportTask(connection.datasetId, body);
        const taskId = task.task_id as string;
        if (!options.json && io.stdout.isTTY) io.stdout.write(`created export task ${taskId}\n`);
        return waitAndReport(connection, taskId, options as WaitFlags, io);
      }),
    );

  addOutputOptions(
    addConnectionOptions(
      program.command("get").argument("<task-id>", taskIdHelp).description("print one export task as JSON"),
    ),
  )
    .addHelpText("after", EXAMPLES.get)
    .action(
      run(async (options, command, taskId: string) => {
        const connection = connectFor(options, command);
        print(io, await connection.client.getExportTask(connection.datasetId, taskId));
        return EXIT.ok;
      }),
    );

  const exportType = listParameter("export_type");
  const limit = listParameter("limit");
  const offset = listParameter("offset");
  const bounds = (spec: typeof limit): { minimum?: number; maximum?: number } => ({
    ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}),
    ...(spec.maximum !== undefined ? { maximum: spec.maximum } : {}),
  });
  addConnectionOptions(
    program
      .command("list")
      .description("print the export tasks of a dataset as JSON: every page, or one with --limit or --offset"),
  )
    .optionsGroup("Which tasks:")
    .addOption(
      new Option("--export-type <n>", exportType.description).argParser(
        exportType.choices ? (text) => Number(choice(exportType.choices!.map(String))(text)) : integer(),
      ),
    )
    .addOption(new Option("--limit <n>", limit.description).argParser(integer(bounds(limit))))
    .addOption(new Option("--offset <n>", offset.description).argParser(integer(bounds(offset))))
    .optionsGroup("Output:")
    .option("--verbose", VERBOSE)
    .addHelpText("after", EXAMPLES.list)
    .action(
      run(async (options, command) => {
        const connection = connectFor(options, command);
        const filter = options.exportType === undefined ? {} : { export_type: options.exportType as 0 | 1 | 2 | 3 };
        if (options.limit !== undefined || options.offset !== undefined) {
          print(
            io,
            await connection.client.listExportTasks(connection.datasetId, {
              ...filter,
              limit: (options.limit as number | undefined) ?? 10,
              offset: (options.offset as number | undefined) ?? 0,
            }),
          );
          return EXIT.ok;
        }
        const all: ExportTaskStatus[] = [];
        for await (const task of connection.client.exportTasks(connection.datasetId, filter)) all.push(task);
        print(io, { total_count: all.length, export_tasks: all });
        return EXIT.ok;
      }),
    );

  addOutputOptions(
    addWaitOptions(
      addConnectionOptions(
        program
          .command("wait")
          .argument("<task-id>", taskIdHelp)
          .description("wait for an export task to end, with a progress bar on a terminal, JSON lines otherwise"),
      ),
    ),
    WAIT_JSON,
  )
    .addHelpText("after", EXAMPLES.wait)
    .action(
      run(async (options, command, taskId: string) =>
        waitAndReport(connectFor(options, command), taskId, options as WaitFlags, io),
      ),
    );

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    const ended = taskEnd(error);
    if (ended) {
      io.stderr.write(`${(error as Error).message}\n`);
      if (json) print(io, ended);
      return EXIT.taskFailed;
    }
    if (
      error instanceof ModelArtsApiError ||
      error instanceof ModelArtsNetworkError ||
      error instanceof ModelArtsTimeoutError
    ) {
      io.stderr.write(`error: ${error.message}\n`);
      return EXIT.api;
    }
    // A bug of ours: one line, and the stack only when asked for.
    const verbose = argv.includes("--verbose");
    io.stderr.write(
      `error: ${verbose ? ((error as Error).stack ?? String(error)) : String((error as Error)?.message ?? error)}\n` +
        `This is a bug in modelarts-export; please report it${verbose ? "" : " (--verbose shows where it happened)"}.\n`,
    );
    return EXIT.internal;
  }
}

/** The process around main: a closed stdout ends the command quietly, as `| head` expects. */
export async function run(): Promise<void> {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(EXIT.brokenPipe);
    throw error;
  });
  process.exitCode = await main(process.argv);
}
