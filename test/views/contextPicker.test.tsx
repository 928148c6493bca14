import React from 'react'; // JSX in tests (test/ is outside tsconfig, so tsx uses the classic runtime)
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render } from 'ink-testing-library';
import { loadKeymap } from '../../src/keys/keymap.js';
import { App } from '../../views/App.js';
import { PICKER_LIMIT, PICKER_THRESHOLD, fuzzyMatches } from '../../views/widgets/ContextPicker.js';
import { FakeContexts, tick } from './fixtures.js';

const keymap = loadKeymap();
afterEach(() => cleanup());

describe('context picker', () => {
  test('fuzzy matches carry the highlighted characters; limit and threshold are explicit', () => {
    const items = ['prod-eu-1', 'prod-us-2', 'staging-eu', 'dev'].map((name) => ({ name }));
    const m = fuzzyMatches('peu', items);
    assert.deepEqual(
      m.map((x) => x.item.name),
      ['prod-eu-1'],
    );
    assert.deepEqual(m[0].parts, [
      { text: 'p', match: true },
      { text: 'rod-', match: false },
      { text: 'eu', match: true },
      { text: '-1', match: false },
    ]);
    assert.equal(fuzzyMatches('', items).length, 4); // empty search: everything, in kubeconfig order
    assert.equal(PICKER_LIMIT, 500);
    assert.equal(PICKER_THRESHOLD, 0.2);
    // More than fuzzysort's default 10 results come back.
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `cluster-${String(i).padStart(2, '0')}` }));
    assert.equal(fuzzyMatches('cluster', many).length, 30);
  });

  test('c opens it, typing filters, ↓ moves, enter switches, - returns, esc clears then closes', async () => {
    const contexts = new FakeContexts(['staging', 'prod-eu', 'prod-us']);
    const t = render(<App contexts={contexts} keymap={keymap} width={100} height={16} onExit={() => {}} />);
    const screen = () => t.lastFrame() ?? '';
    t.stdin.write('c');
    await tick();
    assert.match(screen(), /Switch context \(3\)/);
    assert.match(screen(), /> \* staging\s+ok/);
    t.stdin.write('prod');
    await tick();
    assert.match(screen(), /Switch context \(2\/3\)/);
    assert.doesNotMatch(screen(), /^[> ] . staging/m);
    const listed = () => screen().split('\n').filter((l) => /^[> ] [* -] prod/.test(l));
    const second = listed()[1].slice(4).split(/\s+/)[0];
    assert.ok(listed()[0].startsWith('> ') && !listed()[1].startsWith('> '));
    t.stdin.write('\x1b[B'); // down
    await tick();
    assert.ok(listed()[1].startsWith('> '), screen());
    t.stdin.write('\r');
    await tick();
    assert.match(second, /^prod-(eu|us)$/);
    assert.equal(contexts.currentName, second);
    assert.match(screen(), new RegExp(`ctx ${second} │`));
    t.stdin.write('-');
    await tick();
    assert.equal(contexts.currentName, 'staging');
    t.stdin.write('c');
    await tick();
    assert.match(screen(), new RegExp(`- ${second}`)); // the previous context is marked
    t.stdin.write('zz');
    await tick();
    assert.match(screen(), /nothing matches "zz"/);
    t.stdin.write('\x1b');
    await tick(30);
    assert.match(screen(), /Switch context \(3\)/); // esc cleared the search
    t.stdin.write('\x1b');
    await tick(30);
    assert.doesNotMatch(screen(), /Switch context/);
  });
});
