// The heap growth factor (src/app/heapGrowth.ts): fixed while the synced store takes many
// changes a second, V8's own again after a quiet spell; and the V8 flag exists in the Node that
// runs kfleet (V8 prints an unknown flag's error straight to the terminal, over the UI).
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEveryMajorGc, allocateYoung, BUSY_SECONDS, collectSoon, HEAP_GROWING_PERCENT, QUIET_SECONDS, steerHeapGrowth } from '../../src/app/heapGrowth.js';
import type { ClusterStore, SyncPhase } from '../../src/store/clusterStore.js';

test("this Node's V8 has --heap-growing-percent", () => {
  const out = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
  assert.match(out, /--heap-growing-percent \(specifies heap growing factor/);
});

test("this Node's V8 has --incremental-marking-soft-trigger", () => {
  const out = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
  assert.match(out, /--incremental-marking-soft-trigger \(threshold for starting incremental marking via a task/);
});

test("this Node's V8 has --allocation-site-pretenuring, and allocateYoung turns it off", () => {
  const out = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
  assert.match(out, /--allocation-site-pretenuring \(pretenure with allocation sites\)/);
  const set: string[] = [];
  allocateYoung((f) => set.push(f), {});
  assert.deepEqual(set, ['--no-allocation-site-pretenuring']);
  allocateYoung((f) => set.push(f), { KFLEET_PRETENURE: '1' }); // the switch to compare: V8's default
  assert.equal(set.length, 1);
});

/** A store as the steering reads it: its change counter and the pods' sync phase. */
function fakeStore(phase: SyncPhase) {
  const s = { version: 0, phase, state: () => ({ phase: s.phase }) };
  return s;
}

test('fixed after a few busy seconds of a synced store, freed after a quiet spell', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const flags: string[] = [];
    const store = fakeStore('listing');
    const afterMajorGc: (() => void)[] = [];
    steerHeapGrowth(() => store as unknown as ClusterStore, (f) => flags.push(f), (then) => afterMajorGc.push(then));
    /** `seconds` seconds of `perSecond` changes a second. */
    const run = (seconds: number, perSecond: number) => {
      for (let i = 0; i < seconds; i++) {
        store.version += perSecond;
        mock.timers.tick(1000);
      }
    };
    run(10, 20_000);
    assert.deepEqual(flags, [], 'not while the pods list');
    store.phase = 'synced';
    run(BUSY_SECONDS - 1, 2000);
    run(1, 10);
    run(BUSY_SECONDS - 1, 2000);
    assert.deepEqual(flags, [], 'not for bursts shorter than BUSY_SECONDS');
    run(BUSY_SECONDS, 2000);
    const fixing = [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`, '--incremental-marking-soft-trigger=1'];
    assert.deepEqual(flags, fixing, 'fixed, and a full GC asked for at once to set the limit with it');
    run(2, 2000);
    assert.equal(flags.length, 2, 'the trigger stays until the full GC has come');
    assert.equal(afterMajorGc.length, 1);
    afterMajorGc[0]();
    assert.deepEqual(flags.slice(2), ['--incremental-marking-soft-trigger=0'], "then V8's own trigger is back");
    run(QUIET_SECONDS - 1, 5);
    run(1, 500);
    run(QUIET_SECONDS - 1, 5);
    assert.equal(flags.length, 3, 'a busy second in the quiet spell starts it again');
    run(1, 5);
    assert.deepEqual(flags.slice(3), ['--heap-growing-percent=0']);
    run(BUSY_SECONDS, 2000);
    assert.deepEqual(flags.slice(4), fixing, 'fixed again when the churn comes back');
  } finally {
    mock.timers.reset();
  }
});

test('a context switch does not count the new store’s changes against the old one’s', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const flags: string[] = [];
    const a = fakeStore('synced');
    const b = fakeStore('synced');
    b.version = 1_000_000; // a store that listed a big cluster
    let current = a;
    steerHeapGrowth(() => current as unknown as ClusterStore, (f) => flags.push(f), () => {});
    mock.timers.tick(1000);
    current = b;
    // The switch itself is no busy second: BUSY_SECONDS - 1 busy seconds after it are not enough…
    for (let i = 0; i < BUSY_SECONDS; i++) {
      mock.timers.tick(1000);
      b.version += 2000;
    }
    assert.deepEqual(flags, []);
    // …one more is.
    mock.timers.tick(1000);
    assert.deepEqual(flags, [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`, '--incremental-marking-soft-trigger=1']);
  } finally {
    mock.timers.reset();
  }
});

test('collectSoon asks for one full GC at a time: the trigger, then V8 own after that GC', () => {
  const flags: string[] = [];
  const afterMajorGc: (() => void)[] = [];
  const ask = () => collectSoon((f) => flags.push(f), (then) => afterMajorGc.push(then));
  ask();
  ask(); // a second switch before the GC: that GC is enough
  assert.deepEqual(flags, ['--incremental-marking-soft-trigger=1']);
  assert.equal(afterMajorGc.length, 1);
  afterMajorGc[0]!();
  assert.deepEqual(flags, ['--incremental-marking-soft-trigger=1', '--incremental-marking-soft-trigger=0']);
  ask();
  assert.deepEqual(flags.slice(2), ['--incremental-marking-soft-trigger=1'], 'asked again after it');
  afterMajorGc[1]!();
});

test('afterEveryMajorGc hears every full GC, no young one, and nothing once stopped', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (o?: { type: 'major' | 'minor' }) => void;
  const settle = () => new Promise((r) => setTimeout(r, 50)); // gc entries are delivered asynchronously
  let heard = 0;
  const stop = afterEveryMajorGc(() => heard++);
  gc({ type: 'minor' });
  await settle();
  assert.equal(heard, 0, 'a young GC');
  gc({ type: 'major' });
  await settle();
  gc({ type: 'major' });
  await settle();
  assert.equal(heard, 2);
  stop();
  gc({ type: 'major' });
  await settle();
  assert.equal(heard, 2, 'stopped');
});
