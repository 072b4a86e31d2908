// The HTTP surface: auth, the bad-input table, listing and paging, docs.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ExportTaskRequest } from "@modelarts-export/types";
import { DEMO } from "../src/demo.js";
import { MAX_BODY_BYTES } from "../src/server.js";
import { sign, startHarness, TASKS, type CallInit, type Harness } from "./harness.js";

let h: Harness;
/** The same emulator with --strict. */
let strict: Harness;
const docsDir = new URL("../../docs/dist/", import.meta.url).pathname;
// Both start before any request: a pause between requests lets an idle
// keep-alive connection close under the client as it is reused.
beforeAll(async () => {
  h = await startHarness({ docsDir });
  strict = await startHarness({ strict: true });
});
afterAll(async () => {
  await h.stop();
  await strict.stop();
});

const DET = DEMO.datasets.detection.id;

describe("authentication", () => {
  test("AK/SK signed requests are accepted, for GET and POST", async () => {
    const list = await h.call("GET", `${TASKS(DET)}?limit=5&offset=0`, { auth: "aksk" });
    expect(list.status).toBe(200);
    const created = await h.call("POST", TASKS(DET), {
      auth: "aksk",
      body: { path: "/demo-bucket/out/aksk/", export_type: 1 },
    });
    expect(created.status).toBe(200);
  });

  test("a wrong signature is 401 APIGW.0301 with the request id, echoing the canonical request", async () => {
    const url = new URL(TASKS(DET), h.emulator.url);
    const headers = sign("GET", url, "", DEMO.accessKey, "wrong-secret");
    const reply = await h.call("GET", TASKS(DET), { auth: "none", headers });
    expect([reply.status, reply.body.error_code]).toEqual([401, "APIGW.0301"]);
    expect(reply.body.request_id).toBe(reply.headers.get("x-request-id"));
    expect(reply.body.error_msg).toContain(`GET|${TASKS(DET)}/|`);
  });

  test("a signature over other body bytes is refused", async () => {
    const url = new URL(TASKS(DET), h.emulator.url);
    const headers = sign("POST", url, '{"export_type":1}', DEMO.accessKey, DEMO.secretKey);
    const reply = await h.call("POST", TASKS(DET), { auth: "none", headers, rawBody: '{"export_type":2}' });
    expect([reply.status, reply.body.error_code]).toEqual([401, "APIGW.0301"]);
  });

  test("a signature 16 minutes old is refused", async () => {
    const url = new URL(TASKS(DET), h.emulator.url);
    const headers = sign("GET", url, "", DEMO.accessKey, DEMO.secretKey, new Date(Date.now() - 16 * 60_000));
    expect((await h.call("GET", TASKS(DET), { auth: "none", headers })).status).toBe(401);
  });
});

// [what, method, path, init, status, error code]
const BAD: [string, string, string, CallInit, number, string][] = [
  ["no credentials", "GET", TASKS(DET), { auth: "none" }, 401, "APIGW.0301"],
  ["unknown token", "GET", TASKS(DET), { auth: "none", headers: { "x-auth-token": "nope" } }, 401, "APIGW.0301"],
  [
    "malformed Authorization",
    "GET",
    TASKS(DET),
    { auth: "none", headers: { authorization: "Basic abc" } },
    401,
    "APIGW.0301",
  ],
  ["another project's token", "GET", TASKS(DET, "other-project"), {}, 403, "ModelArts.4336"],
  ["unknown dataset", "GET", TASKS("no-such-dataset"), {}, 404, "ModelArts.4352"],
  ["unknown task", "GET", `${TASKS(DET)}/NoSuchTask000000000`, {}, 404, "ModelArts.4359"],
  ["limit 0", "GET", `${TASKS(DET)}?limit=0`, {}, 400, "ModelArts.4396"],
  ["limit 101", "GET", `${TASKS(DET)}?limit=101`, {}, 400, "ModelArts.4396"],
  ["export_type 7", "GET", `${TASKS(DET)}?export_type=7`, {}, 400, "ModelArts.4396"],
  ["limit=abc", "GET", `${TASKS(DET)}?limit=abc`, {}, 400, "ModelArts.4396"],
  [
    "annotation_format YOLO",
    "POST",
    TASKS(DET),
    { body: { path: "/demo-bucket/out/a/", annotation_format: "YOLO" } },
    400,
    "ModelArts.4384",
  ],
  [
    "export_type as a string",
    "POST",
    TASKS(DET),
    { body: { path: "/demo-bucket/out/a/", export_type: "0" } },
    400,
    "ModelArts.4384",
  ],
  [
    "status as a string",
    "POST",
    TASKS(DET),
    { body: { path: "/demo-bucket/out/a/", status: "RUNNING" } },
    400,
    "ModelArts.4384",
  ],
  [
    "train_sample_ratio as a number",
    "POST",
    TASKS(DET),
    { body: { path: "/demo-bucket/out/a/", export_params: { train_sample_ratio: 0.8 } } },
    400,
    "ModelArts.4384",
  ],
  [
    "sample_state without underscores",
    "POST",
    TASKS(DET),
    { body: { path: "/demo-bucket/out/a/", sample_state: "ALL" } },
    400,
    "ModelArts.4384",
  ],
  [
    "sample_dir without a trailing slash",
    "POST",
    TASKS(DET),
    {
      body: {
        path: "/demo-bucket/out/a/",
        export_type: 3,
        export_params: { search_conditions: [{ sample_dir: "/demo-bucket/detection/images" }] },
      },
    },
    400,
    "ModelArts.4384",
  ],
  [
    "sample_time over 30 days",
    "POST",
    TASKS(DET),
    {
      body: {
        path: "/demo-bucket/out/a/",
        export_type: 3,
        export_params: { search_conditions: [{ sample_time: "20260101-20260301" }] },
      },
    },
    400,
    "ModelArts.4384",
  ],
  [
    "sample_time not a date",
    "POST",
    TASKS(DET),
    {
      body: {
        path: "/demo-bucket/out/a/",
        export_type: 3,
        export_params: { search_conditions: [{ sample_time: "week" }] },
      },
    },
    400,
    "ModelArts.4384",
  ],
  [
    "two labels without op",
    "POST",
    TASKS(DET),
    {
      body: {
        path: "/demo-bucket/out/a/",
        export_type: 3,
        export_params: { search_conditions: [{ label_list: { labels: [{ name: "car" }, { name: "dog" }] } }] },
      },
    },
    400,
    "ModelArts.4384",
  ],
  [
    "NEW_DATASET without a name",
    "POST",
    TASKS(DET),
    {
      body: {
        path: "/demo-bucket/out/a/",
        export_params: { export_dest: "NEW_DATASET", export_new_dataset_work_path: "/demo-bucket/new/" },
      },
    },
    400,
    "ModelArts.4384",
  ],
  [
    "NEW_DATASET without a work path",
    "POST",
    TASKS(DET),
    {
      body: {
        path: "/demo-bucket/out/a/",
        export_params: { export_dest: "NEW_DATASET", export_new_dataset_name: "x" },
      },
    },
    400,
    "ModelArts.4358",
  ],
  ["no path", "POST", TASKS(DET), { body: { export_type: 0 } }, 400, "ModelArts.4358"],
  ["path with obs://", "POST", TASKS(DET), { body: { path: "obs://demo-bucket/out/" } }, 400, "ModelArts.4358"],
  [
    "path into a bucket that does not exist",
    "POST",
    TASKS(DET),
    { body: { path: "/no-bucket/out/" } },
    400,
    "ModelArts.4311",
  ],
  ["path with ..", "POST", TASKS(DET), { body: { path: "/demo-bucket/../../etc/" } }, 400, "ModelArts.4358"],
  ["path with encoded dots", "POST", TASKS(DET), { body: { path: "/demo-bucket/%2e%2e/etc/" } }, 400, "ModelArts.4358"],
  [
    "work path with ..",
    "POST",
    TASKS(DET),
    {
      body: {
        path: "/demo-bucket/out/a/",
        export_params: {
          export_dest: "NEW_DATASET",
          export_new_dataset_name: "x",
          export_new_dataset_work_path: "/b/../../../tmp/",
        },
      },
    },
    400,
    "ModelArts.4358",
  ],
  [
    "work path into a bucket that does not exist",
    "POST",
    TASKS(DET),
    {
      body: {
        path: "/demo-bucket/out/a/",
        export_params: {
          export_dest: "NEW_DATASET",
          export_new_dataset_name: "x",
          export_new_dataset_work_path: "/no-bucket/new/",
        },
      },
    },
    400,
    "ModelArts.4311",
  ],
  [
    "export_format on a detection dataset",
    "POST",
    TASKS(DET),
    { body: { path: "/demo-bucket/out/a/", export_format: 1 } },
    501,
    "ModelArts.4383",
  ],
  [
    "CarbonData version format",
    "POST",
    TASKS(DET),
    { body: { path: "/demo-bucket/out/a/", version_format: "CarbonData" } },
    501,
    "ModelArts.4383",
  ],
  ["malformed JSON", "POST", TASKS(DET), { rawBody: '{"path": ' }, 400, "ModelArts.0101"],
  ["a JSON array", "POST", TASKS(DET), { rawBody: "[]" }, 400, "ModelArts.4384"],
  [
    "text/plain body",
    "POST",
    TASKS(DET),
    { rawBody: "{}", headers: { "content-type": "text/plain" } },
    415,
    "ModelArts.0101",
  ],
  [
    "oversized body",
    "POST",
    TASKS(DET),
    { rawBody: `{"path":"${"a".repeat(MAX_BODY_BYTES)}"}` },
    413,
    "ModelArts.0101",
  ],
  ["unknown route", "GET", "/v2/demo-project/nothing", {}, 404, "ModelArts.0104"],
  ["DELETE a task", "DELETE", `${TASKS(DET)}/abc`, {}, 405, "ModelArts.0104"],
];

describe("bad input gets its exact status and code, and writes nothing", () => {
  test.each(BAD)("%s", async (_what, method, path, init, status, code) => {
    const reply = await h.call(method, path, init);
    expect([reply.status, reply.body.error_code]).toEqual([status, code]);
    expect(String(reply.body.error_msg).length).toBeGreaterThan(10);
  });

  test("no bad request created a task or a file", () => {
    expect(existsSync(join(h.storage, "demo-bucket", "out", "a"))).toBe(false);
    expect(existsSync(join(h.storage, "etc"))).toBe(false);
    expect(readdirSync(h.storage).sort()).toEqual(["demo-bucket"]);
  });

  test("messages name the field and the rule in words", async () => {
    const reply = await h.call("POST", TASKS(DET), {
      body: { path: "/demo-bucket/out/a/", export_params: { search_conditions: [{ sample_time: "week" }] } },
    });
    expect(reply.body.error_msg).toBe(
      "Invalid export parameter: export_params.search_conditions[0].sample_time must be `month`, `day` or a range `yyyyMMdd-yyyyMMdd`",
    );
    const dots = await h.call("POST", TASKS(DET), { body: { path: "/demo-bucket/../../etc/" } });
    expect(dots.body.error_msg).toBe("Invalid export path: path must not have a `..` segment");
    const bucket = await h.call("POST", TASKS(DET), { body: { path: "/no-bucket/out/" } });
    expect(bucket.body.error_msg).toBe("OBS bucket does not exist: no-bucket (path).");
  });
});

// Requests that break only rules the spec infers (x-inferred): accepted by
// default, as the real service may accept them; refused with --strict,
// which names the rule.
const INFERRED: [string, string, string, CallInit, string, string][] = [
  ["offset -1", "GET", `${TASKS(DET)}?offset=-1`, {}, "ModelArts.4396", "offset must be at least 0"],
  [
    "unknown query parameter",
    "GET",
    `${TASKS(DET)}?page=2`,
    {},
    "ModelArts.4396",
    "page is not a query parameter the reference lists; did you mean",
  ],
  [
    "misspelt field",
    "POST",
    TASKS(DET),
    { body: { path: "/demo-bucket/out/misspelt/", annotation_fromat: "VOC" } },
    "ModelArts.4384",
    "annotation_fromat is not a field the reference lists; did you mean annotation_format?",
  ],
  [
    "train_sample_ratio 1.5",
    "POST",
    TASKS(DET),
    { body: { path: "/demo-bucket/out/ratio/", export_params: { train_sample_ratio: "1.5" } } },
    "ModelArts.4384",
    "export_params.train_sample_ratio must be a decimal from 0 to 1",
  ],
  [
    "path without trailing slash",
    "POST",
    TASKS(DET),
    { body: { path: "/demo-bucket/out/no-slash" } },
    "ModelArts.4358",
    "path must end with `/` (inferred, not stated by Huawei's reference:",
  ],
];

describe("inferred rules", () => {
  test.each(INFERRED)("%s: accepted by default", async (_what, method, path, init) => {
    const reply = await h.call(method, path, init);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  });

  test.each(INFERRED)("%s: refused with --strict, naming the rule", async (_what, method, path, init, code, words) => {
    const reply = await strict.call(method, path, init);
    expect([reply.status, reply.body.error_code]).toEqual([400, code]);
    expect(reply.body.error_msg).toContain(words);
    expect(reply.body.error_msg).toContain("[refused by --strict]");
  });
});

describe("buckets: the top-level folders of the storage", () => {
  const obsRequest: ExportTaskRequest = {
    path: "/test-obs/daoChu/",
    export_type: 3,
    export_params: { sample_state: "", export_dest: "DIR" },
  };
  const newDatasetRequest: ExportTaskRequest = {
    path: "/test-obs/classify/input/",
    export_type: 3,
    export_params: {
      sample_state: "",
      export_dest: "NEW_DATASET",
      export_new_dataset_name: "dataset-export-test",
      export_new_dataset_work_path: "/test-obs/classify/output/",
    },
  };

  test("the page's two request examples and a dotted bucket are refused with 4311 while the bucket is missing", async () => {
    for (const body of [obsRequest, newDatasetRequest, { path: "/my.bucket/out.v2/" }]) {
      const reply = await h.call("POST", TASKS(DET), { body });
      expect([reply.status, reply.body.error_code], JSON.stringify(body)).toEqual([400, "ModelArts.4311"]);
    }
  });

  test("once the bucket exists (a folder in the storage) they go through, and missing folders inside are made", async () => {
    mkdirSync(join(h.storage, "test-obs"));
    mkdirSync(join(h.storage, "my.bucket"));
    for (const body of [obsRequest, newDatasetRequest, { path: "/my.bucket/out.v2/", export_type: 2 } as const]) {
      const taskId = await h.create(DET, body);
      const task = await h.wait(DET, taskId);
      expect(task.status, JSON.stringify(task)).toBe("SUCCESSED");
    }
    expect(readdirSync(join(h.storage, "my.bucket", "out.v2")).length).toBeGreaterThan(0);
    expect(existsSync(join(h.storage, "test-obs", "classify", "output"))).toBe(true);
  });
});

describe("listing", () => {
  test("pages newest first, filters by export_type, counts every task", async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++)
      created.push(await h.create(DET, { path: `/demo-bucket/out/list-${i}/`, export_type: i % 2 ? 1 : 0 }));
    await h.emulator.idle();
    const all = await h.call("GET", `${TASKS(DET)}?limit=100`);
    const ids = (all.body.export_tasks as { task_id: string }[]).map((t) => t.task_id);
    expect(ids.slice(0, 5)).toEqual([...created].reverse());
    const page = await h.call("GET", `${TASKS(DET)}?limit=2&offset=1`);
    expect((page.body.export_tasks as { task_id: string }[]).map((t) => t.task_id)).toEqual(ids.slice(1, 3));
    expect(page.body.total_count).toBe(all.body.total_count);
    const ones = await h.call("GET", `${TASKS(DET)}?export_type=1&limit=100`);
    expect((ones.body.export_tasks as { export_type: number }[]).every((t) => t.export_type === 1)).toBe(true);
    const defaults = await h.call("GET", TASKS(DET));
    expect((defaults.body.export_tasks as unknown[]).length).toBe(Math.min(10, all.body.total_count as number));
  });

  test("a second identical export while one runs is a new task, run after the first", async () => {
    const body: ExportTaskRequest = { path: "/demo-bucket/out/twice/", export_type: 2, annotation_format: "COCO" };
    const first = await h.create(DET, body);
    const second = await h.create(DET, body);
    expect(second).not.toBe(first);
    expect((await h.wait(DET, first)).status).toBe("SUCCESSED");
    const task = await h.wait(DET, second);
    expect(task.status).toBe("SUCCESSED");
    expect((task.create_time as number) <= (task.update_time as number)).toBe(true);
  });
});

describe("service endpoints", () => {
  test("/health answers 200", async () => {
    const reply = await fetch(new URL("/health", h.emulator.url));
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
  });

  test("/openapi.json and /openapi.yaml serve the bundled spec", async () => {
    const json = await fetch(new URL("/openapi.json", h.emulator.url));
    expect([json.status, json.headers.get("content-type")]).toEqual([200, "application/json; charset=utf-8"]);
    const spec = (await json.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.paths)).toContain("/v2/{project_id}/datasets/{dataset_id}/export-tasks");
    const yaml = await fetch(new URL("/openapi.yaml", h.emulator.url));
    expect([yaml.status, yaml.headers.get("content-type")]).toEqual([200, "application/yaml; charset=utf-8"]);
    expect(await yaml.text()).toMatch(/^openapi: 3\.1\.0$/m);
  });

  test("/docs and /docs/zh serve the rendered reference", async () => {
    const en = await fetch(new URL("/docs", h.emulator.url));
    expect([en.status, en.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    expect(await en.text()).toContain("Create a dataset export task");
    const zh = await fetch(new URL("/docs/zh", h.emulator.url));
    expect(await zh.text()).toContain("创建数据集导出任务");
  });
});
