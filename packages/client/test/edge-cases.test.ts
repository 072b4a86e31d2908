// The edge cases of issue #13, each against a real server on 127.0.0.1: the
// emulator, the fault-injecting proxy in front of it, or a scripted stand-in
// for the API that misbehaves on purpose.
import { afterEach, describe, expect, test, vi } from "vitest";
import { DEMO } from "@modelarts-export/emulator";
import {
  ExportTaskFailedError,
  ExportTaskStoppedError,
  ModelArtsApiError,
  type ExportClientOptions,
  type ExportTaskStatus,
} from "../src/index.js";
import { akSk, DET, useEmulator } from "./emulator-fixture.js";
import { startScriptedServer, type Answer, type ScriptedServer } from "./scripted-server.js";

const fixture = useEmulator("client-edges-");
const { client } = fixture;
afterEach(() => {
  vi.restoreAllMocks();
});

let scripted: ScriptedServer | undefined;
afterEach(async () => {
  await scripted?.close();
  scripted = undefined;
});
async function scriptedClient(
  answer: (url: URL, index: number) => Answer,
  overrides: Partial<ExportClientOptions> = {},
) {
  scripted = await startScriptedServer((request, index) => answer(request.url, index));
  return { server: scripted, client: client({ baseUrl: scripted.url, retry: false, ...overrides }) };
}

describe("signing is the last step before a request leaves", () => {
  test("middleware that changes the URL and a signed header does not break the AK/SK signature", async () => {
    for (let i = 0; i < 2; i++)
      await client().createExportTask(DET, { path: `/demo-bucket/out/mw-${i}/`, export_type: 2 });
    const c = client({
      auth: akSk,
      middleware: [
        {
          onRequest({ request }) {
            const url = new URL(request.url);
            url.searchParams.set("limit", "2");
            const changed = new Request(url, request);
            changed.headers.set("Content-Type", "application/json;charset=utf-8");
            changed.headers.set("X-Sdk-Purpose", "test");
            return changed;
          },
        },
      ],
    });
    const page = await c.listExportTasks(DET, { limit: 1 });
    expect(page.export_tasks).toHaveLength(2);
  });

  test("each retry is signed afresh with a new X-Sdk-Date, and the retry is accepted", async () => {
    const dates: string[] = [];
    const c = client({
      auth: akSk,
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2000 },
      fetch: async (input, init) => {
        const request = new Request(input, init);
        dates.push(request.headers.get("x-sdk-date") ?? "none");
        if (dates.length === 1)
          return new Response('{"error_code":"APIGW.0503","error_msg":"busy"}', {
            status: 503,
            headers: { "retry-after": "1" }, // a second later: another X-Sdk-Date
          });
        return fetch(request);
      },
    });
    expect((await c.listExportTasks(DET, { limit: 1 })).export_tasks).toHaveLength(1);
    expect(dates).toHaveLength(2);
    expect(dates[1]).not.toBe(dates[0]);
  });
});

describe("an aborted create never leaves the machine", () => {
  const posts = (): number => fixture.proxy.seen.filter((s) => s.startsWith("POST")).length;
  const body = { path: "/demo-bucket/out/aborted/", export_type: 2 } as const;

  test.each([
    ["token", { token: DEMO.token }, undefined],
    ["token, timeoutMs", { token: DEMO.token }, 5000],
    ["AK/SK", akSk, undefined],
    ["AK/SK, timeoutMs", akSk, 5000],
  ] as const)("with a signal aborted before the call (%s)", async (_, auth, timeoutMs) => {
    const before = posts();
    const c = client({ baseUrl: fixture.proxy.url, auth, ...(timeoutMs ? { timeoutMs } : {}) });
    const signal = AbortSignal.abort(new Error("cancelled"));
    await expect(c.createExportTask(DET, body, { signal })).rejects.toThrow("cancelled");
    expect(posts()).toBe(before);
    // The same client still sends when not aborted: the count can move.
    await c.createExportTask(DET, body);
    expect(posts()).toBe(before + 1);
  });

  test.each(["web", "node"] as const)("with a signal aborted while signing (engine %s)", async (engine) => {
    const controller = new AbortController();
    if (engine === "web") {
      const subtle = globalThis.crypto.subtle;
      const sign = subtle.sign.bind(subtle);
      vi.spyOn(subtle, "sign").mockImplementation((...args: Parameters<SubtleCrypto["sign"]>) => {
        controller.abort(new Error("cancelled while signing"));
        return sign(...args);
      });
    } else {
      const nodeCrypto = process.getBuiltinModule("node:crypto");
      const createHmac = nodeCrypto.createHmac.bind(nodeCrypto);
      vi.spyOn(nodeCrypto, "createHmac").mockImplementation(((...args: Parameters<typeof createHmac>) => {
        controller.abort(new Error("cancelled while signing"));
        return createHmac(...args);
      }) as typeof createHmac);
    }
    const before = posts();
    const c = client({ baseUrl: fixture.proxy.url, auth: { ...akSk, engine }, timeoutMs: 5000 });
    await expect(
      c.createExportTask(DET, { path: "/demo-bucket/out/aborted/", export_type: 2 }, { signal: controller.signal }),
    ).rejects.toThrow("cancelled while signing");
    expect(controller.signal.aborted).toBe(true);
    expect(posts()).toBe(before);
  });
});

const tasks = (from: number, to: number): ExportTaskStatus[] =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => ({ task_id: `task-${from + i}`, status: "SUCCESSED" }));
const page = (url: URL) => ({
  limit: Number(url.searchParams.get("limit")),
  offset: Number(url.searchParams.get("offset")),
});

describe("exportTasks", () => {
  test("without total_count: every task once, ending on the short page", async () => {
    const { server, client: c } = await scriptedClient((url) => {
      const { limit, offset } = page(url);
      return { body: { export_tasks: tasks(offset, Math.min(250, offset + limit)) } };
    });
    const ids: string[] = [];
    for await (const task of c.exportTasks(DET)) ids.push(task.task_id as string);
    expect(ids).toEqual(tasks(0, 250).map((t) => t.task_id));
    expect(server.requests.map((r) => page(r.url).offset)).toEqual([0, 100, 200]);
  });

  test("without total_count, a count that is a multiple of the page size ends on an empty page", async () => {
    const { server, client: c } = await scriptedClient((url) => {
      const { limit, offset } = page(url);
      return { body: { export_tasks: tasks(offset, Math.min(20, offset + limit)) } };
    });
    const ids: string[] = [];
    for await (const task of c.exportTasks(DET, { limit: 10 })) ids.push(task.task_id as string);
    expect(ids).toHaveLength(20);
    expect(server.requests).toHaveLength(3);
  });

  test("a server that ignores offset: the first page once, then stop", async () => {
    const { server, client: c } = await scriptedClient(() => ({
      body: { total_count: 250, export_tasks: tasks(0, 100) },
    }));
    const ids: string[] = [];
    for await (const task of c.exportTasks(DET)) ids.push(task.task_id as string);
    expect(ids).toEqual(tasks(0, 100).map((t) => t.task_id));
    expect(server.requests).toHaveLength(2);
  });

  test("tasks that move to the next page while listing (a new task came first) come once", async () => {
    // Between the pages, 2 new tasks are created: the second page repeats 2.
    const { client: c } = await scriptedClient((url) => {
      const { limit, offset } = page(url);
      const shift = offset === 0 ? 0 : -2;
      return { body: { total_count: 12, export_tasks: tasks(offset + shift, Math.min(12, offset + shift + limit)) } };
    });
    const ids: string[] = [];
    for await (const task of c.exportTasks(DET, { limit: 5 })) ids.push(task.task_id as string);
    expect(ids).toEqual(tasks(0, 12).map((t) => t.task_id));
  });

  test("pages are bounded: past maxPages it rejects instead of cutting the list short", async () => {
    const { server, client: c } = await scriptedClient((url) => {
      const { limit, offset } = page(url);
      return { body: { export_tasks: tasks(offset, offset + limit) } }; // never ends
    });
    const ids: string[] = [];
    await expect(
      (async () => {
        for await (const task of c.exportTasks(DET, { limit: 2, maxPages: 5 })) ids.push(task.task_id as string);
      })(),
    ).rejects.toThrow(/maxPages \(5\)/);
    expect(ids).toHaveLength(10);
    expect(server.requests).toHaveLength(5);
  });
});

describe("waitForExportTask", () => {
  const fast = { intervalMs: 1, maxIntervalMs: 5 };
  const wait = (c: ReturnType<typeof client>, options = {}) => c.waitForExportTask(DET, "t1", { ...fast, ...options });

  test("outlives 500, 502, 429 and a dropped connection; each failure polled again after a backoff", async () => {
    const script: Answer[] = [
      { status: 500, body: { error_code: "ModelArts.0010", error_msg: "internal" } },
      "drop",
      { status: 429, body: { error_code: "ModelArts.4395", error_msg: "too many" } },
      { body: { task_id: "t1", status: "RUNNING", progress: 50 } },
      { status: 502, body: {} },
      { body: { task_id: "t1", status: "SUCCESSED", progress: 100 } },
    ];
    const { server, client: c } = await scriptedClient((_, i) => script[i] ?? "drop");
    const seen: string[] = [];
    const done = await wait(c, { onProgress: ({ status }: { status?: string }) => seen.push(String(status)) });
    expect(done.status).toBe("SUCCESSED");
    expect(seen).toEqual(["RUNNING", "SUCCESSED"]);
    expect(server.requests).toHaveLength(6);
  });

  test("rejects with the last error once failures outlast failureBudgetMs", async () => {
    const { server, client: c } = await scriptedClient(() => ({
      status: 503,
      body: { error_code: "APIGW.0503", error_msg: "unavailable" },
    }));
    const error = await wait(c, { failureBudgetMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelArtsApiError);
    expect((error as ModelArtsApiError).status).toBe(503);
    expect(server.requests.length).toBeGreaterThan(1);
  });

  test("a 4xx is not transient: it rejects at once", async () => {
    const { server, client: c } = await scriptedClient(() => ({
      status: 404,
      body: { error_code: "ModelArts.4359", error_msg: "no such task" },
    }));
    await expect(wait(c)).rejects.toMatchObject({ status: 404, errorCode: "ModelArts.4359" });
    expect(server.requests).toHaveLength(1);
  });

  test("STOPPING keeps polling; STOPPED rejects with ExportTaskStoppedError", async () => {
    const states = ["RUNNING", "STOPPING", "STOPPING", "STOPPED"];
    const { client: c } = await scriptedClient((_, i) => ({ body: { task_id: "t1", status: states[i] } }));
    const error = await wait(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportTaskStoppedError);
    expect(error).toBeInstanceOf(ExportTaskFailedError); // a stopped task did not succeed either
    expect((error as ExportTaskStoppedError).task.status).toBe("STOPPED");
    expect(String(error)).toContain("Export task t1 STOPPED");
  });

  test("STOPPING, then SUCCESSED, resolves", async () => {
    const states = ["STOPPING", "SUCCESSED"];
    const { client: c } = await scriptedClient((_, i) => ({ body: { task_id: "t1", status: states[i] } }));
    expect((await wait(c)).status).toBe("SUCCESSED");
  });

  test.each([
    ["an unknown status", { task_id: "t1", status: "PAUSED" }],
    ["no status", { task_id: "t1" }],
  ])("%s is polled maxUnknownPolls times in a row, then rejects", async (_, body) => {
    const { server, client: c } = await scriptedClient((_url, i) =>
      i === 1 ? { body: { task_id: "t1", status: "RUNNING" } } : { body },
    );
    const error = await wait(c, { maxUnknownPolls: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelArtsApiError);
    expect(String(error)).toMatch(/status/);
    // The RUNNING answer in between starts the count again: 1 + 1 + 3.
    expect(server.requests).toHaveLength(5);
  });
});

describe("createExportTask", () => {
  test("returns task_id typed as a string", async () => {
    const created = await client().createExportTask(DET, { path: "/demo-bucket/out/typed/", export_type: 2 });
    const id: string = created.task_id; // no `!` needed
    expect(id).toMatch(/^\w{19}$/);
  });

  test("an answer without task_id rejects instead of returning undefined", async () => {
    const { client: c } = await scriptedClient(() => ({ body: { status: "INIT" } }));
    await expect(c.createExportTask(DET, { path: "/demo-bucket/out/x/" })).rejects.toThrow(/task_id/);
  });
});
