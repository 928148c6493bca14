// Rows of the rollouts view (Deployments, StatefulSets, DaemonSets), kept up to date from the
// store's change batches: only the workloads a batch touches are recomputed, and a row that
// came, went or changed rank is moved in the order (failing first) by binary search.
//
// Pods are read only for workloads whose rollout is not complete (via podsByOwner), to say
// why they fail (CrashLoopBackOff, ImagePullBackOff, Unhealthy probes, ...). A healthy
// workload whose pods start failing changes its own status first, which brings it here.
import type { ControllerRevision, DaemonSet, Deployment, KubeObject, Pod, ResourceKind, StatefulSet } from '../../src/kube/types.js';
import {
  controllerRevisionHistory,
  controllerRevisionPatch,
  deploymentHistory,
  ownedControllerRevisions,
  planControllerRevisionUndo,
  planDeploymentUndo,
  REVISION_ANNOTATION,
  replicaSetRevision,
  rolloutState,
  semanticEqual,
  type RevisionEntry,
  type RolloutState,
  type UndoPlan,
  type WorkloadKind,
} from '../../src/model/rollout.js';
import { templateSummary } from '../../src/kube/leanTemplate.js';
import { podDisplayStatus } from '../../src/model/podStatus.js';
import type { ChangeBatch, ClusterStore } from '../../src/store/clusterStore.js';
import { liveModel } from './live.js';

export type { WorkloadKind };

/** One reason pods of a workload are not healthy, with how many pods show it. */
export interface PodProblem {
  reason: string;
  count: number;
  /** A pod showing it (the first by name), for the detail line. */
  example: string;
}

export interface RolloutRow {
  /** "Deployment/shop/checkout". */
  key: string;
  kind: WorkloadKind;
  namespace: string;
  name: string;
  uid: string;
  /** The revision the workload runs now (undefined when unknown). */
  revision?: number;
  /** Container images (init containers first), without the container names. */
  images: string[];
  /** "RollingUpdate 25%/25%", "Recreate", "OnDelete", "RollingUpdate partition 2". */
  strategy: string;
  state: RolloutState;
  /** Reasons of the unhealthy pods, most frequent first (empty for complete rollouts). */
  problems: PodProblem[];
  /** Stalled, or pods crash-looping, failing to pull, failing probes, ... */
  failing: boolean;
  /** Sort rank: 0 stalled, 1 failing, 2 progressing, 3 paused, 4 complete. */
  rank: number;
  /** What `/` matches against. */
  filterText: string;
  /** The store's workload object the row was computed from. */
  source: Workload;
}

export interface RolloutSnapshot {
  /** Row keys, failing first, then by namespace, name and kind. */
  order: readonly string[];
  rows: ReadonlyMap<string, RolloutRow>;
  /** Bumped whenever any row changed. */
  version: number;
}

/**
 * How many of `keys` are failing rows. `keys` is a snapshot's order or a part of it in the same
 * order, where failing rows (ranks 0 and 1) come first, save `pinned`, which may have been moved
 * to the top. So the count stops at the first other row that is not failing: it costs the
 * failing rows, not all of them (counting every row took ~19 ms of a visit to the view at
 * ~14,000 workloads).
 */
export function countFailing(keys: readonly string[], rows: ReadonlyMap<string, RolloutRow>, pinned?: string): number {
  let n = 0;
  for (const k of keys) {
    const row = rows.get(k);
    if (row?.failing) n++;
    else if (row && k !== pinned) break;
  }
  return n;
}

export const WORKLOAD_RESOURCES: Record<WorkloadKind, 'deployments' | 'statefulsets' | 'daemonsets'> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};
const KIND_OF: Partial<Record<ResourceKind, WorkloadKind>> = { deployments: 'Deployment', statefulsets: 'StatefulSet', daemonsets: 'DaemonSet' };

/** kubectl's short names. */
export const SHORT_KIND: Record<WorkloadKind, string> = { Deployment: 'deploy', StatefulSet: 'sts', DaemonSet: 'ds' };

export function rowKeyOf(kind: WorkloadKind, storeKey: string): string {
  return `${kind}/${storeKey}`;
}

/** "Deployment/shop/checkout" -> kind and the store key "shop/checkout". */
export function parseRowKey(key: string): { kind: WorkloadKind; storeKey: string } {
  const i = key.indexOf('/');
  return { kind: key.slice(0, i) as WorkloadKind, storeKey: key.slice(i + 1) };
}

type Workload = Deployment | StatefulSet | DaemonSet;

export function getWorkload(store: ClusterStore, kind: WorkloadKind, storeKey: string): Workload | undefined {
  return store.get(WORKLOAD_RESOURCES[kind], storeKey);
}

/** Pod reasons that make a rollout failing (not just slow). */
const FAILING_REASON = /BackOff|ErrImage|InvalidImageName|Err|Error|Failed|OOMKilled|Unhealthy|CreateContainer|Evicted|Multi-Attach/;
/** Reasons that are part of any rollout and say nothing by themselves. */
const NORMAL_REASON = new Set(['Running', 'Completed', 'Succeeded', 'Terminating']);

/** Time a background slice of deferred row recomputes (pods changed) may take. */
const DRAIN_SLICE_MS = 8;
/** Reasons of a pod that has not started yet: a Warning event on it may say why. */
const WAITING_REASON = new Set(['Pending', 'ContainerCreating', 'PodInitializing']);

const controllerOf = (o: KubeObject) => o.metadata.ownerReferences?.find((r) => r.controller);

function strategyText(kind: WorkloadKind, w: Workload): string {
  if (kind === 'Deployment') {
    const s = (w as Deployment).spec.strategy;
    if (s?.type === 'Recreate') return 'Recreate';
    const ru = s?.rollingUpdate;
    return `RollingUpdate ${ru?.maxSurge ?? '25%'}/${ru?.maxUnavailable ?? '25%'}`;
  }
  const us = (w as StatefulSet | DaemonSet).spec.updateStrategy;
  const type = us?.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate') return type;
  const ru = us?.rollingUpdate as { partition?: number; maxUnavailable?: number | string; maxSurge?: number | string } | undefined;
  if (kind === 'StatefulSet') return ru?.partition ? `RollingUpdate partition ${ru.partition}` : 'RollingUpdate';
  return `RollingUpdate ${ru?.maxSurge ?? 0}/${ru?.maxUnavailable ?? 1}`;
}

/** Container images (init containers first): templateImages without the names, read from the
 *  template's summary (the image strings the workload holds anyway: none made per row). */
function imagesOf(w: Workload): string[] {
  const { initContainers, containers } = templateSummary(w.spec.template);
  return [...initContainers, ...containers].map((c) => c.image ?? '');
}

/**
 * A string as one flat copy: a row is kept as long as its workload, and a string built from
 * pieces (a template literal) or cut from a longer one (slice) keeps the pieces or the longer
 * string with it (~2-4x its own size, for 15,000 rows).
 */
function flat(s: string): string {
  // A JSON round trip makes a new sequential string (~3x cheaper than split('').join('')).
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** Strategy texts, one copy each (a few distinct ones). */
const strategies = new Map<string, string>();
function interned(s: string): string {
  let v = strategies.get(s);
  if (v === undefined) {
    if (strategies.size >= 1000) strategies.clear();
    strategies.set(s, (v = flat(s)));
  }
  return v;
}

/** The ControllerRevision the StatefulSet/DaemonSet runs (its revision number). */
function controllerRevisionNumber(store: ClusterStore, w: StatefulSet | DaemonSet): number | undefined {
  const ns = w.metadata.namespace ?? '';
  const update = w.status?.updateRevision;
  if (update) {
    const cr = store.get('controllerrevisions', `${ns}/${update}`);
    if (cr) return cr.revision;
  }
  const owned = ownedControllerRevisions(w, store.objectsByIndex<'controllerrevisions'>('controllerrevisionsByOwner', w.metadata.uid));
  const patch = controllerRevisionPatch(w);
  let best: ControllerRevision | undefined;
  for (const cr of owned) if (semanticEqual(patch, cr.data) && (!best || cr.revision > best.revision)) best = cr;
  return best?.revision;
}

function deploymentRevisionNumber(store: ClusterStore, d: Deployment): number | undefined {
  if (d.metadata.annotations?.[REVISION_ANNOTATION] !== undefined) return replicaSetRevision(d);
  let max: number | undefined;
  for (const rs of store.objectsByIndex<'replicasets'>('replicasetsByOwner', d.metadata.uid)) {
    const r = replicaSetRevision(rs);
    if (r !== undefined && (max === undefined || r > max)) max = r;
  }
  return max;
}

/** The pods of a workload (through its ReplicaSets for a Deployment), with their store keys
 *  (the store's own strings). */
export function workloadPodsKeyed(store: ClusterStore, kind: WorkloadKind, w: Workload): { pods: Pod[]; keys: string[] } {
  const pods: Pod[] = [];
  const keys: string[] = [];
  const add = (uid: string) => {
    const objs = store.objectsByIndex<'pods'>('podsByOwner', uid);
    const ks = [...store.byIndex('podsByOwner', uid)];
    // The index and the objects move together; if they ever did not, keep only keys with a pod.
    if (objs.length === ks.length) {
      pods.push(...objs);
      keys.push(...ks);
    } else
      for (const k of ks) {
        const p = store.get('pods', k);
        if (p) (pods.push(p), keys.push(k));
      }
  };
  if (kind !== 'Deployment') add(w.metadata.uid);
  else
    for (const rsKey of store.byIndex('replicasetsByOwner', w.metadata.uid)) {
      const rs = store.get('replicasets', rsKey);
      if (rs) add(rs.metadata.uid);
    }
  return { pods, keys };
}

/** The pods of a workload (through its ReplicaSets for a Deployment). */
export function workloadPods(store: ClusterStore, kind: WorkloadKind, w: Workload): Pod[] {
  return workloadPodsKeyed(store, kind, w).pods;
}

/** Why a pod is not healthy, or undefined when it is (or is just going away). */
export function podProblemReason(store: ClusterStore, pod: Pod): string | undefined {
  const s = podDisplayStatus(pod);
  if (s.reason === 'Running' && !s.ready) {
    // Running but not ready: a failing probe says so in an Unhealthy event.
    for (const k of store.byIndex('eventsByObject', pod.metadata.uid)) {
      const e = store.get('events', k);
      if (e?.reason === 'Unhealthy') return 'Unhealthy';
    }
    return 'NotReady';
  }
  if (NORMAL_REASON.has(s.reason)) return undefined;
  if (WAITING_REASON.has(s.reason)) {
    // Stuck before starting: the pod's latest Warning event says why (FailedAttachVolume,
    // FailedMount, FailedScheduling, ...).
    let latest: { reason: string; at: string } | undefined;
    for (const k of store.byIndex('eventsByObject', pod.metadata.uid)) {
      const e = store.get('events', k);
      if (e?.type !== 'Warning' || !e.reason) continue;
      const at = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '';
      if (!latest || at > latest.at) latest = { reason: e.reason, at };
    }
    if (latest) return latest.reason;
  }
  return s.reason || 'Unknown';
}

const NO_PROBLEMS: PodProblem[] = [];

function problemsOf(store: ClusterStore, pods: Pod[]): PodProblem[] {
  if (pods.length === 0) return NO_PROBLEMS; // shared by the rows of complete rollouts: read-only
  const by = new Map<string, PodProblem>();
  for (const p of pods) {
    const reason = podProblemReason(store, p);
    if (!reason) continue;
    const cur = by.get(reason);
    if (!cur) by.set(reason, { reason, count: 1, example: p.metadata.name });
    else {
      cur.count++;
      if (p.metadata.name < cur.example) cur.example = p.metadata.name;
    }
  }
  return [...by.values()].sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
}

/** Build the row of one workload (pods are read only when its rollout is not complete: their
 *  store keys come back in `podKeys`). `prev`, the row's last version, lends what has not
 *  changed: under churn a row is recomputed for its pods while the workload stays the same
 *  object (store objects are never mutated), and each new copy of its state, images and key
 *  strings was kept until the next recompute, then left to a full GC. */
export function buildRow(store: ClusterStore, kind: WorkloadKind, w: Workload, prev?: RolloutRow): { row: RolloutRow; podKeys: string[] } {
  const same = prev?.source === w;
  const state = same ? prev!.state : rolloutState(kind, w);
  const revision = kind === 'Deployment' ? deploymentRevisionNumber(store, w as Deployment) : controllerRevisionNumber(store, w as StatefulSet | DaemonSet);
  const { pods, keys: podKeys } = state.phase === 'complete' ? { pods: [], keys: [] } : workloadPodsKeyed(store, kind, w);
  const problems = problemsOf(store, pods);
  const failing = state.phase === 'stalled' || problems.some((p) => FAILING_REASON.test(p.reason));
  const rank = state.phase === 'stalled' ? 0 : failing ? 1 : state.phase === 'progressing' ? 2 : state.phase === 'paused' ? 3 : 4;
  const namespace = w.metadata.namespace ?? '';
  const name = w.metadata.name;
  const row: RolloutRow = {
    key: prev ? prev.key : flat(rowKeyOf(kind, `${namespace}/${name}`)),
    kind,
    namespace,
    name,
    uid: w.metadata.uid,
    revision,
    images: same ? prev!.images : imagesOf(w),
    strategy: same ? prev!.strategy : interned(strategyText(kind, w)),
    state,
    problems,
    failing,
    rank,
    filterText: prev ? prev.filterText : flat(`${namespace}/${name} ${SHORT_KIND[kind]}`),
    source: w,
  };
  return { row, podKeys };
}

function compareRows(a: RolloutRow, b: RolloutRow): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

function sameRow(a: RolloutRow | undefined, b: RolloutRow): boolean {
  if (!a) return false;
  return (
    a.rank === b.rank &&
    a.revision === b.revision &&
    a.strategy === b.strategy &&
    a.images.join() === b.images.join() &&
    a.state.phase === b.state.phase &&
    a.state.message === b.state.message &&
    a.state.desired === b.state.desired &&
    a.state.updated === b.state.updated &&
    a.state.ready === b.state.ready &&
    a.state.available === b.state.available &&
    JSON.stringify(a.problems) === JSON.stringify(b.problems)
  );
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const WORKLOAD_KINDS = Object.entries(KIND_OF) as [ResourceKind, WorkloadKind][];

/** Every workload's store key, kind by kind (a Map iterator also visits entries added later). */
function* workloadKeys(store: ClusterStore): Generator<[WorkloadKind, string]> {
  for (const [res, kind] of WORKLOAD_KINDS) for (const k of store.list(res).keys()) yield [kind, k];
}

/**
 * The incremental row index. `update(store, batch)` returns the same snapshot object when
 * nothing the view shows changed, so `useStore` does not re-render.
 *
 * The first build reads every workload (15,000 at 150,000 pods: ~0.2 s). It is resumable:
 * `start(store)` begins it, `step(budgetMs)` goes on with it (a view runs it in slices between
 * frames and keys), `progress` tells how far it is. Batches that come meanwhile are applied
 * to the rows already built (the build reads the others as the store has them then); the
 * snapshot shows the new rows, sorted once, when the build is done.
 *
 * A batch recomputes only the rows it touches and moves a row that came, went or changed
 * rank by binary search in a copy of the order (no full sort); a pod is traced to the row that
 * read it through a reverse map (no scan of the rows).
 */
export class RolloutIndex {
  private rows = new Map<string, RolloutRow>();
  private order: string[] = [];
  private snapshot: RolloutSnapshot = { order: [], rows: this.rows, version: 0 };
  /** ReplicaSet / ControllerRevision store key -> row key (to find the owner of a deleted one). */
  private ownedRs = new Map<string, string>();
  private ownedCr = new Map<string, string>();
  /**
   * The pods read by the rows that read them (rollouts not complete), as the store's own key
   * strings: a few bytes a pod. A pod's row is found from its owner while it exists; a deleted
   * one (or one that changed owner) through `podRows`, the reverse map.
   */
  private rowPods = new Map<string, readonly string[]>();
  /** Pod key -> the row (or rows, rarely) that read it when last computed. */
  private podRows = new Map<string, string | string[]>();
  /** An unfinished build: the workloads still to read. */
  private pass: { store: ClusterStore; it: Iterator<[WorkloadKind, string]>; done: number; total: number; read?: boolean } | undefined;

  /** Set by rolloutIndexFor: the index gets every change batch of its store. */
  live = false;
  /** Full builds started (a live index builds once). */
  rebuilds = 0;
  /** Rows computed (buildRow calls) and row comparisons made keeping the order: for tests. */
  computed = 0;
  comparisons = 0;
  private lastBatch: ChangeBatch | undefined;

  /** The latest snapshot (the one before the build while a build runs). */
  get current(): RolloutSnapshot {
    return this.snapshot;
  }

  /** Progress of an unfinished build (workloads read / workloads in the store), else undefined. */
  get progress(): { done: number; total: number } | undefined {
    return this.pass ? { done: this.pass.done, total: Math.max(this.pass.total, this.pass.done) } : undefined;
  }

  update(store: ClusterStore, batch: ChangeBatch | undefined): RolloutSnapshot {
    // A live index has seen every batch: nothing to rebuild, nor to apply twice.
    if (this.live && this.rebuilds > 0 && (!batch || batch === this.lastBatch)) return this.snapshot;
    if (!batch) {
      this.start(store);
      this.step();
      return this.snapshot;
    }
    this.lastBatch = batch;
    const dirty = new Set<string>();
    for (const [res, kind] of WORKLOAD_KINDS) {
      for (const k of batch.changed.get(res) ?? []) dirty.add(rowKeyOf(kind, k));
    }
    for (const k of batch.changed.get('replicasets') ?? []) {
      const prev = this.ownedRs.get(k);
      if (prev) dirty.add(prev);
      const rs = store.get('replicasets', k);
      const ref = rs && controllerOf(rs);
      if (ref?.kind === 'Deployment') dirty.add(rowKeyOf('Deployment', `${rs!.metadata.namespace}/${ref.name}`));
    }
    for (const k of batch.changed.get('controllerrevisions') ?? []) {
      const prev = this.ownedCr.get(k);
      if (prev) dirty.add(prev);
      const cr = store.get('controllerrevisions', k);
      const ref = cr && controllerOf(cr);
      if (ref && (ref.kind === 'StatefulSet' || ref.kind === 'DaemonSet')) dirty.add(rowKeyOf(ref.kind, `${cr!.metadata.namespace}/${ref.name}`));
    }
    // Pods matter only for the rows that read them (rollouts not complete). A live, built index
    // recomputes those rows in background slices (drain), not in the notice: under churn a
    // notice of ~300 changed pods cost ~30 ms here, the biggest part of delivering it.
    const byPods = this.live && this.pass === undefined ? this.deferred : dirty;
    if (this.rowPods.size > 0) {
      for (const k of batch.changed.get('pods') ?? []) {
        const pod = store.get('pods', k);
        const owner = pod && this.podOwnerRow(store, pod);
        if (owner && this.rowPods.has(owner)) byPods.add(owner);
        this.addListing(k, byPods);
      }
      for (const k of batch.changed.get('events') ?? []) {
        const e = store.get('events', k);
        const io = e?.involvedObject;
        if (io?.kind !== 'Pod') continue;
        this.addListing(`${io.namespace}/${io.name}`, byPods);
      }
    }
    for (const k of dirty) this.deferred.delete(k);
    if (this.deferred.size > 0) this.scheduleDrain(store);
    return this.recompute(store, dirty);
  }

  /** Rows waiting for a background recompute (pods of theirs changed). */
  private deferred = new Set<string>();
  private draining = false;
  private drainStore: ClusterStore | undefined;
  private readonly changeListeners = new Set<() => void>();

  /** `fn` hears when a background recompute changed the snapshot; returns the unsubscribe.
   *  Rows deferred while nobody listened are recomputed from now on. */
  onChange(fn: () => void): () => void {
    this.changeListeners.add(fn);
    if (this.drainStore) this.scheduleDrain(this.drainStore);
    return () => void this.changeListeners.delete(fn);
  }

  /** Rows still to recompute in the background (tests). */
  get pending(): number {
    return this.deferred.size;
  }

  /**
   * Recompute the deferred rows in the background, but only while a view listens: with the
   * rollouts view closed, pods changing under churn would recompute rows nobody reads (each
   * reads all its workload's pods), and their new copies were a quarter of what reached V8's
   * old generation at 150,000 pods. They wait, at most one entry per row, for the view.
   */
  private scheduleDrain(store: ClusterStore): void {
    this.drainStore = store;
    if (this.draining || this.deferred.size === 0 || this.changeListeners.size === 0) return;
    this.draining = true;
    setImmediate(() => this.drain(store));
  }

  /** Recompute deferred rows for about DRAIN_SLICE_MS, then go on in the next turn. */
  private drain(store: ClusterStore): void {
    const deadline = performance.now() + DRAIN_SLICE_MS;
    const before = this.snapshot;
    while (this.deferred.size > 0 && this.changeListeners.size > 0 && performance.now() < deadline) {
      const keys: string[] = [];
      for (const k of this.deferred) {
        keys.push(k);
        if (keys.length === 16) break;
      }
      for (const k of keys) this.deferred.delete(k);
      this.recompute(store, keys);
    }
    if (this.snapshot !== before) for (const l of this.changeListeners) l();
    if (this.deferred.size > 0 && this.changeListeners.size > 0) setImmediate(() => this.drain(store));
    else this.draining = false;
  }

  /** Recompute these rows and move the ones that came, went or changed rank. */
  private recompute(store: ClusterStore, dirty: Iterable<string>): RolloutSnapshot {
    // While the first build runs, only the rows: the order is made when it is done.
    const building = this.pass !== undefined;
    let changed = false;
    let order: string[] | undefined; // a copy of the order, made on the first move
    for (const key of dirty) {
      const { kind, storeKey } = parseRowKey(key);
      const w = getWorkload(store, kind, storeKey);
      const old = this.rows.get(key);
      if (!w) {
        if (old) {
          this.forget(key);
          if (!building) this.remove((order ??= this.order.slice()), old);
          this.rows.delete(key);
          changed = true;
        }
        continue;
      }
      const row = this.compute(store, kind, w, old);
      if (sameRow(old, row)) {
        if (old!.source !== w) this.rows.set(key, row); // same figures: hold the current object, not the old one
        continue;
      }
      changed = true;
      if (!building && (!old || old.rank !== row.rank)) {
        order ??= this.order.slice();
        if (old) this.remove(order, old);
        this.rows.set(key, row);
        this.insert(order, row);
      } else this.rows.set(key, row);
    }
    if (!changed || building) return this.snapshot;
    if (order) this.order = order;
    this.snapshot = { order: this.order, rows: this.rows, version: this.snapshot.version + 1 };
    return this.snapshot;
  }

  /** Begin a full build (the rows appear when `step` finishes it). */
  start(store: ClusterStore): void {
    this.rebuilds++;
    this.rows = new Map();
    this.ownedRs.clear();
    this.ownedCr.clear();
    this.rowPods.clear();
    this.podRows.clear();
    let total = 0;
    for (const [res] of WORKLOAD_KINDS) total += store.size(res);
    this.pass = { store, it: workloadKeys(store), done: 0, total };
  }

  /** Go on with an unfinished build for about `budgetMs` (default: to the end); true when done. */
  step(budgetMs = Infinity): boolean {
    const pass = this.pass;
    if (!pass) return true;
    const deadline = performance.now() + budgetMs;
    for (;;) {
      // A row costs ~10 µs: check the clock every 32.
      for (let i = 0; i < 32; i++) {
        const r = pass.read ? { done: true as const } : pass.it.next();
        if (r.done) {
          // The sort (~5 ms at 15,000 rows) gets a slice of its own when this one is used up.
          if (!pass.read && (pass.read = true) && performance.now() >= deadline) return false;
          this.pass = undefined;
          this.order = [...this.rows.values()].sort(compareRows).map((row) => row.key);
          this.snapshot = { order: this.order, rows: this.rows, version: this.snapshot.version + 1 };
          return true;
        }
        const [kind, storeKey] = r.value;
        const w = getWorkload(pass.store, kind, storeKey);
        if (w) {
          const row = this.compute(pass.store, kind, w);
          this.rows.set(row.key, row);
        }
        pass.done++;
      }
      if (performance.now() >= deadline) return false;
    }
  }

  /** Run an unfinished build to the end. */
  finish(): RolloutSnapshot {
    this.step();
    return this.snapshot;
  }

  /** Where `r` goes in `order` (the first position not before it). */
  private lowerBound(order: readonly string[], r: RolloutRow): number {
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      this.comparisons++;
      if (compareRows(this.rows.get(order[mid]!)!, r) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insert(order: string[], r: RolloutRow): void {
    order.splice(this.lowerBound(order, r), 0, r.key);
  }

  /** Take out `old` (the row as placed in `order`). */
  private remove(order: string[], old: RolloutRow): void {
    const i = this.lowerBound(order, old);
    if (order[i] === old.key) order.splice(i, 1);
    else {
      const j = order.indexOf(old.key); // not where it should be: never expected
      if (j >= 0) order.splice(j, 1);
    }
  }

  private compute(store: ClusterStore, kind: WorkloadKind, w: Workload, prev?: RolloutRow): RolloutRow {
    this.computed++;
    const { row, podKeys } = buildRow(store, kind, w, prev);
    if (kind === 'Deployment') {
      for (const k of store.byIndex('replicasetsByOwner', row.uid)) this.ownedRs.set(k, row.key);
    } else {
      for (const k of store.byIndex('controllerrevisionsByOwner', row.uid)) this.ownedCr.set(k, row.key);
    }
    // Only the pods that came or went are linked or unlinked. Unlinking and linking again every
    // pod of every recomputed row filled the reverse map's hash table with holes under churn,
    // and V8 rebuilt it (a new table of several MB) every few seconds.
    const before = this.rowPods.get(row.key);
    const now = row.state.phase !== 'complete' ? podKeys : undefined;
    // The same pods in the same order (a pod changed, none came or went): keep the list held.
    if (before && now && sameKeys(before, now)) return row;
    if (before) {
      const kept = now && new Set(now);
      for (const k of before) if (!kept?.has(k)) this.unlink(k, row.key);
    }
    if (now) {
      const had = before && new Set(before);
      for (const k of now) if (!had?.has(k)) this.link(k, row.key);
      this.rowPods.set(row.key, now);
    } else if (before) this.rowPods.delete(row.key);
    return row;
  }

  private forget(rowKey: string): void {
    const pods = this.rowPods.get(rowKey);
    if (!pods) return;
    this.rowPods.delete(rowKey);
    for (const k of pods) this.unlink(k, rowKey);
  }

  /** Record that row `rowKey` read pod `k`. */
  private link(k: string, rowKey: string): void {
    const cur = this.podRows.get(k);
    if (cur === undefined) this.podRows.set(k, rowKey);
    else if (typeof cur === 'string') {
      if (cur !== rowKey) this.podRows.set(k, [cur, rowKey]);
    } else if (!cur.includes(rowKey)) cur.push(rowKey);
  }

  /** Row `rowKey` no longer reads pod `k`. */
  private unlink(k: string, rowKey: string): void {
    const cur = this.podRows.get(k);
    if (cur === rowKey) this.podRows.delete(k);
    else if (Array.isArray(cur)) {
      const rest = cur.filter((r) => r !== rowKey);
      if (rest.length === 0) this.podRows.delete(k);
      else this.podRows.set(k, rest.length === 1 ? rest[0]! : rest);
    }
  }

  /** Add the rows that read pod `key` when last computed. */
  private addListing(key: string, dirty: Set<string>): void {
    const cur = this.podRows.get(key);
    if (cur === undefined) return;
    if (typeof cur === 'string') dirty.add(cur);
    else for (const r of cur) dirty.add(r);
  }

  private podOwnerRow(store: ClusterStore, pod: Pod): string | undefined {
    const ref = controllerOf(pod);
    if (!ref) return undefined;
    const ns = pod.metadata.namespace ?? '';
    if (ref.kind === 'StatefulSet' || ref.kind === 'DaemonSet') return rowKeyOf(ref.kind, `${ns}/${ref.name}`);
    if (ref.kind !== 'ReplicaSet') return undefined;
    const rs = store.get('replicasets', `${ns}/${ref.name}`);
    const owner = rs && controllerOf(rs);
    return owner?.kind === 'Deployment' ? rowKeyOf('Deployment', `${ns}/${owner.name}`) : undefined;
  }
}

/**
 * The rollout rows of a store, kept live (selectors/live.ts): reopening the view rebuilds
 * nothing. Its first build is started here but not run: the view runs it in slices (`step`),
 * or `finish()` at once.
 */
export function rolloutIndexFor(store: ClusterStore): RolloutIndex {
  const create = () => {
    const index = new RolloutIndex();
    index.live = true;
    index.start(store);
    return index;
  };
  return liveModel(store, 'rollouts', create, (index, batch) => index.update(store, batch));
}

// ---- history and undo plans (for one workload) ---------------------------------------------

/** `kubectl rollout history` of a workload, from the store. */
export function historyOf(store: ClusterStore, kind: WorkloadKind, w: Workload, now = Date.now()): RevisionEntry[] {
  if (kind === 'Deployment') return deploymentHistory(w as Deployment, store.objectsByIndex<'replicasets'>('replicasetsByOwner', w.metadata.uid), now);
  return controllerRevisionHistory(w as StatefulSet | DaemonSet, store.objectsByIndex<'controllerrevisions'>('controllerrevisionsByOwner', w.metadata.uid), now);
}

/** The undo plan from the store (for the confirm dialog; Actions re-plans from a fresh read). */
export function planUndoFromStore(store: ClusterStore, kind: WorkloadKind, w: Workload, toRevision = 0): UndoPlan {
  if (kind === 'Deployment') return planDeploymentUndo(w as Deployment, store.objectsByIndex<'replicasets'>('replicasetsByOwner', w.metadata.uid), toRevision);
  return planControllerRevisionUndo(kind, w as StatefulSet | DaemonSet, store.objectsByIndex<'controllerrevisions'>('controllerrevisionsByOwner', w.metadata.uid), toRevision);
}
