// ORACLE: the nodes view model equals real `kubectl describe node`, for every node of the
// embedded cluster's scenarios. Both read the same server: kubectl over its kubeconfig, kfleet
// through ClusterConnection (paged list + watch) -> ClusterStore -> NodeAllocationSelector
// (the view's selector). The "Allocated resources" block and the "Non-terminated Pods" rows are
// parsed from kubectl's text; quantities are compared as exact values (BigInt nano units) and
// as text, percentages as integers. The table's NodeRow figures are checked too.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { configForContext, loadKubeconfig } from '../../src/config/kubeconfig.js';
import { KubeClient } from '../../src/kube/client.js';
import { ClusterConnection } from '../../src/kube/connection.js';
import type { ResourceKind } from '../../src/kube/types.js';
import { milliValue, parseQuantityFull, value } from '../../src/model/quantity.js';
import { startSim, type SimHandle } from '../../src/sim/launch.js';
import { ClusterStore, type ChangeBatch } from '../../src/store/clusterStore.js';
import { allocatedBlockLines } from '../../views/NodeDetailView.js';
import { NodeAllocationSelector } from '../../views/selectors/nodeAllocation.js';

const run = promisify(execFile);
const sims: SimHandle[] = [];
const conns: ClusterConnection[] = [];
after(async () => {
  await Promise.all(conns.map((c) => c.stop()));
  await Promise.all(sims.map((s) => s.stop()));
});

// ---- kubectl describe node, parsed ---------------------------------------------------------

interface Figure {
  text: string;
  pct?: number;
}
interface KubectlAllocation {
  resource: string;
  requests: Figure;
  limits: Figure;
}
interface KubectlPod {
  namespace: string;
  name: string;
  cpuRequests: Figure;
  cpuLimits: Figure;
  memoryRequests: Figure;
  memoryLimits: Figure;
}
interface KubectlNode {
  total: number;
  pods: KubectlPod[];
  allocated: KubectlAllocation[];
  /** The block's lines as printed (from "Allocated resources:" to before "Events:"). */
  blockLines: string[];
}

/** "300m (15%)" -> {text: "300m", pct: 15}; "1" -> {text: "1"}. */
function figure(cell: string): Figure {
  const m = /^(\S+)(?: \((-?\d+)%\))?$/.exec(cell.trim());
  assert.ok(m, `unexpected kubectl cell ${JSON.stringify(cell)}`);
  return m[2] === undefined ? { text: m[1] } : { text: m[1], pct: Number(m[2]) };
}

/** tabwriter output: columns are separated by 2+ spaces, cells ("300m (15%)") by single ones. */
const cells = (line: string) => line.trim().split(/\s{2,}/);

export function parseDescribeNode(out: string): KubectlNode {
  const lines = out.split('\n');
  const podsAt = lines.findIndex((l) => l.startsWith('Non-terminated Pods:'));
  const allocAt = lines.findIndex((l) => l.startsWith('Allocated resources:'));
  assert.ok(podsAt >= 0 && allocAt > podsAt, 'kubectl output has both sections');
  const total = Number(/\((\d+) in total\)/.exec(lines[podsAt])?.[1]);
  const pods: KubectlPod[] = [];
  let i = podsAt + 1;
  if (lines[i]?.trim().startsWith('Namespace')) i += 2; // header + dashes (absent when 0 pods)
  for (; i < allocAt && lines[i].startsWith('  '); i++) {
    const [namespace, name, cr, cl, mr, ml] = cells(lines[i]);
    pods.push({ namespace, name, cpuRequests: figure(cr), cpuLimits: figure(cl), memoryRequests: figure(mr), memoryLimits: figure(ml) });
  }
  const allocated: KubectlAllocation[] = [];
  let end = allocAt + 1;
  while (end < lines.length && (lines[end].startsWith('  ') || lines[end] === '')) end++;
  const blockLines = lines.slice(allocAt, end).filter((l) => l !== '');
  for (const l of blockLines.slice(1)) {
    const c = cells(l);
    if (c[0].startsWith('(') || c[0] === 'Resource' || c[0] === '--------') continue;
    assert.equal(c.length, 3, `allocation line ${JSON.stringify(l)}`);
    allocated.push({ resource: c[0], requests: figure(c[1]), limits: figure(c[2]) });
  }
  return { total, pods, allocated, blockLines };
}

async function kubectlDescribe(sim: SimHandle, node: string): Promise<KubectlNode> {
  const { stdout } = await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'describe', 'node', node], { maxBuffer: 16 << 20 });
  return parseDescribeNode(stdout);
}

// ---- kfleet's side ---------------------------------------------------------------------------

function clientFor(sim: SimHandle): KubeClient {
  const loaded = loadKubeconfig({ explicitPath: sim.kubeconfigPath });
  const { kc } = configForContext(loaded, sim.context);
  return new KubeClient(kc, sim.context);
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/**
 * A quiet sim and a store that holds exactly the server's objects; `live` was fed every change
 * batch from the first page on (the incremental path), `fresh` reconciles the final store.
 */
async function connect(opts: Parameters<typeof startSim>[0]) {
  const sim = await startSim(opts);
  sims.push(sim);
  const conn = new ClusterConnection(clientFor(sim), { kinds: ['nodes', 'pods'], reflector: { pageSize: 100 }, metricsIntervalMs: 60_000 });
  conns.push(conn);
  const live = new NodeAllocationSelector(conn.store);
  const batches: ChangeBatch[] = [];
  conn.store.subscribe((b) => {
    batches.push(b);
    live.sync(b);
  });
  conn.start();
  await sim.quiesce();
  const ids = (kind: ResourceKind) => [...conn.store.list(kind).values()].map((o) => `${o.metadata.uid}@${o.metadata.resourceVersion}`).sort().join();
  await until('store equal to the server', async () => {
    if (conn.store.state('pods').phase !== 'synced' || conn.store.state('nodes').phase !== 'synced') return false;
    const state = await sim.state();
    const server = (kind: ResourceKind) => (state[kind] ?? []).map((o) => `${o.uid}@${o.resourceVersion}`).sort().join();
    return ids('pods') === server('pods') && ids('nodes') === server('nodes');
  });
  conn.store.flush();
  const fresh = new NodeAllocationSelector(conn.store);
  fresh.sync(undefined);
  return { sim, conn, live, fresh, batches };
}

/** Every figure of one node: the selector's detail and table row against kubectl's. */
function assertNodeEqualsKubectl(sel: NodeAllocationSelector, name: string, k: KubectlNode): void {
  const d = sel.nodeDetail(name);
  assert.ok(d, `detail of ${name}`);
  const row = sel.rows().find((r) => r.name === name);
  assert.ok(row, `row of ${name}`);

  // Allocated resources: same resources in the same order; exact quantities; same %.
  assert.deepEqual(d.resources.map((r) => r.resource), k.allocated.map((a) => a.resource), `${name}: resources listed`);
  for (const [i, a] of k.allocated.entries()) {
    const r = d.resources[i];
    const where = `${name} ${a.resource}`;
    assert.equal(r.requests.nano, parseQuantityFull(a.requests.text).nano, `${where} requests value`);
    assert.equal(r.limits.nano, parseQuantityFull(a.limits.text).nano, `${where} limits value`);
    assert.equal(r.requestsText, a.requests.text, `${where} requests text`);
    assert.equal(r.limitsText, a.limits.text, `${where} limits text`);
    assert.equal(r.kubectlShowsPercent, a.requests.pct !== undefined, `${where} percentage shown`);
    if (a.requests.pct !== undefined) {
      assert.equal(r.requestsPct, a.requests.pct, `${where} requests %`);
      assert.equal(r.limitsPct, a.limits.pct, `${where} limits %`);
    }
  }
  // The block the detail view prints is kubectl's, line for line.
  assert.deepEqual(allocatedBlockLines(d), k.blockLines, `${name}: Allocated resources block text`);

  // Non-terminated Pods: same pods in kubectl's order, same figures.
  assert.equal(d.pods.length, k.total, `${name}: pods in total`);
  assert.deepEqual(d.pods.map((p) => `${p.alloc.namespace}/${p.alloc.name}`), k.pods.map((p) => `${p.namespace}/${p.name}`), `${name}: pod list`);
  for (const [i, kp] of k.pods.entries()) {
    const p = d.pods[i];
    const where = `${name} ${kp.namespace}/${kp.name}`;
    assert.deepEqual(
      [p.cpuRequests, p.cpuRequestsPct, p.cpuLimits, p.cpuLimitsPct, p.memoryRequests, p.memoryRequestsPct, p.memoryLimits, p.memoryLimitsPct],
      [kp.cpuRequests.text, kp.cpuRequests.pct, kp.cpuLimits.text, kp.cpuLimits.pct, kp.memoryRequests.text, kp.memoryRequests.pct, kp.memoryLimits.text, kp.memoryLimits.pct],
      where,
    );
  }

  // The table row: integer figures (millicores, bytes) and % equal kubectl's block.
  const kcpu = k.allocated.find((a) => a.resource === 'cpu')!;
  const kmem = k.allocated.find((a) => a.resource === 'memory')!;
  assert.equal(BigInt(row.cpu.requests), milliValue(parseQuantityFull(kcpu.requests.text).nano), `${name} row cpu requests`);
  assert.equal(BigInt(row.cpu.limits), milliValue(parseQuantityFull(kcpu.limits.text).nano), `${name} row cpu limits`);
  assert.equal(BigInt(row.memory.requests), value(parseQuantityFull(kmem.requests.text).nano), `${name} row memory requests`);
  assert.equal(BigInt(row.memory.limits), value(parseQuantityFull(kmem.limits.text).nano), `${name} row memory limits`);
  assert.deepEqual([row.cpu.requestsPct, row.cpu.limitsPct, row.memory.requestsPct, row.memory.limitsPct], [kcpu.requests.pct, kcpu.limits.pct, kmem.requests.pct, kmem.limits.pct], `${name} row %`);
  assert.equal(row.pods, k.total, `${name} row pods`);
  for (const o of row.other) {
    const a = k.allocated.find((x) => x.resource === o.resource);
    assert.ok(a, `${name} row resource ${o.resource} is in kubectl's block`);
    assert.equal(BigInt(o.figures.requests), (o.resource === 'cpu' ? milliValue : value)(parseQuantityFull(a.requests.text).nano), `${name} row ${o.resource} requests`);
    assert.equal(BigInt(o.figures.limits), value(parseQuantityFull(a.limits.text).nano), `${name} row ${o.resource} limits`);
  }
}

/**
 * kubectl 1.32 ignores pod-level `spec.resources` (PodLevelResources is alpha and off in 1.32:
 * a real 1.32 API server drops the field), while the model honours it as the scheduler and
 * newer kubectl do. This copy of the store has the field stripped, as a 1.32 server stores it.
 */
function withoutPodLevelResources(store: ClusterStore): { store: ClusterStore; podLevel: Set<string> } {
  const out = new ClusterStore(0);
  const podLevel = new Set<string>();
  for (const n of store.list('nodes').values()) out.upsert('nodes', n);
  for (const [key, p] of store.list('pods')) {
    if (p.spec.resources) {
      podLevel.add(key);
      const { resources: _dropped, ...spec } = p.spec;
      out.upsert('pods', { ...p, spec });
    } else out.upsert('pods', p);
  }
  return { store: out, podLevel };
}

async function checkEveryNode(sim: SimHandle, store: ClusterStore, sels: Record<string, NodeAllocationSelector>, nodes: string[]): Promise<Map<string, KubectlNode>> {
  const out = new Map<string, KubectlNode>();
  // A few kubectl processes at a time.
  for (let i = 0; i < nodes.length; i += 4) {
    const batch = nodes.slice(i, i + 4);
    const described = await Promise.all(batch.map((n) => kubectlDescribe(sim, n)));
    batch.forEach((n, j) => out.set(n, described[j]));
  }
  // 1. As a 1.32 server stores the pods: every figure of every node equals kubectl's.
  const stripped = withoutPodLevelResources(store);
  const asStored = new NodeAllocationSelector(stripped.store);
  asStored.sync(undefined);
  for (const [name, k] of out) assertNodeEqualsKubectl(asStored, name, k);
  // 2. The view's own selectors: equal on every node that has no pod with pod-level resources;
  //    where one runs, they differ from kubectl by exactly that pod's pod-level override.
  for (const [name, k] of out) {
    const onNode = [...stripped.podLevel].filter((key) => store.get('pods', key)?.spec.nodeName === name);
    for (const sel of Object.values(sels)) {
      if (onNode.length === 0) {
        assertNodeEqualsKubectl(sel, name, k);
        continue;
      }
      const ours = sel.nodeDetail(name)!;
      const base = asStored.nodeDetail(name)!;
      const podLine = (d: typeof ours, key: string) => d.pods.find((p) => p.alloc.key === key)!;
      for (const r of ['cpu', 'memory'] as const) {
        const delta = (d: typeof ours, which: 'requests' | 'limits') => d.resources.find((x) => x.resource === r)![which].nano;
        const podDelta = (which: 'requests' | 'limits') =>
          onNode.reduce((s, key) => s + (podLine(ours, key).alloc[which].get(r)?.nano ?? 0n) - (podLine(base, key).alloc[which].get(r)?.nano ?? 0n), 0n);
        assert.equal(delta(ours, 'requests') - delta(base, 'requests'), podDelta('requests'), `${name} ${r} requests differ by the pod-level override only`);
        assert.equal(delta(ours, 'limits') - delta(base, 'limits'), podDelta('limits'), `${name} ${r} limits differ by the pod-level override only`);
      }
      // Every other pod line is kubectl's.
      for (const kp of k.pods) {
        const key = `${kp.namespace}/${kp.name}`;
        if (onNode.includes(key)) continue;
        const p = podLine(ours, key);
        assert.deepEqual([p.cpuRequests, p.cpuRequestsPct, p.cpuLimits, p.cpuLimitsPct, p.memoryRequests, p.memoryRequestsPct, p.memoryLimits, p.memoryLimitsPct],
          [kp.cpuRequests.text, kp.cpuRequests.pct, kp.cpuLimits.text, kp.cpuLimits.pct, kp.memoryRequests.text, kp.memoryRequests.pct, kp.memoryLimits.text, kp.memoryLimits.pct], `${name} ${key}`);
      }
      assert.equal(ours.pods.length, k.total, `${name}: pods in total`);
    }
  }
  return out;
}

describe('nodes view model equals kubectl describe node', () => {
  test('incident scenario: every node, incremental and reconciled selectors', async () => {
    const { sim, conn, live, fresh, batches } = await connect({ scenario: 'incident', metrics: false });
    assert.ok(batches.length >= 2, 'the live selector was fed several batches');
    const nodes = [...conn.store.list('nodes').keys()].sort();
    assert.deepEqual(nodes, ['gpu-f', 'worker-a', 'worker-b', 'worker-c', 'worker-d', 'worker-e']);
    const k = await checkEveryNode(sim, conn.store, { live, fresh }, nodes);

    // Hand-checked against the scenario's header: gpu-f's block and its GPU line.
    const gpu = k.get('gpu-f')!;
    const line = (r: string) => gpu.allocated.find((a) => a.resource === r)!;
    assert.deepEqual(line('cpu'), { resource: 'cpu', requests: { text: '2400m', pct: 30 }, limits: { text: '2550m', pct: 32 } });
    assert.deepEqual(line('memory'), { resource: 'memory', requests: { text: '6456Mi', pct: 21 }, limits: { text: '8696Mi', pct: 28 } });
    assert.deepEqual(line('nvidia.com/gpu'), { resource: 'nvidia.com/gpu', requests: { text: '1' }, limits: { text: '1' } });
    // Succeeded / Failed pods are not counted (shop/db-migrate on worker-a, report-gen on worker-b).
    assert.ok(!k.get('worker-a')!.pods.some((p) => p.name === 'db-migrate-28930'));
    assert.ok(!k.get('worker-b')!.pods.some((p) => p.name === 'report-gen-28931'));
    // monitoring/grafana (worker-b) sets pod-level resources: kubectl 1.32 shows its container
    // sum (200m / 0 / 256Mi / 0), kfleet the pod-level values, as the scheduler counts them.
    const wb = k.get('worker-b')!.pods.find((p) => p.name === 'grafana')!;
    assert.deepEqual([wb.cpuRequests, wb.cpuLimits, wb.memoryRequests, wb.memoryLimits], [{ text: '200m', pct: 5 }, { text: '0', pct: 0 }, { text: '256Mi', pct: 1 }, { text: '0', pct: 0 }]);
    const g = fresh.nodeDetail('worker-b')!.pods.find((p) => p.alloc.name === 'grafana')!;
    assert.deepEqual([g.cpuRequests, g.cpuRequestsPct, g.cpuLimits, g.cpuLimitsPct, g.memoryRequests, g.memoryRequestsPct, g.memoryLimits, g.memoryLimitsPct], ['500m', 12, '1', 25, '512Mi', 3, '1Gi', 6]);
    // Overcommit on worker-c shows as > 100% in both.
    const wc = fresh.rows().find((r) => r.name === 'worker-c')!;
    assert.ok(wc.cpu.limitsPct > 100 && wc.memory.limitsPct > 100, JSON.stringify(wc.cpu));
  });

  test('generated scenario: every node', async () => {
    const { sim, conn, live, fresh } = await connect({ scenario: 'generated', nodes: 12, pods: 400, seed: 11, metrics: false });
    const nodes = [...conn.store.list('nodes').keys()].sort();
    assert.equal(nodes.length, 12);
    const k = await checkEveryNode(sim, conn.store, { live, fresh }, nodes);
    assert.equal([...k.values()].reduce((s, n) => s + n.total, 0), 400);
  });

  test('a pod created and deleted through kubectl moves the node row (live path)', async () => {
    const { sim, conn, live } = await connect({ scenario: 'small', metrics: false });
    const before = live.rows().find((r) => r.name === 'node-2')!;
    const manifest = JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'oracle-extra', namespace: 'apps' },
      spec: { nodeName: 'node-2', containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '333m', memory: '100Mi' }, limits: { cpu: '1', memory: '200Mi' } } }] },
    });
    const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args]);
    // --validate=false: the embedded server does not serve OpenAPI.
    const child = execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'create', '--validate=false', '-f', '-']);
    child.stdin!.end(manifest);
    await new Promise((r) => child.once('exit', r));
    await until('row updated', () => live.rows().find((r) => r.name === 'node-2')!.pods === before.pods + 1, 5000);
    const k = await kubectlDescribe(sim, 'node-2');
    assertNodeEqualsKubectl(live, 'node-2', k);
    assert.equal(live.rows().find((r) => r.name === 'node-2')!.cpu.requests, before.cpu.requests + 333);
    await kubectl('delete', 'pod', '-n', 'apps', 'oracle-extra', '--wait=false');
    await until('row back', () => live.rows().find((r) => r.name === 'node-2')!.pods === before.pods, 5000);
    assert.deepEqual(live.rows().find((r) => r.name === 'node-2'), before);
    void conn;
  });
});
