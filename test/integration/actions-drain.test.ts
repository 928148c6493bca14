// Drain against the embedded cluster, with kubectl drain on a twin cluster as the oracle for
// its safeguards (which pods stop a drain, and why) and for what is left on the node.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { writeKubeconfig } from '../../src/sim/kubeconfig.js';
import { configForContext, loadKubeconfig } from '../../src/config/kubeconfig.js';
import { KubeClient, statusError, type RequestOptions } from '../../src/kube/client.js';
import { Actions } from '../../src/kube/actions.js';
import { ActionLog } from '../../src/kube/actionLog.js';

/** A client that can answer some requests itself (a test double for what the sim lacks). */
class StubClient extends KubeClient {
  requests: { method: string; path: string; body?: unknown }[] = [];
  stub?: (method: string, path: string, body: unknown) => Promise<unknown> | undefined;
  override async json<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const method = opts.method ?? 'GET';
    this.requests.push({ method, path, body: opts.body });
    const answer = this.stub?.(method, path, opts.body);
    if (answer !== undefined) return (await answer) as T;
    return super.json<T>(path, opts);
  }
}

const log = new ActionLog({ env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'kfleet-drain-state-')) } });
let ours: SimServer;
let theirs: SimServer;
let kcOurs: string;
let kcTheirs: string;

before(async () => {
  // No controllers: evicted pods are not replaced, so what is left on a node is comparable.
  ours = await startSimServer({ scenario: 'incident', controllers: false });
  theirs = await startSimServer({ scenario: 'incident', controllers: false });
  kcOurs = writeKubeconfig([{ name: 'ours', server: ours.url, token: ours.token, ca: ours.ca }]);
  kcTheirs = writeKubeconfig([{ name: 'theirs', server: theirs.url, token: theirs.token, ca: theirs.ca }]);
});
after(async () => {
  await Promise.all([ours.close(), theirs.close()]);
});

function client(): StubClient {
  const { kc } = configForContext(loadKubeconfig({ explicitPath: kcOurs }), 'ours');
  return new StubClient(kc, 'ours');
}

function actions(c: StubClient = client()): Actions {
  return new Actions({ client: c, contextName: 'ours', readonly: false, log, pollIntervalMs: 20 });
}

async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)('kubectl', ['--kubeconfig', kcTheirs, ...args], { timeout: 30_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

const podsOn = (sim: SimServer, node: string): string[] =>
  sim.store.list('pods').filter((p: any) => p.spec.nodeName === node).map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`).sort();

test('drain refuses unmanaged and DaemonSet pods, like kubectl drain, and leaves the node cordoned', async () => {
  const before = podsOn(ours, 'worker-c');
  const [r, k] = await Promise.all([actions().drain({ name: 'worker-c' }), kubectl('drain', 'worker-c')]);
  assert.notEqual(k.code, 0);
  assert.equal(r.ok, false);
  // kubectl lists one "cannot delete ..." line per reason after the pending node (map order).
  const kubectlReasons = k.stderr.split('There are pending nodes to be drained:\n worker-c\n')[1]!.trim().split('\n').sort();
  assert.deepEqual(kubectlReasons, [
    'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): monitoring/node-exporter-h5j6k',
    // sic: kubectl 1.32 says "cannot delete" twice.
    'cannot delete cannot delete Pods that declare no controller (use --force to override): data/spark-worker-1, data/spark-worker-2, kube-system/debug-shell',
  ]);
  assert.equal(r.message, `unable to drain node "worker-c" (node/worker-c cordoned, left cordoned): ${[...kubectlReasons].reverse().join('; ')}`);
  assert.deepEqual(r.details?.failed?.sort(), ['data/spark-worker-1', 'data/spark-worker-2', 'kube-system/debug-shell', 'monitoring/node-exporter-h5j6k']);
  assert.equal(ours.store.get('nodes', 'worker-c').spec.unschedulable, true);
  assert.equal(theirs.store.get('nodes', 'worker-c').spec.unschedulable, true);
  assert.deepEqual(podsOn(ours, 'worker-c'), before, 'nothing evicted');
});

test('drain --force --ignore-daemonsets: same pods left as kubectl; this cluster has no Eviction API, so pods are deleted', async () => {
  const [r, k] = await Promise.all([
    actions().drain({ name: 'worker-c', force: true, ignoreDaemonSets: true }),
    kubectl('drain', 'worker-c', '--force', '--ignore-daemonsets'),
  ]);
  assert.equal(k.code, 0, k.stderr);
  assert.equal(r.ok, true, r.message);
  assert.equal(r.message, 'node/worker-c drained (7 pods deleted (this cluster has no Eviction API), 1 ignored)');
  assert.equal(r.details?.usedEviction, false);
  assert.deepEqual(r.details?.ignored, ['monitoring/node-exporter-h5j6k']);
  assert.deepEqual(podsOn(ours, 'worker-c'), ['monitoring/node-exporter-h5j6k']);
  assert.deepEqual(podsOn(ours, 'worker-c'), podsOn(theirs, 'worker-c'));
  // kubectl: "pod/<name> deleted" for each; the same pods here.
  const kubectlDeleted = [...k.stdout.matchAll(/^pod\/(\S+) deleted$/gm)].map((m) => m[1]).sort();
  assert.deepEqual(r.details?.deleted?.map((id) => id.split('/')[1]).sort(), kubectlDeleted);
});

test('drain refuses pods with emptyDir data unless deleteEmptyDirData', async () => {
  const c = client();
  // A managed pod with an emptyDir on gpu-f (besides its DaemonSet pod and an unmanaged one).
  await c.json('/api/v1/namespaces/default/pods', {
    method: 'POST',
    body: {
      metadata: { name: 'cache-0', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'cache', uid: 'c0ffee00-0000-4000-a000-000000000001', controller: true }] },
      spec: { nodeName: 'gpu-f', containers: [{ name: 'c', image: 'redis:7' }], volumes: [{ name: 'scratch', emptyDir: {} }] },
    },
  });
  const refused = await actions(c).drain({ name: 'gpu-f', force: true, ignoreDaemonSets: true });
  assert.equal(refused.ok, false);
  assert.equal(refused.message, 'unable to drain node "gpu-f" (node/gpu-f cordoned, left cordoned): cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-0');
  assert.ok(podsOn(ours, 'gpu-f').includes('default/cache-0'));

  const dsPod = podsOn(ours, 'gpu-f').find((p) => p.startsWith('monitoring/node-exporter-'))!;
  const done = await actions(c).drain({ name: 'gpu-f', force: true, ignoreDaemonSets: true, deleteEmptyDirData: true });
  assert.equal(done.ok, true, done.message);
  assert.equal(done.message, 'node/gpu-f drained (2 pods deleted (this cluster has no Eviction API), 1 ignored)');
  assert.deepEqual(done.details?.warnings?.sort(), [
    'deleting Pods that declare no controller: payments/fraud-model',
    'deleting Pods with local storage: default/cache-0',
    `ignoring DaemonSet-managed Pods: ${dsPod}`,
  ].sort());
  assert.deepEqual(podsOn(ours, 'gpu-f'), [dsPod]);
});

test('drain through the Eviction API: a PodDisruptionBudget 429 is reported, the others are evicted', async () => {
  // The sim has no pods/eviction: this double advertises it and answers evictions, refusing
  // one pod with the 429 an API server sends when a PDB would be violated.
  const c = client();
  c.stub = (method, path) => {
    if (method === 'GET' && path === '/api/v1') return Promise.resolve({ kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'pods' }, { name: 'pods/eviction' }] });
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/eviction$/.exec(path);
    if (method === 'POST' && m) {
      if (m[2] === 'ledger-1') {
        return Promise.reject(statusError(429, JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'TooManyRequests', code: 429, message: "Cannot evict pod as it would violate the pod's disruption budget." }), path));
      }
      return c.json(`/api/v1/namespaces/${m[1]}/pods/${m[2]}`, { method: 'DELETE' }).then(() => ({ kind: 'Status', status: 'Success' }));
    }
    return undefined;
  };
  const r = await actions(c).drain({ name: 'worker-b', force: true, ignoreDaemonSets: true });
  assert.equal(r.ok, false);
  assert.equal(r.details?.usedEviction, true);
  assert.deepEqual(r.details?.blocked, ['payments/ledger-1']);
  assert.match(r.message, /^node\/worker-b not fully drained \(\d+ pods evicted, left cordoned\): 1 blocked by a PodDisruptionBudget \(429\): payments\/ledger-1$/);
  const evictions = c.requests.filter((q) => q.method === 'POST');
  assert.equal(evictions.length, r.details!.evicted!.length + 1);
  const ledger = evictions.find((q) => q.path.endsWith('/ledger-1/eviction'))!;
  assert.deepEqual(ledger.body, {
    apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'ledger-1', namespace: 'payments' },
    deleteOptions: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
  });
  const left = podsOn(ours, 'worker-b');
  assert.ok(left.includes('payments/ledger-1'));
  assert.deepEqual(left.filter((p) => !p.startsWith('monitoring/node-exporter-')), ['payments/ledger-1']);
});
