// Filter latency on 150,000 pods: the `/` filter of the pod list (views/filter.ts) over a
// ClusterStore filled like a large cluster (5,000 nodes, 300 namespaces, 4,500 Deployments whose
// pods share their ReplicaSet's labels and images, like real ones). Prints figures; asserts
// nothing.
//
//   NODE_ENV=production npx node --expose-gc --import tsx test/bench/filter.ts [--pods 150000] [--unique]
//
// (NODE_ENV=production: React's production build, as kfleet runs; the development build
// roughly doubles the time of each frame.)
//
// --unique: every pod its own pod-template-hash and image tag (nothing shared: the worst case
// for the index's memory).
//
// 1. A 150k load (pages of 500, as the reflector applies them) with the pod list's search index
//    attached from the start: when is it ready (every pod's shared targets made in the
//    background)?
// 2. Heap: the store alone, then with the index, then after some searches.
// 3. The real PodListView (ink-testing-library): typing "checko" one key at a time, the time
//    from each keypress to its first frame (filter text shown, previous rows, "filtering… n%")
//    and to the frame with the complete result; then typed fast (a key every 30 ms, each
//    superseding the previous scan). Each round starts from a cleared filter, so its first key
//    is a search from scratch; the next ones start from the previous key's (views/filter.ts).
// 4. The pods tree: setFilter (its synchronous part) and until its filtered tree is shown.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import React from 'react';
import { render } from 'ink-testing-library';
import type { Pod } from '../../src/kube/types.js';
import { loadKeymap } from '../../src/keys/keymap.js';
import { parseHierarchy } from '../../src/model/labelTree.js';
import { ClusterStore } from '../../src/store/clusterStore.js';
import { FilterScan, podSearchIndex } from '../../views/filter.js';
import { PodListView } from '../../views/PodListView.js';
import { PodTreeModel } from '../../views/selectors/podTree.js';
import { ShellContext, type ShellInternals } from '../../views/shell.js';
import { compareKeys } from '../../views/selectors/sortedKeys.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const PODS = arg('--pods', 150_000);
const UNIQUE = process.argv.includes('--unique');
const NODES = Math.max(1, Math.round(PODS / 30));
const gc = (globalThis as { gc?: () => void }).gc;
const heapMiB = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const now = () => performance.now();
const load = () => os.loadavg()[0].toFixed(1);
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const pct = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.ceil((p / 100) * a.length) - 1)];
const turn = () => new Promise((r) => setImmediate(r));

// Deterministic pseudo-random (mulberry32).
let seed = 42;
const rnd = () => {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
const APPS = ['checkout', 'cart', 'frontend', 'search', 'ledger', 'payments-api', 'recommender', 'inventory', 'shipping', 'auth', 'gateway', 'reports', 'billing', 'notifications', 'catalog'];
const TIERS = ['web', 'api', 'db', 'cache', 'worker'];
const hash = () => Math.floor(rnd() * 36 ** 10).toString(36).padStart(10, '0');
const suffix = () => Math.floor(rnd() * 36 ** 5).toString(36).padStart(5, '0');

// One Deployment per (namespace, app): its ReplicaSet's hash, labels and images are shared by its
// pods (lean.ts shares the objects too).
const deployments = new Map<string, { rs: string; labels: Record<string, string>; containers: Pod['spec']['containers'] }>();
function makePod(i: number): Pod {
  const app = APPS[Math.floor(i / 300) % APPS.length];
  const ns = `team-${i % 300}`;
  let d = deployments.get(`${ns}/${app}`);
  if (!d || UNIQUE) {
    const rs = hash();
    d = {
      rs,
      labels: { app, tier: pick(TIERS), version: `v${1 + Math.floor(rnd() * 9)}`, 'pod-template-hash': rs },
      containers: [{ name: app, image: `registry.example.com/${ns}/${app}:1.${Math.floor(rnd() * 30)}.${Math.floor(rnd() * 10)}` }, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.3' }],
    };
    deployments.set(`${ns}/${app}`, d);
  }
  return {
    metadata: { name: `${app}-${d.rs}-${suffix()}`, namespace: ns, uid: `u${i}`, resourceVersion: String(1000 + i), labels: d.labels },
    spec: { nodeName: `node-${Math.floor(rnd() * NODES)}`, containers: d.containers },
    status: { phase: 'Running' },
  };
}
const heapBase = heapMiB();
const pods = Array.from({ length: PODS }, (_, i) => makePod(i));
const heapPods = heapMiB() - heapBase;

/** Apply the pods in pages, yielding between pages as the reflector does between responses. */
async function loadInto(store: ClusterStore) {
  for (let i = 0; i < pods.length; i += 500) {
    for (let j = i; j < Math.min(pods.length, i + 500); j++) store.upsert('pods', pods[j]);
    await turn();
  }
  store.flush();
}

console.log(`${PODS.toLocaleString('en-US')} pods on ${NODES.toLocaleString('en-US')} nodes${UNIQUE ? ' (every pod its own labels and images)' : ''}; ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? ''}`);
console.log(`uptime: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} (load average 1/5/15 min)${gc ? '' : '  (run with --expose-gc for heap figures)'}\n`);

// ---- 1. load, with and without the index ------------------------------------------------------
const heap0 = heapMiB();
let t0 = now();
let store = new ClusterStore(33);
await loadInto(store);
const loadPlain = now() - t0;
const heapStore = heapMiB() - heap0;
store.close();
store = undefined as unknown as ClusterStore;

t0 = now();
store = new ClusterStore(33);
const index = podSearchIndex(store); // the pod list is mounted at start
await loadInto(store);
const loaded = now() - t0;
await index.idle();
const ready = now() - t0;
const heapIndexed = heapMiB() - heap0;
console.log('1. load + background index');
console.log(`   load alone ${ms(loadPlain)}; with the index attached: loaded in ${ms(loaded)}, index ready ${ms(ready)} after the start (${ms(ready - loaded)} after the last page), ${index.prepares.toLocaleString('en-US')} shared targets made   [load ${load()}]`);
console.log(`   heap: the pods ${heapPods.toFixed(0)} MiB (lean objects, as generated); store maps ${heapStore.toFixed(0)} MiB; store + index ${heapIndexed.toFixed(0)} MiB (index ${(heapIndexed - heapStore).toFixed(0)} MiB, ${(((heapIndexed - heapStore) * 2 ** 20) / PODS).toFixed(0)} B/pod)\n`);

// ---- 2. the pod list, typing ----------------------------------------------------------------------
const keymap = loadKeymap();
const internals: ShellInternals = { api: { keymap, readonly: false, contextName: 'bench', notify: () => undefined, confirm: () => undefined, openView: () => undefined }, viewHandlers: [], navHandlers: [] };
const view = (filter: string) => React.createElement(ShellContext.Provider, { value: internals }, React.createElement(PodListView, { store, width: 160, height: 40, namespace: undefined, filter, options: {} }));
const r = render(view(''));
// A terminal has rows; without them Ink asks `tput` (a child process) on every frame.
Object.defineProperty(r.stdout, 'rows', { value: 50 });
// Frame timestamps: Ink writes every frame to this stdout (debug mode).
const frames: { t: number; title: string }[] = [];
const write = r.stdout.write.bind(r.stdout);
r.stdout.write = (f: string) => {
  frames.push({ t: now(), title: f.split('\n')[0] });
  return write(f);
};
async function waitFrame(after: number, ok: (title: string) => boolean, limitMs = 120_000): Promise<number> {
  for (;;) {
    const f = frames.find((x) => x.t >= after && ok(x.title));
    if (f) return f.t - after;
    if (now() - after > limitMs) throw new Error('no such frame');
    await turn();
  }
}
// The list sorts a big cluster's keys in the background first: type once every pod is listed.
await waitFrame(0, (x) => x.startsWith(`Pods — ${PODS.toLocaleString('en-US')} in`));
await turn();

const typed = ['c', 'ch', 'che', 'chec', 'check', 'checko'];
const first: number[][] = typed.map(() => []);
const full: number[][] = typed.map(() => []);
const counts: string[] = [];
console.log('2. pod list (real PodListView, Ink frames): typing "checko", waiting for each full result');
for (let round = 0; round < 5; round++) {
  for (let i = 0; i < typed.length; i++) {
    const q = typed[i];
    const t = now();
    frames.length = 0;
    r.rerender(view(q));
    first[i].push(await waitFrame(t, (x) => x.includes(`/${q} `)));
    full[i].push(await waitFrame(t, (x) => x.includes(`/${q} `) && !x.includes('filtering…')));
    counts[i] = frames[frames.length - 1].title.replace(/^Pods — ([\d,]+) of.*/, '$1');
  }
  const t = now();
  r.rerender(view(''));
  await waitFrame(t, (x) => !x.includes('matching'));
}
typed.forEach((q, i) => {
  console.log(`   /${q.padEnd(7)} ${counts[i].padStart(8)} rows   keypress→frame p50 ${ms(pct(first[i], 50)).padStart(8)} max ${ms(pct(first[i], 100)).padStart(8)}   →full result p50 ${ms(pct(full[i], 50)).padStart(8)} max ${ms(pct(full[i], 100)).padStart(8)}   (round 1: ${ms(full[i][0])})`);
});
const allFirst = first.flat();
console.log(`   all keypresses: keypress→frame p50 ${ms(pct(allFirst, 50))}, p99 ${ms(pct(allFirst, 99))}, max ${ms(pct(allFirst, 100))}   [load ${load()}]`);

// Typed fast: a key every 30 ms without waiting; the scans of earlier keys are dropped.
const fast: number[] = [];
const fastFull: number[] = [];
for (let round = 0; round < 5; round++) {
  const start = now();
  for (const q of typed) {
    const t = now();
    frames.length = 0;
    r.rerender(view(q));
    fast.push(await waitFrame(t, (x) => x.includes(`/${q} `)));
    await new Promise((res) => setTimeout(res, 30));
  }
  fastFull.push(await waitFrame(start, (x) => x.includes('/checko ') && !x.includes('filtering…')));
  const t = now();
  r.rerender(view(''));
  await waitFrame(t, (x) => !x.includes('matching'));
}
console.log(`   typed fast (a key every 30 ms): keypress→frame p50 ${ms(pct(fast, 50))}, p99 ${ms(pct(fast, 99))}, max ${ms(pct(fast, 100))}; first key → full /checko p50 ${ms(pct(fastFull, 50))}   [load ${load()}]`);
r.unmount();

// One full search (every row, fresh verdicts), sliced time summed: what a result costs in CPU.
const keys = [...store.list('pods').keys()].sort(compareKeys);
console.log('\n   one full search of every pod (CPU time, all slices):');
for (const q of ['c', 'check', 'team-42', 'node-1234', 'tier=db', 'proxyv2:1.22', 'zzzzqx', '-l app=checkout,tier!=db']) {
  const times: number[] = [];
  let n = 0;
  for (let k = 0; k < 3; k++) {
    new FilterScan(keys, `q${k}zx`, index, (x) => x, (x) => store.get('pods', x)).step(Infinity); // other verdicts first
    const s = now();
    const scan = new FilterScan(keys, q, index, (x) => x, (x) => store.get('pods', x));
    scan.step(Infinity);
    times.push(now() - s);
    n = scan.result().rows.length;
  }
  console.log(`     /${q.padEnd(26)} ${n.toLocaleString('en-US').padStart(8)} rows   median ${ms(pct(times, 50)).padStart(9)}`);
}
console.log(`   heap after the searches: store + index ${(heapMiB() - heap0).toFixed(0)} MiB`);

// ---- 3. the pods tree -------------------------------------------------------------------------
const model = new PodTreeModel(parseHierarchy('namespace,app'), undefined, 'name', index);
model.sync(store, undefined);
const sync: number[] = [];
const done: number[] = [];
for (let round = 0; round < 3; round++) {
  for (const q of typed) {
    let finished = false;
    const t = now();
    model.setFilter(q, () => void (finished = model.searching === undefined));
    sync.push(now() - t);
    finished ||= model.searching === undefined;
    while (!finished) await turn();
    done.push(now() - t);
  }
  model.setFilter('');
}
console.log(`\n3. pods tree (namespace › app): setFilter's synchronous part p50 ${ms(pct(sync, 50))}, p99 ${ms(pct(sync, 99))}; until the filtered tree is shown p50 ${ms(pct(done, 50))}, max ${ms(pct(done, 100))}   [load ${load()}]`);
console.log(`\nuptime at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}`);
process.exit(0);
