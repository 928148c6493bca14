// The pods tree, fed from the store's change batches: one LabelTree per (store, hierarchy,
// namespace scope), built once, then updated pod by pod (O(depth) each) from the keys a
// batch names. A `/` filter keeps a second, smaller tree of the matching pods (built when the
// filter text changes, then updated the same way), so groups keep their ancestors and their
// roll-ups count what is shown.
//
// `rebuilds` counts full builds: the view test, integration test and bench check that watch
// events never add to it.
import fuzzysort from 'fuzzysort';
import type { Pod, PodMetrics } from '../../src/kube/types.js';
import { LabelTree, type Level, type SortMode, type TreeRow } from '../../src/model/labelTree.js';
import type { ChangeBatch, ClusterStore } from '../../src/store/clusterStore.js';

/** Filter: every match is kept (limit = pod count); scores below this are not matches. */
export const POD_TREE_FILTER_THRESHOLD = 0.2;

/** Groups open at start: namespaces show their applications. */
export const INITIAL_EXPAND_DEPTH = 1;

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
  private metricsSeen: ReadonlyMap<string, PodMetrics> | undefined = undefined;
  private metricsAvailable = false;

  constructor(
    readonly levels: readonly Level[],
    readonly namespace: string | undefined,
    private sortMode: SortMode = 'name',
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
    const before = this.active.version;
    // Metrics first: on the first build each pod then gets its usage as it is added.
    if (store.metrics.pods !== this.metricsSeen || store.metrics.available !== this.metricsAvailable) {
      this.metricsSeen = store.metrics.pods;
      this.metricsAvailable = store.metrics.available;
      this.tree.applyPodMetrics(this.metricsList());
      this.filtered?.applyPodMetrics(this.metricsList());
    }
    if (!this.synced) {
      this.synced = true;
      this.rebuilds++;
      for (const p of this.scopePods(store)) this.upsert(p);
    } else if (!batch) {
      this.reconcile(store);
    } else {
      const keys = batch.changed.get('pods');
      if (keys) for (const k of keys) this.apply(k, store.get('pods', k));
    }
    if (this.active.version !== before) this.version++;
    return this.version;
  }

  private metricsList(): Iterable<PodMetrics> | undefined {
    return this.metricsAvailable && this.metricsSeen ? this.metricsSeen.values() : undefined;
  }

  private scopePods(store: ClusterStore): Iterable<Pod> {
    if (this.namespace === undefined) return store.list('pods').values();
    return store.objectsByIndex<'pods'>('podsByNamespace', this.namespace);
  }

  /** One store key: added, modified or deleted. */
  private apply(key: string, pod: Pod | undefined): void {
    if (pod && this.inScope(pod)) this.upsert(pod);
    else this.remove(key);
  }

  private upsert(pod: Pod): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const old = this.tree.pod(key)?.pod;
    if (old === pod) return;
    if (old) this.countLabels(old, -1);
    this.countLabels(pod, 1);
    this.tree.addOrUpdatePod(pod);
    if (this.filtered) {
      if (this.matches(key)) this.filtered.addOrUpdatePod(pod);
      else this.filtered.removePod(key);
    }
  }

  private remove(key: string): void {
    const old = this.tree.pod(key)?.pod;
    if (!old) return;
    this.countLabels(old, -1);
    this.tree.removePod(key);
    this.filtered?.removePod(key);
  }

  private reconcile(store: ClusterStore): void {
    const seen = new Set<string>();
    for (const p of this.scopePods(store)) {
      const key = `${p.metadata.namespace}/${p.metadata.name}`;
      seen.add(key);
      this.upsert(p);
    }
    for (const key of this.podKeys()) if (!seen.has(key)) this.remove(key);
  }

  /** Keys of the pods in the (unfiltered) tree. */
  podKeys(): string[] {
    const out: string[] = [];
    const walk = (g: LabelTree['root']) => {
      for (const k of g.pods.keys()) out.push(k);
      for (const c of g.children.values()) walk(c);
    };
    walk(this.tree.root);
    return out;
  }

  private countLabels(p: Pod, sign: 1 | -1): void {
    for (const k of Object.keys(p.metadata.labels ?? {})) {
      const n = (this.labelKeys.get(k) ?? 0) + sign;
      if (n <= 0) this.labelKeys.delete(k);
      else this.labelKeys.set(k, n);
    }
  }

  // ---- filter ----------------------------------------------------------------------------

  private matches(key: string): boolean {
    const r = fuzzysort.single(this.filter, key);
    return r !== null && r.score >= POD_TREE_FILTER_THRESHOLD;
  }

  /** Set the `/` filter text; builds the filtered tree when the text changes. */
  setFilter(text: string): void {
    const q = text.trim();
    if (q === this.filter) return;
    this.filter = q;
    this.version++;
    if (!q) {
      this.filtered = undefined;
      return;
    }
    this.rebuilds++;
    const keys = this.podKeys();
    const hits = fuzzysort.go(q, keys, { limit: keys.length, threshold: POD_TREE_FILTER_THRESHOLD });
    // Matches show down to their pods: every group level starts open.
    this.filtered = new LabelTree(this.levels, [], { sort: this.sortMode, expandDepth: this.levels.length });
    this.filtered.applyPodMetrics(this.metricsList());
    for (const h of hits) this.filtered.addOrUpdatePod(this.tree.pod(h.target)!.pod);
  }

  // ---- view state ------------------------------------------------------------------------

  setSort(mode: SortMode): void {
    this.sortMode = mode;
    this.tree.setSort(mode);
    this.filtered?.setSort(mode);
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
  if (store.metrics.available) t.applyPodMetrics(store.metrics.pods.values());
  return t;
}
