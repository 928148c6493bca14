// Performance regression guards that time NOTHING: they count. What they pin down is the shape
// of the work (npm run bench gives the figures):
// - one watch event costs the pod list view the same number of model reads whether the cluster
//   has 3,000 or 12,000 pods (no per-event work that grows with the cluster), and only the
//   visible window is drawn;
// - one watch event is one changed key in one coalesced notice;
// - lean pods share what replicas have in common (the memory budget at 150,000 pods).
import React from 'react'; // JSX in tests (test/ is outside tsconfig, so tsx uses the classic runtime)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { leanPod } from '../../src/kube/lean.js';
import type { Pod } from '../../src/kube/types.js';
import { ClusterStore, type ChangeBatch } from '../../src/store/clusterStore.js';
import { PodListView } from '../../views/PodListView.js';
import { ShellContext, type ShellInternals } from '../../views/shell.js';
import { loadKeymap } from '../../src/keys/keymap.js';

const keymap = loadKeymap();
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** A raw pod as the API server sends it (what lean.ts gets), replica `i` of app `app`. */
function rawPod(i: number, app = `app-${i % 50}`, ready = true): Record<string, unknown> {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: `${app}-7d9f8-${String(i).padStart(5, '0')}`,
      namespace: `team-${i % 4}`,
      uid: `uid-${i}`,
      resourceVersion: String(1000 + i),
      creationTimestamp: '2026-11-18T05:00:00Z',
      labels: { app, 'pod-template-hash': '7d9f8' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-7d9f8`, uid: `rs-${app}`, controller: true, blockOwnerDeletion: true }],
      managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', fieldsV1: { 'f:metadata': {} } }],
    },
    spec: {
      nodeName: `node-${i % 10}`,
      containers: [{ name: 'main', image: `registry.example.com/${app}:1.0`, resources: { requests: { cpu: '100m', memory: '128Mi' } }, env: [{ name: 'A', value: 'b' }] }],
    },
    status: {
      phase: 'Running',
      podIP: `10.0.${i >> 8}.${i & 255}`,
      hostIP: `10.1.0.${i % 10}`,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-11-18T05:00:10Z' }],
      containerStatuses: [{ name: 'main', ready, restartCount: 0, started: true, image: `registry.example.com/${app}:1.0`, state: { running: { startedAt: '2026-11-18T05:00:05Z' } } }],
    },
  };
}

/** Parsed from JSON, as the reflector does: every pod starts with its own copies. */
const parsed = (i: number, ready = true) => JSON.parse(JSON.stringify(rawPod(i, undefined, ready)));

function storeWith(n: number): ClusterStore {
  const store = new ClusterStore(1);
  for (let i = 0; i < n; i++) store.upsert('pods', leanPod(parsed(i)));
  store.setState('pods', { phase: 'synced', loaded: n, stale: false, lastSyncAt: Date.now() });
  store.flush();
  return store;
}

describe('lean pods share what replicas have in common', () => {
  test('containers, labels, owner, conditions and container statuses are one object per workload', () => {
    const a = leanPod(parsed(50));
    const b = leanPod(parsed(100)); // same app (i % 50), another replica
    assert.notEqual(a.metadata.name, b.metadata.name);
    assert.equal(a.spec.containers, b.spec.containers);
    assert.equal(a.metadata.labels, b.metadata.labels);
    assert.equal(a.metadata.ownerReferences, b.metadata.ownerReferences);
    assert.equal(a.status.conditions, b.status.conditions);
    assert.equal(a.status.containerStatuses, b.status.containerStatuses);
    // ...and nothing is shared that differs: a not-ready replica has its own statuses.
    const c = leanPod(parsed(150, false));
    assert.notEqual(c.status.containerStatuses, a.status.containerStatuses);
    assert.equal(c.status.containerStatuses![0].ready, false);
    assert.equal(a.status.containerStatuses![0].ready, true);
    // The lean pod keeps what views read and drops the rest.
    assert.deepEqual(a.spec.containers, [{ name: 'main', image: 'registry.example.com/app-0:1.0', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: undefined } }]);
    assert.equal((a.metadata as Record<string, unknown>).managedFields, undefined);
  });
});

describe('one watch event', () => {
  test('is one changed key in one coalesced notice, whatever the store size', async () => {
    const store = storeWith(5000);
    const batches: ChangeBatch[] = [];
    store.subscribe((b) => batches.push(b));
    store.upsert('pods', leanPod({ ...parsed(7, false), metadata: { ...parsed(7).metadata, resourceVersion: '999999' } }));
    store.flush();
    assert.equal(batches.length, 1);
    assert.deepEqual([...batches[0].changed.keys()], ['pods']);
    assert.deepEqual([...batches[0].changed.get('pods')!], ['team-3/app-7-7d9f8-00007']);
    // Indexes moved one key, not the cluster: the node bucket still holds its 500 pods.
    assert.equal(store.byIndex('podsByNode', 'node-7').size, 500);
  });

  test('re-renders the pod list with the same number of model reads at 3,000 and 12,000 pods, drawing only the visible rows', async () => {
    const reads: number[] = [];
    for (const n of [3000, 12_000]) {
      const store = storeWith(n);
      const internals: ShellInternals = { api: { keymap, readonly: false, contextName: 'test', notify: () => undefined, confirm: () => undefined, openView: () => undefined }, viewHandlers: [], navHandlers: [] };
      const r = render(
        <ShellContext.Provider value={internals}>
          <PodListView store={store} width={140} height={12} namespace={undefined} filter="" options={{}} />
        </ShellContext.Provider>,
      );
      await tick(20);
      const first = r.lastFrame() ?? '';
      assert.match(first, /team-0 +app-0-7d9f8-00000 +1\/1 +Running/);

      // Count model reads from here on: one pod (the first row) stops being ready.
      let gets = 0;
      const get = store.get.bind(store);
      store.get = ((kind: never, key: string) => (gets++, get(kind, key))) as typeof store.get;
      store.upsert('pods', leanPod({ ...parsed(0, false), metadata: { ...parsed(0).metadata, resourceVersion: '999999' } }));
      store.flush();
      await tick(20);
      const frame = r.lastFrame() ?? '';
      assert.match(frame, /team-0 +app-0-7d9f8-00000 +0\/1 +Running/);
      // Only the window is drawn: title, header and 10 rows in 12 lines.
      assert.equal(frame.split('\n').length, 12);
      reads.push(gets);
      r.unmount();
      store.close();
    }
    assert.ok(reads[0] > 0);
    assert.equal(reads[1], reads[0], `model reads per event grew with the cluster: ${reads.join(' -> ')}`);
  });
});
