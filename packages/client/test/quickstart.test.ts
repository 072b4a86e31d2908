// The README's quickstart is examples/quickstart.mjs, word for word: this
// runs it with plain `node` (no TypeScript loader) against the emulator, and
// type-checks it with tsc --checkJs.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO, startEmulator, type RunningEmulator } from "@modelarts-export/emulator";

const run = promisify(execFile);
const quickstart = fileURLToPath(new URL("../examples/quickstart.mjs", import.meta.url));
const readme = fileURLToPath(new URL("../README.md", import.meta.url));
const tsc = fileURLToPath(new URL("../../../node_modules/typescript/bin/tsc", import.meta.url));

let emulator: RunningEmulator;
const storage = mkdtempSync(join(tmpdir(), "client-quickstart-"));
beforeAll(async () => {
  mkdirSync(join(storage, "my-bucket")); // the bucket the quickstart exports to
  // Paced (200 samples in about 2 s) so that the program sees the task before it ends.
  emulator = await startEmulator({ storage, port: 0, demo: true, exportRate: 100 });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(storage, { recursive: true, force: true });
});

test("the README shows examples/quickstart.mjs verbatim", () => {
  expect(readFileSync(readme, "utf8")).toContain(`\`\`\`js\n${readFileSync(quickstart, "utf8")}\`\`\``);
});

test("node quickstart.mjs creates an export, reports progress and ends SUCCESSED", async () => {
  const { stdout } = await run(process.execPath, [quickstart], {
    env: {
      PATH: process.env.PATH,
      MODELARTS_ENDPOINT: emulator.url,
      MODELARTS_DATASET_ID: DEMO.datasets.detection.id,
      HUAWEICLOUD_SDK_PROJECT_ID: DEMO.projectId,
      HUAWEICLOUD_SDK_AK: DEMO.accessKey,
      HUAWEICLOUD_SDK_SK: DEMO.secretKey,
    },
  });
  expect(stdout).toMatch(/^(INIT|RUNNING) /m);
  expect(stdout).toMatch(/^SUCCESSED 100% (\d+)\/\1$/m);
  expect(stdout.trim().split("\n").at(-1)).toBe("done: SUCCESSED");
  expect(existsSync(join(storage, "my-bucket", "exports", "coco", "annotations", "instances_train.json"))).toBe(true);
});

test("the quickstart type-checks (tsc --checkJs)", async () => {
  const args = ["--noEmit", "--allowJs", "--checkJs", "--strict", "--module", "nodenext", "--target", "es2022"];
  await expect(run(process.execPath, [tsc, ...args, "--types", "node", quickstart])).resolves.toMatchObject({
    stdout: "",
  });
});
