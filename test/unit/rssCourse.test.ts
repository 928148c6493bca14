// The bench's reading of RSS under churn (test/bench/rssCourse.ts), on hand-computed samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { highestPerQuarter, trendSecondHalfMBPerMin } from '../bench/rssCourse.js';

test('the highest sample of each quarter, a sample on a boundary in both', () => {
  const s = [0, 10, 20, 30, 40, 50, 60, 70, 80].map((t, i) => ({ t, mb: [400, 450, 430, 470, 460, 455, 480, 440, 465][i]! }));
  // quarters of 80 s: [0,20] [20,40] [40,60] [60,80]
  assert.deepEqual(highestPerQuarter(s), [450, 470, 480, 480]);
  assert.deepEqual(highestPerQuarter([]), [], 'no churn, no samples');
  // samples at 0, 4 and 12 s: the quarter [3,6] has one, [6,9] none
  assert.deepEqual(highestPerQuarter([{ t: 0, mb: 1 }, { t: 4, mb: 2 }, { t: 12, mb: 3 }]), [1, 2, undefined, 3]);
});

test('the trend over the second half, MB a minute', () => {
  // second half of 120 s: t 60..120, rising 1 MB every 10 s = 6 MB/min, whatever the first half did
  const rising = [0, 20, 40, 60, 70, 80, 90, 100, 110, 120].map((t) => ({ t, mb: t < 60 ? 300 : 500 + (t - 60) / 10 }));
  assert.equal(Math.round(trendSecondHalfMBPerMin(rising)! * 1000) / 1000, 6);
  // a sawtooth around a level: 0
  const level = [60, 70, 80, 90, 100, 110, 120].map((t, i) => ({ t, mb: [500, 520, 500, 520, 500, 520, 500][i]! }));
  assert.equal(trendSecondHalfMBPerMin([{ t: 0, mb: 100 }, ...level.map((x) => ({ ...x }))]), 0);
  assert.equal(trendSecondHalfMBPerMin([{ t: 0, mb: 1 }, { t: 5, mb: 2 }]), undefined, 'too few samples');
});
