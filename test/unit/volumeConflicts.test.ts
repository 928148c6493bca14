import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  Deployment,
  KubeEvent,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  ReplicaSet,
  StorageClass,
  Volume,
  VolumeAttachment,
} from '../../src/kube/types.js';
import { parseAttachEvent, volumeConflicts, volumeRisks, type VolumeSnapshot } from '../../src/model/volumeConflicts.js';

// ---- builders --------------------------------------------------------------------------------

const NOW = Date.parse('2024-06-01T12:00:00Z');
const ago = (min: number) => new Date(NOW - min * 60_000).toISOString();

function pod(
  name: string,
  node: string | undefined,
  opts: { phase?: string; claim?: string; volumes?: Volume[]; created?: string; rs?: string; waiting?: string; deleting?: boolean; ns?: string } = {},
): Pod {
  const phase = opts.phase ?? 'Running';
  return {
    metadata: {
      name,
      namespace: opts.ns ?? 'shop',
      uid: `uid-${name}`,
      resourceVersion: '1',
      creationTimestamp: opts.created ?? ago(60),
      deletionTimestamp: opts.deleting ? ago(1) : undefined,
      ownerReferences: opts.rs ? [{ kind: 'ReplicaSet', name: opts.rs, uid: `uid-${opts.rs}`, controller: true }] : undefined,
    },
    spec: {
      nodeName: node,
      containers: [{ name: 'app', image: 'cms:1' }],
      volumes: opts.volumes ?? (opts.claim ? [{ name: 'data', persistentVolumeClaim: { claimName: opts.claim } }] : []),
    },
    status: {
      phase,
      containerStatuses:
        phase === 'Pending' && node ? [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: opts.waiting ?? 'ContainerCreating' } } }] : undefined,
    },
  };
}

function pvc(name: string, mode = 'ReadWriteOnce', volumeName = `pvc-${name}`, ns = 'shop'): PersistentVolumeClaim {
  return {
    metadata: { name, namespace: ns, uid: `uid-pvc-${name}`, resourceVersion: '1' },
    spec: { accessModes: [mode], storageClassName: 'gp3', volumeName },
    status: { phase: 'Bound' },
  };
}

function pv(name: string, claim: string, mode = 'ReadWriteOnce', ns = 'shop'): PersistentVolume {
  return {
    metadata: { name, uid: `uid-${name}`, resourceVersion: '1' },
    spec: {
      accessModes: [mode],
      storageClassName: 'gp3',
      claimRef: { namespace: ns, name: claim },
      csi: { driver: 'ebs.csi.aws.com', volumeHandle: `vol-${name}` },
    },
  };
}

function va(name: string, node: string, source: VolumeAttachment['spec']['source'], status: VolumeAttachment['status'] = { attached: true }): VolumeAttachment {
  // VolumeAttachments are cluster-scoped: no namespace.
  return { metadata: { name, uid: `uid-${name}`, resourceVersion: '1' }, spec: { attacher: 'ebs.csi.aws.com', nodeName: node, source }, status };
}

function node(name: string, ready = true, extra: Partial<Node['status']> = {}): Node {
  return {
    metadata: { name, uid: `uid-${name}`, resourceVersion: '1' },
    spec: {},
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }], ...extra },
  };
}

function event(podName: string, reason: string, message: string, opts: { count?: number; first?: string; ns?: string } = {}): KubeEvent {
  return {
    metadata: { name: `${podName}.${reason}`, namespace: opts.ns ?? 'shop', uid: `uid-ev-${podName}-${reason}`, resourceVersion: '1' },
    involvedObject: { kind: 'Pod', namespace: opts.ns ?? 'shop', name: podName, uid: `uid-${podName}` },
    reason,
    message,
    type: 'Warning',
    count: opts.count ?? 1,
    firstTimestamp: opts.first ?? ago(5),
    lastTimestamp: ago(1),
  };
}

const sc: StorageClass = { metadata: { name: 'gp3', uid: 'uid-sc', resourceVersion: '1' }, provisioner: 'ebs.csi.aws.com' };

function deploymentObj(name: string, claim: string, opts: { strategy?: string; replicas?: number } = {}): Deployment {
  return {
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: '1' },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      strategy: opts.strategy ? { type: opts.strategy } : undefined,
      template: { spec: { containers: [{ name: 'app' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] } },
    },
  };
}

function rsObj(name: string, deploy: string): ReplicaSet {
  return {
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: '1', ownerReferences: [{ kind: 'Deployment', name: deploy, uid: `uid-${deploy}`, controller: true }] },
    spec: { selector: {}, template: { spec: { containers: [] } } },
  };
}

function snap(parts: Partial<VolumeSnapshot>): VolumeSnapshot {
  return {
    pods: [],
    pvcs: [pvc('cms-data')],
    pvs: [pv('pvc-cms-data', 'cms-data')],
    storageClasses: [sc],
    volumeAttachments: [],
    nodes: [node('node-a'), node('node-b'), node('node-c')],
    events: [],
    now: NOW,
    ...parts,
  };
}

const MULTI_ATTACH = 'Multi-Attach error for volume "pvc-cms-data" Volume is already used by pod(s) cms-old';
const WAITING_FOR_DETACH =
  'Waiting for detach for volume "pvc-cms-data" Volume is already exclusively attached to one node, waiting on detach before it can be attached to another node';

// ---- event parsing ---------------------------------------------------------------------------

describe('parseAttachEvent', () => {
  test('both FailedAttachVolume forms, the pod list and the other-namespace count', () => {
    assert.deepEqual(
      parseAttachEvent({ reason: 'FailedAttachVolume', message: 'Multi-Attach error for volume "pvc-1234" Volume is already used by pod(s) web-abc, web-def and 1 pod(s) in different namespaces' }),
      { kind: 'multi-attach', volume: 'pvc-1234', usedBy: ['web-abc', 'web-def'] },
    );
    assert.deepEqual(
      parseAttachEvent({ reason: 'FailedAttachVolume', message: 'Multi-Attach error for volume "pvc-1234" Volume is already exclusively attached to one node and can\'t be attached to another' }),
      { kind: 'multi-attach', volume: 'pvc-1234', usedBy: undefined },
    );
    assert.deepEqual(parseAttachEvent({ reason: 'FailedAttachVolume', message: WAITING_FOR_DETACH }), { kind: 'waiting-for-detach', volume: 'pvc-cms-data', usedBy: undefined });
    assert.deepEqual(
      parseAttachEvent({ reason: 'FailedAttachVolume', message: 'Waiting for detach for volume "pvc-9" Volume is already used by pod(s) db-0' }),
      { kind: 'waiting-for-detach', volume: 'pvc-9', usedBy: ['db-0'] },
    );
    assert.deepEqual(
      parseAttachEvent({ reason: 'FailedAttachVolume', message: 'AttachVolume.Attach failed for volume "pvc-9" : rpc error: code = Internal desc = volume in use' }),
      { kind: 'attach-failed', volume: 'pvc-9' },
    );
    assert.deepEqual(
      parseAttachEvent({ reason: 'FailedMount', message: 'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data kube-api-access-x7k2p]: timed out waiting for the condition' }),
      { kind: 'unattached', unattached: ['data', 'kube-api-access-x7k2p'] },
    );
    assert.equal(parseAttachEvent({ reason: 'FailedMount', message: 'MountVolume.SetUp failed for volume "cfg" : configmap "x" not found' }), undefined);
    assert.equal(parseAttachEvent({ reason: 'Scheduled', message: 'Multi-Attach error' }), undefined);
  });
});

// ---- each signal alone -----------------------------------------------------------------------

describe('volumeConflicts: single signals', () => {
  test('RWO claim used by pods on two nodes', () => {
    const rows = volumeConflicts(
      snap({
        pods: [pod('cms-old', 'node-a', { claim: 'cms-data', created: ago(600) }), pod('cms-new', 'node-b', { claim: 'cms-data', phase: 'Pending', created: ago(20) })],
      }),
    );
    assert.equal(rows.length, 1);
    const r = rows[0]!;
    assert.deepEqual(r.signals, ['multi-node']);
    assert.deepEqual([r.id, r.pv, r.pvc, r.accessMode, r.storageClass, r.driver], [
      'pv:pvc-cms-data', 'pvc-cms-data', { namespace: 'shop', name: 'cms-data' }, 'ReadWriteOnce', 'gp3', 'ebs.csi.aws.com',
    ]);
    assert.equal(r.holder.node, 'node-a');
    assert.deepEqual(r.holder.pods.map((p) => [p.name, p.state]), [['cms-old', 'Running']]);
    assert.deepEqual(r.waiting.map((p) => [p.name, p.node, p.state]), [['cms-new', 'node-b', 'ContainerCreating']]);
    assert.equal(r.waitingSince, ago(20));
    assert.equal(r.waitingSeconds, 20 * 60);
    assert.equal(r.eventCount, 0);
    assert.deepEqual(r.fixes[0], {
      text: 'old pod cms-old on node-a still running: deleting it frees the volume',
      action: { type: 'delete-pod', namespace: 'shop', name: 'cms-old' },
    });
  });

  test('VolumeAttachment attaching on node A while the pod waits on node B (attachError too)', () => {
    const rows = volumeConflicts(
      snap({
        pods: [pod('cms-new', 'node-b', { claim: 'cms-data', phase: 'Pending', created: ago(3) })],
        volumeAttachments: [va('csi-aaa', 'node-a', { persistentVolumeName: 'pvc-cms-data' }, { attached: false, attachError: { message: 'volume is in use by i-0123' } })],
      }),
    );
    assert.equal(rows.length, 1);
    const r = rows[0]!;
    assert.deepEqual(r.signals, ['attached-elsewhere']);
    assert.deepEqual([r.holder.node, r.holder.attachment, r.holder.note], ['node-a', 'csi-aaa', 'no pod: stale attachment']);
    assert.deepEqual(r.waiting.map((p) => p.name), ['cms-new']);
    assert.deepEqual(r.fixes.map((f) => f.text), [
      'stale attachment: delete VolumeAttachment csi-aaa',
      'attach error on node-a: volume is in use by i-0123',
    ]);
    assert.deepEqual(r.fixes[0]!.action, { type: 'delete-volumeattachment', name: 'csi-aaa' });
    assert.deepEqual(r.evidence.attachments.map((a) => a.metadata.name), ['csi-aaa']);
  });

  test('a Multi-Attach event alone ties to its pod and the PV named in the message', () => {
    const rows = volumeConflicts(
      snap({
        pods: [pod('cms-new', 'node-b', { claim: 'cms-data', phase: 'Pending', created: ago(3) })],
        events: [event('cms-new', 'FailedAttachVolume', MULTI_ATTACH, { count: 7, first: ago(10) })],
      }),
    );
    assert.equal(rows.length, 1);
    const r = rows[0]!;
    assert.deepEqual(r.signals, ['event']);
    assert.deepEqual(r.waiting.map((p) => p.name), ['cms-new']);
    assert.equal(r.eventCount, 7);
    // The event (10 min ago) is older than the pod's creation (3 min ago): the event wins.
    assert.equal(r.waitingSince, ago(10));
    assert.equal(r.evidence.events.length, 1);
  });

  test('the newer "Waiting for detach" wording is the same signal', () => {
    const rows = volumeConflicts(
      snap({
        pods: [pod('cms-new', 'node-b', { claim: 'cms-data', phase: 'Pending' })],
        events: [event('cms-new', 'FailedAttachVolume', WAITING_FOR_DETACH, { count: 2 })],
      }),
    );
    assert.deepEqual(rows.map((r) => [r.id, r.signals, r.eventCount]), [['pv:pvc-cms-data', ['event'], 2]]);
  });

  test('FailedMount with unattached volumes maps pod volume names to the claim', () => {
    const rows = volumeConflicts(
      snap({
        pods: [pod('cms-new', 'node-b', { claim: 'cms-data', phase: 'Pending' })],
        events: [event('cms-new', 'FailedMount', 'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data kube-api-access-x]: timed out waiting for the condition')],
      }),
    );
    assert.deepEqual(rows.map((r) => [r.pvc?.name, r.signals]), [['cms-data', ['event']]]);
  });

  test('a stale attachment alone is a separate, lower row', () => {
    const rows = volumeConflicts(
      snap({
        pods: [pod('cms', 'node-b', { claim: 'cms-data' })],
        volumeAttachments: [
          va('csi-b', 'node-b', { persistentVolumeName: 'pvc-cms-data' }),
          va('csi-c', 'node-c', { persistentVolumeName: 'pvc-cms-data' }),
        ],
        nodes: [node('node-b'), node('node-c', true, { volumesInUse: ['kubernetes.io/csi/ebs.csi.aws.com^vol-pvc-cms-data'] })],
      }),
    );
    assert.equal(rows.length, 1);
    const r = rows[0]!;
    assert.deepEqual([r.kind, r.signals, r.waiting.length], ['stale-attachment', ['stale-attachment'], 0]);
    assert.deepEqual(r.fixes, [
      {
        text: 'stale attachment: delete VolumeAttachment csi-c (node-c still reports the volume in use: check its kubelet first)',
        action: { type: 'delete-volumeattachment', name: 'csi-c' },
      },
    ]);
    assert.deepEqual(r.evidence.nodesInUse, ['node-c']);
  });

  test('ReadWriteOncePod: a second pod waits even on the same node', () => {
    const rows = volumeConflicts(
      snap({
        pvcs: [pvc('cms-data', 'ReadWriteOncePod')],
        pvs: [pv('pvc-cms-data', 'cms-data', 'ReadWriteOncePod')],
        pods: [pod('cms-old', 'node-a', { claim: 'cms-data', created: ago(60) }), pod('cms-new', 'node-a', { claim: 'cms-data', phase: 'Pending', created: ago(2) })],
      }),
    );
    assert.equal(rows.length, 1);
    const r = rows[0]!;
    assert.deepEqual([r.signals, r.accessMode], [['rwop-multi-pod'], 'ReadWriteOncePod']);
    assert.deepEqual(r.holder.pods.map((p) => p.name), ['cms-old']);
    assert.deepEqual(r.waiting.map((p) => p.name), ['cms-new']);
    assert.deepEqual(r.fixes[0]!.action, { type: 'delete-pod', namespace: 'shop', name: 'cms-old' });
  });
});

// ---- combined, inline, ignoring ----------------------------------------------------------------

describe('volumeConflicts: combined signals and fixes', () => {
  test('event + attachment + two pods make ONE row with the owner and the rollout advice', () => {
    const rows = volumeConflicts(
      snap({
        pods: [
          pod('cms-old', 'node-a', { claim: 'cms-data', created: ago(900), rs: 'cms-7d9' }),
          pod('cms-new', 'node-b', { claim: 'cms-data', phase: 'Pending', created: ago(12), rs: 'cms-5f4' }),
        ],
        volumeAttachments: new Map([['csi-aaa', va('csi-aaa', 'node-a', { persistentVolumeName: 'pvc-cms-data' })]]),
        events: [event('cms-new', 'FailedAttachVolume', MULTI_ATTACH, { count: 4, first: ago(11) })],
        replicaSets: [rsObj('cms-7d9', 'cms'), rsObj('cms-5f4', 'cms')],
        deployments: [deploymentObj('cms', 'cms-data')],
      }),
    );
    assert.equal(rows.length, 1);
    const r = rows[0]!;
    assert.deepEqual(r.signals, ['multi-node', 'attached-elsewhere', 'event']);
    assert.deepEqual([r.holder.node, r.holder.attachment, r.holder.nodeReady], ['node-a', 'csi-aaa', true]);
    assert.deepEqual(r.holder.pods.map((p) => p.name), ['cms-old']);
    assert.deepEqual(r.waiting.map((p) => [p.name, p.node]), [['cms-new', 'node-b']]);
    assert.equal(r.waitingSince, ago(12));
    assert.equal(r.eventCount, 4);
    assert.deepEqual(r.owner, { kind: 'Deployment', namespace: 'shop', name: 'cms' });
    assert.deepEqual(r.fixes, [
      { text: 'old pod cms-old on node-a still running: deleting it frees the volume', action: { type: 'delete-pod', namespace: 'shop', name: 'cms-old' } },
      { text: 'Deployment cms uses RollingUpdate with a ReadWriteOnce volume: this repeats on every rollout; use Recreate or a ReadWriteMany class' },
    ]);
    assert.deepEqual(r.evidence.pods.map((p) => [p.name, p.state]), [['cms-old', 'Running'], ['cms-new', 'ContainerCreating']]);
  });

  test('a NotReady holder node: force-detach timing and a forced delete first', () => {
    const rows = volumeConflicts(
      snap({
        pods: [pod('cms-old', 'node-a', { claim: 'cms-data', created: ago(900) }), pod('cms-new', 'node-b', { claim: 'cms-data', phase: 'Pending' })],
        volumeAttachments: [va('csi-aaa', 'node-a', { persistentVolumeName: 'pvc-cms-data' })],
        nodes: [node('node-a', false), node('node-b')],
      }),
    );
    const r = rows[0]!;
    assert.equal(r.holder.nodeReady, false);
    assert.deepEqual(r.fixes[0], {
      text: 'node-a is NotReady: the attachment will be force-detached after ~6 min; or delete pod cms-old with --force',
      action: { type: 'delete-pod', namespace: 'shop', name: 'cms-old', force: true },
    });
    // The plain delete of the same pod is not offered twice.
    assert.equal(r.fixes.filter((f) => f.action?.type === 'delete-pod').length, 1);
  });

  test('inline EBS volume matched to a VolumeAttachment with inlineVolumeSpec (CSI migration)', () => {
    const inline: Volume = { name: 'disk', awsElasticBlockStore: { volumeID: 'aws://us-east-1a/vol-0abc' } };
    const rows = volumeConflicts(
      snap({
        pods: [pod('legacy', 'node-b', { volumes: [inline], phase: 'Pending' })],
        volumeAttachments: [va('csi-inline', 'node-a', { inlineVolumeSpec: { csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0abc' } } })],
        events: [event('legacy', 'FailedAttachVolume', 'AttachVolume.Attach failed for volume "disk" : volume vol-0abc is attached to i-999', { count: 3 })],
      }),
    );
    assert.equal(rows.length, 1);
    const r = rows[0]!;
    assert.equal(r.id, 'ebs:vol-0abc');
    assert.deepEqual(r.signals, ['attached-elsewhere', 'event', 'stale-attachment']);
    assert.deepEqual([r.pv, r.pvc, r.accessMode, r.driver], [undefined, undefined, undefined, 'ebs.csi.aws.com']);
    assert.deepEqual([r.holder.node, r.holder.note], ['node-a', 'no pod: stale attachment']);
    assert.deepEqual(r.waiting.map((p) => p.name), ['legacy']);
    assert.equal(r.eventCount, 3);
    assert.deepEqual(r.fixes[0], { text: 'stale attachment: delete VolumeAttachment csi-inline', action: { type: 'delete-volumeattachment', name: 'csi-inline' } });
  });

  test('inline CSI volume handle matched to node volumesAttached', () => {
    const inline: Volume = { name: 'scratch', csi: { driver: 'disk.example.com', volumeHandle: 'h-1' } };
    const rows = volumeConflicts(
      snap({
        pods: [pod('p1', 'node-b', { volumes: [inline], phase: 'Pending' })],
        nodes: [node('node-a', true, { volumesAttached: [{ name: 'kubernetes.io/csi/disk.example.com^h-1' }] }), node('node-b')],
        events: [event('p1', 'FailedAttachVolume', 'AttachVolume.Attach failed for volume "scratch" : already attached')],
      }),
    );
    assert.deepEqual(rows.map((r) => [r.id, r.holder.node, r.waiting.map((p) => p.name)]), [['csi:disk.example.com^h-1', 'node-a', ['p1']]]);
  });

  test('terminated pods and running pods\' old events are ignored', () => {
    const rows = volumeConflicts(
      snap({
        pods: [pod('cms-done', 'node-a', { claim: 'cms-data', phase: 'Succeeded' }), pod('cms', 'node-b', { claim: 'cms-data' })],
        events: [event('cms', 'FailedAttachVolume', MULTI_ATTACH, { count: 3 })],
        volumeAttachments: [va('csi-b', 'node-b', { persistentVolumeName: 'pvc-cms-data' })],
      }),
    );
    assert.deepEqual(rows, []);
  });

  test('a ReadWriteMany claim on many nodes is not a conflict', () => {
    const rows = volumeConflicts(
      snap({
        pvcs: [pvc('cms-data', 'ReadWriteMany')],
        pvs: [pv('pvc-cms-data', 'cms-data', 'ReadWriteMany')],
        pods: [pod('a', 'node-a', { claim: 'cms-data' }), pod('b', 'node-b', { claim: 'cms-data', phase: 'Pending' })],
      }),
    );
    assert.deepEqual(rows, []);
  });

  test('ordering: longest waiting first, stale attachments last', () => {
    const rows = volumeConflicts(
      snap({
        pvcs: [pvc('a'), pvc('b'), pvc('c')],
        pvs: [pv('pvc-a', 'a'), pv('pvc-b', 'b'), pv('pvc-c', 'c')],
        pods: [
          pod('a-old', 'node-a', { claim: 'a' }), pod('a-new', 'node-b', { claim: 'a', phase: 'Pending', created: ago(5) }),
          pod('b-old', 'node-a', { claim: 'b' }), pod('b-new', 'node-b', { claim: 'b', phase: 'Pending', created: ago(30) }),
        ],
        volumeAttachments: [va('csi-c', 'node-c', { persistentVolumeName: 'pvc-c' })],
      }),
    );
    assert.deepEqual(rows.map((r) => [r.id, r.kind]), [['pv:pvc-b', 'conflict'], ['pv:pvc-a', 'conflict'], ['pv:pvc-c', 'stale-attachment']]);
  });
});

// ---- risks -------------------------------------------------------------------------------------

describe('volumeRisks', () => {
  test('RollingUpdate (default) or several replicas with a RWO claim; not Recreate x1 nor RWX', () => {
    const risks = volumeRisks({
      pvcs: [pvc('cms-data'), pvc('shared', 'ReadWriteMany'), pvc('wiki-data'), pvc('queue-data')],
      pvs: [],
      deployments: [
        deploymentObj('cms', 'cms-data'),
        deploymentObj('files', 'shared'),
        deploymentObj('wiki', 'wiki-data', { strategy: 'Recreate' }),
        deploymentObj('queue', 'queue-data', { strategy: 'Recreate', replicas: 3 }),
      ],
    });
    assert.deepEqual(
      risks.map((r) => [r.name, r.pvc, r.accessMode, r.fix]),
      [
        ['cms', 'cms-data', 'ReadWriteOnce', 'set strategy.type: Recreate, or use a ReadWriteMany storage class'],
        ['queue', 'queue-data', 'ReadWriteOnce', 'use a StatefulSet with volumeClaimTemplates (one claim per pod), or a ReadWriteMany storage class'],
      ],
    );
    assert.deepEqual(risks[0]!.reasons, [
      'RollingUpdate starts the new pod before the old one stops; if it lands on another node it waits for the ReadWriteOnce volume to detach',
    ]);
    assert.deepEqual(risks[1]!.reasons, ['3 replicas share one ReadWriteOnce claim: pods on other nodes cannot attach it']);
  });
});
