// The pods tree against the embedded cluster over real HTTP: ClusterConnection -> store ->
// PodTreeModel (the view's selector), then changes made with kubectl (an independent client)
// update the roll-ups in place, and the incremental tree stays equal to a fresh rebuild.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { configForContext, loadKubeconfig } from '../../src/config/kubeconfig.js';
import { KubeClient } from '../../src/kube/client.js';
import { ClusterConnection } from '../../src/kube/connection.js';
import { DEFAULT_HIERARCHY, parseHierarchy } from '../../src/model/labelTree.js';
import { startSim, type SimHandle, type SimState } from '../../src/sim/launch.js';
import type { ClusterStore } from '../../src/store/clusterStore.js';
import { PodTreeModel, rebuildReference } from '../../views/selectors/podTree.js';

const sims: SimHandle[] = [];
const conns: ClusterConnection[] = [];
after(async () => {
  await Promise.all(conns.map((c) => c.stop()));
  await Promise.all(sims.map((s) => s.stop()));
});

function clientFor(sim: SimHandle): KubeClient {
  const { kc } = configForContext(loadKubeconfig({ explicitPath: sim.kubeconfigPath }), sim.context);
  return new KubeClient(kc, sim.context);
}

function kubectl(sim: SimHandle, ...args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', sim.kubeconfigPath, '--context', sim.context, ...args], { encoding: 'utf8' });
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const podState = (store: ClusterStore) => [...store.list('pods').values()].map((o) => `${o.metadata.uid}@${o.metadata.resourceVersion}`).sort();
const serverPods = (s: SimState) => (s.pods ?? []).map((o) => `${o.uid}@${o.resourceVersion}`).sort();

test('kubectl delete and label on the server update the tree in place, equal to a rebuild', async () => {
  const sim = await startSim({ scenario: 'incident', controllers: false });
  sims.push(sim);
  const conn = new ClusterConnection(clientFor(sim), { kinds: ['pods'], metricsIntervalMs: 60_000 });
  conns.push(conn);
  const store = conn.store;
  const model = new PodTreeModel(DEFAULT_HIERARCHY, undefined);
  store.subscribe((batch) => model.sync(store, batch));
  conn.start();
  await until('pods synced', () => store.state('pods').phase === 'synced' && model.tree.size === store.size('pods'));

  // Hand-computed from src/sim/scenarios/incident.ts: 4 checkout pods (3 on rev 2, 1 crash-looping
  // on rev 3 with 9 restarts), 250m/256Mi requests and 500m/512Mi limits each.
  const checkout = () => model.tree.group(['shop', 'checkout'])!.rollup;
  assert.equal(model.tree.size, 34);
  assert.deepEqual(
    { pods: checkout().pods, ready: checkout().readyPods, restarts: checkout().restarts, crash: checkout().crashLoop, cpu: checkout().cpuRequests, cpuLim: checkout().cpuLimits, mem: checkout().memoryRequests },
    { pods: 4, ready: 3, restarts: 9, crash: 1, cpu: 1_000_000_000n, cpuLim: 2_000_000_000n, mem: 1024n * 1024n * 1024n * 1_000_000_000n },
  );
  assert.equal(model.tree.group(['shop'])!.rollup.pods, 13);

  // The crash-looping pod, found with kubectl itself.
  const crash = kubectl(sim, 'get', 'pods', '-n', 'shop', '-o', 'name').split('\n').find((l) => /checkout-.*-w2c6n$/.test(l))!.replace('pod/', '');
  assert.ok(crash, 'kubectl lists the crash-looping checkout pod');
  kubectl(sim, 'delete', 'pod', '-n', 'shop', crash, '--wait=false');
  await until('the tree saw the delete', () => checkout().pods === 3);
  assert.deepEqual(
    { ready: checkout().readyPods, restarts: checkout().restarts, crash: checkout().crashLoop, cpu: checkout().cpuRequests, cpuLim: checkout().cpuLimits },
    { ready: 3, restarts: 0, crash: 0, cpu: 750_000_000n, cpuLim: 1_500_000_000n },
  );
  const shop = model.tree.group(['shop'])!.rollup;
  assert.equal(shop.pods, 12);
  assert.equal(shop.restarts, 0);
  assert.equal(shop.cpuRequests, 8_050_000_000n);

  // A label change moves a pod to another group; the old one (its only pod) disappears.
  assert.equal(model.tree.group(['shop', 'legacy-importer'])?.rollup.pods, 1);
  kubectl(sim, 'label', 'pod', '-n', 'shop', 'legacy-importer', 'app.kubernetes.io/name=importer', 'app.kubernetes.io/component=batch');
  await until('the tree saw the label', () => model.tree.group(['shop', 'importer', 'batch'])?.rollup.pods === 1);
  assert.equal(model.tree.group(['shop', 'legacy-importer']), undefined);
  // Conventions follow: shop now misses the application label on 2 pods (the job pods) of 12.
  assert.deepEqual(model.tree.conventions().find((c) => c.namespace === 'shop')?.levels.map((l) => l.missing), [2, 2]);

  assert.deepEqual(model.tree.snapshot(), rebuildReference(model, store).snapshot());
  assert.equal(model.rebuilds, 1, 'watch events never rebuilt the tree');
});

test('under churn the incremental tree (and a filtered one) ends equal to a rebuild, without rebuilding', async () => {
  const sim = await startSim({ scenario: 'generated', nodes: 30, pods: 2000, seed: 11, controllers: false });
  sims.push(sim);
  const conn = new ClusterConnection(clientFor(sim), { kinds: ['pods'], reflector: { pageSize: 500 }, metricsIntervalMs: 60_000 });
  conns.push(conn);
  const store = conn.store;
  const levels = parseHierarchy('namespace,app.kubernetes.io/name|app,node');
  const model = new PodTreeModel(levels, undefined);
  store.subscribe((batch) => model.sync(store, batch));
  conn.start();
  await until('pods synced', () => store.state('pods').phase === 'synced', 30_000);
  model.setFilter('a');
  model.finishFilter(); // the search runs in slices; finish it now
  const filterBuilds = model.rebuilds;
  await sim.setChurn(300);
  await new Promise((r) => setTimeout(r, 2500));
  await sim.setChurn(0);
  await sim.quiesce();
  const server = await sim.state();
  await until('store equal to the server', () => JSON.stringify(podState(store)) === JSON.stringify(serverPods(server)), 30_000);
  store.flush();
  assert.ok(store.size('pods') > 1000);
  assert.deepEqual(model.tree.snapshot(), rebuildReference(model, store).snapshot());
  // The filtered tree holds exactly the matching pods, with the same roll-ups as a tree of them.
  const filtered = model.filtered!;
  const fresh = new PodTreeModel(levels, undefined);
  fresh.sync(store, undefined);
  fresh.setFilter('a');
  fresh.finishFilter();
  assert.deepEqual(filtered.snapshot(), fresh.filtered!.snapshot());
  assert.equal(model.rebuilds, filterBuilds, 'no rebuild while events streamed in');
});
