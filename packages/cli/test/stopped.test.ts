// A task state the reference page does not list: Open Telekom Cloud's SDK for
// the same API has STOPPING and STOPPED. The CLI, through the client, keeps
// polling a STOPPING task and ends on STOPPED with exit 1 and the task, as it
// does on FAILED. The server here is a plain loopback one that answers those.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { cli } from "./run-cli.js";

const states = ["RUNNING", "STOPPING", "STOPPED"];
let polls = 0;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.method !== "GET" || request.url !== "/v2/p/datasets/d/export-tasks/t1") {
      response.writeHead(404).end();
      return;
    }
    const status = states[Math.min(polls++, states.length - 1)];
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({ task_id: "t1", status, progress: 40, finished_sample_count: 4, total_sample_count: 10 }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("wait polls through STOPPING and exits 1 on STOPPED, printing the task", async () => {
  const run = await cli([
    "wait",
    "t1",
    "--endpoint",
    url,
    "--project-id",
    "p",
    "--token",
    "t",
    "--dataset-id",
    "d",
    "--interval",
    "1s",
    "--json",
  ]);
  expect(polls).toBe(3);
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toMatch(/STOPPED/);
  const printed = JSON.parse(run.stdout.slice(run.stdout.lastIndexOf("\n{") + 1)) as { status: string };
  expect(printed.status).toBe("STOPPED");
});
