// The emulator's control API, seen from the client: injected 503s that the
// client's retries and waitForExportTask ride out, errors and dropped
// connections it reports, exports made to fail, and reset.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO, startEmulator, type RunningEmulator } from "@modelarts-export/emulator";
import {
  createExportClient,
  ExportTaskFailedError,
  ModelArtsApiError,
  ModelArtsNetworkError,
  type ExportClientOptions,
} from "../src/index.js";

let emulator: RunningEmulator;
const storage = mkdtempSync(join(tmpdir(), "client-control-"));
const DET = DEMO.datasets.detection.id;

beforeAll(async () => {
  emulator = await startEmulator({ storage, port: 0, demo: true, control: true });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(storage, { recursive: true, force: true });
});

const client = (overrides: Partial<ExportClientOptions> = {}) =>
  createExportClient({
    baseUrl: emulator.url,
    projectId: DEMO.projectId,
    auth: { token: DEMO.token },
    retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 20 },
    ...overrides,
  } as ExportClientOptions);

/** A control API call with the demo token. */
async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(`/_emulator/${path}`, emulator.url), {
    method,
    headers: { "x-auth-token": DEMO.token, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const VOC = (dir: string) => ({
  path: `/demo-bucket/ctl/${dir}/`,
  export_type: 2 as const,
  annotation_format: "VOC" as const,
});

describe("faults", () => {
  test("503s injected on GET: one reaches a client without retries, and waitForExportTask rides out two more", async () => {
    const { task_id: taskId } = await client().createExportTask(DET, VOC("ride-out"));
    const added = await control("POST", "faults", {
      operation: "getExportTask",
      times: 1,
      status: 503,
      error_code: "ModelArts.0010",
      error_msg: "Service busy",
      retry_after_s: 0,
    });
    expect(added.status).toBe(201);
    expect((added.body as { id: string }).id).toMatch(/^\w+$/);
    const refused = await client({ retry: false })
      .getExportTask(DET, taskId as string)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ModelArtsApiError);
    expect([(refused as ModelArtsApiError).status, (refused as ModelArtsApiError).errorCode]).toEqual([
      503,
      "ModelArts.0010",
    ]);
    await control("POST", "faults", { operation: "getExportTask", times: 2, status: 503, retry_after_s: 0 });
    const done = await client().waitForExportTask(DET, taskId as string, { intervalMs: 5 });
    expect(done.status).toBe("SUCCESSED");
    // Both were used up: the next GET is answered as usual.
    expect((await client({ retry: false }).getExportTask(DET, taskId as string)).status).toBe("SUCCESSED");
  });

  test("a 429 on create reaches the client with its code (creates are not retried)", async () => {
    await control("POST", "faults", {
      operation: "createExportTask",
      status: 429,
      error_code: "ModelArts.4395",
      error_msg: "Too many dataset requests.",
      retry_after_s: 3,
    });
    const error = (await client()
      .createExportTask(DET, VOC("throttled"))
      .catch((e: unknown) => e)) as ModelArtsApiError;
    expect(error).toBeInstanceOf(ModelArtsApiError);
    expect([error.status, error.errorCode, error.errorMsg]).toEqual([
      429,
      "ModelArts.4395",
      "Too many dataset requests.",
    ]);
    expect((await client().createExportTask(DET, VOC("after-throttle"))).task_id).toMatch(/^\w{19}$/);
  });

  test("a dropped connection is a network error; a delay only delays; DELETE clears what is left", async () => {
    await control("POST", "faults", { operation: "listExportTasks", drop: true });
    const error = await client({ retry: false })
      .listExportTasks(DET)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelArtsNetworkError);
    await control("POST", "faults", { operation: "*", delay_ms: 300 });
    const started = performance.now();
    expect((await client().listExportTasks(DET)).total_count).toBeGreaterThan(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    await control("POST", "faults", { operation: "*", times: 100, status: 500 });
    expect((await control("DELETE", "faults")).status).toBe(204);
    expect((await client({ retry: false }).listExportTasks(DET)).total_count).toBeGreaterThan(0);
  });

  test("the same from the startEmulator() handle", async () => {
    const fault = emulator.addFault({ operation: "getExportTask", status: 502, error_code: "APIGW.0202" });
    expect(fault.id).toMatch(/^\w+$/);
    const error = (await client({ retry: false })
      .getExportTask(DET, "x".repeat(19))
      .catch((e: unknown) => e)) as ModelArtsApiError;
    expect([error.status, error.errorCode]).toEqual([502, "APIGW.0202"]);
    emulator.addFault({ operation: "*", times: 5, status: 500 });
    emulator.clearFaults();
    expect((await client({ retry: false }).listExportTasks(DET)).total_count).toBeGreaterThan(0);
    expect(() => emulator.addFault({ operation: "getExportTask", times: 0, status: 503 })).toThrow(
      /times must be at least 1/,
    );
  });

  test("bad control requests are 400 in the API's error shape, naming the field", async () => {
    for (const [body, words] of [
      [{ operation: "getTask", status: 503 }, /operation must be one of/],
      [{ operation: "*", status: 200 }, /status must be at least 400/],
      [{ operation: "*" }, /needs status, delay_ms or drop/],
      [{ operation: "*", status: 503, color: "red" }, /color is not a known field/],
      [[1, 2], /must be a JSON object/],
    ] as const) {
      const reply = await control("POST", "faults", body);
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error_code: "ModelArts.4396", error_msg: expect.stringMatching(words) });
    }
    const unauthenticated = await fetch(new URL("/_emulator/reset", emulator.url), { method: "POST" });
    expect(unauthenticated.status).toBe(401);
  });
});

describe("task outcomes", () => {
  test("the next export of a dataset fails after K samples with the code asked for; the one after succeeds", async () => {
    const added = await control("POST", "task-outcomes", {
      dataset_id: DET,
      status: "FAILED",
      error_code: "ModelArts.4314",
      error_msg: "OBS error: injected",
      after_samples: 40,
    });
    expect(added.status).toBe(201);
    const c = client();
    const { task_id: failing } = await c.createExportTask(DET, VOC("outcome"));
    const error = (await c
      .waitForExportTask(DET, failing as string, { intervalMs: 5 })
      .catch((e: unknown) => e)) as ExportTaskFailedError;
    expect(error).toBeInstanceOf(ExportTaskFailedError);
    expect([error.errorCode, error.errorMsg]).toEqual(["ModelArts.4314", "OBS error: injected"]);
    expect(error.task.finished_sample_count).toBe(40);
    const { task_id: next } = await c.createExportTask(DET, VOC("outcome"));
    expect((await c.waitForExportTask(DET, next as string, { intervalMs: 5 })).status).toBe("SUCCESSED");
  });

  test("from the handle, failing at once", async () => {
    emulator.addTaskOutcome({ dataset_id: DET, error_code: "ModelArts.0010" });
    const c = client();
    const { task_id: taskId } = await c.createExportTask(DET, VOC("handle-outcome"));
    const error = (await c
      .waitForExportTask(DET, taskId as string, { intervalMs: 5 })
      .catch((e: unknown) => e)) as ExportTaskFailedError;
    expect([error.errorCode, error.task.finished_sample_count]).toEqual(["ModelArts.0010", 0]);
  });
});

test("reset forgets every task and every dataset made by an export", async () => {
  const c = client();
  const { task_id: made } = await c.createExportTask(DET, {
    path: "/demo-bucket/ctl/new-ds/",
    export_params: {
      export_dest: "NEW_DATASET",
      export_new_dataset_name: "made",
      export_new_dataset_work_path: "/demo-bucket/ctl/new-ds-work/",
    },
  });
  await c.waitForExportTask(DET, made as string, { intervalMs: 5 });
  expect((await c.listExportTasks(made as string)).total_count).toBe(0); // the new dataset answers
  expect((await control("POST", "reset")).status).toBe(204);
  expect((await c.listExportTasks(DET)).total_count).toBe(0);
  const gone = (await c.listExportTasks(made as string).catch((e: unknown) => e)) as ModelArtsApiError;
  expect([gone.status, gone.errorCode]).toEqual([404, "ModelArts.4352"]);
  await emulator.reset();
  expect((await c.listExportTasks(DET)).total_count).toBe(0);
});

test("without --control the control API does not exist", async () => {
  const plain = await startEmulator({ storage, port: 0, demo: true });
  try {
    const reply = await fetch(new URL("/_emulator/reset", plain.url), {
      method: "POST",
      headers: { "x-auth-token": DEMO.token },
    });
    expect(reply.status).toBe(404);
  } finally {
    await plain.close();
  }
});
