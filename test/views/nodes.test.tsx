// The nodes view in the App shell (ink-testing-library): the incident scenario's rows with
// hand-checked figures, sorting, grouping with subtotals, the filter and its totals, the node
// detail with kubectl's "Allocated resources" block, the cluster-wide missing-resources list,
// esc back, and a live pod change.
//
// Hand-checked (src/sim/scenarios/incident.ts): worker-a counts node-exporter 50m, checkout
// x7k2p 250m, the crash-looping checkout 250m, frontend 100m, the old cart pod 200m, ledger-0
// 300m, coredns 100m = 1250m of 3920m allocatable = 31% (31.88 truncated); the Succeeded
// db-migrate pod (1 cpu) is not counted. gpu-f: 2400m (30%) / 2550m (32%), 6456Mi / 8696Mi
// (6.3Gi / 8.5Gi in the table). Cluster CPU requests: 2400+1250+2600+2400+1050+250 = 9950m.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import type { Pod } from '../../src/kube/types.js';
import { screenReady } from './fixtures.js';
import { nodesApp, scenarioStore, settle } from './nodesFixture.js';

const KEY = { enter: '\r', esc: '\x1b', down: '\x1b[B' };
const apps: { unmount(): void }[] = [];
after(() => apps.forEach((a) => a.unmount()));

function start(opts: { width?: number; height?: number; namespace?: string } = {}) {
  const { store } = scenarioStore('incident');
  const app = render(nodesApp(store, { width: 120, height: 30, ...opts }));
  apps.push(app);
  const frame = () => app.lastFrame() ?? '';
  const lines = () => frame().split('\n');
  /** Node rows in screen order (the names of the lines that start with a node name). */
  const order = () => lines().map((l) => /^[> ] (worker-[a-e]|gpu-f) /.exec(l)?.[1]).filter(Boolean);
  const row = (name: string) => lines().find((l) => new RegExp(`^[> ] ${name} `).test(l)) ?? '';
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      app.stdin.write(k);
      await settle(k === KEY.esc ? 100 : 60);
    }
  };
  /** The view up with its pods counted (past the first render's few ms, in the background). */
  const ready = () => screenReady(frame, /Nodes — /, /counting/);
  return { store, app, frame, lines, order, row, press, ready };
}

describe('nodes view', () => {
  test('rows, totals and status of the incident cluster', async () => {
    const v = start();
    await v.ready();
    assert.match(v.frame(), /Nodes — 6 · sort NAME ▲/);
    assert.deepEqual(v.order(), ['gpu-f', 'worker-a', 'worker-b', 'worker-c', 'worker-d', 'worker-e']);
    // Absolute, bar and % for requests; limits; pods used / capacity.
    assert.match(v.row('gpu-f'), /gpu-f\s+Ready\s+2400m ▇▇▁▁▁  30%\s+—\s+▇▁▁▁  32%\s+6\.3Gi ▇▁▁▁▁  21%\s+—\s+▇▁▁▁  28%\s+2\/58/);
    assert.match(v.row('worker-a'), /worker-a\s+Ready\s+1250m ▇▇▁▁▁  31%/);
    // Overcommit stands out without colour: a bar of "!" and a "%!" mark.
    assert.match(v.row('worker-c'), /2400m !!!!! 124%!\s+—\s+!!!! 492%!/);
    assert.match(v.row('worker-c'), /263%!\s+8\/29/);
    // STATUS is cut at this width so that the resource cells keep their absolute figures.
    assert.match(v.row('worker-d'), /Ready,Cordo…/);
    assert.match(v.row('worker-e'), /NotReady,Me…/);
    // No metrics in this store: usage is "—" and the title says so.
    assert.match(v.frame(), /usage: — \(no metrics\.k8s\.io\)/);
    // The pinned totals line: whole cluster.
    assert.match(v.frame(), /TOTAL\s+6 nodes\s+9950m ▇▇▁▁▁  38%\s+—\s+▇▇▇▁  87%\s+21\.9Gi ▇▁▁▁▁  23%\s+—\s+▇▇▁▁  51%\s+31\/319/);
    // The selected row is marked by more than colour.
    assert.match(v.lines().find((l) => l.includes('gpu-f')) ?? '', /^> gpu-f/);
  });

  test('s cycles the sort column (numeric columns start descending), S reverses', async () => {
    const v = start();
    await v.ready();
    await v.press('s');
    assert.match(v.frame(), /sort CPU REQ ▼/);
    assert.match(v.frame(), /CPU REQ▼/);
    assert.deepEqual(v.order(), ['worker-c', 'worker-b', 'worker-a', 'gpu-f', 'worker-d', 'worker-e']);
    await v.press('S');
    assert.match(v.frame(), /sort CPU REQ ▲/);
    assert.deepEqual(v.order(), ['worker-e', 'worker-d', 'gpu-f', 'worker-a', 'worker-b', 'worker-c']);
    // Next: CPU USE is skipped without metrics; CPU LIM (%): c 492, b 137, a 61, d 53, gpu 32, e 12.
    await v.press('s');
    assert.match(v.frame(), /sort CPU LIM ▼/);
    assert.deepEqual(v.order(), ['worker-c', 'worker-b', 'worker-a', 'worker-d', 'gpu-f', 'worker-e']);
  });

  test('l groups by zone with subtotals, enter on a group folds it', async () => {
    const v = start();
    await v.ready();
    await v.press('l');
    assert.match(v.frame(), /grouped by zone/);
    const f = v.lines();
    const at = (s: string) => f.findIndex((l) => l.includes(s));
    // us-east-1a: worker-a 1250m + worker-d 1050m = 2300m of 7840m = 29%.
    assert.match(f[at('▾ us-east-1a')], /2 nodes\s+2300m ▇▁▁▁▁  29%/);
    assert.ok(at('▾ us-east-1a') < at('worker-a') && at('worker-d') < at('▾ us-east-1b'), f.join('\n'));
    // us-east-1c: worker-c 2400m + gpu-f 2400m = 4800m of 9840m = 48%.
    assert.match(f[at('▾ us-east-1c')], /2 nodes\s+4800m ▇▇▁▁▁  48%/);
    await v.press(KEY.enter); // the cursor is on the first group line
    assert.match(v.frame(), /▸ us-east-1a/);
    assert.ok(!v.order().includes('worker-a'));
    await v.press('l');
    assert.match(v.frame(), /grouped by instance type/);
    assert.match(v.frame(), /▾ m5\.xlarge\s+4 nodes/);
  });

  test('enter shows the node detail with the Allocated resources block; esc returns', async () => {
    const v = start();
    await v.ready();
    await v.press(KEY.enter); // gpu-f, the first row
    const f = v.frame();
    assert.match(f, /Node gpu-f — Ready · us-east-1c · g5\.2xlarge · gpu · pods 2\/58/);
    const block = v.lines().slice(v.lines().findIndex((l) => l === 'Allocated resources:'));
    assert.deepEqual(block.slice(0, 10), [
      'Allocated resources:',
      '  (Total limits may be over 100 percent, i.e., overcommitted.)',
      '  Resource           Requests      Limits',
      '  --------           --------      ------',
      '  cpu                2400m (30%)   2550m (32%)',
      '  memory             6456Mi (21%)  8696Mi (28%)',
      '  ephemeral-storage  0 (0%)        0 (0%)',
      '  hugepages-1Gi      0 (0%)        0 (0%)',
      '  hugepages-2Mi      0 (0%)        0 (0%)',
      '  nvidia.com/gpu     1             1',
    ]);
    assert.match(f, /Non-terminated Pods: \(2 in total\)/);
    // fraud-model: 2400m - 50m of node-exporter = 2350m requests, QoS Burstable.
    assert.match(f, /payments\s+fraud-model\s+2350m \(29%\)\s+2450m \(30%\)\s+6392Mi \(20%\)\s+8568Mi \(27%\)\s+Burstable\s+Running/);
    await v.press(KEY.esc);
    assert.match(v.frame(), /Nodes — 6/);
    assert.match(v.lines().find((l) => l.includes('gpu-f')) ?? '', /^> gpu-f/);
  });

  test('a pod without requests or limits is flagged; m lists all of them cluster-wide', async () => {
    const v = start();
    await v.ready();
    await v.press(KEY.down, KEY.down, KEY.down, KEY.enter); // worker-c
    assert.match(v.frame(), /Node worker-c/);
    assert.match(v.frame(), /⚠ 1 without requests\/limits/);
    assert.match(v.frame(), /kube-system\s+debug-shell\s+0 \(0%\).*BestEffort\s+⚠ req\+lim/);
    await v.press('m');
    const f = v.frame();
    assert.match(f, /Pods with containers lacking requests or limits — 3 cluster-wide/);
    assert.match(f, /kube-system\s+coredns-\S+-c8d9f\s+worker-a\s+Burstable\s+-\s+coredns/);
    assert.match(f, /kube-system\s+debug-shell\s+worker-c\s+BestEffort\s+shell\s+shell/);
    await v.press(KEY.esc);
    assert.match(v.frame(), /Node worker-c/);
    await v.press(KEY.esc);
    assert.match(v.frame(), /Nodes — 6/);
  });

  test('the / filter matches names and labels; totals follow the filtered set', async () => {
    const v = start();
    await v.ready();
    await v.press('/', 'nodegroup=gpu', KEY.enter);
    assert.deepEqual(v.order(), ['gpu-f']);
    assert.match(v.frame(), /Nodes — 1 of 6 matching \/nodegroup=gpu/);
    assert.match(v.frame(), /TOTAL \(filtered\)\s+1 node\s+2400m ▇▇▁▁▁  30%/);
    await v.press(KEY.esc);
    assert.equal(v.order().length, 6);
    await v.press('/', 'wrk-c', KEY.enter);
    assert.deepEqual(v.order(), ['worker-c']);
  });

  test('the namespace scope narrows the detail pod list, not the node figures', async () => {
    const v = start({ namespace: 'payments' });
    await v.ready();
    await v.press(KEY.down, KEY.down, KEY.enter); // worker-b
    const f = v.frame();
    assert.match(f, /Non-terminated Pods: \(10 in total\) · 3 in namespace payments shown/);
    assert.match(f, /cpu {16}2600m \(66%\)/);
    assert.match(f, /api-\S+-f2g7h/);
    assert.ok(!f.includes('checkout-'), f);
  });

  test('live: a pod scheduled and deleted changes the row', async () => {
    const v = start();
    await v.ready();
    assert.match(v.row('worker-e'), /250m ▁▁▁▁▁   6%.*2\/58/);
    const pod: Pod = {
      metadata: { name: 'late-arrival', namespace: 'shop', uid: 'u-late', resourceVersion: '1' },
      spec: { nodeName: 'worker-e', containers: [{ name: 'c', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } } }] },
      status: { phase: 'Running' },
    };
    v.store.upsert('pods', pod);
    await settle(80);
    // 250m + 1000m = 1250m of 3920m = 31%; 3 pods.
    assert.match(v.row('worker-e'), /1250m ▇▇▁▁▁  31%.*3\/58/);
    assert.match(v.frame(), /TOTAL\s+6 nodes\s+10950m/);
    v.store.remove('pods', 'shop/late-arrival');
    await settle(80);
    assert.match(v.row('worker-e'), /250m ▁▁▁▁▁   6%.*2\/58/);
  });

  test('a wide terminal shows everything: full status, limits with absolute figures, taints', async () => {
    const v = start({ width: 200 });
    await v.ready();
    assert.match(v.row('worker-e'), /NotReady,MemPressure\s+250m ▁▁▁▁▁▁▁▁   6%/);
    assert.match(v.row('worker-c'), /9500m !!!!!!!! 492%!/);
    assert.match(v.row('worker-d'), /Ready,Cordoned .*2\/58  dedicated=batch:NoSch\s*$/);
    assert.match(v.row('gpu-f'), /2\/58  nvidia\.com\/gpu=present:NoSch\s*$/);
  });

  test('80x24 stays usable: bars and % for requests, % for limits', async () => {
    const v = start({ width: 80, height: 24 });
    await v.ready();
    for (const l of v.lines()) assert.ok(l.length <= 80, `line too long: ${JSON.stringify(l)}`);
    assert.match(v.row('worker-c'), /worker-c\s+Ready\s+!!!! 124%!\s+492%!\s+▇▇▇▁  70%\s+263%!\s+8\/29/);
    await v.press(KEY.down, KEY.down, KEY.down, KEY.enter);
    assert.match(v.frame(), /Allocated resources:/);
    assert.match(v.frame(), /⚠ debug-shell\s+0\/0 \(0%\/0%\)/);
    for (const l of v.lines()) assert.ok(l.length <= 80, `line too long: ${JSON.stringify(l)}`);
  });
});
