// Real kubectl as an independent client of the embedded cluster (run in a child process).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startSim, type SimHandle } from '../../src/sim/launch.js';
import { api, kubectl, waitFor } from '../helpers/sim.js';

let sim: SimHandle;
const k = (...args: string[]) => kubectl(sim.kubeconfigPath, args);

before(async () => {
  sim = await startSim({ scenario: 'incident', context: 'kfleet-test', crashRestartMs: 0 });
});
after(async () => {
  await sim.stop();
});

test('the kubeconfig names the context and carries the token', () => {
  const kc = readFileSync(sim.kubeconfigPath, 'utf8');
  assert.match(kc, /current-context: kfleet-test/);
  assert.ok(kc.includes(`token: ${sim.token}`));
  assert.ok(kc.includes(`server: ${sim.url}`));
});

test('kubectl get pods -A and get nodes', async () => {
  const pods = await k('get', 'pods', '-A');
  const lines = pods.trim().split('\n');
  assert.match(lines[0]!, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
  const row = (re: RegExp) => lines.find((l) => re.test(l))!.split(/\s{2,}/);
  assert.deepEqual(row(/checkout-\w+-w2c6n/).slice(2, 4), ['0/1', 'CrashLoopBackOff']);
  assert.deepEqual(row(/cart-\w+-m4v9t/).slice(2, 4), ['0/1', 'ContainerCreating']);
  assert.deepEqual(row(/fraud-model/).slice(2, 4), ['2/2', 'Running']);
  assert.deepEqual(row(/db-migrate-28930/).slice(2, 4), ['0/1', 'Completed']);
  const nodes = await k('get', 'nodes');
  assert.match(nodes, /worker-d\s+Ready,SchedulingDisabled\s+<none>\s+30d\s+v1\.32\.1-eks-5d632ec/);
  assert.match(nodes, /worker-e\s+NotReady\s+/);
});

test('kubectl describe node: Allocated resources (hand-computed for gpu-f)', async () => {
  const out = await k('describe', 'node', 'gpu-f');
  const block = out.slice(out.indexOf('Allocated resources:'));
  assert.match(block, /cpu\s+2400m \(30%\)\s+2550m \(32%\)/);
  assert.match(block, /memory\s+6456Mi \(21%\)\s+8696Mi \(28%\)/);
  assert.match(block, /nvidia\.com\/gpu\s+1\s+1/);
  assert.match(out, /Non-terminated Pods:\s+\(2 in total\)/);
});

test('kubectl rollout history and undo of the crash-looping Deployment', async () => {
  const hist = await k('rollout', 'history', 'deployment/checkout', '-n', 'shop');
  assert.match(hist, /1\s+kubectl set image deployment\/checkout checkout=registry\.example\.com\/shop\/checkout:1\.4\.0/);
  assert.match(hist, /3\s+kubectl set image deployment\/checkout checkout=registry\.example\.com\/shop\/checkout:1\.6\.0-crash/);
  const rev2 = (await api(sim, '/apis/apps/v1/namespaces/shop/replicasets?labelSelector=app.kubernetes.io%2Fname%3Dcheckout')).json().items.find((rs: any) => rs.metadata.annotations['deployment.kubernetes.io/revision'] === '2');
  assert.match(await k('rollout', 'undo', 'deployment/checkout', '-n', 'shop'), /deployment.apps\/checkout rolled back/);
  const d = (await api(sim, '/apis/apps/v1/namespaces/shop/deployments/checkout')).json();
  const expected = structuredClone(rev2.spec.template);
  delete expected.metadata.labels['pod-template-hash'];
  assert.deepEqual(d.spec.template, expected);
  // the old ReplicaSet is re-used and renumbered to 4, with its revision history
  const rs = await waitFor(async () => {
    const r = (await api(sim, `/apis/apps/v1/namespaces/shop/replicasets/${rev2.metadata.name}`)).json();
    return r.metadata.annotations['deployment.kubernetes.io/revision'] === '4' && r;
  });
  assert.equal(rs.metadata.annotations['deployment.kubernetes.io/revision-history'], '2');
  const after = await k('rollout', 'history', 'deployment/checkout', '-n', 'shop');
  assert.match(after, /4\s+kubectl set image deployment\/checkout checkout=registry\.example\.com\/shop\/checkout:1\.5\.0/);
  assert.doesNotMatch(after, /^2\s/m);
  // the crash-looping ReplicaSet is scaled down and the rollout completes
  await waitFor(async () => {
    const dd = (await api(sim, '/apis/apps/v1/namespaces/shop/deployments/checkout')).json();
    return dd.status.updatedReplicas === 3 && dd.status.availableReplicas === 3 && dd.status.replicas === 3 && dd.status.conditions.some((c: any) => c.reason === 'NewReplicaSetAvailable');
  }, 10_000, 'rollout to complete');
});

test('kubectl rollout undo of a StatefulSet applies the previous ControllerRevision', async () => {
  assert.match(await k('rollout', 'history', 'statefulset/ledger', '-n', 'payments'), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
  await k('rollout', 'undo', 'statefulset/ledger', '-n', 'payments');
  const sts = (await api(sim, '/apis/apps/v1/namespaces/payments/statefulsets/ledger')).json();
  assert.equal(sts.spec.template.spec.containers[0].image, 'registry.example.com/payments/ledger:2.0.1');
  const hist = await k('rollout', 'history', 'statefulset/ledger', '-n', 'payments');
  assert.match(hist, /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
  await waitFor(async () => {
    const s = (await api(sim, '/apis/apps/v1/namespaces/payments/statefulsets/ledger')).json();
    return s.status.updatedReplicas === 3 && s.status.currentRevision === s.status.updateRevision && s.status.readyReplicas === 3;
  }, 15_000, 'statefulset update');
});

test('kubectl get pods --watch shows a new pod', async () => {
  const child = spawn('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'get', 'pods', '-n', 'default', '--watch']);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    const before = (await sim.control('info')).watches;
    await waitFor(async () => (await sim.control('info')).watches > before, 10_000, 'kubectl watch to start');
    await api(sim, '/api/v1/namespaces/default/pods', { method: 'POST', body: { metadata: { name: 'watched' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27.2' }] } } });
    await waitFor(async () => /watched\s+1\/1\s+Running/.test(out), 10_000, 'the pod to appear Running in kubectl output');
    assert.match(out, /watched\s+0\/1\s+(Pending|ContainerCreating)/);
  } finally {
    child.kill();
  }
});

test('kubectl cordon, scale, label go through patches', async () => {
  await k('cordon', 'worker-b');
  assert.equal((await api(sim, '/api/v1/nodes/worker-b')).json().spec.unschedulable, true);
  await k('scale', 'deployment/frontend', '-n', 'shop', '--replicas=3');
  await waitFor(async () => (await api(sim, '/apis/apps/v1/namespaces/shop/deployments/frontend')).json().status.readyReplicas === 3, 10_000, 'scale to 3');
  await k('label', 'pod', 'debug-shell', '-n', 'kube-system', 'team=sre');
  assert.equal((await api(sim, '/api/v1/namespaces/kube-system/pods/debug-shell')).json().metadata.labels.team, 'sre');
});
