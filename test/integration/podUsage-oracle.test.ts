// ORACLE: pod usage in the pods tree equals real `kubectl top pod`, over real HTTP to the
// embedded cluster: metrics poller -> the poll's table (podMetricsTable.ts) -> the tree's
// roll-ups. Twice: after the first poll, and after a later poll with other figures (a table
// that shares its keys, and so its slots, with the last one).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { configForContext, loadKubeconfig } from '../../src/config/kubeconfig.js';
import { KubeClient } from '../../src/kube/client.js';
import { ClusterConnection } from '../../src/kube/connection.js';
import { DEFAULT_HIERARCHY } from '../../src/model/labelTree.js';
import { startSim, type SimHandle } from '../../src/sim/launch.js';
import { PodTreeModel } from '../../views/selectors/podTree.js';
import { kubectl } from '../helpers/sim.js';

const sims: SimHandle[] = [];
const conns: ClusterConnection[] = [];
after(async () => {
  await Promise.all(conns.map((c) => c.stop()));
  await Promise.all(sims.map((s) => s.stop()));
});

/** `kubectl top pod -A`: "namespace/name" -> "CPU MEMORY" as kubectl prints them. */
async function kubectlTop(sim: SimHandle): Promise<Map<string, string>> {
  const out = await kubectl(sim.kubeconfigPath, ['--context', sim.context, 'top', 'pod', '-A', '--no-headers']);
  return new Map(out.trim().split('\n').map((l) => {
    const [ns, name, cpu, mem] = l.trim().split(/\s+/);
    return [`${ns}/${name}`, `${cpu} ${mem}`];
  }));
}

/** The tree's pod usage printed as kubectl top does: millicores rounded up, whole MiB. */
function treeTop(model: PodTreeModel): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of model.tree.keys()) {
    const u = model.tree.pod(key)!.usage;
    if (!u) continue;
    const milli = (u.cpu + 999_999n) / 1_000_000n;
    const mib = u.memory / 1_000_000_000n / 1_048_576n;
    out.set(key, `${milli}m ${mib}Mi`);
  }
  return out;
}

test('pod usage in the tree equals kubectl top pod, after the first poll and after a later one', async () => {
  // Figures change every 6 s: longer than kfleet's wait between polls even on a loaded CI
  // machine (at least 100x a poll's wall time and 300x its CPU: CI once saw no window of 2 s
  // figures in which its last poll and kubectl's answer were the same).
  const sim = await startSim({ scenario: 'incident', controllers: false, metricsChangeEverySec: 6 });
  sims.push(sim);
  const conn = new ClusterConnection(new KubeClient(configForContext(loadKubeconfig({ explicitPath: sim.kubeconfigPath }), sim.context).kc, sim.context), { kinds: ['pods'], metricsIntervalMs: 500 });
  conns.push(conn);
  const store = conn.store;
  const model = new PodTreeModel(DEFAULT_HIERARCHY, undefined);
  store.subscribe((batch) => model.sync(store, batch));
  conn.start();

  // Compare until a kubectl answer and the tree agree (they may read different scrape
  // windows); a wrong figure never would.
  const agree = async (what: string) => {
    let last = '';
    for (const deadline = Date.now() + 40_000; Date.now() < deadline; ) {
      const [top, tree] = [await kubectlTop(sim), treeTop(model)];
      if (tree.size > 0 && !model.applyingMetrics && JSON.stringify([...tree].sort()) === JSON.stringify([...top].sort())) return top;
      last = `kubectl ${JSON.stringify([...top].slice(0, 3))} tree ${JSON.stringify([...tree].slice(0, 3))}`;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${what}: the tree's usage never equalled kubectl top: ${last}`);
  };

  const first = await agree('first poll');
  assert.ok(first.size >= 20, `${first.size} pods with metrics`);
  const table = store.metrics.pods;
  // A later poll with other figures: a new table sharing the first one's slots.
  const end = Date.now() + 40_000;
  while (Date.now() < end && (store.metrics.pods === table || [...first.keys()].every((k) => store.metrics.pods.cpu(k) === table.cpu(k)))) await new Promise((r) => setTimeout(r, 100));
  assert.notEqual(store.metrics.pods, table);
  assert.equal(store.metrics.pods.slots, table.slots);
  const second = await agree('later poll');
  assert.notDeepEqual([...second], [...first]);
});
