// The --demo datasets: deterministic files in storage (same bytes on every
// run), with real PNG images whose pixel sizes match their boxes.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { encodePng, type Rect, type Rgb } from "./png.js";
import { writeVoc, type VocObject } from "./voc.js";

export const DEMO = {
  projectId: "demo-project",
  token: "demo-token",
  accessKey: "demo-ak",
  secretKey: "demo-sk",
  bucket: "demo-bucket",
  datasets: {
    detection: { id: "demo-detection", manifest: "/demo-bucket/detection/demo-detection.manifest" },
    classification: { id: "demo-classification", manifest: "/demo-bucket/classification/demo-classification.manifest" },
    broken: { id: "demo-broken", manifest: "/demo-bucket/broken/demo-broken.manifest" },
  },
} as const;

/** mulberry32: a tiny seeded PRNG, so the demo is the same every time. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const int = (random: () => number, low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

const STATES = ["__ACCEPTED__", "__UNCHECK__", "__REJECTED__", "__UNREVIEWED__", "__REVIEWED__", "__AUTO_ANNOTATION__"];
const LABELERS = ["alice", "bob", "carol"];
const ORIGINS = ["obs-import", "camera-upload"];
const COLORS: Record<string, Rgb> = {
  car: [200, 30, 30],
  person: [30, 160, 40],
  dog: [140, 90, 30],
  bicycle: [30, 60, 200],
};

/** Writes a file, making its folder only when it is missing (cheaper than mkdir per file). */
function write(file: string, data: string | Buffer): void {
  try {
    writeFileSync(file, data);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
  }
}

const day = (offset: number): string => {
  const date = new Date(Date.UTC(2026, 9, 1) + offset * 86_400_000);
  return date.toISOString().slice(0, 10).replace(/-/g, "");
};

export interface DetectionOptions {
  count: number;
  seed: number;
  /** `/bucket/dir/` the dataset lives in. */
  dir: string;
  manifestName: string;
  unlabelledEvery?: number;
}

/** Writes a detection dataset (PNG, VOC XML, manifest) and returns its manifest path. */
export function writeDetectionDataset(storageRoot: string, options: DetectionOptions): string {
  const random = seeded(options.seed);
  const base = join(storageRoot, ...options.dir.split("/").filter(Boolean));
  const uri = (rel: string): string => `obs:/${options.dir}${rel}`;
  const folders = ["street", "park", "park/night"];
  const lines: string[] = [];
  for (let i = 1; i <= options.count; i++) {
    const name = `img-${String(i).padStart(5, "0")}.png`;
    const folder = folders[i % folders.length] as string;
    const width = int(random, 96, 192);
    const height = int(random, 64, 160);
    const unlabelled = i % (options.unlabelledEvery ?? 11) === 0;
    const objects: VocObject[] = [];
    const rects: Rect[] = [];
    const boxes = unlabelled ? 0 : int(random, 1, 3);
    for (let b = 0; b < boxes; b++) {
      const label = pick(random, Object.keys(COLORS));
      const w = int(random, 8, Math.floor(width / 2));
      const h = int(random, 8, Math.floor(height / 2));
      const x = int(random, 0, width - w);
      const y = int(random, 0, height - h);
      rects.push({ x, y, width: w, height: h, color: COLORS[label] as Rgb });
      const properties: Record<string, string> =
        label === "car"
          ? { color: pick(random, ["red", "white", "black"]) }
          : label === "dog"
            ? { size: pick(random, ["small", "large"]) }
            : {};
      if (random() < 0.2) properties.occluded = "true";
      // VOC corners are 1-based and inclusive.
      objects.push({
        name: label,
        pose: "Unspecified",
        truncated: false,
        occluded: properties.occluded === "true",
        difficult: false,
        xmin: x + 1,
        ymin: y + 1,
        xmax: x + w,
        ymax: y + h,
        properties,
      });
    }
    write(join(base, "images", folder, name), encodePng(width, height, [235, 235, 225], rects));
    const line: Record<string, unknown> = {
      source: uri(`images/${folder}/${name}`),
      id: `det-${String(i).padStart(5, "0")}`,
      usage: i % 5 === 0 ? "EVAL" : "TRAIN",
      sample_time: day(int(random, 0, 55)),
      import_origin: pick(random, ORIGINS),
      metadata: { camera: pick(random, ["front", "rear"]), weather: pick(random, ["sunny", "rainy"]) },
    };
    if (!unlabelled) {
      const stem = name.replace(/\.png$/, "");
      write(
        join(base, "annotations", `${stem}.xml`),
        writeVoc({ folder, filename: name, width, height, depth: 3, objects }),
      );
      const confidence = Math.round((0.5 + random() * 0.5) * 100) / 100;
      line.annotation = [
        {
          type: "modelarts/object_detection",
          "annotation-loc": uri(`annotations/${stem}.xml`),
          "annotation-format": "PASCAL VOC",
          "annotated-by": pick(random, LABELERS),
          "creation-time": "2026-11-01 10:00:00",
          confidence,
        },
      ];
      line.sample_state = STATES[i % STATES.length];
      line.score = confidence;
      if (i % 9 === 0) {
        line.hard = "true";
        line["hard-coefficient"] = Math.round(random() * 100) / 100;
      }
    }
    lines.push(JSON.stringify(line));
  }
  const manifest = `${options.dir}${options.manifestName}`;
  write(join(base, options.manifestName), `${lines.join("\n")}\n`);
  return manifest;
}

function writeClassificationDataset(storageRoot: string): void {
  const random = seeded(7);
  const dir = "/demo-bucket/classification/";
  const base = join(storageRoot, "demo-bucket", "classification");
  const labels: Record<string, Rgb> = { cat: [240, 160, 40], dog: [140, 90, 30], bird: [60, 140, 220] };
  const lines: string[] = [];
  for (let i = 1; i <= 150; i++) {
    const folder = i % 2 ? "indoor" : "outdoor";
    const name = `photo-${String(i).padStart(4, "0")}.png`;
    const unlabelled = i % 10 === 0;
    const label = pick(random, Object.keys(labels));
    const width = int(random, 64, 128);
    const height = int(random, 64, 128);
    write(
      join(base, "images", folder, name),
      encodePng(width, height, unlabelled ? [128, 128, 128] : (labels[label] as Rgb)),
    );
    const line: Record<string, unknown> = {
      source: `obs:/${dir}images/${folder}/${name}`,
      id: `cls-${String(i).padStart(4, "0")}`,
      usage: i % 4 === 0 ? "EVAL" : "TRAIN",
      sample_time: day(int(random, 0, 55)),
      import_origin: pick(random, ORIGINS),
      metadata: { source_camera: pick(random, ["phone", "dslr"]) },
    };
    if (!unlabelled) {
      const confidence = Math.round((0.6 + random() * 0.4) * 100) / 100;
      line.annotation = [
        {
          type: "modelarts/image_classification",
          name: label,
          property: { pose: pick(random, ["sitting", "standing"]) },
          "annotated-by": pick(random, LABELERS),
          "creation-time": "2026-11-02 09:30:00",
          confidence,
        },
      ];
      line.sample_state = STATES[i % STATES.length];
      if (i % 7 === 0) line.hard = "true";
    }
    lines.push(JSON.stringify(line));
  }
  write(join(base, "demo-classification.manifest"), `${lines.join("\n")}\n`);
}

/** A dataset one of whose images is missing: every export of it FAILS. */
function writeBrokenDataset(storageRoot: string): void {
  const base = join(storageRoot, "demo-bucket", "broken");
  write(join(base, "images", "present.png"), encodePng(32, 32, [0, 0, 0]));
  const lines = [
    { source: "obs://demo-bucket/broken/images/present.png", id: "broken-1" },
    { source: "obs://demo-bucket/broken/images/missing.png", id: "broken-2" },
  ];
  write(join(base, "demo-broken.manifest"), `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
}

/** Writes every demo dataset into storage. */
export function writeDemo(storageRoot: string): void {
  writeDetectionDataset(storageRoot, {
    count: 220,
    seed: 42,
    dir: "/demo-bucket/detection/",
    manifestName: "demo-detection.manifest",
  });
  writeClassificationDataset(storageRoot);
  writeBrokenDataset(storageRoot);
}
