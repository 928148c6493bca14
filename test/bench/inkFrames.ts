// Allocation of Ink's frames (issue 9): the pods view of a generated cluster under churn,
// drawn with Ink's own Output.get() and with kfleet's (src/app/inkFrameRows.ts), the
// cross-frame caches on for both. Prints figures; asserts nothing.
//
//   npx tsx test/bench/inkFrames.ts [--pods 10000] [--frames 200]
//
// The App is mounted with ink-testing-library (120x40, every commit is a frame) on a store
// filled from the sim's generator; each step changes 66 pods near the top of the tree (a
// readiness flip: ~2,000 events/s coalesced at ~30 Hz) and every tenth moves the cursor.
// Allocation is a sampling heap profile (objects young and full GCs collected included),
// per frame, in all and under Output.get().
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { inkCacheStats, installInkCaches, setInkFrameRows } from '../../src/app/inkCaches.js';
import { frameRowStats } from '../../src/app/inkFrameRows.js';
import type { Pod } from '../../src/kube/types.js';

process.env.NODE_ENV ??= 'production';
await installInkCaches();
const { default: React } = await import('react');
const { render } = await import('ink-testing-library');
const { App } = await import('../../views/App.js');
const { loadKeymap } = await import('../../src/keys/keymap.js');
const { generatedCluster, singleContext } = await import('../helpers/generatedCluster.js');
process.env.COLUMNS = '120';
process.env.LINES = '40';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const N_PODS = arg('--pods', 10_000);
const FRAMES = arg('--frames', 200);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const KB = (b: number) => `${(b / 1024).toFixed(0)} KB`;

const store = generatedCluster({ pods: N_PODS, nodes: Math.max(1, Math.round(N_PODS / 30)), synced: true, context: 'bench' });
const t = render(React.createElement(App, { contexts: singleContext(store, 'bench'), keymap: loadKeymap(), width: 120, height: 40, initialView: 'pods', onExit: () => undefined }));
await sleep(1500);

let rv = 10_000_000;
const keys = [...store.list('pods').keys()];
function churn(n: number): void {
  for (let i = 0; i < n; i++) {
    const p = store.get('pods', keys[Math.floor(Math.random() * 300)]!)!;
    const ready = !(p.status.containerStatuses?.[0]?.ready ?? true);
    const cs = (p.status.containerStatuses ?? []).map((c, j) => (j === 0 ? { ...c, ready } : c));
    store.upsert('pods', { ...p, metadata: { ...p.metadata, resourceVersion: String(rv++) }, status: { ...p.status, containerStatuses: cs } } as Pod);
  }
  store.flush();
}

console.log(`Ink frames · pods view 120x40 · ${N_PODS.toLocaleString('en-US')} pods · ${FRAMES} steps of 66 changes · node ${process.version}`);
const session = new Session();
session.connect();
for (const rows of [false, true, false, true]) {
  setInkFrameRows(rows);
  for (let i = 0; i < 20; i++) {
    churn(66);
    await sleep(5);
  }
  const f0 = t.frames.length;
  const s0 = { ...frameRowStats, tokenized: inkCacheStats.linesTokenized };
  await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  const t0 = performance.now();
  for (let i = 0; i < FRAMES; i++) {
    churn(66);
    if (i % 10 === 0) t.stdin.write(i % 20 ? 'j' : 'k');
    await sleep(2);
  }
  const wall = performance.now() - t0;
  const { profile } = await session.post('HeapProfiler.stopSampling');
  let total = 0;
  let output = 0;
  const walk = (n: typeof profile.head, inOutput: boolean) => {
    const here = inOutput || /ink\/build\/output\.js|app\/inkFrameRows/.test(n.callFrame.url);
    total += n.selfSize;
    if (here) output += n.selfSize;
    for (const c of n.children) walk(c, here);
  };
  walk(profile.head, false);
  const frames = t.frames.length - f0;
  console.log(
    `${rows ? "kfleet's get()" : "Ink's get()   "}: ${frames} frames, allocated per frame ${KB(total / frames)}, under Output.get ${KB(output / frames)}; ` +
      `wall ${(wall / frames).toFixed(1)} ms/frame; rows built ${frameRowStats.rowsBuilt - s0.rowsBuilt}, reused ${frameRowStats.rowsReused - s0.rowsReused}; lines tokenized ${inkCacheStats.linesTokenized - s0.tokenized}`,
  );
}
t.unmount();
store.close();
process.exit(0);
