// The watch store against the embedded cluster over real HTTP: paged lists, watches with
// churn and every fault on, and the end state compared object by object with the server's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKubeconfig, configForContext } from '../../src/config/kubeconfig.js';
import { KubeClient } from '../../src/kube/client.js';
import { ClusterConnection } from '../../src/kube/connection.js';
import { leanObject } from '../../src/kube/lean.js';
import { RESOURCE_KINDS, objectKey, type ResourceKind } from '../../src/kube/types.js';
import { startSim, type SimHandle, type SimState } from '../../src/sim/launch.js';
import type { ClusterStore } from '../../src/store/clusterStore.js';

const sims: SimHandle[] = [];
const conns: ClusterConnection[] = [];
after(async () => {
  await Promise.all(conns.map((c) => c.stop()));
  await Promise.all(sims.map((s) => s.stop()));
});

function clientFor(sim: SimHandle): KubeClient {
  const loaded = loadKubeconfig({ explicitPath: sim.kubeconfigPath });
  const { kc } = configForContext(loaded, sim.context);
  return new KubeClient(kc, sim.context);
}

function storeState(store: ClusterStore, kind: ResourceKind): string[] {
  return [...store.list(kind).values()].map((o) => `${o.metadata.uid}@${o.metadata.resourceVersion}`).sort();
}

function serverState(state: SimState, kind: ResourceKind): string[] {
  return (state[kind] ?? []).map((o) => `${o.uid}@${o.resourceVersion}`).sort();
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('paged list shows progress and ends equal to the server', async () => {
  const sim = await startSim({ scenario: 'generated', nodes: 40, pods: 3000, seed: 7, controllers: false });
  sims.push(sim);
  const conn = new ClusterConnection(clientFor(sim), { kinds: ['pods', 'nodes'], reflector: { pageSize: 250 }, metricsIntervalMs: 60_000 });
  conns.push(conn);
  const progress: [number, number | undefined][] = [];
  conn.store.subscribe((b) => {
    if (b.stateChanged.has('pods')) {
      const s = conn.store.state('pods');
      if (s.phase === 'listing') progress.push([s.loaded, s.estimatedTotal]);
    }
  });
  conn.start();
  await until('pods synced', () => conn.store.state('pods').phase === 'synced', 30_000);
  const server = await sim.state();
  assert.equal(conn.store.size('pods'), 3000);
  assert.deepEqual(storeState(conn.store, 'pods'), serverState(server, 'pods'));
  assert.deepEqual(storeState(conn.store, 'nodes'), serverState(server, 'nodes'));
  // Progress came page by page with the server's estimate of the total.
  assert.ok(progress.length >= 2, `progress notices: ${JSON.stringify(progress)}`);
  assert.ok(progress.some(([loaded, total]) => loaded < 3000 && total === 3000), JSON.stringify(progress));
  await conn.stop();
});

test('with churn and every fault on, the store ends equal to the server', async () => {
  const sim = await startSim({
    scenario: 'incident',
    churn: 150,
    historySize: 300,
    bookmarkIntervalMs: 500,
    faults: { dropWatchesEverySec: 1, p410: 0.2, p500: 0.15, latencyMs: 15 },
  });
  sims.push(sim);
  const conn = new ClusterConnection(clientFor(sim), {
    reflector: { pageSize: 20, backoffInitialMs: 20, backoffMaxMs: 400, silenceTimeoutMs: 3000, watchTimeoutSeconds: 5 },
    metricsIntervalMs: 500,
    probeIntervalMs: 500,
  });
  conns.push(conn);
  let sawStale = false;
  let sawBackoff = false;
  conn.store.subscribe(() => {
    for (const k of RESOURCE_KINDS) {
      const s = conn.store.state(k);
      if (s.stale && s.phase !== 'idle') sawStale = true;
      if (s.phase === 'backoff' || s.phase === 'relisting') sawBackoff = true;
    }
  });
  conn.start();
  await new Promise((r) => setTimeout(r, 6000));
  // A resource turns forbidden for a while: its state says so.
  await sim.setFaults({ forbid: ['statefulsets'] });
  await until('statefulsets forbidden', () => conn.store.state('statefulsets').phase === 'forbidden', 15_000);
  assert.match(conn.store.state('statefulsets').error ?? '', /forbidden \(403\)/);
  assert.equal(conn.store.state('statefulsets').stale, true);
  await sim.setFaults({ dropWatchesEverySec: 0, p410: 0, p500: 0, latencyMs: 0, forbid: [] });
  await sim.setChurn(0);
  await sim.quiesce();
  conn.retryNow();
  const server = await sim.state();
  await until(
    'store equal to the server',
    () => RESOURCE_KINDS.every((k) => JSON.stringify(storeState(conn.store, k)) === JSON.stringify(serverState(server, k))),
    30_000,
  );
  for (const k of RESOURCE_KINDS) assert.deepEqual(storeState(conn.store, k), serverState(server, k), k);
  assert.ok(conn.store.size('pods') > 20, 'the incident scenario has pods');
  // Pods and nodes changed by watch events keep their held versions' equal parts (adoptEqual):
  // each reads exactly as the server's object leaned afresh.
  const client = clientFor(sim);
  for (const kind of ['pods', 'nodes'] as const) {
    const { items } = await client.json<{ items: Record<string, unknown>[] }>(`/api/v1/${kind}`);
    assert.equal(items.length, conn.store.size(kind));
    for (const raw of items) {
      const fresh = leanObject(kind, raw);
      assert.deepEqual(conn.store.get(kind, objectKey(fresh)), fresh, `${kind} ${objectKey(fresh)}`);
    }
  }
  assert.ok(sawStale, 'dropped watches marked the data stale');
  assert.ok(sawBackoff, '410s and 500s went through relist or backoff');
});

test('a server that stops and comes back: connection error, then resync', async () => {
  const sim = await startSim({ scenario: 'small' });
  sims.push(sim);
  const conn = new ClusterConnection(clientFor(sim), { kinds: ['pods', 'nodes'], reflector: { backoffInitialMs: 50, backoffMaxMs: 300 }, probeIntervalMs: 200 });
  conns.push(conn);
  conn.start();
  await until('synced', () => conn.store.state('pods').phase === 'synced' && conn.store.connection.phase === 'connected', 15_000);
  assert.match(conn.store.connection.serverVersion ?? '', /^v1\.\d+/);
  await sim.stopServing(2);
  await until('error shown', () => conn.store.connection.phase === 'error' || conn.store.state('pods').stale, 10_000);
  await until('back', () => conn.store.connection.phase === 'connected' && conn.store.state('pods').phase === 'synced' && !conn.store.state('pods').stale, 20_000);
  const server = await sim.state();
  assert.deepEqual(storeState(conn.store, 'pods'), serverState(server, 'pods'));
});

test('a wrong token is a clear 401 on every resource, without the token in the message', async () => {
  const sim = await startSim({ scenario: 'small', token: 'right-token-0123456789' });
  sims.push(sim);
  const loaded = loadKubeconfig({ explicitPath: sim.kubeconfigPath });
  const { kc } = configForContext(loaded, sim.context);
  kc.users[0] = { ...kc.users[0], token: 'wrong-token-SECRET-abcdef' };
  const conn = new ClusterConnection(new KubeClient(kc, sim.context), { kinds: ['pods'], reflector: { backoffInitialMs: 50, backoffMaxMs: 200 } });
  conns.push(conn);
  conn.start();
  await until('backoff with 401', () => conn.store.state('pods').phase === 'backoff', 10_000);
  assert.match(conn.store.state('pods').error ?? '', /401 Unauthorized/);
  assert.doesNotMatch(conn.store.state('pods').error ?? '', /SECRET/);
  await until('probe error', () => conn.store.connection.phase === 'error', 10_000);
  assert.doesNotMatch(conn.store.connection.error ?? '', /SECRET/);
});
