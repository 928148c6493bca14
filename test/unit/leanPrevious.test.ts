// leanPod(raw, previous) (src/kube/lean.ts): a watch event's new version reuses the parts of
// the version held that did not change, even once the sharing tables (intern.ts) have
// forgotten them, and is equal, field for field, to a pod leaned without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leanPod } from '../../src/kube/lean.js';
import { GENERATION, lookupOnly, share } from '../../src/kube/intern.js';

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function rawPod(): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'shop-api-7d9f8-x2x9q', namespace: 'lean-prev', uid: 'u-1', resourceVersion: '10', creationTimestamp: '2026-11-20T10:00:00Z',
      labels: { app: 'lean-prev-shop', component: 'api', 'pod-template-hash': '7d9f8' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'shop-api-7d9f8', uid: 'rs-1', controller: true }],
    },
    spec: {
      nodeName: 'node-a',
      containers: [{ name: 'api', image: 'shop/api:1.4', resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } } }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'shop-data' } }, { name: 'token', projected: {} }],
      restartPolicy: 'Always',
    },
    status: {
      phase: 'Running', qosClass: 'Burstable', podIP: '10.0.0.7', hostIP: '10.1.0.1', startTime: '2026-11-20T10:00:05Z',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-11-20T10:00:09Z' }],
      containerStatuses: [{ name: 'api', ready: true, restartCount: 0, started: true, image: 'shop/api:1.4', state: { running: { startedAt: '2026-11-20T10:00:08Z' } } }],
    },
  };
}

/** The pod after a readiness flip, as the next watch event brings it. */
function flipped(raw: any, rv: string): any {
  const r = copy(raw);
  r.metadata.resourceVersion = rv;
  r.status.conditions[0] = { type: 'Ready', status: 'False', lastTransitionTime: '2026-11-20T11:00:00Z' };
  r.status.containerStatuses[0].ready = false;
  return r;
}

/** Enough other values that the sharing tables forget this pod's (three generations). */
function forgetSharedValues(): void {
  for (let i = 0; i < 3 * GENERATION; i++) share({ leanPrevFiller: i });
}

test("a readiness flip keeps the held version's spec, labels and owners, though the sharing tables forgot them", () => {
  const held = leanPod(rawPod());
  forgetSharedValues();
  const next = flipped(rawPod(), '11');
  const without = lookupOnly(() => leanPod(copy(next)));
  assert.notEqual(without.metadata.labels, held.metadata.labels, 'without the held version: a copy (the drift this prevents)');
  const pod = lookupOnly(() => leanPod(next, held));
  assert.deepEqual(pod, without, 'the same pod, field for field');
  assert.equal(pod.spec, held.spec);
  assert.equal(pod.metadata.labels, held.metadata.labels);
  assert.equal(pod.metadata.ownerReferences, held.metadata.ownerReferences);
  assert.notEqual(pod.metadata, held.metadata, 'resourceVersion changed');
  assert.notEqual(pod.status.conditions, held.status.conditions);
  assert.equal(pod.status.conditions![0]!.status, 'False');
  assert.equal(pod.status.containerStatuses![0]!.ready, false);
});

test('what changed is taken from the event: new labels, a new node, a restarted container', () => {
  const held = leanPod(rawPod());
  const next = copy(rawPod());
  next.metadata.resourceVersion = '12';
  next.metadata.labels.tier = 'gold';
  next.spec.nodeName = 'node-b';
  next.status.containerStatuses[0].restartCount = 1;
  const pod = leanPod(next, held);
  assert.deepEqual(pod, leanPod(copy(next)));
  assert.notEqual(pod.spec, held.spec);
  assert.equal(pod.spec.nodeName, 'node-b');
  assert.equal(pod.metadata.labels!.tier, 'gold');
  assert.equal(pod.status.containerStatuses![0]!.restartCount, 1);
  // Unchanged parts still come from the held version.
  assert.equal(pod.metadata.ownerReferences, held.metadata.ownerReferences);
  assert.equal(pod.status.conditions, held.status.conditions);
});
