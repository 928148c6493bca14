// ChurnMap (src/model/churnMap.ts): the same entries, in the same order, as a plain Map under
// churn (deletes, new keys, updates), while it replaces its table; and the reason it exists: a
// plain Map of 150,000 keys churned this way ends with a table twice the size, a ChurnMap not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CHURN_MIN_KEYS, ChurnMap, tableCapacity } from '../../src/model/churnMap.js';

/** A small deterministic generator (the same run every time). */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const key = (i: number) => `ns-${i % 13}/pod-${i}`;

test('tables are sized as V8 sizes them: the power of two at or above the keys, at least 4', () => {
  assert.deepEqual([0, 1, 4, 5, 150_000, 131_072, 131_073].map(tableCapacity), [4, 4, 4, 8, 262_144, 131_072, 262_144]);
});

test('under churn it holds what a Map holds, in the same order, across table switches', () => {
  const random = rng(11);
  const churned = new ChurnMap<string, number>();
  const plain = new Map<string, number>();
  const n = 5000;
  for (let i = 0; i < n; i++) {
    churned.set(key(i), i);
    plain.set(key(i), i);
  }
  let next = n;
  const live = [...plain.keys()];
  for (let round = 0; round < 40; round++) {
    for (let op = 0; op < 1000; op++) {
      const r = random();
      if (r < 0.45) {
        // delete a random pod, add a new one (another name): a recreate
        const at = Math.floor(random() * live.length);
        const gone = live[at]!;
        live[at] = key(next);
        assert.equal(churned.delete(gone), plain.delete(gone));
        churned.set(key(next), next);
        plain.set(key(next), next);
        next++;
      } else if (r < 0.9) {
        const k = live[Math.floor(random() * live.length)]!;
        churned.set(k, -op);
        plain.set(k, -op);
      } else {
        assert.equal(churned.delete(`absent/${op}`), false);
        assert.equal(churned.get(`absent/${op}`), undefined);
      }
    }
    assert.equal(churned.size, plain.size);
    assert.deepEqual([...churned.map], [...plain], `round ${round}`);
  }
  assert.ok(churned.switches >= 2, `${churned.switches} table switches in 18,000 recreates of 5,000 keys`);
});

test('small maps never switch (a doubled table of a few keys costs little)', () => {
  const m = new ChurnMap<string, number>();
  for (let i = 0; i < CHURN_MIN_KEYS - 1; i++) m.set(key(i), i);
  for (let i = 0; i < 50_000; i++) {
    m.delete(key(i));
    m.set(key(i + CHURN_MIN_KEYS - 1), i);
  }
  assert.equal(m.switches, 0);
  assert.equal(m.size, CHURN_MIN_KEYS - 1);
});

test('an owner walking the map itself holds the switch off until its walk is done', () => {
  let walking = true;
  const m = new ChurnMap<string, number>(() => !walking);
  for (let i = 0; i < 5000; i++) m.set(key(i), i);
  const before = m.map;
  const walk = before.keys();
  for (let i = 0; i < 20_000; i++) {
    m.delete(key(i));
    m.set(key(i + 5000), i);
  }
  assert.equal(m.switches, 0);
  assert.equal(m.map, before, 'the same table while the owner walks it');
  // The walk sees what a Map iterator sees: every key added meanwhile, none deleted.
  const seen = [...{ [Symbol.iterator]: () => walk }];
  assert.deepEqual(seen, [...Array(5000).keys()].map((i) => key(i + 20_000)));
  walking = false;
  m.set(key(0), -1);
  m.delete(key(0));
  assert.equal(m.switches, 1, 'switched at the first write after the walk');
  assert.notEqual(m.map, before);
  assert.deepEqual([...m.map.keys()], seen);
  assert.deepEqual([...m.map.values()], [...Array(5000).keys()].map((i) => i + 15_000));
});

test('a plain Map of 150,000 keys doubles its table under churn; a ChurnMap keeps its size', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heap = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  const n = 150_000;
  const keys = Array.from({ length: n + 250_000 }, (_, i) => key(i)); // made before measuring
  const grown = (m: { set(k: string, v: number): void; delete(k: string): boolean }): number => {
    for (let i = 0; i < n; i++) m.set(keys[i]!, i);
    const start = heap();
    // 250,000 recreates: past the 112,144 new keys that fill a 262,144-slot table, twice
    for (let i = 0; i < 250_000; i++) {
      m.delete(keys[i]!);
      m.set(keys[n + i]!, i);
    }
    return (heap() - start) / 2 ** 20;
  };
  const plain = new Map<string, number>();
  const plainMB = grown(plain);
  const churned = new ChurnMap<string, number>();
  const churnedMB = grown(churned);
  // Slots of 3 words of 8 bytes: 262,144 more slots are 6 MB, and the buckets 1 MB more.
  assert.ok(plainMB > 5, `a plain Map grew ${plainMB.toFixed(1)} MB`);
  assert.ok(churnedMB < 1.5, `a ChurnMap grew ${churnedMB.toFixed(1)} MB`);
  assert.ok(churned.switches >= 2);
  assert.equal(churned.size, plain.size);
});
