// The client names itself and the spec it was generated from in User-Agent.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createExportClient, SPEC_VERSION, VERSION } from "../src/index.js";
import packageJson from "../package.json" with { type: "json" };

let received: IncomingHttpHeaders[] = [];
const server = createServer((request, response) => {
  received.push(request.headers);
  response.setHeader("Content-Type", "application/json");
  response.end(JSON.stringify({ task_id: "t", status: "RUNNING" }));
});
let baseUrl: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("VERSION and SPEC_VERSION are this package's and the spec's versions", () => {
  expect(VERSION).toBe(packageJson.version);
  expect(SPEC_VERSION).toBe(packageJson["modelarts-export"].specVersion);
});

test.each([
  ["token", { token: "t" }],
  ["AK/SK", { accessKey: "ak", secretKey: "sk" }],
])("User-Agent with %s auth: the client and spec versions, after the caller's product", async (_, auth) => {
  received = [];
  await createExportClient({ baseUrl, projectId: "p", auth }).getExportTask("d", "t");
  await createExportClient({ baseUrl, projectId: "p", auth, userAgent: "my-tool/2.0" }).getExportTask("d", "t");
  const own = `modelarts-export-client/${VERSION} (spec ${SPEC_VERSION})`;
  expect(received.map((headers) => headers["user-agent"])).toEqual([own, `my-tool/2.0 ${own}`]);
});
