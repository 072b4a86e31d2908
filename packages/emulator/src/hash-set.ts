// A set that remembers a 31-bit hash of each text instead of the text: a few
// bytes per entry (small integers need no allocation), so that passes over
// large datasets keep memory flat. `has` can answer yes for a text never
// added (about n / 2^31 of the time); callers treat a yes as "perhaps".

/** FNV-1a over UTF-16 code units, folded to a small integer. */
export function hash31(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash & 0x7fffffff;
}

export interface HashSet {
  /** False when `text` was surely never added; true when it perhaps was. */
  has(text: string): boolean;
  add(text: string): void;
}

export function createHashSet(): HashSet {
  const hashes = new Set<number>();
  return {
    has: (text) => hashes.has(hash31(text)),
    add: (text) => void hashes.add(hash31(text)),
  };
}
