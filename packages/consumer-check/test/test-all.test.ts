// `npm test` (scripts/test-all.mjs) on a small workspace of three packages:
// one passes, one's tests fail, one's build fails. Every suite that can run
// runs, each package gets its line, and the exit code says something failed.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const work = mkdtempSync(join(tmpdir(), "test-all-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A workspace whose packages' scripts print what vitest prints and exit as told. */
function workspace(packages: Record<string, Record<string, string>>): string {
  const rootManifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { packageManager: string };
  const dir = mkdtempSync(join(work, "ws-"));
  mkdirSync(join(dir, "scripts"));
  copyFileSync(join(repoRoot, "scripts", "test-all.mjs"), join(dir, "scripts", "test-all.mjs"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(join(repoRoot, "node_modules", "turbo"), join(dir, "node_modules", "turbo"), "dir");
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "ws",
      private: true,
      workspaces: Object.keys(packages),
      packageManager: rootManifest.packageManager,
    }),
  );
  writeFileSync(
    join(dir, "turbo.json"),
    JSON.stringify({ tasks: { build: {}, test: { dependsOn: ["build"], cache: false } } }),
  );
  for (const [name, scripts] of Object.entries(packages)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, "package.json"), JSON.stringify({ name, version: "1.0.0", scripts }));
  }
  return dir;
}

const script = (print: string, exit = 0): string =>
  `node -e "console.log(${JSON.stringify(print).replaceAll('"', "'")}); process.exit(${exit})"`;

function npmTest(dir: string): { status: number | null; stdout: string } {
  const run = spawnSync(process.execPath, [join(dir, "scripts", "test-all.mjs")], {
    cwd: dir,
    encoding: "utf8",
    // Not the settings of the turbo that may be running this very test.
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TURBO_"))),
      TURBO_TELEMETRY_DISABLED: "1",
    },
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout };
}

test("one failing suite and one failing build: the rest still run, each package has its line", () => {
  const dir = workspace({
    good: { build: script("built"), test: script(" Tests  2 passed (2)") },
    flaky: { test: script(" Tests  1 failed | 3 passed (4)", 1) },
    broken: { build: script("cannot build", 3), test: script(" Tests  9 passed (9)") },
  });
  const { status, stdout } = npmTest(dir);
  expect(status).toBe(1);
  const report = stdout.slice(stdout.lastIndexOf("npm test, one line per package:"));
  expect(report.trim().split("\n")).toEqual([
    "npm test, one line per package:",
    expect.stringMatching(/^ {2}NOT RUN {2}broken {2}broken#build failed$/),
    expect.stringMatching(/^ {2}FAIL {5}flaky {3}1 failed \| 3 passed, \d+\.\d s$/),
    expect.stringMatching(/^ {2}PASS {5}good {4}2 passed, \d+\.\d s$/),
    expect.stringMatching(
      /^npm test: 1 of 3 packages passed \(5 tests passed, 1 failed\) in \d+\.\d s; failed: broken, flaky$/,
    ),
  ]);
}, 150_000);

test("all suites passing: exit 0 and a total", () => {
  const dir = workspace({
    one: { test: script(" Tests  2 passed (2)") },
    two: { build: script("built"), test: script(" Tests  5 passed (5)") },
  });
  const { status, stdout } = npmTest(dir);
  expect(stdout).toMatch(/\nnpm test: all 2 packages passed \(7 tests passed, 0 failed\) in \d+\.\d s\n$/);
  expect(status).toBe(0);
}, 150_000);
