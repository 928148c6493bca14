import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BucketSet } from '../../src/store/bucketSet.js';

/** A small seeded generator: the same churn every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Churn `n` buckets of `size` keys: `rounds` times take a random key out and put a new one in. */
function churn(n: number, size: number, rounds: number, add: (b: number, k: string) => void, del: (b: number, k: string) => void, rnd = random(7)) {
  const live = Array.from({ length: n }, () => [] as string[]);
  let next = 0;
  for (let b = 0; b < n; b++) for (let i = 0; i < size; i++) {
    const k = `ns/pod-${next++}`;
    live[b]!.push(k);
    add(b, k);
  }
  return {
    live,
    run() {
      for (let r = 0; r < rounds; r++) {
        const b = Math.floor(rnd() * n);
        const keys = live[b]!;
        if (keys.length > 0 && rnd() < 0.5 + (keys.length - size) / 8) {
          const [k] = keys.splice(Math.floor(rnd() * keys.length), 1);
          del(b, k!);
        } else {
          const k = `ns/pod-${next++}`;
          keys.push(k);
          add(b, k);
        }
      }
    },
  };
}

test('a bucket holds what a Set holds, in the same order, across its copies', () => {
  for (const size of [1, 3, 7, 10, 30, 100, 1000]) {
    const plain: Set<string>[] = [];
    const buckets: BucketSet[] = [];
    let copies = 0;
    const c = churn(20, size, 40_000, (b, k) => {
      (plain[b] ??= new Set()).add(k);
      const kept = (buckets[b] ??= new BucketSet()).with(k);
      if (kept !== buckets[b]) copies++;
      buckets[b] = kept;
    }, (b, k) => {
      assert.equal(buckets[b]!.delete(k), plain[b]!.delete(k));
    });
    c.run();
    for (let b = 0; b < 20; b++) assert.deepEqual([...buckets[b]!], [...plain[b]!], `size ${size}, bucket ${b}`);
    // Copied where a copy leaves an eighth of its table free: 10 keys (16 slots), 100 (128).
    if (size === 10 || size === 100) assert.ok(copies > 0, `size ${size}: no copies`);
    // Adding a key it holds changes nothing.
    const first = [...buckets[0]!][0];
    if (first !== undefined) assert.equal(buckets[0]!.with(first), buckets[0]);
  }
});

test('plain Sets of the pods of a ReplicaSet double their tables under churn; buckets keep their size', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heap = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  // 10,000 owners of 10 pods; 200,000 times one pod of an owner replaced by a new one. What the
  // sets hold in the end is measured by letting them go (the keys stay in `live` and `keys`).
  const owners = 10_000;
  const keys = Array.from({ length: owners * 10 + 200_000 }, (_, i) => ['ns', `pod-${i}`].join('/'));
  // Built and churned in a function of its own: the sets are then held by `box` alone (an
  // optimized frame still running could keep the array in a slot).
  const churned = (plain: boolean) => {
    const live = Array.from({ length: owners }, () => [] as string[]);
    const sets: (Set<string> | BucketSet)[] = Array.from({ length: owners }, () => (plain ? new Set<string>() : new BucketSet()));
    // A bucket replaced by its copy is put in place, as the store does.
    const add = (b: number, k: string) => (plain ? void sets[b]!.add(k) : void (sets[b] = (sets[b] as BucketSet).with(k)));
    let n = 0;
    for (let b = 0; b < owners; b++) for (let i = 0; i < 10; i++) add(b, keys[n]!), live[b]!.push(keys[n++]!);
    for (let r = 0; r < 200_000; r++) {
      const b = (r * 7919) % owners;
      const l = live[b]!;
      const i = r % l.length;
      sets[b]!.delete(l[i]!);
      l[i] = keys[n++]!;
      add(b, l[i]!);
    }
    for (let b = 0; b < owners; b += 97) assert.deepEqual([...sets[b]!].sort(), [...live[b]!].sort());
    return sets;
  };
  const retained = (plain: boolean) => {
    const box: { sets?: unknown } = { sets: churned(plain) };
    const held = heap();
    box.sets = undefined;
    return (held - heap()) / 2 ** 20;
  };
  const plainMB = retained(true);
  const bucketMB = retained(false);
  // A 16-slot table is ~0.35 KB and doubled ~0.66 KB: 10,000 of them ~3 MB more.
  assert.ok(plainMB - bucketMB > 2, `plain Sets hold ${plainMB.toFixed(1)} MB, buckets ${bucketMB.toFixed(1)} MB`);
});
