// The export formats. Each writer takes samples one at a time and streams
// its files into a directory, so memory does not grow with the dataset.
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { dirname, extname, join, sep } from "node:path";
import { labelsOf, readVoc, type Dataset, type Sample } from "./dataset.js";
import type { Usage } from "./split.js";
import { createBloomFilter } from "./bloom-filter.js";
import type { Storage } from "./storage.js";
import type { OutputFiles } from "./threads.js";
import { vocBoxes, writeVoc, type VocAnnotation } from "./voc.js";

export interface ExportContext {
  dataset: Dataset;
  storage: Storage;
  /** Host directory written to (a temporary one, moved into place at the end). */
  out: string;
  /** The OBS directory the output ends up in, `/bucket/dir/`. */
  finalDir: string;
  /** `obs://` or `s3://`, for paths written into annotation files. */
  prefix: string;
  usage: (sample: Sample) => Usage;
  clearHard: boolean;
  /** Classification layout: 1 tree (a folder per label), 2 flat. */
  exportFormat: 1 | 2 | undefined;
  manifestName: string;
  /** Images and per-sample files go through here, written off the server's thread. */
  files: OutputFiles;
}

export interface Writer {
  /**
   * Whether `add` needs only `sample.boxes` of a VOC file, and else the
   * image's `sample.pixelSize` (read ahead for it), rather than `sample.voc`.
   */
  readsBoxes?: boolean;
  /** Whether `add` needs the pixel size of samples without a VOC file (read ahead into `sample.pixelSize`). */
  readsImageSizes?: boolean;
  add(sample: Sample): void;
  end(): void;
}

const stem = (name: string): string => name.slice(0, name.length - extname(name).length);

function ensureDir(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
}

/** Makes the folder of each file once per export, not once per file. */
function folderMaker(): (file: string) => void {
  const made = new Set<string>();
  return (file) => {
    const dir = dirname(file);
    if (made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  };
}

/**
 * Per-sample names for flat layouts, unique by stem: each file an export
 * makes of a sample (`a.png`, `Annotations/a.xml`, `a.txt`, the id `a` in
 * the split files) shares its stem, so `a.jpg` and `a.png`, or `a.jpg` of
 * two folders, must not both keep theirs.
 */
export function flatNames(): (sample: Sample) => string {
  // A Bloom filter of stems, not the stems: memory stays flat. A name whose
  // stem it has perhaps seen is made longer until it surely has not, so
  // stems never collide; a false "perhaps" only gives a sample a longer
  // name than it needed.
  const used = createBloomFilter();
  return (sample) => {
    let name = sample.name;
    let nameStem = stem(name);
    for (let n = 1; used.has(nameStem); n++) {
      name = `${sample.id}_${n === 1 ? "" : `${n}_`}${sample.name}`.replace(/[/\\]/g, "_");
      nameStem = stem(name);
    }
    used.add(nameStem);
    return name;
  };
}

/** A number as JSON writes it (coordinates are finite; a product of two may not be). */
const finite = (n: number): string => (Number.isFinite(n) ? String(n) : "null");

interface Appender {
  write(text: string): void;
  /** Appends a whole file, a chunk at a time. */
  writeFile(file: string): void;
  close(): void;
}

/** Appends to a file without keeping its content in memory. */
function appender(file: string): Appender {
  ensureDir(file);
  const fd = openSync(file, "w");
  let buffer = "";
  const flush = (): void => {
    if (buffer) writeSync(fd, buffer);
    buffer = "";
  };
  return {
    write(text) {
      buffer += text;
      if (buffer.length > 1 << 16) flush();
    },
    writeFile(source) {
      flush();
      const input = openSync(source, "r");
      const chunk = Buffer.allocUnsafe(1 << 16);
      for (let read = readSync(input, chunk); read > 0; read = readSync(input, chunk)) writeSync(fd, chunk, 0, read);
      closeSync(input);
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}

/** A label as a single, harmless folder name. */
const folderName = (label: string): string => {
  const safe = label.replace(/[/\\\0]/g, "_");
  return safe === "." || safe === ".." || safe === "" ? "_" : safe;
};

/** ModelArts manifest (the Default version format): JSON Lines, files copied beside it. */
export function manifestWriter(ctx: ExportContext): Writer {
  const lines = appender(join(ctx.out, ctx.manifestName));
  const uri = (relative: string): string => `${ctx.prefix}${ctx.finalDir.slice(1)}${relative}`;
  const names = flatNames();
  const makeFolder = folderMaker();
  return {
    add(sample) {
      const name = names(sample);
      const data = join(ctx.out, "Data", name);
      makeFolder(data);
      ctx.files.link(sample.file, data);
      const line: Record<string, unknown> = {
        ...(JSON.parse(sample.line) as Record<string, unknown>),
        source: uri(`Data/${name}`),
        usage: ctx.usage(sample),
      };
      if (sample.vocFile) {
        const voc = readVoc(sample);
        const xml = `Annotations/${stem(name)}.xml`;
        if (voc) {
          const file = join(ctx.out, xml);
          makeFolder(file);
          ctx.files.write(file, writeVoc({ ...voc, filename: name }));
        }
        line.annotation = (line.annotation as Record<string, unknown>[]).map((entry) => {
          const { annotation_loc: _legacy, ...rest } = entry;
          return { ...rest, "annotation-loc": uri(xml) };
        });
      }
      if (ctx.clearHard) {
        for (const key of ["hard", "hard-coefficient", "hard_coefficient", "hard-reasons", "hard_reasons"])
          delete line[key];
      }
      lines.write(`${JSON.stringify(line)}\n`);
    },
    end() {
      lines.close();
    },
  };
}

/**
 * A Datumaro label map (`name:color:parts:actions` a line), so that readers
 * take the export's own labels instead of the 20 PASCAL classes. Datumaro's
 * own VOC exports start with `background`; a label the format cannot hold
 * (one with ":" or a line break, one starting with "#", or "background"
 * itself) is left out.
 */
export function labelMap(labels: Iterable<string>): string {
  let text = "# label:color_rgb:parts:actions\nbackground:0,0,0::\n";
  for (const label of labels)
    if (!/[:\r\n]/.test(label) && label.trim() === label && label !== "" && label[0] !== "#" && label !== "background")
      text += `${label}:::\n`;
  return text;
}

/**
 * PASCAL VOC: Annotations/*.xml, JPEGImages/*, ImageSets/Main/{train,val}.txt
 * and labelmap.txt. Every listed id has its image and its XML: samples without
 * annotations (export_type 2) get an XML without objects.
 */
export function vocWriter(ctx: ExportContext): Writer {
  const sets = {
    TRAIN: appender(join(ctx.out, "ImageSets", "Main", "train.txt")),
    EVAL: appender(join(ctx.out, "ImageSets", "Main", "val.txt")),
  };
  const names = flatNames();
  const labels = new Set<string>();
  // Per-sample paths are concatenated: flat names hold no separator, and
  // path.join costs more than the rest of a sample's work.
  const jpegImages = join(ctx.out, "JPEGImages");
  mkdirSync(jpegImages, { recursive: true });
  const annotations = join(ctx.out, "Annotations");
  mkdirSync(annotations, { recursive: true });
  return {
    readsImageSizes: true,
    add(sample) {
      const name = names(sample);
      ctx.files.link(sample.file, `${jpegImages}${sep}${name}`);
      const voc = readVoc(sample) ?? {
        folder: "",
        filename: "",
        width: sample.pixelSize?.width ?? 0,
        height: sample.pixelSize?.height ?? 0,
        depth: 3,
        objects: [],
      };
      for (const object of voc.objects) labels.add(object.name);
      ctx.files.write(
        `${annotations}${sep}${stem(name)}.xml`,
        writeVoc({ ...voc, folder: "JPEGImages", filename: name }),
      );
      sets[ctx.usage(sample)].write(`${stem(name)}\n`);
    },
    end() {
      sets.TRAIN.close();
      sets.EVAL.close();
      writeFileSync(join(ctx.out, "labelmap.txt"), labelMap(labels));
    },
  };
}

/**
 * COCO: annotations/instances_{train,val}.json and images/*. Images and
 * annotations stream into part files, joined when the export ends; samples
 * without objects are still listed as images.
 */
export function cocoWriter(ctx: ExportContext): Writer {
  const categories = new Map<string, number>();
  const names = flatNames();
  const parts = (usage: Usage) => {
    const base = join(ctx.out, "annotations", `.${usage}`);
    return {
      images: appender(`${base}.images`),
      annotations: appender(`${base}.annotations`),
      imageCount: 0,
      annotationCount: 0,
    };
  };
  const splits = { TRAIN: parts("TRAIN"), EVAL: parts("EVAL") };
  let imageId = 0;
  let annotationId = 0;
  const images = join(ctx.out, "images");
  mkdirSync(images, { recursive: true });
  return {
    readsBoxes: true,
    add(sample) {
      const name = names(sample);
      ctx.files.link(sample.file, `${images}${sep}${name}`);
      const boxes = sample.boxes ?? (sample.vocFile ? vocBoxes(readVoc(sample) as VocAnnotation) : undefined);
      const split = splits[ctx.usage(sample)];
      imageId += 1;
      const size = boxes ?? sample.pixelSize ?? { width: 0, height: 0 };
      // Written as text, not objects and JSON.stringify: this is the export's hot loop.
      split.images.write(
        `${split.imageCount++ ? "," : ""}{"id":${imageId},"file_name":${JSON.stringify(name)},"width":${size.width},"height":${size.height}}`,
      );
      const labels = boxes?.names ?? [];
      const corners = boxes?.corners ?? [];
      for (let i = 0; i < labels.length; i++) {
        const label = labels[i] as string;
        let category = categories.get(label);
        if (category === undefined) {
          category = categories.size + 1;
          categories.set(label, category);
        }
        annotationId += 1;
        const xmin = corners[i * 4] as number;
        const ymin = corners[i * 4 + 1] as number;
        const xmax = corners[i * 4 + 2] as number;
        const ymax = corners[i * 4 + 3] as number;
        // The corners as they are, and their differences: how Datumaro (CVAT's
        // engine) reads a VOC box, so that a VOC and a COCO export of one
        // dataset give the same boxes there, and COCO -> VOC -> COCO is lossless.
        const x = xmin;
        const y = ymin;
        const w = xmax - xmin;
        const h = ymax - ymin;
        const x2 = finite(x + w);
        const y2 = finite(y + h);
        split.annotations.write(
          `${split.annotationCount++ ? "," : ""}{"id":${annotationId},"image_id":${imageId},"category_id":${category},"bbox":[${x},${y},${w},${h}],"area":${finite(w * h)},"iscrowd":0,"segmentation":[[${x},${y},${x2},${y},${x2},${y2},${x},${y2}]]}`,
        );
      }
    },
    end() {
      const categoryList = JSON.stringify([...categories].map(([name, id]) => ({ id, name, supercategory: "none" })));
      for (const [usage, split] of Object.entries(splits)) {
        split.images.close();
        split.annotations.close();
        const file = join(ctx.out, "annotations", `instances_${usage === "TRAIN" ? "train" : "val"}.json`);
        const out = appender(file);
        out.write(
          `{"info":${JSON.stringify({ description: `${ctx.dataset.name} (${usage})`, version: "1.0" })},"images":[`,
        );
        out.writeFile(join(ctx.out, "annotations", `.${usage}.images`));
        out.write(`],"annotations":[`);
        out.writeFile(join(ctx.out, "annotations", `.${usage}.annotations`));
        out.write(`],"categories":${categoryList}}`);
        out.close();
        rmSync(join(ctx.out, "annotations", `.${usage}.images`));
        rmSync(join(ctx.out, "annotations", `.${usage}.annotations`));
      }
    },
  };
}

/** Image classification: a folder per label (tree) or each image beside a .txt of its labels (flat). */
export function classificationWriter(ctx: ExportContext): Writer {
  const names = flatNames();
  const makeFolder = folderMaker();
  const put = (from: string, to: string): void => {
    makeFolder(to);
    ctx.files.link(from, to);
  };
  return {
    add(sample) {
      const name = names(sample);
      const labels = labelsOf(sample).map((l) => l.name);
      if (ctx.exportFormat === 1) {
        // Unlabelled samples have no folder of their own: they stay at the top.
        for (const label of labels.length ? labels.map(folderName) : [""]) put(sample.file, join(ctx.out, label, name));
      } else {
        put(sample.file, join(ctx.out, name));
        if (labels.length) ctx.files.write(join(ctx.out, `${stem(name)}.txt`), `${labels.join("\n")}\n`);
      }
    },
    end() {},
  };
}
