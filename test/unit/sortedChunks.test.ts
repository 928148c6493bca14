// SortedChunks (views/selectors/sortedKeys.ts): the pod list's order under adds and deletes,
// checked against a plain sorted array after every step; chunks split and go away as they fill
// and empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_KEYS, SortedChunks, compareKeys } from '../../views/selectors/sortedKeys.js';

/** A small deterministic generator (the same run every time). */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test("keys come out in kubectl's order: namespace first, then name", () => {
  const list = new SortedChunks();
  for (const k of ['b/a', 'a/z', 'a-b/c', 'a/b', 'ns/pod-10', 'ns/pod-9']) assert.equal(list.add(k), true);
  assert.deepEqual(list.toArray(), ['a/b', 'a/z', 'a-b/c', 'b/a', 'ns/pod-10', 'ns/pod-9']);
  assert.equal(list.add('a/z'), false, 'a key that is there already is not added twice');
  assert.equal(list.delete('x/y'), false);
  assert.equal(list.delete('a/c'), false, 'a key that is not there is not deleted');
  assert.equal(list.toArray().length, 6);
});

test('compareKeys orders as comparing the namespace and then the name as strings', () => {
  // The definition, with the parts sliced out (what compareKeys did before it compared in place).
  const bySlices = (a: string, b: string) => {
    const ia = a.indexOf('/');
    const ib = b.indexOf('/');
    const na = ia < 0 ? '' : a.slice(0, ia);
    const nb = ib < 0 ? '' : b.slice(0, ib);
    if (na !== nb) return na < nb ? -1 : 1;
    const ra = a.slice(ia + 1);
    const rb = b.slice(ib + 1);
    return ra < rb ? -1 : ra > rb ? 1 : 0;
  };
  const next = rng(11);
  const alphabet = ['a', 'b', '-', '.', '0', '9', 'z', '/', 'é', '\u{1F600}'];
  const word = () => Array.from({ length: Math.floor(next() * 6) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  const keys = ['', '/', 'a', 'a/', '/a', 'ab/c', 'a/bc', 'a-b/c', 'ns/pod-9', 'ns/pod-10', 'ns/pod-1'];
  for (let i = 0; i < 400; i++) keys.push(word(), `${word()}/${word()}`);
  for (const a of keys) for (const b of keys) assert.equal(compareKeys(a, b), bySlices(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
});

test('random adds and deletes over several chunks match a sorted array after every step', () => {
  const next = rng(7);
  const key = () => `ns-${Math.floor(next() * 7)}/pod-${Math.floor(next() * 5000)}`;
  const start = [...new Set(Array.from({ length: 3 * CHUNK_KEYS }, key))].sort(compareKeys);
  const list = new SortedChunks(start);
  const ref = new Set(start);
  for (let step = 0; step < 6000; step++) {
    const k = key();
    // Mostly adds first (chunks fill and split), then mostly deletes (chunks empty and go).
    const adding = next() < (step < 3000 ? 0.8 : 0.1);
    assert.equal(adding ? list.add(k) : list.delete(k), adding ? !ref.has(k) : ref.has(k), `step ${step}: ${adding ? 'add' : 'delete'} ${k}`);
    if (adding) ref.add(k);
    else ref.delete(k);
    if (step % 500 === 0 || step === 5999) {
      assert.deepEqual(list.toArray(), [...ref].sort(compareKeys), `after step ${step}`);
    }
  }
  for (const k of [...ref]) assert.equal(list.delete(k), true);
  assert.deepEqual(list.toArray(), []);
  assert.equal(list.add('z/last'), true, 'an emptied list takes keys again');
  assert.deepEqual(list.toArray(), ['z/last']);
});

test('a chunk splits when it reaches twice the chunk size: an add moves at most that many keys', () => {
  const list = new SortedChunks(Array.from({ length: CHUNK_KEYS }, (_, i) => `ns/p-${String(i).padStart(6, '0')}`));
  const chunks = () => (list as unknown as { chunks: string[][] }).chunks;
  assert.equal(chunks().length, 1);
  for (let i = 0; i < CHUNK_KEYS; i++) list.add(`ns/p-${String(i).padStart(6, '0')}x`);
  assert.equal(chunks().length, 2);
  assert.ok(chunks().every((c) => c.length <= 2 * CHUNK_KEYS && c.length > 0));
  assert.equal(list.toArray().length, 2 * CHUNK_KEYS);
});
