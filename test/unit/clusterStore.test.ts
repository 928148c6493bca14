import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUSY_BATCH, ClusterStore, type ChangeBatch } from '../../src/store/clusterStore.js';
import { leanPod } from '../../src/kube/lean.js';
import type { Pod } from '../../src/kube/types.js';

function pod(ns: string, name: string, rv: string, node?: string, claim?: string, owner?: string): Pod {
  return leanPod({
    metadata: { name, namespace: ns, uid: `uid-${ns}-${name}`, resourceVersion: rv, ownerReferences: owner ? [{ kind: 'ReplicaSet', name: owner, uid: `uid-${owner}`, controller: true }] : undefined, managedFields: [{ manager: 'x' }] },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx', env: [{ name: 'A', value: 'b' }] }], volumes: claim ? [{ name: 'data', persistentVolumeClaim: { claimName: claim } }, { name: 'cfg', configMap: { name: 'x' } }] : undefined },
    status: { phase: 'Running' },
  });
}

test('lean pods keep what views read and drop the rest', () => {
  const p = pod('shop', 'a', '1', 'n1', 'data-a');
  assert.equal((p.metadata as Record<string, unknown>).managedFields, undefined);
  assert.deepEqual(p.spec.containers, [{ name: 'c', image: 'nginx' }]);
  // Only volumes that can conflict are kept.
  assert.deepEqual(p.spec.volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'data-a' } }]);
});

test('indexes follow upserts, moves and deletes', () => {
  const s = new ClusterStore(0);
  s.upsert('pods', pod('shop', 'a', '1', 'n1', 'data-a', 'rs1'));
  s.upsert('pods', pod('shop', 'b', '2', 'n1', undefined, 'rs1'));
  s.upsert('pods', pod('pay', 'c', '3', 'n2'));
  assert.deepEqual([...s.byIndex('podsByNode', 'n1')].sort(), ['shop/a', 'shop/b']);
  assert.deepEqual([...s.byIndex('podsByNamespace', 'pay')], ['pay/c']);
  assert.deepEqual([...s.byIndex('podsByOwner', 'uid-rs1')].sort(), ['shop/a', 'shop/b']);
  assert.deepEqual([...s.byIndex('podsByPvc', 'shop/data-a')], ['shop/a']);
  // a moves to n2 (a new resourceVersion)
  s.upsert('pods', pod('shop', 'a', '4', 'n2', 'data-a', 'rs1'));
  assert.deepEqual([...s.byIndex('podsByNode', 'n1')], ['shop/b']);
  assert.deepEqual([...s.byIndex('podsByNode', 'n2')].sort(), ['pay/c', 'shop/a']);
  s.remove('pods', 'shop/b');
  assert.equal(s.byIndex('podsByNode', 'n1').size, 0);
  assert.deepEqual([...s.indexValues('podsByNode')], ['n2']);
  assert.equal(s.size('pods'), 2);
});

test('a bucket keeps one key as the key itself, a Set from the second on, down to none', () => {
  const s = new ClusterStore(0);
  const raw = (v: string) => (s as unknown as { indexes: Map<string, { map: Map<string, unknown> }> }).indexes.get('podsByNode')!.map.get(v);
  s.upsert('pods', pod('ns', 'a', '1', 'n1'));
  assert.equal(raw('n1'), 'ns/a'); // no Set for a lone key
  assert.deepEqual([...s.byIndex('podsByNode', 'n1')], ['ns/a']);
  assert.equal(s.byIndex('podsByNode', 'n1').size, 1);
  assert.deepEqual(s.objectsByIndex('podsByNode', 'n1').map((p) => (p as Pod).metadata.name), ['a']);
  s.upsert('pods', pod('ns', 'a', '2', 'n1')); // the same key again: still one
  assert.equal(raw('n1'), 'ns/a');
  s.upsert('pods', pod('ns', 'b', '1', 'n1'));
  assert.ok(raw('n1') instanceof Set);
  assert.deepEqual([...s.byIndex('podsByNode', 'n1')].sort(), ['ns/a', 'ns/b']);
  s.remove('pods', 'ns/a');
  assert.deepEqual([...s.byIndex('podsByNode', 'n1')], ['ns/b']);
  s.remove('pods', 'ns/b');
  assert.equal(raw('n1'), undefined);
  assert.equal(s.byIndex('podsByNode', 'n1').size, 0);
  assert.deepEqual([...s.indexValues('podsByNode')], []);
  // A lone key moved away and another come: the bucket follows.
  s.upsert('pods', pod('ns', 'c', '1', 'n1'));
  s.upsert('pods', pod('ns', 'c', '2', 'n2'));
  assert.equal(raw('n1'), undefined);
  assert.equal(raw('n2'), 'ns/c');
  s.remove('pods', 'ns/zzz'); // unknown: nothing changes
  assert.deepEqual([...s.byIndex('podsByNode', 'n2')], ['ns/c']);
});

test('an upsert with the same resourceVersion is not a change', () => {
  const s = new ClusterStore(0);
  s.upsert('pods', pod('shop', 'a', '1'));
  const v = s.version;
  s.upsert('pods', pod('shop', 'a', '1'));
  assert.equal(s.version, v);
});

test('retainOnly drops what a relist no longer saw', () => {
  const s = new ClusterStore(0);
  for (const n of ['a', 'b', 'c']) s.upsert('pods', pod('ns', n, '1', 'n1'));
  s.retainOnly('pods', new Set(['ns/b']));
  assert.deepEqual([...s.list('pods').keys()], ['ns/b']);
  assert.deepEqual([...s.byIndex('podsByNode', 'n1')], ['ns/b']);
});

test('a burst of changes costs one notice with every changed key', async () => {
  const s = new ClusterStore(30);
  const batches: ChangeBatch[] = [];
  s.subscribe((b) => batches.push(b));
  for (let i = 0; i < 1000; i++) s.upsert('pods', pod('ns', `p${i % 100}`, String(i + 1)));
  s.setState('pods', { phase: 'synced' });
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(batches.length, 1);
  assert.equal(batches[0].changed.get('pods')?.size, 100);
  assert.deepEqual([...batches[0].stateChanged], ['pods']);
  // A second burst right after is held back to the next interval, again as one notice.
  for (let i = 0; i < 10; i++) s.upsert('pods', pod('ns', `q${i}`, '1'));
  s.upsert('nodes', { metadata: { name: 'n1', uid: 'u', resourceVersion: '1' }, spec: {}, status: {} });
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(batches.length, 2);
  assert.deepEqual([...batches[1].changed.keys()].sort(), ['nodes', 'pods']);
  s.close();
});

test('while changes pour in, notices come three times less often; a quiet notice brings back the normal pace', async () => {
  const s = new ClusterStore(100);
  const at: number[] = [];
  s.subscribe(() => at.push(Date.now()));
  let rv = 1;
  const burst = (n: number) => {
    for (let i = 0; i < n; i++) s.upsert('pods', pod('ns', `p${i}`, String(rv++)));
  };
  const next = async (count: number) => {
    while (at.length < count) await new Promise((r) => setTimeout(r, 5));
  };
  burst(BUSY_BATCH + 1);
  await next(1);
  burst(1); // after a busy notice: held three intervals
  await next(2);
  burst(1); // after a quiet one: one interval
  await next(3);
  assert.ok(at[1]! - at[0]! >= 290, `after a busy notice: ${at[1]! - at[0]!} ms`);
  assert.ok(at[2]! - at[1]! >= 90 && at[2]! - at[1]! < 290, `after a quiet notice: ${at[2]! - at[1]!} ms`);
  s.close();
});

test('a store that notifies only on flush stays so after a busy batch (no timer overflow)', async () => {
  // 1e9 ms x 3 after a busy batch is past Node's longest timer, which Node runs after 1 ms.
  const s = new ClusterStore(1e9);
  const batches: ChangeBatch[] = [];
  s.subscribe((b) => batches.push(b));
  for (let i = 0; i < BUSY_BATCH + 1; i++) s.upsert('pods', pod('ns', `p${i}`, String(i + 1)));
  s.flush();
  assert.equal(batches.length, 1);
  s.upsert('pods', pod('ns', 'late', '100'));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(batches.length, 1, 'notified by a timer');
  s.flush();
  assert.equal(batches.length, 2);
  s.close();
});
