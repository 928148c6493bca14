// The rollouts rows selector: incremental updates from change batches (only touched
// workloads are recomputed; the same snapshot comes back when nothing shown changed).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet, Deployment, Pod, ReplicaSet } from '../../src/kube/types.js';
import { ClusterStore, type ChangeBatch } from '../../src/store/clusterStore.js';
import { countFailing, RolloutIndex } from '../../views/selectors/rollouts.js';

/** Collects the batches the store delivers, so the index sees exactly what a view would. */
function harness() {
  const store = new ClusterStore(0);
  const batches: ChangeBatch[] = [];
  store.subscribe((b) => batches.push(b));
  const index = new RolloutIndex();
  let snap = index.update(store, undefined);
  const step = () => {
    store.flush();
    for (const b of batches.splice(0)) snap = index.update(store, b);
    return snap;
  };
  return { store, index, step, get snap() { return snap; } };
}

function deployment(name: string, o: { uid: string; rv: string; replicas: number; updated: number; ready: number; stalled?: boolean; revision?: string }): Deployment {
  return {
    metadata: { namespace: 'ns', name, uid: o.uid, resourceVersion: o.rv, generation: 1, annotations: { 'deployment.kubernetes.io/revision': o.revision ?? '1' } },
    spec: { replicas: o.replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `${name}:1` }] } } },
    status: {
      observedGeneration: 1, replicas: o.replicas, updatedReplicas: o.updated, readyReplicas: o.ready, availableReplicas: o.ready,
      conditions: [{ type: 'Progressing', status: o.stalled ? 'False' : 'True', reason: o.stalled ? 'ProgressDeadlineExceeded' : 'ReplicaSetUpdated' }],
    },
  };
}

function replicaSet(name: string, owner: Deployment, rv = '1'): ReplicaSet {
  return {
    metadata: { namespace: 'ns', name, uid: `uid-${name}`, resourceVersion: rv, labels: { app: owner.metadata.name }, annotations: { 'deployment.kubernetes.io/revision': '1' }, ownerReferences: [{ kind: 'Deployment', name: owner.metadata.name, uid: owner.metadata.uid, controller: true }] },
    spec: { replicas: 1, selector: { matchLabels: { app: owner.metadata.name } }, template: owner.spec.template },
  };
}

function pod(name: string, rs: ReplicaSet, o: { rv: string; waiting?: string; ready: boolean }): Pod {
  return {
    metadata: { namespace: 'ns', name, uid: `uid-${name}`, resourceVersion: o.rv, ownerReferences: [{ kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true }] },
    spec: { containers: [{ name: 'c' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'c', ready: o.ready, restartCount: 0, state: o.waiting ? { waiting: { reason: o.waiting } } : { running: {} } }],
    },
  };
}

describe('RolloutIndex', () => {
  test('orders failing first and follows pods of unfinished rollouts only', () => {
    const h = harness();
    const web = deployment('web', { uid: 'd1', rv: '1', replicas: 2, updated: 2, ready: 2 });
    const api = deployment('api', { uid: 'd2', rv: '1', replicas: 2, updated: 1, ready: 1 });
    h.store.upsert('deployments', web);
    h.store.upsert('deployments', api);
    const webRs = replicaSet('web-1', web);
    const apiRs = replicaSet('api-1', api);
    h.store.upsert('replicasets', webRs);
    h.store.upsert('replicasets', apiRs);
    h.store.upsert('pods', pod('web-1-a', webRs, { rv: '1', ready: true }));
    h.store.upsert('pods', pod('api-1-a', apiRs, { rv: '1', waiting: 'CrashLoopBackOff', ready: false }));
    let s = h.step();
    assert.deepEqual(s.order, ['Deployment/ns/api', 'Deployment/ns/web']);
    assert.deepEqual(s.rows.get('Deployment/ns/api')!.problems, [{ reason: 'CrashLoopBackOff', count: 1, example: 'api-1-a' }]);
    assert.equal(s.rows.get('Deployment/ns/api')!.rank, 1);
    assert.deepEqual(s.rows.get('Deployment/ns/web')!.problems, []);

    // A pod of the complete workload changes: nothing shown changes, same snapshot.
    const before = s;
    h.store.upsert('pods', pod('web-1-a', webRs, { rv: '2', ready: true }));
    h.store.upsert('nodes', { metadata: { name: 'n1', uid: 'n1', resourceVersion: '1' }, spec: {}, status: {} });
    s = h.step();
    assert.equal(s, before);

    // The crash-looping pod recovers: the row loses its reason and its failing rank.
    h.store.upsert('pods', pod('api-1-a', apiRs, { rv: '2', ready: true }));
    s = h.step();
    assert.notEqual(s, before);
    assert.deepEqual(s.rows.get('Deployment/ns/api')!.problems, []);
    assert.equal(s.rows.get('Deployment/ns/api')!.rank, 2);

    // A new failing pod of the unfinished rollout is noticed through its ReplicaSet's owner.
    h.store.upsert('pods', pod('api-1-b', apiRs, { rv: '1', waiting: 'ImagePullBackOff', ready: false }));
    s = h.step();
    assert.deepEqual(s.rows.get('Deployment/ns/api')!.problems, [{ reason: 'ImagePullBackOff', count: 1, example: 'api-1-b' }]);
    // ...and its deletion too.
    h.store.remove('pods', 'ns/api-1-b');
    s = h.step();
    assert.deepEqual(s.rows.get('Deployment/ns/api')!.problems, []);

    // Stalled goes first; a deleted workload goes away.
    h.store.upsert('deployments', deployment('web', { uid: 'd1', rv: '2', replicas: 2, updated: 1, ready: 2, stalled: true }));
    s = h.step();
    assert.deepEqual(s.order, ['Deployment/ns/web', 'Deployment/ns/api']);
    assert.equal(s.rows.get('Deployment/ns/web')!.state.phase, 'stalled');
    h.store.remove('deployments', 'ns/web');
    s = h.step();
    assert.deepEqual(s.order, ['Deployment/ns/api']);
  });

  test('revisions come from the ReplicaSets and ControllerRevisions, also when they change alone', () => {
    const h = harness();
    const d = deployment('web', { uid: 'd1', rv: '1', replicas: 1, updated: 1, ready: 1 });
    delete d.metadata.annotations; // no revision annotation: the highest ReplicaSet revision
    h.store.upsert('deployments', d);
    const rs1 = replicaSet('web-1', d);
    h.store.upsert('replicasets', rs1);
    let s = h.step();
    assert.equal(s.rows.get('Deployment/ns/web')!.revision, 1);
    const rs2 = replicaSet('web-2', d);
    rs2.metadata.annotations = { 'deployment.kubernetes.io/revision': '2' };
    h.store.upsert('replicasets', rs2);
    s = h.step();
    assert.equal(s.rows.get('Deployment/ns/web')!.revision, 2);
    h.store.remove('replicasets', 'ns/web-2');
    s = h.step();
    assert.equal(s.rows.get('Deployment/ns/web')!.revision, 1);

    const ds: DaemonSet = {
      metadata: { namespace: 'ns', name: 'agent', uid: 'ds1', resourceVersion: '1', generation: 2 },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent:2' }] } } },
      status: { observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberReady: 3, numberAvailable: 3 },
    };
    h.store.upsert('daemonsets', ds);
    s = h.step();
    assert.equal(s.rows.get('DaemonSet/ns/agent')!.revision, undefined);
    assert.equal(s.rows.get('DaemonSet/ns/agent')!.strategy, 'RollingUpdate 0/1');
    const data = { spec: { template: { ...ds.spec.template, $patch: 'replace' } } };
    h.store.upsert('controllerrevisions', { metadata: { namespace: 'ns', name: 'agent-abc', uid: 'cr1', resourceVersion: '1', labels: { app: 'agent' }, ownerReferences: [{ kind: 'DaemonSet', name: 'agent', uid: 'ds1', controller: true }] }, revision: 7, data });
    s = h.step();
    assert.equal(s.rows.get('DaemonSet/ns/agent')!.revision, 7);
    assert.deepEqual(s.order, ['DaemonSet/ns/agent', 'Deployment/ns/web']);
  });

  test('countFailing counts the failing rows of any ordered part of the order, the followed row on top', () => {
    const h = harness();
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 60; i++) {
      const r = rand();
      const state = r < 0.3 ? { stalled: true, updated: 1 } : r < 0.6 ? { updated: 1 } : { updated: 3 };
      h.store.upsert('deployments', deployment(`d${i}`, { uid: `u${i}`, rv: '1', replicas: 3, ready: state.updated, ...state }));
    }
    const s = h.step();
    const failingOf = (keys: readonly string[]) => keys.filter((k) => s.rows.get(k)!.failing).length;
    assert.equal(s.order.length, 60);
    assert.ok(failingOf(s.order) > 5 && failingOf(s.order) < 55, 'both kinds of rows');
    let pinnedBelow = 0;
    for (let trial = 0; trial < 300; trial++) {
      let keys = s.order.filter(() => rand() < 0.5); // a filter keeps the order
      const pinned = keys.length && rand() < 0.5 ? keys[Math.floor(rand() * keys.length)] : undefined;
      if (pinned) keys = [pinned, ...keys.filter((k) => k !== pinned)];
      if (pinned && !s.rows.get(pinned)!.failing && failingOf(keys) > 0) pinnedBelow++;
      assert.equal(countFailing(keys, s.rows, pinned), failingOf(keys), `trial ${trial}`);
    }
    assert.ok(pinnedBelow > 10, 'a followed row that is not failing sat above failing ones');
  });
});
