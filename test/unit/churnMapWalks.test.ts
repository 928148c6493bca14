// ChurnMaps that see the same keys (the store's pods, the pods tree's index, the allocation
// model's pods) walk to their new tables one at a time, each switch is reported (the CLI then
// asks V8 for a full GC), and each still holds what a plain Map holds. Its own file: which map
// walks is module state, and another file's maps must not be mid-walk here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aWalkIsUnderWay, ChurnMap, onTableSwitch } from '../../src/model/churnMap.js';

const key = (i: number) => `ns-${i % 13}/pod-${i}`;

test('three maps churned alike walk one after another, never two at once', () => {
  let reported = 0;
  onTableSwitch(() => reported++);
  const n = 20_000;
  const maps = [new ChurnMap<string, number>(), new ChurnMap<string, number>(), new ChurnMap<string, number>()];
  const plain = new Map<string, number>();
  const write = (f: (m: { set(k: string, v: number): void; delete(k: string): boolean }) => void) => {
    for (const m of maps) f(m);
    f(plain);
  };
  for (let i = 0; i < n; i++) write((m) => m.set(key(i), i));
  let overlaps = 0;
  let walkedAtOnce = 0;
  const walksSeen = new Set<number>();
  // As the bench's churn: of five writes, one deletes a pod, one adds a new one, three update.
  for (let step = 0; step < 60_000; step++) {
    const gone = step;
    const fresh = n + step;
    write((m) => m.delete(key(gone)));
    write((m) => m.set(key(fresh), step));
    for (let u = 1; u <= 3; u++) write((m) => m.set(key(fresh - 97 * u), -step));
    const now = maps.filter((m) => m.walkingNow).length;
    walkedAtOnce = Math.max(walkedAtOnce, now);
    if (now > 1) overlaps++;
    maps.forEach((m, i) => m.walkingNow && walksSeen.add(i));
    assert.equal(aWalkIsUnderWay(), now > 0, `step ${step}`);
  }
  assert.equal(overlaps, 0, 'no two walks at once');
  assert.equal(walkedAtOnce, 1);
  assert.deepEqual([...walksSeen].sort(), [0, 1, 2], 'every map walked');
  const switches = maps.reduce((a, m) => a + m.switches, 0);
  for (const m of maps) assert.ok(m.switches >= 2, `${m.switches} switches`);
  assert.equal(reported, switches, 'every switch reported');
  for (const m of maps) {
    assert.equal(m.size, plain.size);
    assert.deepEqual([...m.map], [...plain]);
  }
});
