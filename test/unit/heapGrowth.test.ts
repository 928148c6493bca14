// The heap growth factor (src/app/heapGrowth.ts): set once, after the pods are synced; and the
// V8 flag exists in the Node that runs kfleet (V8 prints an unknown flag's error straight to
// the terminal, over the UI).
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { HEAP_GROWING_PERCENT, fixHeapGrowthOnceSynced } from '../../src/app/heapGrowth.js';
import type { SyncPhase } from '../../src/store/clusterStore.js';

test("this Node's V8 has --heap-growing-percent", () => {
  const out = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
  assert.match(out, /--heap-growing-percent \(specifies heap growing factor/);
});

test('set once the pods are synced, and only once', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    let phase: SyncPhase | undefined;
    const set: string[] = [];
    fixHeapGrowthOnceSynced(() => phase, (f) => set.push(f));
    mock.timers.tick(3000);
    phase = 'listing';
    mock.timers.tick(3000);
    assert.deepEqual(set, [], 'not while no store or listing');
    phase = 'synced';
    mock.timers.tick(1000);
    phase = 'relisting';
    mock.timers.tick(1000);
    phase = 'synced';
    mock.timers.tick(5000);
    assert.deepEqual(set, [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  } finally {
    mock.timers.reset();
  }
});
