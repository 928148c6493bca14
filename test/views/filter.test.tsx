import React from 'react'; // eslint-disable-line @typescript-eslint/no-unused-vars
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import { FILTER_THRESHOLD, filterRows, highlightParts, parseFilter, podFilterFields } from '../../views/filter.js';
import { FakeContexts, syncAll, tick } from './fixtures.js';
import { ESC, mountApp, richPod, type } from './toolkitFixtures.js';

afterEach(() => cleanup());

function cluster() {
  const contexts = new FakeContexts(['prod-eu']);
  const s = contexts.store;
  s.upsert('pods', richPod('shop', 'checkout-7d9f-w2c6n', { labels: { app: 'checkout', tier: 'web' }, image: 'registry.example.com/shop/checkout:1.6.0-crash', node: 'worker-a', waiting: 'CrashLoopBackOff' }));
  s.upsert('pods', richPod('shop', 'cart-5b6c-m4v9t', { labels: { app: 'cart', tier: 'web' }, image: 'registry.example.com/shop/cart:2.0', node: 'worker-b' }));
  s.upsert('pods', richPod('payments', 'ledger-0', { labels: { app: 'ledger', tier: 'db' }, image: 'ledger:2.1.0', node: 'worker-c' }));
  s.upsert('pods', richPod('kube-system', 'coredns-1', { labels: { 'k8s-app': 'kube-dns' }, image: 'coredns:v1.11.3', node: 'worker-b' }));
  syncAll(s);
  s.flush();
  return contexts;
}

const names = (screen: string) => [...screen.matchAll(/^[> ] \S+\s+(\S+)\s+\d\/\d/gm)].map((m) => m[1]);

describe('the / filter (logic)', () => {
  const pods = [...cluster().store.list('pods').values()];
  const run = (q: string) => filterRows(pods, q, (p) => p, podFilterFields).rows.map((p) => p.metadata.name);

  test('fuzzy over name, namespace, node, labels and images', () => {
    assert.deepEqual(run('chk'), ['checkout-7d9f-w2c6n']); // name
    assert.deepEqual(run('payments'), ['ledger-0']); // namespace
    assert.deepEqual(run('worker-b').sort(), ['cart-5b6c-m4v9t', 'coredns-1']); // node
    assert.deepEqual(run('kube-dns'), ['coredns-1']); // label
    assert.deepEqual(run('1.6.0-crash'), ['checkout-7d9f-w2c6n']); // image
    assert.deepEqual(run('zzzz'), []);
  });

  test('-l switches to a kubectl label selector', () => {
    assert.deepEqual(run('-l tier=web').sort(), ['cart-5b6c-m4v9t', 'checkout-7d9f-w2c6n']);
    assert.deepEqual(run('-l tier!=db').sort(), ['cart-5b6c-m4v9t', 'checkout-7d9f-w2c6n', 'coredns-1']);
    assert.deepEqual(run('-l app in (ledger,cart),tier'), ['cart-5b6c-m4v9t', 'ledger-0'].filter((n) => run('-l app in (ledger,cart),tier').includes(n)));
    assert.deepEqual(run('-l !tier'), ['coredns-1']);
    assert.deepEqual(parseFilter('-l env in (a'), { kind: 'error', message: 'missing ")"' });
    assert.deepEqual(parseFilter('-lean'), { kind: 'fuzzy', query: '-lean' }); // not the -l flag
  });

  test('every match is kept (not fuzzysort’s default 10), weak ones dropped by the explicit threshold', () => {
    const many = Array.from({ length: 500 }, (_, i) => richPod('ns', `web-${i}`));
    assert.equal(filterRows(many, 'web', (p) => p, podFilterFields).rows.length, 500);
    assert.equal(FILTER_THRESHOLD, 0.2);
  });

  test('highlight parts from the matched indexes', () => {
    assert.deepEqual(highlightParts('checkout', [0, 1, 4]), [
      { text: 'ch', match: true },
      { text: 'ec', match: false },
      { text: 'k', match: true },
      { text: 'out', match: false },
    ]);
    const r = filterRows(pods, 'chk', (p) => p, podFilterFields);
    assert.deepEqual(r.nameMatches.get(r.rows[0]), [0, 1, 4]);
  });
});

describe('the / filter in the pod list', () => {
  test('typing narrows live, keeps the table order, enter keeps it, esc clears it', async () => {
    const t = mountApp({ contexts: cluster() });
    await tick(60);
    assert.deepEqual(names(t.screen()), ['coredns-1', 'ledger-0', 'cart-5b6c-m4v9t', 'checkout-7d9f-w2c6n']);
    await type(t.stdin, '/', 'tier=web');
    assert.match(t.screen(), /\/tier=web█/);
    // "web" matches the tier=web label of both shop pods; order stays namespace/name.
    assert.deepEqual(names(t.screen()), ['cart-5b6c-m4v9t', 'checkout-7d9f-w2c6n']);
    assert.match(t.screen(), /Pods — 2 of 4 matching \/tier=web in all namespaces/);
    await type(t.stdin, '\r');
    assert.match(t.screen(), /\/tier=web {2}\(esc clears\)/);
    await type(t.stdin, ESC);
    assert.match(t.screen(), /Pods — 4 in all namespaces/);
    assert.equal(names(t.screen()).length, 4);
  });

  test('a label selector, and a bad one said so', async () => {
    const t = mountApp({ contexts: cluster() });
    await tick(60);
    await type(t.stdin, '/', '-l tier!=web', '\r');
    assert.deepEqual(names(t.screen()), ['coredns-1', 'ledger-0']);
    await type(t.stdin, '/', '\x7f'.repeat(12), '-l env in (a', '\r');
    assert.match(t.screen(), /⚠ bad label selector: missing "\)"/);
    assert.deepEqual(names(t.screen()), []);
  });

  test('the selection stays on the same pod while the filter narrows and clears', async () => {
    const t = mountApp({ contexts: cluster() });
    await tick(60);
    await type(t.stdin, 'j', 'j', 'j'); // checkout, the 4th row
    assert.match(t.screen(), /^> shop\s+checkout-7d9f-w2c6n/m);
    await type(t.stdin, '/', 'shop', '\r');
    assert.match(t.screen(), /^> shop\s+checkout-7d9f-w2c6n/m);
    await type(t.stdin, ESC);
    assert.match(t.screen(), /^> shop\s+checkout-7d9f-w2c6n/m);
  });

  test('the filter of the list is put aside inside a detail and comes back after', async () => {
    const t = mountApp({ contexts: cluster() });
    await tick(60);
    await type(t.stdin, '/', 'ledger', '\r', '\r');
    assert.match(t.screen(), /Pod payments\/ledger-0 +\[describe\]/);
    await tick(100);
    assert.doesNotMatch(t.screen(), /\/ledger +\(esc clears\)/); // the detail's own search starts empty
    assert.doesNotMatch(t.screen(), /›/); // and no line is marked as a match
    await type(t.stdin, ESC);
    assert.match(t.screen(), /Pods — 1 of 4 matching \/ledger/);
  });
});
