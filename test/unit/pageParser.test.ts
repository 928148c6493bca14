// List pages parsed on the list worker: the same lean objects as on the main thread, repeated
// values shared across pages again, and malformed pages reported as such.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listWorkerState, parsePage, parsePodMetrics, peekContinue } from '../../src/kube/pageParser.js';
import { leanObject } from '../../src/kube/lean.js';
import { ListPageError } from '../../src/kube/listPage.js';
import { itemsOf } from '../../src/kube/jsonItems.js';

const rawPod = (name: string) => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: { name, namespace: 'team-01', uid: `uid-${name}`, resourceVersion: '7', creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: 'web' }, managedFields: [{ manager: 'kubelet' }] },
  spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'img:1', env: [{ name: 'A', value: 'b' }], resources: { requests: { cpu: '100m' } } }] },
  status: { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
});

const body = (v: unknown): ArrayBuffer => new TextEncoder().encode(JSON.stringify(v)).buffer as ArrayBuffer;

test('a pods page parsed on the worker equals main-thread lean objects and shares values across pages', async () => {
  const p1 = await parsePage('pods', body({ kind: 'PodList', metadata: { resourceVersion: '9', continue: 'tok', remainingItemCount: 1 }, items: [rawPod('a'), rawPod('b')] }));
  const p2 = await parsePage('pods', body({ kind: 'PodList', metadata: { resourceVersion: '9' }, items: [rawPod('c')] }));
  assert.deepEqual(p1.metadata, { resourceVersion: '9', continue: 'tok', remainingItemCount: 1 });
  assert.deepEqual(p2.metadata, { resourceVersion: '9', continue: undefined, remainingItemCount: undefined });
  assert.deepEqual(p1.items.map((p) => p.metadata.name), ['a', 'b']);
  assert.deepEqual(p1.items[0], leanObject('pods', rawPod('a')));
  assert.deepEqual(p2.items[0], leanObject('pods', rawPod('c')));
  assert.equal(p1.items[0]!.metadata.labels, p2.items[0]!.metadata.labels);
  assert.equal(p1.items[1]!.spec.containers, p2.items[0]!.spec.containers);
  assert.equal(p1.items[0]!.status.conditions, p2.items[0]!.status.conditions);
  assert.equal(p1.items[0]!.spec.containers[0]!.resources?.requests?.cpu, '100m');
});

test('malformed pages are ListPageErrors with the reason', async () => {
  await assert.rejects(parsePage('pods', body({ kind: 'PodList', metadata: {} })), (e) => e instanceof ListPageError && e.message === "the server's pods list has no items");
  await assert.rejects(parsePage('pods', body({ items: [{ kind: 'Node', metadata: { name: 'x' } }] })), (e) => e instanceof ListPageError && e.message === "the server's pods list holds a Node, not a Pod");
  await assert.rejects(parsePage('pods', new TextEncoder().encode('<html>').buffer as ArrayBuffer), (e) => e instanceof ListPageError && e.message === "the server's pods list is not JSON (an HTML page: is the server address right?)");
});

test('the continue token is read from the first bytes of a page', () => {
  assert.equal(peekContinue(body({ kind: 'PodList', metadata: { resourceVersion: '5', continue: 'eyJydiI6NX0' }, items: [] })), 'eyJydiI6NX0');
  assert.equal(peekContinue(body({ kind: 'PodList', metadata: { resourceVersion: '5' }, items: [] })), undefined);
});

test('the list worker stops when idle and a later list starts a new one', async () => {
  listWorkerState(50); // idle time before it stops, for this test
  try {
    const page = () => parsePage('pods', body({ kind: 'PodList', metadata: { resourceVersion: '9' }, items: [rawPod('idle')] }));
    assert.equal((await page()).items[0]!.metadata.name, 'idle');
    assert.equal(listWorkerState().running, true);
    for (let i = 0; i < 250 && listWorkerState().running; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(listWorkerState().running, false);
    assert.deepEqual((await page()).items[0], leanObject('pods', rawPod('idle')));
    assert.equal(listWorkerState().running, true);
  } finally {
    listWorkerState(5_000);
  }
});

test('pod metrics are parsed to numbers, on the worker for a big answer and here for a small one', async () => {
  const item = (ns: string, name: string, cpu: string, memory: string) => ({ metadata: { namespace: ns, name }, timestamp: '2026-01-01T00:00:00Z', window: '15s', containers: [{ name: 'app', usage: { cpu, memory } }, { name: 'sidecar', usage: { cpu: '1m', memory: '1Ki' } }] });
  const small = await parsePodMetrics(body({ kind: 'PodMetricsList', items: [item('a', 'p1', '250m', '64Mi'), item('b', 'p2', '1500000n', '2Gi')] }));
  assert.deepEqual([...small.keys()], ['a/p1', 'b/p2']);
  assert.deepEqual(small.get('a/p1'), { containers: ['app', 'sidecar'], usage: [250_000_000, 67_108_864, 1_000_000, 1024] });
  assert.deepEqual(small.get('b/p2')!.usage, [1_500_000, 2_147_483_648, 1_000_000, 1024]);
  assert.equal(small.get('a/p1')!.containers, small.get('b/p2')!.containers);
  // ~1.3 MB: over the worker's threshold; the same figures, and the name lists shared again here.
  const many = Array.from({ length: 6000 }, (_, i) => item('team', `pod-${i}`, `${i}m`, '1Mi'));
  const big = await parsePodMetrics(body({ kind: 'PodMetricsList', items: many }));
  assert.equal(big.size, 6000);
  assert.deepEqual(big.get('team/pod-4321'), { containers: ['app', 'sidecar'], usage: [4_321_000_000, 1_048_576, 1_000_000, 1024] });
  assert.equal(big.get('team/pod-1')!.containers, small.get('a/p1')!.containers);
  await assert.rejects(parsePodMetrics(body({ kind: 'Status' })), (e) => e instanceof ListPageError && e.message === "the server's pod metrics list has no items");
});

test('itemsOf finds the items of a list, whatever their strings hold', () => {
  const list = { kind: 'PodMetricsList', metadata: { selfLink: '[{x}]' }, items: [{ a: '}{"]' }, { b: [{ c: '\\"}' }], d: { e: [] } }, {}] };
  const text = JSON.stringify(list, null, 1);
  const items = [...itemsOf(text)].map(([s, e]) => JSON.parse(text.slice(s, e)));
  assert.deepEqual(items, list.items);
  assert.throws(() => [...itemsOf('{"items":[{"a":1}')], /truncated/);
});
