// Runs the built binary in a child process, so that the test process stays
// free to serve the emulator the command talks to.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../bin/modelarts-export.js", import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command's exit code and output; `env` adds to a bare PATH, `input` is its stdin. */
export function cli(args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env: { PATH: process.env.PATH ?? "", ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}
