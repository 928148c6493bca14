// List pages parsed into lean objects, repeated values shared across pages, and malformed pages
// reported as such.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteScratch } from '../../src/kube/byteScratch.js';
import { parsePage, peekContinue } from '../../src/kube/pageParser.js';
import { leanObject } from '../../src/kube/lean.js';
import { ListPageError } from '../../src/kube/listPage.js';

const rawPod = (name: string) => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: { name, namespace: 'team-01', uid: `uid-${name}`, resourceVersion: '7', creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: 'web' }, managedFields: [{ manager: 'kubelet' }] },
  spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'img:1', env: [{ name: 'A', value: 'b' }], resources: { requests: { cpu: '100m' } } }] },
  status: { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
});

const body = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));

test('a pods page parses to the lean objects and shares values across pages', () => {
  const p1 = parsePage('pods', body({ kind: 'PodList', metadata: { resourceVersion: '9', continue: 'tok', remainingItemCount: 1 }, items: [rawPod('a'), rawPod('b')] }));
  const p2 = parsePage('pods', body({ kind: 'PodList', metadata: { resourceVersion: '9' }, items: [rawPod('c')] }));
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

test('malformed pages are ListPageErrors with the reason', () => {
  assert.throws(() => parsePage('pods', body({ kind: 'PodList', metadata: {} })), (e) => e instanceof ListPageError && e.message === "the server's pods list has no items");
  assert.throws(() => parsePage('pods', body({ items: [{ kind: 'Node', metadata: { name: 'x' } }] })), (e) => e instanceof ListPageError && e.message === "the server's pods list holds a Node, not a Pod");
  assert.throws(() => parsePage('pods', new TextEncoder().encode('<html>')), (e) => e instanceof ListPageError && e.message === "the server's pods list is not JSON (an HTML page: is the server address right?)");
});

test('the continue token is read from the first bytes of a page', () => {
  assert.equal(peekContinue(body({ kind: 'PodList', metadata: { resourceVersion: '5', continue: 'eyJydiI6NX0' }, items: [] })), 'eyJydiI6NX0');
  assert.equal(peekContinue(body({ kind: 'PodList', metadata: { resourceVersion: '5' }, items: [] })), undefined);
});

test('pages parsed from one reused buffer (the reflector reads each page into the same memory): nothing parsed keeps the bytes', () => {
  const buffer = new ByteScratch();
  const into = (v: unknown) => {
    const bytes = body(v);
    const out = buffer.take(bytes.length);
    out.set(bytes);
    return out;
  };
  const p1 = parsePage('pods', into({ kind: 'PodList', metadata: { resourceVersion: '9', continue: 'tok' }, items: [rawPod('first-pod-a'), rawPod('first-pod-b')] }));
  const p2 = parsePage('pods', into({ kind: 'PodList', metadata: { resourceVersion: '10' }, items: [rawPod('second')] }));
  assert.deepEqual(p1.items, [leanObject('pods', rawPod('first-pod-a')), leanObject('pods', rawPod('first-pod-b'))]);
  assert.deepEqual(p1.metadata.continue, 'tok');
  assert.deepEqual(p2.items, [leanObject('pods', rawPod('second'))]);
});
