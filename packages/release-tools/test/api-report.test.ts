// A changed exported type of the client makes its `npm run lint` fail with the
// diff of the API report. (That the committed reports match the build is what
// the lint of client and types checks on every run.)
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { repoRoot } from "../src/paths.mjs";
import { createScratchCopy } from "../src/scratch.mjs";

const scratch = createScratchCopy(repoRoot, { built: true });
afterAll(() => scratch.remove());

test("changing an exported type of the client fails the client's lint with the report diff", () => {
  const client = join(scratch.dir, "packages/client");
  const source = join(client, "src/client.ts");
  const text = readFileSync(source, "utf8");
  // A new option: compiles, changes the exported ExportClientOptions.
  const changed = text.replace("  userAgent?: string;\n", "  userAgent?: string;\n  locale?: string;\n");
  expect(changed).not.toBe(text);
  writeFileSync(source, changed);
  // The ES module build is where the report reads the declarations.
  execFileSync(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: client,
    stdio: "pipe",
  });

  let output = "";
  try {
    execFileSync("npm", ["run", "lint"], { cwd: client, encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    expect(failed.status).not.toBe(0);
    output = failed.stdout + failed.stderr;
  }
  expect(output).toContain("--- review/client.api.md");
  expect(output).toMatch(/^\+\s+locale\?: string;$/m);
  expect(output).toContain("npm run api:update");
}, 240_000);
