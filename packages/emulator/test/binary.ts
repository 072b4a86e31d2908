// Starts the emulator's real binary as a process of its own, for tests that
// kill it, restart it or measure its memory.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../bin/modelarts-export-emulator.js", import.meta.url));

/** Starts `modelarts-export-emulator ARGS` and resolves with its URL once it listens; `children` collects it for cleanup. */
export function startBinary(args: string[], children: ChildProcess[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url });
    });
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}: ${output}`)));
  });
}

/** Flags of an emulator that keeps its tasks in `state`: storage, state, any free port, token `t` for project `p`. */
export const persistentArgs = (storage: string, state: string): string[] => [
  "--storage",
  storage,
  "--state",
  state,
  "--port",
  "0",
  "--token",
  "t=p",
];
