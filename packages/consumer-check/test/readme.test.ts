// The root README's shell blocks: the ones that run, run here against an
// emulator; the set-up commands are the ones .ci/run runs; the install line
// names a published package. Its TypeScript blocks are type-checked and run
// by consumer.test.ts. A block none of these covers fails the last test.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startEmulator, type RunningEmulator } from "@modelarts-export/emulator";
import { README_EMULATOR_URL, readmeBlocks, repoRoot, type CodeBlock } from "./readme.js";

const execFileAsync = promisify(execFile);
const blocks = readmeBlocks();
const shell = blocks.filter((block) => block.lang === "sh");
const covered = new Set<CodeBlock>(blocks.filter((block) => block.lang === "ts"));

/** Commands of a shell block, without comments and continuation lines joined. */
const commands = (block: CodeBlock): string[] =>
  block.code
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line && !line.startsWith("#"))
    .flatMap((line) => line.split(/\s+&&\s+/));

let emulator: RunningEmulator;
const storage = mkdtempSync(join(tmpdir(), "readme-emulator-"));
beforeAll(async () => {
  emulator = await startEmulator({ storage, port: 0, demo: true, control: true });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(storage, { recursive: true, force: true });
});

test("the set-up block is what .ci/run runs, before lint", () => {
  const setup = shell.find((block) => block.code.includes("npm ci"));
  expect(setup, "README.md has a block with `npm ci`").toBeDefined();
  covered.add(setup!);
  const ci = readFileSync(join(repoRoot, ".ci", "run"), "utf8")
    .split("\n")
    .filter((line) => /^npm /.test(line))
    .map((line) => line.replace(/ --no-audit --no-fund$/, ""));
  // npm start serves until stopped: CI builds instead, as npm start does first.
  const expected = commands(setup!).map((command) => (command === "npm start" ? "npm run build" : command));
  expect(ci).toEqual([...expected, "npm run lint"]);
});

test("the install lines name published packages of this repository", () => {
  const installs = shell.filter((block) => commands(block).every((command) => command.startsWith("npm install ")));
  expect(installs.length).toBeGreaterThan(0);
  for (const block of installs) {
    covered.add(block);
    for (const command of commands(block)) {
      const name = command.replace(/^npm install /, "");
      const dir = name.replace(/^@modelarts-export\//, "packages/");
      const manifest = JSON.parse(readFileSync(join(repoRoot, dir, "package.json"), "utf8")) as {
        name: string;
        private?: boolean;
      };
      expect([manifest.name, manifest.private]).toEqual([name, undefined]);
    }
  }
});

/** Runs a block in the repository as a user's shell would, against this test's emulator. */
async function runAgainstEmulator(block: CodeBlock): Promise<string> {
  covered.add(block);
  const { stdout } = await execFileAsync("sh", ["-ec", block.code.replaceAll(README_EMULATOR_URL, emulator.url)], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 120_000,
  });
  return stdout;
}

test("the CLI line exports the demo dataset", async () => {
  const block = shell.find((b) => b.code.includes("npx modelarts-export "));
  expect(block, "README.md has a block running the CLI").toBeDefined();
  const stdout = await runAgainstEmulator(block!);
  expect(stdout).toMatch(/"status":\s*"SUCCESSED"/);
}, 120_000);

test("the curl line creates a task", async () => {
  const block = shell.find((b) => b.code.includes("curl ") && b.code.includes("/export-tasks"));
  expect(block, "README.md has a block with curl").toBeDefined();
  const stdout = await runAgainstEmulator(block!);
  const { task_id } = JSON.parse(stdout) as { task_id: string };
  await emulator.idle();
  const task = (await (
    await fetch(`${emulator.url}/v2/demo-project/datasets/demo-detection/export-tasks/${task_id}`, {
      headers: { "X-Auth-Token": "demo-token" },
    })
  ).json()) as { status: string };
  expect(task.status).toBe("SUCCESSED");
});

test("the fault line makes the next polls answer 503", async () => {
  const block = shell.find((b) => b.code.includes("/_emulator/faults"));
  expect(block, "README.md has a block adding a fault").toBeDefined();
  const { id } = JSON.parse(await runAgainstEmulator(block!)) as { id: string };
  expect(id).toEqual(expect.any(String));
  const poll = (): Promise<number> =>
    fetch(`${emulator.url}/v2/demo-project/datasets/demo-detection/export-tasks/no-such-task`, {
      headers: { "X-Auth-Token": "demo-token" },
    }).then((reply) => reply.status);
  expect([await poll(), await poll(), await poll()]).toEqual([503, 503, 404]);
});

test("every code block of the README is run or checked", () => {
  const unchecked = blocks.filter((block) => !covered.has(block)).map((b) => `README.md:${b.line} (${b.lang})`);
  expect(unchecked).toEqual([]);
});
