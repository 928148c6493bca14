// The generated scenario, churn and several sims side by side (fleet tests start several).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startSimServer } from '../../src/sim/server.js';
import { startSim, writeKubeconfig } from '../../src/sim/launch.js';
import { api, kubectl, waitFor } from '../helpers/sim.js';

test('generated: N nodes and M pods of realistic size, owned by ReplicaSets, paged', async () => {
  const s = await startSimServer({ scenario: 'generated', nodes: 50, pods: 2000, seed: 7 });
  try {
    const nodes = (await api(s, '/api/v1/nodes')).json().items;
    assert.equal(nodes.length, 50);
    const page = await api(s, '/api/v1/pods?limit=500');
    const body = page.json();
    assert.equal(body.items.length, 500);
    assert.equal(body.metadata.remainingItemCount, 1500);
    const perPod = page.text.length / 500;
    assert.ok(perPod > 5000 && perPod < 20000, `pod JSON ${perPod} bytes`);
    const pod = body.items[0];
    assert.ok(pod.metadata.managedFields.length === 2 && pod.spec.containers[0].env.length === 18 && pod.spec.nodeName.startsWith('gen-node-'));
    assert.equal(pod.metadata.ownerReferences[0].kind, 'ReplicaSet');
    // every pod's owner exists and the counts add up
    const rs = (await api(s, '/apis/apps/v1/replicasets')).json().items;
    assert.equal(rs.reduce((n: number, r: any) => n + r.spec.replicas, 0), 2000);
    // same seed, same cluster
    const again = await startSimServer({ scenario: 'generated', nodes: 50, pods: 2000, seed: 7, controllers: false });
    try {
      const a = (await api(again, '/api/v1/pods?limit=500')).json().items.map((p: any) => p.metadata.name);
      assert.deepEqual(a, body.items.map((p: any) => p.metadata.name));
    } finally {
      await again.close();
    }
    // a changed generated pod keeps serializing correctly
    const name = pod.metadata.name;
    const patched = await api(s, `/api/v1/namespaces/${pod.metadata.namespace}/pods/${name}`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: { metadata: { labels: { x: 'y' } } } });
    assert.equal(patched.json().metadata.labels.x, 'y');
    assert.equal(patched.json().spec.nodeName, pod.spec.nodeName);
  } finally {
    await s.close();
  }
});

test('generated without controllers: each deployment carries the status of a finished rollout (kubectl agrees)', async () => {
  const sim = await startSim({ scenario: 'generated', nodes: 20, pods: 300, controllers: false });
  try {
    const rows = (await kubectl(sim.kubeconfigPath, ['get', 'deploy', '-A', '--no-headers'])).trim().split('\n');
    const rs = JSON.parse(await kubectl(sim.kubeconfigPath, ['get', 'rs', '-A', '-o', 'json'])).items;
    assert.equal(rows.length, rs.length);
    let pods = 0;
    for (const row of rows) {
      // NAMESPACE NAME READY UP-TO-DATE AVAILABLE AGE
      const [, , ready, upToDate, available, age] = row.split(/\s+/);
      const [have, want] = ready!.split('/').map(Number);
      assert.ok(want! >= 1 && have === want, row);
      assert.equal(Number(upToDate), want, row);
      assert.equal(Number(available), want, row);
      assert.equal(age, '3d', row);
      pods += want!;
    }
    assert.equal(pods, 300);
    const [ns, name] = rows[0]!.split(/\s+/);
    assert.match(await kubectl(sim.kubeconfigPath, ['rollout', 'status', '-n', ns!, `deploy/${name}`, '--timeout=5s']), /successfully rolled out/);
  } finally {
    await sim.stop();
  }
});

test('churn changes the cluster at the given rate and quiesce stops it', async () => {
  const s = await startSimServer({ scenario: 'healthy' });
  try {
    const rv0 = s.store.rv;
    s.setChurn(200);
    await waitFor(async () => s.store.rv > rv0 + 30, 5000, 'churn');
    s.quiesce();
    await new Promise((r) => setTimeout(r, 150));
    const rv1 = s.store.rv;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(s.store.rv, rv1);
  } finally {
    await s.close();
  }
});

test('several sims in child processes, one kubeconfig with all contexts', async () => {
  const [a, b] = await Promise.all([startSim({ scenario: 'healthy', context: 'east' }), startSim({ scenario: 'small', context: 'west' })]);
  try {
    const path = writeKubeconfig([
      { name: 'east', server: a.url, token: a.token, ca: a.ca },
      { name: 'west', server: b.url, token: b.token, ca: b.ca, namespace: 'apps' },
    ]);
    assert.match(readFileSync(path, 'utf8'), /current-context: east/);
    assert.equal((await kubectl(path, ['--context', 'east', 'get', 'nodes', '-o', 'name'])).trim().split('\n').length, 3);
    assert.equal((await kubectl(path, ['--context', 'west', 'get', 'nodes', '-o', 'name'])).trim().split('\n').length, 2);
    assert.match(await kubectl(path, ['--context', 'west', 'get', 'deploy']), /web\s+2\/2/);
    await a.setChurn(50);
    const st = await a.state();
    assert.equal(st.nodes.length, 3);
    await a.quiesce();
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});
