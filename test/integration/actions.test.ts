// Every action against the embedded cluster over real HTTPS: what lands on the server, the
// result messages (kubectl's words), 409 retry, 403 naming the permission, --readonly sending
// nothing, and the action log lines.
process.env.TZ = 'Asia/Kolkata'; // +05:30: restartedAt is written in local time, as kubectl does
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { writeKubeconfig } from '../../src/sim/kubeconfig.js';
import { configForContext, loadKubeconfig } from '../../src/config/kubeconfig.js';
import { KubeClient, type RequestOptions } from '../../src/kube/client.js';
import { ACTION_TYPES, Actions, READONLY_MESSAGE, type Action, type ActionType } from '../../src/kube/actions.js';
import { ActionLog, type ActionLogEntry } from '../../src/kube/actionLog.js';
import type { Response } from 'undici';

/** A KubeClient that records each request and can run a hook just before sending it. */
class SpyClient extends KubeClient {
  requests: string[] = [];
  hook?: (method: string, path: string) => Promise<void>;
  override async raw(path: string, opts: RequestOptions = {}): Promise<Response> {
    const method = opts.method ?? 'GET';
    this.requests.push(`${method} ${path}`);
    if (this.hook) await this.hook(method, path);
    return super.raw(path, opts);
  }
}

const stateHome = mkdtempSync(join(tmpdir(), 'kfleet-actions-state-'));
const log = new ActionLog({ env: { XDG_STATE_HOME: stateHome } });
const NOW = new Date('2026-03-04T05:06:07Z');
let sim: SimServer;
let kubeconfig: string;

function client(): SpyClient {
  const { kc } = configForContext(loadKubeconfig({ explicitPath: kubeconfig }), 'sim');
  return new SpyClient(kc, 'sim');
}

function actions(opts: { readonly?: boolean; c?: SpyClient } = {}): Actions {
  return new Actions({ client: opts.c ?? client(), contextName: 'sim', readonly: opts.readonly ?? false, log, now: () => NOW, pollIntervalMs: 50 });
}

const get = (resource: string, key: string): any => sim.store.get(resource, key);

before(async () => {
  sim = await startSimServer({ scenario: 'incident', controllers: false });
  kubeconfig = writeKubeconfig([{ name: 'sim', server: sim.url, token: sim.token, ca: sim.ca }]);
});
after(async () => {
  await sim.close();
});

function lastLog(): ActionLogEntry {
  const lines = readFileSync(log.path, 'utf8').trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as ActionLogEntry;
}

test('deletePod: the pod is gone from the server', async () => {
  const crash = sim.store.list('pods', 'shop').find((p: any) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff');
  const name = crash.metadata.name as string;
  const r = await actions().deletePod({ namespace: 'shop', name });
  assert.deepEqual(r, { ok: true, message: `pod "${name}" deleted` });
  assert.equal(get('pods', `shop/${name}`), undefined);
  assert.deepEqual(lastLog(), { time: NOW.toISOString(), context: 'sim', action: 'deletePod', object: `pod/${name}`, namespace: 'shop', result: 'ok', message: `pod "${name}" deleted` });

  const again = await actions().deletePod({ namespace: 'shop', name });
  assert.equal(again.ok, false);
  assert.match(again.message, new RegExp(`pods "${name}" not found`));
  assert.equal(lastLog().result, 'failed');

  const forced = await actions().deletePod({ namespace: 'kube-system', name: 'debug-shell', force: true });
  assert.deepEqual(forced, { ok: true, message: 'pod "debug-shell" force deleted' });
  assert.equal(get('pods', 'kube-system/debug-shell'), undefined);
});

test('deleteVolumeAttachment: the stale attachment on the dead node is gone', async () => {
  const va = sim.store.list('volumeattachments').find((v: any) => v.spec.nodeName === 'worker-e');
  const name = va.metadata.name as string;
  const r = await actions().deleteVolumeAttachment({ name });
  assert.deepEqual(r, { ok: true, message: `volumeattachment.storage.k8s.io "${name}" deleted` });
  assert.equal(get('volumeattachments', name), undefined);
  assert.deepEqual(lastLog(), { time: NOW.toISOString(), context: 'sim', action: 'deleteVolumeAttachment', object: `volumeattachment/${name}`, result: 'ok', message: r.message });
});

test('rolloutRestart: restartedAt stamped on the pod template (local time, RFC 3339); paused refused', async () => {
  const r = await actions().rolloutRestart({ kind: 'Deployment', namespace: 'shop', name: 'frontend' });
  assert.deepEqual(r, { ok: true, message: 'deployment.apps/frontend restarted' });
  const d = get('deployments', 'shop/frontend');
  assert.equal(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], '2026-03-04T10:36:07+05:30');
  assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.27.2', 'the rest of the template is untouched');

  const sts = await actions().rolloutRestart({ kind: 'StatefulSet', namespace: 'payments', name: 'ledger' });
  assert.deepEqual(sts, { ok: true, message: 'statefulset.apps/ledger restarted' });
  assert.equal(get('statefulsets', 'payments/ledger').spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], '2026-03-04T10:36:07+05:30');

  const rv = get('deployments', 'shop/recommender').metadata.resourceVersion;
  const paused = await actions().rolloutRestart({ kind: 'Deployment', namespace: 'shop', name: 'recommender' });
  assert.deepEqual(paused, { ok: false, message: "can't restart paused deployment (run rollout resume first)" });
  assert.equal(get('deployments', 'shop/recommender').metadata.resourceVersion, rv);
});

test('scale: replicas set through the scale subresource', async () => {
  const c = client();
  const r = await actions({ c }).scale({ kind: 'Deployment', namespace: 'shop', name: 'frontend', replicas: 5 });
  assert.deepEqual(r, { ok: true, message: 'deployment.apps/frontend scaled' });
  assert.equal(get('deployments', 'shop/frontend').spec.replicas, 5);
  assert.deepEqual(c.requests, ['PATCH /apis/apps/v1/namespaces/shop/deployments/frontend/scale']);

  assert.deepEqual(await actions().scale({ kind: 'StatefulSet', namespace: 'payments', name: 'ledger', replicas: 0 }), { ok: true, message: 'statefulset.apps/ledger scaled' });
  assert.equal(get('statefulsets', 'payments/ledger').spec.replicas, 0);

  const bad = await actions({ c }).scale({ kind: 'Deployment', namespace: 'shop', name: 'frontend', replicas: -1 });
  assert.equal(bad.ok, false);
  assert.equal(c.requests.length, 1, 'a negative count is refused before any request');
});

test('cordon / uncordon: spec.unschedulable, and "already" when nothing to do', async () => {
  assert.deepEqual(await actions().cordon({ name: 'worker-b' }), { ok: true, message: 'node/worker-b cordoned' });
  assert.equal(get('nodes', 'worker-b').spec.unschedulable, true);
  assert.deepEqual(await actions().cordon({ name: 'worker-b' }), { ok: true, message: 'node/worker-b already cordoned' });
  assert.equal(lastLog().result, 'skipped');
  assert.deepEqual(await actions().uncordon({ name: 'worker-b' }), { ok: true, message: 'node/worker-b uncordoned' });
  assert.equal(get('nodes', 'worker-b').spec.unschedulable, undefined, 'removed, as kubectl does');
  assert.deepEqual(await actions().uncordon({ name: 'worker-b' }), { ok: true, message: 'node/worker-b already uncordoned' });
  // worker-d is cordoned in the scenario.
  assert.deepEqual(await actions().uncordon({ name: 'worker-d' }), { ok: true, message: 'node/worker-d uncordoned' });
});

test('rollout undo: a change made between the read and the patch is a 409; the undo is re-planned and applied', async () => {
  const c = client();
  const other = client();
  let patches = 0;
  c.hook = async (method, path) => {
    if (method !== 'PATCH' || patches++ > 0) return;
    // Someone else labels the Deployment after kfleet read it: its resourceVersion moves on.
    await other.json(path, { method: 'PATCH', body: { metadata: { labels: { 'touched-by': 'someone-else' } } }, contentType: 'application/merge-patch+json' });
  };
  const r = await actions({ c }).rolloutUndo({ kind: 'Deployment', namespace: 'shop', name: 'checkout' });
  assert.equal(r.ok, true, r.message);
  assert.equal(r.message, 'deployment.apps/checkout rolled back (revision 3 -> 2)');
  assert.equal(r.details?.conflictRetries, 1);
  assert.deepEqual(
    c.requests.map((x) => x.replace(/\?.*/, '')),
    [
      'GET /apis/apps/v1/namespaces/shop/deployments/checkout',
      'GET /apis/apps/v1/namespaces/shop/replicasets',
      'PATCH /apis/apps/v1/namespaces/shop/deployments/checkout', // 409
      'GET /apis/apps/v1/namespaces/shop/deployments/checkout',
      'GET /apis/apps/v1/namespaces/shop/replicasets',
      'PATCH /apis/apps/v1/namespaces/shop/deployments/checkout',
    ],
  );
  const d = get('deployments', 'shop/checkout');
  assert.equal(d.spec.template.spec.containers[0].image, 'registry.example.com/shop/checkout:1.5.0');
  assert.equal(d.metadata.labels['touched-by'], 'someone-else', 'the concurrent change was not overwritten');
  assert.deepEqual(lastLog(), {
    time: NOW.toISOString(), context: 'sim', action: 'rolloutUndo', object: 'deployment/checkout', namespace: 'shop',
    fromRevision: 3, toRevision: 2, result: 'ok', message: 'deployment.apps/checkout rolled back (revision 3 -> 2)',
  });
});

test('rollout undo: gives up after 3 retries when the object keeps changing', async () => {
  const c = client();
  const other = client();
  let n = 0;
  c.hook = async (method, path) => {
    if (method === 'PATCH') await other.json(path, { method: 'PATCH', body: { metadata: { labels: { churn: String(n++) } } }, contentType: 'application/merge-patch+json' });
  };
  const before = get('deployments', 'shop/checkout').spec.template;
  const r = await actions({ c }).rolloutUndo({ kind: 'Deployment', namespace: 'shop', name: 'checkout', toRevision: 1 });
  assert.deepEqual([r.ok, r.message], [false, 'deployment.apps/checkout: the object kept changing; gave up after 4 attempts (409 Conflict)']);
  assert.equal(c.requests.filter((x) => x.startsWith('PATCH')).length, 4);
  assert.deepEqual(get('deployments', 'shop/checkout').spec.template, before);
});

test('403: the message names the missing permission', async () => {
  sim.setFaults({ forbid: ['deployments'] });
  try {
    const undo = await actions().rolloutUndo({ kind: 'Deployment', namespace: 'shop', name: 'frontend' });
    assert.equal(undo.ok, false);
    assert.equal(undo.message, 'forbidden: you need "get" on deployments.apps in namespace shop');
    assert.deepEqual(undo.details?.forbidden, { verb: 'get', resource: 'deployments', group: 'apps', namespace: 'shop' });
    const scale = await actions().scale({ kind: 'Deployment', namespace: 'shop', name: 'frontend', replicas: 1 });
    assert.equal(scale.message, 'forbidden: you need "patch" on deployments.apps (subresource scale) in namespace shop');
  } finally {
    sim.setFaults({ forbid: [] });
  }
  sim.setFaults({ forbid: ['pods', 'nodes'] });
  try {
    const del = await actions().deletePod({ namespace: 'shop', name: 'anything' });
    assert.equal(del.message, 'forbidden: you need "delete" on pods in namespace shop');
    const cordon = await actions().cordon({ name: 'worker-a' });
    assert.equal(cordon.message, 'forbidden: you need "get" on nodes at the cluster scope');
    assert.deepEqual({ ...lastLog(), time: '' }, { time: '', context: 'sim', action: 'cordon', object: 'node/worker-a', result: 'failed', message: cordon.message });
  } finally {
    sim.setFaults({ forbid: [] });
  }
});

test('--readonly: every action is refused, logged, and sends no request', async () => {
  // One of each action type: adding a type without a case here fails to compile.
  const all: Record<ActionType, Action> = {
    rolloutUndo: { type: 'rolloutUndo', kind: 'Deployment', namespace: 'shop', name: 'checkout', toRevision: 1 },
    rolloutRestart: { type: 'rolloutRestart', kind: 'DaemonSet', namespace: 'monitoring', name: 'node-exporter' },
    scale: { type: 'scale', kind: 'Deployment', namespace: 'shop', name: 'frontend', replicas: 9 },
    deletePod: { type: 'deletePod', namespace: 'payments', name: 'ledger-0' },
    deleteVolumeAttachment: { type: 'deleteVolumeAttachment', name: sim.store.list('volumeattachments')[0].metadata.name },
    cordon: { type: 'cordon', name: 'worker-a' },
    uncordon: { type: 'uncordon', name: 'worker-d' },
    drain: { type: 'drain', name: 'worker-a', force: true, ignoreDaemonSets: true, deleteEmptyDirData: true },
  };
  assert.deepEqual(Object.keys(all).sort(), [...ACTION_TYPES].sort());
  const c = client();
  const ro = actions({ readonly: true, c });
  const rv = sim.store.rv;
  const logged = log.read().length;
  for (const type of ACTION_TYPES) {
    const r = await ro.run(all[type]);
    assert.deepEqual(r, { ok: false, message: READONLY_MESSAGE }, type);
    assert.ok(ro.describeAction(all[type]).lines.includes(`${READONLY_MESSAGE}: this will not run`));
  }
  // The named methods too, not only run().
  assert.equal((await ro.deletePod({ namespace: 'payments', name: 'ledger-0' })).message, READONLY_MESSAGE);
  assert.equal((await ro.rolloutUndo({ kind: 'StatefulSet', namespace: 'payments', name: 'ledger' })).message, READONLY_MESSAGE);
  assert.deepEqual(c.requests, []);
  assert.equal(sim.store.rv, rv, 'nothing changed on the server');
  const entries = log.read().slice(logged);
  assert.equal(entries.length, ACTION_TYPES.length + 2);
  assert.deepEqual(entries.map((e) => e.action).slice(0, ACTION_TYPES.length), [...ACTION_TYPES]);
  assert.ok(entries.every((e) => e.result === 'refused' && e.message === READONLY_MESSAGE && e.context === 'sim'));
  assert.deepEqual(entries[0], { time: NOW.toISOString(), context: 'sim', action: 'rolloutUndo', object: 'deployment/checkout', namespace: 'shop', toRevision: 1, result: 'refused', message: READONLY_MESSAGE });
  // Previewing an undo only reads, so it works in --readonly.
  const preview = await ro.previewRolloutUndo({ kind: 'Deployment', namespace: 'shop', name: 'frontend' });
  assert.equal('plan' in preview && preview.plan.kind, 'error');
});

test('describeAction names the object and the context, with the kubectl equivalent', () => {
  const a = actions();
  assert.deepEqual(a.describeAction({ type: 'rolloutUndo', kind: 'Deployment', namespace: 'shop', name: 'checkout', toRevision: 2 }), {
    title: 'Roll back deployment/checkout',
    object: 'deployment/checkout in namespace shop',
    context: 'sim',
    lines: ['to revision 2', 'context sim', 'same as: kubectl rollout undo deployment/checkout -n shop --to-revision=2'],
  });
  const drain = a.describeAction({ type: 'drain', name: 'worker-c', ignoreDaemonSets: true });
  assert.equal(drain.object, 'node/worker-c');
  assert.equal(drain.lines[drain.lines.length - 1], 'same as: kubectl drain worker-c --ignore-daemonsets');
  assert.equal(a.describeAction({ type: 'deletePod', namespace: 'shop', name: 'x', force: true }).title, 'Force delete pod/x');
});

test('the action log: JSON lines, private directory and file, no credential', () => {
  const entries = log.read();
  assert.ok(entries.length >= 15);
  for (const e of entries) {
    assert.equal(typeof e.time, 'string');
    assert.ok(!Number.isNaN(Date.parse(e.time)));
    assert.equal(e.context, 'sim');
    assert.ok(ACTION_TYPES.includes(e.action as ActionType), e.action);
    assert.match(e.object, /^(deployment|statefulset|daemonset|pod|node|volumeattachment)\//);
    assert.ok(['ok', 'skipped', 'refused', 'failed'].includes(e.result));
  }
  assert.equal(log.path, join(stateHome, 'kfleet', 'actions.log'));
  assert.equal(statSync(join(stateHome, 'kfleet')).mode & 0o777, 0o700);
  assert.equal(statSync(log.path).mode & 0o777, 0o600);
  const text = readFileSync(log.path, 'utf8');
  assert.ok(!text.includes(sim.token), 'the bearer token never reaches the log');
});

test('a failure that is not the server\'s (unreachable) is a result, not an exception', async () => {
  // A port that was free a moment ago: nothing listens there.
  const probe = createServer();
  const port = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as { port: number }).port)));
  await new Promise((r) => probe.close(r));
  const dead = new SpyClient(configForContext(loadKubeconfig({ explicitPath: writeKubeconfig([{ name: 'sim', server: `https://127.0.0.1:${port}`, token: sim.token }]) }), 'sim').kc, 'sim');
  const r = await actions({ c: dead }).cordon({ name: 'worker-a' });
  assert.equal(r.ok, false);
  assert.match(r.message, /refused the connection/);
  assert.equal(lastLog().result, 'failed');
});
