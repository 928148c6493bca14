// views/fuzzyMatch.ts must give exactly what fuzzysort gives (score and indexes), for every
// word and target: the `/` filter's verdicts are fuzzysort's.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fuzzysort from 'fuzzysort';
import { FOUND, fuzzySingle, fuzzyWord, isSubsequence, longestSureMatch, matched, NOT_FOUND } from '../../views/fuzzyMatch.js';
import { pick, rng } from '../unit/modelFixtures.js';

function reference(word: string, target: string): { score: number; indexes: number[] } | null {
  const r = fuzzysort.single(word, fuzzysort.prepare(target));
  return r ? { score: r.score, indexes: [...r.indexes] } : null;
}

function mine(word: string, target: string): { score: number; indexes: number[] } | null {
  const w = fuzzyWord(word);
  const s = fuzzySingle(w, target);
  if (s < 0) {
    // A plain word and target (nothing fuzzysort remaps): no match means not a subsequence.
    const plain = (s: string) => /^[\x20-\x7e]*$/.test(s) && !/[\\"`]/.test(s);
    if (plain(word) && plain(target)) assert.equal(isSubsequence(w, target), NOT_FOUND, `isSubsequence(${word}, ${target}) says it may be`);
    return null;
  }
  assert.notEqual(isSubsequence(w, target), NOT_FOUND, `isSubsequence(${word}, ${target}) says no, yet it matches`);
  return { score: s, indexes: [...matched.indexes.subarray(0, matched.length)] };
}

describe('fuzzySingle equals fuzzysort.single', () => {
  test('hand-picked names, labels and images', () => {
    const targets = [
      'checkout-7d9f8b6c5-x2k4q',
      'team-05-app-1234-5f6d7c8b9-abcde',
      'app.kubernetes.io/name=checkout app.kubernetes.io/component=api pod-template-hash=7d9f8b6c5',
      'registry.example.com/team-05/team-05-app-1234:1.4.2 fluent/fluent-bit:3.1.9',
      'gen-node-01234',
      'CamelCaseName-WithUPPER',
      'a',
      'ab',
      'x'.repeat(300) + '-y',
      'Back\\slash "quoted" `tick`',
      'naïve-café-ñ',
    ];
    const words = ['c', 'ch', 'chk', 'check', 'checko', 'app-12', 'app', 'a', 'ab', 'ba', 'node-1234', 'tier=db', 'proxyv2:1.22', 'zzzzqx', 'CUN', 'cwu', 'x', 'xy', 'xxy', 'Y', 'slash', '"q', 'cafe', 'naï', 'ñ', '1.4', 'team-05-app', 'api', 'fb'];
    for (const t of targets) for (const w of words) assert.deepEqual(mine(w, t), reference(w, t), `${JSON.stringify(w)} in ${JSON.stringify(t)}`);
  });

  test('random words and targets over a small alphabet (many matches, beginnings and backtracks)', () => {
    const r = rng(42);
    const alphabet = ['a', 'b', 'c', 'A', 'B', '-', '.', '/', '1', '2', ' ', '=', ':', 'x'];
    const word = (n: number) => Array.from({ length: n }, () => pick(r, ['a', 'b', 'c', 'B', '1', '-', 'x', '.'])).join('');
    let matches = 0;
    for (let k = 0; k < 30_000; k++) {
      const t = Array.from({ length: 1 + Math.floor(r() * (k % 10 === 0 ? 120 : 30)) }, () => pick(r, alphabet)).join('');
      const w = word(1 + Math.floor(r() * 6));
      const want = reference(w, t);
      if (want) matches++;
      assert.deepEqual(mine(w, t), want, `${JSON.stringify(w)} in ${JSON.stringify(t)}`);
    }
    assert.ok(matches > 5000, `only ${matches} matches: the test would not check scores`);
  });

  test('a plain target no longer than longestSureMatch that holds the word scores at least the threshold', () => {
    const r = rng(9);
    const alphabet = ['a', 'b', 'A', '-', '.', '1', 'x', 'y', 'z'];
    let checked = 0;
    for (const threshold of [0.2, 0.5]) {
      for (let n = 1; n <= 8; n++) {
        const w = fuzzyWord(Array.from({ length: n }, () => pick(r, ['a', 'b', '1', 'x'])).join(''));
        const sure = longestSureMatch(w, threshold);
        assert.ok(threshold === 0.5 || n > 6 || sure >= 40, `${w.word}: only ${sure}`);
        for (let k = 0; k < 400; k++) {
          // Worst cases too: the word spread over the end of a long target, no word starts.
          const len = Math.max(n, sure - Math.floor(r() * 4));
          const spread = w.word.split('').join('y'); // gaps between the word's characters
          const t = k % 2 ? Array.from({ length: len }, () => pick(r, alphabet)).join('') : 'y'.repeat(Math.max(0, len - spread.length)) + spread;
          if (t.length > sure || isSubsequence(w, t) !== FOUND) continue;
          checked++;
          const got = fuzzysort.single(w.word, fuzzysort.prepare(t));
          assert.ok(got && got.score >= threshold, `${w.word} in ${t} (${t.length} <= ${sure}): ${got?.score}`);
        }
      }
    }
    assert.ok(checked > 2000, `${checked}`);
  });
});
