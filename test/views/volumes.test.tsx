import React from 'react'; // JSX in tests (test/ is outside tsconfig, so tsx uses the classic runtime)
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render } from 'ink-testing-library';
import { loadKeymap } from '../../src/keys/keymap.js';
import type { Action, ActionResult, Actions } from '../../src/kube/actions.js';
import type { Deployment, KubeEvent, Node, PersistentVolume, PersistentVolumeClaim, Pod, ReplicaSet, StorageClass, VolumeAttachment } from '../../src/kube/types.js';
import type { ClusterStore } from '../../src/store/clusterStore.js';
import { ActionsContext } from '../../views/actionsContext.js';
import { App } from '../../views/App.js';
import { VIEWS } from '../../views/registry.js';
import { VolumesSelector } from '../../views/selectors/volumes.js';
import { ShellContext, offer, type ConfirmRequest, type ShellInternals } from '../../views/shell.js';
import { VolumesView } from '../../views/VolumesView.js';
import { FakeContexts, pod as plainPod, screenWhen, syncAll, tick } from './fixtures.js';

const keymap = loadKeymap();
const ESC = '\x1b';
const ENTER = '\r';
const PV = 'pvc-0001-cms';
const VA = 'csi-cms-node-a';
const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
const meta = (name: string, namespace?: string, extra: Record<string, unknown> = {}) => ({ name, namespace, uid: `uid-${namespace ?? ''}-${name}`, resourceVersion: '1', creationTimestamp: ago(60 * 24), ...extra });

function node(name: string): Node {
  return { metadata: meta(name), spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }], volumesAttached: name === 'node-a' ? [{ name: 'kubernetes.io/csi/ebs.csi.aws.com^vol-1' }] : [], volumesInUse: name === 'node-a' ? ['kubernetes.io/csi/ebs.csi.aws.com^vol-1'] : [] } };
}

function cmsPod(name: string, nodeName: string, rs: string, running: boolean, createdMin: number): Pod {
  return {
    metadata: { ...meta(name, 'shop'), creationTimestamp: ago(createdMin), ownerReferences: [{ kind: 'ReplicaSet', name: rs, uid: `uid-shop-${rs}`, controller: true }] },
    spec: { nodeName, containers: [{ name: 'cms', image: 'cms:2' }], volumes: [{ name: 'media', persistentVolumeClaim: { claimName: 'cms-data' } }] },
    status: running
      ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'cms', ready: true, restartCount: 0, state: { running: {} } }] }
      : { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'cms', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] },
  };
}

/** The seed's story: a CMS Deployment's new pod landed on node-b, its RWO EBS volume is on node-a. */
function fillConflict(s: ClusterStore): void {
  s.upsert('nodes', node('node-a'));
  s.upsert('nodes', node('node-b'));
  s.upsert('storageclasses', { metadata: meta('gp3'), provisioner: 'ebs.csi.aws.com' } as StorageClass);
  s.upsert('persistentvolumeclaims', { metadata: meta('cms-data', 'shop'), spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', volumeName: PV } } as PersistentVolumeClaim);
  s.upsert('persistentvolumes', { metadata: meta(PV), spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', claimRef: { namespace: 'shop', name: 'cms-data' }, csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1' } } } as PersistentVolume);
  s.upsert('volumeattachments', { metadata: meta(VA), spec: { attacher: 'ebs.csi.aws.com', nodeName: 'node-a', source: { persistentVolumeName: PV } }, status: { attached: true } } as VolumeAttachment);
  s.upsert('deployments', { metadata: meta('cms', 'shop'), spec: { replicas: 1, selector: {}, template: { spec: { containers: [], volumes: [{ name: 'media', persistentVolumeClaim: { claimName: 'cms-data' } }] } }, strategy: { type: 'RollingUpdate' } } } as Deployment);
  for (const rs of ['cms-v1', 'cms-v2']) {
    s.upsert('replicasets', { metadata: { ...meta(rs, 'shop'), ownerReferences: [{ kind: 'Deployment', name: 'cms', uid: 'uid-shop-cms', controller: true }] }, spec: { selector: {}, template: { spec: { containers: [] } } } } as ReplicaSet);
  }
  s.upsert('pods', cmsPod('cms-old', 'node-a', 'cms-v1', true, 60 * 24));
  s.upsert('pods', cmsPod('cms-new', 'node-b', 'cms-v2', false, 15));
  s.upsert('events', {
    metadata: meta('cms-new.1', 'shop'),
    involvedObject: { kind: 'Pod', namespace: 'shop', name: 'cms-new', uid: 'uid-shop-cms-new' },
    reason: 'FailedAttachVolume',
    type: 'Warning',
    message: `Multi-Attach error for volume "${PV}" Volume is already used by pod(s) cms-old`,
    count: 7,
    firstTimestamp: ago(15),
    lastTimestamp: ago(1),
  } as KubeEvent);
  syncAll(s);
  s.flush();
}

/** An Actions stand-in that records what the view asked (the real one is exercised in test/integration/volumes.test.ts). */
function fakeActions() {
  const calls: Action[] = [];
  const actions = {
    run: async (a: Action): Promise<ActionResult> => {
      calls.push(a);
      return { ok: true, message: a.type === 'deletePod' ? `pod "${a.name}" deleted` : 'done' };
    },
  } as unknown as Actions;
  return { actions, calls };
}

function mount(opts: { readonly?: boolean; namespace?: string; height?: number } = {}) {
  const contexts = new FakeContexts(['prod-eu'], opts.namespace);
  fillConflict(contexts.store);
  const { actions, calls } = fakeActions();
  const r = render(
    <ActionsContext.Provider value={actions}>
      <App views={VIEWS} contexts={contexts} keymap={keymap} width={100} height={opts.height ?? 30} readonly={opts.readonly} initialView="volumes" onExit={() => {}} />
    </ActionsContext.Provider>,
  );
  return { ...r, contexts, calls, screen: () => r.lastFrame() ?? '' };
}

async function type(stdin: { write(s: string): void }, ...keys: string[]) {
  for (const k of keys) {
    stdin.write(k);
    await tick(k === ESC ? 30 : 0);
  }
  await tick();
}

afterEach(() => cleanup());

describe(':volumes', () => {
  test('one row per conflict: claim, holder node and pod, waiting pod and node, since; the selected one in full', async () => {
    const t = mount();
    await tick();
    const s = t.screen();
    assert.match(s, /Volume conflicts — 1 in all namespaces/);
    const row = s.split('\n').find((l) => l.startsWith('> '))!;
    assert.match(row, /^> shop\/cms-data\s+RWO\s+node-a: cms-old\s+node-b: cms-new\s+15m\s/);
    // The detail lines name everything the table may have dropped.
    assert.match(s, /PVC shop\/cms-data · ReadWriteOnce · gp3\/ebs\.csi\.aws\.com · owner Deployment shop\/cms · PV pvc-0001-c/);
    assert.match(s, /holds: {3}node-a: cms-old Running · VolumeAttachment csi-cms-node-a/);
    assert.match(s, /waits: {3}cms-new on node-b ContainerCreating · for 15m · 7 events/);
    assert.match(s, /fix: {5}old pod cms-old on node-a still running: deleting it frees the volume/);
    // Risks below the conflicts.
    assert.match(s, /─ risks: 1 workload will hit this on the next rollout/);
    assert.match(s, /Deployment shop\/cms · PVC cms-data RWO · set strategy\.type: Recreate/);
  });

  test('enter opens the evidence: events, the VolumeAttachment, both pods, all fixes; esc goes back', async () => {
    const t = mount({ height: 40 });
    await tick();
    await type(t.stdin, ENTER);
    const s = t.screen();
    assert.match(s, /Evidence — shop\/cms-data/);
    assert.match(s, /node node-a \(Ready\) {3}VolumeAttachment csi-cms-node-a/);
    assert.match(s, /holds shop\/cms-old {2}node node-a {2}Running {2}\(ready, age 24h\)/);
    assert.match(s, /waits shop\/cms-new {2}node node-b {2}ContainerCreating {2}\(not ready, age 15m\)/);
    assert.match(s, /VOLUMEATTACHMENTS \(1\)/);
    assert.match(s, /csi-cms-node-a {2}node node-a {2}attached {2}attacher ebs\.csi\.aws\.com/);
    assert.match(s, /EVENTS \(1, 7 occurrences\)/);
    assert.match(s, /Warning FailedAttachVolume {2}Pod\/cms-new/);
    assert.match(s, /Multi-Attach error for volume "pvc-0001-cms" Volume is already used by pod\(s\) cms-old/);
    assert.match(s, /1\. old pod cms-old on node-a still running: deleting it frees the volume {2}\[x\]/);
    assert.match(s, /2\. Deployment cms uses RollingUpdate with a ReadWriteOnce volume/);
    await type(t.stdin, ESC);
    assert.match(t.screen(), /Volume conflicts — 1 in all namespaces/);
  });

  test('the fix key asks the shell to confirm (naming the object and the context); y runs the action; the row clears when the store changes', async () => {
    const t = mount();
    await tick();
    await type(t.stdin, 'x');
    const dialog = t.screen();
    // (The dialog's first line, the title, is checked in the next test: the shell's dialog
    // currently overlaps it with the object line when there are details.)
    assert.match(dialog, /object: {2}pod\/cms-old in namespace shop/);
    assert.match(dialog, /context: prod-eu/);
    assert.match(dialog, /why: old pod cms-old on node-a still running: deleting it frees the volume/);
    assert.match(dialog, /same as: kubectl delete pod cms-old -n shop/);
    assert.deepEqual(t.calls, []);
    await type(t.stdin, 'y');
    await tick(10);
    assert.deepEqual(t.calls, [{ type: 'deletePod', namespace: 'shop', name: 'cms-old' }]);
    assert.match(t.screen(), /fix: {5}⏳ pod "cms-old" deleted, waiting for the cluster/);

    // The server's answer arrives through the store: the pod is gone, the volume moves.
    const s = t.contexts.store;
    s.remove('pods', 'shop/cms-old');
    s.flush();
    // Still a conflict (the attachment is on node-a) until the attachment moves: node-a now
    // holds it with no pod, a stale attachment (waited for: the same count was on screen before).
    const stale = await screenWhen(t.screen, /node-a: no pod: stale/);
    assert.match(stale, /> shop\/cms-data {2}node-a: no pod: stale {2}node-b: cms-new/);
    assert.match(stale, /Volume conflicts — 1 in all namespaces/);
    s.remove('volumeattachments', VA);
    s.upsert('volumeattachments', { metadata: meta('csi-cms-node-b'), spec: { attacher: 'ebs.csi.aws.com', nodeName: 'node-b', source: { persistentVolumeName: PV } }, status: { attached: true } } as VolumeAttachment);
    s.upsert('pods', { ...cmsPod('cms-new', 'node-b', 'cms-v2', true, 15), metadata: { ...cmsPod('cms-new', 'node-b', 'cms-v2', true, 15).metadata, resourceVersion: '2' } });
    s.flush();
    assert.match(await screenWhen(t.screen, /Volume conflicts — 0 in all namespaces/), /Volume conflicts — 0 in all namespaces/);
    assert.match(t.screen(), /no volume conflict in all namespaces/);
  });

  test('the confirm request: title, object, details, and the action it runs', async () => {
    const contexts = new FakeContexts(['prod-eu']);
    fillConflict(contexts.store);
    const { actions, calls } = fakeActions();
    const requests: ConfirmRequest[] = [];
    const notes: string[] = [];
    const internals: ShellInternals = {
      api: { keymap, readonly: false, contextName: 'prod-eu', notify: (t) => void notes.push(t), confirm: (r) => void requests.push(r), openView: () => {} },
      viewHandlers: [],
      navHandlers: [],
    };
    render(
      <ShellContext.Provider value={internals}>
        <ActionsContext.Provider value={actions}>
          <VolumesView store={contexts.store} width={100} height={28} namespace={undefined} filter="" options={{}} />
        </ActionsContext.Provider>
      </ShellContext.Provider>,
    );
    await tick();
    assert.equal(offer(internals.viewHandlers, 'fix'), true);
    assert.equal(requests.length, 1);
    const req = requests[0]!;
    assert.equal(req.title, 'Delete pod/cms-old to free PVC shop/cms-data for cms-new on node-b');
    assert.equal(req.object, 'pod/cms-old in namespace shop');
    assert.deepEqual(req.details, [
      'why: old pod cms-old on node-a still running: deleting it frees the volume',
      'its controller, if any, creates a replacement',
      'same as: kubectl delete pod cms-old -n shop',
    ]);
    await req.onConfirm();
    assert.deepEqual(calls, [{ type: 'deletePod', namespace: 'shop', name: 'cms-old' }]);
    assert.deepEqual(notes, ['pod "cms-old" deleted; waiting for the cluster to free the volume…']);
  });

  test('the fix works from the evidence page too, and n cancels without running anything', async () => {
    const t = mount();
    await tick();
    await type(t.stdin, ENTER, 'x');
    assert.match(t.screen(), /object: {2}pod\/cms-old in namespace shop/);
    await type(t.stdin, 'n');
    assert.deepEqual(t.calls, []);
    assert.doesNotMatch(t.screen(), /object: /);
    assert.match(t.screen(), /Evidence — shop\/cms-data/);
  });

  test('--readonly: the fix is refused with a message and nothing runs', async () => {
    const t = mount({ readonly: true });
    await tick();
    await type(t.stdin, 'x');
    assert.match(t.screen(), /✗ refused: --readonly \(fix\)/);
    assert.doesNotMatch(t.screen(), /object: /);
    assert.deepEqual(t.calls, []);
  });

  test('namespace scope and the / filter', async () => {
    const other = mount({ namespace: 'payments' });
    await tick();
    assert.match(other.screen(), /Volume conflicts — 0 in namespace payments/);
    assert.match(other.screen(), /no volume conflict in namespace payments/);
    cleanup();

    const t = mount({ namespace: 'shop' });
    await tick();
    assert.match(t.screen(), /Volume conflicts — 1 in namespace shop/);
    await type(t.stdin, '/', 'n', 'o', 'd', 'e', '-', 'b', ENTER);
    assert.match(t.screen(), /Volume conflicts — 1 matching \/node-b in namespace shop/);
    await type(t.stdin, '/', 'z', 'z', 'q', ENTER);
    assert.match(t.screen(), /no conflict matches \/node-bzzq/);
  });

  test('r shows the risks as a table and back', async () => {
    const t = mount();
    await tick();
    await type(t.stdin, 'r');
    const s = t.screen();
    assert.match(s, /Volume risks — 1 workload in all namespaces will hit this on their next rollout/);
    assert.match(s, /> shop\/cms\s+cms-data \(RWO\)\s+set strategy\.type: Recreate, or use a ReadWriteMany storage…$/m);
    await type(t.stdin, 'r');
    assert.match(t.screen(), /Volume conflicts — 1 in all namespaces/);
  });

  test('80x24: the row, the detail lines and the status line fit', async () => {
    const contexts = new FakeContexts(['prod-eu']);
    fillConflict(contexts.store);
    const r = render(<App views={VIEWS} contexts={contexts} keymap={keymap} width={80} height={24} initialView="volumes" onExit={() => {}} />);
    await tick();
    const lines = (r.lastFrame() ?? '').split('\n');
    assert.equal(lines.length, 24);
    assert.ok(lines.every((l) => [...l].length <= 80));
    assert.match(lines.find((l) => l.startsWith('> '))!, /^> shop\/cms-data\s+node-a: cms-old\s+node-b: cms-new\s+15m$/);
    assert.match(lines.join('\n'), /fix: {5}old pod cms-old on node-a still running/);
  });
});

describe('VolumesSelector', () => {
  test('recomputes only for volume-related changes', async () => {
    const contexts = new FakeContexts(['prod-eu']);
    const s = contexts.store;
    fillConflict(s);
    const sel = new VolumesSelector();
    let data = sel.select(s, undefined);
    s.subscribe((b) => (data = sel.select(s, b)));
    assert.equal(sel.computations, 1);
    assert.equal(data.conflicts.length, 1);

    // 200 pods without volumes come and change, plus an unrelated event: no recomputation.
    for (let i = 0; i < 200; i++) s.upsert('pods', plainPod('web', `web-${i}`));
    s.upsert('events', { metadata: meta('web-0.1', 'web'), involvedObject: { kind: 'Pod', namespace: 'web', name: 'web-0' }, reason: 'BackOff', message: 'Back-off restarting failed container' } as KubeEvent);
    s.flush();
    assert.equal(sel.computations, 1);
    const before = data;

    // The waiting pod changes: recomputed.
    s.upsert('pods', { ...cmsPod('cms-new', 'node-b', 'cms-v2', false, 15), metadata: { ...cmsPod('cms-new', 'node-b', 'cms-v2', false, 15).metadata, resourceVersion: '9' } });
    s.flush();
    assert.equal(sel.computations, 2);
    assert.notEqual(data, before);

    // An attach event for it: recomputed, counted.
    s.upsert('events', { metadata: meta('cms-new.2', 'shop'), involvedObject: { kind: 'Pod', namespace: 'shop', name: 'cms-new', uid: 'uid-shop-cms-new' }, reason: 'FailedMount', message: 'Unable to attach or mount volumes: unmounted volumes=[media], unattached volumes=[media]: timed out waiting for the condition', count: 3 } as KubeEvent);
    s.flush();
    assert.equal(sel.computations, 3);
    assert.equal(data.conflicts[0]!.eventCount, 7 + 3);
  });
});
