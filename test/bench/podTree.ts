// Benchmark of the pods tree (issue 4): prints figures, asserts nothing about time.
//
//   npx tsx --expose-gc test/bench/podTree.ts [pods=150000] [nodes=5000]
//
// 1. full grouping of every pod (what happens once per hierarchy / namespace / filter change),
// 2. one watch event (store upsert -> change batch -> PodTreeModel.sync), then the frame the
//    view draws: the row count, the cursor's index (a row id in the middle of the list) and
//    one screen of rows (LabelTree.rowsInWindow), with the tree's work counter per event,
// 3. a burst of 2,000 events delivered in one coalesced batch, then a frame,
// 4. keys: open and close the cursor's group, expand all, each followed by a frame,
// and proves the tree was not rebuilt for them: the model's rebuild counter stays at 1, and
// the incremental tree equals one built from scratch afterwards.
import { performance } from 'node:perf_hooks';
import type { Pod } from '../../src/kube/types.js';
import { DEFAULT_HIERARCHY, parseHierarchy, type TreeRow } from '../../src/model/labelTree.js';
import type { ChangeBatch } from '../../src/store/clusterStore.js';
import { generatedCluster } from '../helpers/generatedCluster.js';
import { gc } from './gc.js';
import { PodTreeModel, rebuildReference } from '../../views/selectors/podTree.js';

const N_PODS = Number(process.argv[2] ?? 150_000);
const N_NODES = Number(process.argv[3] ?? 5000);
const ms = (t0: number) => performance.now() - t0;
const f = (x: number) => (x < 1 ? x.toFixed(3) : x < 100 ? x.toFixed(2) : x.toFixed(0));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
/** Rows on one screen (a 42-line terminal). */
const SCREEN = 40;

function line(label: string, value: string) {
  console.log(`${label.padEnd(58)} ${value}`);
}


// ---- cluster ----
let t0 = performance.now();
const store = generatedCluster({ pods: N_PODS, nodes: N_NODES, kinds: ['pods'] }); // notices only on flush(): the bench delivers batches itself
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
  let firstScreen = 0;
  for (let i = 0; i < 3; i++) {
    const m = new PodTreeModel(levels, undefined);
    t0 = performance.now();
    m.sync(store, undefined);
    times.push(ms(t0));
    t0 = performance.now();
    rows = m.active.visibleCount();
    m.window(0, SCREEN);
    firstScreen = ms(t0);
  }
  line(`full grouping, ${name}`, `${f(Math.min(...times))} ms (best of 3; ${rows} visible rows, first screen in ${f(firstScreen)} ms)`);
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
gc();
// The cursor on a row in the middle of the list; each frame keeps it on screen, as the view does.
const cursorId = model.active.rowAt(Math.floor(model.active.visibleCount() / 2))!.id;
/** What the view computes per frame: count, cursor index, one screen of rows. */
function frame(): TreeRow[] {
  const t = model.active;
  const index = t.indexOfId(cursorId);
  const top = Math.max(0, Math.min(index - SCREEN / 2, t.visibleCount() - SCREEN));
  return model.window(top, SCREEN);
}
frame();
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
const visits: number[] = [];
for (let i = 0; i < 1000; i++) {
  const key = keys[rand(keys.length)];
  store.upsert('pods', modified(store.get('pods', key)!));
  model.active.nodesVisited = 0;
  t0 = performance.now();
  store.flush(); // -> model.sync(store, batch) with one key
  syncTimes.push(ms(t0));
  t0 = performance.now();
  frame();
  frameTimes.push(ms(t0));
  visits.push(model.active.nodesVisited);
}
line('one watch event: batch -> tree update (median / p99)', `${f(pct(syncTimes, 50))} / ${f(pct(syncTimes, 99))} ms`);
line(`  then the frame: ${SCREEN} of ${model.active.visibleCount()} rows (median / p99)`, `${f(pct(frameTimes, 50))} / ${f(pct(frameTimes, 99))} ms`);
line('  tree nodes visited, event + frame (median / max)', `${pct(visits, 50)} / ${Math.max(...visits)}`);

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
frame();
const burstFrame = ms(t0);
line(`burst of ${burst.length} events: store writes`, `${f(applyStore)} ms`);
line(`burst: one batch of ${lastBatch?.changed.get('pods')?.size ?? 0} keys -> tree update`, `${f(burstSync)} ms`);
line(`  then the frame (${model.active.visibleCount()} rows)`, `${f(burstFrame)} ms`);

// ---- 4. keys ----
{
  const toggleTimes: number[] = [];
  const group = model.active.rowAt(model.active.indexOfId(cursorId)) as Extract<TreeRow, { type: 'group' }>;
  for (let i = 0; i < 200; i++) {
    t0 = performance.now();
    model.update((t) => t.setExpanded(group.id, group.depth, i % 2 === 0 ? !group.expanded : group.expanded));
    frame();
    toggleTimes.push(ms(t0));
  }
  line(`open/close the cursor's ${group.type} + frame (median / p99)`, `${f(pct(toggleTimes, 50))} / ${f(pct(toggleTimes, 99))} ms`);
  t0 = performance.now();
  model.update((t) => t.expandAll());
  frame();
  const all = ms(t0);
  line(`expand all + frame (${model.active.visibleCount()} rows)`, `${f(all)} ms`);
  model.update((t) => t.expandToDepth(1));
}

// ---- proof: no rebuild, and equal to a rebuild ----
line('full builds of the tree during all of the above', `${model.rebuilds} (the initial one)`);
t0 = performance.now();
const fresh = rebuildReference(model, store);
const rebuildMs = ms(t0);
const equal = JSON.stringify(model.tree.snapshot()) === JSON.stringify(fresh.snapshot());
line('incremental tree equals a fresh rebuild', `${equal} (the rebuild took ${f(rebuildMs)} ms)`);
line('heap used', `${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
if (!equal || model.rebuilds !== 1) process.exitCode = 1;
