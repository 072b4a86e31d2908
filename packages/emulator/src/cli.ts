// `modelarts-export-emulator`: flags to options, then serve until a signal.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { DATASET_TYPE_NAMES } from "./dataset.js";
import { DEMO } from "./demo.js";
import { startEmulator, type DatasetOption, type EmulatorOptions } from "./emulator.js";
import { DEFAULT_MAX_QUEUED } from "./server.js";
import { StateLockedError } from "./state-lock.js";

const USAGE = `Usage: modelarts-export-emulator [options]

  --host HOST                 address to listen on (default 127.0.0.1)
  --port PORT                 port, 0 picks a free one (default 8080)
  --storage DIR               folder that emulates OBS: /bucket/a/ is DIR/bucket/a/ (required)
  --state DIR                 keep task records in DIR across restarts (default: in memory)
  --token TOKEN=PROJECT_ID    accept X-Auth-Token TOKEN for a project (repeatable)
  --credential AK:SK=PROJECT  accept AK/SK signatures for a project (repeatable)
  --dataset PROJECT/DATASET=/bucket/path/file.manifest[:TYPE]
                              load a dataset from a manifest in storage (repeatable);
                              TYPE forces the dataset type (${Object.keys(DATASET_TYPE_NAMES).join(", ")} or a number)
  --export-rate N             export at most N samples per second, to watch progress as on the
                              real service (default: as fast as the machine goes)
  --max-queued N              answer create with 429 while N tasks wait to run (default ${DEFAULT_MAX_QUEUED})
  --control                   serve the control API under /_emulator/ (reset, faults, task outcomes)
  --docs DIR                  serve rendered docs from DIR at /docs and /docs/zh
  --strict                    also refuse requests that break rules the spec infers (x-inferred),
                              naming the rule; by default only documented rules refuse
  --static DIR                serve the files in DIR at /static/, so that a page there calls
                              the API from the emulator's own origin (no CORS needed)
  --demo                      write and load the demo datasets (project ${DEMO.projectId}, token ${DEMO.token})
  --help                      show this help`;

class UsageError extends Error {}

function splitOnce(value: string, separator: string, flag: string, shape: string): [string, string] {
  const at = value.indexOf(separator);
  if (at <= 0 || at === value.length - 1) throw new UsageError(`${flag} ${value}: expected ${shape}`);
  return [value.slice(0, at), value.slice(at + 1)];
}

export function parseDataset(value: string): DatasetOption {
  const [ids, rest] = splitOnce(value, "=", "--dataset", "PROJECT_ID/DATASET_ID=/bucket/path/file.manifest[:TYPE]");
  const [projectId, datasetId] = splitOnce(ids, "/", "--dataset", "PROJECT_ID/DATASET_ID=...");
  const typeMatch = /^(.*\.manifest):([\w]+)$/.exec(rest);
  const manifest = typeMatch ? (typeMatch[1] as string) : rest;
  if (!manifest.startsWith("/"))
    throw new UsageError(`--dataset ${value}: the manifest must be a storage path /bucket/...`);
  if (!typeMatch) return { projectId, datasetId, manifest };
  const name = typeMatch[2] as string;
  const type =
    DATASET_TYPE_NAMES[name] ?? (Object.values(DATASET_TYPE_NAMES) as number[]).find((t) => String(t) === name);
  if (type === undefined) throw new UsageError(`--dataset ${value}: unknown type ${name}`);
  return { projectId, datasetId, manifest, type: type as DatasetOption["type"] & number };
}

/** Where `npm run build` put the docs, when the docs package is installed. */
function defaultDocsDir(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve("@modelarts-export/docs/index.html"));
  } catch {
    return undefined;
  }
}

export function parseOptions(argv: string[]): EmulatorOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      storage: { type: "string" },
      state: { type: "string" },
      token: { type: "string", multiple: true },
      credential: { type: "string", multiple: true },
      dataset: { type: "string", multiple: true },
      docs: { type: "string" },
      static: { type: "string" },
      "export-rate": { type: "string" },
      "max-queued": { type: "string" },
      control: { type: "boolean" },
      demo: { type: "boolean" },
      strict: { type: "boolean" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return undefined;
  if (!values.storage) throw new UsageError("--storage DIR is required");
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${values.port}: expected 0-65535`);
  const tokens = Object.fromEntries((values.token ?? []).map((t) => splitOnce(t, "=", "--token", "TOKEN=PROJECT_ID")));
  const credentials = Object.fromEntries(
    (values.credential ?? []).map((c) => {
      const [keys, projectId] = splitOnce(c, "=", "--credential", "AK:SK=PROJECT_ID");
      const [accessKey, secretKey] = splitOnce(keys, ":", "--credential", "AK:SK=PROJECT_ID");
      return [accessKey, { secretKey, projectId }];
    }),
  );
  const exportRate = values["export-rate"] === undefined ? undefined : Number(values["export-rate"]);
  if (exportRate !== undefined && !(exportRate > 0))
    throw new UsageError(`--export-rate ${values["export-rate"]}: expected a number of samples per second above 0`);
  const maxQueued = values["max-queued"] === undefined ? undefined : Number(values["max-queued"]);
  if (maxQueued !== undefined && !(Number.isInteger(maxQueued) && maxQueued >= 1))
    throw new UsageError(`--max-queued ${values["max-queued"]}: expected a whole number of tasks, 1 or more`);
  const docsDir = values.docs ?? defaultDocsDir();
  return {
    host: values.host ?? "127.0.0.1",
    port,
    storage: values.storage,
    ...(values.state ? { state: values.state } : {}),
    tokens,
    credentials,
    datasets: (values.dataset ?? []).map(parseDataset),
    demo: values.demo ?? false,
    ...(values.strict ? { strict: true } : {}),
    ...(exportRate ? { exportRate } : {}),
    ...(maxQueued ? { maxQueued } : {}),
    ...(values.control ? { control: true } : {}),
    ...(docsDir ? { docsDir } : {}),
    ...(values.static ? { staticDir: values.static } : {}),
  };
}

/** A busy or forbidden port, said in words with the flag that picks another. */
export function listenHint(error: NodeJS.ErrnoException, options: EmulatorOptions): string | undefined {
  const where = `${options.host ?? "127.0.0.1"}:${options.port ?? 8080}`;
  const problem =
    error.code === "EADDRINUSE"
      ? `port ${where} is already in use (another emulator or server is listening there)`
      : error.code === "EACCES"
        ? `not allowed to listen on ${where} (ports below 1024 need root)`
        : undefined;
  if (!problem) return undefined;
  // Started by `npm start`, the flag has to go after npm's `--`.
  const command = process.env.npm_lifecycle_event === "start" ? "npm start -- --port" : "--port";
  return `Cannot start the emulator: ${problem}.\nPick another port with \`${command} N\` (for example \`${command} ${(options.port ?? 8080) + 1}\`; 0 picks a free one).`;
}

export async function main(argv: string[]): Promise<void> {
  let options: EmulatorOptions | undefined;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (!options) {
    console.log(USAGE);
    return;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    // A lock held by another emulator, a port in use, a storage folder that cannot be made.
    const hint = listenHint(error as NodeJS.ErrnoException, options);
    const code = (error as NodeJS.ErrnoException).code;
    if (!hint && !(error instanceof StateLockedError) && code === undefined) throw error;
    console.error(hint ?? `modelarts-export-emulator: ${(error as Error).message}`);
    process.exit(1);
  }
  console.log(`listening on ${emulator.url}`);
  if (emulator.recovered) console.log(`marked ${emulator.recovered} interrupted task(s) FAILED`);
  if (emulator.requeued) console.log(`queued ${emulator.requeued} waiting task(s) again`);
  if (options.control) console.log(`control API: ${emulator.url}/_emulator/ (reset, faults, task-outcomes)`);
  if (options.demo) {
    console.log(
      `demo: project ${DEMO.projectId}, token ${DEMO.token}, AK ${DEMO.accessKey} / SK ${DEMO.secretKey}, datasets ${Object.values(
        DEMO.datasets,
      )
        .map((d) => d.id)
        .join(", ")}`,
    );
  }
  if (options.strict) console.log("strict: requests that break inferred rules are refused too");
  if (options.staticDir) console.log(`static: ${emulator.url}/static/ serves ${options.staticDir}`);
  if (options.docsDir) console.log(`docs: ${emulator.url}/docs (English), ${emulator.url}/docs/zh (中文)`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
