// The rollouts view in the App shell (ink-testing-library), its store filled by hand from the
// "incident" scenario (the embedded cluster's objects, no server), plus a few hand-made
// workloads for the pod reasons the scenario lacks. Actions is a recording fake: what the
// view asks of it is what is checked here (the real one is in test/integration/rollouts-view).
import React from 'react'; // JSX in tests (classic runtime)
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render } from 'ink-testing-library';
import { loadKeymap } from '../../src/keys/keymap.js';
import type { Actions, ActionResult } from '../../src/kube/actions.js';
import { leanObject } from '../../src/kube/lean.js';
import { RESOURCE_KINDS, type Deployment, type KubeEvent, type Pod, type ReplicaSet } from '../../src/kube/types.js';
import { loadScenario } from '../../src/sim/scenarios/index.js';
import { Store as SimStore } from '../../src/sim/store.js';
import { ClusterStore } from '../../src/store/clusterStore.js';
import { App } from '../../views/App.js';
import { ActionsContext } from '../../views/actionsContext.js';
import { RolloutsView } from '../../views/RolloutsView.js';
import { ShellContext, type ConfirmRequest, type ShellApi, type ShellInternals } from '../../views/shell.js';
import { FakeContexts, screenReady, syncAll, tick } from './fixtures.js';

const keymap = loadKeymap();
const ESC = '\x1b';
const DAY = 86_400_000;

afterEach(() => cleanup());

/** The incident scenario's objects, as kfleet's reflectors would store them. */
function incidentStore(): ClusterStore {
  const sim = new SimStore({ seed: 1 });
  loadScenario(sim, { scenario: 'incident' });
  const store = new ClusterStore(0);
  for (const kind of RESOURCE_KINDS) for (const o of sim.list(kind)) store.upsert(kind, leanObject(kind, structuredClone(o)));
  // The scenario leaves most statuses to the sim's controllers: write what they would.
  const settled = (n: number) => ({ replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n, conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] });
  const statuses: Record<string, Deployment['status']> = {
    'shop/frontend': settled(2),
    'shop/recommender': settled(1),
    'kube-system/coredns': settled(2),
    'payments/api': settled(2),
    // cart: the new pod waits for its volume, the old one still serves.
    'shop/cart': { replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }] },
    // reports (Recreate): the only pod waits for its volume.
    'analytics/reports': { replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0, conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }] },
  };
  for (const [key, status] of Object.entries(statuses)) {
    const d = structuredClone(store.get('deployments', key)!);
    d.status = { observedGeneration: d.metadata.generation, ...status };
    d.metadata.resourceVersion += '-settled';
    store.upsert('deployments', d);
  }
  const ds = structuredClone(store.get('daemonsets', 'monitoring/node-exporter')!);
  ds.status = { observedGeneration: ds.metadata.generation, desiredNumberScheduled: 6, currentNumberScheduled: 6, updatedNumberScheduled: 6, numberReady: 6, numberAvailable: 6 };
  ds.metadata.resourceVersion += '-settled';
  store.upsert('daemonsets', ds);
  syncAll(store);
  store.flush();
  return store;
}

let uidSeq = 0;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** A Deployment, one ReplicaSet per image (the last is current), pods of the current one. */
function addDeployment(
  store: ClusterStore,
  ns: string,
  name: string,
  o: { images: string[]; replicas: number; status: Deployment['status']; paused?: boolean; pods?: { suffix: string; waiting?: string; ready: boolean }[] },
): void {
  const uid = `d-${++uidSeq}`;
  const rev = o.images.length;
  const labels = { app: name };
  const template = (image: string) => ({ metadata: { labels }, spec: { containers: [{ name, image }] } });
  const d: Deployment = {
    metadata: { namespace: ns, name, uid, resourceVersion: '1', generation: 1, creationTimestamp: ago(9 * DAY), annotations: { 'deployment.kubernetes.io/revision': String(rev) } },
    spec: { replicas: o.replicas, selector: { matchLabels: labels }, template: template(o.images[rev - 1]), paused: o.paused },
    status: { observedGeneration: 1, ...o.status },
  };
  store.upsert('deployments', d);
  let rs: ReplicaSet | undefined;
  o.images.forEach((image, i) => {
    rs = {
      metadata: {
        namespace: ns, name: `${name}-rs${i + 1}`, uid: `rs-${++uidSeq}`, resourceVersion: '1', creationTimestamp: ago((rev - i) * DAY),
        labels: { ...labels, 'pod-template-hash': `h${i + 1}` },
        annotations: { 'deployment.kubernetes.io/revision': String(i + 1), 'kubernetes.io/change-cause': `deploy ${image}` },
        ownerReferences: [{ kind: 'Deployment', name, uid, controller: true }],
      },
      spec: { replicas: i === rev - 1 ? o.replicas : 0, selector: { matchLabels: labels }, template: { ...template(image), metadata: { labels: { ...labels, 'pod-template-hash': `h${i + 1}` } } } },
    };
    store.upsert('replicasets', rs);
  });
  for (const p of o.pods ?? []) {
    const pod: Pod = {
      metadata: { namespace: ns, name: `${name}-rs${rev}-${p.suffix}`, uid: `p-${++uidSeq}`, resourceVersion: '1', ownerReferences: [{ kind: 'ReplicaSet', name: rs!.metadata.name, uid: rs!.metadata.uid, controller: true }] },
      spec: { nodeName: 'worker-a', containers: [{ name }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: p.ready ? 'True' : 'False' }],
        containerStatuses: [{ name, ready: p.ready, restartCount: 0, state: p.waiting ? { waiting: { reason: p.waiting } } : { running: { startedAt: ago(DAY) } } }],
      },
    };
    store.upsert('pods', pod);
  }
}

/** The incident cluster plus: an image that cannot be pulled, a failing readiness probe, a paused Deployment with history. */
function fullStore(): ClusterStore {
  const store = incidentStore();
  addDeployment(store, 'web', 'api', {
    images: ['api:1', 'api:2-typo'], replicas: 2,
    status: { replicas: 3, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }] },
    pods: [{ suffix: 'aaaaa', waiting: 'ImagePullBackOff', ready: false }, { suffix: 'bbbbb', waiting: 'ErrImagePull', ready: false }],
  });
  addDeployment(store, 'web', 'site', {
    images: ['site:7'], replicas: 2,
    status: { replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] },
    pods: [{ suffix: 'ccccc', ready: true }, { suffix: 'ddddd', ready: false }],
  });
  const notReady = store.get('pods', 'web/site-rs1-ddddd')!;
  const ev: KubeEvent = {
    metadata: { namespace: 'web', name: 'site-rs1-ddddd.1', uid: 'ev-1', resourceVersion: '1' },
    involvedObject: { kind: 'Pod', namespace: 'web', name: notReady.metadata.name, uid: notReady.metadata.uid },
    reason: 'Unhealthy', type: 'Warning', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', count: 4,
  };
  store.upsert('events', ev);
  addDeployment(store, 'web', 'batch', {
    images: ['batch:1', 'batch:2'], replicas: 1, paused: true,
    status: { replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 },
  });
  store.flush();
  return store;
}

class FakeActions {
  calls: { kind: string; namespace: string; name: string; toRevision?: number }[] = [];
  /** The next result; by default what Actions says after a rollback to the asked (or previous, 2) revision. */
  next: ActionResult | undefined;
  async rolloutUndo(args: { kind: string; namespace: string; name: string; toRevision?: number }): Promise<ActionResult> {
    this.calls.push(args);
    const to = args.toRevision ?? 2;
    return this.next ?? { ok: true, message: `deployment.apps/${args.name} rolled back (revision 3 -> ${to})`, details: { fromRevision: 3, toRevision: to, plan: { kind: 'patch' } as never } };
  }
}

function mount(opts: { store?: ClusterStore; namespace?: string; readonly?: boolean; width?: number; height?: number } = {}) {
  const contexts = new FakeContexts(['prod'], opts.namespace);
  const store = opts.store ?? fullStore();
  contexts.stores.set('prod', store);
  const actions = new FakeActions();
  const r = render(
    <ActionsContext.Provider value={actions as unknown as Actions}>
      <App contexts={contexts} keymap={keymap} width={opts.width ?? 160} height={opts.height ?? 40} readonly={opts.readonly} initialView="rollouts" onExit={() => undefined} />
    </ActionsContext.Provider>,
  );
  return { ...r, store, actions, screen: () => r.lastFrame() ?? '' };
}

async function type(stdin: { write(s: string): void }, ...keys: string[]) {
  for (const k of keys) {
    stdin.write(k);
    await tick(k === ESC ? 30 : 0);
  }
  await tick();
}

/** The view up with its rollouts counted. */
const shown = (t: { screen: () => string }) => screenReady(t.screen, /Rollouts — /, /counting rollouts/);

/** Wait (a few ms at a time) until the screen matches: renders after store notices are asynchronous. */
async function screenMatching(screen: () => string, re: RegExp, timeoutMs = 3000): Promise<string> {
  const end = Date.now() + timeoutMs;
  while (!re.test(screen())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${re}; screen:\n${screen()}`);
    await tick(5);
  }
  return screen();
}

/** The table rows (lines after the header line up to the first empty one). */
function tableRows(screen: string): string[] {
  const lines = screen.split('\n');
  const h = lines.findIndex((l) => /^ {2}NAME\s+/.test(l));
  const out: string[] = [];
  for (let i = h + 1; i < lines.length && !lines[i]!.startsWith('─'); i++) out.push(lines[i]!);
  return out;
}

describe('rollouts view', () => {
  test('failing first, each failing row with its pods\' reasons', async () => {
    const t = mount();
    await shown(t);
    const rows = tableRows(t.screen());
    const names = rows.map((l) => l.slice(2).split(/\s+/)[0]);
    assert.deepEqual(names, [
      // stalled (ProgressDeadlineExceeded)
      'shop/checkout',
      // progressing with failing pods, by namespace/name
      'analytics/reports', 'shop/cart', 'web/api', 'web/site',
      // paused
      'shop/recommender', 'web/batch',
      // complete
      'kube-system/coredns', 'monitoring/node-exporter', 'payments/api', 'payments/ledger', 'shop/frontend',
    ]);
    assert.match(rows[0]!, /^> shop\/checkout\s+deploy\s+3\s+✗ stalled\s+▇▁▁▁ 1\/3\s+3\/3\s+3\s+1 CrashLoopBackOff, ProgressDeadlineExceeded\s+checkout:1\.6\.0-crash/);
    assert.match(rows[1]!, /analytics\/reports\s+deploy\s+1\s+✗ progressing\s+▇▇▇▇ 1\/1\s+0\/1\s+0\s+1 FailedAttachVolume\s+reports:3\.1\.2/);
    assert.match(rows[3]!, /web\/api\s+deploy\s+2\s+✗ progressing\s+▇▇▇▇ 2\/2\s+1\/2\s+1\s+1 ErrImagePull, 1 ImagePullBackOff\s+api:2-typo/);
    assert.match(rows[4]!, /web\/site\s+deploy\s+1\s+✗ progressing\s+▇▇▇▇ 2\/2\s+1\/2\s+1\s+1 Unhealthy\s+site:7/);
    assert.match(rows[5]!, /shop\/recommender\s+deploy\s+1\s+‖ paused\s+▇▇▇▇ 1\/1\s+1\/1/);
    assert.match(rows[9]!, /payments\/api\s+deploy\s+1\s+✓ complete\s+▇▇▇▇ 2\/2\s+2\/2\s+2\s+migrate:5\.0\.0, proxyv2:1\.23\.2, /);
    assert.match(rows[10]!, /payments\/ledger\s+sts\s+2\s+✓ complete\s+▇▇▇▇ 3\/3\s+3\/3\s+3\s+ledger:2\.1\.0/);
    assert.match(rows[8]!, /monitoring\/node-exporter\s+ds\s+2\s+✓ complete\s+▇▇▇▇ 6\/6\s+6\/6\s+6\s+node-exporter:v1\.8\.2/);
    // The selected (first) row's details.
    assert.match(t.screen(), /^checkout rev 3: deployment "checkout" exceeded its progress deadline · desired 3 updated 1 ready 3 available 3/m);
    assert.match(t.screen(), /pods: 1 CrashLoopBackOff \(checkout-[a-z0-9]+-w2c6n\) · registry\.example\.com\/shop\/checkout:1\.6\.0-crash · RollingUpdate 25%\/25%/);
    assert.match(t.screen(), /Rollouts — 12 workloads in all namespaces · 5 failing/);
  });

  test('namespace scope and the / filter', async () => {
    const t = mount({ namespace: 'payments' });
    await shown(t);
    assert.deepEqual(tableRows(t.screen()).map((l) => l.slice(2).split(/\s+/)[0]), ['api', 'ledger']);
    assert.match(t.screen(), /Rollouts — 2 workloads in namespace payments/);
    await type(t.stdin, '/', 'ledg', '\r');
    assert.deepEqual(tableRows(t.screen()).map((l) => l.slice(2).split(/\s+/)[0]), ['ledger']);
    assert.match(t.screen(), /Rollouts — 1 of 12 workloads matching \/ledg in namespace payments/);
  });

  test('history of shop/checkout: revisions, ages, change-causes, diff against the current template', async () => {
    const t = mount();
    await shown(t);
    await type(t.stdin, '\r');
    let s = t.screen();
    assert.match(s, /History of deploy shop\/checkout — 3 revisions/);
    const cause = (tag: string) => `kubectl set image deployment/checkout checkout=registry\\.example\\.com/shop/checkout:${tag.replace(/\./g, '\\.')}`;
    assert.match(s, new RegExp(`> 3 \\(current\\)\\s+40m\\s+checkout:1\\.6\\.0-crash\\s+${cause('1.6.0-crash')}`));
    assert.match(s, new RegExp(`\\n  2\\s+6d\\s+checkout:1\\.5\\.0\\s+${cause('1.5.0')}`));
    assert.match(s, new RegExp(`\\n  1\\s+20d\\s+checkout:1\\.4\\.0\\s+${cause('1.4.0')}`));
    await type(t.stdin, 'j', 'j');
    s = t.screen();
    assert.match(s, /── template diff, current → revision 1: -1 \+1 ─/);
    assert.match(s, /^@@ -\d+ \+\d+ @@$/m);
    assert.match(s, /^- +image: registry\.example\.com\/shop\/checkout:1\.6\.0-crash$/m);
    assert.match(s, /^\+ +image: registry\.example\.com\/shop\/checkout:1\.4\.0$/m);
    // esc goes back to the list, with the cursor where it was.
    await type(t.stdin, ESC);
    assert.match(t.screen(), /^> shop\/checkout/m);
  });

  test('the history diff scrolls (J/K) when it is taller than its panel', async () => {
    const store = fullStore();
    // Revision 1 of web/api gets a much bigger template: many env lines.
    const rs = structuredClone(store.get('replicasets', 'web/api-rs1')!);
    rs.metadata.resourceVersion = '2';
    rs.spec.template.spec.containers[0]!.volumeMounts = Array.from({ length: 30 }, (_, i) => ({ name: `v${i}`, mountPath: `/m/${i}` }));
    store.upsert('replicasets', rs);
    store.flush();
    const t = mount({ store, height: 24, width: 100 });
    await shown(t);
    await type(t.stdin, '/', 'web/api', '\r', '\r', 'j');
    let s = t.screen();
    assert.match(s, /template diff, current → revision 1: -1 \+62 · lines 1-\d+ of \d+/);
    const first = s.match(/lines 1-(\d+) of (\d+)/)!;
    await type(t.stdin, 'J');
    s = t.screen();
    const next = s.match(/lines (\d+)-(\d+) of (\d+)/)!;
    assert.ok(Number(next[1]) > 1, s);
    assert.equal(next[3], first[2]);
    await type(t.stdin, 'K');
    assert.match(t.screen(), /lines 1-\d+ of \d+/);
  });

  test('u: confirm with the target revision and the diff; n cancels; u then y calls Actions.rolloutUndo', async () => {
    const t = mount();
    await shown(t);
    await type(t.stdin, 'u');
    let s = t.screen();
    assert.match(s, /│ Roll back deployment shop\/checkout to revision 2 +│/);
    assert.match(s, /object: +deployment shop\/checkout \(now at revision 3\)/);
    assert.match(s, /context: prod/);
    assert.match(s, /│ revision 3 → 2 · kubectl set image deployment\/checkout checkout=registry\.example\.com\/… │/);
    assert.match(s, /│ checkout: registry\.example\.com\/shop\/checkout:1\.6\.0-crash → registry\.example\.com\/shop\/… │/);
    assert.match(s, /template diff, current → revision 2 \(-1 \+1 lines\):/);
    assert.match(s, /│ - +image: registry\.example\.com\/shop\/checkout:1\.6\.0-crash +│/);
    assert.match(s, /│ \+ +image: registry\.example\.com\/shop\/checkout:1\.5\.0 +│/);
    assert.match(s, /same as: kubectl rollout undo deployment\/checkout -n shop/);
    assert.match(s, /y\/enter confirm {3}n\/esc cancel/);
    await type(t.stdin, 'n');
    assert.doesNotMatch(t.screen(), /now at revision 3/);
    assert.equal(t.actions.calls.length, 0);

    await type(t.stdin, 'u', 'y');
    s = await screenMatching(t.screen, /↻ rolling back/);
    assert.deepEqual(t.actions.calls, [{ kind: 'Deployment', namespace: 'shop', name: 'checkout' }]);
    assert.match(s, /^deployment\.apps\/checkout rolled back \(revision 3 -> 2\)$/m);
    assert.match(s, /↻ rolling back deploy shop\/checkout to revision 2 · ▇▇▇▁▁▁▁▁▁▁ 1\/3 updated · 3\/3 ready/);

    // The deployment controller's work arrives through the store: the row follows it.
    const d = structuredClone(t.store.get('deployments', 'shop/checkout')!);
    d.metadata.resourceVersion = '900';
    d.metadata.generation = 5;
    d.metadata.annotations = { ...d.metadata.annotations, 'deployment.kubernetes.io/revision': '4' };
    d.spec.template.spec.containers[0]!.image = 'registry.example.com/shop/checkout:1.5.0';
    // The controller scales the crash-looping ReplicaSet down: its pod goes.
    const crash = [...t.store.list('pods').keys()].find((k) => k.endsWith('-w2c6n'))!;
    t.store.remove('pods', crash);
    d.status = { observedGeneration: 5, replicas: 4, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3, conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }] };
    t.store.upsert('deployments', d);
    t.store.flush();
    s = await screenMatching(t.screen, /^> shop\/checkout\s+deploy\s+4\s+▶ progressing/m);
    assert.match(tableRows(s)[0]!, /^> shop\/checkout\s+deploy\s+4\s+▶ progressing\s+▇▇▇▁ 2\/3\s+3\/3\s+3\s/);
    assert.match(s, /↻ rolling back deploy shop\/checkout to revision 2 · ▇▇▇▇▇▇▇▁▁▁ 2\/3 updated · 3\/3 ready · Waiting for deployment "checkout" rollout to finish: 2 out of 3 new re/);
    const d2 = structuredClone(d);
    d2.metadata.resourceVersion = '901';
    d2.status = { observedGeneration: 5, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] };
    t.store.upsert('deployments', d2);
    t.store.flush();
    s = await screenMatching(t.screen, /rollback of deploy shop\/checkout complete/);
    // Complete: the row stays on top (selected) until the cursor moves.
    assert.match(tableRows(s)[0]!, /^> shop\/checkout\s+deploy\s+4\s+✓ complete\s+▇▇▇▇ 3\/3\s+3\/3\s+3\s/);
    assert.match(s, /✓ rollback of deploy shop\/checkout complete · ▇▇▇▇▇▇▇▇▇▇ 3\/3 updated · 3\/3 ready · now revision 4 \(revision 2's template\)/);
    assert.match(s, /^deployment shop\/checkout rolled back: revision 4 rolled out, 3\/3 ready$/m);
    await type(t.stdin, 'j');
    assert.doesNotMatch(t.screen(), /rollback of deploy shop\/checkout complete/);
    assert.ok(tableRows(t.screen()).findIndex((l) => l.includes('shop/checkout')) > 4);
  });

  test('u on a revision in history rolls back to that revision', async () => {
    const t = mount();
    await shown(t);
    await type(t.stdin, '\r', 'j', 'j', 'u');
    const s = t.screen();
    assert.match(s, /│ Roll back deployment shop\/checkout to revision 1 +│/);
    assert.match(s, /│ revision 3 → 1 · kubectl set image deployment\/checkout checkout=registry\.example\.com\/… │/);
    assert.match(s, /│ \+ +image: registry\.example\.com\/shop\/checkout:1\.4\.0 +│/);
    assert.match(s, /same as: kubectl rollout undo deployment\/checkout -n shop --to-revision=1/);
    await type(t.stdin, '\r');
    // After an undo the view goes back to the list and follows the row.
    await screenMatching(t.screen, /↻ rolling back deploy shop\/checkout to revision 1 · /);
    assert.match(t.screen(), /^deployment\.apps\/checkout rolled back \(revision 3 -> 1\)$/m);
    assert.deepEqual(t.actions.calls, [{ kind: 'Deployment', namespace: 'shop', name: 'checkout', toRevision: 1 }]);
  });

  test('the confirm request names the target revision (title) — StatefulSet through ControllerRevisions', async () => {
    const store = incidentStore();
    const requests: ConfirmRequest[] = [];
    const api: ShellApi = { keymap, readonly: false, contextName: 'prod', notify: () => undefined, openView: () => undefined, confirm: (r) => void requests.push(r) };
    const internals: ShellInternals = { api, viewHandlers: [], navHandlers: [] };
    const actions = new FakeActions();
    const r = render(
      <ShellContext.Provider value={internals}>
        <ActionsContext.Provider value={actions as unknown as Actions}>
          <RolloutsView store={store} width={120} height={20} namespace="payments" filter="ledger" options={{}} />
        </ActionsContext.Provider>
      </ShellContext.Provider>,
    );
    await shown({ screen: () => r.lastFrame() ?? '' });
    assert.equal(internals.viewHandlers.at(-1)!('undo'), true);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.title, 'Roll back statefulset payments/ledger to revision 1');
    assert.equal(requests[0]!.object, 'statefulset payments/ledger (now at revision 2)');
    assert.deepEqual(requests[0]!.details!.slice(0, 3), [
      'revision 2 → 1',
      'ledger: registry.example.com/payments/ledger:2.1.0 → registry.example.com/payments/ledger:2.0.1',
      'template diff, current → revision 1 (-1 +1 lines):',
    ]);
    assert.equal(requests[0]!.details!.at(-1), 'same as: kubectl rollout undo statefulset/ledger -n payments');
    await requests[0]!.onConfirm();
    assert.deepEqual(actions.calls, [{ kind: 'StatefulSet', namespace: 'payments', name: 'ledger' }]);
  });

  test('refusals and results in the status line: paused, skipped, 403, --readonly', async () => {
    const t = mount();
    await shown(t);
    // Paused Deployment with history: kubectl's refusal, no dialog.
    await type(t.stdin, '/', 'web/batch', '\r', 'u');
    assert.match(t.screen(), /✗ deployment web\/batch: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again/);
    assert.doesNotMatch(t.screen(), /object: /);
    // u on the current revision in history: skipped, as kubectl says it.
    await type(t.stdin, ESC, '/', 'checkout', '\r', '\r', 'u');
    assert.match(t.screen(), /deployment shop\/checkout: skipped rollback \(current template already matches revision 3\)/);
    assert.equal(t.actions.calls.length, 0);
    // A 403 from the server: the missing permission in the status line.
    t.actions.next = { ok: false, message: 'forbidden: you need "patch" on deployments.apps in namespace shop', details: { forbidden: { verb: 'patch', resource: 'deployments', group: 'apps', namespace: 'shop' } } };
    await type(t.stdin, 'j', 'u', 'y');
    await screenMatching(t.screen, /✗ forbidden/);
    assert.deepEqual(t.actions.calls, [{ kind: 'Deployment', namespace: 'shop', name: 'checkout', toRevision: 2 }]);
    assert.match(t.screen(), /✗ forbidden: you need "patch" on deployments\.apps in namespace shop/);
    assert.doesNotMatch(t.screen(), /rolling back/);
    cleanup();
    // --readonly: refused before any dialog.
    const ro = mount({ readonly: true });
    await shown(ro);
    await type(ro.stdin, 'u');
    assert.match(ro.screen(), /✗ refused: --readonly \(undo\)/);
    assert.doesNotMatch(ro.screen(), /object: /);
    assert.equal(ro.actions.calls.length, 0);
  });

  test('list progress and forbidden kinds are said, not hidden', async () => {
    const store = new ClusterStore(0);
    const t = mount({ store });
    await shown(t);
    assert.match(t.screen(), /Rollouts — 0 workloads in all namespaces · listing…/);
    assert.match(t.screen(), /listing workloads…/);
    syncAll(store);
    store.setState('daemonsets', { phase: 'forbidden', error: 'forbidden (403)' });
    store.flush();
    await screenMatching(t.screen, /⚠ daemonsets forbidden for this user: those rows are missing/);
    assert.match(t.screen(), /no Deployments, StatefulSets or DaemonSets in all namespaces/);
    assert.doesNotMatch(t.screen(), /listing…/);
  });

  test('80x24: the failing row keeps name, state, progress, readiness and reason', async () => {
    const t = mount({ width: 80, height: 24 });
    await shown(t);
    const s = t.screen();
    const lines = s.split('\n');
    assert.equal(lines.length, 24);
    assert.ok(lines.every((l) => l.length <= 80));
    assert.match(lines.find((l) => l.startsWith('  NAME'))!, /^ {2}NAME\s+STATE\s+UPDATED\s+READY\s+REASON$/);
    assert.match(tableRows(s)[0]!, /^> shop\/checkout\s+✗ stalled\s+▇▁▁▁ 1\/3\s+3\/3\s+1 CrashLoopBackOff,…$/);
  });
});

describe('rollouts view on many workloads', () => {
  test('a pod that fails while the view is closed is in its row when the view opens again', async () => {
    // Closed, the view's rows whose pods changed wait; opened, they are recomputed.
    const t = mount();
    await shown(t);
    assert.match(t.screen(), /web\/api\s.*1 ErrImagePull, 1 ImagePullBackOff/);
    await type(t.stdin, '2');
    await screenMatching(t.screen, /pods · sort/);
    const p = [...t.store.list('pods').values()].find((x) => x.metadata.namespace === 'web' && x.status.containerStatuses?.some((c) => c.state?.waiting?.reason === 'ErrImagePull'))!;
    assert.ok(p, 'the web/api pod failing to pull');
    const failed = structuredClone(p);
    failed.metadata.resourceVersion += '-config';
    for (const c of failed.status.containerStatuses!) if (c.state?.waiting) c.state.waiting.reason = 'CreateContainerConfigError';
    t.store.upsert('pods', failed);
    t.store.flush();
    await tick(20);
    await type(t.stdin, '4');
    const s = await screenMatching(t.screen, /web\/api\s.*1 CreateContainerConfigError, 1 ImagePullBackOff/);
    assert.doesNotMatch(s, /ErrImagePull/);
  });

  test('the first build runs in slices with its progress shown; a change meanwhile is in the rows when they come', async () => {
    const store = fullStore();
    const complete = { replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] };
    for (let i = 0; i < 3000; i++) addDeployment(store, `bulk-${i % 20}`, `svc-${i}`, { images: [`svc:${i}`], replicas: 1, status: complete });
    store.flush();
    const t = mount({ store });
    const first = t.screen();
    assert.match(first, /Rollouts — counting rollouts… \d+% \([\d,]+\/3,012 workloads\)/, 'the first frame reads no workload');
    // A workload that stalls while the index is being built.
    addDeployment(store, 'zz', 'late', {
      images: ['late:1'], replicas: 2,
      status: { replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] },
    });
    store.flush();
    const s = await screenMatching(t.screen, /Rollouts — 3,013 workloads in all namespaces · 6 failing/, 10_000);
    const names = tableRows(s).map((l) => l.slice(2).split(/\s+/)[0]);
    assert.deepEqual(names.slice(0, 3), ['shop/checkout', 'zz/late', 'analytics/reports']);
  });
});
