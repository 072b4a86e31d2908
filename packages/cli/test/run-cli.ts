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

/** Runs a program without blocking this process; `input` is its stdin. */
export function execute(file: string, args: string[], env: Record<string, string>, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** The command's exit code and output; `env` adds to a bare PATH, `input` is its stdin. */
export const cli = (args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> =>
  execute(process.execPath, [bin, ...args], { PATH: process.env.PATH ?? "", ...env }, input);
