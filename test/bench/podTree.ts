// Benchmark of the pods tree (issue 4): prints figures, asserts nothing about time.
//
//   npx tsx --expose-gc test/bench/podTree.ts [pods=150000] [nodes=5000]
//
// 1. full grouping of every pod (what happens once per hierarchy / namespace / filter change),
// 2. one watch event (store upsert -> change batch -> PodTreeModel.sync -> visible rows),
// 3. a burst of 2,000 events delivered in one coalesced batch,
// and proves the tree was not rebuilt for them: the model's rebuild counter stays at 1, and
// the incremental tree equals one built from scratch afterwards.
import { performance } from 'node:perf_hooks';
import { leanObject } from '../../src/kube/lean.js';
import type { Pod } from '../../src/kube/types.js';
import { DEFAULT_HIERARCHY, parseHierarchy } from '../../src/model/labelTree.js';
import { loadScenario } from '../../src/sim/scenarios/index.js';
import { Store } from '../../src/sim/store.js';
import { ClusterStore, type ChangeBatch } from '../../src/store/clusterStore.js';
import { PodTreeModel, rebuildReference } from '../../views/selectors/podTree.js';

const N_PODS = Number(process.argv[2] ?? 150_000);
const N_NODES = Number(process.argv[3] ?? 5000);
const ms = (t0: number) => performance.now() - t0;
const f = (x: number) => (x < 1 ? x.toFixed(3) : x < 100 ? x.toFixed(2) : x.toFixed(0));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

function line(label: string, value: string) {
  console.log(`${label.padEnd(58)} ${value}`);
}

/** Collect garbage between phases when run with --expose-gc (GC pauses are not the tree's). */
const gc = () => (globalThis as { gc?: () => void }).gc?.();

// ---- cluster ----
let t0 = performance.now();
const store = new ClusterStore(1e9); // notices only on flush(): the bench delivers batches itself
{
  const sim = new Store({ seed: 42 });
  loadScenario(sim, { scenario: 'generated', pods: N_PODS, nodes: N_NODES });
  for (const p of sim.list('pods')) store.upsert('pods', leanObject('pods', p));
}
line(`generated + ingested ${store.size('pods').toLocaleString('en-US')} pods`, `${f(ms(t0))} ms`);
gc();

// ---- 1. full grouping ----
for (const [name, spec] of [
  ['default (namespace > application > component)', undefined],
  ['namespace > app.kubernetes.io/name|app > node', 'namespace,app.kubernetes.io/name|app,node'],
  ['node > namespace', 'node,namespace'],
] as const) {
  const levels = spec ? parseHierarchy(spec) : DEFAULT_HIERARCHY;
  const times: number[] = [];
  let rows = 0;
  let firstRows = 0;
  for (let i = 0; i < 3; i++) {
    const m = new PodTreeModel(levels, undefined);
    t0 = performance.now();
    m.sync(store, undefined);
    times.push(ms(t0));
    t0 = performance.now();
    rows = m.rows().length;
    firstRows = ms(t0);
  }
  line(`full grouping, ${name}`, `${f(Math.min(...times))} ms (best of 3; ${rows} visible rows built in ${f(firstRows)} ms)`);
}

gc();

// ---- the model under test ----
const model = new PodTreeModel(DEFAULT_HIERARCHY, undefined);
let lastBatch: ChangeBatch | undefined;
store.subscribe((b) => {
  lastBatch = b;
  model.sync(store, b);
});
model.sync(store, undefined);
model.rows();
gc();
const keys = [...store.list('pods').keys()];
let rng = 7;
const rand = (n: number) => ((rng = (rng * 1103515245 + 12345) % 2 ** 31), rng % n);

/** A modified copy of a pod: readiness flipped and a restart added (a MODIFIED event). */
function modified(p: Pod): Pod {
  const ready = p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  const cs = (p.status.containerStatuses ?? []).map((c, i) => (i === 0 ? { ...c, ready: !ready, restartCount: c.restartCount + 1 } : c));
  return {
    ...p,
    metadata: { ...p.metadata, resourceVersion: String(Number(p.metadata.resourceVersion) + 1_000_000 + rand(1e6)) },
    status: { ...p.status, conditions: (p.status.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: ready ? 'False' : 'True' } : c)), containerStatuses: cs },
  };
}

// ---- 2. one watch event ----
const syncTimes: number[] = [];
const frameTimes: number[] = [];
for (let i = 0; i < 1000; i++) {
  const key = keys[rand(keys.length)];
  store.upsert('pods', modified(store.get('pods', key)!));
  t0 = performance.now();
  store.flush(); // -> model.sync(store, batch) with one key
  syncTimes.push(ms(t0));
  t0 = performance.now();
  model.rows(); // what the next frame asks for
  frameTimes.push(ms(t0));
}
line('one watch event: batch -> tree update (median / p99)', `${f(pct(syncTimes, 50))} / ${f(pct(syncTimes, 99))} ms`);
line(`  then visible rows for the frame (${model.rows().length} rows; median / p99)`, `${f(pct(frameTimes, 50))} / ${f(pct(frameTimes, 99))} ms`);

// ---- 3. a burst of 2,000 events in one batch ----
// 1,200 modifications, 400 deletions, 400 new pods (copies with a new name and a new app label).
const burst: (() => void)[] = [];
for (let i = 0; i < 1200; i++) {
  const key = keys[rand(keys.length)];
  burst.push(() => {
    const p = store.get('pods', key);
    if (p) store.upsert('pods', modified(p));
  });
}
for (let i = 0; i < 400; i++) {
  const key = keys[rand(keys.length)];
  burst.push(() => store.remove('pods', key));
}
for (let i = 0; i < 400; i++) {
  const src = store.get('pods', keys[rand(keys.length)])!;
  burst.push(() =>
    store.upsert('pods', { ...src, metadata: { ...src.metadata, name: `${src.metadata.name}-burst-${i}`, uid: `burst-${i}`, labels: { ...src.metadata.labels, 'app.kubernetes.io/name': `burst-app-${i % 20}` } } }),
  );
}
t0 = performance.now();
for (const ev of burst) ev();
const applyStore = ms(t0);
t0 = performance.now();
store.flush();
const burstSync = ms(t0);
t0 = performance.now();
const burstRows = model.rows().length;
const burstFrame = ms(t0);
line(`burst of ${burst.length} events: store writes`, `${f(applyStore)} ms`);
line(`burst: one batch of ${lastBatch?.changed.get('pods')?.size ?? 0} keys -> tree update`, `${f(burstSync)} ms`);
line(`  then visible rows for the frame (${burstRows} rows)`, `${f(burstFrame)} ms`);

// ---- proof: no rebuild, and equal to a rebuild ----
line('full builds of the tree during all of the above', `${model.rebuilds} (the initial one)`);
t0 = performance.now();
const fresh = rebuildReference(model, store);
const rebuildMs = ms(t0);
const equal = JSON.stringify(model.tree.snapshot()) === JSON.stringify(fresh.snapshot());
line('incremental tree equals a fresh rebuild', `${equal} (the rebuild took ${f(rebuildMs)} ms)`);
line('heap used', `${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
if (!equal || model.rebuilds !== 1) process.exitCode = 1;
