// Oracle: `kubectl rollout undo` against one embedded cluster, kfleet's Actions.rolloutUndo
// against a twin started from the same scenario; the resulting objects must be equal but for
// the fields the server sets (uid, resourceVersion, timestamps, status). The template and the
// annotations are compared as they are.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { writeKubeconfig } from '../../src/sim/kubeconfig.js';
import { configForContext, loadKubeconfig } from '../../src/config/kubeconfig.js';
import { KubeClient } from '../../src/kube/client.js';
import { Actions, type WorkloadKind } from '../../src/kube/actions.js';
import { ActionLog } from '../../src/kube/actionLog.js';
import { rolloutState } from '../../src/model/rollout.js';

const stateDir = mkdtempSync(join(tmpdir(), 'kfleet-oracle-state-'));
const sims: SimServer[] = [];
after(async () => {
  await Promise.all(sims.map((s) => s.close()));
});

interface Twin {
  ours: SimServer;
  theirs: SimServer;
  actions: Actions;
  /** kubeconfig of `theirs`, for kubectl. */
  kubeconfig: string;
}

/** Two clusters from the incident scenario: kfleet acts on `ours`, kubectl on `theirs`. */
async function twins(): Promise<Twin> {
  const opts = { scenario: 'incident', startDelayMs: 20, tickMs: 20 };
  const ours = await startSimServer(opts);
  const theirs = await startSimServer(opts);
  sims.push(ours, theirs);
  const kcOurs = writeKubeconfig([{ name: 'ours', server: ours.url, token: ours.token, ca: ours.ca }]);
  const { kc } = configForContext(loadKubeconfig({ explicitPath: kcOurs }), 'ours');
  const actions = new Actions({ client: new KubeClient(kc, 'ours'), contextName: 'ours', readonly: false, log: new ActionLog({ env: { XDG_STATE_HOME: stateDir } }) });
  return { ours, theirs, actions, kubeconfig: writeKubeconfig([{ name: 'theirs', server: theirs.url, token: theirs.token, ca: theirs.ca }]) };
}

/** Runs kubectl (asynchronously: the clusters live in this process). */
async function kubectl(kubeconfig: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 20_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

const RESOURCE: Record<WorkloadKind, string> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' };

/** JSON with sorted keys: Go and JavaScript write object keys in different orders. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** Drops only what the server sets on its own; spec, labels, annotations and names stay. */
function normalise(obj: any): unknown {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, managedFields: _m, ...metadata } = obj.metadata;
  const { status: _s, ...rest } = obj;
  return canonical({ ...rest, metadata });
}

/** The workload and its history objects (ReplicaSets or ControllerRevisions), normalised, by name. */
function snapshot(sim: SimServer, kind: WorkloadKind, ns: string, name: string): { workload: unknown; history: Record<string, unknown> } {
  const workload = sim.store.get(RESOURCE[kind], `${ns}/${name}`);
  const historyKind = kind === 'Deployment' ? 'replicasets' : 'controllerrevisions';
  const owned = sim.store.list(historyKind, ns).filter((o: any) => (o.metadata.ownerReferences ?? []).some((r: any) => r.controller && r.uid === workload.metadata.uid));
  return { workload: normalise(workload), history: Object.fromEntries(owned.map((o: any) => [o.metadata.name, normalise(o)])) };
}

/** Revision number of each history object: the RS annotation, or the ControllerRevision field. */
function revisions(snap: { history: Record<string, any> }): Record<string, string> {
  return Object.fromEntries(
    Object.entries(snap.history).map(([n, o]) => [n, String(o.revision ?? o.metadata.annotations?.['deployment.kubernetes.io/revision'])]),
  );
}

/** Wait until the workload's rollout completed on both clusters (their controllers run). */
async function settled(t: Twin, kind: WorkloadKind, ns: string, name: string): Promise<void> {
  const done = (sim: SimServer) => {
    const o = sim.store.get(RESOURCE[kind], `${ns}/${name}`);
    return (o.status?.observedGeneration ?? 0) >= (o.metadata.generation ?? 0) && rolloutState(kind, o).phase === 'complete';
  };
  const end = Date.now() + 15_000;
  while (!(done(t.ours) && done(t.theirs))) {
    if (Date.now() > end) assert.fail(`${kind} ${ns}/${name} did not finish rolling out on both clusters`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // One more controller pass so revision renumbering and status writes have landed.
  await new Promise((r) => setTimeout(r, 200));
}

async function compareUndo(kind: WorkloadKind, ns: string, name: string, toRevision?: number): Promise<{ twin: Twin; before: ReturnType<typeof snapshot>; after: ReturnType<typeof snapshot> }> {
  const twin = await twins();
  const before = snapshot(twin.theirs, kind, ns, name);
  assert.deepEqual(snapshot(twin.ours, kind, ns, name), before, 'the twins start identical');
  const args = ['rollout', 'undo', `${kind.toLowerCase()}/${name}`, '-n', ns, ...(toRevision ? [`--to-revision=${toRevision}`] : [])];
  const [theirs, ours] = await Promise.all([kubectl(twin.kubeconfig, ...args), twin.actions.rolloutUndo({ kind, namespace: ns, name, toRevision })]);
  assert.equal(theirs.code, 0, theirs.stderr);
  assert.equal(ours.ok, true, ours.message);
  // kubectl prints "deployment.apps/checkout rolled back"; kfleet adds the revisions.
  assert.ok(ours.message.startsWith(theirs.stdout.trim()), `${ours.message} vs ${theirs.stdout}`);
  await settled(twin, kind, ns, name);
  const afterTheirs = snapshot(twin.theirs, kind, ns, name);
  assert.deepEqual(snapshot(twin.ours, kind, ns, name), afterTheirs);
  return { twin, before, after: afterTheirs };
}

const image = (snap: { workload: any }) => snap.workload.spec.template.spec.containers[0].image;

test('Deployment: undo to the previous revision equals kubectl rollout undo', async () => {
  const { before, after: result } = await compareUndo('Deployment', 'shop', 'checkout');
  assert.equal(image(before), 'registry.example.com/shop/checkout:1.6.0-crash');
  assert.equal(image(result), 'registry.example.com/shop/checkout:1.5.0');
  const w = result.workload as any;
  assert.equal(w.metadata.annotations['deployment.kubernetes.io/revision'], '4');
  assert.equal(w.metadata.annotations['kubernetes.io/change-cause'], 'kubectl set image deployment/checkout checkout=registry.example.com/shop/checkout:1.5.0');
  // Revision 2's ReplicaSet came back as revision 4, on both.
  assert.deepEqual(Object.values(revisions(result)).sort(), ['1', '3', '4']);
});

test('Deployment: --to-revision=1 equals kubectl rollout undo --to-revision=1', async () => {
  const { after: result } = await compareUndo('Deployment', 'shop', 'checkout', 1);
  assert.equal(image(result), 'registry.example.com/shop/checkout:1.4.0');
  assert.deepEqual(Object.values(revisions(result)).sort(), ['2', '3', '4']);
});

test('StatefulSet: undo equals kubectl rollout undo statefulset (ControllerRevision patch)', async () => {
  const { before, after: result } = await compareUndo('StatefulSet', 'payments', 'ledger');
  assert.equal(image(before), 'registry.example.com/payments/ledger:2.1.0');
  assert.equal(image(result), 'registry.example.com/payments/ledger:2.0.1');
  assert.deepEqual(Object.values(revisions(result)).sort(), ['2', '3']);
});

test('DaemonSet: undo equals kubectl rollout undo daemonset', async () => {
  const { after: result } = await compareUndo('DaemonSet', 'monitoring', 'node-exporter');
  assert.match(image(result), /:v1\.7\.0$/);
});

test('skipped rollback, missing revision, no history and paused: same words as kubectl, nothing written', async () => {
  const twin = await twins();
  const cases: { kind: WorkloadKind; ns: string; name: string; toRevision?: number; ok: boolean }[] = [
    { kind: 'Deployment', ns: 'shop', name: 'checkout', toRevision: 3, ok: true }, // the current one: skipped
    { kind: 'Deployment', ns: 'shop', name: 'checkout', toRevision: 9, ok: false },
    { kind: 'Deployment', ns: 'shop', name: 'recommender', ok: false }, // one revision only
    { kind: 'Deployment', ns: 'shop', name: 'recommender', toRevision: 1, ok: false }, // paused
  ];
  for (const c of cases) {
    const before = twin.ours.store.get(RESOURCE[c.kind], `${c.ns}/${c.name}`).metadata.resourceVersion;
    const args = ['rollout', 'undo', `${c.kind.toLowerCase()}/${c.name}`, '-n', c.ns, ...(c.toRevision ? [`--to-revision=${c.toRevision}`] : [])];
    const [theirs, ours] = await Promise.all([kubectl(twin.kubeconfig, ...args), twin.actions.rolloutUndo({ kind: c.kind, namespace: c.ns, name: c.name, toRevision: c.toRevision })]);
    const label = `${args.join(' ')}: kubectl said ${JSON.stringify(theirs.stdout + theirs.stderr)}, kfleet ${JSON.stringify(ours.message)}`;
    assert.equal(ours.ok, c.ok, label);
    assert.equal(theirs.code === 0, c.ok, label);
    if (c.ok) assert.equal(ours.message, theirs.stdout.trim(), label);
    else assert.equal(`error: ${ours.message}`, theirs.stderr.trim(), label);
    assert.equal(twin.ours.store.get(RESOURCE[c.kind], `${c.ns}/${c.name}`).metadata.resourceVersion, before, `${label}: nothing written`);
  }
});

test('StatefulSet already at the asked revision: kfleet skips; kubectl on the sim sends a no-op patch', async () => {
  // kubectl compares the bytes of the patch it builds (Go's json.Marshal of a map: sorted keys,
  // "creationTimestamp":null) with the ControllerRevision's data. A real controller writes the
  // data the same way, so kubectl says "skipped rollback"; the sim writes its data from
  // JavaScript, the bytes differ, and kubectl sends a patch that changes nothing. kfleet
  // compares the values, which gives the real cluster's answer on both.
  const twin = await twins();
  const spec = (sim: SimServer) => canonical(sim.store.get('statefulsets', 'payments/ledger').spec);
  const before = spec(twin.theirs);
  const args = ['rollout', 'undo', 'statefulset/ledger', '-n', 'payments', '--to-revision=2'];
  const [theirs, ours] = await Promise.all([kubectl(twin.kubeconfig, ...args), twin.actions.rolloutUndo({ kind: 'StatefulSet', namespace: 'payments', name: 'ledger', toRevision: 2 })]);
  assert.equal(theirs.code, 0, theirs.stderr);
  assert.deepEqual([ours.ok, ours.message], [true, 'statefulset.apps/ledger skipped rollback (current template already matches revision 2)']);
  assert.deepEqual(spec(twin.theirs), before, "kubectl's patch changed nothing");
  assert.deepEqual(spec(twin.ours), before);
});
