// A metrics poll's table: successive polls share their pods' slots, yet each table keeps its
// own figures; quantities read on the fast path equal the exact BigInt parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LeanPodMetrics } from '../../src/kube/types.js';
import { deadSlotsAllowed, PodMetricsTable } from '../../src/model/podMetricsTable.js';
import { parseQuantityOr, quantityNumber } from '../../src/model/quantity.js';

const lean = (...cs: [string, number, number][]): LeanPodMetrics => ({ containers: cs.map((c) => c[0]), usage: cs.flatMap((c) => [c[1], c[2]]) });

test('hand-checked: figures by pod, sums, and a pod without metrics', () => {
  const t = PodMetricsTable.of([
    ['a/web-1', lean(['app', 250_000_000, 64 * 2 ** 20], ['side', 1_000_000, 1024])],
    ['b/db-0', lean(['db', 1_500_000, 2 ** 31])],
  ]);
  assert.equal(t.size, 2);
  assert.deepEqual([...t.keys()], ['a/web-1', 'b/db-0']);
  assert.equal(t.cpu('a/web-1'), 251_000_000);
  assert.equal(t.memory('a/web-1'), 67_109_888);
  assert.deepEqual(t.containers('a/web-1'), ['app', 'side']);
  assert.deepEqual([t.containerAt(t.slotOf('a/web-1'), 1, 0), t.containerAt(t.slotOf('a/web-1'), 1, 1)], [1_000_000, 1024]);
  assert.deepEqual(t.get('b/db-0'), lean(['db', 1_500_000, 2 ** 31]));
  assert.equal(t.has('c/none'), false);
  assert.equal(t.cpu('c/none'), 0);
  assert.equal(t.get('c/none'), undefined);
});

test('successive polls: each table keeps its own figures while later ones reuse and add slots', () => {
  const polls: Map<string, LeanPodMetrics>[] = [];
  const tables: PodMetricsTable[] = [];
  let previous = PodMetricsTable.EMPTY;
  for (let round = 0; round < 12; round++) {
    const m = new Map<string, LeanPodMetrics>();
    // Pods come and go: pod i has metrics in rounds where (i + round) % 5 !== 0; new pods appear.
    for (let i = 0; i < 300 + 100 * round; i++) {
      if ((i + round) % 5 === 0) continue;
      m.set(`ns/p-${i}`, i % 7 === 0 ? lean(['a', i + round, 2 * i], ['b', round, 1]) : lean(['a', i * 1000 + round, i * 4096]));
    }
    previous = PodMetricsTable.of(m, previous);
    polls.push(m);
    tables.push(previous);
  }
  // Every table answers what its poll said, after all later ones were built.
  tables.forEach((t, round) => {
    const m = polls[round]!;
    assert.equal(t.size, m.size, `round ${round}`);
    assert.deepEqual(new Set(t.keys()), new Set(m.keys()), `round ${round}`);
    for (let i = 0; i < 1500; i++) assert.deepEqual(t.get(`ns/p-${i}`), m.get(`ns/p-${i}`), `round ${round} pod ${i}`);
  });
  // sameFor compares one pod's figures across tables.
  const [t0, t1] = tables;
  assert.equal(t0!.sameFor(t1!, 'ns/p-1'), false); // both have it, figures differ
  assert.equal(t0!.sameFor(t1!, 'ns/p-0'), false); // only t1 has it
  assert.equal(t0!.sameFor(t0!, 'ns/p-1'), true);
  assert.equal(t0!.sameFor(t1!, 'ns/p-9999'), true); // neither has it
  assert.equal(PodMetricsTable.of([['x/y', lean(['a', 1, 2])]]).sameFor(PodMetricsTable.of([['x/y', lean(['a', 1, 2])]]), 'x/y'), true);
  assert.equal(PodMetricsTable.of([['x/y', lean(['a', 1, 2])]]).sameFor(PodMetricsTable.of([['x/y', lean(['c', 1, 2])]]), 'x/y'), false);
});

test('when most slots are for pods gone, the next table starts a fresh slot map', () => {
  const many = PodMetricsTable.of(Array.from({ length: 10_000 }, (_, i): [string, LeanPodMetrics] => [`ns/old-${i}`, lean(['a', i, i])]));
  const few = PodMetricsTable.of([['ns/new-0', lean(['a', 5, 6])]], many);
  assert.equal(few.slots.index.size, 10_001); // still shared: the table before had 10,000 pods
  const next = PodMetricsTable.of([['ns/new-0', lean(['a', 7, 8])]], few);
  assert.equal(next.slots.index.size, 1);
  assert.deepEqual(next.get('ns/new-0'), lean(['a', 7, 8]));
  assert.deepEqual(few.get('ns/new-0'), lean(['a', 5, 6]));
  assert.equal(many.cpu('ns/old-9999'), 9999);
  assert.equal(few.sameFor(next, 'ns/new-0'), false);
  assert.equal(few.sameFor(next, 'ns/old-1'), true); // in neither
});

test('a poll of mostly new pods (churn) moves to a fresh slot map once they pass the allowance: the shared one stops growing', () => {
  const pods = 20_000;
  const allowed = deadSlotsAllowed(pods); // 2,500 + 4,096
  assert.equal(allowed, 6596);
  const first = PodMetricsTable.of(Array.from({ length: pods }, (_, i): [string, LeanPodMetrics] => [`ns/old-${i}`, lean(['a', i, 2 * i])]));
  // The next poll: the first 5,000 pods stay (in the same order), 15,000 are new, interleaved.
  const entries: [string, LeanPodMetrics][] = [];
  for (let i = 0; i < pods; i++) entries.push(i % 4 === 0 ? [`ns/old-${i}`, lean(['a', i + 1, 2 * i])] : [`ns/new-${i}`, lean(['b', 3 * i, 4 * i])]);
  const second = PodMetricsTable.of(entries, first);
  // The shared map took the allowance of new keys and no more; the new table's map holds its pods only.
  assert.equal(first.slots.index.size, pods + allowed);
  assert.notEqual(second.slots, first.slots);
  assert.equal(second.slots.index.size, pods);
  assert.equal(second.slots.keys.length, pods);
  assert.equal(second.size, pods);
  for (const [key, m] of entries) assert.deepEqual(second.get(key), m, key);
  // The first table still reads its own figures, and has none for the new pods.
  for (let i = 0; i < pods; i += 97) assert.deepEqual(first.get(`ns/old-${i}`), lean(['a', i, 2 * i]));
  assert.equal(first.get('ns/new-1'), undefined);
  assert.equal(first.sameFor(second, 'ns/old-0'), false); // 0 → 1 nanocores
  assert.equal(first.sameFor(second, 'ns/old-1'), false); // gone in the second
  assert.equal(second.sameFor(first, 'ns/new-2'), false); // new in the second
  // A third poll of the same pods shares the second's map (nothing gone), adding nothing.
  const third = PodMetricsTable.of(entries, second);
  assert.equal(third.slots, second.slots);
  assert.equal(second.slots.index.size, pods);
  assert.equal(third.sameFor(second, 'ns/new-2'), true);
});

test('quantityNumber equals the exact parse, on the fast path and off it', () => {
  const cpu = ['250m', '1500000n', '1', '2', '0', '3u', '1k', '123456789012345n', '999999999999999m', '1.5', '100e-3', '2Ki', '-1', 'junk', '', '0.1m', '7M'];
  const memory = ['64Mi', '2Gi', '1024', '1Ki', '5k', '3M', '1G', '1Ti', '2T', '1500m', '0.5Ki', '1e3', '999999999999999Ti', '12Pi', 'junk', '0'];
  for (const q of cpu) assert.equal(quantityNumber(q, 'nano'), Number(parseQuantityOr(q)), `cpu ${q}`);
  for (const q of memory) assert.equal(quantityNumber(q, 'unit'), Number(parseQuantityOr(q) / 1_000_000_000n), `memory ${q}`);
  assert.equal(quantityNumber(undefined, 'nano'), 0);
  assert.equal(quantityNumber('64Mi', 'unit'), 67_108_864);
  assert.equal(quantityNumber('250m', 'nano'), 250_000_000);
});
