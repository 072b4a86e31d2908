// The emulator accepts requests signed by Huawei's own Node SDK signer
// (AKSKSigner of @huaweicloud/huaweicloud-sdk-core), sent over real HTTP on
// 127.0.0.1 as the SDK's HTTP client sends them: ids and query values with
// '+', '~', '%', spaces, '/' (as %2F), non-ASCII characters and empty values.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "node:querystring";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO } from "../src/demo.js";
import { startEmulator, type RunningEmulator } from "../src/emulator.js";

const require = createRequire(import.meta.url);
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js") as {
  AKSKSigner: {
    sign(
      request: {
        endpoint: string;
        method: string;
        headers: Record<string, string>;
        queryParams: object;
        data?: unknown;
      },
      credential: { getAk(): string; getSk(): string },
    ): Record<string, string>;
  };
};

const ODD_IDS = ["a+b", "a~b", "50%", "a b", "a/b", "数据集", "ü+~ %/x", "%41+%2B"];
const ODD_VALUES = ["a+b", "~", "100%", "a b", "a/b", "数据", "", "%2F+ ~"];

let emulator: RunningEmulator;
const storage = mkdtempSync(join(tmpdir(), "emulator-huawei-"));
beforeAll(async () => {
  const manifest = DEMO.datasets.classification.manifest;
  const datasets = ODD_IDS.map((datasetId) => ({ projectId: DEMO.projectId, datasetId, manifest }));
  emulator = await startEmulator({ storage, port: 0, demo: true, datasets });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(storage, { recursive: true, force: true });
});

/** Signs with AKSKSigner and sends as the SDK's HTTP client does (query by querystring, body by JSON.stringify). */
async function sdkCall(
  method: string,
  path: string,
  queryParams: Record<string, string | string[]>,
  data?: object,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const endpoint = `${emulator.url}${path}`;
  const headers = AKSKSigner.sign(
    {
      endpoint,
      method,
      headers: { "content-type": "application/json", "X-Project-Id": DEMO.projectId },
      queryParams: structuredClone(queryParams),
      ...(data ? { data } : {}),
    },
    { getAk: () => DEMO.accessKey, getSk: () => DEMO.secretKey },
  );
  delete headers.host; // fetch sends the same host:port itself
  const query = stringify(queryParams);
  const response = await fetch(`${endpoint}${query ? `?${query}` : ""}`, {
    method,
    headers,
    ...(data ? { body: JSON.stringify(data) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const tasksOf = (datasetId: string): string =>
  `/v2/${DEMO.projectId}/datasets/${encodeURIComponent(datasetId)}/export-tasks`;

describe("requests signed by Huawei's AKSKSigner", () => {
  test.each(ODD_IDS)("create, list and get on dataset %j", async (datasetId) => {
    const created = await sdkCall(
      "POST",
      tasksOf(datasetId),
      {},
      {
        path: `/demo-bucket/out/huawei-${ODD_IDS.indexOf(datasetId)}/`,
        export_type: 2,
      },
    );
    expect([created.status, created.body.error_msg]).toEqual([200, undefined]);
    const taskId = created.body.task_id as string;
    const list = await sdkCall("GET", tasksOf(datasetId), { limit: "5", offset: "0" });
    expect([list.status, list.body.error_msg]).toEqual([200, undefined]);
    expect((list.body.export_tasks as { task_id: string }[]).map((t) => t.task_id)).toContain(taskId);
    const one = await sdkCall("GET", `${tasksOf(datasetId)}/${taskId}`, {});
    expect([one.status, one.body.task_id]).toEqual([200, taskId]);
  });

  // Parameters the API does not define: the signature is checked first, so
  // whatever the answer to them (the emulator may refuse them with 400), it is
  // never the gateway's 401.
  test.each(ODD_VALUES)("query value %j", async (value) => {
    const reply = await sdkCall("GET", tasksOf("a+b"), { limit: "1", note: value, many: [value, "z", ""] });
    expect([reply.status, reply.body.error_msg]).not.toContain(401);
  });

  test("a tampered query is still refused", async () => {
    const endpoint = `${emulator.url}${tasksOf("a+b")}`;
    const headers = AKSKSigner.sign(
      { endpoint, method: "GET", headers: { "content-type": "application/json" }, queryParams: { limit: "1" } },
      { getAk: () => DEMO.accessKey, getSk: () => DEMO.secretKey },
    );
    delete headers.host;
    const response = await fetch(`${endpoint}?limit=2`, { headers });
    expect(response.status).toBe(401);
  });
});
