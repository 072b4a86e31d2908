// Datasets as the emulator keeps them: a ModelArts manifest (JSON Lines) in
// storage, one sample per line. Beyond the manifest's own keys, a line may
// carry what the search conditions need (see README "Dataset files"). Only
// the manifest's place is kept in memory: every export reads it again, a
// line at a time, so memory does not grow with the dataset.
import { closeSync, constants, openSync, readFileSync, readSync, statSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import type { DatasetType, LabelType } from "@modelarts-export/types";
import { createBloomFilter } from "./bloom-filter.js";
import type { PixelSize } from "./image-size.js";
import { OutsideStorageError, type Storage } from "./storage.js";
import { parseVoc, type VocAnnotation, type VocBoxes } from "./voc.js";

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
  /** The VOC file parsed, when an export has read it ahead. */
  voc?: VocAnnotation | undefined;
  /** Only the VOC file's boxes, when an export that needs no more has read them ahead. */
  boxes?: VocBoxes | undefined;
  /** The image's pixel size, when an export that needs it has read it ahead. */
  pixelSize?: PixelSize | undefined;
  labelled: boolean;
}

export interface Dataset {
  projectId: string;
  id: string;
  name: string;
  type: DatasetType;
  /** Host path of the manifest. */
  manifest: string;
  /** `/bucket/path/file.manifest`, for messages. */
  manifestPath: string;
  sampleCount: number;
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
const NO_STRINGS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const stringMap = (value: unknown): Record<string, string> => {
  if (typeof value !== "object" || value === null) return NO_STRINGS;
  // Usually every value is a string already: keep the parsed object.
  const entries = Object.entries(value);
  if (entries.every(([, v]) => typeof v === "string")) return value as Record<string, string>;
  return Object.fromEntries(entries.map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]));
};
// Readers meet both spellings of these keys: "annotation-loc" and "annotation_loc".
type DashedKey = "annotation-loc" | "annotated-by" | "creation-time" | "hard-coefficient";
const UNDERSCORED: Record<DashedKey, string> = {
  "annotation-loc": "annotation_loc",
  "annotated-by": "annotated_by",
  "creation-time": "creation_time",
  "hard-coefficient": "hard_coefficient",
};
const either = (entry: Record<string, unknown>, dashed: DashedKey): unknown =>
  entry[dashed] ?? entry[UNDERSCORED[dashed]];

function yyyymmdd(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, "");
}

function parseLine(lineText: string, where: string, storage: Storage): Sample {
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(lineText) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${where}: not JSON (${(error as Error).message})`);
  }
  const source = str(line.source);
  if (!source) throw new Error(`${where}: "source" is required`);
  const file = storage.resolveUri(source);
  const obsPath = storage.toObsPath(file);
  const slash = obsPath.lastIndexOf("/");
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
  let bestConfidence: number | undefined;
  for (const label of manifestLabels)
    if (label.confidence !== undefined && (bestConfidence === undefined || label.confidence > bestConfidence))
      bestConfidence = label.confidence;
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
    dir: obsPath.slice(0, slash + 1),
    name: obsPath.slice(slash + 1),
    usage: str(line.usage),
    hard: line.hard === true || line.hard === "true",
    hardCoefficient: num(either(line, "hard-coefficient")),
    state: str(line.sample_state) ?? (labelled ? "__ACCEPTED__" : "__NONE__"),
    labeler: str(line.labeler) ?? firstAnnotator,
    importOrigin: str(line.import_origin),
    parentSampleId: str(line.parent_sample_id),
    score: num(line.score) ?? bestConfidence,
    sampleTime,
    metadata: stringMap(line.metadata),
    manifestLabels,
    vocFile,
    labelled,
    // Filled by exports: present from the start, so that every sample keeps one shape.
    voc: undefined,
    boxes: undefined,
    pixelSize: undefined,
  };
}

/**
 * Opens a file for reading, refusing a symbolic link (which could lead
 * outside the storage) as its last part. The folders above it are the
 * caller's to check (`Storage.checkFolders`).
 */
export function openNoFollow(path: string): number {
  try {
    return openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP")
      throw Object.assign(new OutsideStorageError(`${path} is a symbolic link`), { code: "ELOOP", path });
    throw error;
  }
}

/**
 * The samples of a manifest, a line at a time; loading checks each one
 * (`check`, told where it is). Loading and exports run the same code, so
 * that what V8 optimised while the dataset loaded serves its first export.
 */
function* readSamples(
  manifest: string,
  manifestPath: string,
  storage: Storage,
  check?: (sample: Sample, where: string) => void,
): Generator<Sample> {
  const fd = openNoFollow(manifest);
  try {
    const decoder = new StringDecoder("utf8");
    const chunk = Buffer.allocUnsafe(1 << 16);
    let rest = "";
    let lineNumber = 0;
    for (let read = readSync(fd, chunk); ; read = readSync(fd, chunk)) {
      const lines = (rest + (read > 0 ? decoder.write(chunk.subarray(0, read)) : decoder.end())).split("\n");
      rest = read > 0 ? (lines.pop() as string) : "";
      for (const text of lines) {
        lineNumber += 1;
        if (text.trim() === "") continue;
        const where = `${manifestPath}:${lineNumber}`;
        const sample = parseLine(text, where, storage);
        check?.(sample, where);
        yield sample;
      }
      if (read === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The samples of a dataset, from its manifest, read again for every pass of
 * every export. The manifest may have been edited, or folders replaced by
 * symbolic links, since the dataset was loaded: the manifest's own path and
 * the folders of each sample's files are checked again here, and reading
 * threads open the files themselves without following a final link.
 */
export function samplesOf(dataset: Dataset, storage: Storage): Generator<Sample> {
  storage.checkLinks(dataset.manifest);
  const folders = new Set<string>();
  return readSamples(dataset.manifest, dataset.manifestPath, storage, (sample, where) => {
    try {
      storage.checkFolders(sample.file, folders);
      if (sample.vocFile) storage.checkFolders(sample.vocFile, folders);
    } catch (error) {
      throw new OutsideStorageError(`${where}: ${(error as Error).message}`);
    }
  });
}

/** Reads and checks a manifest from storage. Throws with the line number on bad input. */
export function loadDataset(
  options: { projectId: string; id: string; name?: string; manifest: string; type?: DatasetType },
  storage: Storage,
): Dataset {
  const manifest = storage.resolve(options.manifest);
  let type = options.type;
  let sampleCount = 0;
  // Duplicate ids are refused. A Bloom filter keeps memory flat; the ids it
  // has perhaps seen before are checked exactly in a second pass.
  const seen = createBloomFilter();
  const suspects = new Set<string>();
  // Folders found not to be symlinks, each looked at once.
  const folders = new Set<string>();
  const samples = readSamples(manifest, options.manifest, storage, (sample, where) => {
    for (const file of [sample.file, sample.vocFile]) {
      try {
        if (file) storage.checkLinks(file, folders);
      } catch (error) {
        throw new OutsideStorageError(`${where}: ${(error as Error).message}`);
      }
    }
    if (seen.has(sample.id)) suspects.add(sample.id);
    seen.add(sample.id);
  });
  for (const sample of samples) {
    type ??= typeOf(sample);
    sampleCount += 1;
  }
  if (suspects.size > 0) {
    const found = new Set<string>();
    const again = readSamples(manifest, options.manifest, storage, (sample, where) => {
      if (!suspects.has(sample.id)) return;
      if (found.has(sample.id)) throw new Error(`${where}: duplicate sample id ${sample.id}`);
      found.add(sample.id);
    });
    while (!again.next().done);
  }
  return {
    projectId: options.projectId,
    id: options.id,
    name: options.name ?? options.id,
    type: type ?? 0,
    manifest,
    manifestPath: options.manifest,
    sampleCount,
  };
}

/** The dataset type a sample shows, if it shows one. */
function typeOf(sample: Sample): DatasetType | undefined {
  if (sample.vocFile) return 1;
  const label = sample.manifestLabels[0];
  if (label) return label.type === 103 ? 102 : (label.type as DatasetType);
  return undefined;
}

/** The PASCAL VOC annotation of a detection sample, read when needed. */
export function readVoc(sample: Sample): VocAnnotation | undefined {
  if (!sample.vocFile) return undefined;
  if (sample.voc) return sample.voc;
  const fd = openNoFollow(sample.vocFile);
  try {
    return parseVoc(readFileSync(fd, "utf8"), sample.vocFile);
  } finally {
    closeSync(fd);
  }
}

/** Every label of a sample: the manifest's, or the objects of its VOC file. */
export function labelsOf(sample: Sample, voc = readVoc(sample)): Label[] {
  if (!voc) return sample.manifestLabels;
  return voc.objects.map((o) => ({ name: o.name, type: 1, properties: o.properties }));
}
