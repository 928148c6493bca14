import React from 'react'; // JSX in tests (test/ is outside tsconfig, so tsx uses the classic runtime)
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { Text, useInput, type Key } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { escapeKeyAtOnce } from '../../src/app/escapeKey.js';
import { keyNameFromInk } from '../../src/keys/keyNames.js';

afterEach(cleanup);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ESC = '\x1b';

/** Ink's view of each key: the canonical name kfleet's keymap sees, and the raw flags. */
function mount(atOnce: boolean) {
  const keys: { name?: string; input: string; key: Key }[] = [];
  function Keys() {
    useInput((input, key) => void keys.push({ name: keyNameFromInk(input, key), input, key }));
    return <Text>keys</Text>;
  }
  const r = render(<Keys />);
  if (atOnce) escapeKeyAtOnce(r.stdin as unknown as NodeJS.ReadableStream);
  return { ...r, keys };
}

test("Ink holds a lone ESC until its 20 ms timer (the wait escapeKeyAtOnce removes)", async () => {
  const { stdin, keys } = mount(false);
  await sleep(10); // useInput's listener is attached in an effect
  stdin.write(ESC);
  await new Promise((r) => setImmediate(r));
  assert.equal(keys.length, 0, 'Ink handed the Esc on before its timer: the shim may be unneeded');
  await sleep(40);
  assert.deepEqual(keys.map((k) => k.name), ['escape']);
});

test('a read of a lone ESC is the Esc key at once, the same key Ink gives after its wait', async () => {
  const { stdin, keys } = mount(true);
  await sleep(10);
  stdin.write(ESC);
  // The 'readable' handler ran the key handler synchronously: no timer in between.
  assert.equal(keys.length, 1);
  const [esc] = keys;
  assert.equal(esc!.name, 'escape');
  assert.equal(esc!.input, '');
  assert.equal(esc!.key.meta, false);
  assert.equal(esc!.key.ctrl, false);
  assert.equal(esc!.key.shift, false);
});

test('escape sequences and alt+key are untouched: arrows, page keys, alt+x', async () => {
  const { stdin, keys } = mount(true);
  await sleep(10);
  for (const seq of ['\x1b[A', '\x1b[6~', 'q', '\x1bx', 'Q']) {
    stdin.write(seq);
    await sleep(30);
  }
  assert.deepEqual(
    keys.map((k) => k.name),
    ['up', 'pagedown', 'q', undefined, 'Q'],
  );
  // alt+x: Ink's meta flag with the letter (kfleet binds no alt keys, so no name)
  assert.equal(keys[3]!.key.meta, true);
  assert.equal(keys[3]!.input, 'x');
});
