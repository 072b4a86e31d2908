// Runs the workspace's Redocly CLI. It prints a Node 20 deprecation banner
// on every run, so its output is shown only when it fails.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "node_modules", "@redocly", "cli", "bin", "cli.js");

/** @param {string[]} args @param {string} [cwd] */
export function redocly(args, cwd = root) {
  try {
    execFileSync(process.execPath, [cli, ...args, "--config", join(root, "redocly.yaml")], { cwd, stdio: "pipe" });
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ""}${error.stderr ?? ""}`);
    throw new Error(`redocly ${args.join(" ")} failed`);
  }
}
