// Filter latency on 150,000 pods: the `/` filter of the pod list (views/filter.ts) over a
// ClusterStore filled like a large cluster (5,000 nodes, 300 namespaces, app/tier/version
// labels, two images per pod). Prints figures; asserts nothing.
//
//   npx tsx test/bench/filter.ts [--pods 150000]
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Pod } from '../../src/kube/types.js';
import { ClusterStore } from '../../src/store/clusterStore.js';
import { filterRows, podFilterFields } from '../../views/filter.js';
import { compareKeys } from '../../views/selectors/sortedKeys.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const PODS = arg('--pods', 150_000);
const NODES = Math.max(1, Math.round(PODS / 30));

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

function makePod(i: number): Pod {
  const app = pick(APPS);
  const ns = `team-${i % 300}`;
  return {
    metadata: { name: `${app}-${hash()}-${suffix()}`, namespace: ns, uid: `u${i}`, resourceVersion: '1', labels: { app, tier: pick(TIERS), version: `v${1 + Math.floor(rnd() * 9)}`, 'pod-template-hash': hash() } },
    spec: { nodeName: `ip-10-${Math.floor(i / 250) % 256}-${i % 250}-${Math.floor(rnd() * 255)}.ec2.internal`.replace(/^ip-.*$/, () => `node-${Math.floor(rnd() * NODES)}`), containers: [{ name: app, image: `registry.example.com/${ns}/${app}:1.${Math.floor(rnd() * 30)}.${Math.floor(rnd() * 10)}` }, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.3' }] },
    status: { phase: 'Running' },
  };
}

const store = new ClusterStore(0);
let t0 = performance.now();
for (let i = 0; i < PODS; i++) store.upsert('pods', makePod(i));
const keys = [...store.list('pods').keys()].sort(compareKeys);
console.log(`${PODS.toLocaleString('en-US')} pods on ${NODES.toLocaleString('en-US')} nodes built in ${Math.round(performance.now() - t0)} ms`);

const source = (k: string) => store.get('pods', k);
// A fresh rows array = a full search (the filter narrows within the previous hits of the same rows).
const run = (q: string, rows: readonly string[] = keys.slice()) => filterRows(rows, q, source, podFilterFields);

function measure(label: string, q: string, n = 7) {
  const times: number[] = [];
  let matched = 0;
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    matched = run(q).rows.length;
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(38)} ${`/${q}`.padEnd(26)} ${matched.toLocaleString('en-US').padStart(8)} rows   median ${times[Math.floor(n / 2)].toFixed(1).padStart(7)} ms   max ${times[n - 1].toFixed(1).padStart(7)} ms`);
}

// Reference: just reading every pod from the store once (what any filter must at least do).
{
  const t: number[] = [];
  for (let r = 0; r < 7; r++) {
    const s0 = performance.now();
    let n = 0;
    for (const k of keys) if (store.get('pods', k)?.metadata.name) n++;
    t.push(performance.now() - s0 + (n < 0 ? 1 : 0));
  }
  t.sort((a, b) => a - b);
  console.log(`reference: one store.get per pod, no filtering            median ${t[3].toFixed(1)} ms   (machine: ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)})`);
}

// The first fuzzy query prepares every pod's targets once (cached per pod object after that).
t0 = performance.now();
const first = run('chk').rows.length;
console.log(`first fuzzy query (prepares 150k pods)        /chk ${first.toLocaleString('en-US')} rows in ${Math.round(performance.now() - t0)} ms`);
console.log('');
console.log('typing "checko", one filter per keystroke (each narrows the previous), 5 rounds:');
const typed = ['c', 'ch', 'che', 'chec', 'check', 'checko'];
const steps: number[][] = typed.map(() => []);
const counts: number[] = [];
for (let round = 0; round < 5; round++) {
  const rows = keys.slice();
  typed.forEach((q, i) => {
    const s0 = performance.now();
    counts[i] = run(q, rows).rows.length;
    steps[i].push(performance.now() - s0);
  });
}
typed.forEach((q, i) => {
  const t = steps[i].sort((a, b) => a - b);
  console.log(`  ${`/${q}`.padEnd(10)} ${counts[i].toLocaleString('en-US').padStart(8)} rows   median ${t[2].toFixed(1).padStart(7)} ms   max ${t[4].toFixed(1).padStart(7)} ms`);
});
console.log('');
console.log('one query from scratch (full search of every pod):');
for (const q of ['c', 'check']) measure('name', q);
measure('namespace', 'team-42');
measure('node', 'node-1234');
measure('label', 'tier=db');
measure('image', 'proxyv2:1.22');
measure('no match', 'zzzzqx');
measure('label selector', '-l app=checkout,tier!=db');
measure('label selector (set)', '-l tier in (web,api),version notin (v1)');

// After a watch batch replaces 1% of the pods, only those are prepared again.
for (let i = 0; i < PODS / 100; i++) {
  const k = keys[Math.floor(rnd() * keys.length)];
  const p = store.get('pods', k)!;
  store.upsert('pods', { ...p, metadata: { ...p.metadata, resourceVersion: '2' } });
}
measure('after 1% of the pods changed', 'check', 3);
const mem = process.memoryUsage();
console.log(`\nheap used ${Math.round(mem.heapUsed / 2 ** 20)} MiB, rss ${Math.round(mem.rss / 2 ** 20)} MiB (store + prepared targets)`);
