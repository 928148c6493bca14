// src/app/heapGrowth.ts: which V8 heap-growth flag kfleet sets at start. (What the factor does
// is measured by `npm run bench`, not here: README "Performance".)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_HEAP_GROWING_PERCENT, heapGrowthFlag } from '../../src/app/heapGrowth.js';

test('by default the heap grows by a fixed factor of 2 between full GCs', () => {
  assert.equal(DEFAULT_HEAP_GROWING_PERCENT, 100);
  assert.equal(heapGrowthFlag({}, []), '--heap-growing-percent=100');
  assert.equal(heapGrowthFlag({ NODE_OPTIONS: '--max-old-space-size=4096' }, ['--enable-source-maps']), '--heap-growing-percent=100');
});

test("the operator's own flag wins, in NODE_OPTIONS or on node's command line", () => {
  assert.equal(heapGrowthFlag({ NODE_OPTIONS: '--heap-growing-percent=30' }, []), undefined);
  assert.equal(heapGrowthFlag({ NODE_OPTIONS: '--max-old-space-size=4096 --heap_growing_percent=30' }, []), undefined);
  assert.equal(heapGrowthFlag({}, ['--heap-growing-percent=50']), undefined);
});

test('KFLEET_HEAP_GROWING_PERCENT sets another factor, 0 leaves V8 its own heuristics', () => {
  assert.equal(heapGrowthFlag({ KFLEET_HEAP_GROWING_PERCENT: '50' }, []), '--heap-growing-percent=50');
  assert.equal(heapGrowthFlag({ KFLEET_HEAP_GROWING_PERCENT: '' }, []), '--heap-growing-percent=100');
  for (const v of ['0', '-5', '1.5', 'lots']) assert.equal(heapGrowthFlag({ KFLEET_HEAP_GROWING_PERCENT: v }, []), undefined, v);
});
