// Memory breakdown of kfleet's per-store models at scale (issue 9): prints figures, asserts nothing.
//
//   npx tsx --expose-gc test/bench/memory.ts [pods=150000] [nodes=5000] [--json] [--snapshot]
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
import { leanObject } from '../../src/kube/lean.js';
import { RESOURCE_KINDS } from '../../src/kube/types.js';
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
const JSON_MODE = process.argv.includes('--json');

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

console.log(`kfleet memory breakdown: ${N_PODS.toLocaleString('en-US')} pods / ${N_NODES.toLocaleString('en-US')} nodes, node ${process.version}`);
measure('baseline (modules loaded)', false);

let t0 = performance.now();
const store = new ClusterStore(1e9); // no timer-driven notices: batches are not part of this measure
{
  const sim = new Store({ seed: 42 });
  loadScenario(sim, { scenario: 'generated', pods: N_PODS, nodes: N_NODES });
  // --json: each object through JSON first, as kfleet gets them (the sim's objects share parts
  // and hold concatenated strings that JSON.parse gives as fresh flat copies). ~5x slower; the
  // models' figures come out the same, the store's differ (neither is the list worker's path).
  for (const kind of RESOURCE_KINDS) for (const o of sim.list(kind)) store.upsert(kind, leanObject(kind, JSON_MODE ? JSON.parse(JSON.stringify(o)) : o));
  store.flush();
}
console.log(`  (store built in ${(performance.now() - t0).toFixed(0)} ms; ${store.size('pods')} pods, ${store.size('nodes')} nodes)`);
measure('store (lean objects + indexes)');

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

rolloutIndexFor(store);
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
