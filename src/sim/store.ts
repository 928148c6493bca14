// The embedded cluster's storage: one map per resource plus a sorted key array (so a
// `continue` token resumes in O(log n)), a global resourceVersion counter like etcd's, and a
// bounded history of changes that watches replay from.
import { SIM_RESOURCES, type SimResource } from './resources.js';
import { isoNow, makeRng, uid as makeUid } from './util.js';

/** Objects may carry a serializer, called with the object as `this` (the generator shares big
 * JSON fragments between pods). Spread copies keep it; JSON clones drop it. */
export const FAST_JSON = Symbol('fastJson');

export interface Entry {
  obj: any;
  json?: string;
  /** The object's JSON as UTF-8, built on first list and dropped with the entry on any write. */
  buf?: Buffer;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ChangeEvent {
  rv: number;
  type: EventType;
  resource: string;
  obj: any;
  /** The object before a MODIFIED/DELETED, for watches whose selector it leaves or enters. */
  prev?: any;
  /** Lazily built `{"type":..,"object":..}` line shared by every watcher. */
  line?: string;
}

export function serialize(obj: any): string {
  const fast = obj[FAST_JSON] as ((this: any) => string) | undefined;
  return fast ? fast.call(obj) : JSON.stringify(obj);
}

export function keyOf(obj: any): string {
  const m = obj.metadata;
  return m.namespace ? `${m.namespace}/${m.name}` : m.name;
}

const SLAB_BYTES = 16 * 2 ** 20;

export class KindStore {
  readonly map = new Map<string, Entry>();
  private keys: string[] = [];
  private sorted = true;
  private slab = Buffer.alloc(0);
  private slabUsed = 0;
  constructor(readonly res: SimResource) {}

  sortedKeys(): string[] {
    if (!this.sorted) {
      this.keys = Array.from(this.map.keys()).sort();
      this.sorted = true;
    }
    return this.keys;
  }

  /** First index whose key is > after (or >= from). */
  lowerBound(key: string, strict: boolean): number {
    const keys = this.sortedKeys();
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const k = keys[mid]!;
      if (k < key || (strict && k === key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  set(key: string, obj: any, bulk = false): void {
    const isNew = !this.map.has(key);
    this.map.set(key, { obj });
    if (!isNew) return;
    if (bulk || !this.sorted) {
      this.sorted = false;
      return;
    }
    this.keys.splice(this.lowerBound(key, false), 0, key);
  }

  delete(key: string): void {
    if (!this.map.delete(key)) return;
    if (!this.sorted) return;
    const i = this.lowerBound(key, false);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  json(entry: Entry): string {
    if (entry.json !== undefined) return entry.json;
    if (entry.buf !== undefined) return entry.buf.toString('utf8');
    const s = serialize(entry.obj);
    // Generated objects rebuild their JSON from shared fragments; caching them as strings would
    // hold GBs on the heap (see jsonBuffer).
    if (!entry.obj[FAST_JSON]) entry.json = s;
    return s;
  }

  /**
   * The object's JSON as UTF-8 bytes, cached off the V8 heap: a list page is then a copy of
   * cached bytes, O(page), like a real API server serving from its watch cache (re-serializing
   * 500 generated pods cost ~40 ms a page). Writes replace the Entry, which drops the cache.
   * 150,000 generated pods hold ~1.3 GB here, outside the JS heap so GC never scans it.
   */
  jsonBuffer(entry: Entry): Buffer {
    if (entry.buf !== undefined) return entry.buf;
    const s = entry.json ?? serialize(entry.obj);
    const n = Buffer.byteLength(s, 'utf8');
    if (n > SLAB_BYTES / 8) return (entry.buf = Buffer.from(s, 'utf8'));
    // Carved out of 16 MB slabs: a Buffer per object reports external memory to V8 150,000
    // times, and V8 answers the growth with full GCs of the whole store (a cold first list
    // ran slower than no cache at all). A slab is freed when no entry uses it any more.
    if (this.slabUsed + n > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.slabUsed = 0;
    }
    this.slab.write(s, this.slabUsed, 'utf8');
    entry.buf = this.slab.subarray(this.slabUsed, this.slabUsed + n);
    this.slabUsed += n;
    return entry.buf;
  }
}

export interface StoreOptions {
  historySize?: number;
  seed?: number;
  /** Clock, so scenarios can place creation times in the past. */
  now?: () => number;
}

export class Store {
  readonly kinds = new Map<string, KindStore>();
  rv = 1;
  /** Changes with rv > compactedRv are in history; a watch from older is 410 Expired. */
  compactedRv = 1;
  private history: ChangeEvent[] = [];
  private historyStart = 0;
  readonly historySize: number;
  readonly rng: () => number;
  readonly now: () => number;
  private listeners = new Set<(ev: ChangeEvent) => void>();
  /** owner uid -> keys of dependents, per resource ("pods", "replicasets", ...). */
  private owners = new Map<string, Map<string, Set<string>>>();

  constructor(opts: StoreOptions = {}) {
    // Like the API server's watch cache, which grows to keep 75 s of events, up to 102,400: a
    // client that lists 150,000 pods for ~20 s while 2,000 events/s arrive can then watch
    // from the list's resourceVersion, as it can against a real cluster (with 10,000 it
    // relisted forever).
    this.historySize = opts.historySize ?? 102_400;
    this.rng = makeRng(opts.seed ?? 42);
    this.now = opts.now ?? Date.now;
    for (const r of SIM_RESOURCES) this.kinds.set(r.name, new KindStore(r));
  }

  kind(name: string): KindStore {
    const k = this.kinds.get(name);
    if (!k) throw new Error(`unknown resource ${name}`);
    return k;
  }

  get(resource: string, key: string): any | undefined {
    return this.kinds.get(resource)?.map.get(key)?.obj;
  }

  getNs(resource: string, name: string, namespace?: string): any | undefined {
    return this.get(resource, namespace ? `${namespace}/${name}` : name);
  }

  list(resource: string, namespace?: string): any[] {
    const ks = this.kind(resource);
    const out: any[] = [];
    if (namespace) {
      const keys = ks.sortedKeys();
      for (let i = ks.lowerBound(`${namespace}/`, false); i < keys.length && keys[i]!.startsWith(`${namespace}/`); i++) out.push(ks.map.get(keys[i]!)!.obj);
      return out;
    }
    for (const e of ks.map.values()) out.push(e.obj);
    return out;
  }

  dependents(resource: string, ownerUid: string): any[] {
    const keys = this.owners.get(resource)?.get(ownerUid);
    if (!keys) return [];
    const out: any[] = [];
    for (const k of keys) {
      const o = this.get(resource, k);
      if (o) out.push(o);
    }
    return out;
  }

  subscribe(fn: (ev: ChangeEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  newUid(): string {
    return makeUid(this.rng);
  }

  /** Fills server-set metadata of a new object. */
  private stamp(resource: string, obj: any): void {
    const m = obj.metadata;
    m.uid ??= this.newUid();
    m.creationTimestamp ??= isoNow(this.now());
    const r = this.kind(resource).res;
    if (r.group === 'apps') m.generation ??= 1;
    obj.apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    obj.kind = r.kind;
  }

  private index(resource: string, key: string, obj: any, add: boolean): void {
    const refs = obj?.metadata?.ownerReferences as { uid: string }[] | undefined;
    if (!refs) return;
    let byOwner = this.owners.get(resource);
    if (!byOwner) this.owners.set(resource, (byOwner = new Map()));
    for (const ref of refs) {
      let set = byOwner.get(ref.uid);
      if (add) {
        if (!set) byOwner.set(ref.uid, (set = new Set()));
        set.add(key);
      } else if (set) {
        set.delete(key);
        if (set.size === 0) byOwner.delete(ref.uid);
      }
    }
  }

  /** Loads an object without recording history (scenario set-up). */
  load(resource: string, obj: any): any {
    this.stamp(resource, obj);
    obj.metadata.resourceVersion = String(++this.rv);
    const key = keyOf(obj);
    this.kind(resource).set(key, obj, true);
    this.index(resource, key, obj, true);
    return obj;
  }

  /** Builds every object's cached list JSON (KindStore.jsonBuffer). */
  warmJson(): void {
    for (const ks of this.kinds.values()) {
      ks.sortedKeys();
      for (const e of ks.map.values()) ks.jsonBuffer(e);
    }
  }

  /** Ends set-up: history starts now. */
  sealHistory(): void {
    this.compactedRv = this.rv;
  }

  /** Creates or replaces an object and records the change. */
  put(resource: string, obj: any): any {
    const ks = this.kind(resource);
    const key = keyOf(obj);
    const prev = ks.map.get(key)?.obj;
    if (!prev) this.stamp(resource, obj);
    else {
      obj.apiVersion = prev.apiVersion;
      obj.kind = prev.kind;
      obj.metadata.uid = prev.metadata.uid;
      obj.metadata.creationTimestamp = prev.metadata.creationTimestamp;
    }
    obj.metadata.resourceVersion = String(++this.rv);
    if (prev) this.index(resource, key, prev, false);
    ks.set(key, obj);
    this.index(resource, key, obj, true);
    this.record({ rv: this.rv, type: prev ? 'MODIFIED' : 'ADDED', resource, obj, prev });
    return obj;
  }

  remove(resource: string, key: string): any | undefined {
    const ks = this.kind(resource);
    const prev = ks.map.get(key)?.obj;
    if (!prev) return undefined;
    ks.delete(key);
    this.index(resource, key, prev, false);
    const gone = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(++this.rv) } };
    this.record({ rv: this.rv, type: 'DELETED', resource, obj: gone, prev });
    return gone;
  }

  private record(ev: ChangeEvent): void {
    this.history.push(ev);
    if (this.history.length - this.historyStart > this.historySize) {
      this.compactedRv = this.history[this.historyStart]!.rv;
      this.historyStart++;
      // Compact the array now and then rather than shifting on every change.
      if (this.historyStart > 4096) {
        this.history = this.history.slice(this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const fn of this.listeners) fn(ev);
  }

  /** Changes after rv, or undefined when rv is older than the history (410 Expired). */
  since(rv: number): ChangeEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    const out: ChangeEvent[] = [];
    // History is ordered by rv: binary search the first event after rv.
    let lo = this.historyStart;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.history.length; i++) out.push(this.history[i]!);
    return out;
  }

  /** Forgets all history: any watch resuming from before now gets 410. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history = [];
    this.historyStart = 0;
  }

  /** For every resource, the sorted {uid, resourceVersion} pairs. */
  state(): Record<string, { uid: string; resourceVersion: string }[]> {
    const out: Record<string, { uid: string; resourceVersion: string }[]> = {};
    for (const [name, ks] of this.kinds) {
      const items: { uid: string; resourceVersion: string }[] = [];
      for (const e of ks.map.values()) items.push({ uid: e.obj.metadata.uid, resourceVersion: e.obj.metadata.resourceVersion });
      items.sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
      out[name] = items;
    }
    return out;
  }
}
