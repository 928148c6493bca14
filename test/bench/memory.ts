// Memory breakdown of kfleet's per-store models at scale (issue 9): prints figures, asserts nothing.
//
//   npx tsx --expose-gc test/bench/memory.ts [pods=150000] [nodes=5000] [--json] [--pages] [--snapshot]
//
// (--snapshot needs a smaller cluster, e.g. 20000 700: the snapshot file must fit one string.)
//
// Builds the store in-process as kfleet does (the sim's generated scenario, each object through
// leanObject into a ClusterStore; the sim is dropped before measuring), then creates, one
// after the other, each model the app keeps per store, measuring heap and RSS after a full GC
// at each step: the difference is that model's live memory. --snapshot adds a heap snapshot's
// top constructors (by self size) at the end, written to /tmp/kfleet-memory.heapsnapshot.
import v8 from 'node:v8';
import { performance } from 'node:perf_hooks';
import { leanObject, sharedSizes } from '../../src/kube/lean.js';
import { templateSizes } from '../../src/kube/leanTemplate.js';
import { parsePage } from '../../src/kube/pageParser.js';
import { RESOURCE_KINDS, type ResourceKind } from '../../src/kube/types.js';
import { DEFAULT_HIERARCHY } from '../../src/model/labelTree.js';
import { loadScenario } from '../../src/sim/scenarios/index.js';
import { Store } from '../../src/sim/store.js';
import { ClusterStore } from '../../src/store/clusterStore.js';
import { podSearchIndex } from '../../views/filter.js';
import { nodeAllocationFor } from '../../views/selectors/nodeAllocation.js';
import { podTreeFor } from '../../views/selectors/podTree.js';
import { rolloutIndexFor } from '../../views/selectors/rollouts.js';
import { volumesSelectorFor } from '../../views/selectors/volumes.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const N_PODS = Number(args[0] ?? 150_000);
const N_NODES = Number(args[1] ?? 5000);
const SNAPSHOT = process.argv.includes('--snapshot');
const PAGES = process.argv.includes('--pages');
const JSON_MODE = process.argv.includes('--json') || PAGES;

const gcFn = (globalThis as { gc?: () => void }).gc;
if (!gcFn) {
  console.error('run with --expose-gc (npx tsx --expose-gc test/bench/memory.ts)');
  process.exit(2);
}
const MB = (b: number) => (b / 1048576).toFixed(1).padStart(8);

function fullGc(): void {
  for (let i = 0; i < 3; i++) gcFn!();
}

let prevHeap = 0;
let prevRss = 0;
const rows: string[] = [];
function measure(step: string, perPod = true): void {
  fullGc();
  const m = process.memoryUsage();
  const h = v8.getHeapStatistics();
  const dHeap = h.used_heap_size - prevHeap;
  const dRss = m.rss - prevRss;
  const per = perPod && N_PODS > 0 ? `${Math.round(dHeap / N_PODS)} B/pod`.padStart(12) : ''.padStart(12);
  const line = `${step.padEnd(44)} heap used ${MB(h.used_heap_size)} MB (+${MB(dHeap)})  ${per}  rss ${MB(m.rss)} MB (+${MB(dRss)})  external ${MB(m.external)} MB`;
  rows.push(line);
  console.log(line);
  prevHeap = h.used_heap_size;
  prevRss = m.rss;
}

/** A per-kind row: heap of `count` objects (lean objects and the shared tables' new entries). */
function measureKind(step: string, count: number): void {
  fullGc();
  const used = v8.getHeapStatistics().used_heap_size;
  const rss = process.memoryUsage().rss;
  const d = used - prevHeap;
  const line = `${step.padEnd(24)} ${String(count).padStart(7)} objs ${MB(d)} MB ${String(Math.round(d / count)).padStart(6)} B/obj  rss +${MB(rss - prevRss)} MB  shared ${JSON.stringify({ ...sharedSizes(), templates: templateSizes().specs })}`;
  rows.push(line);
  console.log(line);
  prevHeap = used;
  prevRss = rss;
}

/** Pods (JSON texts) as list pages of 100 through parsePage, the reflector's own path. */
function viaPages(texts: readonly string[]): unknown[] {
  const out: unknown[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < texts.length; i += 100) {
    const body = `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[${texts.slice(i, i + 100).join(',')}]}`;
    const page = parsePage('pods', enc.encode(body).buffer as ArrayBuffer);
    for (const p of page.items) out.push(p);
  }
  return out;
}

console.log(`kfleet memory breakdown: ${N_PODS.toLocaleString('en-US')} pods / ${N_NODES.toLocaleString('en-US')} nodes, node ${process.version}`);
measure('baseline (modules loaded)', false);

let t0 = performance.now();
const store = new ClusterStore(1e9); // no timer-driven notices: batches are not part of this measure
const storeHeap0 = prevHeap;
/**
 * The generated cluster's objects per kind. --json: as JSON texts, the way kfleet gets them (the
 * sim's objects share parts and hold concatenated strings that JSON.parse gives as fresh flat
 * copies; ~5x slower; the models' figures come out the same, the store's differ). Otherwise the
 * sim's own objects. Either way the sim itself is garbage once this returns.
 */
function clusterObjects(): Map<ResourceKind, readonly unknown[]> {
  const sim = new Store({ seed: 42 });
  loadScenario(sim, { scenario: 'generated', pods: N_PODS, nodes: N_NODES });
  const out = new Map<ResourceKind, readonly unknown[]>();
  for (const kind of RESOURCE_KINDS) out.set(kind, JSON_MODE ? sim.list(kind).map((o) => JSON.stringify(o)) : sim.list(kind));
  return out;
}

/**
 * Per kind: the lean objects alone (kept in an array), then the store's maps and indexes.
 * --pages (implies --json): pods go through parsePage as list pages of 100, kfleet's own path.
 * (A function, so that its locals are garbage once it returns.)
 */
async function buildStore(): Promise<void> {
  const source = clusterObjects();
  measure(JSON_MODE ? 'cluster as JSON texts (dropped later)' : "the sim's objects (dropped later)", false);
  const lean = new Map<ResourceKind, unknown[]>();
  for (const kind of RESOURCE_KINDS) {
    const objs = source.get(kind)!;
    let items: unknown[];
    if (kind === 'pods' && PAGES) items = viaPages(objs as string[]);
    else items = objs.map((o) => leanObject(kind, JSON_MODE ? JSON.parse(o as string) : o));
    lean.set(kind, items);
    if (items.length) measureKind(`  ${kind}`, items.length);
  }
  for (const [kind, items] of lean) for (const o of items) store.upsert(kind, o as never);
  store.flush();
  measure('store maps and indexes (all kinds)');
  void source.size; // the texts live up to here, so that the figures above are deltas
}
await buildStore();
console.log(`  (store built in ${(performance.now() - t0).toFixed(0)} ms; ${store.size('pods')} pods, ${store.size('nodes')} nodes)`);
prevHeap = storeHeap0;
measure('store (lean objects + indexes + shared tables)');

t0 = performance.now();
const alloc = nodeAllocationFor(store);
alloc.sync(undefined);
alloc.rows();
console.log(`  (node allocation built in ${(performance.now() - t0).toFixed(0)} ms)`);
measure('nodeAllocationFor (NodeAllocationIndex)');

const search = podSearchIndex(store);
await search.idle();
measure('podSearchIndex (warmed)');

t0 = performance.now();
const tree = podTreeFor(store, DEFAULT_HIERARCHY, undefined, () => podSearchIndex(store));
tree.window(0, 40);
console.log(`  (pods tree built in ${(performance.now() - t0).toFixed(0)} ms)`);
measure('podTreeFor (LabelTree)');

rolloutIndexFor(store).finish();
measure('rolloutIndexFor');

volumesSelectorFor(store);
measure('volumesSelectorFor');

const h = v8.getHeapStatistics();
console.log(`total heap ${MB(h.total_heap_size)} MB, used ${MB(h.used_heap_size)} MB, rss ${MB(process.memoryUsage().rss)} MB`);

if (SNAPSHOT) {
  const file = v8.writeHeapSnapshot('/tmp/kfleet-memory.heapsnapshot');
  const snap = JSON.parse((await import('node:fs')).readFileSync(file, 'utf8'));
  const meta = snap.snapshot.meta;
  const nf = meta.node_fields.length;
  const typeNames: string[] = meta.node_types[0];
  const iType = meta.node_fields.indexOf('type');
  const iName = meta.node_fields.indexOf('name');
  const iSize = meta.node_fields.indexOf('self_size');
  const by = new Map<string, { count: number; size: number }>();
  const nodes: number[] = snap.nodes;
  for (let i = 0; i < nodes.length; i += nf) {
    const type = typeNames[nodes[i + iType]!]!;
    const name = type === 'object' || type === 'closure' ? snap.strings[nodes[i + iName]!] : `(${type})`;
    const e = by.get(name) ?? { count: 0, size: 0 };
    e.count++;
    e.size += nodes[i + iSize]!;
    by.set(name, e);
  }
  console.log('\nheap snapshot, top 25 by self size:');
  for (const [name, e] of [...by].sort((a, b) => b[1].size - a[1].size).slice(0, 25)) {
    console.log(`  ${String(name).slice(0, 40).padEnd(40)} ${MB(e.size)} MB  ${String(e.count).padStart(9)} objects`);
  }
}
// Keep every model reachable up to the last measure.
void [store, alloc, search, tree];
