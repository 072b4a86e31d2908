// What the CLI checks before sending: documented rules refuse (exit 2,
// nothing sent), inferred ones warn on stderr and the request still goes.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO, startEmulator, type RunningEmulator } from "@modelarts-export/emulator";
import { cli } from "./run-cli.js";

const storage = mkdtempSync(join(tmpdir(), "cli-validate-test-"));
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ storage, port: 0, demo: true });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(storage, { recursive: true, force: true });
});

/** Where and as whom: the emulator, its demo project and detection dataset. */
const connection = (): string[] => [
  "--endpoint",
  emulator.url,
  "--project-id",
  DEMO.projectId,
  "--token",
  DEMO.token,
  "--dataset-id",
  DEMO.datasets.detection.id,
];
const create = (...args: string[]): string[] => ["create", ...connection(), ...args];

/** Tasks the emulator holds: a refused request must not add one. */
const taskCount = (): number => emulator.store.all().length;

describe("request checks before sending", () => {
  test("create --path /my.bucket/out.v2/: refused by the service with 4311 while the bucket is missing, created once it exists", async () => {
    const missing = await cli(create("--path", "/my.bucket/out.v2/", "--export-type", "2"));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/ModelArts\.4311/);
    expect(missing.stderr).not.toMatch(/warning/);
    mkdirSync(join(storage, "my.bucket"));
    const made = await cli(create("--path", "/my.bucket/out.v2/", "--export-type", "2"));
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout.trim()).toMatch(/^\w{19}$/);
    expect(made.stderr).toBe("");
  });

  test("the reference page's two request examples go through verbatim with --body", async () => {
    mkdirSync(join(storage, "test-obs"), { recursive: true });
    const examples = [
      '{"path" : "/test-obs/daoChu/", "export_type" : 3, "export_params" : {"sample_state" : "", "export_dest" : "DIR"}}',
      '{"path" : "/test-obs/classify/input/", "export_type" : 3, "export_params" : {"sample_state" : "", "export_dest" : "NEW_DATASET", "export_new_dataset_name" : "dataset-export-test", "export_new_dataset_work_path" : "/test-obs/classify/output/"}}',
    ];
    for (const body of examples) {
      const run = await cli(create("--body", "-"), {}, body);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe("");
    }
  });

  test("a documented rule refuses with exit 2 and sends nothing", async () => {
    const before = taskCount();
    const run = await cli(create("--path", "/demo-bucket/../out/"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("ModelArts.4358");
    expect(run.stderr).toContain("path must not have a `..` segment");
    expect(taskCount()).toBe(before);
  });

  test("an inferred rule warns on stderr, and the request is sent", async () => {
    const before = taskCount();
    const run = await cli(create("--path", "/demo-bucket/out/ratio/", "--train-sample-ratio", "1.5"));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /^warning: export_params\.train_sample_ratio must be a decimal from 0 to 1.*\(inferred, not stated by Huawei's reference: .*\); sending it anyway\n$/,
    );
    expect(taskCount()).toBe(before + 1);
  });

  test("an unknown field warns, naming the closest known field, and the request is sent", async () => {
    const run = await cli(create("--body", "-"), {}, '{"path": "/demo-bucket/out/typo/", "annotation_fromat": "VOC"}');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      "warning: annotation_fromat is not a field the reference lists; did you mean annotation_format?",
    );
  });
});

describe("list parameters", () => {
  test("a negative --offset breaks only an inferred rule, so it is sent and the service answers", async () => {
    const run = await cli(["list", ...connection(), "--offset", "-1", "--limit", "5"]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty("export_tasks");
  });
});
