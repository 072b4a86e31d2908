// A Bloom filter over texts: a fixed 1 MiB of bits, whatever the number of
// texts, so that passes over large datasets keep memory flat. `has` can
// answer yes for a text never added; callers treat a yes as "perhaps" and
// check it another way. After 100,000 texts about 1 text in 10,000 gets a
// false yes; after a million, 1 in 40; past a few million nearly all do.

/** FNV-1a over UTF-16 code units, folded to a small integer. */
export function hash31(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash & 0x7fffffff;
}

export interface BloomFilter {
  /** False when `text` was surely never added; true when it perhaps was. */
  has(text: string): boolean;
  add(text: string): void;
}

const BITS_LOG2 = 23;
const MASK = (1 << BITS_LOG2) - 1;

export function createBloomFilter(): BloomFilter {
  const words = new Int32Array(1 << (BITS_LOG2 - 5));
  // Three bit positions from one hash: texts whose hashes are equal share
  // them all (tests rely on that to make a false yes).
  const bit = (position: number): boolean => ((words[position >>> 5] as number) & (1 << (position & 31))) !== 0;
  const set = (position: number): void => {
    words[position >>> 5] = (words[position >>> 5] as number) | (1 << (position & 31));
  };
  const second = (hash: number): number => Math.imul(hash, 0x9e3779b1) >>> (32 - BITS_LOG2);
  const third = (hash: number): number => Math.imul(hash ^ (hash >>> 15), 0x85ebca6b) >>> (32 - BITS_LOG2);
  return {
    has(text) {
      const hash = hash31(text);
      return bit(hash & MASK) && bit(second(hash)) && bit(third(hash));
    },
    add(text) {
      const hash = hash31(text);
      set(hash & MASK);
      set(second(hash));
      set(third(hash));
    },
  };
}
