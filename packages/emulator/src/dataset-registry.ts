// Datasets by project and id. Those that exports create are remembered in
// `state/datasets.json` (project, id, name, manifest, type), written durably,
// so that they survive restarts.
import { existsSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { loadDataset, type Dataset } from "./dataset.js";
import { writeFileDurably } from "./durable-file.js";
import type { Storage } from "./storage.js";

export interface DatasetRegistry {
  get(projectId: string, datasetId: string): Dataset | undefined;
  /** Adds a dataset; with `manifest` (its `/bucket/...` path) it is one an export made, remembered under --state. */
  add(dataset: Dataset, manifest?: string): void;
  all(): Dataset[];
  /** Forgets every dataset an export made (the loaded ones stay). */
  forgetExported(): void;
}

/** A dataset an export made, as `datasets.json` keeps it. */
export type SavedDataset = { projectId: string; id: string; name: string; manifest: string; type: Dataset["type"] };
type Saved = SavedDataset;

const isSavedList = (value: unknown): value is Saved[] =>
  Array.isArray(value) &&
  value.every((d: Partial<Saved> | null) => typeof d?.id === "string" && typeof d.manifest === "string");

/**
 * Reads `file`. Unreadable (empty, not JSON): moved to `.corrupt` with a
 * warning, and the emulator starts without those datasets. A dataset whose
 * manifest is gone or broken is skipped with a warning.
 */
function loadSaved(file: string, storage: Storage, warn: (message: string) => void): [Saved[], Dataset[]] {
  if (!existsSync(file)) return [[], []];
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    saved = undefined;
  }
  if (!isSavedList(saved)) {
    renameSync(file, `${file}.corrupt`);
    warn(`dataset list ${file} is empty or not a list of datasets; moved to ${file}.corrupt`);
    return [[], []];
  }
  const loaded: Dataset[] = [];
  for (const entry of saved) {
    try {
      loaded.push(loadDataset(entry, storage));
    } catch (error) {
      warn(`dataset ${entry.id} made by an export is not loaded: ${(error as Error).message}`);
    }
  }
  return [saved, loaded];
}

export function createDatasetRegistry(
  storage: Storage,
  stateDir?: string,
  warn: (message: string) => void = console.warn,
): DatasetRegistry {
  const datasets = new Map<string, Dataset>();
  const exported = new Set<string>();
  const file = stateDir ? join(stateDir, "datasets.json") : undefined;
  const key = (projectId: string, datasetId: string): string => `${projectId}/${datasetId}`;
  const [saved, loaded] = file ? loadSaved(file, storage, warn) : [[], []];
  for (const dataset of loaded) {
    datasets.set(key(dataset.projectId, dataset.id), dataset);
    exported.add(key(dataset.projectId, dataset.id));
  }
  const persist = (): void => {
    if (file) writeFileDurably(file, JSON.stringify(saved));
  };
  return {
    get: (projectId, datasetId) => datasets.get(key(projectId, datasetId)),
    add(dataset, manifest) {
      datasets.set(key(dataset.projectId, dataset.id), dataset);
      if (!manifest) return;
      exported.add(key(dataset.projectId, dataset.id));
      saved.push({ projectId: dataset.projectId, id: dataset.id, name: dataset.name, manifest, type: dataset.type });
      persist();
    },
    all: () => [...datasets.values()],
    forgetExported() {
      for (const k of exported) datasets.delete(k);
      exported.clear();
      saved.length = 0;
      persist();
    },
  };
}
