// View switch and churn cost of the feature views on a generated cluster (150,000 pods over
// 5,000 nodes by default). Prints figures; asserts nothing.
//
//   npx tsx --expose-gc test/bench/views.ts [--pods 150000] [--nodes 5000] [--rounds 3]
//
// The whole App is mounted with ink-testing-library (140x40) on a ClusterStore filled from the
// sim's generator through lean.ts, as the reflectors fill it. Then:
// 1. view switches: the view's key ("1".."5"), time until its title is on screen, and the
//    event-loop busy time it cost; first visits (cold) and later visits (warm) apart;
// 2. churn on each view: 30 batches of 66 pod changes (2,000 events/s coalesced at ~30 Hz:
//    readiness flips, delete + recreate) then one burst of 2,000 changes in one batch; the
//    event-loop busy time per batch (store notice + selectors + React + Ink frame);
// 3. heap after the store is filled, after the views were visited, and after churn.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import React from 'react';
import { render } from 'ink-testing-library';
import { leanObject } from '../../src/kube/lean.js';
import { RESOURCE_KINDS, type Pod } from '../../src/kube/types.js';
import { loadKeymap } from '../../src/keys/keymap.js';
import { loadScenario } from '../../src/sim/scenarios/index.js';
import { Store } from '../../src/sim/store.js';
import { ClusterStore } from '../../src/store/clusterStore.js';
import { App, type ContextSource } from '../../views/App.js';

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

console.log(`kfleet views bench · ${N_PODS.toLocaleString('en-US')} pods / ${N_NODES.toLocaleString('en-US')} nodes · node ${process.version} · load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);

/** The generator leaves workload status empty (no controllers run here): mark them rolled out. */
function settled(kind: string, o: any): unknown {
  if (kind !== 'deployments') return o;
  const n = o.spec.replicas ?? 1;
  const conditions = [
    { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
    { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
  ];
  return { ...o, status: { observedGeneration: o.metadata.generation ?? 1, replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n, conditions } };
}

// ---- cluster ----
let t0 = performance.now();
const store = new ClusterStore(1e9); // notices only on flush(): the bench times each batch itself
{
  const sim = new Store({ seed: 42 });
  loadScenario(sim, { scenario: 'generated', pods: N_PODS, nodes: N_NODES });
  for (const kind of RESOURCE_KINDS) {
    let items: unknown[] = [];
    try {
      items = sim.list(kind);
    } catch {
      continue;
    }
    for (const o of items) store.upsert(kind, leanObject(kind, settled(kind, o) as never));
    store.setState(kind, { phase: 'synced', loaded: store.size(kind), stale: false, lastSyncAt: Date.now() });
  }
  store.setConnection({ context: 'bench', server: 'https://bench.example:6443', phase: 'connected' });
  store.flush();
}
line(`store filled (${store.size('pods').toLocaleString('en-US')} pods)`, `${f(performance.now() - t0)} ms, heap ${mb()} MB`);

const contexts: ContextSource = {
  contexts: [{ name: 'bench' }],
  currentName: 'bench',
  previous: undefined,
  namespace: undefined,
  current: { store, retryNow: () => undefined },
  switchTo: () => undefined,
  switchBack: () => undefined,
  setNamespace: () => undefined,
  onSwitch: () => () => undefined,
};

/** Event-loop busy time (ms) of what `fn` starts, until the loop is idle for `quietMs`. */
async function busy(fn: () => void, quietMs = 150): Promise<number> {
  const e0 = performance.eventLoopUtilization();
  fn();
  await sleep(quietMs);
  return performance.eventLoopUtilization(e0).active;
}

const VIEWS = [
  { key: '1', name: 'nodes', title: /Nodes — / },
  { key: '2', name: 'pods', title: /pods · sort/ },
  { key: '3', name: 'volumes', title: /Volume conflicts — / },
  { key: '4', name: 'rollouts', title: /Rollouts — / },
  { key: '5', name: 'events', title: /Events — / },
];

const t = render(React.createElement(App, { contexts, keymap: loadKeymap(), width: 140, height: 40, initialView: 'events', onExit: () => undefined }));
await sleep(300);
const heapMounted = mb();

// BENCH_PROFILE=DIR writes CPU profiles there: warm view switches, and each view's churn.
const profileDir = process.env.BENCH_PROFILE;
const session = profileDir ? new Session() : undefined;
session?.connect();
await session?.post('Profiler.enable');

// ---- 1. view switches ----
const cold = new Map<string, { latency: number; busy: number }>();
const warm = new Map<string, { latency: number[]; busy: number[] }>();
for (let round = 0; round <= ROUNDS; round++) {
  if (round === 1) await session?.post('Profiler.start');
  for (const v of VIEWS) {
    gc();
    const e0 = performance.eventLoopUtilization();
    const start = performance.now();
    t.stdin.write(v.key);
    let latency = NaN;
    // Poll for the view's own frame (a frame that is not the previous view's).
    for (let i = 0; i < 2000; i++) {
      await new Promise((r) => setImmediate(r));
      const screen = t.lastFrame() ?? '';
      if (v.title.test(screen.split('\n').slice(2).join('\n'))) {
        latency = performance.now() - start;
        break;
      }
    }
    await sleep(150);
    const cost = performance.eventLoopUtilization(e0).active;
    if (round === 0) cold.set(v.name, { latency, busy: cost });
    else {
      const w = warm.get(v.name) ?? { latency: [], busy: [] };
      w.latency.push(latency);
      w.busy.push(cost);
      warm.set(v.name, w);
    }
  }
}
if (session) fs.writeFileSync(`${profileDir}/switch-warm.cpuprofile`, JSON.stringify((await session.post('Profiler.stop')).profile));
console.log('\nview switch (key -> frame with the view; busy = event-loop active ms incl. background slices)');
for (const v of VIEWS) {
  const c = cold.get(v.name)!;
  const w = warm.get(v.name)!;
  line(`  ${v.name}`, `first ${f(c.latency)} ms (busy ${f(c.busy)}) · again p50 ${f(pct(w.latency, 50))} / max ${f(Math.max(...w.latency))} ms (busy p50 ${f(pct(w.busy, 50))})`);
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
