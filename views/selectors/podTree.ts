// The pods tree, fed from the store's change batches: one LabelTree per (store, hierarchy,
// namespace scope), built once, then updated pod by pod (O(depth) each) from the keys a
// batch names. A `/` filter keeps a second, smaller tree of the matching pods (built when the
// filter text changes, then updated the same way), so groups keep their ancestors and their
// roll-ups count what is shown.
//
// The filter is the shared one (views/filter.ts: name, namespace, node, labels, images, or
// `-l`), over the shared pod index. A new filter text is searched and its tree built in
// slices (SLICE_MS each) while the previous tree stays shown; pods that change meanwhile are
// re-checked when it completes, so the new tree is exact.
//
// The first build (every pod in scope grouped: ~5 µs a pod, 0.6-0.9 s at 150,000 pods) is
// resumable: `sync` runs it for `buildSliceMs` (default: to the end), `buildStep(ms)` goes on
// (the view runs it in ~12 ms slices in the background). Pods are read from the store as
// their turn comes (a live iterator over the store's map, or the namespace's key set), and
// batches arriving meanwhile are applied as usual, so the tree equals a fresh build at the end.
//
// A metrics poll changes every pod's usage (150,000 pods: ~0.1-0.2 s to move it all in the
// roll-ups). `sync` starts it on each tree and runs it for `metricsSliceMs` (default: to
// the end); the rest runs in the background (finishMetrics, METRICS_SLICE_MS at a time), the
// trees exact meanwhile for the figures they count (labelTree.ts: startPodMetrics).
//
// `rebuilds` counts full builds: the view test, integration test and bench check that watch
// events never add to it.
import type { Pod } from '../../src/kube/types.js';
import type { PodMetricsTable } from '../../src/model/podMetricsTable.js';
import { LabelTree, type Level, type SortMode, type TreeRow } from '../../src/model/labelTree.js';
import type { ChangeBatch, ClusterStore } from '../../src/store/clusterStore.js';
import { finishInBackground } from '../backgroundWork.js';
import { FilterScan, FILTER_THRESHOLD, matchesFilter, newPodSearchIndex, SLICE_MS, type SearchIndex } from '../filter.js';
import { liveModel } from './live.js';

/** Filter: every match is kept (limit = pod count); scores below this are not matches. */
export const POD_TREE_FILTER_THRESHOLD = FILTER_THRESHOLD;

/** A filter being searched: its tree, built as matches are found. */
interface PendingFilter {
  text: string;
  scan: FilterScan<string, Pod>;
  tree: LabelTree;
  /** Matches of the scan already added to the tree. */
  added: number;
  /** Pods changed since the scan started: checked again at the end. */
  dirty: Set<string>;
}

/** A first build under way. */
interface Build {
  store: ClusterStore;
  /** The store keys of the pods in scope, visited as the build goes (sees pods added meanwhile). */
  keys: Iterator<string>;
  done: number;
  total: number;
  /** A non-live model was asked to catch up meanwhile: reconcile at the end. */
  reconcile: boolean;
}

/** Groups open at start: namespaces show their applications. */
export const INITIAL_EXPAND_DEPTH = 1;

/** A metrics poll applied in slices: work per slice, and how often listeners hear about it. */
export const METRICS_SLICE_MS = 8;
const METRICS_PROGRESS_MS = 200;

export class PodTreeModel {
  /** All pods in scope. */
  tree: LabelTree;
  /** The pods matching the filter, when one is set. */
  filtered: LabelTree | undefined;
  filter = '';
  /** Full builds (constructor, filter changes, explicit rebuild). */
  rebuilds = 0;
  /** Bumped on every change the view must show. */
  version = 0;
  /** Label keys seen on pods in scope, with how many pods carry each (editor completion). */
  readonly labelKeys = new Map<string, number>();
  private synced = false;
  private metricsSeen: PodMetricsTable | undefined = undefined;
  private metricsAvailable = false;

  private pending: PendingFilter | undefined;
  /** The last complete filter search: the next one starts from it (views/filter.ts). */
  private lastScan: FilterScan<string, Pod> | undefined;
  /** Set by podTreeFor: the model gets every change batch of its store. */
  live = false;
  private lastBatch: ChangeBatch | undefined;
  /** Filter work per slice (tests set 0: one chunk of rows per slice). */
  filterSliceMs = SLICE_MS;
  /** The first build's work inside the first `sync` (Infinity: all of it); `buildStep` goes on. */
  buildSliceMs = Infinity;
  private build: Build | undefined;
  /** A new metrics poll's work inside `sync` (Infinity: all of it); the rest runs in the
   *  background (finishMetrics). */
  metricsSliceMs = Infinity;
  /** Key of this model's background metrics work (backgroundWork.ts). */
  private readonly metricsWork = {};

  constructor(
    readonly levels: readonly Level[],
    readonly namespace: string | undefined,
    private sortMode: SortMode = 'name',
    /** Prepared search targets of the pods (the view passes the store's shared one). */
    readonly index: SearchIndex<Pod> = newPodSearchIndex(),
  ) {
    this.tree = new LabelTree(levels, [], { sort: sortMode, expandDepth: INITIAL_EXPAND_DEPTH });
  }

  /** The tree the view shows. */
  get active(): LabelTree {
    return this.filtered ?? this.tree;
  }

  get sort(): SortMode {
    return this.sortMode;
  }

  inScope(p: Pod): boolean {
    return this.namespace === undefined || p.metadata.namespace === this.namespace;
  }

  /**
   * Bring the tree up to date. With a batch: only its pod keys. Without one (first use, or
   * a notice that may have been missed): the first call builds; later ones reconcile by
   * object identity (O(n) comparisons, no regrouping of unchanged pods).
   */
  sync(store: ClusterStore, batch: ChangeBatch | undefined): number {
    // A live model (podTreeFor) is fed every batch: nothing to reconcile, nor to apply twice.
    if (this.live && this.synced && (!batch || batch === this.lastBatch)) return this.version;
    if (batch) this.lastBatch = batch;
    const before = this.active.version;
    // Metrics first: on the first build each pod then gets its usage as it is added.
    if (store.metrics.pods !== this.metricsSeen || store.metrics.available !== this.metricsAvailable) {
      this.metricsSeen = store.metrics.pods;
      this.metricsAvailable = store.metrics.available;
      for (const t of this.trees()) t.startPodMetrics(this.metricsList());
      if (!this.metricsStep(this.metricsSliceMs)) {
        this.finishMetrics(() => undefined);
        this.version++; // the view hears of it (and of the end: finishMetrics)
      }
    }
    if (!this.synced) {
      this.synced = true;
      this.rebuilds++;
      const keys = this.namespace === undefined ? store.list('pods').keys() : store.byIndex('podsByNamespace', this.namespace).values();
      this.build = { store, keys, done: 0, total: this.scopeSize(store), reconcile: false };
      this.buildStep(this.buildSliceMs);
    } else if (!batch) {
      if (this.build) this.build.reconcile = true;
      else this.reconcile(store);
    } else {
      // During a first build too: pods already added get the change; the others are added
      // as the batch has them (their turn then finds them up to date) or read when it comes.
      const keys = batch.changed.get('pods');
      if (keys) for (const k of keys) this.apply(k, store.get('pods', k));
    }
    if (this.active.version !== before) this.version++;
    return this.version;
  }

  /** Pods in scope in the store. */
  private scopeSize(store: ClusterStore): number {
    return this.namespace === undefined ? store.size('pods') : store.byIndex('podsByNamespace', this.namespace).size;
  }

  /** Set while the first build is under way: pods added so far, and of how many. */
  get building(): { done: number; total: number } | undefined {
    const b = this.build;
    return b ? { done: b.done, total: Math.max(b.total, b.done) } : undefined;
  }

  /** Go on with the first build for about `budgetMs`; true when it is complete (or none runs). */
  buildStep(budgetMs = Infinity): boolean {
    const b = this.build;
    if (!b) return true;
    const before = this.active.version;
    const deadline = budgetMs === Infinity ? Infinity : performance.now() + budgetMs;
    let finished = false;
    // Check the clock every 64 pods (~5 µs a pod).
    for (let n = 1; ; n++) {
      const r = b.keys.next();
      if (r.done) {
        finished = true;
        break;
      }
      const p = b.store.get('pods', r.value);
      if (p && this.inScope(p)) this.upsert(r.value, p);
      b.done++;
      if ((n & 63) === 0 && performance.now() >= deadline) break;
    }
    if (finished) {
      this.build = undefined;
      if (b.reconcile) this.reconcile(b.store);
    }
    if (this.active.version !== before || finished) this.version++;
    return finished;
  }

  /** The trees kept up to date: all pods, the filter's, and the one of a filter being searched. */
  private trees(): LabelTree[] {
    const out = [this.tree];
    if (this.filtered) out.push(this.filtered);
    if (this.pending) out.push(this.pending.tree);
    return out;
  }

  /** Set while the roll-ups do not count the last metrics poll yet (metricsStep goes on). */
  get applyingMetrics(): boolean {
    return this.trees().some((t) => t.applyingMetrics);
  }

  /** Go on applying the last metrics poll for about `budgetMs`; true when every tree counts it. */
  metricsStep(budgetMs = Infinity): boolean {
    const before = this.active.version;
    const deadline = performance.now() + budgetMs;
    let done = true;
    for (const t of this.trees()) {
      // A tree done at the deadline leaves the next one a minimal slice (64 pods).
      if (!t.stepPodMetrics(Math.max(0, deadline - performance.now()))) {
        done = false;
        break;
      }
    }
    if (this.active.version !== before) this.version++;
    return done;
  }

  /** Apply the last metrics poll to the end in the background, METRICS_SLICE_MS at a time (to
   *  the end also when the view is left); `onProgress` hears about it. Returns its unsubscribe. */
  finishMetrics(onProgress: () => void): () => void {
    return finishInBackground(this.metricsWork, () => this.metricsStep(METRICS_SLICE_MS), onProgress, METRICS_PROGRESS_MS);
  }

  /** Drop an unfinished build (the model is dropped: podTreeFor made another). */
  abandonBuild(): void {
    this.build = undefined;
  }

  private metricsList(): PodMetricsTable | undefined {
    return this.metricsAvailable ? this.metricsSeen : undefined;
  }

  /** The pods in scope with their store keys (the store's strings: the tree keeps them). */
  private *scopePods(store: ClusterStore): Iterable<[string, Pod]> {
    if (this.namespace === undefined) return yield* store.list('pods');
    for (const k of store.byIndex('podsByNamespace', this.namespace)) {
      const p = store.get('pods', k);
      if (p) yield [k, p];
    }
  }

  /** One store key: added, modified or deleted. */
  private apply(key: string, pod: Pod | undefined): void {
    if (pod && this.inScope(pod)) this.upsert(key, pod);
    else this.remove(key);
  }

  private upsert(key: string, pod: Pod): void {
    const old = this.tree.podObject(key);
    if (old === pod) return;
    if (old) this.countLabels(old, -1);
    this.countLabels(pod, 1);
    this.tree.addOrUpdatePod(pod, key);
    this.pending?.dirty.add(key);
    if (this.filtered) this.applyFilter(this.filtered, this.filter, key, pod);
  }

  private remove(key: string): void {
    const old = this.tree.podObject(key);
    if (!old) return;
    this.countLabels(old, -1);
    this.tree.removePod(key);
    this.filtered?.removePod(key);
    this.pending?.dirty.add(key);
  }

  private reconcile(store: ClusterStore): void {
    const seen = new Set<string>();
    for (const [key, p] of this.scopePods(store)) {
      seen.add(key);
      this.upsert(key, p);
    }
    for (const key of this.podKeys()) if (!seen.has(key)) this.remove(key);
  }

  /** Keys of the pods in the (unfiltered) tree: the same array while the tree is unchanged
   *  (a new filter text then starts from the last search's reads). */
  podKeys(): readonly string[] {
    if (this.keysAt?.version !== this.tree.version) this.keysAt = { version: this.tree.version, keys: [...this.tree.keys()] };
    return this.keysAt.keys;
  }
  private keysAt: { version: number; keys: readonly string[] } | undefined;

  private countLabels(p: Pod, sign: 1 | -1): void {
    for (const k of Object.keys(p.metadata.labels ?? {})) {
      const n = (this.labelKeys.get(k) ?? 0) + sign;
      if (n <= 0) this.labelKeys.delete(k);
      else this.labelKeys.set(k, n);
    }
  }

  // ---- filter ----------------------------------------------------------------------------

  /** Add or remove one pod in a filtered tree, by whether it matches `text`. */
  private applyFilter(tree: LabelTree, text: string, key: string, pod: Pod | undefined): void {
    if (pod && matchesFilter(this.index, text, pod)) tree.addOrUpdatePod(pod, key);
    else tree.removePod(key);
  }

  /** Set while a new filter text is being searched: the share of pods searched, 0..1. */
  get searching(): number | undefined {
    return this.pending?.scan.progress;
  }

  /**
   * Set the `/` filter text. A new text starts a search that runs a slice now and, when there
   * is more, in the background (calling `onChange` when done, and every ~100 ms for progress);
   * the shown tree changes when it is complete.
   */
  setFilter(text: string, onChange: () => void = () => undefined): void {
    const q = text.trim();
    if (q === (this.pending?.text ?? this.filter)) return;
    const back = q === this.filter; // back to the text shown: its tree is up to date
    const superseded = this.pending?.scan;
    this.pending = undefined;
    this.version++;
    if (back) return;
    if (!q) {
      this.filter = '';
      this.filtered = undefined;
      this.lastScan = undefined;
      return;
    }
    this.rebuilds++;
    // Matches show down to their pods: every group level starts open.
    const tree = new LabelTree(this.levels, [], { sort: this.sortMode, expandDepth: this.levels.length });
    tree.applyPodMetrics(this.metricsList());
    const rows = this.podKeys();
    const scan = new FilterScan(rows, q, this.index, (k) => k, (k) => this.tree.podObject(k), superseded?.rows === rows ? superseded : this.lastScan);
    const pending: PendingFilter = { text: q, scan, tree, added: 0, dirty: new Set() };
    this.pending = pending;
    if (this.filterSlice(pending, this.filterSliceMs)) return;
    let ping = performance.now();
    const more = () => {
      if (this.pending !== pending) return; // superseded by a newer text: dropped
      if (this.filterSlice(pending, this.filterSliceMs)) return onChange();
      if (performance.now() - ping >= 100) {
        ping = performance.now();
        onChange();
      }
      setImmediate(more);
    };
    setImmediate(more);
  }

  /** Finish a pending filter search now (tests, benchmarks). */
  finishFilter(): void {
    if (this.pending) this.filterSlice(this.pending, Infinity);
  }

  /** Stop a pending search (the view goes away). */
  cancelFilter(): void {
    this.pending = undefined;
  }

  /** Search and build for about `ms`; on completion the new tree is shown. */
  private filterSlice(p: PendingFilter, ms: number): boolean {
    const done = p.scan.step(performance.now() + ms / 2);
    const hits = p.scan.result().rows;
    for (; p.added < hits.length; p.added++) p.tree.addOrUpdatePod(this.tree.podObject(hits[p.added])!, hits[p.added]);
    if (!done) return false;
    for (const key of p.dirty) this.applyFilter(p.tree, p.text, key, this.tree.podObject(key));
    this.pending = undefined;
    this.lastScan = p.scan;
    this.filter = p.text;
    this.filtered = p.tree;
    this.version++;
    return true;
  }

  // ---- view state ------------------------------------------------------------------------

  setSort(mode: SortMode): void {
    this.sortMode = mode;
    this.tree.setSort(mode);
    this.filtered?.setSort(mode);
    this.version++;
  }

  /** Back to how a new model starts: no filter, sorted by name, groups open to the initial depth. */
  reset(): void {
    this.cancelFilter();
    this.filter = '';
    this.filtered = undefined;
    this.lastScan = undefined;
    if (this.sortMode !== 'name') this.setSort('name');
    this.tree.expandToDepth(INITIAL_EXPAND_DEPTH);
    this.version++;
  }

  /** Mutate the shown tree's expansion (or anything else) and mark a change. */
  update(fn: (t: LabelTree) => void): void {
    fn(this.active);
    this.version++;
  }

  /** Every visible row: O(visible rows), for tests and benchmarks. Views use window(). */
  rows(): TreeRow[] {
    return this.active.visibleRows();
  }

  /** Rows [start, start + count) of the shown tree: O(depth x fan-out + count). */
  window(start: number, count: number): TreeRow[] {
    return this.active.rowsInWindow(start, count);
  }

  /** Label keys for completion, most used first. */
  labelKeyList(): string[] {
    return [...this.labelKeys.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
  }
}

/** A fresh tree over the same pods (for tests: the incremental tree must equal it). */
export function rebuildReference(model: PodTreeModel, store: ClusterStore): LabelTree {
  const pods = [...store.list('pods').values()].filter((p) => model.inScope(p));
  const t = new LabelTree(model.levels, pods, { sort: model.sort });
  if (store.metrics.available) t.applyPodMetrics(store.metrics.pods);
  return t;
}

/**
 * The pods tree of a store for a hierarchy and namespace scope, kept live (selectors/live.ts)
 * so that coming back to the pods view does not regroup every pod: one model per store, the
 * last one asked for. A kept model comes back as a new one starts: no filter, sorted by name,
 * groups open to INITIAL_EXPAND_DEPTH. A new model's first build may be left unfinished
 * (`buildSliceMs`): the caller goes on with `buildStep`. Metrics polls are applied in slices
 * (METRICS_SLICE_MS in `sync`, the rest in the background: finishMetrics).
 */
export function podTreeFor(
  store: ClusterStore,
  levels: readonly Level[],
  namespace: string | undefined,
  index: () => SearchIndex<Pod>,
  /** A new model's first build runs this long at once (default: to the end); then buildStep. */
  buildSliceMs = Infinity,
): PodTreeModel {
  const spec = JSON.stringify(levels);
  const fits = (m: PodTreeModel) => {
    const ok = m.namespace === namespace && JSON.stringify(m.levels) === spec;
    if (!ok) m.abandonBuild();
    return ok;
  };
  let created: PodTreeModel | undefined;
  const create = () => {
    created = new PodTreeModel(levels, namespace, 'name', index());
    created.live = true;
    created.buildSliceMs = buildSliceMs;
    created.metricsSliceMs = METRICS_SLICE_MS;
    created.sync(store, undefined);
    return created;
  };
  const m = liveModel(store, 'podTree', create, (model, batch) => model.sync(store, batch), fits);
  if (m !== created) m.reset();
  return m;
}
