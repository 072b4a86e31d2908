// File-level correctness of exports, on datasets written here to disk and
// exported over HTTP: every sample keeps its own files when names share a
// stem, split files list each sample once and only ids whose files exist,
// VOC and COCO give the same boxes under Datumaro's reading, labelmap.txt,
// and XML text with entities and CDATA. Outputs are read with
// fast-xml-parser and JSON.parse, not with the emulator's own parser.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ExportTaskRequest } from "@modelarts-export/types";
import { encodePng, pngSize } from "../src/png.js";
import { startHarnessWithDataset, type Harness } from "./harness.js";

const xmlReader = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  htmlEntities: true,
  isArray: (name) => name === "object",
});

interface ReadObject {
  name: string;
  bndbox: { xmin: string; ymin: string; xmax: string; ymax: string };
}
interface ReadVoc {
  filename: string;
  size?: { width: string; height: string };
  object?: ReadObject[];
}
const readXml = (file: string): ReadVoc =>
  (xmlReader.parse(readFileSync(file, "utf8")) as { annotation: ReadVoc }).annotation;

/** A detection sample written to disk: its image, and its VOC file when it has boxes. */
interface SourceSample {
  id: string;
  /** `bucket/dir/name` */
  key: string;
  usage: "TRAIN" | "EVAL";
  width: number;
  height: number;
  /** Label as the reader must see it, the XML text it is written as, and corners. */
  objects: { label: string; xml: string; corners: [number, number, number, number] }[];
}

// Names that share a stem within a folder (a.png, a.jpg, a) and across
// folders (imgs/a.png, other/a.png), and labels written with character
// references, CDATA and a comment.
const SAMPLES: SourceSample[] = [
  {
    id: "s1",
    key: "b/imgs/a.png",
    usage: "TRAIN",
    width: 40,
    height: 30,
    objects: [
      { label: "café", xml: "caf&#233;", corners: [1, 2, 11, 12] },
      { label: "forklift", xml: "forklift", corners: [5, 5, 40, 30] },
    ],
  },
  {
    id: "s2",
    key: "b/imgs/a.jpg",
    usage: "TRAIN",
    width: 20,
    height: 20,
    objects: [{ label: "a<b & c", xml: "<![CDATA[a<b & c]]>", corners: [3, 4, 9, 10] }],
  },
  {
    id: "s3",
    key: "b/other/a.png",
    usage: "EVAL",
    width: 32,
    height: 16,
    objects: [{ label: "ünï", xml: "&#xFC;n&#239;<!-- a comment -->", corners: [2, 2, 30, 15] }],
  },
  { id: "s4", key: "b/imgs/a", usage: "TRAIN", width: 10, height: 12, objects: [] },
  { id: "s5", key: "b/other/u.png", usage: "EVAL", width: 8, height: 9, objects: [] },
  {
    id: "s6",
    key: "b/other/forklift.png",
    usage: "TRAIN",
    width: 50,
    height: 50,
    objects: [{ label: "forklift", xml: "forklift", corners: [1, 1, 50, 50] }],
  },
];

function writeDataset(storage: string): void {
  const lines = SAMPLES.map((sample, index) => {
    const file = join(storage, sample.key);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, encodePng(sample.width, sample.height, [index * 20, 100, 50]));
    const line: Record<string, unknown> = { source: `obs://${sample.key}`, id: sample.id, usage: sample.usage };
    if (sample.objects.length) {
      const xmlKey = `b/ann/${sample.id}.xml`;
      mkdirSync(join(storage, "b", "ann"), { recursive: true });
      const objects = sample.objects
        .map(
          ({ xml, corners: [xmin, ymin, xmax, ymax] }) =>
            `<object><name>${xml}</name><pose>Unspecified</pose><truncated>0</truncated><difficult>0</difficult>` +
            `<bndbox><xmin>${xmin}</xmin><ymin>${ymin}</ymin><xmax>${xmax}</xmax><ymax>${ymax}</ymax></bndbox></object>`,
        )
        .join("\n");
      writeFileSync(
        join(storage, xmlKey),
        `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE annotation>\n<annotation><folder>imgs</folder>` +
          `<filename>${sample.key.split("/").pop()}</filename><size><width>${sample.width}</width>` +
          `<height>${sample.height}</height><depth>3</depth></size>\n${objects}\n</annotation>\n`,
      );
      line.annotation = [{ type: "modelarts/object_detection", "annotation-loc": `obs://${xmlKey}` }];
    }
    return JSON.stringify(line);
  });
  writeFileSync(join(storage, "b", "d.manifest"), `${lines.join("\n")}\n`);
}

let storage: string;
let h: Harness;
beforeAll(async () => {
  storage = mkdtempSync(join(tmpdir(), "emulator-files-"));
  writeDataset(storage);
  h = await startHarnessWithDataset(storage, "d", "/b/d.manifest");
});
afterAll(async () => {
  await h.stop();
  rmSync(storage, { recursive: true, force: true });
});

async function exportOk(body: ExportTaskRequest): Promise<void> {
  const taskId = await h.create("d", body);
  const task = await h.wait("d", taskId);
  expect(task.status, JSON.stringify(task)).toBe("SUCCESSED");
  expect(task.finished_sample_count).toBe(task.total_sample_count);
}

const out = (...parts: string[]): string => join(storage, "b", "out", ...parts);
const lines = (file: string): string[] => readFileSync(file, "utf8").split("\n").filter(Boolean);
const stemOf = (name: string): string => name.slice(0, name.length - extname(name).length);
/** Datumaro's reading of a VOC box as COCO `[x, y, w, h]`. */
const datumaroBox = (o: ReadObject): number[] => {
  const [xmin, ymin, xmax, ymax] = [o.bndbox.xmin, o.bndbox.ymin, o.bndbox.xmax, o.bndbox.ymax].map(Number) as [
    number,
    number,
    number,
    number,
  ];
  return [xmin, ymin, xmax - xmin, ymax - ymin];
};
/** Which source sample an exported image is: each image's pixel size is unique here. */
const sourceOf = (image: string): SourceSample => {
  const size = pngSize(readFileSync(image));
  const found = SAMPLES.filter((s) => s.width === size.width && s.height === size.height);
  expect(found, image).toHaveLength(1);
  return found[0] as SourceSample;
};

describe("VOC", () => {
  test("each sample has its own image and XML; split files list each id once, and only ids whose files exist", async () => {
    await exportOk({ path: "/b/out/voc/", export_type: 2, annotation_format: "VOC" });
    const train = lines(out("voc", "ImageSets", "Main", "train.txt"));
    const val = lines(out("voc", "ImageSets", "Main", "val.txt"));
    const ids = [...train, ...val];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(SAMPLES.length);
    const images = readdirSync(out("voc", "JPEGImages"));
    expect(images).toHaveLength(SAMPLES.length);
    expect(readdirSync(out("voc", "Annotations")).sort()).toEqual(ids.map((id) => `${id}.xml`).sort());
    const seen = new Set<string>();
    for (const id of ids) {
      // Exactly one image per id, as torchvision and Datumaro look for it.
      const image = images.filter((name) => stemOf(name) === id);
      expect(image, id).toHaveLength(1);
      const source = sourceOf(out("voc", "JPEGImages", image[0] as string));
      seen.add(source.id);
      expect(val.includes(id)).toBe(source.usage === "EVAL");
      const xml = readXml(out("voc", "Annotations", `${id}.xml`));
      expect(xml.filename).toBe(image[0]);
      expect(xml.size).toMatchObject({ width: String(source.width), height: String(source.height) });
      // Labels decoded from character references, CDATA and around comments.
      expect((xml.object ?? []).map((o) => [o.name, ...datumaroBox(o)])).toEqual(
        source.objects.map((o) => [
          o.label,
          o.corners[0],
          o.corners[1],
          o.corners[2] - o.corners[0],
          o.corners[3] - o.corners[1],
        ]),
      );
    }
    expect(seen.size).toBe(SAMPLES.length);
  });

  test("labelmap.txt in Datumaro's format names every label, once", () => {
    const map = lines(out("voc", "labelmap.txt"));
    expect(map[0]).toBe("# label:color_rgb:parts:actions");
    const entries = map.slice(1).map((line) => line.split(":"));
    // Datumaro refuses a line that is not 4 ':'-separated fields, and a label defined twice.
    for (const entry of entries) expect(entry).toHaveLength(4);
    const labels = entries.map((entry) => entry[0]);
    expect(labels).toEqual(["background", "café", "forklift", "a<b & c", "ünï"]);
  });
});

describe("COCO", () => {
  test("boxes equal Datumaro's reading of the VOC export of the same dataset; file names unique", async () => {
    await exportOk({ path: "/b/out/coco/", export_type: 2, annotation_format: "COCO" });
    type Coco = {
      images: { id: number; file_name: string; width: number; height: number }[];
      annotations: { image_id: number; category_id: number; bbox: number[]; area: number }[];
      categories: { id: number; name: string }[];
    };
    const splits = ["train", "val"].map(
      (s) => JSON.parse(readFileSync(out("coco", "annotations", `instances_${s}.json`), "utf8")) as Coco,
    );
    const names = splits.flatMap((s) => s.images.map((i) => i.file_name));
    expect(new Set(names).size).toBe(SAMPLES.length);
    expect(names.map((n) => stemOf(n)).length).toBe(new Set(names.map((n) => stemOf(n))).size);
    // The VOC export of the same dataset, read as Datumaro reads it, by image.
    const vocByImage = new Map(
      readdirSync(out("voc", "Annotations")).map((file) => {
        const xml = readXml(out("voc", "Annotations", file));
        return [xml.filename, (xml.object ?? []).map((o) => [o.name, ...datumaroBox(o)])];
      }),
    );
    for (const split of splits) {
      const categories = new Map(split.categories.map((c) => [c.id, c.name]));
      for (const image of split.images) {
        const source = sourceOf(out("coco", "images", image.file_name));
        expect([image.width, image.height]).toEqual([source.width, source.height]);
        const boxes = split.annotations
          .filter((a) => a.image_id === image.id)
          .map((a) => [categories.get(a.category_id), ...a.bbox]);
        expect(boxes, image.file_name).toEqual(vocByImage.get(image.file_name));
        for (const a of split.annotations) expect(a.area).toBe((a.bbox[2] as number) * (a.bbox[3] as number));
      }
    }
  });
});

describe("manifest", () => {
  test("each line's image and annotation are its own", async () => {
    await exportOk({ path: "/b/out/manifest/", export_type: 2 });
    const file = readdirSync(out("manifest")).find((f) => f.endsWith(".manifest")) as string;
    const exported = lines(out("manifest", file)).map(
      (l) => JSON.parse(l) as { id: string; source: string; annotation?: { "annotation-loc": string }[] },
    );
    expect(exported.map((l) => l.id)).toEqual(SAMPLES.map((s) => s.id));
    expect(new Set(exported.map((l) => l.source)).size).toBe(SAMPLES.length);
    for (const line of exported) {
      const source = SAMPLES.find((s) => s.id === line.id) as SourceSample;
      expect(sourceOf(join(storage, line.source.slice("obs://".length)))).toBe(source);
      const loc = line.annotation?.[0]?.["annotation-loc"];
      expect(Boolean(loc)).toBe(source.objects.length > 0);
      if (!loc) continue;
      const xml = readXml(join(storage, loc.slice("obs://".length)));
      expect((xml.object ?? []).map((o) => o.name)).toEqual(source.objects.map((o) => o.label));
    }
  });
});

describe("image classification, flat", () => {
  test("images whose names share a stem each keep their own .txt", async () => {
    const classes = [
      ["c/x/a.png", "cat"],
      ["c/x/a.jpg", "dog"],
      ["c/y/a.png", "bird"],
      ["c/y/b.png", "fish"],
    ] as const;
    const manifest = classes.map(([key, label], index) => {
      mkdirSync(join(storage, dirname(key)), { recursive: true });
      writeFileSync(join(storage, key), encodePng(10 + index, 10, [0, 0, 0]));
      return JSON.stringify({
        source: `obs://${key}`,
        annotation: [{ type: "modelarts/image_classification", name: label }],
      });
    });
    writeFileSync(join(storage, "c", "c.manifest"), manifest.join("\n"));
    const classification = await startHarnessWithDataset(storage, "c", "/c/c.manifest");
    try {
      const taskId = await classification.create("c", { path: "/c/out/", export_type: 0, export_format: 2 });
      expect((await classification.wait("c", taskId)).status).toBe("SUCCESSED");
      const files = readdirSync(join(storage, "c", "out"));
      const images = files.filter((f) => !f.endsWith(".txt"));
      expect(images).toHaveLength(classes.length);
      expect(files.filter((f) => f.endsWith(".txt")).sort()).toEqual(images.map((i) => `${stemOf(i)}.txt`).sort());
      const labelsByWidth = new Map(classes.map(([, label], index) => [10 + index, label]));
      for (const image of images) {
        const { width } = pngSize(readFileSync(join(storage, "c", "out", image)));
        const txt = readFileSync(join(storage, "c", "out", `${stemOf(image)}.txt`), "utf8");
        expect(txt, image).toBe(`${labelsByWidth.get(width)}\n`);
      }
    } finally {
      await classification.stop();
    }
    expect(existsSync(join(storage, "c", "out"))).toBe(true);
  });
});
