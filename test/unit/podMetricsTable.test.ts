// A metrics poll's table: each table keeps its own figures and finds every pod by key, in any
// answer order; a poll of the same pods in the same order shares the last table's keys;
// quantities read on the fast path equal the exact BigInt parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LeanPodMetrics } from '../../src/kube/types.js';
import { PodMetricsTable } from '../../src/model/podMetricsTable.js';
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

test('the same pods in the same order share the keys; any other poll has its own', () => {
  const entries = (round: number, keys: string[]) => keys.map((k): [string, LeanPodMetrics] => [k, lean(['a', Number(k.slice(5)) + round, 2 * Number(k.slice(5))])]);
  const keys = Array.from({ length: 1000 }, (_, i) => `ns/p-${String(i).padStart(4, '0')}`);
  const first = PodMetricsTable.of(entries(0, keys));
  const second = PodMetricsTable.of(entries(1, keys), first);
  assert.ok(second.sharesSlots(first));
  assert.equal(second.slotOf('ns/p-0500'), first.slotOf('ns/p-0500'));
  assert.equal(first.cpu('ns/p-0500'), 500);
  assert.equal(second.cpu('ns/p-0500'), 501);
  assert.equal(second.sameFor(first, 'ns/p-0500'), false);
  // One pod gone: not the same keys.
  const third = PodMetricsTable.of(entries(1, keys.filter((k) => k !== 'ns/p-0007')), second);
  assert.equal(third.sharesSlots(second), false);
  assert.equal(third.size, 999);
  assert.equal(third.has('ns/p-0007'), false);
  assert.equal(third.slotKeys[500], second.slotKeys[501], 'ns/p-0501');
  assert.equal(third.sameFor(second, 'ns/p-0501'), true); // same figures, other slots
  assert.equal(third.sameFor(second, 'ns/p-0007'), false); // gone
  // Nothing at all, then pods again.
  const none = PodMetricsTable.of([], third);
  assert.equal(none.size, 0);
  assert.equal(none.cpu('ns/p-0001'), 0);
  assert.deepEqual(PodMetricsTable.of(entries(2, keys), none).get('ns/p-0999'), lean(['a', 1001, 1998]));
});

test('a poll of mostly new pods (churn), in metrics-server\'s order: every pod found, the earlier tables read their own figures', () => {
  // metrics-server sorts by namespace, then name: namespace "team" before "team-a", although
  // the key "team-a/…" sorts before "team/…" as a string: the table is not in key order.
  const pods = 20_000;
  const nsOf = (i: number) => ['team', 'team-a', 'team-ab', 'u'][i % 4]!;
  const answer = (keys: [string, string][]) => keys.sort((x, y) => (x[0] === y[0] ? (x[1] < y[1] ? -1 : 1) : x[0] < y[0] ? -1 : 1)).map(([ns, n]) => `${ns}/${n}`);
  const firstKeys = answer(Array.from({ length: pods }, (_, i): [string, string] => [nsOf(i), `old-${i}`]));
  assert.notDeepEqual(firstKeys, [...firstKeys].sort(), 'the answer is not in key order');
  const first = PodMetricsTable.of(firstKeys.map((k, i): [string, LeanPodMetrics] => [k, lean(['a', i, 2 * i])]));
  // The next poll: a quarter of the pods stay, three quarters are new, interleaved.
  const secondKeys = answer(Array.from({ length: pods }, (_, i): [string, string] => [nsOf(i), i % 4 === 0 ? `old-${i}` : `new-${i}`]));
  const second = PodMetricsTable.of(secondKeys.map((k, i): [string, LeanPodMetrics] => [k, lean(['b', 3 * i, 4 * i])]), first);
  assert.equal(second.size, pods);
  assert.equal(second.sharesSlots(first), false);
  secondKeys.forEach((k, i) => assert.deepEqual(second.get(k), lean(['b', 3 * i, 4 * i]), k));
  firstKeys.forEach((k, i) => assert.deepEqual(first.get(k), lean(['a', i, 2 * i]), k));
  // Keys in neither, before, between and after every key.
  for (const k of ['', '/', 'team/', 'team-a/new-1x', 'team/old-', 'zzz/a', 'team-ab/new-3', 'u/old-3']) {
    assert.equal(second.has(k), secondKeys.includes(k), k);
    assert.equal(first.has(k), firstKeys.includes(k), k);
  }
  assert.equal(first.sameFor(second, 'team/old-0'), false); // both have it, figures differ
  assert.equal(first.sameFor(second, 'team-a/old-1'), false); // gone in the second
  assert.equal(second.sameFor(first, 'team-ab/new-2'), false); // new in the second
  assert.equal(first.sameFor(second, 'team-ab/new-3'), true); // in neither
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
