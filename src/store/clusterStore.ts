// The in-memory cache of one context: a map per resource kind, secondary indexes, the sync
// state of each kind, and batched change notices.
//
// Writers (the reflectors) call upsert/remove/replaceAll; readers (selectors, views) call the
// getters and subscribe. Notices are coalesced: however many watch events arrive, listeners
// hear at most once per `notifyIntervalMs` (33 ms: ~30 Hz), with the keys that changed, so a
// selector can recompute only those. While changes pour in (a batch of more than BUSY_BATCH
// objects, i.e. over ~1,500 a second), notices come three times less often: every notice
// costs the models and the views a pass and a frame, and at 2,000 watch events a second on
// 150,000 pods drawing ~30 frames a second made a third of all allocation. Keys are not
// notices: a keypress still draws its frame at once.
import { RESOURCE_KINDS, objectKey, type KindMap, type NodeMetrics, type ResourceKind } from '../kube/types.js';
import { PodMetricsTable } from '../model/podMetricsTable.js';
import { ChurnMap } from '../model/churnMap.js';
import { BucketSet } from './bucketSet.js';

export type SyncPhase = 'idle' | 'listing' | 'synced' | 'relisting' | 'backoff' | 'forbidden' | 'error';

export interface ResourceState {
  phase: SyncPhase;
  /** Objects listed so far in the current list (progress), or the cache size once synced. */
  loaded: number;
  /** The server's estimate of the list size (loaded + remainingItemCount), when it gives one. */
  estimatedTotal?: number;
  /** When the cache last agreed with the server (list finished, or a watch event/bookmark). */
  lastSyncAt?: number;
  /** True while the watch is not connected: data may be stale. */
  stale: boolean;
  error?: string;
  /** When the next retry happens (backoff). */
  retryAt?: number;
}

export interface ChangeBatch {
  /** Per kind, the keys added, modified or deleted since the last notice. */
  changed: Map<ResourceKind, Set<string>>;
  /** Kinds whose sync state changed. */
  stateChanged: Set<ResourceKind>;
  metricsChanged: boolean;
  connectionChanged: boolean;
}

/** How the context's API server answers, as a whole (the header and fleet view show it). */
export interface ConnectionInfo {
  context: string;
  server: string;
  phase: 'connecting' | 'connected' | 'error';
  serverVersion?: string;
  /** Round trip of the last /version probe. */
  latencyMs?: number;
  error?: string;
  errorKind?: string;
  checkedAt?: number;
}

export type Listener = (batch: ChangeBatch) => void;

type IndexFn<K extends ResourceKind> = (obj: KindMap[K]) => string[];

interface IndexDef {
  kind: ResourceKind;
  fn: (obj: never) => string[];
  map: Map<string, Bucket>;
}

export interface MetricsSnapshot {
  available: boolean;
  nodes: Map<string, NodeMetrics>;
  /** Per pod key ("namespace/name"). */
  pods: PodMetricsTable;
  updatedAt?: number;
  error?: string;
}

/**
 * An index bucket: its one key as the string itself, a Set from the second on. Most buckets of
 * churning kinds hold one key (an event's involved object, a pod's own claim, a lone replica's
 * owner): under churn each came and went with a Set of its own (~800 a second at 2,000 changes
 * a second), long-lived enough to reach V8's old generation and die there.
 */
type Bucket = string | BucketSet;

function add(map: Map<string, Bucket>, value: string, key: string) {
  const b = map.get(value);
  if (b === undefined) map.set(value, key);
  else if (typeof b !== 'string') {
    const kept = b.with(key);
    if (kept !== b) map.set(value, kept);
  } else if (b !== key) map.set(value, BucketSet.of([b], key));
}

function del(map: Map<string, Bucket>, value: string, key: string) {
  const b = map.get(value);
  if (b === undefined) return;
  if (typeof b === 'string') {
    if (b === key) map.delete(value);
    return;
  }
  // A Set stays one down to its last key (no Set made anew for a bucket swinging 1 <-> 2).
  b.delete(key);
  if (b.size === 0) map.delete(value);
}

/** A bucket as a set (a one-key bucket in a set of its own, made for the caller). */
function bucketSet(b: Bucket | undefined): ReadonlySet<string> {
  return b === undefined ? EMPTY : typeof b === 'string' ? new Set([b]) : b;
}

const ownerUids = (o: { metadata: { ownerReferences?: { uid: string }[] } }) => o.metadata.ownerReferences?.map((r) => r.uid) ?? [];

/** Index names and their functions. Keys are "namespace/name" or "name". */
export const INDEXES = {
  podsByNode: { kind: 'pods', fn: (p: KindMap['pods']) => (p.spec.nodeName ? [p.spec.nodeName] : []) },
  podsByNamespace: { kind: 'pods', fn: (p: KindMap['pods']) => [p.metadata.namespace ?? ''] },
  podsByOwner: { kind: 'pods', fn: ownerUids },
  podsByPvc: {
    kind: 'pods',
    fn: (p: KindMap['pods']) =>
      (p.spec.volumes ?? []).flatMap((v) =>
        v.persistentVolumeClaim ? [`${p.metadata.namespace}/${v.persistentVolumeClaim.claimName}`] : v.ephemeral ? [`${p.metadata.namespace}/${p.metadata.name}-${v.name}`] : [],
      ),
  },
  replicasetsByOwner: { kind: 'replicasets', fn: ownerUids },
  controllerrevisionsByOwner: { kind: 'controllerrevisions', fn: ownerUids },
  eventsByObject: {
    kind: 'events',
    fn: (e: KindMap['events']) => {
      const io = e.involvedObject;
      const keys = [`${io.kind}/${io.namespace ?? ''}/${io.name}`];
      if (io.uid) keys.push(io.uid);
      return keys;
    },
  },
} satisfies Record<string, { kind: ResourceKind; fn: IndexFn<any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type IndexName = keyof typeof INDEXES;

export class ClusterStore {
  /** Objects by kind, by key (ChurnMap: pods and events churn; a plain Map's table would double). */
  private readonly objects = new Map<ResourceKind, ChurnMap<string, unknown>>();
  private readonly states = new Map<ResourceKind, ResourceState>();
  private readonly indexes = new Map<string, IndexDef>();
  private readonly indexesByKind = new Map<ResourceKind, IndexDef[]>();
  private readonly listeners = new Set<Listener>();
  private pending: ChangeBatch = emptyBatch();
  private timer: NodeJS.Timeout | undefined;
  private lastNotify = 0;
  /** Changed objects in the last notice. */
  private lastBatchSize = 0;
  /** Increases on every applied change; cheap "did anything change" for memoization. */
  version = 0;
  /** The highest resourceVersion the reflectors have applied, any kind (lag measurement). */
  latestResourceVersion = 0;
  metrics: MetricsSnapshot = { available: false, nodes: new Map(), pods: PodMetricsTable.EMPTY };
  connection: ConnectionInfo = { context: '', server: '', phase: 'connecting' };

  constructor(readonly notifyIntervalMs = 33) {
    for (const k of RESOURCE_KINDS) {
      this.objects.set(k, new ChurnMap());
      this.states.set(k, { phase: 'idle', loaded: 0, stale: true });
      this.indexesByKind.set(k, []);
    }
    for (const [name, def] of Object.entries(INDEXES)) {
      const d: IndexDef = { kind: def.kind as ResourceKind, fn: def.fn as (obj: never) => string[], map: new Map() };
      this.indexes.set(name, d);
      this.indexesByKind.get(d.kind)!.push(d);
    }
  }

  // ---- reading ----

  /**
   * The objects of a kind, by key. The map is replaced now and then (ChurnMap): an iterator
   * kept across change batches goes on over the keys of the old one; the batches say what changed.
   */
  list<K extends ResourceKind>(kind: K): ReadonlyMap<string, KindMap[K]> {
    return this.objects.get(kind)!.map as ReadonlyMap<string, KindMap[K]>;
  }

  get<K extends ResourceKind>(kind: K, key: string): KindMap[K] | undefined {
    return this.objects.get(kind)!.get(key) as KindMap[K] | undefined;
  }

  /** A lookup of one kind's objects by key, for work that outlives a change batch (it reads
   *  the current map: list()'s is replaced now and then). */
  reader<K extends ResourceKind>(kind: K): (key: string) => KindMap[K] | undefined {
    const objs = this.objects.get(kind)!;
    return (key) => objs.get(key) as KindMap[K] | undefined;
  }

  size(kind: ResourceKind): number {
    return this.objects.get(kind)!.size;
  }

  state(kind: ResourceKind): Readonly<ResourceState> {
    return this.states.get(kind)!;
  }

  /** Keys of the objects whose index function gave `value`. */
  byIndex(index: IndexName, value: string): ReadonlySet<string> {
    return bucketSet(this.indexes.get(index)!.map.get(value));
  }

  /** Objects of an index bucket, resolved. */
  objectsByIndex<K extends ResourceKind>(index: IndexName & string, value: string): KindMap[K][] {
    const def = this.indexes.get(index)!;
    const objs = this.objects.get(def.kind)!;
    const out: KindMap[K][] = [];
    for (const k of bucketSet(def.map.get(value))) {
      const o = objs.get(k);
      if (o) out.push(o as KindMap[K]);
    }
    return out;
  }

  indexValues(index: IndexName): IterableIterator<string> {
    return this.indexes.get(index)!.map.keys();
  }

  // ---- writing (reflectors) ----

  upsert<K extends ResourceKind>(kind: K, obj: KindMap[K]): void {
    const key = objectKey(obj);
    const objs = this.objects.get(kind)!;
    const old = objs.get(key) as KindMap[K] | undefined;
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    objs.set(key, obj);
    if (old) this.reindex(kind, key, old, obj);
    else this.index(kind, key, obj);
    this.changed(kind, key);
  }

  remove(kind: ResourceKind, key: string): void {
    const objs = this.objects.get(kind)!;
    const old = objs.get(key);
    if (!old) return;
    objs.delete(key);
    this.unindex(kind, key, old);
    this.changed(kind, key);
  }

  /** After a (re)list: drop every object of `kind` whose key was not seen in it. */
  retainOnly(kind: ResourceKind, seen: ReadonlySet<string>): void {
    for (const key of [...this.objects.get(kind)!.map.keys()]) if (!seen.has(key)) this.remove(kind, key);
  }

  /** Record a resourceVersion a reflector has applied (list, watch event or bookmark). */
  noteResourceVersion(rv: string | undefined): void {
    const n = Number(rv);
    if (n > this.latestResourceVersion) this.latestResourceVersion = n;
  }

  setState(kind: ResourceKind, patch: Partial<ResourceState>): void {
    const cur = this.states.get(kind)!;
    const next = { ...cur, ...patch };
    if (shallowEqual(cur, next)) return;
    this.states.set(kind, next);
    this.pending.stateChanged.add(kind);
    this.schedule();
  }

  setMetrics(m: MetricsSnapshot): void {
    this.metrics = m;
    this.pending.metricsChanged = true;
    this.version++;
    this.schedule();
  }

  setConnection(patch: Partial<ConnectionInfo>): void {
    const next = { ...this.connection, ...patch };
    if (shallowEqual(this.connection, next)) return;
    this.connection = next;
    this.pending.connectionChanged = true;
    this.schedule();
  }

  // ---- change notices ----

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Deliver pending notices now (tests, shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.deliver();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private changed(kind: ResourceKind, key: string) {
    this.version++;
    let set = this.pending.changed.get(kind);
    if (!set) this.pending.changed.set(kind, (set = new Set()));
    set.add(key);
    this.schedule();
  }

  private schedule() {
    if (this.timer) return;
    const interval = this.lastBatchSize > BUSY_BATCH ? BUSY_FACTOR * this.notifyIntervalMs : this.notifyIntervalMs;
    // (Node runs a timer longer than 2^31-1 ms after 1 ms: a store made to notify "never" but
    // on flush, as tests make it, would notify at once after a busy batch.)
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, this.lastNotify + interval - Date.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.deliver();
    }, wait);
  }

  private deliver() {
    const batch = this.pending;
    if (batch.changed.size === 0 && batch.stateChanged.size === 0 && !batch.metricsChanged && !batch.connectionChanged) return;
    this.pending = emptyBatch();
    this.lastNotify = Date.now();
    this.lastBatchSize = 0;
    for (const keys of batch.changed.values()) this.lastBatchSize += keys.size;
    for (const l of this.listeners) l(batch);
  }

  private index(kind: ResourceKind, key: string, obj: unknown) {
    for (const d of this.indexesByKind.get(kind)!) for (const v of d.fn(obj as never)) add(d.map, v, key);
  }

  /**
   * Move `key` between index buckets only where its values changed: a pod's node, namespace
   * and owner rarely do. Taking a key out of a bucket and putting it back on every event left
   * a hole in the bucket's hash table each time, and V8 rebuilt the big buckets' tables (a
   * namespace of thousands of pods) over and over under churn.
   */
  private reindex(kind: ResourceKind, key: string, old: unknown, obj: unknown) {
    for (const d of this.indexesByKind.get(kind)!) {
      const before = d.fn(old as never);
      const after = d.fn(obj as never);
      if (before.length === after.length && before.every((v, i) => v === after[i])) continue;
      for (const v of before) del(d.map, v, key);
      for (const v of after) add(d.map, v, key);
    }
  }

  private unindex(kind: ResourceKind, key: string, obj: unknown) {
    for (const d of this.indexesByKind.get(kind)!) for (const v of d.fn(obj as never)) del(d.map, v, key);
  }
}

const EMPTY: ReadonlySet<string> = new Set();

/** Above this many changed objects in a notice, the next one waits BUSY_FACTOR intervals. */
export const BUSY_BATCH = 50;
const BUSY_FACTOR = 3;
const MAX_TIMER_MS = 2 ** 31 - 1;

function emptyBatch(): ChangeBatch {
  return { changed: new Map(), stateChanged: new Set(), metricsChanged: false, connectionChanged: false };
}

function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a) as (keyof typeof a)[];
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}
