// The client against the real emulator over 127.0.0.1: both ways in, the
// helpers, pagination, failures, and retries through a fault-injecting proxy.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { DEMO } from "@modelarts-export/emulator";
import {
  ExportTaskFailedError,
  ModelArtsApiError,
  ModelArtsNetworkError,
  ModelArtsTimeoutError,
  type ExportProgress,
} from "../src/index.js";
import { akSk, DET, useEmulator } from "./emulator-fixture.js";

const fixture = useEmulator("client-e2e-");
const { storage, client } = fixture;

describe.each([
  ["token", { token: DEMO.token }],
  ["AK/SK", akSk],
] as const)("with %s auth", (_name, auth) => {
  test("creates an export, waits for SUCCESSED with progress, and the files are there", async () => {
    const c = client({ auth });
    const created = await c.createExportTask(DET, {
      path: `/demo-bucket/out/client-${_name.replace("/", "")}/`,
      export_type: 0,
      annotation_format: "COCO",
    });
    expect(created.task_id).toMatch(/^\w{19}$/);
    const seen: ExportProgress[] = [];
    const done = await c.waitForExportTask(DET, created.task_id as string, {
      intervalMs: 5,
      onProgress: (p) => seen.push(p),
    });
    expect(done.status).toBe("SUCCESSED");
    expect(seen.at(-1)?.status).toBe("SUCCESSED");
    expect(seen.at(-1)?.finished_sample_count).toBe(seen.at(-1)?.total_sample_count);
    const coco = JSON.parse(
      readFileSync(
        join(storage, "demo-bucket", "out", `client-${_name.replace("/", "")}`, "annotations", "instances_train.json"),
        "utf8",
      ),
    ) as { images: unknown[] };
    expect(coco.images.length).toBeGreaterThan(0);
  });

  test("raw keeps openapi-fetch's { data, error } with the same auth", async () => {
    const { data, error, response } = await client({ auth }).raw.GET(
      "/v2/{project_id}/datasets/{dataset_id}/export-tasks",
      {
        params: { path: { project_id: DEMO.projectId, dataset_id: DET }, query: { limit: 1 } },
      },
    );
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.export_tasks?.length).toBe(1);
  });
});

describe("helpers", () => {
  test("exportTasks walks every page", async () => {
    const c = client();
    for (let i = 0; i < 7; i++)
      await c.createExportTask(DEMO.datasets.classification.id, {
        path: `/demo-bucket/out/page-${i}/`,
        export_type: 1,
      });
    const ids: string[] = [];
    for await (const task of c.exportTasks(DEMO.datasets.classification.id, { limit: 3 }))
      ids.push(task.task_id as string);
    const total = (await c.listExportTasks(DEMO.datasets.classification.id)).total_count;
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(3);
  });

  test("an unknown dataset is a ModelArtsApiError with the code, status and request id", async () => {
    const error = await client()
      .getExportTask("no-such-dataset", "x")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelArtsApiError);
    const apiError = error as ModelArtsApiError;
    expect([apiError.status, apiError.errorCode, apiError.operation]).toEqual([404, "ModelArts.4352", "getExportTask"]);
    expect(apiError.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(apiError.message).toMatch(
      /^ModelArts\.4352 Dataset does not exist: no-such-dataset\. \(404, request [0-9a-f]{32}\) in getExportTask$/,
    );
  });

  test("a FAILED task rejects with ExportTaskFailedError carrying the code and the task", async () => {
    const c = client();
    const { task_id } = await c.createExportTask(DEMO.datasets.broken.id, {
      path: "/demo-bucket/out/client-broken/",
      export_type: 2,
    });
    const error = await c
      .waitForExportTask(DEMO.datasets.broken.id, task_id as string, { intervalMs: 5 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportTaskFailedError);
    expect((error as ExportTaskFailedError).errorCode).toBe("ModelArts.4312");
    expect((error as ExportTaskFailedError).task.status).toBe("FAILED");
  });

  test("a bad request names the field", async () => {
    const error = await client()
      .createExportTask(DET, {
        path: "/demo-bucket/out/x/",
        export_params: { search_conditions: [{ sample_time: "week" }] },
      })
      .catch((e: unknown) => e);
    expect((error as ModelArtsApiError).errorCode).toBe("ModelArts.4384");
    expect((error as ModelArtsApiError).errorMsg).toContain("export_params.search_conditions[0].sample_time");
  });

  test("waiting honours AbortSignal", async () => {
    const c = client();
    const { task_id } = await c.createExportTask(DET, { path: "/demo-bucket/out/abort/", export_type: 2 });
    const controller = new AbortController();
    controller.abort(new Error("stop waiting"));
    await expect(c.waitForExportTask(DET, task_id as string, { signal: controller.signal })).rejects.toThrow(
      "stop waiting",
    );
  });
});

describe("401 and secrets", () => {
  test("a wrong token is 401 APIGW.0301 and the token is nowhere in the error", async () => {
    const error = (await client({ auth: { token: "secret-token-value" } })
      .listExportTasks(DET)
      .catch((e: unknown) => e)) as ModelArtsApiError;
    expect([error.status, error.errorCode]).toEqual([401, "APIGW.0301"]);
    for (const text of [error.message, String(error), JSON.stringify(error), String(error.cause ?? "")])
      expect(text).not.toContain("secret-token-value");
  });

  test("a wrong secret key is 401, and neither the key nor a signature leaks", async () => {
    const error = (await client({
      auth: { accessKey: DEMO.accessKey, secretKey: "wrong-secret-key", securityToken: "sts-secret" },
    })
      .listExportTasks(DET)
      .catch((e: unknown) => e)) as ModelArtsApiError;
    expect([error.status, error.errorCode]).toEqual([401, "APIGW.0301"]);
    expect(error.errorMsg).toContain("canonicalRequest");
    for (const text of [error.message, String(error), JSON.stringify(error), error.stack ?? ""]) {
      expect(text).not.toContain("wrong-secret-key");
      expect(text).not.toContain("sts-secret");
      expect(text).not.toMatch(/Signature=[0-9a-f]{64}/);
    }
  });
});

describe("retries through a fault-injecting proxy", () => {
  const viaProxy = () => client({ baseUrl: fixture.proxy.url, retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 5 } });

  test("GETs retry on 503, 429 and dropped connections", async () => {
    fixture.proxy.plan("503", "drop", "429");
    const before = fixture.proxy.seen.length;
    const page = await viaProxy().listExportTasks(DET, { limit: 1 });
    expect(page.total_count).toBeGreaterThan(0);
    expect(fixture.proxy.seen.length - before).toBe(4);
  });

  test("GETs give up after the configured retries", async () => {
    fixture.proxy.plan("503", "503", "503", "503");
    const error = await viaProxy()
      .listExportTasks(DET)
      .catch((e: unknown) => e);
    expect((error as ModelArtsApiError).status).toBe(503);
  });

  test("a create is never retried: one 503 or one dropped connection, one POST", async () => {
    fixture.proxy.plan("503");
    const before = fixture.proxy.seen.filter((s) => s.startsWith("POST")).length;
    const error = await viaProxy()
      .createExportTask(DET, { path: "/demo-bucket/out/once/", export_type: 2 })
      .catch((e: unknown) => e);
    expect((error as ModelArtsApiError).status).toBe(503);
    fixture.proxy.plan("drop");
    const dropped = await viaProxy()
      .createExportTask(DET, { path: "/demo-bucket/out/once/", export_type: 2 })
      .catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(ModelArtsNetworkError);
    expect(fixture.proxy.seen.filter((s) => s.startsWith("POST")).length - before).toBe(2);
  });

  test("timeoutMs aborts an attempt that hangs; a GET is then retried, a create is not", async () => {
    const timed = client({
      baseUrl: fixture.proxy.url,
      timeoutMs: 200,
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 5 },
    });
    fixture.proxy.plan("hang");
    const before = fixture.proxy.seen.length;
    expect((await timed.listExportTasks(DET, { limit: 1 })).total_count).toBeGreaterThan(0);
    expect(fixture.proxy.seen.length - before).toBe(2);
    fixture.proxy.plan("hang");
    const error = await timed
      .createExportTask(DET, { path: "/demo-bucket/out/hang/", export_type: 2 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelArtsTimeoutError);
    expect(String(error)).toMatch(/POST .*export-tasks: no answer in 200 ms/);
    expect(fixture.proxy.seen.length - before).toBe(3);
  });

  test("waitForExportTask's timeoutMs also ends a poll that hangs", async () => {
    const viaDirect = client({ baseUrl: fixture.emulator.url });
    const { task_id } = await viaDirect.createExportTask(DET, { path: "/demo-bucket/out/wait-hang/", export_type: 2 });
    fixture.proxy.plan("hang");
    const started = Date.now();
    const error = await client({ baseUrl: fixture.proxy.url, retry: false })
      .waitForExportTask(DET, task_id!, { timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelArtsTimeoutError);
    expect(String(error)).toContain(`Export task ${task_id} not finished in 300 ms`);
    expect(Date.now() - started).toBeLessThan(5000); // not the 300 s of fetch's own timeout
  });

  test("retry: false sends each GET once", async () => {
    fixture.proxy.plan("503");
    const error = await client({ baseUrl: fixture.proxy.url, retry: false })
      .listExportTasks(DET)
      .catch((e: unknown) => e);
    expect((error as ModelArtsApiError).status).toBe(503);
  });
});
