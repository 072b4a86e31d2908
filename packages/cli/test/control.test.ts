// The CLI against an emulator whose control API injects faults: a failed
// export exits 1 with the injected error code, and injected 503s on GET are
// ridden out by the client's retries.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO, startEmulator, type RunningEmulator } from "@modelarts-export/emulator";
import { cli } from "./run-cli.js";

const storage = mkdtempSync(join(tmpdir(), "cli-control-"));
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ storage, port: 0, demo: true, control: true });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(storage, { recursive: true, force: true });
});

const exportArgs = (dir: string): string[] => [
  "export",
  "--endpoint",
  emulator.url,
  "--project-id",
  DEMO.projectId,
  "--token",
  DEMO.token,
  "--dataset-id",
  DEMO.datasets.detection.id,
  "--path",
  `/demo-bucket/cli-ctl/${dir}/`,
  "--interval",
  "1",
];

test("an export the control API fails exits 1 with the injected error_code", async () => {
  const reply = await fetch(new URL("/_emulator/task-outcomes", emulator.url), {
    method: "POST",
    headers: { "x-auth-token": DEMO.token, "content-type": "application/json" },
    body: JSON.stringify({
      dataset_id: DEMO.datasets.detection.id,
      error_code: "ModelArts.4314",
      error_msg: "OBS error: injected by the test",
      after_samples: 10,
    }),
  });
  expect(reply.status).toBe(201);
  const run = await cli(exportArgs("failing"));
  expect(run.code).toBe(1);
  expect(run.stderr).toContain("ModelArts.4314");
  expect(run.stderr).toContain("OBS error: injected by the test");
});

test("503s injected on GET are ridden out: the export still exits 0", async () => {
  emulator.addFault({ operation: "getExportTask", times: 2, status: 503, retry_after_s: 0 });
  const run = await cli(exportArgs("riding-out"));
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain("SUCCESSED");
});
