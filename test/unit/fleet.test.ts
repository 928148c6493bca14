import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterFigures, errorLabel, sortFleetRows, type FleetRow } from '../../src/model/fleet.js';
import type { Deployment, KubeEvent, Node, Pod } from '../../src/kube/types.js';
import { warmFiguresReady } from '../../src/kube/fleet.js';
import { ClusterStore } from '../../src/store/clusterStore.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

const node = (name: string, ready: boolean, cpu: string, memory: string): Node => ({
  metadata: { name },
  spec: {},
  status: { allocatable: { cpu, memory }, conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }] },
});

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; waiting?: string; cpu?: string; mem?: string } = {}): Pod {
  const ready = o.ready ?? true;
  return {
    metadata: { name, namespace: 'ns' },
    spec: { nodeName: o.node, containers: [{ name: 'c', resources: { requests: { cpu: o.cpu ?? '100m', memory: o.mem ?? '256Mi' } } }] },
    status: {
      phase: o.phase ?? 'Running',
      containerStatuses: [{ name: 'c', ready, restartCount: 0, state: o.waiting ? { waiting: { reason: o.waiting } } : { running: {} } }],
    },
  };
}

const ev = (reason: string, message: string, lastAgoMs: number, type = 'Warning'): KubeEvent => ({
  metadata: { name: `${reason}-${lastAgoMs}`, namespace: 'ns' },
  involvedObject: { kind: 'Pod', namespace: 'ns', name: 'p' },
  reason,
  message,
  type,
  lastTimestamp: ago(lastAgoMs),
});

const deploy = (name: string, reason?: string): Deployment =>
  ({
    metadata: { name, namespace: 'ns', generation: 1 },
    spec: { replicas: 1, selector: {}, template: { spec: { containers: [] } } },
    status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1, conditions: reason ? [{ type: 'Progressing', status: 'False', reason }] : [] },
  }) as unknown as Deployment;

describe('fleet figures', () => {
  test('hand-computed: nodes, requested %, not ready, crash loops, conflicts, rollouts, warnings', () => {
    const f = clusterFigures({
      now: NOW,
      nodes: [node('a', true, '2', '4Gi'), node('b', false, '2', '4Gi')],
      pods: [
        pod('ok', { node: 'a', cpu: '1', mem: '1Gi' }),
        pod('crash', { node: 'a', ready: false, waiting: 'CrashLoopBackOff', cpu: '500m', mem: '1Gi' }),
        pod('pending', { ready: false, cpu: '4' }), // unscheduled: no requests counted
        pod('done', { node: 'b', phase: 'Succeeded', ready: false, cpu: '2' }), // terminated: not counted at all
      ],
      events: [
        ev('FailedAttachVolume', 'Multi-Attach error for volume "pv-1" Volume is already used by pod(s) x', 60_000),
        ev('FailedAttachVolume', 'Waiting for detach for volume "pv-1" Volume is already exclusively attached to one node, waiting on detach before it can be attached to another node', 30_000), // same volume
        ev('FailedAttachVolume', 'Multi-Attach error for volume "pv-2" Volume is already exclusively attached', 20 * 60_000), // old warning, still a conflict (< 1h)
        ev('BackOff', 'Back-off restarting failed container', 9 * 60_000),
        ev('BackOff', 'Back-off restarting failed container', 11 * 60_000),
        ev('Scheduled', 'ok', 1000, 'Normal'),
      ],
      deployments: [deploy('stuck', 'ProgressDeadlineExceeded'), deploy('fine', 'NewReplicaSetAvailable')],
    });
    assert.deepEqual(f, {
      nodesReady: 1,
      nodesTotal: 2,
      cpuRequestedPct: 37, // 1.5 / 4 cpu = 37.5 -> 37
      memRequestedPct: 25, // 2Gi / 8Gi
      podsTotal: 3,
      podsNotReady: 2,
      crashLooping: 1,
      volumeConflicts: 2,
      failingRollouts: 1,
      warnings10m: 3, // the two attach events within 10 min + BackOff 9 min ago
    });
  });

  test('worst first: unreachable, then trouble; the reason in a word', () => {
    const base = { cluster: 'c', user: 'u', source: 'poll' as const };
    const fig = (o: Partial<NonNullable<FleetRow['figures']>>) => ({ nodesReady: 3, nodesTotal: 3, podsTotal: 10, podsNotReady: 0, crashLooping: 0, volumeConflicts: 0, failingRollouts: 0, warnings10m: 0, ...o });
    const rows: FleetRow[] = [
      { ...base, context: 'healthy', phase: 'connected', figures: fig({}) },
      { ...base, context: 'noisy', phase: 'connected', figures: fig({ warnings10m: 40 }) },
      { ...base, context: 'crashing', phase: 'connected', figures: fig({ crashLooping: 1 }) },
      { ...base, context: 'down', phase: 'error', errorKind: 'timeout' },
      { ...base, context: 'node-lost', phase: 'connected', figures: fig({ nodesReady: 2 }) },
    ];
    assert.deepEqual(
      sortFleetRows(rows).map((r) => r.context),
      ['down', 'node-lost', 'crashing', 'noisy', 'healthy'],
    );
    assert.deepEqual(['dns', 'tls', 'unauthorized', 'forbidden', 'timeout', 'network'].map(errorLabel), ['✗ DNS', '✗ TLS', '✗ 401', '✗ 403', '✗ timeout', '✗ unreachable']);
  });
});

describe('warm fleet figures wait for the kinds they count', () => {
  test('nodes and pods listed is not enough: events and deployments listed or forbidden too', () => {
    const store = new ClusterStore(0);
    const synced = (k: 'nodes' | 'pods' | 'events' | 'deployments') => store.setState(k, { phase: 'synced', lastSyncAt: NOW });
    assert.equal(warmFiguresReady(store), false, 'nothing listed');
    synced('nodes');
    synced('pods');
    // Events still listing: their volume conflicts and warnings would read 0.
    store.setState('events', { phase: 'listing' });
    synced('deployments');
    assert.equal(warmFiguresReady(store), false, 'events still listing');
    synced('events');
    assert.equal(warmFiguresReady(store), true);
    // A kind the user may not read never lists: the figures come without it.
    store.setState('deployments', { phase: 'forbidden', lastSyncAt: undefined });
    assert.equal(warmFiguresReady(store), true, 'deployments forbidden');
    store.setState('pods', { phase: 'forbidden', lastSyncAt: undefined });
    assert.equal(warmFiguresReady(store), false, 'pods are what the row counts');
  });
});
