// fuzzysort's score of one word against one string, computed without allocating: what
// `fuzzysort.single(word, fuzzysort.prepare(target))` gives (score and indexes), bit for bit,
// for the strings the `/` filter sees, at a fraction of the cost (measured at 150,000 pod
// names: ~4 µs a name through fuzzysort, which prepares a target object with a lowercase copy
// and a code array, materializes a result and sorts its indexes).
//
// This is a transcription of fuzzysort 4.0.2's `single` for a query without whitespace
// (`algorithm`, `algorithm2` and the single-character path, `calculateScore` and
// `normalizeScore`), over the string itself instead of a prepared object. It covers the
// strings fuzzysort does not remap: ASCII without `\`, `"` and a backquote (k8s names, label
// keys and values, images). Any other word or target goes to fuzzysort itself, so results are
// always fuzzysort's. test/views/fuzzyMatch.test.ts compares both on random strings.
import fuzzysort from 'fuzzysort';

/** A word of the `/` text, ready to match many targets. */
export interface FuzzyWord {
  readonly word: string;
  /** Lowercase (what fuzzysort matches). */
  readonly lower: string;
  readonly codes: Int32Array;
  /** ASCII without the characters fuzzysort remaps: the fast path applies. */
  readonly fast: boolean;
}

export function fuzzyWord(word: string): FuzzyWord {
  const fast = isPlain(word);
  const lower = fast ? word.toLowerCase() : word;
  const codes = new Int32Array(lower.length);
  for (let i = 0; i < lower.length; i++) codes[i] = lower.charCodeAt(i);
  return { word, lower, codes, fast };
}

/** ASCII without `\`, `"` or a backquote: fuzzysort's remapChars leaves it as it is. */
export function isPlain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || c === 92 || c === 34 || c === 96) return false;
  }
  return true;
}

/** Indexes of the last match (sorted), valid until the next call. */
export const matched: { indexes: Int32Array; length: number } = { indexes: new Int32Array(64), length: 0 };

// Scratch tables, grown on demand.
let next = new Int32Array(256);
let begs = new Int32Array(256);
let simple = new Int32Array(64);
let strictM = new Int32Array(64);

/** isSubsequence: the word is not a subsequence (so fuzzysort finds no match). */
export const NOT_FOUND = 0;
/** isSubsequence: a subsequence of a plain target (fuzzysort finds a match). */
export const FOUND = 1;
/** isSubsequence: a word or target with characters fuzzysort remaps: ask fuzzyRaw. */
export const UNSURE = 2;

/**
 * Whether `w` is a subsequence of `target` (case-insensitively), the first thing fuzzysort
 * checks, in one pass and without scoring: NOT_FOUND means fuzzysort gives no match, FOUND
 * that it gives one (its score still to be computed), UNSURE that fuzzysort must decide.
 */
export function isSubsequence(w: FuzzyWord, target: string): 0 | 1 | 2 {
  if (!w.fast) return UNSURE;
  const codes = w.codes;
  const n = codes.length;
  if (n === 0) return UNSURE;
  let qi = 0;
  let q = codes[0];
  const len = target.length;
  let i = 0;
  for (; i < len; i++) {
    let c = target.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    else if (c >= 128 || c === 92 || c === 34 || c === 96) return UNSURE; // remapped by fuzzysort
    if (c === q) {
      if (++qi === n) break;
      q = codes[qi];
    }
  }
  if (qi < n) return NOT_FOUND;
  // Found: the rest must be plain too for the fast path to apply.
  for (i++; i < len; i++) {
    const c = target.charCodeAt(i);
    if (c >= 128 || c === 92 || c === 34 || c === 96) return UNSURE;
  }
  return FOUND;
}

/**
 * The longest plain target in which any match of `w` scores at least `threshold`
 * (normalized): a FOUND target that long or shorter needs no scoring to be a match.
 * From fuzzysort's scoring: every term is bounded by the target length L (match positions
 * < L, at most n - 1 gaps, at most L beginnings), so the raw score is at least
 *   -(worst penalty) x max(1000, (L - 24) x 10) - (L - n).
 */
export function longestSureMatch(w: FuzzyWord, threshold: number): number {
  const n = w.codes.length;
  if (!w.fast || n === 0) return 0;
  const t = rawThreshold(threshold);
  let best = 0;
  for (let L = n; L <= 4096; L++) {
    const m = L - 1; // the last position
    let worst: number;
    if (n === 1) worst = 0.2 * m * m;
    else if (n === 2) worst = 2 * m + 11 + 0.2 * m * m;
    else worst = (n - 1) * m + (12 + L - n) * (n - 1) + 0.2 * m * m;
    const bound = -worst * Math.max(1000, (L - 24) * 10) - (L - n);
    if (bound <= t + 1) break;
    best = L;
  }
  return best;
}

const E = Math.E;
/** fuzzysort's normalizeScore. */
export function normalizeScore(value: number): number {
  return value === -Infinity ? 0 : value > 1 ? value : E ** (((-value + 1) ** 0.04307 - 1) * -2);
}

/** fuzzysort's denormalizeScore (the raw score of a normalized one). */
function denormalizeScore(value: number): number {
  return value === 0 ? -Infinity : value > 1 ? value : 1 - Math.pow(Math.log(value) / -2 + 1, 1 / 0.04307);
}

/**
 * `normalizeScore(raw) >= threshold`, mostly without its two powers: far enough from the
 * threshold's raw value (1 unit, where the normalized score moves by ~1e-8 at 0.2, a million
 * times the rounding of either side), comparing raw scores decides the same.
 */
export function scoreAtLeast(raw: number, threshold: number): boolean {
  const t = rawThreshold(threshold);
  if (raw > t + 1) return true;
  if (raw < t - 1) return false;
  return normalizeScore(raw) >= threshold;
}
const RAW_THRESHOLDS = new Map<number, number>();
function rawThreshold(threshold: number): number {
  let t = RAW_THRESHOLDS.get(threshold);
  if (t === undefined) RAW_THRESHOLDS.set(threshold, (t = denormalizeScore(threshold)));
  return t;
}

/** No match (fuzzyRaw). */
export const NO_MATCH = -Infinity;

/**
 * fuzzysort.single(w.word, fuzzysort.prepare(target)).score (0..1), or -1 for no match. The
 * match's indexes (sorted) are in `matched` until the next call.
 */
export function fuzzySingle(w: FuzzyWord, target: string): number {
  const raw = fuzzyRaw(w, target);
  return raw === NO_MATCH ? -1 : normalizeScore(raw);
}

// The target, loaded: lowercase codes (with a sentinel after the end), beginnings.
let lc = new Int32Array(256);

/** fuzzysort's raw score (see fuzzySingle), or NO_MATCH. */
export function fuzzyRaw(w: FuzzyWord, target: string): number {
  if (!target || !w.word) return NO_MATCH;
  if (!w.fast || w.codes.length === 0) return viaFuzzysort(w.word, target);
  const searchCodes = w.codes;
  const searchLen = searchCodes.length;
  const targetLen = target.length;
  if (lc.length < targetLen + 1) {
    lc = new Int32Array(targetLen * 2 + 1);
    next = new Int32Array(targetLen * 2 + 1);
    begs = new Int32Array(targetLen * 2 + 1);
  }
  if (simple.length < searchLen) {
    simple = new Int32Array(searchLen * 2);
    strictM = new Int32Array(searchLen * 2);
  }
  // One pass: lowercase codes, beginnings (fuzzysort's scanBeginnings, makeNextBeginnings and
  // makeBeginnings) and the simple (subsequence) match.
  let searchI = 0;
  let searchCode = searchCodes[0];
  let wasUpper = false;
  let wasAlnum = false;
  let count = 0;
  let fill = 0;
  for (let i = 0; i < targetLen; i++) {
    let code = target.charCodeAt(i);
    if (code >= 128 || code === 92 || code === 34 || code === 96) return viaFuzzysort(w.word, target);
    const upper = code >= 65 && code <= 90;
    const alnum = upper || (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
    if ((upper && !wasUpper) || !wasAlnum || !alnum) {
      begs[count++] = i;
      for (; fill < i; fill++) next[fill] = i;
    }
    wasUpper = upper;
    wasAlnum = alnum;
    if (upper) code += 32;
    lc[i] = code;
    if (code === searchCode && searchI < searchLen) {
      simple[searchI] = i;
      if (++searchI < searchLen) searchCode = searchCodes[searchI];
    }
  }
  if (searchI < searchLen) return NO_MATCH;
  for (; fill < targetLen; fill++) next[fill] = targetLen;
  lc[targetLen] = -1;
  if (searchLen === 2) return algorithm2(searchCodes, targetLen, count);
  if (searchLen === 1) return single1(searchCodes[0], targetLen, count);
  return algorithm(searchCodes, targetLen, count);
}

/** First index >= from where the word starts in the loaded target, or -1 (String indexOf). */
function indexOfWord(codes: Int32Array, targetLen: number, from: number): number {
  const n = codes.length;
  const c0 = codes[0];
  for (let i = from, last = targetLen - n; i <= last; i++) {
    if (lc[i] !== c0) continue;
    let s = 1;
    while (s < n && lc[i + s] === codes[s]) s++;
    if (s === n) return i;
  }
  return -1;
}

/** One character: the first beginning holding it, else its first occurrence. */
function single1(code: number, targetLen: number, beginningLen: number): number {
  let matchI = simple[0];
  let strict = false;
  for (let b = 0; b < beginningLen; b++) {
    const i = begs[b];
    if (lc[i] === code) {
      matchI = i;
      strict = true;
      break;
    }
  }
  let resultScore = matchI === 0 ? 0 : -matchI * matchI * 0.2;
  if (!strict) resultScore *= 1000;
  else if (beginningLen > 24) resultScore *= (beginningLen - 24) * 10;
  matched.indexes[0] = matchI;
  matched.length = 1;
  return resultScore - (targetLen - 1);
}

function lowerBound(values: Int32Array, start: number, end: number, value: number): number {
  while (start < end) {
    const middle = (start + end) >> 1;
    if (values[middle] < value) start = middle + 1;
    else end = middle;
  }
  return start;
}

function isBeginning(values: Int32Array, start: number, end: number, index: number): boolean {
  const found = lowerBound(values, start, end, index);
  return found < end && values[found] === index;
}

function algorithm2(codes: Int32Array, targetLen: number, end: number): number {
  const firstCode = codes[0];
  const secondCode = codes[1];
  let first = simple[0];
  let second = simple[1];
  const start = 0;
  let substringI = indexOfWord(codes, targetLen, first);
  const substring = substringI !== -1;
  let low = lowerBound(begs, start, end, substringI);
  let substringStart = substring && low < end && begs[low] === substringI;
  let strict = substringStart && substringI === first;

  if (!strict) {
    let firstBeginning = start;
    while (firstBeginning < end && begs[firstBeginning] < first) firstBeginning++;
    for (let backtracks = 0; firstBeginning < end; ) {
      const strictFirst = begs[firstBeginning];
      if (lc[strictFirst] !== firstCode) {
        firstBeginning++;
        continue;
      }
      const consecutive = strictFirst + 1;
      if (lc[consecutive] === secondCode) {
        first = strictFirst;
        second = consecutive;
        strict = true;
        break;
      }
      let secondBeginning = firstBeginning + 1;
      while (secondBeginning < end && begs[secondBeginning] <= consecutive) secondBeginning++;
      while (secondBeginning < end && lc[begs[secondBeginning]] !== secondCode) secondBeginning++;
      if (secondBeginning < end) {
        first = strictFirst;
        second = begs[secondBeginning];
        strict = true;
        break;
      }
      if (++backtracks > 200) break;
      firstBeginning++;
    }
  }

  if (substring && !substringStart) {
    while (low < end && begs[low] <= substringI) low++;
    for (; low < end; low++) {
      const index = begs[low];
      if (lc[index] === firstCode && lc[index + 1] === secondCode) {
        substringI = index;
        substringStart = true;
        break;
      }
    }
  }

  if (substring && (!strict || substringStart)) {
    first = substringI;
    second = substringI + 1;
  }

  let resultScore = second - first === 1 ? 0 : first - second * 2 - 11;
  if (first) resultScore -= first * first * 0.2;
  if (!strict) resultScore *= 1000;
  else if (end - start > 24) resultScore *= (end - start - 24) * 10;

  const lengthPenalty = (targetLen - 2) / 2;
  resultScore -= lengthPenalty;
  if (substring) resultScore /= 5;
  if (substringStart) resultScore /= 5;
  resultScore -= lengthPenalty;
  const substringEnd = substring && second === first + 1 && (second + 1 === targetLen || isBeginning(begs, start, end, second + 1));
  matched.indexes[0] = first;
  matched.indexes[1] = second;
  matched.length = 2;
  return substringEnd ? resultScore + Math.min(4, -resultScore / 2) : resultScore;
}

function algorithm(searchCodes: Int32Array, targetLen: number, beginningLen: number): number {
  const searchLen = searchCodes.length;
  let searchI = 0;
  let strict = false;
  let strictLen = 0;

  let substringI = indexOfWord(searchCodes, targetLen, simple[0]);
  const isSubstring = substringI !== -1;
  let substringStart = isSubstring && (substringI === 0 || next[substringI - 1] === substringI);

  if (substringStart && substringI === simple[0]) strict = true;
  else {
    let targetI = simple[0] === 0 ? 0 : next[simple[0] - 1];
    let backtracks = 0;
    if (targetI !== targetLen)
      for (;;) {
        if (targetI >= targetLen) {
          if (searchI <= 0 || ++backtracks > 200) break;
          searchI--;
          const previous = strictM[--strictLen];
          targetI = next[previous];
        } else if (searchCodes[searchI] === lc[targetI]) {
          strictM[strictLen++] = targetI;
          if (++searchI === searchLen) {
            strict = true;
            break;
          }
          targetI++;
        } else targetI = next[targetI];
      }
  }

  if (isSubstring && !substringStart) {
    for (let i = 0; i < targetLen; i = next[i]) {
      if (i <= substringI) continue;
      let s = 0;
      for (; s < searchLen && searchCodes[s] === lc[i + s]; s++);
      if (s === searchLen) {
        substringI = i;
        substringStart = true;
        break;
      }
    }
  }

  let matches: Int32Array;
  if (!strict) {
    if (isSubstring) for (let i = 0; i < searchLen; i++) simple[i] = substringI + i;
    matches = simple;
  } else if (substringStart) {
    for (let i = 0; i < searchLen; i++) simple[i] = substringI + i;
    matches = simple;
  } else matches = strictM;

  const matchEnd = matches[searchLen - 1] + 1;
  const substringEnd = isSubstring && matchEnd - matches[0] === searchLen && (matchEnd === targetLen || next[matchEnd - 1] === matchEnd);
  if (matched.indexes.length < searchLen) matched.indexes = new Int32Array(searchLen * 2);
  for (let i = 0; i < searchLen; i++) matched.indexes[i] = matches[i];
  matched.length = searchLen;
  return calculateScore(matches, searchLen, targetLen, strict, beginningLen, isSubstring, substringStart, substringEnd);
}

function calculateScore(matches: Int32Array, searchLen: number, targetLen: number, strict: boolean, beginningLen: number, substring: boolean, substringStart: boolean, substringEnd: boolean): number {
  let score = 0;
  let groups = 0;
  for (let i = 1; i < searchLen; i++)
    if (matches[i] - matches[i - 1] !== 1) {
      score -= matches[i];
      groups++;
    }
  const unmatchedDistance = matches[searchLen - 1] - matches[0] - (searchLen - 1);
  score -= (12 + unmatchedDistance) * groups;
  if (matches[0] !== 0) score -= matches[0] * matches[0] * 0.2;
  if (!strict) score *= 1000;
  else if (beginningLen > 24) score *= (beginningLen - 24) * 10;

  const lengthPenalty = (targetLen - searchLen) / 2;
  score -= lengthPenalty;
  const substringBonus = 1 + searchLen * searchLen;
  if (substring) score /= substringBonus;
  if (substringStart) score /= substringBonus;
  score -= lengthPenalty;
  return substringEnd ? score + Math.min(4, -score / 2) : score;
}

/** The general case: fuzzysort itself (prepared, not cached: a raw string would be kept forever). */
function viaFuzzysort(word: string, target: string): number {
  const r = fuzzysort.single(word, fuzzysort.prepare(target));
  if (!r) return NO_MATCH;
  const ix = r.indexes;
  if (matched.indexes.length < ix.length) matched.indexes = new Int32Array(ix.length * 2);
  for (let i = 0; i < ix.length; i++) matched.indexes[i] = ix[i];
  matched.length = ix.length;
  return (r as unknown as { _score: number })._score;
}
