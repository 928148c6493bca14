// The bridge from the store's change batches to NodeAllocationIndex (src/model/allocation.ts).
//
// One NodeAllocationSelector per store (a live model, selectors/live.ts): it is fed every
// change batch from its first use on, also while the nodes view is hidden, so coming back to
// the view costs nothing over the pods. Without a batch it reconciles by identity (the store
// replaces an object on every update, so "same reference" means "unchanged"); a live
// selector does that once, on first use.
//
//   batch given      -> O(changed keys): upsert / delete exactly those pods and nodes
//   batch undefined  -> reconcile by identity: O(objects) map lookups, O(changed) real work
//                       (first load, remount, or a notice the view may have missed). It is
//                       resumable, nodes first and then pods: a view runs it in ~12 ms slices
//                       so that counting 150,000 pods never freezes the keyboard, and the
//                       nodes view's first frame does not wait for 5,000 nodes (~60 ms).
import type { Node, Pod } from '../../src/kube/types.js';
import {
  NodeAllocationIndex,
  nodeUsageFromMetrics,
  type NodeAllocationDetail,
  type NodeRow,
  type PodAllocation,
} from '../../src/model/allocation.js';
import type { ChangeBatch, ClusterStore, MetricsSnapshot } from '../../src/store/clusterStore.js';
import { liveModel } from './live.js';

/**
 * Visit the keys left in `it` until `deadline`: true when none is left. The clock is read every
 * 256 keys: performance.now() costs more than an unchanged pod.
 */
function drain(it: Iterator<string>, visit: (key: string) => void, deadline: number): boolean {
  for (;;) {
    for (let i = 0; i < 256; i++) {
      const r = it.next();
      if (r.done) return true;
      visit(r.value);
    }
    if (performance.now() >= deadline) return false;
  }
}

export class NodeAllocationSelector {
  readonly index = new NodeAllocationIndex();
  /** The nodes the index was fed, by store key (identity tells what changed; the index keeps the pods). */
  private readonly seenNodes = new Map<string, Node>();
  private seenMetrics: MetricsSnapshot | undefined;
  private lastBatch: ChangeBatch | undefined;
  private rowsCache: { version: number; rows: NodeRow[] } | undefined;
  private missingCache: { version: number; pods: PodAllocation[] } | undefined;
  /** An unfinished reconcile: the store's node keys still to check (until all are), then its pod keys. */
  private pass: { nodes: Iterator<string> | undefined; it: Iterator<string>; done: number; total: number } | undefined;

  /** Full reconciles started (first load; a live selector never needs another). */
  reconciles = 0;

  constructor(
    readonly store: ClusterStore,
    /** Fed every batch of the store (nodeAllocationFor): a call without a batch has nothing to catch up. */
    readonly live = false,
  ) {}

  /** The index version: changes whenever a row or a node's pod list may have changed. */
  get version(): number {
    return this.index.version;
  }

  /**
   * Apply a change batch (O(changed keys)), or with no batch start a reconcile by identity
   * and run it for up to `budgetMs` (default: to the end). Returns the index version.
   * A reconcile that did not finish goes on with `step()`; batches keep applying meanwhile.
   */
  sync(batch: ChangeBatch | undefined, budgetMs = Infinity): number {
    if (batch) {
      // Several subscribers (table, detail) may hand over the same batch: apply it once.
      if (batch === this.lastBatch) return this.index.version;
      this.lastBatch = batch;
      const nodes = batch.changed.get('nodes');
      if (nodes) for (const k of nodes) this.syncNode(k);
      const pods = batch.changed.get('pods');
      if (pods) for (const k of pods) this.syncPod(k);
      if (batch.metricsChanged) this.syncMetrics();
      return this.index.version;
    }
    if (this.live && this.reconciles > 0) return this.index.version;
    this.reconciles++;
    const pods = this.store.list('pods');
    // A Map iterator stays valid while the map changes (entries added later are visited too).
    this.pass = { nodes: this.store.list('nodes').keys(), it: pods.keys(), done: 0, total: pods.size };
    this.step(budgetMs);
    return this.index.version;
  }

  /** Go on with an unfinished reconcile for about `budgetMs`; true when in sync. */
  step(budgetMs = Infinity): boolean {
    const pass = this.pass;
    if (!pass) return true;
    const deadline = performance.now() + budgetMs;
    if (pass.nodes) {
      if (!drain(pass.nodes, (k) => this.syncNode(k), deadline)) return false;
      const nodes = this.store.list('nodes');
      for (const k of [...this.seenNodes.keys()]) if (!nodes.has(k)) this.syncNode(k);
      if (this.store.metrics !== this.seenMetrics) this.syncMetrics();
      pass.nodes = undefined;
    }
    if (!drain(pass.it, (k) => { this.syncPod(k); pass.done++; }, deadline)) return false;
    const pods = this.store.list('pods');
    for (const k of [...this.index.podKeys()]) if (!pods.has(k)) this.syncPod(k);
    this.pass = undefined;
    return true;
  }

  /** Progress of an unfinished reconcile (pods checked / pods in the store), else undefined. */
  get progress(): { done: number; total: number } | undefined {
    return this.pass ? { done: this.pass.done, total: Math.max(this.pass.total, this.pass.done) } : undefined;
  }

  private syncNode(key: string): void {
    const n = this.store.get('nodes', key);
    if (n) {
      if (this.seenNodes.get(key) === n) return;
      this.seenNodes.set(key, n);
      this.index.upsertNode(n);
    } else if (this.seenNodes.delete(key)) {
      this.index.deleteNode(key);
    }
  }

  private syncPod(key: string): void {
    const p = this.store.get('pods', key);
    if (p) {
      if (this.index.pod(key) === p) return;
      this.index.upsertPod(p, key);
    } else {
      this.index.deletePod(key);
    }
  }

  private syncMetrics(): void {
    const m = this.store.metrics;
    this.seenMetrics = m;
    this.index.setNodeUsage(m.available ? nodeUsageFromMetrics(m.nodes.values()) : undefined);
  }

  /**
   * Rebuild the rows of changed nodes for about `budgetMs` (NodeAllocationIndex.buildRows):
   * true when `rows()` has nothing left to build. The view runs it in slices after a count.
   */
  buildRows(budgetMs = Infinity): boolean {
    return this.index.buildRows(budgetMs);
  }

  /** Node rows still to rebuild (progress of buildRows). */
  get rowsPending(): number {
    return this.index.rowsPending;
  }

  /** All node rows by name (only the rows of changed nodes are rebuilt). */
  rows(): NodeRow[] {
    const v = this.index.version;
    if (this.rowsCache?.version !== v) this.rowsCache = { version: v, rows: this.index.rows() };
    return this.rowsCache.rows;
  }

  /** kubectl describe node's pod list and "Allocated resources" (O(pods on the node)): the
   *  pods the index holds among those the store lists on the node. */
  nodeDetail(name: string): NodeAllocationDetail | undefined {
    const pods: Pod[] = [];
    for (const k of this.store.byIndex('podsByNode', name)) {
      const p = this.index.pod(k);
      if (p) pods.push(p);
    }
    return this.index.nodeDetail(name, pods);
  }

  /** Cluster-wide pods with a container lacking requests or limits (O(pods), memoized). */
  podsMissingResources(): PodAllocation[] {
    const v = this.index.version;
    if (this.missingCache?.version !== v) this.missingCache = { version: v, pods: this.index.podsMissingResources() };
    return this.missingCache.pods;
  }

  /** Metrics as the store has them: whether usage columns have data. */
  get metricsAvailable(): boolean {
    return this.store.metrics.available;
  }
}

/** The live selector of a store (created on first use, kept and fed as long as the store lives). */
export function nodeAllocationFor(store: ClusterStore): NodeAllocationSelector {
  return liveModel(store, 'nodeAllocation', () => new NodeAllocationSelector(store, true), (s, batch) => s.sync(batch));
}
