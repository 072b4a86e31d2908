// Property-based fuzzing of the create and list operations: bodies made from
// the spec's own schemas, and mutations of them, over real HTTP. No answer
// may be a 500, and every error is in the API's shape with a ModelArts (or
// gateway) code. Seeded, so that a failure repeats.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO, writeDetectionDataset } from "../src/demo.js";
import { startEmulator, type RunningEmulator } from "../src/emulator.js";
import { loadSpec } from "@modelarts-export/openapi/validate";
import { arbitraryFor, mutated } from "./schema-arbitrary.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const storage = mkdtempSync(join(tmpdir(), "emulator-fuzz-"));
let emulator: RunningEmulator;

beforeAll(async () => {
  // Small datasets: valid bodies start real exports, which must stay cheap.
  writeDetectionDataset(storage, { count: 3, seed: 1, dir: "/fuzz-bucket/tiny/", manifestName: "tiny.manifest" });
  emulator = await startEmulator({
    storage,
    port: 0,
    tokens: { t: "p" },
    datasets: [{ projectId: "p", datasetId: "tiny", manifest: "/fuzz-bucket/tiny/tiny.manifest" }],
  });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(storage, { recursive: true, force: true });
});

const schemas = loadSpec().components.schemas as Record<string, Record<string, unknown>>;
/** The body with its directories moved into the bucket that exists (OBS refuses others with ModelArts.4311). */
function inFuzzBucket(body: unknown): unknown {
  const rebucket = (path: unknown): unknown =>
    typeof path === "string" ? path.replace(/^\/[^/]*/, "/fuzz-bucket") : path;
  if (typeof body !== "object" || body === null) return body;
  const { path, export_params: params, ...rest } = body as { path?: unknown; export_params?: Record<string, unknown> };
  return {
    ...rest,
    ...(path === undefined ? {} : { path: rebucket(path) }),
    ...(params === undefined
      ? {}
      : {
          export_params: {
            ...params,
            ...("export_new_dataset_work_path" in params
              ? { export_new_dataset_work_path: rebucket(params.export_new_dataset_work_path) }
              : {}),
          },
        }),
  };
}

// Nine bodies in ten export into the existing bucket; the tenth names a bucket of its own.
const validBody = fc
  .tuple(arbitraryFor({ $ref: "#/components/schemas/ExportTaskRequest" }, schemas), fc.nat(9))
  .map(([body, n]) => (n === 0 ? body : inFuzzBucket(body)));
const body = fc.oneof(
  { weight: 3, arbitrary: validBody.map((b) => JSON.stringify(b)) },
  { weight: 4, arbitrary: mutated(validBody).map((b) => JSON.stringify(b) ?? "null") },
  { weight: 1, arbitrary: fc.jsonValue().map((b) => JSON.stringify(b) ?? "null") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
);
const query = fc.dictionary(
  fc.constantFrom("export_type", "limit", "offset", "other", ""),
  fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), fc.string({ maxLength: 6 })),
  { maxKeys: 3 },
);
const request = fc.oneof(
  { weight: 9, arbitrary: body.map((text) => ({ method: "POST", query: "", body: text })) },
  {
    weight: 1,
    arbitrary: query.map((q) => ({ method: "GET", query: new URLSearchParams(q).toString(), body: undefined })),
  },
);

/** Sends one request and checks its answer. */
async function check(
  { method, query: search, body: text }: { method: string; query: string; body: string | undefined },
  statuses: Map<number, number>,
): Promise<void> {
  const url = `${emulator.url}/v2/p/datasets/tiny/export-tasks${search ? `?${search}` : ""}`;
  const response = await fetch(url, {
    method,
    headers: { "x-auth-token": "t", "content-type": "application/json" },
    ...(text === undefined ? {} : { body: text }),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  expect(response.status, `${method} ${search} ${text?.slice(0, 300)} -> ${JSON.stringify(answer)}`).not.toBe(500);
  if (response.status >= 400) {
    expect(answer).toEqual({
      error_code: expect.stringMatching(/^(ModelArts|APIGW)\.\d{4}$/),
      error_msg: expect.stringMatching(/\S/),
    });
  } else if (method === "POST") expect(answer.task_id).toMatch(/^\w{19}$/);
}

// Requests go out 50 at a time: the emulator answers them concurrently, as it would a busy client.
const BATCH = 50;

test(`${RUNS} create and list requests made from the spec: no 500, every error in the API's shape`, async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), async (requests) => {
      await Promise.all(requests.map((r) => check(r, statuses)));
    }),
    { numRuns: Math.ceil(RUNS / BATCH), seed: SEED, endOnFailure: true },
  );
  await emulator.idle();
  const sent = [...statuses.values()].reduce((a, b) => a + b, 0);
  console.log(`fuzz: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  expect(sent).toBeGreaterThanOrEqual(RUNS);
  // Both sides were reached: bodies accepted (and exported) and bodies refused.
  expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 100);
  expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
}, 600_000);
