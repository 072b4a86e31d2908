// Which samples an export takes: `export_type`, `sample_state`, `samples`
// and `search_conditions` (ORed; the fields of one condition ANDed), read
// from the request's top level or its `export_params`.
import type { ExportTaskRequest, SearchCondition, SearchLabel } from "@modelarts-export/types";
import { labelsOf, type Label, type Sample } from "./dataset.js";
import { errors } from "./errors.js";

const DAY = 86_400_000;

const toDate = (yyyymmdd: string): number =>
  Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8)));

/** `month`, `day` or `yyyyMMdd-yyyyMMdd` (at most 30 days) as a day range. */
export function sampleTimeRange(value: string, now: number): [number, number] {
  const today = Math.floor(now / DAY) * DAY;
  if (value === "month") return [today - 30 * DAY, today];
  if (value === "day") return [today - DAY, today];
  const [from = "", to = ""] = value.split("-");
  const start = toDate(from);
  const end = toDate(to);
  const valid = (s: string, t: number): boolean =>
    Number.isFinite(t) && new Date(t).toISOString().slice(0, 10).replace(/-/g, "") === s;
  if (!valid(from, start) || !valid(to, end))
    throw errors.invalidExportParameter(`sample_time ${value} is not a real date range`);
  if (end < start) throw errors.invalidExportParameter(`sample_time ${value} ends before it starts`);
  if ((end - start) / DAY + 1 > 30) throw errors.invalidExportParameter(`sample_time ${value} spans more than 30 days`);
  return [start, end];
}

/** `"0.5"` means at least 0.5; `"0.2-0.8"` a closed range. */
function inRange(value: number | undefined, filter: string, field: string): boolean {
  const [low, high] = filter.split("-").map(Number);
  if (low === undefined || !Number.isFinite(low) || (high !== undefined && !Number.isFinite(high))) {
    throw errors.invalidExportParameter(`${field} must be a number or a range "min-max", got "${filter}"`);
  }
  if (value === undefined) return false;
  return value >= low && (high === undefined || value <= high);
}

function matchesProperties(
  properties: Record<string, string>,
  wanted: Record<string, string[] | null>,
  op: "AND" | "OR",
): boolean {
  const checks = Object.entries(wanted).map(([key, values]) =>
    values === null ? key in properties : key in properties && values.includes(properties[key] as string),
  );
  if (checks.length === 0) return true;
  return op === "AND" ? checks.every(Boolean) : checks.some(Boolean);
}

function matchesLabel(labels: Label[], wanted: SearchLabel): boolean {
  return labels.some(
    (label) =>
      (wanted.name === undefined || label.name === wanted.name) &&
      (wanted.type === undefined || label.type === wanted.type) &&
      matchesProperties(label.properties, wanted.property ?? {}, wanted.op ?? "AND"),
  );
}

// DICOM and video fields are matched against the sample's metadata.
const METADATA_FIELDS = ["kvp", "slice_thickness", "study_date", "time_in_video", "frame_in_video"] as const;

/**
 * Checks what the schema cannot say about the conditions, once per export,
 * and returns each condition's `sample_time` day range.
 */
export function checkConditions(conditions: SearchCondition[], now: number): ([number, number] | undefined)[] {
  return conditions.map((c) => {
    if ((c.label_list?.labels?.length ?? 0) > 1 && c.label_list?.op === undefined) {
      throw errors.invalidExportParameter(
        "export_params.search_conditions[].label_list.op is required when more than one label is searched",
      );
    }
    return c.sample_time === undefined ? undefined : sampleTimeRange(c.sample_time, now);
  });
}

/** Whether a sample matches one condition; `timeRange` is its checked `sample_time`. */
function matchesCondition(
  sample: Sample,
  condition: SearchCondition,
  timeRange: [number, number] | undefined,
): boolean {
  const c = condition;
  if (c.sample_name !== undefined && sample.name !== c.sample_name) return false;
  if (c.sample_dir !== undefined && sample.dir !== c.sample_dir) return false;
  if (c.hard !== undefined && sample.hard !== (c.hard === "1")) return false;
  if (c.labeler !== undefined && sample.labeler !== c.labeler) return false;
  if (c.import_origin !== undefined && sample.importOrigin !== c.import_origin) return false;
  if (c.parent_sample_id !== undefined && sample.parentSampleId !== c.parent_sample_id) return false;
  if (c.score !== undefined && !inRange(sample.score, c.score, "score")) return false;
  if (c.coefficient !== undefined && !inRange(sample.hardCoefficient, c.coefficient, "coefficient")) return false;
  for (const field of METADATA_FIELDS) {
    const wanted = c[field];
    if (wanted !== undefined && sample.metadata[field] !== String(wanted)) return false;
  }
  if (timeRange) {
    const [start, end] = timeRange;
    const added = toDate(sample.sampleTime);
    if (!(added >= start && added <= end)) return false;
  }
  if (
    c.metadata?.props !== undefined &&
    !matchesProperties(sample.metadata, c.metadata.props, c.metadata.op ?? "AND")
  ) {
    return false;
  }
  const labelSearch = c.label_list?.labels ?? [];
  if (labelSearch.length > 0) {
    const labels = labelsOf(sample);
    const hits = labelSearch.map((wanted) => matchesLabel(labels, wanted));
    if (!(c.label_list?.op === "AND" ? hits.every(Boolean) : hits.some(Boolean))) return false;
  }
  return true;
}

function matchesState(sample: Sample, state: string | undefined): boolean {
  if (state === undefined || state === "") return true;
  if (state === "__ALL__") return sample.labelled;
  if (state === "__NONE__") return !sample.labelled;
  return sample.state === state;
}

export interface SampleFilter {
  (sample: Sample): boolean;
  /** True when every sample passes, so that nothing needs to be read to count them. */
  all: boolean;
}

/** Whether an export request selects a sample. Checks the conditions at once. */
export function createSampleFilter(request: ExportTaskRequest, now = Date.now()): SampleFilter {
  const params = request.export_params ?? {};
  const exportType = request.export_type ?? 2;
  const state = params.sample_state ?? request.sample_state;
  const ids = params.samples ? new Set(params.samples) : undefined;
  const conditions = params.search_conditions ?? [];
  // Checked once, even when no sample reaches a condition.
  const timeRanges = checkConditions(conditions, now);
  const all =
    exportType !== 0 &&
    exportType !== 1 &&
    (state === undefined || state === "") &&
    ids === undefined &&
    (exportType !== 3 || conditions.length === 0);
  const filter = (sample: Sample): boolean => {
    if (exportType === 0 && !sample.labelled) return false;
    if (exportType === 1 && sample.labelled) return false;
    if (!matchesState(sample, state)) return false;
    if (ids && !ids.has(sample.id)) return false;
    // export_type 3 without conditions (as the reference examples send it) keeps every sample.
    if (exportType === 3 && conditions.length > 0)
      return conditions.some((c, i) => matchesCondition(sample, c, timeRanges[i]));
    return true;
  };
  return Object.assign(filter, { all });
}
