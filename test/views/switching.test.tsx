import React from 'react'; // JSX in tests (test/ is outside tsconfig, so tsx uses the classic runtime)
// View switches and quiet clusters at scale, counted (frames drawn, models built, rows rebuilt,
// tree groups visited), never timed:
// - a bookmark (a watch event that only stamps lastSyncAt) redraws nothing; the header's
//   clock runs only while something ages;
// - a view whose first render would build a big model draws a frame with its title and what it
//   prepares first, then mounts; keys typed meanwhile reach it;
// - the nodes view's first count of every pod goes on to the end after the view is left, and
//   its rows are built with it, not in the frame that shows them again;
// - the pods tree comes back without a recount when it was left as it was found;
// - the pod list's keys (PodListKeys): a big first sort in slices and the moves of change
//   batches give kubectl's order, as a full sort does; done in the background once pods are
//   synced, so the list opens with its rows.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render } from 'ink-testing-library';
import { type Pod } from '../../src/kube/types.js';
import { loadKeymap } from '../../src/keys/keymap.js';
import { ClusterStore } from '../../src/store/clusterStore.js';
import { App } from '../../views/App.js';
import { PodListKeys, PREPARE_PODS as LIST_PREPARE_PODS, podListKeysFor, podListPreparing } from '../../views/PodListView.js';
import { podsTreeProbe, PREPARE_PODS as TREE_PREPARE_PODS } from '../../views/PodsTreeView.js';
import { nodeAllocationFor } from '../../views/selectors/nodeAllocation.js';
import { compareKeys } from '../../views/selectors/sortedKeys.js';
import { FakeContexts, pod, syncAll, tick, framesSettled } from './fixtures.js';
import { generatedCluster, singleContext } from '../helpers/generatedCluster.js';

const keymap = loadKeymap();
afterEach(() => cleanup());

/** A generated cluster, synced, as the reflectors leave it. */
const generated = (pods: number, nodes: number): ClusterStore => generatedCluster({ pods, nodes, seed: 11, synced: true, context: 'big' });

async function until(what: () => boolean, message: () => string, tries = 500): Promise<void> {
  for (let i = 0; i < tries && !what(); i++) await tick(10);
  assert.ok(what(), message());
}

function smallCluster(): FakeContexts {
  const contexts = new FakeContexts(['quiet']);
  for (let i = 0; i < 30; i++) contexts.store.upsert('pods', pod(`team-${i % 3}`, `web-${i}`, { node: `node-${i % 4}` }));
  syncAll(contexts.store);
  contexts.store.flush();
  return contexts;
}

describe('a quiet cluster redraws nothing', () => {
  for (const view of ['pods', 'podlist', 'nodes', 'events']) {
    test(`bookmarks (lastSyncAt stamps) draw no frame on the ${view} view`, async () => {
      const contexts = smallCluster();
      const r = render(<App contexts={contexts} keymap={keymap} width={100} height={20} initialView={view} onExit={() => {}} />);
      // The view's own first frames done (a loaded machine draws them later than 30 ms: CI
      // once counted one of them as drawn for a bookmark): no new frame for 150 ms.
      await framesSettled(r, 150);
      const before = r.frames.length;
      for (let i = 0; i < 3; i++) {
        for (const kind of ['pods', 'nodes', 'events'] as const) contexts.store.setState(kind, { lastSyncAt: Date.now() + 1000 * (i + 1) });
        contexts.store.flush();
        await tick(5);
      }
      assert.equal(r.frames.length, before, 'frames drawn for bookmarks');
      r.unmount();
    });
  }

  test("the header's clock runs only while something ages", async () => {
    const contexts = smallCluster();
    const r = render(<App contexts={contexts} keymap={keymap} width={100} height={20} initialView="podlist" onExit={() => {}} />);
    await framesSettled(r);
    const quiet = r.frames.length;
    await tick(1200);
    assert.equal(r.frames.length, quiet, 'frames while nothing ages');
    // The pods watch drops: "pods stale 0s", then the age counts up once a second.
    contexts.store.setState('pods', { stale: true, lastSyncAt: Date.now() });
    contexts.store.flush();
    await tick(20);
    const header = () => (r.lastFrame() ?? '').split('\n')[1];
    assert.match(header(), /pods stale 0s/);
    await until(() => /pods stale [12]s/.test(header()), () => `header: ${header()}`, 250);
    r.unmount();
  });
});

describe('switching to a view with a big model to build', () => {
  test('draws the title and what it prepares first, then the view; keys typed meanwhile reach it', async () => {
    const store = generated(TREE_PREPARE_PODS + 1000, 200);
    const r = render(<App contexts={singleContext(store, 'big')} keymap={keymap} width={120} height={30} initialView="events" onExit={() => {}} />);
    await tick(30);
    const from = r.frames.length;
    r.stdin.write('2jj'); // the pods tree, then two rows down
    await until(() => /pods · sort/.test(r.lastFrame() ?? ''), () => `screen:\n${r.lastFrame()}`);
    const frames = r.frames.slice(from);
    const preparing = frames.findIndex((f) => f.startsWith('kfleet Pods ') && f.split('\n')[2] === `Pods — grouping ${(TREE_PREPARE_PODS + 1000).toLocaleString('en-US')} pods…`);
    const tree = frames.findIndex((f) => /pods · sort/.test(f));
    assert.ok(preparing >= 0, `no "grouping" frame in:\n${frames.join('\n----\n')}`);
    assert.ok(preparing < tree, 'the "grouping" frame comes first');
    // The held keys moved the cursor: the third row of the tree is selected.
    const selectedRow = () => {
      const lines = (r.lastFrame() ?? '').split('\n');
      return lines.findIndex((l) => l.startsWith('> ')) - lines.findIndex((l) => /^\s+NAME\s/.test(l));
    };
    await until(() => selectedRow() === 3, () => `row ${selectedRow()} is selected, not the third:\n${r.lastFrame()}`);
    // Back to the tree later: built, nothing to prepare, the view comes at once.
    r.stdin.write('5');
    await until(() => /Events — /.test(r.lastFrame() ?? ''), () => 'events');
    const again = r.frames.length;
    r.stdin.write('2');
    await until(() => /pods · sort/.test(r.lastFrame() ?? ''), () => 'tree again');
    assert.ok(!r.frames.slice(again).some((f) => f.includes('grouping')), 'prepared again');
    r.unmount();
    store.close();
  });

  test('the nodes view counts every pod to the end after it is left, rows included', async () => {
    // Big enough that the count takes many slices even on a fast machine: whether it is still
    // running when the test looks depends on scheduling (a loaded CI machine polls late).
    const store = generated(48_000, 300);
    const r = render(<App contexts={singleContext(store, 'big')} keymap={keymap} width={140} height={30} initialView="events" onExit={() => {}} />);
    await tick(30);
    r.stdin.write('1');
    await until(() => (r.lastFrame() ?? '').startsWith('kfleet Nodes'), () => 'nodes');
    const sel = nodeAllocationFor(store);
    assert.ok(sel.progress, 'the first count was done before the view was seen: the cluster is too small for this test');
    assert.ok(r.frames.some((f) => /counting pods [\d,]+\/48,000…/.test(f)), 'a frame shows the count in progress');
    r.stdin.write('5'); // leave at once
    let built = 0;
    const rows = sel.index.rows.bind(sel.index);
    sel.index.rows = () => (built++, rows());
    await until(() => /Events — /.test(r.lastFrame() ?? ''), () => 'events');
    // The count goes on while the view is hidden, and its rows are built after it, once.
    await until(() => sel.progress === undefined && built === 1, () => `progress ${JSON.stringify(sel.progress)}, rows built ${built} times while the view was hidden`);
    r.stdin.write('1');
    await until(() => /Nodes — 300 · sort/.test(r.lastFrame() ?? ''), () => `screen:\n${r.lastFrame()}`);
    assert.equal(built, 1, 'rows rebuilt for the frame that shows them');
    assert.equal(sel.reconciles, 1);
    r.unmount();
    store.close();
  });
});

describe('the pods tree kept per store', () => {
  test('comes back without a recount when left as found, and as it starts when groups were opened or closed', async () => {
    const contexts = smallCluster();
    const r = render(<App contexts={contexts} keymap={keymap} width={100} height={30} initialView="pods" onExit={() => {}} />);
    await tick(30);
    const model = podsTreeProbe.model!;
    const screen = () => r.lastFrame() ?? '';
    const firstTree = screen().split('\n').slice(2).join('\n');
    r.stdin.write('5');
    await until(() => /Events — /.test(screen()), () => 'events');
    const visited = model.tree.nodesVisited;
    r.stdin.write('2');
    await until(() => /pods · sort/.test(screen()), () => 'pods');
    assert.equal(podsTreeProbe.model, model);
    // The window only: no recount (a recount visits every group; see below).
    const groups = (g: typeof model.tree.root): number => 1 + [...g.children.values()].reduce((n, c) => n + groups(c), 0);
    const untouched = model.tree.nodesVisited - visited;
    assert.ok(untouched < groups(model.tree.root), `tree nodes visited coming back: ${untouched} of ${groups(model.tree.root)} groups`);
    assert.equal(screen().split('\n').slice(2).join('\n'), firstTree);
    // Close the first namespace, leave, come back: it is open again (the initial depth).
    r.stdin.write('\r');
    await tick(10);
    assert.match(screen().split('\n').find((l) => l.startsWith('> ')) ?? '', /▸ team-0/);
    r.stdin.write('5');
    await until(() => /Events — /.test(screen()), () => 'events');
    const before = podsTreeProbe.model!.tree.nodesVisited;
    r.stdin.write('2');
    await until(() => /pods · sort/.test(screen()), () => 'pods');
    assert.equal(screen().split('\n').slice(2).join('\n'), firstTree);
    assert.equal(podsTreeProbe.model, model);
    assert.ok(model.tree.nodesVisited - before >= groups(model.tree.root), 'the groups were reopened without a recount');
    r.unmount();
  });
});

describe("the pod list's keys (PodListKeys)", () => {
  test('sorted in the background once pods are synced, before the list is opened: it opens with its rows', async () => {
    const store = generated(LIST_PREPARE_PODS + 1000, 200);
    assert.equal(podListPreparing(store, undefined), `sorting ${(LIST_PREPARE_PODS + 1000).toLocaleString('en-US')} pods…`, 'nothing sorted before the app runs');
    const r = render(<App contexts={singleContext(store, 'big')} keymap={keymap} width={120} height={30} initialView="events" onExit={() => {}} />);
    await until(() => podListPreparing(store, undefined) === undefined, () => 'the sort never started');
    await until(() => podListKeysFor(store).progress === undefined, () => `the sort did not finish: ${JSON.stringify(podListKeysFor(store).progress)}`);
    assert.deepEqual(podListKeysFor(store).keys, [...store.list('pods').keys()].sort(compareKeys));
    const from = r.frames.length;
    r.stdin.write(':podlist');
    await until(() => (r.lastFrame() ?? '').includes(':podlist'), () => 'the palette');
    r.stdin.write('\r');
    const firstKey = podListKeysFor(store).keys[0]!;
    await until(() => (r.lastFrame() ?? '').includes(firstKey.split('/')[1]!), () => `the list's first pod:\n${r.lastFrame()}`);
    assert.ok(!r.frames.slice(from).some((f) => f.includes('sorting')), 'a frame waited for a sort');
    r.unmount();
    store.close();
  });

  const mk = (ns: string, name: string): Pod => ({ metadata: { namespace: ns, name, uid: `${ns}/${name}`, resourceVersion: '1' }, spec: { containers: [] }, status: {} }) as Pod;
  const full = (store: ClusterStore) => [...store.list('pods').keys()].sort(compareKeys);

  test('a big first sort in slices, with changes meanwhile, then batches of moves, in kubectl order', () => {
    const store = new ClusterStore(1e9);
    const n = LIST_PREPARE_PODS + 5000;
    // Namespaces that sort differently whole and as a prefix ("a" / "a-b") and names that do too.
    const nss = ['a', 'a-b', 'team-1', 'team-10', 'team-2', 'b'];
    for (let i = 0; i < n; i++) store.upsert('pods', mk(nss[(i * 7) % nss.length], `app-${(i * 7919) % 100_003}-${i}`));
    store.flush();
    const keys = new PodListKeys(store);
    store.subscribe((b) => keys.apply(b));
    assert.deepEqual(keys.keys, []);
    assert.deepEqual(keys.progress, { done: 0, total: n });
    let slices = 0;
    let serial = 0;
    while (!keys.step(1)) {
      slices++;
      if (slices % 3 === 1) {
        // Added, removed (maybe already sorted), modified while the sort goes on.
        const all = [...store.list('pods').keys()];
        store.upsert('pods', mk(nss[slices % nss.length], `added-${serial++}`));
        store.remove('pods', all[(slices * 131) % all.length]);
        const p = store.get('pods', all[(slices * 17) % all.length])!;
        store.upsert('pods', { ...p, metadata: { ...p.metadata, resourceVersion: String(slices) } });
        store.flush();
      }
      assert.ok(slices < 10_000);
    }
    assert.ok(slices > 1, 'one slice did it all');
    assert.equal(keys.progress, undefined);
    assert.deepEqual(keys.keys, full(store));
    // Batches: a few moves (spliced) and many (one pass).
    for (const [adds, removes, modifies] of [[3, 2, 40], [0, 0, 66], [300, 250, 10], [1, 0, 0]]) {
      const before = keys.version;
      const all = [...store.list('pods').keys()];
      for (let i = 0; i < adds; i++) store.upsert('pods', mk(nss[i % nss.length], `batch-${serial++}`));
      for (let i = 0; i < removes; i++) store.remove('pods', all[(i * 977 + adds) % all.length]);
      for (let i = 0; i < modifies; i++) {
        const p = store.get('pods', all[(i * 53 + 7) % all.length]);
        if (p) store.upsert('pods', { ...p, metadata: { ...p.metadata, resourceVersion: `m${serial++}` } });
      }
      const shown = keys.keys;
      store.flush();
      assert.deepEqual(keys.keys, full(store), `after ${adds} added, ${removes} removed, ${modifies} modified`);
      if (adds + removes === 0) {
        assert.equal(keys.keys, shown, 'modified pods moved no key');
        assert.equal(keys.version, before);
      } else assert.equal(keys.version, before + 1);
    }
    store.close();
  });

  test('keys stored in order (a list answer is by namespace and name) are one run: nothing to merge', () => {
    const store = new ClusterStore(1e9);
    const n = LIST_PREPARE_PODS + 30_000;
    const sorted = Array.from({ length: n }, (_, i) => ['team-1', 'team-2'][Math.floor((2 * i) / n)]! + '/' + `app-${String(i).padStart(6, '0')}`).sort(compareKeys);
    for (const k of sorted) store.upsert('pods', mk(k.split('/')[0]!, k.split('/')[1]!));
    store.flush();
    const inOrder = new PodListKeys(store);
    while (!inOrder.step(5));
    assert.deepEqual(inOrder.keys, sorted);
    assert.equal(inOrder.merges, 0);
    // Then pods recreated under churn come last in the store: a few runs to merge, same order.
    for (let i = 0; i < 50; i++) store.remove('pods', sorted[i * 997]!);
    for (let i = 0; i < 50; i++) store.upsert('pods', mk('team-1', `app-${String(i * 997).padStart(6, '0')}`));
    store.flush();
    const afterChurn = new PodListKeys(store);
    while (!afterChurn.step(5));
    assert.deepEqual(afterChurn.keys, full(store));
    assert.ok(afterChurn.merges >= 1 && afterChurn.merges <= 2, `merges: ${afterChurn.merges}`);
    store.close();
  });
});
