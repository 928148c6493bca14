// The rollouts index kept by change batches equals a fresh build (order and content), also when
// the batches come while its resumable first build runs; a one-workload batch recomputes one
// row and moves it with O(log n) comparisons. Nothing here is timed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, Pod, ReplicaSet, StatefulSet } from '../../src/kube/types.js';
import { ClusterStore, type ChangeBatch } from '../../src/store/clusterStore.js';
import { RolloutIndex, type RolloutSnapshot } from '../../views/selectors/rollouts.js';

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMESPACES = ['a', 'b', 'c'];

function deployment(ns: string, name: string, rv: number, o: { replicas: number; updated: number; ready: number; stalled?: boolean; paused?: boolean }): Deployment {
  return {
    metadata: { namespace: ns, name, uid: `d-${ns}-${name}`, resourceVersion: String(rv), generation: 1, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: {
      replicas: o.replicas,
      paused: o.paused,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `${name}:1` }] } },
    },
    status: {
      observedGeneration: 1, replicas: o.replicas, updatedReplicas: o.updated, readyReplicas: o.ready, availableReplicas: o.ready,
      conditions: [{ type: 'Progressing', status: o.stalled ? 'False' : 'True', reason: o.stalled ? 'ProgressDeadlineExceeded' : 'ReplicaSetUpdated' }],
    },
  } as Deployment;
}

function replicaSet(d: Deployment, rv: number): ReplicaSet {
  const name = `${d.metadata.name}-rs`;
  return {
    metadata: { namespace: d.metadata.namespace, name, uid: `rs-${d.metadata.namespace}-${name}`, resourceVersion: String(rv), annotations: { 'deployment.kubernetes.io/revision': '1' }, ownerReferences: [{ kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid, controller: true }] },
    spec: { replicas: d.spec.replicas, selector: d.spec.selector, template: d.spec.template },
  } as ReplicaSet;
}

function statefulSet(ns: string, name: string, rv: number, o: { replicas: number; updated: number; ready: number }): StatefulSet {
  return {
    metadata: { namespace: ns, name, uid: `s-${ns}-${name}`, resourceVersion: String(rv), generation: 1 },
    spec: { replicas: o.replicas, selector: { matchLabels: { app: name } }, serviceName: name, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `${name}:1` }] } } },
    status: { observedGeneration: 1, replicas: o.replicas, updatedReplicas: o.updated, readyReplicas: o.ready, availableReplicas: o.ready, currentReplicas: o.updated },
  } as StatefulSet;
}

function pod(ns: string, name: string, owner: { kind: string; name: string; uid: string }, rv: number, waiting: string | undefined): Pod {
  const ready = waiting === undefined;
  return {
    metadata: { namespace: ns, name, uid: `p-${ns}-${name}`, resourceVersion: String(rv), ownerReferences: [{ kind: owner.kind, name: owner.name, uid: owner.uid, controller: true }] },
    spec: { containers: [{ name: 'c' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'c', ready, restartCount: 0, state: waiting ? { waiting: { reason: waiting } } : { running: {} } }],
    },
  } as Pod;
}

/** What a row shows (a row kept because it shows the same is not replaced: uid etc. may lag). */
function shown(s: RolloutSnapshot) {
  return s.order.map((k) => {
    const r = s.rows.get(k)!;
    const { phase, message, desired, updated, ready, available } = r.state;
    return { k, rank: r.rank, failing: r.failing, revision: r.revision, images: r.images, strategy: r.strategy, phase, message, desired, updated, ready, available, problems: r.problems };
  });
}

/** A random cluster's worth of changes: workloads come, go, change progress; pods fail and recover. */
function churner(store: ClusterStore, seed: number) {
  const rand = rng(seed);
  let rv = 1;
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const WAITING = [undefined, undefined, 'CrashLoopBackOff', 'ImagePullBackOff', 'ContainerCreating'];
  const change = () => {
    const ns = pick(NAMESPACES);
    const name = `w${Math.floor(rand() * 40)}`;
    const x = rand();
    if (x < 0.35) {
      const replicas = 1 + Math.floor(rand() * 3);
      const updated = Math.floor(rand() * (replicas + 1));
      const d = deployment(ns, name, rv++, { replicas, updated, ready: Math.min(updated, Math.floor(rand() * (replicas + 1))), stalled: rand() < 0.1, paused: rand() < 0.05 });
      store.upsert('deployments', d);
      const rs = replicaSet(d, rv++);
      store.upsert('replicasets', rs);
      const n = Math.floor(rand() * 3);
      for (let i = 0; i < n; i++) store.upsert('pods', pod(ns, `${name}-rs-${i}`, { kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid }, rv++, pick(WAITING)));
    } else if (x < 0.45) {
      store.remove('deployments', `${ns}/${name}`);
    } else if (x < 0.6) {
      const replicas = 1 + Math.floor(rand() * 3);
      const updated = Math.floor(rand() * (replicas + 1));
      store.upsert('statefulsets', statefulSet(ns, `s${name}`, rv++, { replicas, updated, ready: updated }));
      const n = Math.floor(rand() * 3);
      for (let i = 0; i < n; i++) store.upsert('pods', pod(ns, `s${name}-${i}`, { kind: 'StatefulSet', name: `s${name}`, uid: `s-${ns}-s${name}` }, rv++, pick(WAITING)));
    } else if (x < 0.65) {
      store.remove('statefulsets', `${ns}/s${name}`);
    } else {
      // A pod of an existing workload fails, recovers or goes away.
      const keys = [...store.list('pods').keys()];
      if (keys.length === 0) return;
      const k = pick(keys);
      const p = store.get('pods', k)!;
      if (rand() < 0.2) store.remove('pods', k);
      else {
        const ref = p.metadata.ownerReferences![0]!;
        store.upsert('pods', pod(p.metadata.namespace!, p.metadata.name, ref, rv++, pick(WAITING)));
      }
    }
  };
  return { change, rand };
}

function fresh(store: ClusterStore): RolloutSnapshot {
  return new RolloutIndex().update(store, undefined);
}

/** A live index (fed every batch of its store, built) over 300 random changes. */
function liveIndex(seed: number) {
  const store = new ClusterStore(0);
  const { change } = churner(store, seed);
  for (let i = 0; i < 300; i++) change();
  store.flush();
  const index = new RolloutIndex();
  index.live = true;
  store.subscribe((b) => index.update(store, b));
  index.update(store, undefined);
  return { store, index };
}

describe('RolloutIndex (incremental)', () => {
  test('after random batches the index equals a fresh build, order and content', () => {
    for (const seed of [1, 2, 3]) {
      const store = new ClusterStore(0);
      const batches: ChangeBatch[] = [];
      store.subscribe((b) => batches.push(b));
      const { change, rand } = churner(store, seed);
      for (let i = 0; i < 150; i++) change();
      store.flush();
      batches.length = 0;
      const index = new RolloutIndex();
      let snap = index.update(store, undefined);
      assert.ok(snap.order.length > 50);
      for (let b = 0; b < 60; b++) {
        const n = 1 + Math.floor(rand() * 12);
        for (let i = 0; i < n; i++) change();
        store.flush();
        for (const batch of batches.splice(0)) snap = index.update(store, batch);
        assert.deepEqual(shown(snap), shown(fresh(store)), `seed ${seed}, batch ${b}`);
      }
      assert.equal(index.rebuilds, 1);
    }
  });

  test('batches during a resumable first build: the finished index equals a fresh build', async () => {
    for (const seed of [4, 5]) {
      const store = new ClusterStore(0);
      const { change } = churner(store, seed);
      for (let i = 0; i < 200; i++) change();
      store.flush();
      const index = new RolloutIndex();
      index.live = true;
      store.subscribe((b) => index.update(store, b));
      index.start(store);
      const total = index.progress!.total;
      assert.equal(index.progress!.done, 0, 'start() reads no workload');
      assert.equal(index.computed, 0);
      let steps = 0;
      let before = index.current;
      while (!index.step(0)) {
        steps++;
        const p = index.progress!;
        assert.ok(p.done > 0 && p.done <= p.total);
        assert.equal(index.current, before, 'no rows are shown before the build is done');
        for (let i = 0; i < 5; i++) change();
        store.flush();
        before = index.current;
      }
      assert.ok(steps > 1, `the build ran in slices (${total} workloads, ${steps} steps)`);
      assert.equal(index.progress, undefined);
      assert.deepEqual(shown(index.current), shown(fresh(store)), `seed ${seed}`);
      // And it goes on incrementally from there: rows whose pods changed are recomputed in
      // background slices by a live index while a view listens (none is left waiting at the end).
      index.onChange(() => {});
      for (let i = 0; i < 30; i++) change();
      store.flush();
      for (let i = 0; i < 1000 && index.pending > 0; i++) await new Promise((r) => setImmediate(r));
      assert.equal(index.pending, 0);
      assert.deepEqual(shown(index.current), shown(fresh(store)), `seed ${seed}, after`);
      assert.equal(index.rebuilds, 1);
    }
  });

  test('a live index recomputes rows whose pods changed after the notice, in the background, and ends equal to a fresh build', async () => {
    const { store, index } = liveIndex(9);
    const heard: number[] = [];
    index.onChange(() => heard.push(index.current.version));
    // A pod that a row reads (its rollout is not complete) fails: no row is computed in the notice.
    const podKey = [...(index as unknown as { podRows: Map<string, unknown> }).podRows.keys()].find((k) => store.get('pods', k));
    assert.ok(podKey, 'a row reads pods');
    const p = store.get('pods', podKey)!;
    const versionBefore = index.current.version;
    const computed = index.computed;
    store.upsert('pods', pod(p.metadata.namespace!, p.metadata.name, p.metadata.ownerReferences![0]!, 1_000_000, 'ImagePullBackOff'));
    store.flush();
    assert.equal(index.computed, computed, 'a row was computed inside the notice');
    assert.equal(index.pending, 1);
    for (let i = 0; i < 100 && index.pending > 0; i++) await new Promise((r) => setImmediate(r));
    assert.equal(index.pending, 0);
    assert.equal(index.computed, computed + 1);
    assert.deepEqual(shown(index.current), shown(fresh(store)));
    assert.equal(heard.length > 0, index.current.version !== versionBefore, 'listeners hear exactly when the snapshot changed');
  });

  test('with no view listening, rows whose pods changed wait (no row computed); a listener gets them recomputed', async () => {
    const { store, index } = liveIndex(11);
    const rowPods = (index as unknown as { rowPods: Map<string, readonly string[]> }).rowPods;
    const podKeys = [...new Set([...rowPods.values()].flat())].filter((k) => store.get('pods', k)).slice(0, 5);
    assert.ok(podKeys.length >= 3, 'rows read pods');
    const computed = index.computed;
    for (const k of podKeys) {
      const p = store.get('pods', k)!;
      store.upsert('pods', pod(p.metadata.namespace!, p.metadata.name, p.metadata.ownerReferences![0]!, 4_000_000, 'CreateContainerConfigError'));
    }
    store.flush();
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    assert.ok(index.pending > 0, 'rows wait');
    assert.equal(index.computed, computed, 'no row computed while nobody listens');
    assert.notDeepEqual(shown(index.current), shown(fresh(store)));
    let heard = 0;
    const off = index.onChange(() => heard++);
    for (let i = 0; i < 100 && index.pending > 0; i++) await new Promise((r) => setImmediate(r));
    assert.equal(index.pending, 0);
    assert.ok(heard > 0);
    assert.deepEqual(shown(index.current), shown(fresh(store)));
    off();
  });

  test('a row recomputed for its pods keeps what did not change (state, images, key strings, pod list) and recomputes it when the workload changes', async () => {
    // Under churn a row is recomputed for its pods again and again while its workload stays the
    // same object: new copies of these were kept until the next recompute, then left to V8's
    // full GC (the biggest share of what survived young collections at 150,000 pods).
    const { store, index } = liveIndex(5);
    const rowPods = (index as unknown as { rowPods: Map<string, readonly string[]> }).rowPods;
    const rowKey = [...rowPods.keys()].find((k) => k.startsWith('Deployment/') && rowPods.get(k)!.some((p) => store.get('pods', p)));
    assert.ok(rowKey, 'a Deployment row reads pods');
    index.onChange(() => {}); // as the view does: rows whose pods changed are recomputed
    const before = index.current.rows.get(rowKey)!;
    const listBefore = rowPods.get(rowKey)!;
    const p = store.get('pods', listBefore.find((k) => store.get('pods', k))!)!;
    const drain = async () => {
      for (let i = 0; i < 100 && index.pending > 0; i++) await new Promise((r) => setImmediate(r));
      assert.equal(index.pending, 0);
    };
    store.upsert('pods', pod(p.metadata.namespace!, p.metadata.name, p.metadata.ownerReferences![0]!, 2_000_000, 'CreateContainerConfigError'));
    store.flush();
    await drain();
    const after = index.current.rows.get(rowKey)!;
    assert.notEqual(after, before, 'the row changed (a new problem)');
    assert.ok(after.problems.some((x) => x.reason === 'CreateContainerConfigError'));
    assert.equal(after.state, before.state);
    assert.equal(after.images, before.images);
    assert.equal(after.key, before.key);
    assert.equal(after.filterText, before.filterText);
    assert.equal(rowPods.get(rowKey), listBefore, 'the same pods: the list held is kept');
    assert.deepEqual(shown(index.current), shown(fresh(store)));
    // The workload itself changes: its state is computed from the new object.
    const d = store.get('deployments', rowKey.slice('Deployment/'.length))!;
    store.upsert('deployments', deployment(d.metadata.namespace!, d.metadata.name, 3_000_000, { replicas: 3, updated: 1, ready: 0 }));
    store.flush();
    await drain();
    const changed = index.current.rows.get(rowKey)!;
    assert.notEqual(changed.state, before.state);
    assert.equal(changed.state.desired, 3);
    assert.equal(changed.source, store.get('deployments', rowKey.slice('Deployment/'.length)));
    assert.deepEqual(shown(index.current), shown(fresh(store)));
  });

  test('a one-workload batch recomputes one row and moves it with O(log n) comparisons', () => {
    const store = new ClusterStore(0);
    const batches: ChangeBatch[] = [];
    store.subscribe((b) => batches.push(b));
    const N = 4000;
    for (let i = 0; i < N; i++) store.upsert('deployments', deployment(NAMESPACES[i % 3]!, `d${i}`, 1, { replicas: 2, updated: 2, ready: 2 }));
    store.flush();
    batches.length = 0;
    const index = new RolloutIndex();
    index.update(store, undefined);
    const apply = () => {
      store.flush();
      let s = index.current;
      for (const b of batches.splice(0)) s = index.update(store, b);
      return s;
    };
    const log2 = Math.ceil(Math.log2(N + 1));
    const cases: [string, () => void][] = [
      ['stalls (changes rank)', () => store.upsert('deployments', deployment('b', 'd1000', 2, { replicas: 2, updated: 1, ready: 1, stalled: true }))],
      ['recovers (changes rank)', () => store.upsert('deployments', deployment('b', 'd1000', 3, { replicas: 2, updated: 2, ready: 2 }))],
      ['comes', () => store.upsert('deployments', deployment('a', 'new', 1, { replicas: 1, updated: 1, ready: 1 }))],
      ['goes', () => store.remove('deployments', 'a/d3')],
      ['changes, same rank', () => store.upsert('deployments', deployment('a', 'd6', 2, { replicas: 3, updated: 3, ready: 3 }))],
    ];
    for (const [what, act] of cases) {
      const computed = index.computed;
      const comparisons = index.comparisons;
      act();
      const s = apply();
      assert.ok(index.computed - computed <= 1, `${what}: ${index.computed - computed} rows computed`);
      assert.ok(index.comparisons - comparisons <= 2 * log2 + 2, `${what}: ${index.comparisons - comparisons} comparisons`);
      assert.deepEqual(shown(s), shown(fresh(store)), what);
    }
    // A pod of a complete workload: no row computed, no comparison, same snapshot.
    const s0 = index.current;
    const computed = index.computed;
    store.upsert('pods', pod('a', 'd6-x-1', { kind: 'ReplicaSet', name: 'd6-x', uid: 'none' }, 1, 'CrashLoopBackOff'));
    assert.equal(apply(), s0);
    assert.equal(index.computed, computed);
  });
});
