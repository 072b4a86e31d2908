// Train/validation split. With `ratio_sample_usage` the selected samples are
// ordered by a seeded hash of their id and the first round(n * ratio) train:
// the same dataset and selection always split the same way, and the count is
// exact. Without it, samples keep the usage their manifest line gives them.
import { createHash } from "node:crypto";
import type { Sample } from "./dataset.js";

export type Usage = "TRAIN" | "EVAL";

const rank = (seed: string, id: string): string =>
  createHash("sha1").update(seed).update("\0").update(id).digest("hex");

export function splitSamples(
  samples: Sample[],
  options: { ratio: number; random: boolean; seed: string },
): Map<string, Usage> {
  const usage = new Map<string, Usage>();
  if (options.random) {
    const ordered = samples
      .map((s) => ({ id: s.id, key: rank(options.seed, s.id) }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    const train = Math.round(samples.length * options.ratio);
    ordered.forEach(({ id }, index) => usage.set(id, index < train ? "TRAIN" : "EVAL"));
  } else {
    for (const s of samples) usage.set(s.id, s.usage === "EVAL" ? "EVAL" : "TRAIN");
  }
  return usage;
}
