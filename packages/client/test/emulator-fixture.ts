// The emulator with its demo data on 127.0.0.1, the fault-injecting proxy in
// front of it, and a client of it, started once for a test file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { DEMO, startEmulator, type RunningEmulator } from "@modelarts-export/emulator";
import { createExportClient, type ExportClient, type ExportClientOptions } from "../src/index.js";
import { startFaultProxy, type FaultProxy } from "./fault-proxy.js";

export const DET = DEMO.datasets.detection.id;
export const akSk = { accessKey: DEMO.accessKey, secretKey: DEMO.secretKey };

export interface EmulatorFixture {
  emulator: RunningEmulator;
  proxy: FaultProxy;
  storage: string;
  /** A client of the emulator, token auth unless overridden. */
  client(overrides?: Partial<ExportClientOptions>): ExportClient;
}

export function useEmulator(prefix: string): EmulatorFixture {
  const fixture = {
    storage: mkdtempSync(join(tmpdir(), prefix)),
    client: (overrides = {}) =>
      createExportClient({
        baseUrl: fixture.emulator.url,
        projectId: DEMO.projectId,
        auth: { token: DEMO.token },
        ...overrides,
      } as ExportClientOptions),
  } as EmulatorFixture;
  beforeAll(async () => {
    fixture.emulator = await startEmulator({ storage: fixture.storage, port: 0, demo: true });
    fixture.proxy = await startFaultProxy(fixture.emulator.url);
  });
  afterAll(async () => {
    await fixture.proxy?.close();
    await fixture.emulator?.close();
    rmSync(fixture.storage, { recursive: true, force: true });
  });
  return fixture;
}
