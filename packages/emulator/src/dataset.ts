// Datasets as the emulator keeps them: a ModelArts manifest (JSON Lines) in
// storage, one sample per line. Beyond the manifest's own keys, a line may
// carry what the search conditions need (see README "Dataset files").
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import type { DatasetType, LabelType } from "@modelarts-export/types";
import type { Storage } from "./storage.js";
import { parseVoc, type VocAnnotation } from "./voc.js";

export interface Label {
  name: string;
  type: LabelType;
  properties: Record<string, string>;
  confidence?: number;
  annotatedBy?: string;
  creationTime?: string;
}

export interface Sample {
  id: string;
  /** The manifest line as read (kept as text: far smaller than the parsed object), for manifest exports. */
  line: string;
  source: string;
  /** Host path of the sample file. */
  file: string;
  /** `/bucket/dir/` of the sample, for `sample_dir`. */
  dir: string;
  name: string;
  usage: string | undefined;
  hard: boolean;
  hardCoefficient: number | undefined;
  /** `sample_state` of the line; labelled samples without one count as accepted. */
  state: string;
  labeler: string | undefined;
  importOrigin: string | undefined;
  parentSampleId: string | undefined;
  score: number | undefined;
  /** `yyyyMMdd` the sample was added (the line's `sample_time`, else the file's mtime). */
  sampleTime: string;
  metadata: Record<string, string>;
  /** Labels written in the manifest (classification and the like). */
  manifestLabels: Label[];
  /** Host path of the PASCAL VOC file of a detection sample. */
  vocFile: string | undefined;
  labelled: boolean;
}

export interface Dataset {
  projectId: string;
  id: string;
  name: string;
  type: DatasetType;
  samples: Sample[];
}

const ANNOTATION_TYPES: Record<string, LabelType> = {
  "modelarts/image_classification": 0,
  "modelarts/object_detection": 1,
  "modelarts/image_segmentation": 3,
  "modelarts/text_classification": 100,
  "modelarts/text_entity": 101,
  "modelarts/text_triplet": 102,
  "modelarts/audio_classification": 200,
  "modelarts/audio_content": 201,
  "modelarts/audio_segmentation": 202,
};

export const DATASET_TYPE_NAMES: Record<string, DatasetType> = {
  image_classification: 0,
  object_detection: 1,
  image_segmentation: 3,
  text_classification: 100,
  named_entity: 101,
  text_triplet: 102,
  sound_classification: 200,
  speech_content: 201,
  speech_segmentation: 202,
  table: 400,
  video: 600,
  free_format: 900,
};

const str = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
const num = (value: unknown): number | undefined => {
  const n = typeof value === "number" ? value : typeof value === "string" && value !== "" ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const stringMap = (value: unknown): Record<string, string> =>
  typeof value === "object" && value !== null
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]))
    : {};
// Readers meet both spellings of these keys.
const either = (entry: Record<string, unknown>, dashed: string): unknown =>
  entry[dashed] ?? entry[dashed.replace(/-/g, "_")];

function yyyymmdd(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, "");
}

function parseLine(lineText: string, line: Record<string, unknown>, where: string, storage: Storage): Sample {
  const source = str(line.source);
  if (!source) throw new Error(`${where}: "source" is required`);
  const file = storage.resolveUri(source);
  const obsPath = storage.toObsPath(file);
  const annotations = (Array.isArray(line.annotation) ? line.annotation : []) as Record<string, unknown>[];
  const manifestLabels: Label[] = [];
  let vocFile: string | undefined;
  for (const entry of annotations) {
    const type = ANNOTATION_TYPES[str(entry.type) ?? ""];
    if (type === undefined) throw new Error(`${where}: unknown annotation type ${JSON.stringify(entry.type)}`);
    const loc = str(either(entry, "annotation-loc"));
    if (loc) vocFile = storage.resolveUri(loc);
    const name = str(entry.name);
    if (name !== undefined) {
      const confidence = num(entry.confidence);
      const annotatedBy = str(either(entry, "annotated-by"));
      const creationTime = str(either(entry, "creation-time"));
      manifestLabels.push({
        name,
        type,
        properties: stringMap(entry.property),
        ...(confidence === undefined ? {} : { confidence }),
        ...(annotatedBy === undefined ? {} : { annotatedBy }),
        ...(creationTime === undefined ? {} : { creationTime }),
      });
    }
  }
  const labelled = annotations.length > 0;
  const firstAnnotator = str(either(annotations[0] ?? {}, "annotated-by"));
  const confidences = manifestLabels.map((l) => l.confidence).filter((c): c is number => c !== undefined);
  let sampleTime = str(line.sample_time);
  if (!sampleTime) {
    try {
      sampleTime = yyyymmdd(statSync(file).mtime);
    } catch {
      sampleTime = yyyymmdd(new Date(0));
    }
  }
  return {
    id: str(line.id) ?? obsPath,
    line: lineText,
    source,
    file,
    dir: obsPath.slice(0, obsPath.lastIndexOf("/") + 1),
    name: basename(file),
    usage: str(line.usage),
    hard: line.hard === true || line.hard === "true",
    hardCoefficient: num(either(line, "hard-coefficient")),
    state: str(line.sample_state) ?? (labelled ? "__ACCEPTED__" : "__NONE__"),
    labeler: str(line.labeler) ?? firstAnnotator,
    importOrigin: str(line.import_origin),
    parentSampleId: str(line.parent_sample_id),
    score: num(line.score) ?? (confidences.length ? Math.max(...confidences) : undefined),
    sampleTime,
    metadata: stringMap(line.metadata),
    manifestLabels,
    vocFile,
    labelled,
  };
}

/** Reads a manifest from storage. Throws with the line number on bad input. */
export function loadDataset(
  options: { projectId: string; id: string; name?: string; manifest: string; type?: DatasetType },
  storage: Storage,
): Dataset {
  const host = storage.resolve(options.manifest);
  const text = readFileSync(host, "utf8");
  const samples: Sample[] = [];
  const seen = new Set<string>();
  text.split("\n").forEach((lineText, index) => {
    if (lineText.trim() === "") return;
    const where = `${options.manifest}:${index + 1}`;
    let line: unknown;
    try {
      line = JSON.parse(lineText);
    } catch (error) {
      throw new Error(`${where}: not JSON (${(error as Error).message})`);
    }
    const sample = parseLine(lineText, line as Record<string, unknown>, where, storage);
    if (seen.has(sample.id)) throw new Error(`${where}: duplicate sample id ${sample.id}`);
    seen.add(sample.id);
    samples.push(sample);
  });
  return {
    projectId: options.projectId,
    id: options.id,
    name: options.name ?? options.id,
    type: options.type ?? inferType(samples),
    samples,
  };
}

function inferType(samples: Sample[]): DatasetType {
  for (const sample of samples) {
    if (sample.vocFile) return 1;
    const label = sample.manifestLabels[0];
    if (label) return label.type === 103 ? 102 : (label.type as DatasetType);
  }
  return 0;
}

/** The PASCAL VOC annotation of a detection sample, read when needed. */
export function readVoc(sample: Sample): VocAnnotation | undefined {
  return sample.vocFile ? parseVoc(readFileSync(sample.vocFile, "utf8"), sample.vocFile) : undefined;
}

/** Every label of a sample: the manifest's, or the objects of its VOC file. */
export function labelsOf(sample: Sample, voc = readVoc(sample)): Label[] {
  if (!voc) return sample.manifestLabels;
  return voc.objects.map((o) => ({ name: o.name, type: 1, properties: o.properties }));
}
