// Small helpers shared by the embedded cluster: seeded randomness, name hashes, quantities,
// durations. Nothing here touches the store or HTTP.
import { createHash } from 'node:crypto';

/** Deterministic PRNG (mulberry32) so two sims from one scenario evolve alike. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Kubernetes' SafeEncodeString alphabet (no vowels, no confusable characters).
const ALPHANUM = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(rng: () => number, n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHANUM[Math.floor(rng() * ALPHANUM.length)];
  return s;
}

/** A short stable hash of any JSON value, encoded like the controllers' template hashes. */
export function shortHash(value: unknown, n = 10): string {
  const digest = createHash('sha256').update(stableStringify(value)).digest();
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHANUM[digest[i]! % ALPHANUM.length];
  return s;
}

export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return '[' + v.map(stableStringify).join(',') + ']';
  const keys = Object.keys(v as object).filter((k) => (v as any)[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + stableStringify((v as any)[k])).join(',') + '}';
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

export function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

export function uid(rng: () => number): string {
  const h = () => Math.floor(rng() * 0x10000).toString(16).padStart(4, '0');
  return `${h()}${h()}-${h()}-4${h().slice(1)}-a${h().slice(1)}-${h()}${h()}${h()}`;
}

export function isoNow(now = Date.now()): string {
  return new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

/** A quantity as a float in base units (cores, bytes). Good enough for the sim's own metrics. */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return 0;
  return parseFloat(m[1]!) * (SUFFIX[m[2]!] ?? 1);
}

/** k8s.io/apimachinery duration.HumanDuration, as kubectl's AGE column prints it. */
export function humanDuration(ms: number): string {
  const secs = Math.floor(ms / 1000);
  if (secs < -1) return '<invalid>';
  if (secs < 0) return '0s';
  if (secs < 120) return `${secs}s`;
  const mins = Math.floor(secs / 60);
  if (mins < 10) {
    const s = secs % 60;
    return s === 0 ? `${mins}m` : `${mins}m${s}s`;
  }
  if (mins < 180) return `${mins}m`;
  const hours = Math.floor(secs / 3600);
  if (hours < 8) {
    const m = mins % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 192) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const d = Math.floor(hours / 24) % 365;
    return d === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${d}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}
