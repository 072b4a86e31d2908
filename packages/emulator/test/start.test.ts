// The root `npm start` command's emulator part, run as npm runs it: a busy
// port is said in words with the flag that picks another, and that flag,
// appended as `npm start -- --port N` appends it, is the one that counts.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "emulator-start-"));

/** The arguments `npm start` gives the emulator, with its folders moved to a temporary one. */
function startScriptArgs(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
    scripts: { start: string };
  };
  const command = scripts.start.split(" && ").at(-1) as string;
  const [node, ...args] = command.split(" ");
  expect(node).toBe("node");
  return args.map((arg) => arg.replace(/^\.emulator\//, `${work}/`));
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command until it exits, or until it prints that it listens (then stops it). */
function run(args: string[]): Promise<Exit> {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, npm_lifecycle_event: "start" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes("listening on ")) child.kill("SIGTERM");
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

let busy: Server;
let busyPort: number;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

test("npm start on a busy port says so and names `npm start -- --port N`", async () => {
  const { code, stdout, stderr } = await run([...startScriptArgs(), "--port", String(busyPort)]);
  expect(code).toBe(1);
  expect(stdout).not.toContain("listening on");
  expect(stderr).toContain(`Cannot start the emulator: port 127.0.0.1:${busyPort} is already in use`);
  expect(stderr).toContain("Pick another port with `npm start -- --port N`");
  expect(stderr).not.toMatch(/EADDRINUSE|\n\s+at /); // no raw code, no stack trace
});

test("the appended --port is the one the emulator listens on", async () => {
  const { stdout, stderr } = await run([...startScriptArgs(), "--port", "0"]);
  expect(stderr).toBe("");
  expect(stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\n/);
  expect(stdout).not.toContain(":8080");
});
