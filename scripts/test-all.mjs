// `npm test`: every package's suite runs, even after one fails, then one line
// per package and a total, so that a failure names itself and the rest still
// report. Exits 1 if any suite failed or could not run.
// Extra arguments go to turbo: `npm test -- --filter=@modelarts-export/client`.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const turbo = createRequire(import.meta.url).resolve("turbo/bin/turbo");

const args = [
  "run",
  "test",
  // One suite at a time: several start servers and compilers of their own.
  "--concurrency=1",
  // A package whose build failed is reported, not tested against stale output.
  "--continue=dependencies-successful",
  "--summarize",
  ...process.argv.slice(2),
];

/** The tasks `turbo run test` would run, with their dependencies, before anything runs. */
function plannedTasks() {
  const dry = spawnSync(process.execPath, [turbo, ...args.filter((a) => a !== "--summarize"), "--dry=json"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 << 20,
  });
  if (dry.status !== 0) {
    console.error(`npm test: turbo could not plan the run (exit ${dry.status})`);
    process.exit(dry.status || 1);
  }
  return JSON.parse(dry.stdout).tasks.filter((task) => task.command !== "<NONEXISTENT>");
}
const planned = plannedTasks();

/** Lines each package's suite printed, by package name (turbo prefixes them `name:test: `). */
const printed = new Map();
let summaryFile;
let pending = "";

function collect(text) {
  pending += text;
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const raw of lines) {
    const line = stripVTControlCharacters(raw);
    const summary = /^\s*Summary:\s+(\S+\.json)\s*$/.exec(line);
    if (summary) summaryFile = summary[1];
    const prefixed = /^(\S+):test: (.*)$/.exec(line);
    if (prefixed) printed.set(prefixed[1], [...(printed.get(prefixed[1]) ?? []), prefixed[2]]);
  }
}

const exitCode = await new Promise((done) => {
  const child = spawn(process.execPath, [turbo, ...args], { cwd: root, stdio: ["inherit", "pipe", "inherit"] });
  child.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    collect(chunk.toString());
  });
  child.once("exit", (code, signal) => done(code ?? (signal ? 1 : 0)));
});
collect("\n");

/** "12 passed", "1 failed | 11 passed", from vitest's `Tests` line (its last one wins). */
function testCounts(lines = []) {
  const counts = lines
    .map((line) => /^\s*Tests\s+(.+?)\s+\(\d+\)\s*$/.exec(line)?.[1])
    .filter(Boolean)
    .at(-1);
  return counts ?? "no test count printed";
}

if (!summaryFile) {
  console.error(`\nnpm test: turbo exited with ${exitCode} before writing its run summary`);
  process.exit(exitCode || 1);
}
const summary = JSON.parse(readFileSync(resolve(root, summaryFile), "utf8"));
rmSync(resolve(root, summaryFile), { force: true });

const executions = new Map(summary.tasks.map((task) => [task.taskId, task.execution]));
const plan = new Map(planned.map((task) => [task.taskId, task]));
const failedTask = (id) => {
  const execution = executions.get(id);
  return execution !== undefined && execution.exitCode !== 0;
};
/** The first task below this one that failed, so that a suite which never ran says why. */
function failedDependency(task, seen = new Set()) {
  for (const id of task.dependencies ?? []) {
    if (seen.has(id)) continue;
    seen.add(id);
    if (failedTask(id)) return id;
    const deeper = plan.has(id) ? failedDependency(plan.get(id), seen) : undefined;
    if (deeper) return deeper;
  }
  return undefined;
}

const suites = planned.filter((task) => task.task === "test").sort((a, b) => a.package.localeCompare(b.package));
const width = Math.max(0, ...suites.map((task) => task.package.length));
const failed = [];
console.log("\nnpm test, one line per package:");
for (const task of suites) {
  const name = task.package.padEnd(width);
  const execution = executions.get(task.taskId);
  if (typeof execution?.exitCode !== "number") {
    failed.push(task.package);
    const cause = failedDependency(task);
    console.log(`  NOT RUN  ${name}  ${cause ? `${cause} failed` : "turbo did not run it"}`);
    continue;
  }
  const seconds = ((execution.endTime - execution.startTime) / 1000).toFixed(1);
  const ok = execution.exitCode === 0;
  if (!ok) failed.push(task.package);
  console.log(`  ${ok ? "PASS   " : "FAIL   "}  ${name}  ${testCounts(printed.get(task.package))}, ${seconds} s`);
}
const seconds = ((summary.execution.endTime - summary.execution.startTime) / 1000).toFixed(1);
const passed = suites.length - failed.length;
/** Tests with this outcome ("passed", "failed", ...) over all suites that printed counts. */
const total = (outcome) =>
  suites.reduce(
    (sum, task) => sum + Number(new RegExp(`(\\d+) ${outcome}`).exec(testCounts(printed.get(task.package)))?.[1] ?? 0),
    0,
  );
const tests = `${total("passed")} tests passed, ${total("failed")} failed`;
console.log(
  failed.length === 0 && exitCode === 0
    ? `npm test: all ${suites.length} packages passed (${tests}) in ${seconds} s`
    : `npm test: ${passed} of ${suites.length} packages passed (${tests}) in ${seconds} s; failed: ${failed.join(", ") || `turbo exited with ${exitCode}`}`,
);
process.exit(failed.length === 0 && exitCode === 0 ? 0 : 1);
