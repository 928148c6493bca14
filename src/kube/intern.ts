// Sharing repeated values between lean objects (lean.ts). JSON.parse gives every pod its own
// copy of every string and sub-object, yet the replicas of a workload carry the same labels,
// owner, containers, conditions and container statuses, and pods repeat a few namespaces,
// nodes, phases and timestamps. Lean objects point at one shared copy instead. Store objects
// are never mutated, so sharing is safe.
//
// The tables are bounded and forget what was not used lately: each is two generations, the
// one being filled and the previous one; a value found in the previous one moves to the
// current one, and when the current one is full the previous one is dropped. So the values
// in use (a workload's labels while its pods are listed, or as they change) stay shared,
// and what died is forgotten after at most two generations. (Clearing a full table at once,
// as before, broke every sharing in use at that moment: at 150,000 pods the table filled
// mid-list and values were copied again.)
//
// Values are keyed by a 32-bit hash of their JSON, not by the JSON itself (which made the
// keys the biggest part of the table), and checked for equality on a hit: a collision just
// leaves that one value unshared. The hash is taken walking the value, as if over the text
// JSON.stringify would give, without making that text: every watch event shares a pod's
// labels, owners, containers, conditions and statuses, and their JSON texts were garbage.

/** A bounded two-generation map (see above). */
class Generations<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();
  constructor(private readonly max: number) {}

  get(k: K): V | undefined {
    const v = this.current.get(k);
    if (v !== undefined) return v;
    const old = this.previous.get(k);
    if (old !== undefined) this.set(k, old);
    return old;
  }

  set(k: K, v: V): void {
    if (this.current.size >= this.max) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(k, v);
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}

/**
 * Entries per generation. 150,000 pods over 14,000 ReplicaSets have ~100,000 distinct values
 * (with their parts); those of the workloads being listed or changed stay within two. Under
 * churn, each watch event brings a few values seen once (statuses, timestamps) that fill the
 * current generation: with 50,000, 2,000 events/s pushed a workload's labels and containers
 * out between two of its pods' events, and its pods got copies again (150,000 pods: distinct
 * labels objects 14,337 → 40,565 after 240,000 events); with 100,000 they stayed at 14,337.
 */
export const GENERATION = 100_000;
const strings = new Generations<string, string>(GENERATION);
const values = new Generations<number, unknown>(GENERATION);

/**
 * Whether values not yet known are added to the tables at once. A list brings replicas' values
 * by the thousand; a watch event brings one pod's fresh statuses and timestamps, which mostly
 * repeat nothing. Under 2,000 events/s at 150,000 pods, adding all of those filled a table
 * generation every few seconds, and the values held there lived long enough to move into V8's
 * old generation and bring full GCs. Events are leaned with `lookupOnly`: known values are
 * shared; a new value or string is added only when it comes a second time (a rollout's new
 * labels and containers from its second pod on; the creation time of pods made in the same
 * second). New strings were once never added: under churn every pod made anew then kept its own
 * copy of its creationTimestamp (150,000 pods, 4 minutes at 2,000 events/s: 70,772 copies of
 * 242 values, heap snapshot of the CLI).
 */
let learning = true;
/** Hashes of values and of strings met once under lookupOnly, by slot: lossy, allocate nothing. */
const metOnce = new Int32Array(1 << 16);
const stringsMetOnce = new Int32Array(1 << 12);

/** Run `fn` with sharing that finds known values and adds only those met before (watch events). */
export function lookupOnly<T>(fn: () => T): T {
  learning = false;
  try {
    return fn();
  } finally {
    learning = true;
  }
}

/** One copy of a repeated string. */
export function str<T extends string | undefined>(s: T): T {
  if (typeof s !== 'string') return s;
  const v = strings.get(s);
  if (v !== undefined) return v as T;
  if (!learning) {
    const h = hash(s);
    const slot = h & (stringsMetOnce.length - 1);
    if (stringsMetOnce[slot] !== h) {
      stringsMetOnce[slot] = h;
      return s;
    }
  }
  strings.set(s, s);
  return s;
}

/**
 * One copy of a repeated small JSON-like value (labels, containers, conditions...). A value
 * seen for the first time has its parts shared too: the strings and objects inside repeat
 * across values (images, mount paths, resource profiles, label values). Its parts are
 * replaced in place, each by an equal one: the value is fresh from JSON.parse or a structured
 * clone, and if it is already held somewhere, nothing a reader can see changes.
 */
export function share<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  const h = hashJson(v);
  const old = values.get(h);
  if (old !== undefined) return old !== v && sameJson(old, v) ? (old as T) : v;
  if (!learning) {
    const slot = h & (metOnce.length - 1);
    if (metOnce[slot] !== h) {
      metOnce[slot] = h;
      return shareParts(v);
    }
  }
  values.set(h, v);
  return shareParts(v);
}

/** Replace the parts of a value seen for the first time by shared equal ones, in place. */
function shareParts<T>(v: T): T {
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (typeof x === 'string') o[k] = str(x);
    else if (typeof x === 'object' && x !== null) o[k] = share(x);
  }
  return v;
}

/** How many strings and values are shared now (tests, benchmarks). */
export function sharedSizes(): { strings: number; values: number } {
  return { strings: strings.size, values: values.size };
}

/** FNV-1a over UTF-16 code units, as a small integer (a Map key that needs no allocation). */
export function hash(s: string): number {
  return feedText(FNV_OFFSET, s) | 0;
}

/** hash(JSON.stringify(v)), walking `v` instead of making its text (a JSON-like value: no toJSON, no cycles). */
export function hashJson(v: unknown): number {
  return feedValue(FNV_OFFSET, v) | 0;
}

const FNV_OFFSET = 0x811c9dc5;
const feed = (h: number, c: number) => Math.imul(h ^ c, 0x01000193);

function feedText(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = feed(h, s.charCodeAt(i));
  return h;
}

/** What JSON.stringify leaves out of an object, and writes as null in an array. */
const unwritten = (x: unknown) => x === undefined || typeof x === 'function' || typeof x === 'symbol';

function feedValue(h: number, v: unknown): number {
  switch (typeof v) {
    case 'string':
      return feedString(h, v);
    case 'number':
      return feedText(h, Number.isFinite(v) ? String(v) : 'null');
    case 'boolean':
      return feedText(h, v ? 'true' : 'false');
    case 'object': {
      if (v === null) return feedText(h, 'null');
      if (Array.isArray(v)) {
        h = feed(h, 0x5b); // [
        for (let i = 0; i < v.length; i++) {
          if (i > 0) h = feed(h, 0x2c); // ,
          h = unwritten(v[i]) ? feedText(h, 'null') : feedValue(h, v[i]);
        }
        return feed(h, 0x5d); // ]
      }
      h = feed(h, 0x7b); // {
      let first = true;
      // for-in visits own keys in JSON.stringify's order (Object.keys'), allocating nothing.
      for (const k in v) {
        const x = (v as Record<string, unknown>)[k];
        if (!Object.hasOwn(v, k) || unwritten(x)) continue;
        if (!first) h = feed(h, 0x2c);
        first = false;
        h = feed(feedString(h, k), 0x3a); // :
        h = feedValue(h, x);
      }
      return feed(h, 0x7d); // }
    }
    default:
      return h;
  }
}

/** A string as JSON.stringify writes it: quoted, escaped (ES2019: lone surrogates too). */
function feedString(h: number, s: string): number {
  h = feed(h, 0x22);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && (c < 0xd800 || c > 0xdfff)) {
      h = feed(h, c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        h = feed(feed(h, c), d);
        i++;
        continue;
      }
    }
    h = feed(h, 0x5c); // backslash
    const short = SHORT_ESCAPES[c];
    h = short !== undefined ? feed(h, short) : feedText(feed(h, 0x75), c.toString(16).padStart(4, '0')); // \uXXXX
  }
  return feed(h, 0x22);
}

const SHORT_ESCAPES: Record<number, number> = { 0x22: 0x22, 0x5c: 0x5c, 0x08: 0x62, 0x0c: 0x66, 0x0a: 0x6e, 0x0d: 0x72, 0x09: 0x74 };

/**
 * Equal JSON values. Objects are compared key by key in any order (for-in: no key arrays);
 * values are only compared when their hashes are equal, and the hash follows key order.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    if (!Object.hasOwn(y, k) || !sameJson(x[k], y[k])) return false;
    keys++;
  }
  for (const k in y) if (Object.hasOwn(y, k)) keys--;
  return keys === 0;
}

/**
 * `fresh` with every part equal to the same part of `held` (the version of the object already
 * held) replaced by held's, in place; `held` itself if all of it is equal. A watch event is a
 * whole object, and JSON.parse gives all of it fresh strings and objects: a pod whose readiness
 * flipped would keep a new copy of its name, uid, IP and unchanged statuses. Taking held's
 * parts lets the fresh copies die young instead of moving into V8's old generation with the
 * new version (under churn they were most of what brought full GCs). Plain data only (JSON-like
 * values, as the lean pods and nodes are); parts of `fresh` that are shared values may have
 * their own parts replaced by equal ones, which no reader can see.
 */
export function adoptEqual<T>(fresh: T, held: T): T {
  return adopt(fresh, held) as T;
}

function adopt(f: unknown, h: unknown): unknown {
  if (f === h) return h; // equal strings, numbers, booleans; the same object
  if (typeof f !== 'object' || f === null || typeof h !== 'object' || h === null) return f;
  if (Array.isArray(f)) {
    if (!Array.isArray(h)) return f;
    let same = f.length === h.length;
    for (let i = 0; i < f.length; i++) {
      const x = i < h.length ? adopt(f[i], h[i]) : f[i];
      if (x !== f[i]) f[i] = x;
      if (x !== h[i]) same = false;
    }
    return same ? h : f;
  }
  if (Array.isArray(h)) return f;
  const fo = f as Record<string, unknown>;
  const ho = h as Record<string, unknown>;
  let same = true;
  let keys = 0;
  for (const k in fo) {
    const x = adopt(fo[k], ho[k]);
    if (x !== fo[k]) fo[k] = x;
    if (x !== ho[k] || (x === undefined && !(k in ho))) same = false;
    keys++;
  }
  if (!same) return f;
  for (const k in ho) if (Object.hasOwn(ho, k)) keys--;
  return keys === 0 ? h : f;
}
