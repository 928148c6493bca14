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
// leaves that one value unshared.

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
 * shared; a new value is added only when it comes a second time (a rollout's new labels and
 * containers, from its second pod on), new strings not at all.
 */
let learning = true;
/** Hashes of values met once under lookupOnly, by slot: lossy, allocates nothing. */
const metOnce = new Int32Array(1 << 16);

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
  if (learning) strings.set(s, s);
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
  const h = hash(JSON.stringify(v));
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
  for (const k of Object.keys(o)) {
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
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** Equal JSON values, keys in the same order (what JSON.stringify would give). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i] || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
