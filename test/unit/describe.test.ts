import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, KubeEvent, Node, Pod } from '../../src/kube/types.js';
import { describeObject, eventCount, eventLines, eventTime, shortAge } from '../../src/model/describe.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

const pod: Pod = {
  metadata: { name: 'checkout-1', namespace: 'shop', uid: 'u1', resourceVersion: '1', creationTimestamp: '2024-05-01T11:20:00Z', labels: { tier: 'web', app: 'checkout' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'checkout-abc', uid: 'rs', controller: true }] },
  spec: { nodeName: 'worker-a', containers: [{ name: 'app', image: 'shop/checkout:1.6', resources: { requests: { cpu: '250m' }, limits: { memory: '512Mi' } } }] },
  status: {
    phase: 'Running',
    podIP: '10.0.0.7',
    hostIP: '10.0.1.11',
    qosClass: 'Burstable',
    conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
    containerStatuses: [{ name: 'app', ready: false, restartCount: 9, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: '2024-05-01T11:57:00Z' } } }],
  },
};

const ev = (reason: string, type: string, count: number, last: string, message: string): KubeEvent => ({
  metadata: { name: `e-${reason}`, namespace: 'shop', uid: reason, resourceVersion: '1' },
  involvedObject: { kind: 'Pod', namespace: 'shop', name: 'checkout-1', uid: 'u1' },
  reason,
  type,
  count,
  lastTimestamp: last,
  message,
  source: { component: 'kubelet' },
});

describe('describe-like summaries', () => {
  test('a crash-looping pod: metadata, state, last state, resources, conditions, events', () => {
    const lines = describeObject('pods', pod, { now: NOW, events: [ev('BackOff', 'Warning', 42, '2024-05-01T11:59:30Z', 'Back-off restarting failed container'), ev('Pulled', 'Normal', 1, '2024-05-01T11:20:05Z', 'Successfully pulled image')] });
    const text = lines.join('\n');
    assert.equal(lines[0], 'Name:             checkout-1');
    assert.equal(lines[1], 'Namespace:        shop');
    // Labels sorted by key, one per line.
    assert.equal(lines[2], 'Labels:           app=checkout');
    assert.equal(lines[3], '                  tier=web');
    assert.match(text, /^Created: +2024-05-01T11:20:00Z \(40m ago\)$/m);
    assert.match(text, /^Controlled By: +ReplicaSet\/checkout-abc$/m);
    assert.match(text, /^Node: +worker-a\/10\.0\.1\.11$/m);
    assert.match(text, /^Status: +CrashLoopBackOff$/m);
    assert.match(text, /^Ready: +0\/1$/m);
    assert.match(text, /^Restarts: +9$/m);
    assert.match(text, /^ {4}State: +Waiting: CrashLoopBackOff$/m);
    assert.match(text, /^ {4}Last State: +Terminated: Error \(exit 1\) 3m ago$/m);
    assert.match(text, /^ {4}Requests: +cpu=250m$/m);
    assert.match(text, /^ {4}Limits: +memory=512Mi$/m);
    assert.match(text, /^ {2}Ready +False +ContainersNotReady$/m);
    // Events oldest first, with counts, like kubectl describe.
    const evAt = lines.indexOf('Events:');
    assert.ok(evAt > 0);
    assert.match(lines[evAt + 2], /^ {2}Normal {2}Pulled +39m +kubelet +Successfully pulled image$/);
    assert.match(lines[evAt + 3], /^ {2}Warning BackOff +30s \(x42\) +kubelet +Back-off restarting failed container$/);
  });

  test('no events: kubectl says <none>', () => {
    assert.deepEqual(eventLines([], NOW), ['Events:  <none>']);
  });

  test('a node with its Allocated resources (kubectl describe node figures)', () => {
    const node: Node = {
      metadata: { name: 'worker-a', uid: 'n', resourceVersion: '1' },
      spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }] },
      status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, capacity: { cpu: '2', memory: '4Gi', pods: '110' } },
    };
    const text = describeObject('nodes', node, { now: NOW, pods: [pod] }).join('\n');
    assert.match(text, /^Unschedulable: +true$/m);
    assert.match(text, /^Taints: +dedicated=batch:NoSchedule$/m);
    assert.match(text, /^Non-terminated Pods: \(1 in total\)$/m);
    // 250m of 2 cpu = 12 % (truncated); limits 0; memory limits 512Mi of 4Gi = 12 %.
    assert.match(text, /^ {2}cpu +250m \(12%\) +0 \(0%\)$/m);
    assert.match(text, /^ {2}memory +0 \(0%\) +512Mi \(12%\)$/m);
  });

  test('a deployment: replicas, strategy, revision, conditions', () => {
    const d: Deployment = {
      metadata: { name: 'checkout', namespace: 'shop', uid: 'd', resourceVersion: '1', annotations: { 'deployment.kubernetes.io/revision': '3' } },
      spec: { replicas: 3, selector: { matchLabels: { app: 'checkout' } }, template: { spec: { containers: [{ name: 'checkout', image: 'shop/checkout:1.6' }] } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } },
      status: { replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] },
    };
    const text = describeObject('deployments', d, { now: NOW }).join('\n');
    assert.match(text, /^Selector: +app=checkout$/m);
    assert.match(text, /^Replicas: +3 desired \| 1 updated \| 4 total \| 3 ready \| 3 available$/m);
    assert.match(text, /^RollingUpdate: +max surge 25%, max unavailable 25%$/m);
    assert.match(text, /^Revision: +3$/m);
    assert.match(text, /^ {2}Progressing +False +ProgressDeadlineExceeded$/m);
  });

  test('event time and count: series first, then the legacy fields', () => {
    const e = ev('X', 'Normal', 3, '2024-05-01T10:00:00Z', '');
    assert.equal(eventTime(e), '2024-05-01T10:00:00Z');
    assert.equal(eventCount(e), 3);
    const s = { ...e, series: { count: 7, lastObservedTime: '2024-05-01T11:00:00Z' } };
    assert.equal(eventTime(s), '2024-05-01T11:00:00Z');
    assert.equal(eventCount(s), 7);
    assert.equal(shortAge('2024-05-01T09:00:00Z', NOW), '3h');
    assert.equal(shortAge(undefined, NOW), '<unknown>');
  });
});
