// Every export mode over HTTP, with the output parsed and compared with the
// source dataset read straight from storage.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ExportTaskRequest } from "@modelarts-export/types";
import { DEMO } from "../src/demo.js";
import { encodePng, pngSize } from "../src/png.js";
import { parseVoc, writeVoc, type VocAnnotation } from "../src/voc.js";
import { startHarness, startHarnessWithDataset, TASKS, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

interface SourceLine {
  source: string;
  id: string;
  usage?: string;
  annotation?: { "annotation-loc"?: string; name?: string }[];
  sample_state?: string;
  hard?: string;
  labeler?: string;
  sample_time: string;
  metadata: Record<string, string>;
}

const host = (uri: string): string => join(h.storage, uri.replace(/^(obs|s3):\/\//, ""));
const manifestLines = (obsPath: string): SourceLine[] =>
  readFileSync(join(h.storage, obsPath), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as SourceLine);
const detection = (): SourceLine[] => manifestLines(DEMO.datasets.detection.manifest);
const vocOf = (line: SourceLine): VocAnnotation | undefined => {
  const loc = line.annotation?.[0]?.["annotation-loc"];
  return loc ? parseVoc(readFileSync(host(loc), "utf8"), loc) : undefined;
};
const out = (...parts: string[]): string => join(h.storage, "demo-bucket", "out", ...parts);
const fileName = (line: SourceLine): string => line.source.split("/").pop() as string;

async function exportOk(datasetId: string, body: ExportTaskRequest): Promise<void> {
  const taskId = await h.create(datasetId, body);
  const task = await h.wait(datasetId, taskId);
  expect(task.status, JSON.stringify(task)).toBe("SUCCESSED");
  expect(task.progress).toBe(100);
  expect(task.finished_sample_count).toBe(task.total_sample_count);
}

describe("COCO", () => {
  test("one annotations file per split, boxes inside their images and equal to the VOC source", async () => {
    await exportOk(DEMO.datasets.detection.id, {
      path: "/demo-bucket/out/coco/",
      export_type: 0,
      annotation_format: "COCO",
      export_params: { train_sample_ratio: "0.8", ratio_sample_usage: true },
    });
    const labelled = detection().filter((l) => l.annotation);
    const byName = new Map(labelled.map((l) => [fileName(l), l]));
    const splits = ["train", "val"].map(
      (s) =>
        JSON.parse(readFileSync(out("coco", "annotations", `instances_${s}.json`), "utf8")) as {
          images: { id: number; file_name: string; width: number; height: number }[];
          annotations: { id: number; image_id: number; category_id: number; bbox: number[]; area: number }[];
          categories: { id: number; name: string }[];
        },
    );
    const [train, val] = splits as [(typeof splits)[number], (typeof splits)[number]];
    expect(train.images.length).toBe(Math.round(labelled.length * 0.8));
    expect(train.images.length + val.images.length).toBe(labelled.length);
    const annotationIds = new Set<number>();
    for (const split of splits) {
      const images = new Map(split.images.map((i) => [i.id, i]));
      const categories = new Map(split.categories.map((c) => [c.id, c.name]));
      for (const image of split.images) {
        const source = byName.get(image.file_name);
        expect(source, image.file_name).toBeDefined();
        // The copied image is the real file, of the size the annotation says.
        expect(pngSize(readFileSync(out("coco", "images", image.file_name)))).toEqual({
          width: image.width,
          height: image.height,
        });
        const voc = vocOf(source as SourceLine) as VocAnnotation;
        const boxes = split.annotations.filter((a) => a.image_id === image.id);
        expect(boxes.map((a) => [categories.get(a.category_id), ...a.bbox])).toEqual(
          voc.objects.map((o) => [o.name, o.xmin, o.ymin, o.xmax - o.xmin, o.ymax - o.ymin]),
        );
      }
      for (const a of split.annotations) {
        const image = images.get(a.image_id);
        expect(image).toBeDefined();
        const [x = -1, y = -1, w = 0, hgt = 0] = a.bbox;
        expect(x >= 0 && y >= 0 && x + w <= (image?.width ?? 0) && y + hgt <= (image?.height ?? 0)).toBe(true);
        expect(a.area).toBe(w * hgt);
        expect(annotationIds.has(a.id)).toBe(false);
        annotationIds.add(a.id);
      }
    }
    // The same request splits the same way again.
    const firstTrain = train.images.map((i) => i.file_name);
    await exportOk(DEMO.datasets.detection.id, {
      path: "/demo-bucket/out/coco-again/",
      export_type: 0,
      annotation_format: "COCO",
      export_params: { train_sample_ratio: "0.8", ratio_sample_usage: true },
    });
    const again = JSON.parse(readFileSync(out("coco-again", "annotations", "instances_train.json"), "utf8")) as {
      images: { file_name: string }[];
    };
    expect(again.images.map((i) => i.file_name)).toEqual(firstTrain);
  });

  test("samples without annotations are still listed as images", async () => {
    await exportOk(DEMO.datasets.detection.id, {
      path: "/demo-bucket/out/coco-all/",
      export_type: 2,
      annotation_format: "COCO",
    });
    const images = ["train", "val"].flatMap(
      (s) =>
        (
          JSON.parse(readFileSync(out("coco-all", "annotations", `instances_${s}.json`), "utf8")) as {
            images: { file_name: string; width: number; height: number }[];
          }
        ).images,
    );
    expect(images.length).toBe(detection().length);
    for (const image of images) {
      expect(pngSize(readFileSync(out("coco-all", "images", image.file_name))), image.file_name).toEqual({
        width: image.width,
        height: image.height,
      });
    }
  });
});

describe("VOC", () => {
  test("Annotations, JPEGImages and ImageSets/Main with the manifest's own usage", async () => {
    await exportOk(DEMO.datasets.detection.id, {
      path: "/demo-bucket/out/voc/",
      export_type: 0,
      annotation_format: "VOC",
    });
    const labelled = detection().filter((l) => l.annotation);
    const train = readFileSync(out("voc", "ImageSets", "Main", "train.txt"), "utf8")
      .trim()
      .split("\n");
    const val = readFileSync(out("voc", "ImageSets", "Main", "val.txt"), "utf8")
      .trim()
      .split("\n");
    const stem = (l: SourceLine): string => fileName(l).replace(/\.png$/, "");
    expect(train.sort()).toEqual(
      labelled
        .filter((l) => l.usage !== "EVAL")
        .map(stem)
        .sort(),
    );
    expect(val.sort()).toEqual(
      labelled
        .filter((l) => l.usage === "EVAL")
        .map(stem)
        .sort(),
    );
    for (const line of labelled) {
      const exported = parseVoc(readFileSync(out("voc", "Annotations", `${stem(line)}.xml`), "utf8"), stem(line));
      const source = vocOf(line) as VocAnnotation;
      expect(exported.objects).toEqual(source.objects);
      expect({ w: exported.width, h: exported.height }).toEqual({ w: source.width, h: source.height });
      expect(existsSync(out("voc", "JPEGImages", fileName(line)))).toBe(true);
    }
  });
});

describe("manifest (version_format Default)", () => {
  test("JSON Lines with sources rewritten to the export, s3:// prefix, TRAIN/EVAL and hard cleared", async () => {
    await exportOk(DEMO.datasets.detection.id, {
      path: "/demo-bucket/out/manifest/",
      export_type: 2,
      source_type_header: "s3://",
      export_params: { train_sample_ratio: "0.5", ratio_sample_usage: true },
    });
    const files = readdirSync(out("manifest")).filter((f) => f.endsWith(".manifest"));
    expect(files).toHaveLength(1);
    const lines = readFileSync(out("manifest", files[0] as string), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as SourceLine);
    expect(lines.map((l) => l.id)).toEqual(detection().map((l) => l.id));
    for (const line of lines) {
      expect(line.source).toMatch(/^s3:\/\/demo-bucket\/out\/manifest\/Data\//);
      expect(existsSync(host(line.source))).toBe(true);
      expect(["TRAIN", "EVAL"]).toContain(line.usage);
      expect(line.hard).toBeUndefined();
      const loc = line.annotation?.[0]?.["annotation-loc"];
      if (loc) expect(parseVoc(readFileSync(host(loc), "utf8"), loc).objects.length).toBeGreaterThan(0);
    }
    expect(lines.filter((l) => l.usage === "TRAIN")).toHaveLength(Math.round(lines.length * 0.5));
  });

  test("clear_hard_property false keeps the hard flags", async () => {
    await exportOk(DEMO.datasets.detection.id, {
      path: "/demo-bucket/out/manifest-hard/",
      export_type: 0,
      export_params: { clear_hard_property: false },
    });
    const file = readdirSync(out("manifest-hard")).find((f) => f.endsWith(".manifest")) as string;
    const lines = readFileSync(out("manifest-hard", file), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as SourceLine);
    expect(lines.filter((l) => l.hard === "true").length).toBe(
      detection().filter((l) => l.annotation && l.hard === "true").length,
    );
  });
});

describe("image classification layouts", () => {
  const classification = (): SourceLine[] => manifestLines(DEMO.datasets.classification.manifest);

  test("export_format 1: a folder per label", async () => {
    await exportOk(DEMO.datasets.classification.id, {
      path: "/demo-bucket/out/tree/",
      export_type: 0,
      export_format: 1,
    });
    for (const line of classification().filter((l) => l.annotation)) {
      expect(existsSync(out("tree", line.annotation?.[0]?.name as string, fileName(line))), line.id).toBe(true);
    }
  });

  test("export_format 2: each image beside a .txt of its label", async () => {
    await exportOk(DEMO.datasets.classification.id, {
      path: "/demo-bucket/out/flat/",
      export_type: 2,
      export_format: 2,
    });
    for (const line of classification()) {
      expect(existsSync(out("flat", fileName(line)))).toBe(true);
      const txt = out("flat", fileName(line).replace(/\.png$/, ".txt"));
      if (line.annotation) expect(readFileSync(txt, "utf8").trim()).toBe(line.annotation[0]?.name);
      else expect(existsSync(txt)).toBe(false);
    }
  });

  test("VOC of a classification dataset is not supported (501 ModelArts.4383)", async () => {
    const reply = await h.call("POST", TASKS(DEMO.datasets.classification.id), {
      body: { path: "/demo-bucket/out/x/", annotation_format: "VOC" },
    });
    expect([reply.status, reply.body.error_code]).toEqual([501, "ModelArts.4383"]);
  });
});

describe("selection", () => {
  /** Exports a manifest and returns the ids it holds. */
  async function selected(name: string, body: ExportTaskRequest): Promise<string[]> {
    await exportOk(DEMO.datasets.detection.id, { ...body, path: `/demo-bucket/out/select-${name}/` });
    const file = readdirSync(out(`select-${name}`)).find((f) => f.endsWith(".manifest")) as string;
    return readFileSync(out(`select-${name}`, file), "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as SourceLine).id);
  }
  const ids = (lines: SourceLine[]): string[] => lines.map((l) => l.id);

  test("export_type 0, 1 and 2", async () => {
    expect(await selected("labelled", { export_type: 0 })).toEqual(ids(detection().filter((l) => l.annotation)));
    expect(await selected("unlabelled", { export_type: 1 })).toEqual(ids(detection().filter((l) => !l.annotation)));
    expect(await selected("all", { export_type: 2 })).toEqual(ids(detection()));
  });

  test("sample_state and samples", async () => {
    expect(await selected("rejected", { export_type: 2, export_params: { sample_state: "__REJECTED__" } })).toEqual(
      ids(detection().filter((l) => l.sample_state === "__REJECTED__")),
    );
    expect(await selected("ids", { export_type: 2, export_params: { samples: ["det-00003", "det-00007"] } })).toEqual([
      "det-00003",
      "det-00007",
    ]);
  });

  test("label_list: labels ORed or ANDed, properties with values or null", async () => {
    const objects = (l: SourceLine) => vocOf(l)?.objects ?? [];
    const redCars = ids(
      detection().filter((l) => objects(l).some((o) => o.name === "car" && o.properties.color === "red")),
    );
    expect(redCars.length).toBeGreaterThan(0);
    expect(
      await selected("red-cars", {
        export_type: 3,
        export_params: {
          search_conditions: [{ label_list: { labels: [{ name: "car", property: { color: ["red"] } }] } }],
        },
      }),
    ).toEqual(redCars);
    const dogAndPerson = ids(
      detection().filter(
        (l) => objects(l).some((o) => o.name === "dog") && objects(l).some((o) => o.name === "person"),
      ),
    );
    expect(
      await selected("dog-and-person", {
        export_type: 3,
        export_params: {
          search_conditions: [{ label_list: { op: "AND", labels: [{ name: "dog" }, { name: "person" }] } }],
        },
      }),
    ).toEqual(dogAndPerson);
    const occluded = ids(detection().filter((l) => objects(l).some((o) => "occluded" in o.properties)));
    expect(
      await selected("occluded", {
        export_type: 3,
        export_params: { search_conditions: [{ label_list: { labels: [{ property: { occluded: null } }] } }] },
      }),
    ).toEqual(occluded);
  });

  test("conditions are ORed, fields of one condition ANDed; sample_dir is not recursive", async () => {
    const lines = detection();
    const parkOnly = ids(lines.filter((l) => l.source.includes("/images/park/img")));
    expect(
      await selected("park", {
        export_type: 3,
        export_params: { search_conditions: [{ sample_dir: "/demo-bucket/detection/images/park/" }] },
      }),
    ).toEqual(parkOnly);
    const expected = ids(
      lines.filter(
        (l) =>
          (l.metadata.camera === "front" && l.hard === "true") ||
          l.labeler === "carol" ||
          fileName(l) === "img-00002.png",
      ),
    );
    const carol = lines.filter(
      (l) => l.annotation?.[0] && (l.annotation[0] as { "annotated-by"?: string })["annotated-by"] === "carol",
    );
    const got = await selected("or-and", {
      export_type: 3,
      export_params: {
        search_conditions: [
          { metadata: { props: { camera: ["front"] } }, hard: "1" },
          { labeler: "carol" },
          { sample_name: "img-00002.png" },
        ],
      },
    });
    expect(got).toEqual(
      ids(
        lines.filter(
          (l) =>
            (l.metadata.camera === "front" && l.hard === "true") ||
            carol.includes(l) ||
            fileName(l) === "img-00002.png",
        ),
      ),
    );
    expect(expected.length).toBeGreaterThan(0);
  });

  test("sample_time ranges", async () => {
    const inRange = ids(detection().filter((l) => l.sample_time >= "20261001" && l.sample_time <= "20261015"));
    expect(
      await selected("time", {
        export_type: 3,
        export_params: { search_conditions: [{ sample_time: "20261001-20261015" }] },
      }),
    ).toEqual(inRange);
  });
});

describe("export to a new dataset", () => {
  test("writes a manifest into the work path and registers a dataset, whose id is the task id, that can itself be exported", async () => {
    const taskId = await h.create(DEMO.datasets.detection.id, {
      path: "/demo-bucket/detection/",
      export_type: 0,
      export_params: {
        export_dest: "NEW_DATASET",
        export_new_dataset_name: "cars-only",
        export_new_dataset_work_path: "/demo-bucket/new-dataset/",
        search_conditions: [],
      },
    });
    expect((await h.wait(DEMO.datasets.detection.id, taskId)).status).toBe("SUCCESSED");
    expect(
      readdirSync(join(h.storage, "demo-bucket", "new-dataset")).some(
        (f) => f.startsWith("cars-only-") && f.endsWith(".manifest"),
      ),
    ).toBe(true);
    await exportOk(taskId, { path: "/demo-bucket/out/from-new/", export_type: 0, annotation_format: "VOC" });
    expect(readdirSync(out("from-new", "Annotations")).length).toBe(detection().filter((l) => l.annotation).length);
  });
});

describe("failures", () => {
  test("a missing image fails the task with ModelArts.4312 and leaves no output", async () => {
    const taskId = await h.create(DEMO.datasets.broken.id, { path: "/demo-bucket/out/broken/", export_type: 2 });
    const task = await h.wait(DEMO.datasets.broken.id, taskId);
    expect([task.status, task.error_code]).toEqual(["FAILED", "ModelArts.4312"]);
    expect(task.error_msg).toContain("/demo-bucket/broken/images/missing.png");
    expect(existsSync(out("broken"))).toBe(false);
    expect(readdirSync(out()).filter((f) => f.includes(".tmp"))).toEqual([]);
  });

  test("annotation files gone after loading fail the task, batches read ahead included, and the server lives on", async () => {
    // 2,000 samples: several batches are read ahead when the first read fails.
    const storage = mkdtempSync(join(tmpdir(), "emulator-gone-"));
    mkdirSync(join(storage, "b", "ann"), { recursive: true });
    writeFileSync(join(storage, "b", "a.png"), encodePng(8, 8, [0, 0, 0]));
    const lines = Array.from({ length: 2000 }, (_, i) => {
      const xml = writeVoc({ folder: "", filename: "a.png", width: 8, height: 8, depth: 3, objects: [] });
      writeFileSync(join(storage, "b", "ann", `${i}.xml`), xml);
      const loc = `obs://b/ann/${i}.xml`;
      return JSON.stringify({
        source: "obs://b/a.png",
        id: `s${i}`,
        annotation: [{ type: "modelarts/object_detection", "annotation-loc": loc }],
      });
    });
    writeFileSync(join(storage, "b", "d.manifest"), lines.join("\n"));
    const gone = await startHarnessWithDataset(storage, "gone", "/b/d.manifest");
    try {
      rmSync(join(storage, "b", "ann"), { recursive: true });
      const taskId = await gone.create("gone", { path: "/b/out/", export_type: 2, annotation_format: "COCO" });
      const task = await gone.wait("gone", taskId);
      expect([task.status, task.error_code]).toEqual(["FAILED", "ModelArts.4312"]);
      expect(task.error_msg).toContain("/b/ann/");
      expect(readdirSync(join(storage, "b")).sort()).toEqual(["a.png", "d.manifest"]);
      expect((await gone.call("GET", "/health", { auth: "none" })).status).toBe(200);
    } finally {
      await gone.stop();
      rmSync(storage, { recursive: true, force: true });
    }
  });
});

describe("--export-rate", () => {
  test("paces an export, with progress between 0 and 100 on the way", async () => {
    const paced = await startHarness({ exportRate: 400 });
    const DET = DEMO.datasets.detection.id;
    try {
      const started = performance.now();
      const taskId = await paced.create(DET, { path: "/demo-bucket/out/paced/", export_type: 2 });
      const seen: number[] = [];
      for (let polls = 0; polls < 500; polls++) {
        const reply = await paced.call("GET", `${TASKS(DET)}/${taskId}`);
        seen.push(reply.body.progress as number);
        if (reply.body.status === "SUCCESSED") break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // 220 samples at 400 per second cannot take less than 0.55 s.
      expect(performance.now() - started).toBeGreaterThan(500);
      expect(seen.at(-1)).toBe(100);
      expect(seen.some((p) => p > 0 && p < 100)).toBe(true);
    } finally {
      await paced.stop();
    }
  });
});
