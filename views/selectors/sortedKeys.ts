// Store keys in kubectl's order (namespace, then name), and a sorted list of them that takes
// one key in or out in O(log n + chunk) without copying or moving the whole list.

/**
 * Order of "namespace/name" keys: by namespace, then name (kubectl's order); a key without a
 * "/" has namespace "". Compared in place, code unit by code unit as `<` compares strings:
 * slicing out the two parts made four strings a comparison, ~2 KB for each pod key a sorted
 * list took in or looked up under churn (a binary search is ~17 comparisons at 150,000 pods).
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a.indexOf('/');
  const ib = b.indexOf('/');
  const nsA = ia < 0 ? 0 : ia;
  const nsB = ib < 0 ? 0 : ib;
  const byNamespace = compareRanges(a, 0, nsA, b, 0, nsB);
  return byNamespace !== 0 ? byNamespace : compareRanges(a, ia + 1, a.length, b, ib + 1, b.length);
}

/** a[fromA, toA) against b[fromB, toB), as `<` compares the two substrings. */
function compareRanges(a: string, fromA: number, toA: number, b: string, fromB: number, toB: number): number {
  const lenA = toA - fromA;
  const lenB = toB - fromB;
  const n = lenA < lenB ? lenA : lenB;
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(fromA + i) - b.charCodeAt(fromB + i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return lenA === lenB ? 0 : lenA < lenB ? -1 : 1;
}

/** Keys per chunk: a new list is cut into chunks of this size; one grows to twice it before it splits. */
export const CHUNK_KEYS = 1024;

/**
 * A sorted list of distinct keys held in chunks. A splice in one array of 150,000 keys moves
 * all the keys after it, and V8 records every moved slot for its GC (~0.3 ms each; at 800
 * adds and deletes a second, an eighth of a core): here it moves at most one chunk.
 */
export class SortedChunks {
  private chunks: string[][] = [];

  constructor(
    sorted: readonly string[] = [],
    private readonly compare: (a: string, b: string) => number = compareKeys,
  ) {
    for (let i = 0; i < sorted.length; i += CHUNK_KEYS) this.chunks.push(sorted.slice(i, i + CHUNK_KEYS));
  }

  /** Adds `key` in order; false when it is there already. */
  add(key: string): boolean {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      return true;
    }
    // Past the last key: it goes at the end of the last chunk.
    const found = this.chunkFor(key);
    const c = found < 0 ? this.chunks.length - 1 : found;
    const chunk = this.chunks[c]!;
    const i = lowerBound(chunk, key, this.compare);
    if (chunk[i] === key) return false;
    chunk.splice(i, 0, key);
    if (chunk.length >= 2 * CHUNK_KEYS) this.chunks.splice(c + 1, 0, chunk.splice(CHUNK_KEYS));
    return true;
  }

  /** Removes `key`; false when it was not there. */
  delete(key: string): boolean {
    const c = this.chunkFor(key);
    if (c < 0) return false;
    const chunk = this.chunks[c]!;
    const i = lowerBound(chunk, key, this.compare);
    if (chunk[i] !== key) return false;
    chunk.splice(i, 1);
    if (chunk.length === 0) this.chunks.splice(c, 1);
    return true;
  }

  /** All keys in order, as one new array. */
  toArray(): string[] {
    return ([] as string[]).concat(...this.chunks);
  }

  /** The first chunk whose last key is not before `key`, or -1 when all are before it. */
  private chunkFor(key: string): number {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const last = chunks[mid]!;
      if (this.compare(last[last.length - 1]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo < chunks.length ? lo : -1;
  }
}

/** The first index whose key is not before `key`. */
function lowerBound(keys: readonly string[], key: string, compare: (a: string, b: string) => number = compareKeys): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(keys[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
