// First builds run in slices (issue 9): the pods tree (PodTreeModel.buildStep) and the node
// rows (NodeAllocationIndex.buildRows) end equal to a build done at once, also when change
// batches arrive between slices. So do metrics polls applied to the pods tree in slices
// (PodTreeModel.metricsStep). Nothing here is timed: a 0 ms budget gives the smallest
// slice (the clock is read every 64 pods, every 16 rows).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type LeanPodMetrics, type Node, type NodeMetrics, type Pod } from '../../src/kube/types.js';
import { PodMetricsTable } from '../../src/model/podMetricsTable.js';
import { computeNodeRows, NodeAllocationIndex } from '../../src/model/allocation.js';
import { DEFAULT_HIERARCHY, LabelTree } from '../../src/model/labelTree.js';
import { ClusterStore } from '../../src/store/clusterStore.js';
import { NodeAllocationSelector } from '../../views/selectors/nodeAllocation.js';
import { PodTreeModel, rebuildReference } from '../../views/selectors/podTree.js';
import { generatedCluster } from '../helpers/generatedCluster.js';

// A store's pending notice is a timer (here ~11 days long): close them all, or this file's
// process would wait for it.
const stores: ClusterStore[] = [];
after(() => stores.forEach((s) => s.close()));

function cluster(pods: number, nodes: number): ClusterStore {
  const store = generatedCluster({ pods, nodes, seed: 7 });
  stores.push(store);
  return store;
}

let rv = 1_000_000;
/** Changes spread over the store's pods: readiness flips, relabels (a pod moves group), deletes, new pods. */
function churn(store: ClusterStore, seed: number, n = 40): void {
  const keys = [...store.list('pods').keys()];
  for (let i = 0; i < n; i++) {
    const key = keys[(seed * 7919 + i * 104_729) % keys.length];
    const p = store.get('pods', key);
    if (!p) continue;
    switch (i % 4) {
      case 0: {
        const cs = (p.status?.containerStatuses ?? []).map((c, j) => (j === 0 ? { ...c, ready: !c.ready, restartCount: (c.restartCount ?? 0) + 1 } : c));
        store.upsert('pods', { ...p, metadata: { ...p.metadata, resourceVersion: String(rv++) }, status: { ...p.status, containerStatuses: cs } } as Pod);
        break;
      }
      case 1:
        store.upsert('pods', { ...p, metadata: { ...p.metadata, resourceVersion: String(rv++), labels: { ...p.metadata.labels, 'app.kubernetes.io/name': `moved-${seed}`, [`extra-${seed}`]: 'x' } } } as Pod);
        break;
      case 2:
        store.remove('pods', key);
        break;
      case 3: {
        const name = `${p.metadata.name}-new${rv}`;
        const ns = i % 8 === 3 ? `fresh-${seed}` : p.metadata.namespace;
        store.upsert('pods', { ...p, metadata: { ...p.metadata, name, namespace: ns, uid: `uid-${rv}`, resourceVersion: String(rv++) } } as Pod);
        break;
      }
    }
  }
}

/** A model built at once over the store now (the reference for the label-key counts). */
function fresh(store: ClusterStore, namespace?: string): PodTreeModel {
  const m = new PodTreeModel(DEFAULT_HIERARCHY, namespace);
  m.sync(store, undefined);
  return m;
}

const sameTree = (a: LabelTree, b: LabelTree) => assert.deepEqual(a.snapshot(), b.snapshot());

describe('PodTreeModel: first build in slices', () => {
  test('equals a build done at once; progress counts the pods', () => {
    const store = cluster(3000, 40);
    const m = new PodTreeModel(DEFAULT_HIERARCHY, undefined);
    m.buildSliceMs = 0;
    m.sync(store, undefined);
    assert.deepEqual(m.building, { done: 64, total: 3000 });
    let slices = 1;
    while (!m.buildStep(0)) slices++;
    assert.ok(slices > 10, `${slices} slices`);
    assert.equal(m.building, undefined);
    assert.equal(m.rebuilds, 1);
    sameTree(m.tree, rebuildReference(m, store));
    const once = fresh(store);
    assert.deepEqual(m.rows(), once.rows());
    assert.deepEqual(m.labelKeyList(), once.labelKeyList());
  });

  for (const namespace of [undefined, 'team-01']) {
    test(`batches between slices are applied: equal to a fresh build at the end (${namespace ?? 'all namespaces'})`, () => {
      const store = cluster(3000, 40);
      if (namespace) assert.ok(store.byIndex('podsByNamespace', namespace).size > 200, 'namespace too small for the test');
      const m = new PodTreeModel(DEFAULT_HIERARCHY, namespace);
      m.live = true;
      m.buildSliceMs = 0;
      store.subscribe((b) => m.sync(store, b));
      m.sync(store, undefined);
      let slices = 1;
      for (; !m.buildStep(0); slices++) {
        // Every few slices a batch, over pods already added and pods still to come.
        if (slices % 4 === 0) {
          churn(store, slices);
          store.flush();
        }
      }
      assert.ok(slices > 8, `${slices} slices`);
      sameTree(m.tree, rebuildReference(m, store));
      assert.deepEqual(m.labelKeyList(), fresh(store, namespace).labelKeyList());
      // And it stays incremental afterwards.
      churn(store, 999);
      store.flush();
      sameTree(m.tree, rebuildReference(m, store));
      assert.equal(m.rebuilds, 1);
    });
  }

  test('a model fed no batches catches up at the end when asked to sync meanwhile', () => {
    const store = cluster(2000, 30);
    const m = new PodTreeModel(DEFAULT_HIERARCHY, undefined);
    m.buildSliceMs = 0;
    m.sync(store, undefined);
    for (let i = 0; i < 5; i++) m.buildStep(0);
    churn(store, 3);
    store.flush();
    m.sync(store, undefined); // a notice that may have been missed
    while (!m.buildStep(0));
    sameTree(m.tree, rebuildReference(m, store));
  });

  test('a filter set during the build matches the whole tree at the end', () => {
    const store = cluster(2000, 30);
    const m = new PodTreeModel(DEFAULT_HIERARCHY, undefined);
    m.live = true;
    m.buildSliceMs = 0;
    m.filterSliceMs = 0;
    store.subscribe((b) => m.sync(store, b));
    m.sync(store, undefined);
    for (let i = 0; i < 5; i++) m.buildStep(0);
    m.setFilter('team-01');
    m.finishFilter();
    churn(store, 5);
    store.flush();
    while (!m.buildStep(0));
    const once = fresh(store);
    once.setFilter('team-01');
    once.finishFilter();
    sameTree(m.filtered!, once.filtered!);
  });
});

/** A poll in which every pod's usage differs from the last one's (every 13th pod has none). */
function poll(store: ClusterStore, round: number): void {
  const pods = new Map<string, LeanPodMetrics>();
  let i = 0;
  for (const [key, p] of store.list('pods')) {
    if ((++i + round) % 13 === 0) continue;
    const names = p.spec.containers.map((c) => c.name);
    pods.set(key, { containers: names, usage: names.flatMap((_, j) => [1_000_000 * (1 + ((i * 7 + j + round) % 900)), 1_048_576 * (1 + ((i * 3 + round) % 700))]) });
  }
  store.setMetrics({ available: true, nodes: new Map(), pods: PodMetricsTable.of(pods, store.metrics.pods) });
}

/** A model over every pod, fed every batch, metrics applied 64 pods a step. */
function slicedModel(store: ClusterStore): PodTreeModel {
  const m = new PodTreeModel(DEFAULT_HIERARCHY, undefined);
  m.live = true;
  m.metricsSliceMs = 0;
  store.subscribe((b) => m.sync(store, b));
  return m;
}

describe('PodTreeModel: metrics polls applied in slices', () => {
  /** The filtered tree a model built at once has for this text. */
  function filteredAtOnce(store: ClusterStore, text: string): LabelTree {
    const once = fresh(store);
    once.setFilter(text);
    once.finishFilter();
    return once.filtered!;
  }

  test('batches and the next poll between slices: the trees equal fresh builds at the end', () => {
    const store = cluster(3000, 40);
    const m = slicedModel(store);
    m.sync(store, undefined);
    m.setFilter('team-01');
    m.finishFilter();
    poll(store, 1);
    store.flush(); // -> sync: the poll's first slice
    assert.ok(m.applyingMetrics);
    let slices = 1;
    for (; !m.metricsStep(0); slices++) {
      if (slices % 5 === 0) {
        churn(store, slices);
        store.flush();
      }
      if (slices === 12) {
        poll(store, 2);
        store.flush();
      }
    }
    assert.ok(slices > 40, `${slices} slices`);
    assert.equal(m.applyingMetrics, false);
    sameTree(m.tree, rebuildReference(m, store));
    sameTree(m.filtered!, filteredAtOnce(store, 'team-01'));
    assert.ok(m.tree.root.rollup.podsWithUsage > 2000, `${m.tree.root.rollup.podsWithUsage} pods with usage`);
  });

  test('polls during the first build and a filter search: every tree counts the last one', () => {
    const store = cluster(3000, 40);
    poll(store, 1);
    store.flush();
    const m = slicedModel(store);
    m.buildSliceMs = 0;
    m.filterSliceMs = 0;
    m.sync(store, undefined);
    for (let i = 0; i < 10; i++) m.buildStep(0);
    poll(store, 2); // over the pods added so far, while the build adds more
    store.flush();
    for (let i = 0; i < 5; i++) {
      m.buildStep(0);
      m.metricsStep(0);
    }
    m.setFilter('team-01'); // its tree is built as the search goes
    poll(store, 3);
    store.flush();
    churn(store, 7);
    store.flush();
    m.finishFilter();
    while (!m.buildStep(0));
    while (!m.metricsStep(0));
    sameTree(m.tree, rebuildReference(m, store));
    sameTree(m.filtered!, filteredAtOnce(store, 'team-01'));
  });
});

describe('NodeAllocationIndex.buildRows in slices', () => {
  function filled(store: ClusterStore): NodeAllocationIndex {
    const idx = new NodeAllocationIndex();
    for (const n of store.list('nodes').values()) idx.upsertNode(n);
    for (const [k, p] of store.list('pods')) idx.upsertPod(p, k);
    return idx;
  }

  test('rows built in slices equal rows() built at once', () => {
    const store = cluster(3000, 200);
    const sliced = filled(store);
    assert.equal(sliced.rowsPending, 200);
    let slices = 1;
    while (!sliced.buildRows(0)) slices++;
    assert.ok(slices > 5, `${slices} slices`);
    assert.equal(sliced.rowsPending, 0);
    assert.deepEqual(sliced.rows(), filled(store).rows());
  });

  test('changes between slices are picked up', () => {
    const store = cluster(3000, 200);
    const idx = filled(store);
    for (let slice = 0; !idx.buildRows(0); slice++) {
      if (slice % 3 !== 0) continue;
      churn(store, slice, 20);
      for (const [k, p] of store.list('pods')) if (idx.pod(k) !== p) idx.upsertPod(p, k);
      for (const k of [...idx.podKeys()]) if (!store.get('pods', k)) idx.deletePod(k);
    }
    const nodes = [...store.list('nodes').values()] as Node[];
    assert.deepEqual(idx.rows(), computeNodeRows(nodes, [...store.list('pods').values()]));
  });

  test('the selector: count in slices, then rows in slices, equal to a sync done at once', () => {
    const store = cluster(3000, 200);
    const sel = new NodeAllocationSelector(store, true);
    sel.sync(undefined, 0);
    while (!sel.step(0));
    assert.ok(sel.rowsPending > 0);
    while (!sel.buildRows(0));
    const once = new NodeAllocationSelector(store, true);
    once.sync(undefined);
    assert.deepEqual(sel.rows(), once.rows());
  });

  test('the nodes are counted in slices too; nodes, node metrics and pods changed between slices: equal to a sync done at once', () => {
    const store = cluster(3000, 1000);
    const sel = new NodeAllocationSelector(store, true);
    store.subscribe((b) => sel.sync(b));
    const nodeMetrics = (round: number) => {
      const m = new Map<string, NodeMetrics>();
      let i = 0;
      for (const name of store.list('nodes').keys()) {
        if ((++i + round) % 5 === 0) continue;
        m.set(name, { metadata: { name }, usage: { cpu: `${(i * 37 + round) % 4000}m`, memory: `${(i * 13 + round) % 9000}Mi` } });
      }
      store.setMetrics({ available: true, nodes: m, pods: store.metrics.pods });
    };
    nodeMetrics(0);
    store.flush();
    // The first slice (the view's first frame waits for it) holds at most one clock check of nodes.
    sel.sync(undefined, 0);
    assert.ok(sel.index.rows().length <= 256, `${sel.index.rows().length} nodes in the first slice`);
    for (let round = 1; sel.progress && round < 200; round++) {
      sel.step(0);
      const names = [...store.list('nodes').keys()];
      const name = names[(round * 7919) % names.length]!;
      const n = store.get('nodes', name)!;
      if (round % 3 === 0) store.remove('nodes', name);
      else store.upsert('nodes', { ...n, metadata: { ...n.metadata, resourceVersion: String(rv++), labels: { ...n.metadata.labels, round: String(round) } }, status: { ...n.status, allocatable: { ...n.status?.allocatable, cpu: `${round}` } } } as Node);
      if (round % 4 === 1) store.upsert('nodes', { ...n, metadata: { ...n.metadata, name: `added-${round}`, uid: `node-uid-${round}`, resourceVersion: String(rv++) } } as Node);
      if (round % 5 === 2) nodeMetrics(round);
      churn(store, round, 10);
      store.flush();
    }
    while (!sel.step(0));
    while (!sel.buildRows(0));
    const once = new NodeAllocationSelector(store, true);
    once.sync(undefined);
    assert.deepEqual(sel.rows(), once.rows());
    assert.ok(once.rows().some((r) => r.name.startsWith('added-')) && once.rows().length > 900);
    assert.ok(once.rows().filter((r) => r.cpu.usage !== undefined).length > 700, 'node usage counted');
  });
});

describe('LabelTree.expandToDepth', () => {
  test('a no-op when the depth is unchanged and nothing was opened or closed since', () => {
    const store = cluster(500, 10);
    const t = new LabelTree(DEFAULT_HIERARCHY, store.list('pods').values(), { expandDepth: 1 });
    const rows = t.visibleRows();
    const [version, visited] = [t.version, t.nodesVisited];
    t.expandToDepth(1);
    assert.deepEqual([t.version, t.nodesVisited], [version, visited]);
    t.expandToDepth(2); // another depth: a recount
    assert.ok(t.version > version && t.nodesVisited > visited);
    const first = t.rowAt(0)!;
    t.toggle(first);
    t.expandToDepth(2); // same depth, but a group was closed: reopened
    const reopened = t.rowAt(0)!;
    assert.equal(reopened.type === 'group' && reopened.expanded, true);
    t.expandToDepth(1);
    assert.deepEqual(t.visibleRows(), rows);
  });
});

describe("the store's pod map replaced under churn (ChurnMap)", () => {
  /** Pods deleted and added back under new names: what churn does most to a table keyed by pod. */
  function recreate(store: ClusterStore, round: number, n: number): void {
    const keys = [...store.list('pods').keys()];
    for (let i = 0; i < n; i++) {
      const key = keys[(round * 7919 + i * 104_729) % keys.length]!;
      const p = store.get('pods', key);
      if (!p) continue;
      store.remove('pods', key);
      store.upsert('pods', { ...p, metadata: { ...p.metadata, name: `${p.metadata.name}-r${rv}`, uid: `uid-${rv}`, resourceVersion: String(rv++) } } as Pod);
    }
  }

  test('first builds and metrics passes in slices, batches between them: equal to fresh builds across switches', () => {
    const store = cluster(3000, 40);
    const tree = slicedModel(store);
    tree.buildSliceMs = 0;
    const nodes = new NodeAllocationSelector(store, true);
    store.subscribe((b) => nodes.sync(b));
    tree.sync(store, undefined);
    nodes.sync(undefined, 0);
    const maps = new Set([store.list('pods')]);
    for (let round = 0; round < 40; round++) {
      tree.buildStep(0);
      nodes.step(0);
      tree.metricsStep(0);
      recreate(store, round, 60);
      if (round % 10 === 3) poll(store, round);
      store.flush();
      maps.add(store.list('pods'));
    }
    // 2,400 recreates of 3,000 pods (a 4,096-slot table fills after 1,096 new keys)
    assert.ok(maps.size >= 3, `the store's pod map was replaced ${maps.size - 1} times`);
    while (!tree.buildStep(0));
    while (!tree.metricsStep(0));
    while (!nodes.step(0));
    while (!nodes.buildRows(0));
    sameTree(tree.tree, rebuildReference(tree, store));
    assert.ok(tree.tree.root.rollup.podsWithUsage > 2000, `${tree.tree.root.rollup.podsWithUsage} pods with usage`);
    const once = new NodeAllocationSelector(store, true);
    once.sync(undefined);
    assert.deepEqual(nodes.rows(), once.rows());
    assert.equal(tree.tree.size, 3000);
  });
});
