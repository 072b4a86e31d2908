// Train/validation split. With `ratio_sample_usage` the selected samples are
// ordered by a seeded hash of their id and the first round(n * ratio) train:
// the same dataset and selection always split the same way, and the count is
// exact. Without it, samples keep the usage their manifest line gives them.
// Exports stream their samples twice: the first pass ranks (8 bytes per
// selected sample), the second asks each sample's usage.
import { createHash } from "node:crypto";
import type { Sample } from "./dataset.js";

export type Usage = "TRAIN" | "EVAL";

/** The first 52 bits of a seeded SHA-1 of the id: exact as a double, ordered as the hex digest is. */
const rank = (seed: string, id: string): number =>
  parseInt(createHash("sha1").update(seed).update("\0").update(id).digest("hex").slice(0, 13), 16);

export interface Splitter {
  /** Whether `add` must see every selected sample before `usageOf` is asked. */
  ranked: boolean;
  /** First pass: a selected sample. */
  add(sample: Sample): void;
  /** Second pass: the usage of a selected sample. */
  usageOf(sample: Sample): Usage;
}

export function createSplitter(options: { ratio: number; random: boolean; seed: string }): Splitter {
  if (!options.random) {
    return { ranked: false, add() {}, usageOf: (sample) => (sample.usage === "EVAL" ? "EVAL" : "TRAIN") };
  }
  let ranks = new Float64Array(1024);
  let count = 0;
  let threshold: number | undefined;
  return {
    ranked: true,
    add(sample) {
      if (count === ranks.length) {
        const grown = new Float64Array(ranks.length * 2);
        grown.set(ranks);
        ranks = grown;
      }
      ranks[count++] = rank(options.seed, sample.id);
    },
    usageOf(sample) {
      if (threshold === undefined) {
        // The first round(n * ratio) ranks train: those below the rank of the first that does not.
        const sorted = ranks.subarray(0, count).sort();
        const train = Math.round(count * options.ratio);
        threshold = train >= count ? Infinity : (sorted[train] as number);
        ranks = new Float64Array(0);
      }
      return rank(options.seed, sample.id) < threshold ? "TRAIN" : "EVAL";
    },
  };
}
