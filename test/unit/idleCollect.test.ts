// Full GCs in idle time (src/app/idleCollect.ts): asked for after IDLE_SECONDS of an idle event
// loop once the heap has grown enough since the last full GC; never while the loop is busy.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { collectWhenIdle, IDLE_ELU, IDLE_GROWTH_MIN, IDLE_SECONDS, type HeapProbe } from '../../src/app/idleCollect.js';

const MB = 2 ** 20;

function fakeProbe(heap: number) {
  const p = { heap, busy: 0, gcListeners: [] as (() => void)[] };
  const probe: HeapProbe = {
    heapUsed: () => p.heap,
    busyShare: () => p.busy,
    afterEveryMajorGc: (fn) => void p.gcListeners.push(fn),
  };
  /** A full GC that leaves `left` bytes in use. */
  const majorGc = (left: number) => {
    p.heap = left;
    for (const fn of p.gcListeners) fn();
  };
  return { p, probe, majorGc };
}

test('one full GC asked for after an idle spell, once the heap has grown; none while busy', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const { p, probe, majorGc } = fakeProbe(250 * MB);
    let asked = 0;
    const stop = collectWhenIdle(probe, () => asked++);
    const seconds = (n: number) => mock.timers.tick(n * 1000);

    p.busy = 0.3; // keys, a poll, churn
    p.heap = 400 * MB;
    seconds(30);
    assert.equal(asked, 0, 'never while the loop is busy');

    p.busy = IDLE_ELU / 2;
    seconds(IDLE_SECONDS - 1);
    assert.equal(asked, 0, 'not before IDLE_SECONDS idle');
    seconds(1);
    assert.equal(asked, 1, '150 MB grown, idle: asked');
    seconds(20);
    assert.equal(asked, 1, 'asked once until the GC comes');

    majorGc(260 * MB);
    p.heap = 280 * MB; // 20 MB: under 10 % of the 260 left
    seconds(20);
    assert.equal(asked, 1, 'not for a growth under 10 % of what the last GC left');
    p.heap = 290 * MB; // 30 MB
    seconds(1);
    assert.equal(asked, 2);

    stop();
    majorGc(100 * MB);
    p.heap = 400 * MB;
    seconds(10);
    assert.equal(asked, 2, 'stopped');
  } finally {
    mock.timers.reset();
  }
});

test('a busy second restarts the idle count; a small heap needs IDLE_GROWTH_MIN', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const { p, probe } = fakeProbe(20 * MB);
    let asked = 0;
    collectWhenIdle(probe, () => asked++);
    const seconds = (n: number) => mock.timers.tick(n * 1000);
    p.heap = 20 * MB + IDLE_GROWTH_MIN - MB; // 15 MB: > 10 % of 20, < the minimum
    seconds(10);
    assert.equal(asked, 0, 'under IDLE_GROWTH_MIN');
    p.busy = 1;
    seconds(1);
    p.heap = 20 * MB + IDLE_GROWTH_MIN;
    for (let i = 0; i < 5; i++) {
      p.busy = 0;
      seconds(IDLE_SECONDS - 1);
      p.busy = IDLE_ELU; // a key's second
      seconds(1);
    }
    assert.equal(asked, 0, 'idle spells shorter than IDLE_SECONDS');
    p.busy = 0;
    seconds(IDLE_SECONDS);
    assert.equal(asked, 1);
  } finally {
    mock.timers.reset();
  }
});
