// Benchmark: a metrics.k8s.io poll result applied to the pods tree. Prints figures, asserts
// nothing about time.
//
//   npx tsx --expose-gc test/bench/podMetricsApply.ts [pods=150000] [nodes=5000]
//
// A PodTreeModel over the generated scenario (all pods, plus a `/` filter tree), then
// successive metrics maps in which every pod's usage differs (as on a real cluster, where
// every scrape changes every figure). Each map goes to the store, the store's batch to the
// model (PodTreeModel.sync), as in the app: applied at once, then in slices (metricsStep, as
// the view's background work runs it), then in slices with watch events and a second poll
// between them. Prints the longest synchronous block per poll, and checks at the end that the
// tree equals one built afresh with the final pods and metrics.
import { performance } from 'node:perf_hooks';
import type { LeanPodMetrics, Pod } from '../../src/kube/types.js';
import { PodMetricsTable } from '../../src/model/podMetricsTable.js';
import { DEFAULT_HIERARCHY, LabelTree } from '../../src/model/labelTree.js';
import { generatedCluster } from '../helpers/generatedCluster.js';
import { gc } from './gc.js';
import { METRICS_SLICE_MS, PodTreeModel, rebuildReference } from '../../views/selectors/podTree.js';

const N_PODS = Number(process.argv[2] ?? 150_000);
const N_NODES = Number(process.argv[3] ?? 5000);
const FILTER = 'team-01';
const ms = (t0: number) => performance.now() - t0;
const f = (x: number) => (x < 1 ? x.toFixed(3) : x < 100 ? x.toFixed(2) : x.toFixed(0));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const line = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);

// ---- cluster ----
let t0 = performance.now();
const store = generatedCluster({ pods: N_PODS, nodes: N_NODES, kinds: ['pods'] }); // notices only on flush(): the bench delivers batches itself
line(`generated + ingested ${store.size('pods').toLocaleString('en-US')} pods`, `${f(ms(t0))} ms`);

// ---- the model: the whole tree, and a filter's ----
const model = new PodTreeModel(DEFAULT_HIERARCHY, undefined);
store.subscribe((b) => model.sync(store, b));
model.sync(store, undefined);
model.setFilter(FILTER);
model.finishFilter();
line(`model built; filter ${JSON.stringify(FILTER)}`, `${model.tree.size} pods, ${model.filtered?.size ?? 0} in the filtered tree`);
gc();

// ---- metrics maps: every pod's usage differs from one poll to the next ----
const names = new Map<string, readonly string[]>();
function metricsTable(round: number): PodMetricsTable {
  return PodMetricsTable.of(metricsMap(round), store.metrics.pods);
}
function metricsMap(round: number): Map<string, LeanPodMetrics> {
  const out = new Map<string, LeanPodMetrics>();
  let i = 0;
  for (const [key, p] of store.list('pods') as Iterable<[string, Pod]>) {
    const cs = (p.spec?.containers ?? []).map((c) => c.name);
    const id = cs.join('\0');
    let shared = names.get(id);
    if (!shared) names.set(id, (shared = cs));
    const usage = new Array<number>(cs.length * 2);
    for (let j = 0; j < cs.length; j++) {
      const h = ((i * 2654435761 + j * 40503 + round * 977) >>> 0) % 1000;
      usage[2 * j] = (h + 1) * 1_000_000 + round; // nanocores: 1m..1 core
      usage[2 * j + 1] = (h + 1) * 1_048_576 + round * 4096; // bytes: 1Mi..1000Mi
    }
    out.set(key, { containers: shared, usage });
    i++;
  }
  return out;
}

/** This thread's CPU time, ms: a block's own work, without the time other processes took the
 *  core meanwhile (a busy machine stretches wall times). */
const cpuNow = () => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};

/** Apply the store's current metrics as the app does: the model's sync (a store notice), then
 *  the background slices (metricsStep), each timed; `between` runs between slices. */
function applyTimed(between?: (slice: number) => void) {
  const r = { first: 0, longest: 0, longestCpu: 0, total: 0, totalCpu: 0, slices: 0, walls: [] as number[] };
  const block = (work: () => void) => {
    const c0 = cpuNow();
    t0 = performance.now();
    work();
    const wall = ms(t0), cpu = cpuNow() - c0;
    if (r.slices++ === 0) r.first = wall;
    r.walls.push(wall);
    r.longest = Math.max(r.longest, wall);
    r.longestCpu = Math.max(r.longestCpu, cpu);
    r.total += wall;
    r.totalCpu += cpu;
  };
  block(() => store.flush()); // -> model.sync(store, batch): metricsChanged
  while (model.applyingMetrics) {
    between?.(r.slices);
    block(() => model.metricsStep(METRICS_SLICE_MS));
  }
  return r;
}

let round = 0;
function poll(label: string, between?: (slice: number) => void): void {
  const m = metricsTable(++round);
  gc();
  store.setMetrics({ available: true, nodes: new Map(), pods: m, updatedAt: Date.now() });
  const r = applyTimed(between);
  line(
    `${label}: poll ${round}`,
    `longest block ${f(r.longest)} ms (cpu ${f(r.longestCpu)}; median ${f(median(r.walls))}, first ${f(r.first)}), total ${f(r.total)} ms (cpu ${f(r.totalCpu)}) in ${r.slices} block${r.slices > 1 ? 's' : ''}`,
  );
}

// 1. At once (PodTreeModel's default, tests): one block per poll, both trees.
model.metricsSliceMs = Infinity;
for (let i = 0; i < 2; i++) poll('at once');

gc();
line('heap used after applying polls at once', `${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);

// 2. In slices (the view's models: podTreeFor), METRICS_SLICE_MS each.
model.metricsSliceMs = METRICS_SLICE_MS;
for (let i = 0; i < 3; i++) poll(`${METRICS_SLICE_MS} ms slices`);

// 3. In slices with watch events between them, and the next poll before the last one is done.
{
  const keys = [...store.list('pods').keys()];
  let rv = 9_000_000;
  const churn = (slice: number) => {
    for (let i = 0; i < 20; i++) {
      const key = keys[(slice * 7919 + i * 104_729) % keys.length]!;
      const p = store.get('pods', key);
      if (!p) continue;
      if (i % 3 === 0) store.remove('pods', key);
      else store.upsert('pods', { ...p, metadata: { ...p.metadata, resourceVersion: String(rv++), labels: { ...p.metadata.labels, 'app.kubernetes.io/name': `moved-${slice % 5}` } } });
    }
    store.flush();
    if (slice === 3) {
      store.setMetrics({ available: true, nodes: new Map(), pods: metricsTable(++round), updatedAt: Date.now() });
      store.flush();
    }
  };
  poll('slices + events + a poll midway', churn);
}

gc();
line('heap used after applying polls in slices', `${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);

// The same applied to one tree of every pod, at once (no model around it).
{
  const t = rebuildReference(model, store);
  gc();
  const m = metricsTable(++round);
  t0 = performance.now();
  t.applyPodMetrics(m);
  line('LabelTree.applyPodMetrics at once, a tree of every pod', `${f(ms(t0))} ms`);
  const m2 = PodMetricsTable.of(metricsMap(++round), m);
  t0 = performance.now();
  t.applyPodMetrics(m2);
  line('  again, with the next map', `${f(ms(t0))} ms`);
}

// ---- proof: the roll-ups equal a fresh build with the final metrics ----
gc();
const fresh = rebuildReference(model, store);
const same = (a: LabelTree, b: LabelTree) => JSON.stringify(a.snapshot()) === JSON.stringify(b.snapshot());
// The filtered tree: against a fresh tree of the same pods (the filter chose them).
const filtered = model.filtered!;
const freshFiltered = new LabelTree(DEFAULT_HIERARCHY, [...filtered.keys()].map((k) => filtered.podObject(k)!));
freshFiltered.applyPodMetrics(store.metrics.pods);
const equal = same(model.tree, fresh) && same(filtered, freshFiltered);
line('trees equal fresh builds with the last pods and metrics', `${equal}`);
const r = fresh.root.rollup;
line('root usage', `cpu ${r.cpuUsage} nano, memory ${r.memoryUsage} nano, ${r.podsWithUsage} pods`);
gc();
line('heap used', `${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
if (!equal) process.exitCode = 1;
