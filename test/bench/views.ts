// View switch, churn and idle cost of the feature views on a generated cluster (150,000 pods
// over 5,000 nodes by default). Prints figures; asserts nothing.
//
//   npx tsx --expose-gc test/bench/views.ts [--pods 150000] [--nodes 5000] [--rounds 3]
//                                           [--no-ink-caches] [--dev]
//
// The whole App is mounted with ink-testing-library (140x40) on a ClusterStore filled from the
// sim's generator through lean.ts, as the reflectors fill it, the way the CLI runs it: React's
// production build (--dev: the development one) and Ink's cross-frame caches
// (src/app/inkCaches.ts; --no-ink-caches: without). Then:
// 1. view switches: the view's key ("1".."5", ":podlist"), time until the frame that shows the
//    view (its name in the header, as `npm run bench` waits for it), time until the view's
//    own content is drawn, and the event-loop busy time it cost (incl. background slices);
//    first visits (cold) and later visits (warm) apart;
// 2. idle: renders (= frames: ink-testing-library draws every commit) per second on the pods
//    view while the store gets a bookmark a second (each stamps the pods' lastSyncAt);
// 3. churn on each view: 30 batches of 66 pod changes (2,000 events/s coalesced at ~30 Hz:
//    readiness flips, delete + recreate) then one burst of 2,000 changes in one batch; the
//    event-loop busy time per batch (store notice + selectors + React + Ink frame);
// 4. heap after the store is filled, after the views were visited, and after churn.
// BENCH_PROFILE=DIR writes CPU profiles there (cold switch per view, warm switches, churn per view).
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { installInkCaches } from '../../src/app/inkCaches.js';
import { type Pod } from '../../src/kube/types.js';
import { loadKeymap } from '../../src/keys/keymap.js';
import { ClusterStore } from '../../src/store/clusterStore.js';
import { generatedCluster, singleContext } from '../helpers/generatedCluster.js';

// As src/cli.tsx: React's build is chosen when React loads, Ink's caches before Ink loads.
if (!process.argv.includes('--dev')) process.env.NODE_ENV ??= 'production';
const inkCaches = process.argv.includes('--no-ink-caches') ? { stringWidth: false, output: false } : await installInkCaches();
const { default: React } = await import('react');
const { render } = await import('ink-testing-library');
const { App } = await import('../../views/App.js');

// ink-testing-library's stdout has no `rows`: without these Ink asks `tput` (a child process)
// on every frame, which a real terminal never does.
process.env.COLUMNS ??= '140';
process.env.LINES ??= '40';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const N_PODS = arg('--pods', 150_000);
const N_NODES = arg('--nodes', 5000);
const ROUNDS = arg('--rounds', 3);
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const mb = () => (gc(), Math.round(process.memoryUsage().heapUsed / 2 ** 20));
const f = (x: number) => (x < 10 ? x.toFixed(1) : x.toFixed(0));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;
const line = (label: string, value: string) => console.log(`${label.padEnd(52)} ${value}`);

console.log(`kfleet views bench · ${N_PODS.toLocaleString('en-US')} pods / ${N_NODES.toLocaleString('en-US')} nodes · node ${process.version} · React ${process.env.NODE_ENV === 'production' ? 'production' : 'development'} · Ink caches ${inkCaches.output && inkCaches.stringWidth ? 'on' : 'off'} · load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);

// ---- cluster ----
let t0 = performance.now();
// Notices only on flush(): the bench times each batch itself.
const store = generatedCluster({ pods: N_PODS, nodes: N_NODES, synced: true, context: 'bench' });
line(`store filled (${store.size('pods').toLocaleString('en-US')} pods)`, `${f(performance.now() - t0)} ms, heap ${mb()} MB`);

const contexts = singleContext(store, 'bench');

/** Event-loop busy time (ms) of what `fn` starts, until the loop is idle for `quietMs`. */
async function busy(fn: () => void, quietMs = 150): Promise<number> {
  const e0 = performance.eventLoopUtilization();
  fn();
  await sleep(quietMs);
  return performance.eventLoopUtilization(e0).active;
}

const VIEWS = [
  { key: '1', name: 'nodes', header: 'Nodes', title: /Nodes — [\d,]+ · sort/ },
  { key: '2', name: 'pods', header: 'Pods', title: /pods · sort/ },
  { key: '3', name: 'volumes', header: 'Volumes', title: /Volume conflicts — / },
  { key: '4', name: 'rollouts', header: 'Rollouts', title: /Rollouts — [\d,]+/ },
  { key: '5', name: 'events', header: 'Events', title: /Events — / },
  { key: ':podlist\r', name: 'podlist', header: 'Pod list', title: /Pods — [\d,]+ in / },
];

const t = render(React.createElement(App, { contexts, keymap: loadKeymap(), width: 140, height: 40, initialView: 'events', onExit: () => undefined }));
await sleep(300);
const heapMounted = mb();

const profileDir = process.env.BENCH_PROFILE;
const session = profileDir ? new Session() : undefined;
session?.connect();
await session?.post('Profiler.enable');

// ---- 1. view switches ----
interface Switch {
  frame: number;
  drawn: number;
  busy: number;
}
const cold = new Map<string, Switch>();
const warm = new Map<string, Switch[]>();
const body = (screen: string) => screen.split('\n').slice(2).join('\n');
for (let round = 0; round <= ROUNDS; round++) {
  if (round === 1) await session?.post('Profiler.start');
  for (const v of VIEWS) {
    gc();
    if (round === 0) await session?.post('Profiler.start');
    const e0 = performance.eventLoopUtilization();
    const start = performance.now();
    t.stdin.write(v.key);
    let frame = NaN;
    let drawn = NaN;
    // Poll for the view's first frame (its name in the header), then for its content.
    for (let i = 0; i < 20000 && Number.isNaN(drawn); i++) {
      await new Promise((r) => setImmediate(r));
      const screen = t.lastFrame() ?? '';
      if (Number.isNaN(frame) && screen.startsWith(`kfleet ${v.header} `)) frame = performance.now() - start;
      if (!Number.isNaN(frame) && v.title.test(body(screen)) && !/counting pods|sorting [\d,]+\//.test(screen)) drawn = performance.now() - start;
    }
    await sleep(150);
    const busyMs = performance.eventLoopUtilization(e0).active;
    if (round === 0 && session) fs.writeFileSync(`${profileDir}/switch-cold-${v.name}.cpuprofile`, JSON.stringify((await session.post('Profiler.stop')).profile));
    if (round === 0) cold.set(v.name, { frame, drawn, busy: busyMs });
    else warm.set(v.name, [...(warm.get(v.name) ?? []), { frame, drawn, busy: busyMs }]);
  }
}
if (session) fs.writeFileSync(`${profileDir}/switch-warm.cpuprofile`, JSON.stringify((await session.post('Profiler.stop')).profile));
console.log('\nview switch: key -> frame showing the view / -> its content drawn (ms); busy = event-loop active ms incl. background slices');
for (const v of VIEWS) {
  const c = cold.get(v.name)!;
  const w = warm.get(v.name)!;
  const p50 = (k: keyof Switch) => f(pct(w.map((x) => x[k]), 50));
  const max = (k: keyof Switch) => f(Math.max(...w.map((x) => x[k])));
  line(`  ${v.name}`, `first ${f(c.frame)} / ${f(c.drawn)} (busy ${f(c.busy)}) · again p50 ${p50('frame')} / ${p50('drawn')}, max ${max('frame')} / ${max('drawn')} (busy p50 ${p50('busy')})`);
}
const heapVisited = mb();

// ---- 2. churn ----
let rv = 10_000_000;
let recreated = 0;
function change(): void {
  const pods = store.list('pods');
  const keys = podKeys;
  const at = Math.floor(Math.random() * keys.length);
  const key = keys[at]!;
  const p = pods.get(key);
  if (!p) return;
  if (Math.random() < 0.75) {
    const ready = !(p.status.containerStatuses?.[0]?.ready ?? true);
    const cs = (p.status.containerStatuses ?? []).map((c, i) => (i === 0 ? { ...c, ready, restartCount: (c.restartCount ?? 0) + (ready ? 0 : 1) } : c));
    const conditions = (p.status.conditions ?? []).map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: ready ? 'True' : 'False' } : c));
    store.upsert('pods', { ...p, metadata: { ...p.metadata, resourceVersion: String(rv++) }, status: { ...p.status, containerStatuses: cs, conditions } } as Pod);
  } else {
    store.remove('pods', key);
    const name = `${p.metadata.name}-r${recreated++}`;
    const np = { ...p, metadata: { ...p.metadata, name, uid: `${p.metadata.uid}-r${recreated}`, resourceVersion: String(rv++) } } as Pod;
    store.upsert('pods', np);
    keys[at] = `${np.metadata.namespace}/${name}`;
  }
}
const podKeys = [...store.list('pods').keys()];

// ---- 2. idle ----
{
  t.stdin.write('2');
  await sleep(500);
  const f0 = t.frames.length;
  const e0 = performance.eventLoopUtilization();
  for (let s = 0; s < 5; s++) {
    store.setState('pods', { lastSyncAt: Date.now() });
    store.flush();
    await sleep(1000);
  }
  console.log('\nidle (pods view, quiet cluster, a bookmark a second)');
  line('  renders per second', `${f((t.frames.length - f0) / 5)} (busy ${f(performance.eventLoopUtilization(e0).active / 5)} ms/s)`);
}

console.log('\nchurn (busy ms per batch: notice + selectors + render + frame)');
for (const v of VIEWS) {
  t.stdin.write(v.key);
  await sleep(400);
  await session?.post('Profiler.start');
  const small: number[] = [];
  for (let b = 0; b < 30; b++) {
    small.push(
      await busy(() => {
        for (let i = 0; i < 66; i++) change();
        store.flush();
      }, 40),
    );
  }
  const burst = await busy(() => {
    for (let i = 0; i < 2000; i++) change();
    store.flush();
  }, 300);
  if (session) fs.writeFileSync(`${profileDir}/churn-${v.name}.cpuprofile`, JSON.stringify((await session.post('Profiler.stop')).profile));
  line(`  ${v.name}`, `66-event batch p50 ${f(pct(small, 50))} / p99 ${f(pct(small, 99))} ms · 2,000-event batch ${f(burst)} ms`);
}

console.log('\nheap (after a full GC)');
line('  store filled', `${heapMounted} MB with the App mounted`);
line('  after visiting every view', `${heapVisited} MB`);
line('  after churn', `${mb()} MB`);
console.log(`\nload ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
t.unmount();
store.close();
process.exit(0);
