// Start-up time of the CLI: how long `--version` and `create --help` (which
// reads the bundled spec) take, beside a bare `node -e 0`, over repeated runs.
// Usage: npm run bench -w @modelarts-export/cli [-- --runs N]
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../bin/modelarts-export.js", import.meta.url));
const at = process.argv.indexOf("--runs");
const runs = at > 0 ? Number(process.argv[at + 1]) : 20;
if (!Number.isInteger(runs) || runs < 1 || runs > 1000) throw new Error("--runs must be a whole number from 1 to 1000");

const cases = [
  ["node -e 0", ["-e", "0"]],
  ["modelarts-export --version", [bin, "--version"]],
  ["modelarts-export create --help", [bin, "create", "--help"]],
];

const timings = new Map(cases.map(([name]) => [name, []]));
// Interleaved, so that a change in the machine's load touches every case alike.
for (let i = 0; i < runs; i++)
  for (const [name, args] of cases) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { stdio: "ignore" });
    timings.get(name).push(Number(process.hrtime.bigint() - start) / 1e6);
  }

console.log(
  `${runs} runs each, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
for (const [name, values] of timings) {
  values.sort((a, b) => a - b);
  const median = values[Math.floor(values.length / 2)];
  console.log(
    `${name.padEnd(32)} median ${median.toFixed(0).padStart(4)} ms, fastest ${values[0].toFixed(0).padStart(4)} ms`,
  );
}
