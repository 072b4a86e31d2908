// Entry for Node, Deno and Bun: the settings as one JSON argument, the result
// as one JSON line on stdout, or the error on stderr and exit code 1.
import { runExport, type RunSettings } from "./program.js";

type CommandLineGlobals = {
  Deno?: { args: string[]; exit(code: number): never };
  process?: { argv: string[]; exitCode?: number };
};

const g = globalThis as CommandLineGlobals;
const argument = g.Deno ? g.Deno.args[0] : g.process?.argv[2];

try {
  if (!argument) throw new Error("usage: <runtime> command-line.mjs '<settings as JSON>'");
  console.log(JSON.stringify(await runExport(JSON.parse(argument) as RunSettings)));
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  if (g.Deno) g.Deno.exit(1);
  else if (g.process) g.process.exitCode = 1;
}
