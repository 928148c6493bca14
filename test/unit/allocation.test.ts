import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeNodeRows,
  computePodQOS,
  describeNodeAllocation,
  groupNodeRows,
  NodeAllocationIndex,
  nodeStatusInfo,
  podAllocation,
  podLimits,
  podQOS,
  podRequests,
  sortNodeRows,
  totalsOf,
  type NodeUsage,
  type ResourceList,
} from '../../src/model/allocation.js';
import { formatQuantityLikeKubectl, parseQuantity } from '../../src/model/quantity.js';
import type { Node, Pod } from '../../src/kube/types.js';
import { node, pick, pod, rng } from './modelFixtures.js';

const text = (l: ResourceList) => Object.fromEntries([...l].map(([k, q]) => [k, formatQuantityLikeKubectl(q)]));

describe('per-pod requests and limits (PodRequests / PodLimits)', () => {
  test('sum of app containers; containers without a value add nothing', () => {
    const p = pod({ name: 'p', containers: [{ req: { cpu: '100m', memory: '64Mi' }, lim: { cpu: '1' } }, { req: { cpu: '150m' } }] });
    assert.deepEqual(text(podRequests(p)), { cpu: '250m', memory: '64Mi' });
    // limits only count containers that set them: 1 CPU, no memory limit at all
    assert.deepEqual(text(podLimits(p)), { cpu: '1' });
  });

  test('init / sidecar max rule (worked example)', () => {
    // containers: app1 cpu 100m mem 100Mi; app2 cpu 200m
    // initContainers in order: init1 (regular) 500m/50Mi, side1 (Always) 50m/20Mi,
    //                          init2 (regular) 400m/300Mi, side2 (Always) 30m
    // cpu:  app + sidecars = 100+200+50+30 = 380m
    //       InitUse(init1) = 500 + 0 = 500m; InitUse(side1) = 50m; InitUse(init2) = 400+50 = 450m;
    //       InitUse(side2) = 50+30 = 80m  -> max(380, 500, 50, 450, 80) = 500m
    // mem:  app + sidecars = 100+20 = 120Mi
    //       InitUse: init1 50, side1 20, init2 300+20 = 320 -> max(120, 320) = 320Mi
    const p = pod({
      name: 'p',
      containers: [{ req: { cpu: '100m', memory: '100Mi' } }, { req: { cpu: '200m' } }],
      init: [
        { req: { cpu: '500m', memory: '50Mi' } },
        { req: { cpu: '50m', memory: '20Mi' }, sidecar: true },
        { req: { cpu: '400m', memory: '300Mi' } },
        { req: { cpu: '30m' }, sidecar: true },
      ],
    });
    assert.deepEqual(text(podRequests(p)), { cpu: '500m', memory: '320Mi' });
  });

  test('sidecars can make the app side win, and a later init adds earlier sidecars', () => {
    // app 300m + side 250m = 550m; init-after-side 350m + 250m = 600m -> 600m
    const p = pod({
      name: 'p',
      containers: [{ req: { cpu: '300m' } }],
      init: [{ req: { cpu: '250m' }, sidecar: true }, { req: { cpu: '350m' } }],
    });
    assert.deepEqual(text(podRequests(p)), { cpu: '600m' });
    // an init BEFORE the sidecar does not add it: max(300+250, 350) = 550m
    const q = pod({
      name: 'q',
      containers: [{ req: { cpu: '300m' } }],
      init: [{ req: { cpu: '350m' } }, { req: { cpu: '250m' }, sidecar: true }],
    });
    assert.deepEqual(text(podRequests(q)), { cpu: '550m' });
  });

  test('limits use the same sidecar/init rule', () => {
    // app limit 1 + sidecar limit 200m = 1200m; regular init limit 2 -> max = 2
    const p = pod({
      name: 'p',
      containers: [{ lim: { cpu: '1' } }, {}],
      init: [{ lim: { cpu: '2' } }, { lim: { cpu: '200m' }, sidecar: true }],
    });
    assert.deepEqual(text(podLimits(p)), { cpu: '2' });
  });

  test('overhead: added to requests, and only to non-zero limits', () => {
    const p = pod({
      name: 'p',
      containers: [{ req: { cpu: '250m', memory: '64Mi' }, lim: { cpu: '500m' } }],
      overhead: { cpu: '100m', memory: '32Mi' },
    });
    assert.deepEqual(text(podRequests(p)), { cpu: '350m', memory: '96Mi' });
    assert.deepEqual(text(podLimits(p)), { cpu: '600m' }); // no memory limit: overhead not added
  });

  test('pod-level resources override the container aggregate for the resources they set', () => {
    const p = pod({
      name: 'p',
      containers: [{ req: { cpu: '200m', memory: '100Mi' }, lim: { cpu: '500m', memory: '200Mi' } }],
      podResources: { requests: { cpu: '1' }, limits: { memory: '1Gi' } },
      overhead: { cpu: '10m' },
    });
    // requests: cpu 1 (pod level) + 10m overhead; memory from containers
    assert.deepEqual(text(podRequests(p)), { cpu: '1010m', memory: '100Mi' });
    // limits: memory 1Gi (pod level), cpu 500m from containers + 10m overhead
    assert.deepEqual(text(podLimits(p)), { cpu: '510m', memory: '1Gi' });
  });

  test('extended resources are summed like any other', () => {
    const p = pod({ name: 'p', containers: [{ req: { 'nvidia.com/gpu': '1' }, lim: { 'nvidia.com/gpu': '1' } }, { req: { 'nvidia.com/gpu': '2' } }] });
    assert.deepEqual(text(podRequests(p)), { 'nvidia.com/gpu': '3' });
  });
});

describe('QoS', () => {
  test('computed like GetPodQOS', () => {
    const g = pod({ name: 'g', containers: [{ req: { cpu: '1', memory: '1Gi' }, lim: { cpu: '1', memory: '1Gi' } }] });
    const b = pod({ name: 'b', containers: [{ req: { cpu: '1', memory: '1Gi' }, lim: { cpu: '2', memory: '1Gi' } }] });
    const b2 = pod({ name: 'b2', containers: [{ req: { cpu: '1', memory: '1Gi' }, lim: { cpu: '1', memory: '1Gi' } }, {}] });
    const be = pod({ name: 'be', containers: [{}, { req: { 'nvidia.com/gpu': '1' } }] });
    assert.equal(computePodQOS(g), 'Guaranteed');
    assert.equal(computePodQOS(b), 'Burstable');
    assert.equal(computePodQOS(b2), 'Burstable'); // second container sets no limits
    assert.equal(computePodQOS(be), 'BestEffort'); // only cpu/memory count
    assert.equal(podQOS(pod({ name: 'x', qosClass: 'Guaranteed' })), 'Guaranteed'); // status wins
  });
});

describe('missing requests/limits flags', () => {
  test('every container (init too) should set cpu and memory requests and limits', () => {
    const p = pod({
      name: 'p',
      containers: [{ name: 'ok', req: { cpu: '1', memory: '1Gi' }, lim: { cpu: '1', memory: '1Gi' } }, { name: 'noreq', lim: { cpu: '1', memory: '1Gi' } }],
      init: [{ name: 'half', req: { cpu: '1' }, lim: { cpu: '1', memory: '1Gi' } }],
    });
    const a = podAllocation(p);
    assert.deepEqual(a.containersWithoutRequests, ['half', 'noreq']);
    assert.deepEqual(a.containersWithoutLimits, []);
  });
});

// allocatable: cpu 3, memory 3Gi, 110 pods, 1 GPU
const N1 = node({ name: 'n1', allocatable: { cpu: '3', memory: '3Gi', pods: '110', 'nvidia.com/gpu': '1', 'ephemeral-storage': '100Gi' } });
const NODE_PODS: Pod[] = [
  pod({ ns: 'a', name: 'p1', node: 'n1', containers: [{ req: { cpu: '1', memory: '1Gi' }, lim: { cpu: '2', memory: '2Gi' } }] }),
  pod({ ns: 'a', name: 'p2', node: 'n1', containers: [{ req: { cpu: '1', memory: '512Mi', 'nvidia.com/gpu': '1' }, lim: { cpu: '3', memory: '3Gi', 'nvidia.com/gpu': '1' } }] }),
  pod({ ns: 'b', name: 'done', node: 'n1', phase: 'Succeeded', containers: [{ req: { cpu: '2' } }] }),
  pod({ ns: 'b', name: 'failed', node: 'n1', phase: 'Failed', containers: [{ req: { cpu: '2' } }] }),
  pod({ ns: 'b', name: 'elsewhere', node: 'n2', containers: [{ req: { cpu: '2' } }] }),
  pod({ ns: 'b', name: 'pending', containers: [{ req: { cpu: '2' } }] }),
];

describe('describeNodeAllocation (kubectl describe node)', () => {
  const d = describeNodeAllocation(N1, NODE_PODS);

  test('only non-terminated pods on the node, in namespace/name order', () => {
    assert.deepEqual(d.pods.map((r) => r.alloc.key), ['a/p1', 'a/p2']);
  });

  test('per-pod figures and truncated percentages', () => {
    const [p1, p2] = d.pods;
    assert.deepEqual([p1.cpuRequests, p1.cpuRequestsPct, p1.cpuLimits, p1.cpuLimitsPct], ['1', 33, '2', 66]);
    assert.deepEqual([p1.memoryRequests, p1.memoryRequestsPct, p1.memoryLimits, p1.memoryLimitsPct], ['1Gi', 33, '2Gi', 66]);
    // 512Mi / 3Gi = 16.67% -> 16; limit 3Gi / 3Gi = 100%
    assert.deepEqual([p2.memoryRequests, p2.memoryRequestsPct, p2.memoryLimits, p2.memoryLimitsPct], ['512Mi', 16, '3Gi', 100]);
    assert.equal(p2.cpuLimitsPct, 100);
  });

  test('Allocated resources: totals, percentages (limits may exceed 100%), extended resources', () => {
    const byName = Object.fromEntries(d.resources.map((r) => [r.resource, r]));
    assert.deepEqual(d.resources.map((r) => r.resource), ['cpu', 'memory', 'ephemeral-storage', 'nvidia.com/gpu']);
    // cpu: 2 of 3 = 66.67 -> 66; limits 5 of 3 = 166.67 -> 166
    assert.deepEqual([byName.cpu.requestsText, byName.cpu.requestsPct, byName.cpu.limitsText, byName.cpu.limitsPct], ['2', 66, '5', 166]);
    // memory: 1.5Gi of 3Gi = 50; limits 5Gi of 3Gi = 166
    assert.deepEqual([byName.memory.requestsText, byName.memory.requestsPct, byName.memory.limitsText, byName.memory.limitsPct], ['1536Mi', 50, '5Gi', 166]);
    assert.deepEqual([byName['ephemeral-storage'].requestsText, byName['ephemeral-storage'].requestsPct], ['0', 0]);
    assert.deepEqual([byName['nvidia.com/gpu'].requestsText, byName['nvidia.com/gpu'].limitsText, byName['nvidia.com/gpu'].kubectlShowsPercent], ['1', '1', false]);
  });

  test('truncation of float64 arithmetic: 290m of 1 CPU is 28%', () => {
    const n = node({ name: 'n', allocatable: { cpu: '1', memory: '1Gi' } });
    const r = describeNodeAllocation(n, [pod({ name: 'x', node: 'n', containers: [{ req: { cpu: '290m' } }] })]);
    assert.equal(r.resources[0].requestsPct, 28);
    assert.equal(r.pods[0].cpuRequestsPct, 28);
  });

  test('empty allocatable: percentages are 0; capacity is used when allocatable is empty', () => {
    const empty = node({ name: 'e' });
    const r = describeNodeAllocation(empty, [pod({ name: 'x', node: 'e', containers: [{ req: { cpu: '1' } }] })]);
    assert.equal(r.resources[0].requestsText, '1');
    assert.equal(r.resources[0].requestsPct, 0);
    const cap = node({ name: 'c', capacity: { cpu: '4', memory: '4Gi' } });
    const r2 = describeNodeAllocation(cap, [pod({ name: 'x', node: 'c', containers: [{ req: { cpu: '1' } }] })]);
    assert.equal(r2.resources[0].requestsPct, 25);
  });

  test('the sum is printed in the format of the first pod (kubectl order)', () => {
    const n = node({ name: 'n', allocatable: { cpu: '1', memory: '1Gi' } });
    const a = pod({ ns: 'x', name: 'a', node: 'n', containers: [{ req: { memory: '1000Ki' } }] });
    const b = pod({ ns: 'x', name: 'b', node: 'n', containers: [{ req: { memory: '1M' } }] });
    assert.equal(describeNodeAllocation(n, [b, a]).resources[1].requestsText, '2024000');
    const a2 = pod({ ns: 'x', name: 'a', node: 'n', containers: [{ req: { memory: '1M' } }] });
    const b2 = pod({ ns: 'x', name: 'b', node: 'n', containers: [{ req: { memory: '1000Ki' } }] });
    assert.equal(describeNodeAllocation(n, [b2, a2]).resources[1].requestsText, '2024k');
  });

  test('hugepages are listed before extended resources', () => {
    const n = node({ name: 'n', allocatable: { cpu: '1', memory: '1Gi', 'hugepages-2Mi': '1Gi', 'example.com/foo': '5' } });
    const r = describeNodeAllocation(n, [pod({ name: 'x', node: 'n', containers: [{ req: { 'hugepages-2Mi': '512Mi' }, lim: { 'hugepages-2Mi': '512Mi' } }] })]);
    assert.deepEqual(r.resources.map((x) => x.resource), ['cpu', 'memory', 'ephemeral-storage', 'hugepages-2Mi', 'example.com/foo']);
    assert.equal(r.resources[3].requestsPct, 50);
  });
});

describe('node status', () => {
  test('Ready / NotReady / Unknown, cordon, pressures, taints, roles', () => {
    const a = nodeStatusInfo(node({
      name: 'a', unschedulable: true,
      conditions: [{ type: 'Ready', status: 'True' }, { type: 'MemoryPressure', status: 'True' }, { type: 'DiskPressure', status: 'False' }],
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }, { key: 'x', effect: 'NoExecute' }, { key: 'y', effect: 'PreferNoSchedule' }],
      labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'infra' },
    }));
    assert.equal(a.status, 'Ready,SchedulingDisabled');
    assert.deepEqual(a.pressures, ['MemoryPressure']);
    assert.deepEqual(a.taints, ['dedicated=gpu:NoSch', 'node.kubernetes.io/unschedulable:NoSch', 'x:NoExec', 'y:PrefNoSch']);
    assert.deepEqual(a.roles, ['control-plane', 'infra', 'worker']);
    assert.equal(nodeStatusInfo(node({ name: 'b', ready: 'False' })).status, 'NotReady');
    assert.equal(nodeStatusInfo(node({ name: 'c', ready: 'Unknown' })).status, 'NotReady');
    assert.equal(nodeStatusInfo(node({ name: 'd', ready: null })).status, 'Unknown');
  });
});

describe('node rows, totals, grouping, sorting', () => {
  const nodes = [
    node({ name: 'n1', allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, labels: { zone: 'a' } }),
    node({ name: 'n2', allocatable: { cpu: '2', memory: '4Gi', pods: '50' }, labels: { zone: 'b' } }),
    node({ name: 'n3', allocatable: { cpu: '2', memory: '4Gi', pods: '50' }, labels: { zone: 'a' } }),
    node({ name: 'n4', allocatable: { cpu: '2', memory: '4Gi', pods: '50' } }),
  ];
  const pods = [
    pod({ ns: 'x', name: 'a', node: 'n1', containers: [{ req: { cpu: '1', memory: '2Gi' }, lim: { cpu: '6', memory: '4Gi' } }] }),
    pod({ ns: 'x', name: 'b', node: 'n2', containers: [{ req: { cpu: '500m', memory: '1Gi' }, lim: { cpu: '1' } }] }),
    pod({ ns: 'x', name: 'c', node: 'n3', containers: [{ req: { cpu: '500m', memory: '1Gi' } }] }),
  ];
  const usage = new Map<string, NodeUsage>([['n1', { cpu: parseQuantity('2'), memory: parseQuantity('2Gi') }]]);
  const rows = computeNodeRows(nodes, pods, usage);

  test('row figures', () => {
    const n1 = rows[0];
    assert.deepEqual(n1.cpu, { allocatable: 4000, requests: 1000, limits: 6000, requestsPct: 25, limitsPct: 150, usage: 2000, usagePct: 50 });
    assert.deepEqual(n1.memory, { allocatable: 8 * 2 ** 30, requests: 2 * 2 ** 30, limits: 4 * 2 ** 30, requestsPct: 25, limitsPct: 50, usage: 2 * 2 ** 30, usagePct: 25 });
    assert.equal(n1.pods, 1);
    assert.equal(n1.podCapacity, 110);
    assert.equal(rows[1].cpu.usage, undefined);
  });

  test('cluster totals', () => {
    const t = totalsOf(rows);
    // cpu: 10 cores allocatable, 2 requested (20%), 7 limits (70%); usage only n1: 2 of 4 = 50%
    assert.deepEqual(t.cpu, { allocatable: 10000, requests: 2000, limits: 7000, requestsPct: 20, limitsPct: 70, usage: 2000, usagePct: 50 });
    assert.equal(t.pods, 3);
    assert.equal(t.podCapacity, 260);
    assert.equal(t.nodes, 4);
  });

  test('grouping by a label with subtotals, missing label last', () => {
    const g = groupNodeRows(rows, 'zone');
    assert.deepEqual(g.map((x) => [x.value, x.rows.map((r) => r.name)]), [['a', ['n1', 'n3']], ['b', ['n2']], ['(no zone)', ['n4']]]);
    // zone a: cpu 6000 allocatable, 1500 requested = 25%
    assert.deepEqual([g[0].totals.cpu.allocatable, g[0].totals.cpu.requests, g[0].totals.cpu.requestsPct], [6000, 1500, 25]);
  });

  test('sorting by a column is stable with a name tiebreak', () => {
    assert.deepEqual(sortNodeRows(rows, 'cpuRequestsPct', true).map((r) => r.name), ['n1', 'n2', 'n3', 'n4']); // 25,25,25,0
    assert.deepEqual(sortNodeRows(rows, 'cpuRequests').map((r) => r.name), ['n4', 'n2', 'n3', 'n1']);
    assert.deepEqual(sortNodeRows(rows, 'cpuUsage', true).map((r) => r.name), ['n1', 'n2', 'n3', 'n4']);
  });
});

describe('NodeAllocationIndex', () => {
  test('incremental pod changes', () => {
    const idx = new NodeAllocationIndex();
    idx.upsertNode(N1);
    for (const p of NODE_PODS) idx.upsertPod(p);
    let r = idx.rows()[0];
    assert.deepEqual([r.cpu.requests, r.cpu.limits, r.pods], [2000, 5000, 2]);
    // p1 finishes: it stops counting
    idx.upsertPod({ ...NODE_PODS[0], status: { phase: 'Succeeded' } });
    r = idx.rows()[0];
    assert.deepEqual([r.cpu.requests, r.cpu.requestsPct, r.pods], [1000, 33, 1]);
    idx.deletePod('a/p2');
    r = idx.rows()[0];
    assert.deepEqual([r.cpu.requests, r.memory.requests, r.pods, r.other.map((o) => o.resource)], [0, 0, 0, ['ephemeral-storage', 'nvidia.com/gpu']]);
    assert.deepEqual(idx.nodeDetail('n1')?.pods.length, 0);
  });

  test("a status-only change leaves its node's row the same object (its sums untouched)", () => {
    const idx = new NodeAllocationIndex();
    idx.upsertNode(N1);
    for (const p of NODE_PODS) idx.upsertPod(p);
    const row = idx.rows()[0];
    const v = idx.version;
    idx.upsertPod({ ...NODE_PODS[0], status: { ...NODE_PODS[0].status, reason: 'still running' } });
    assert.equal(idx.version, v + 1); // readers of the pod see the change
    assert.equal(idx.rows()[0], row); // not rebuilt
    assert.equal(idx.pod(`${NODE_PODS[0].metadata.namespace}/${NODE_PODS[0].metadata.name}`)?.status.reason, 'still running');
  });

  test('pods missing requests/limits, cluster-wide', () => {
    const idx = new NodeAllocationIndex();
    for (const p of NODE_PODS) idx.upsertPod(p);
    // p1 and p2 set cpu+memory requests and limits; the four others set only a cpu request
    assert.deepEqual(idx.podsMissingResources().map((a) => a.key), ['b/done', 'b/elsewhere', 'b/failed', 'b/pending']);
  });

  test('random add/modify/delete sequences equal a full rebuild', () => {
    const r = rng(42);
    const cpu = ['0', '1m', '100m', '250m', '1', '1500m', '0.1', '100u', '2'];
    const mem = ['0', '1', '1Ki', '64Mi', '100M', '1Gi', '1.5Gi', '12e6'];
    const nodeNames = ['n1', 'n2', 'n3', 'n4'];
    const mkRes = () => {
      const o: Record<string, string> = {};
      if (r() < 0.7) o.cpu = pick(r, cpu);
      if (r() < 0.7) o.memory = pick(r, mem);
      if (r() < 0.1) o['nvidia.com/gpu'] = pick(r, ['1', '2']);
      if (r() < 0.1) o['ephemeral-storage'] = pick(r, ['1Gi', '500M']);
      return o;
    };
    const mkPod = (name: string): Pod =>
      pod({
        ns: pick(r, ['a', 'b']),
        name,
        node: r() < 0.9 ? pick(r, [...nodeNames, 'ghost']) : undefined,
        phase: pick(r, ['Running', 'Running', 'Pending', 'Succeeded', 'Failed']),
        containers: Array.from({ length: 1 + Math.floor(r() * 3) }, () => ({ req: mkRes(), lim: r() < 0.5 ? mkRes() : undefined })),
        init: r() < 0.3 ? Array.from({ length: 1 + Math.floor(r() * 3) }, () => ({ req: mkRes(), lim: mkRes(), sidecar: r() < 0.5 })) : undefined,
        overhead: r() < 0.2 ? { cpu: '10m', memory: '16Mi' } : undefined,
        podResources: r() < 0.1 ? { requests: { cpu: pick(r, cpu) }, limits: { memory: pick(r, mem) } } : undefined,
      });
    const mkNode = (name: string): Node =>
      node({ name, allocatable: { cpu: pick(r, ['2', '4', '0']), memory: pick(r, ['4Gi', '8Gi']), pods: '110', ...(r() < 0.3 ? { 'nvidia.com/gpu': '4' } : {}) }, ready: pick(r, ['True', 'False']), unschedulable: r() < 0.2 });

    const idx = new NodeAllocationIndex();
    const pods = new Map<string, Pod>();
    const nodes = new Map<string, Node>();
    let usage = new Map<string, NodeUsage>();
    for (let step = 0; step < 1500; step++) {
      const x = r();
      if (x < 0.4) {
        const p = mkPod(`p${Math.floor(r() * 60)}`);
        pods.set(`${p.metadata.namespace}/${p.metadata.name}`, p);
        idx.upsertPod(p);
      } else if (x < 0.5) {
        // A status-only change (the same spec object): it may stop or start counting.
        const keys = [...pods.keys()];
        if (keys.length) {
          const k = pick(r, keys);
          const old = pods.get(k)!;
          const p = { ...old, status: { ...old.status, phase: pick(r, ['Running', 'Pending', 'Succeeded', 'Failed']) } } as Pod;
          pods.set(k, p);
          idx.upsertPod(p);
        }
      } else if (x < 0.75) {
        const keys = [...pods.keys()];
        if (keys.length) {
          const k = pick(r, keys);
          pods.delete(k);
          idx.deletePod(k);
        }
        idx.deletePod('zz/never-seen'); // deleting an unknown pod is a no-op
      } else if (x < 0.88) {
        const n = mkNode(pick(r, nodeNames));
        nodes.set(n.metadata.name, n);
        idx.upsertNode(n);
      } else if (x < 0.94) {
        const name = pick(r, nodeNames);
        nodes.delete(name);
        idx.deleteNode(name);
      } else {
        usage = new Map(nodeNames.filter(() => r() < 0.5).map((n) => [n, { cpu: parseQuantity(pick(r, cpu)), memory: parseQuantity(pick(r, mem)) }]));
        idx.setNodeUsage(usage);
      }
      if (step % 25 === 0 || step === 1499) {
        assert.deepEqual(idx.rows(), computeNodeRows(nodes.values(), pods.values(), usage), `step ${step}`);
        for (const n of nodes.keys()) {
          assert.deepEqual(idx.nodeDetail(n), describeNodeAllocation(nodes.get(n)!, pods.values()), `detail ${n} step ${step}`);
        }
      }
    }
    assert.ok(idx.podCount > 10);
  });
});
