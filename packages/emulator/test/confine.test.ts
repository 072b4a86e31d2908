// Confinement on every read, not only at load: every export reads the
// manifest again, so a manifest edited, or a folder or file replaced by a
// symbolic link, after the dataset was loaded must not make an export read
// or link anything outside --storage. And total_sample_count is what the
// export actually processed.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { ExportTaskRequest } from "@modelarts-export/types";
import { encodePng } from "../src/png.js";
import { writeVoc } from "../src/voc.js";
import { startHarnessWithDataset, type Harness } from "./harness.js";

let root: string;
let storage: string;
let outside: string;
let h: Harness;

const line = (i: number, voc = true): string =>
  JSON.stringify({
    source: `obs://b/imgs/${i}.png`,
    id: `s${i}`,
    ...(voc ? { annotation: [{ type: "modelarts/object_detection", "annotation-loc": `obs://b/ann/${i}.xml` }] } : {}),
  });

/** Writes sample `i` (image and VOC file) under `base`, with `label`. */
function writeSample(base: string, i: number, label: string): void {
  mkdirSync(join(base, "imgs"), { recursive: true });
  mkdirSync(join(base, "ann"), { recursive: true });
  writeFileSync(join(base, "imgs", `${i}.png`), encodePng(8, 8, [i, 0, 0]));
  const objects = [
    {
      name: label,
      pose: "",
      truncated: false,
      occluded: false,
      difficult: false,
      xmin: 1,
      ymin: 1,
      xmax: 4,
      ymax: 4,
      properties: {},
    },
  ];
  writeFileSync(
    join(base, "ann", `${i}.xml`),
    writeVoc({ folder: "", filename: `${i}.png`, width: 8, height: 8, depth: 3, objects }),
  );
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), "emulator-confine-"));
  storage = join(root, "storage");
  outside = join(root, "outside");
  // The same layout outside, with a label that must never appear in an export.
  for (let i = 0; i < 3; i++) {
    writeSample(join(storage, "b"), i, "inside");
    writeSample(outside, i, "SECRET");
  }
  writeFileSync(join(outside, "d.manifest"), [0, 1, 2].map((i) => line(i)).join("\n"));
  writeFileSync(join(storage, "b", "d.manifest"), [0, 1, 2].map((i) => line(i)).join("\n"));
  h = await startHarnessWithDataset(storage, "d", "/b/d.manifest");
});
afterEach(async () => {
  await h.stop();
  rmSync(root, { recursive: true, force: true });
});

async function exportFails(body: ExportTaskRequest, message: string): Promise<void> {
  const task = await h.wait("d", await h.create("d", body));
  expect([task.status, task.error_code], JSON.stringify(task)).toEqual(["FAILED", "ModelArts.4312"]);
  expect(task.error_msg).toContain(message);
  // Nothing written, nothing left behind.
  expect(readdirSync(join(storage, "b")).filter((name) => name.startsWith("out") || name.includes(".export-"))).toEqual(
    [],
  );
}

const formats: ExportTaskRequest[] = [
  { path: "/b/out/", export_type: 2, annotation_format: "VOC" },
  { path: "/b/out/", export_type: 2, annotation_format: "COCO" },
  { path: "/b/out/", export_type: 2 },
  // label_list makes the selection read VOC files on the server's thread.
  {
    path: "/b/out/",
    export_type: 3,
    export_params: { search_conditions: [{ label_list: { labels: [{ name: "inside" }] } }] },
  },
];

describe("after loading, exports never read or link outside the storage", () => {
  test.each(formats)("a folder replaced by a symbolic link (%j)", async (body) => {
    renameSync(join(storage, "b", "imgs"), join(storage, "b", "imgs-moved"));
    symlinkSync(join(outside, "imgs"), join(storage, "b", "imgs"));
    await exportFails(body, "is a symbolic link");
  });

  test.each(formats)("an annotation folder replaced by a symbolic link (%j)", async (body) => {
    rmSync(join(storage, "b", "ann"), { recursive: true });
    symlinkSync(join(outside, "ann"), join(storage, "b", "ann"));
    await exportFails(body, "is a symbolic link");
  });

  test.each(formats)("an image and an annotation file replaced by symbolic links (%j)", async (body) => {
    rmSync(join(storage, "b", "imgs", "1.png"));
    symlinkSync(join(outside, "imgs", "1.png"), join(storage, "b", "imgs", "1.png"));
    rmSync(join(storage, "b", "ann", "2.xml"));
    symlinkSync(join(outside, "ann", "2.xml"), join(storage, "b", "ann", "2.xml"));
    await exportFails(body, "is a symbolic link");
  });

  test("the manifest edited to reach out with .. or replaced by a symbolic link", async () => {
    writeFileSync(join(storage, "b", "d.manifest"), `${line(0)}\n{"source":"obs://b/../../outside/imgs/1.png"}\n`);
    await exportFails({ path: "/b/out/", export_type: 2 }, "must not contain");
    rmSync(join(storage, "b", "d.manifest"));
    symlinkSync(join(outside, "d.manifest"), join(storage, "b", "d.manifest"));
    await exportFails({ path: "/b/out/", export_type: 2 }, "is a symbolic link");
  });

  test("the manifest's folder replaced by a symbolic link", async () => {
    renameSync(join(storage, "b"), join(storage, "b-moved"));
    symlinkSync(join(storage, "b-moved"), join(storage, "b"));
    mkdirSync(join(storage, "c")); // the bucket the export writes to
    const task = await h.wait("d", await h.create("d", { path: "/c/out/", export_type: 2 }));
    expect([task.status, task.error_code]).toEqual(["FAILED", "ModelArts.4312"]);
    expect(task.error_msg).toContain("is a symbolic link");
    expect(existsSync(join(storage, "c", "out"))).toBe(false);
  });
});

describe("total_sample_count", () => {
  test("equals what the export processed when the manifest grew or shrank after loading", async () => {
    for (let i = 3; i < 7; i++) writeSample(join(storage, "b"), i, "inside");
    writeFileSync(join(storage, "b", "d.manifest"), [0, 1, 2, 3, 4, 5, 6].map((i) => line(i, i % 2 === 0)).join("\n"));
    for (const [lines, body] of [
      [7, { path: "/b/out1/", export_type: 2 }],
      [7, { path: "/b/out2/", export_type: 2, annotation_format: "COCO" }],
    ] as const) {
      const task = await h.wait("d", await h.create("d", body));
      expect(task.status).toBe("SUCCESSED");
      expect([task.total_sample_count, task.finished_sample_count, task.progress]).toEqual([lines, lines, 100]);
    }
    const manifest = readdirSync(join(storage, "b", "out1")).find((f) => f.endsWith(".manifest")) as string;
    expect(
      readFileSync(join(storage, "b", "out1", manifest), "utf8")
        .trim()
        .split("\n"),
    ).toHaveLength(7);

    writeFileSync(join(storage, "b", "d.manifest"), line(0));
    const task = await h.wait("d", await h.create("d", { path: "/b/out3/", export_type: 2 }));
    expect([task.status, task.total_sample_count, task.finished_sample_count]).toEqual(["SUCCESSED", 1, 1]);
  });
});
