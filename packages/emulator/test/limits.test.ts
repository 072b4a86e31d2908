// Bounded under load: stalled clients are cut off by the server's timeouts
// and cannot keep others out, connections are capped, and a file thread
// that dies is replaced.
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SERVER_LIMITS } from "../src/emulator.js";
import { batchWorker, replacedWhenDead } from "../src/threads.js";
import { startHarness, type Harness } from "./harness.js";

const open = (url: string): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once("error", reject);
  });
const closed = (socket: Socket): Promise<void> =>
  new Promise((resolve) => (socket.closed ? resolve() : socket.once("close", () => resolve())));
/** Resolves with whether `promise` settled within `ms`. */
const within = (promise: Promise<unknown>, ms: number): Promise<boolean> =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe("slow clients", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ limits: { headersTimeout: 1000, requestTimeout: 2000 } });
  });
  afterAll(async () => {
    await h.stop();
  });

  test("the defaults: 10 s for headers, 30 s for a request, 5 s keep-alive, 1,024 connections", () => {
    expect(SERVER_LIMITS).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      maxConnections: 1024,
    });
  });

  test("a slowloris is cut off, and a normal client is served meanwhile", async () => {
    const url = new URL(h.emulator.url);
    // 100 connections sending their headers a byte at a time, and 20 sending a body that never ends.
    const slowHeaders = await Promise.all(Array.from({ length: 100 }, () => open(h.emulator.url)));
    const slowBodies = await Promise.all(Array.from({ length: 20 }, () => open(h.emulator.url)));
    const all = [...slowHeaders, ...slowBodies];
    for (const socket of all) socket.on("error", () => {}); // reset by the server: expected
    for (const socket of slowHeaders) socket.write(`GET /health HTTP/1.1\r\nHost: ${url.host}\r\nX-Slow: `);
    for (const socket of slowBodies)
      socket.write(
        `POST /v2/p/datasets/d/export-tasks HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
      );
    const drip = setInterval(() => {
      for (const socket of all) if (!socket.destroyed) socket.write("a");
    }, 100);
    try {
      const served = await h.call("GET", "/health");
      expect(served.status).toBe(200);
      // Every stalled connection is closed by the server (bounded wait, far above the 1-2 s limits).
      const cutOff = await within(Promise.all(all.map(closed)), 30_000);
      expect(cutOff).toBe(true);
      expect((await h.call("GET", "/health")).status).toBe(200);
    } finally {
      clearInterval(drip);
      for (const socket of all) socket.destroy();
    }
  });
});

test("connections past the cap are closed at once", async () => {
  const h = await startHarness({ limits: { maxConnections: 3 } });
  const held = await Promise.all(Array.from({ length: 3 }, () => open(h.emulator.url)));
  try {
    const extra = await open(h.emulator.url);
    extra.on("error", () => {});
    expect(await within(closed(extra), 10_000)).toBe(true);
    for (const socket of held) expect(socket.destroyed).toBe(false);
  } finally {
    for (const socket of held) socket.destroy();
    await h.stop();
  }
});

test("a file thread that dies fails its batches, and the next batch gets a new thread", async () => {
  const source = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", ({ id, batch }) => {
  if (batch === "die") process.exit(1);
  parentPort.postMessage({ id, result: batch.toUpperCase() });
});`;
  const thread = replacedWhenDead(() => batchWorker(source));
  const first = thread();
  expect(await first.run("ok")).toBe("OK");
  await expect(first.run("die")).rejects.toThrow("the file thread stopped");
  expect(first.dead()).toBe(true);
  const second = thread();
  expect(second).not.toBe(first);
  expect(await second.run("again")).toBe("AGAIN");
  await second.close();
});
