// Performance regression guards for the feature views that time NOTHING: they count.
// - Switching back to a view rebuilds none of its models (nodes allocation, pods tree,
//   rollouts, volumes) and lists no pods: each model is kept per store and fed every change
//   batch while its view is hidden (views/selectors/live.ts).
// - A burst of pod changes costs each view the same number of store reads whether the
//   cluster has 2,000 or 8,000 pods, on the shown view and the hidden ones alike.
// (test/bench/views.ts gives the figures at 150,000 pods.)
import React from 'react'; // JSX in tests (test/ is outside tsconfig, so tsx uses the classic runtime)
import { afterEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render } from 'ink-testing-library';
import { type Pod } from '../../src/kube/types.js';
import { loadKeymap } from '../../src/keys/keymap.js';
import { ClusterStore } from '../../src/store/clusterStore.js';
import { App } from '../../views/App.js';
import { isRunning } from '../../views/backgroundWork.js';
import { podsTreeProbe } from '../../views/PodsTreeView.js';
import { nodeAllocationFor } from '../../views/selectors/nodeAllocation.js';
import { rolloutIndexFor } from '../../views/selectors/rollouts.js';
import { volumesSelectorFor } from '../../views/selectors/volumes.js';
import { generatedCluster, singleContext } from '../helpers/generatedCluster.js';

const keymap = loadKeymap();
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
afterEach(() => cleanup());

/**
 * A generated cluster, synced, as the reflectors leave it, with every deployment's status
 * taken off (not rolled out): the rollouts index then reads every pod, its worst case.
 */
const clusterStore = (pods: number, nodes: number): ClusterStore =>
  generatedCluster({ pods, nodes, seed: 7, synced: true, prepare: (kind, raw) => (kind === 'deployments' ? { ...(raw as object), status: {} } : raw) });

/** Counts store reads: get() calls, and list() calls per kind. */
function countReads(store: ClusterStore) {
  const counts = { gets: 0, lists: new Map<string, number>() };
  const get = store.get.bind(store);
  const list = store.list.bind(store);
  store.get = ((kind: never, key: string) => (counts.gets++, get(kind, key))) as typeof store.get;
  store.list = ((kind: never) => (counts.lists.set(kind, (counts.lists.get(kind) ?? 0) + 1), list(kind))) as typeof store.list;
  return {
    counts,
    reset: () => {
      counts.gets = 0;
      counts.lists.clear();
    },
  };
}

const VIEW_KEYS = [
  ['1', /Nodes — /],
  ['2', /pods · sort/],
  ['3', /Volume conflicts — /],
  ['4', /Rollouts — /],
] as const;

async function until(screen: () => string, re: RegExp): Promise<void> {
  for (let i = 0; i < 300 && !re.test(screen()); i++) await tick(10);
  assert.match(screen(), re);
}

/** A readiness flip of `n` pods (every `step`-th), as watch MODIFIED events. */
function flipPods(store: ClusterStore, n: number, step: number, rv: number): void {
  const keys = [...store.list('pods').keys()];
  for (let i = 0; i < n; i++) {
    const p = store.get('pods', keys[(i * step) % keys.length])!;
    const cs = (p.status.containerStatuses ?? []).map((c) => ({ ...c, ready: !c.ready }));
    store.upsert('pods', { ...p, metadata: { ...p.metadata, resourceVersion: String(rv + i) }, status: { ...p.status, containerStatuses: cs } } as Pod);
  }
}

describe('feature views keep their models across view switches', () => {
  test('switching back rebuilds no model and lists no pod; a batch reads the same at 2,000 and 8,000 pods', async () => {
    const perBatchReads: number[] = [];
    for (const [pods, nodes] of [
      [2000, 60],
      [8000, 240],
    ] as const) {
      const store = clusterStore(pods, nodes);
      const t = render(<App contexts={singleContext(store, 'guard')} keymap={keymap} width={140} height={30} initialView="events" onExit={() => undefined} />);
      const screen = () => t.lastFrame() ?? '';
      // First visits build each model once.
      for (const [key, title] of VIEW_KEYS) {
        t.stdin.write(key);
        await until(screen, title);
      }
      await until(screen, /Rollouts — /);
      const nodesSel = nodeAllocationFor(store);
      const tree = podsTreeProbe.model!;
      // Big first builds go on in background slices (the pods tree from 5,000 pods): they must be
      // done before a batch's reads are counted, or their reads count too (a loaded CI machine
      // once still had the tree building at 8,000 pods: 888 reads against 400).
      const building = () => !!(nodesSel.progress || tree.building || rolloutIndexFor(store).progress);
      for (let i = 0; i < 1000 && building(); i++) await tick(10);
      assert.equal(building(), false, 'the first builds finished within 10 s');
      const built = { nodes: nodesSel.reconciles, tree: tree.rebuilds, rollouts: rolloutIndexFor(store).rebuilds, volumes: volumesSelectorFor(store).computations };
      assert.deepEqual(built, { nodes: 1, tree: 1, rollouts: 1, volumes: 1 });

      // Changes while the views are hidden reach their models (events view shown).
      t.stdin.write('5');
      await until(screen, /Events — /);
      for (let i = 0; i < 500 && rolloutIndexFor(store).pending > 0; i++) await tick(5);
      flipPods(store, 50, 37, 9_000_000);
      const reads = countReads(store);
      store.flush();
      await tick(20);
      // The rollouts index recomputes rows whose pods changed only while its view is shown.
      assert.ok(rolloutIndexFor(store).pending > 0, 'rows of the hidden rollouts view wait');
      perBatchReads.push(reads.counts.gets);
      assert.equal(reads.counts.lists.get('pods') ?? 0, 0, 'a batch listed every pod');

      // Second visits: no rebuild, no pod listed.
      reads.reset();
      for (const [key, title] of VIEW_KEYS) {
        t.stdin.write(key);
        await until(screen, title);
      }
      assert.equal(reads.counts.lists.get('pods') ?? 0, 0, 'a view switch listed every pod');
      // The rollouts view was shown again: the rows that waited are recomputed, reading their pods.
      for (let i = 0; i < 500 && rolloutIndexFor(store).pending > 0; i++) await tick(5);
      assert.equal(rolloutIndexFor(store).pending, 0);
      assert.equal(podsTreeProbe.model, tree, 'the pods tree was rebuilt');
      assert.deepEqual({ nodes: nodesSel.reconciles, tree: tree.rebuilds, rollouts: rolloutIndexFor(store).rebuilds, volumes: volumesSelectorFor(store).computations }, built);
      // The hidden pods tree saw the flips: 50 pods of 2 containers each, all ready before.
      const rollup = tree.tree.root.rollup;
      assert.equal(rollup.pods, pods);
      assert.equal(rollup.totalContainers, 2 * pods);
      assert.equal(rollup.readyContainers, 2 * pods - 100);
      t.unmount();
      store.close();
    }
    assert.ok(perBatchReads[0] > 0);
    assert.equal(perBatchReads[1], perBatchReads[0], `store reads per batch grew with the cluster: ${perBatchReads.join(' -> ')}`);
  });
});

describe('the nodes view after a count that outlasted the first visit', () => {
  test('the table is sorted and measured in the background: opening the view again computes nothing in its render', async () => {
    // Over 20,000 pods the first count runs in background slices only (NodesView's BIG_CLUSTER_PODS).
    const store = clusterStore(21_000, 120);
    const t = render(<App contexts={singleContext(store, 'guard')} keymap={keymap} width={140} height={30} initialView="events" onExit={() => undefined} />);
    const screen = () => t.lastFrame() ?? '';
    const sel = nodeAllocationFor(store);
    t.stdin.write('1');
    await until(screen, /Nodes — .*counting/);
    t.stdin.write('5'); // a glance: closed while the count goes on
    await until(screen, /Events — /);
    for (let i = 0; i < 1000 && (sel.progress || isRunning(sel)); i++) await tick(10);
    assert.equal(isRunning(sel), false, 'the count and its table finished within 10 s');

    const rows = mock.method(sel, 'rows');
    t.stdin.write('1');
    await until(screen, /Nodes — 120\b/);
    assert.equal(rows.mock.callCount(), 0, "the view's render listed the rows again: the table was not ready");
    // The table as it opens: sorted by name, with the cluster's totals.
    const names = screen().split('\n').map((l) => /\b(node-\S+)/.exec(l)?.[1]).filter((n): n is string => !!n);
    assert.ok(names.length >= 10, screen());
    assert.deepEqual(names, [...names].sort());
    assert.match(screen(), /TOTAL/);
    rows.mock.restore();
    t.unmount();
    store.close();
  });
});
