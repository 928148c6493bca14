import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SelectorError, formatSelector, matchSelector, parseSelector } from '../../src/model/labelSelector.js';

const web = { app: 'shop', tier: 'web', env: 'prod' };
const db = { app: 'shop', tier: 'db', env: 'staging' };
const bare = { other: 'x' };
const sel = (s: string, labels: Record<string, string>) => matchSelector(parseSelector(s), labels);

describe('label selectors (kubectl -l)', () => {
  test('parses every operator', () => {
    assert.deepEqual(parseSelector('app=x,tier!=db,env in (b,a),!legacy,team,zone notin (z1), k==v'), [
      { key: 'app', op: 'equals', values: ['x'] },
      { key: 'tier', op: 'notEquals', values: ['db'] },
      { key: 'env', op: 'in', values: ['a', 'b'] },
      { key: 'legacy', op: 'doesNotExist', values: [] },
      { key: 'team', op: 'exists', values: [] },
      { key: 'zone', op: 'notIn', values: ['z1'] },
      { key: 'k', op: 'equals', values: ['v'] },
    ]);
    assert.deepEqual(parseSelector('app.kubernetes.io/name=checkout'), [{ key: 'app.kubernetes.io/name', op: 'equals', values: ['checkout'] }]);
    assert.deepEqual(parseSelector('  '), []);
  });

  test('matches like the API server (!= and notin select objects without the key)', () => {
    assert.equal(sel('app=shop', web), true);
    assert.equal(sel('app=shop,tier!=db', web), true);
    assert.equal(sel('app=shop,tier!=db', db), false);
    assert.equal(sel('tier!=db', bare), true);
    assert.equal(sel('env in (prod,qa)', web), true);
    assert.equal(sel('env in (prod,qa)', db), false);
    assert.equal(sel('env in (prod,qa)', bare), false);
    assert.equal(sel('env notin (prod)', bare), true);
    assert.equal(sel('env notin (prod)', web), false);
    assert.equal(sel('!tier', bare), true);
    assert.equal(sel('!tier', web), false);
    assert.equal(sel('tier', web), true);
    assert.equal(sel('tier', bare), false);
    assert.equal(sel('', bare), true);
    assert.equal(matchSelector(parseSelector('tier'), undefined), false);
    assert.equal(matchSelector(parseSelector('!tier'), undefined), true);
  });

  test('bad selectors say what is wrong', () => {
    assert.throws(() => parseSelector('env in (a,b'), (e: unknown) => e instanceof SelectorError && /missing "\)"/.test((e as Error).message));
    assert.throws(() => parseSelector('app=x,,tier=y'), /empty requirement/);
    assert.throws(() => parseSelector('app x'), /cannot parse "app x"/);
    assert.throws(() => parseSelector('-bad=1'), /invalid label key "-bad"/);
    assert.throws(() => parseSelector('app=a b'), /invalid label value "a b"/);
  });

  test('formats canonically, sorted by key', () => {
    assert.equal(formatSelector(parseSelector('tier!=db,app=x,env in (b,a),!legacy')), 'app=x,env in (a,b),!legacy,tier!=db');
  });
});
