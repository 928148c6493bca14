import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ACTIONS, SCOPES } from '../../src/keys/actions.js';
import { KeyNameError, keyNameFromInk, parseKeyName, splitKeys, type InkKey } from '../../src/keys/keyNames.js';
import { KeymapError, defaultKeymapPath, loadKeymap, userKeymapPath } from '../../src/keys/keymap.js';

const noKey: InkKey = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false };
const k = (p: Partial<InkKey>): InkKey => ({ ...noKey, ...p });

function tmpFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-keys-'));
  const f = path.join(dir, 'keymap.yaml');
  fs.writeFileSync(f, text);
  return f;
}

function keymapError(fn: () => unknown): KeymapError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof KeymapError, `expected KeymapError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a KeymapError');
}

describe('key names', () => {
  test('parses single characters, named keys, aliases and modifiers', () => {
    assert.equal(parseKeyName('q'), 'q');
    assert.equal(parseKeyName('G'), 'G');
    assert.equal(parseKeyName('?'), '?');
    assert.equal(parseKeyName('Enter'), 'enter');
    assert.equal(parseKeyName('esc'), 'escape');
    assert.equal(parseKeyName('PageDown'), 'pagedown');
    assert.equal(parseKeyName('ctrl+R'), 'ctrl+r');
    assert.equal(parseKeyName('shift+tab'), 'shift+tab');
    assert.equal(parseKeyName(' '), 'space');
  });

  test('rejects malformed keys with the reason', () => {
    assert.throws(() => parseKeyName('ctrl+'), (e: Error) => e instanceof KeyNameError && /modifier but no key/.test(e.message));
    assert.throws(() => parseKeyName('pgdwn'), /unknown key name "pgdwn"/);
    assert.throws(() => parseKeyName('ctrl+c'), /reserved for interrupt/);
    assert.throws(() => parseKeyName('ctrl+i'), /same key as tab/);
    assert.throws(() => parseKeyName('alt+x'), /unknown modifier "alt"/);
    assert.throws(() => parseKeyName('shift+g'), /upper-case letter G/);
    assert.throws(() => parseKeyName(''), /empty key/);
  });

  test('maps Ink input to key names', () => {
    assert.equal(keyNameFromInk('', k({ upArrow: true })), 'up');
    assert.equal(keyNameFromInk('', k({ pageDown: true })), 'pagedown');
    assert.equal(keyNameFromInk('\r', k({ return: true })), 'enter');
    assert.equal(keyNameFromInk('', k({ escape: true })), 'escape');
    assert.equal(keyNameFromInk('', k({ tab: true, shift: true })), 'shift+tab');
    assert.equal(keyNameFromInk('r', k({ ctrl: true })), 'ctrl+r');
    assert.equal(keyNameFromInk('G', k({ shift: true })), 'G');
    assert.equal(keyNameFromInk(' ', noKey), 'space');
    assert.equal(keyNameFromInk(':', noKey), ':');
    assert.equal(keyNameFromInk('x', k({ meta: true })), undefined);
    assert.equal(keyNameFromInk('pasted text', noKey), undefined);
  });

  test('splits a chunk of several keys', () => {
    assert.deepEqual(
      splitKeys(':no\r\x1b[A\x1b[6~\x15 \x1b'),
      [
        { input: ':', name: ':' },
        { input: 'n', name: 'n' },
        { input: 'o', name: 'o' },
        { input: '', name: 'enter' },
        { input: '', name: 'up' },
        { input: '', name: 'pagedown' },
        { input: '', name: 'ctrl+u' },
        { input: ' ', name: 'space' },
        { input: '', name: 'escape' },
      ],
    );
  });
});

describe('keymap loading', () => {
  test('the default keymap binds every declared action with the keys later work relies on', () => {
    const km = loadKeymap();
    for (const scope of SCOPES) for (const action of Object.keys(ACTIONS[scope])) assert.ok(km.keysFor(scope, action).length > 0, `${scope}.${action} unbound`);
    const g = (key: string) => km.resolve('global', key);
    assert.deepEqual(
      [':', '?', '/', 'j', 'k', 'down', 'up', 'g', 'G', 'pageup', 'pagedown', 'enter', 'escape', 'q', 'c', '-', '1', '2', '3', '4', '5', '6'].map(g),
      ['palette', 'help', 'filter', 'down', 'up', 'down', 'up', 'top', 'bottom', 'pageUp', 'pageDown', 'enter', 'back', 'quit', 'contextPicker', 'previousContext', 'view.nodes', 'view.pods', 'view.volumes', 'view.rollouts', 'view.events', 'view.fleet'],
    );
    assert.equal(km.resolve('rollouts', 'u'), 'undo');
    assert.deepEqual(km.keysFor('dialog', 'confirm'), ['y', 'enter']);
    assert.deepEqual(km.keysFor('dialog', 'cancel'), ['n', 'escape']);
    assert.equal(km.label('global', 'up'), 'k/↑');
  });

  test('a user file overrides action by action', () => {
    const user = tmpFile('global:\n  quit: ctrl+q\n  help: { keys: [ctrl+g, "?"], help: "the help screen" }\nrollouts:\n  undo: U\n');
    const km = loadKeymap({ explicitFile: user });
    assert.equal(km.resolve('global', 'ctrl+q'), 'quit');
    assert.equal(km.resolve('global', 'q'), undefined);
    assert.equal(km.resolve("global", "ctrl+g"), "help");
    assert.equal(km.entries('global').find((e) => e.action === 'help')?.help, 'the help screen');
    assert.equal(km.resolve('rollouts', 'U'), 'undo');
    assert.equal(km.resolve('rollouts', 'u'), undefined);
    assert.equal(km.resolve('global', 'j'), 'down'); // untouched actions keep their defaults
  });

  test('the XDG user file is used when it exists, --keymap when given must exist', () => {
    assert.equal(userKeymapPath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u'), '/x/cfg/kfleet/keymap.yaml');
    assert.equal(userKeymapPath({}, '/home/u'), '/home/u/.config/kfleet/keymap.yaml');
    assert.equal(loadKeymap({ userFile: '/nonexistent/keymap.yaml' }).resolve('global', 'q'), 'quit');
    const user = tmpFile('global:\n  quit: Q\n');
    assert.equal(loadKeymap({ userFile: user }).resolve('global', 'Q'), 'quit');
    const e = keymapError(() => loadKeymap({ explicitFile: '/nonexistent/km.yaml' }));
    assert.match(e.message, /^\/nonexistent\/km\.yaml:0: keymap file does not exist/);
  });

  test('an unknown action names the file and line', () => {
    const f = tmpFile('global:\n  quit: q\n  qiut: x\n');
    const e = keymapError(() => loadKeymap({ explicitFile: f }));
    assert.equal(e.file, f);
    assert.equal(e.line, 3);
    assert.match(e.message, new RegExp(`^${f}:3: unknown action "qiut" in section "global"`));
  });

  test('an unknown section names the file and line', () => {
    const f = tmpFile('# comment\npodz:\n  x: y\n');
    const e = keymapError(() => loadKeymap({ explicitFile: f }));
    assert.equal(e.line, 2);
    assert.match(e.message, /unknown section "podz"/);
  });

  test('a malformed key names the file and line of the key', () => {
    const f = tmpFile('global:\n  up:\n    - k\n    - ctrl+\n');
    const e = keymapError(() => loadKeymap({ explicitFile: f }));
    assert.equal(e.line, 4);
    assert.match(e.message, /global\.up: "ctrl\+" has a modifier but no key/);
    const g = tmpFile('global:\n  down: pgdwn\n');
    assert.match(keymapError(() => loadKeymap({ explicitFile: g })).message, new RegExp(`^${g}:2: global.down: unknown key name "pgdwn"`));
  });

  test('two actions on one key in a scope is a clash naming both places', () => {
    const f = tmpFile('global:\n  help: q\n');
    const e = keymapError(() => loadKeymap({ explicitFile: f }));
    assert.equal(e.file, f);
    assert.equal(e.line, 2);
    assert.match(e.message, /key "q" is bound to both global\.quit \(.*keymaps\/default\.yaml:\d+\) and global\.help/);
  });

  test('a view key hiding a global key is a clash unless shadowGlobal is set', () => {
    const f = tmpFile('rollouts:\n  undo: j\n');
    const e = keymapError(() => loadKeymap({ explicitFile: f }));
    assert.equal(e.line, 2);
    assert.match(e.message, /key "j" of rollouts\.undo would hide global\.down in the rollouts view/);
    const ok = tmpFile('rollouts:\n  undo: { keys: j, shadowGlobal: true }\n');
    assert.equal(loadKeymap({ explicitFile: ok }).resolve('rollouts', 'j'), 'undo');
    // A user's global key that lands on a default view key is blamed on the user's line.
    const g = tmpFile('\nglobal:\n  retry: u\n');
    const e2 = keymapError(() => loadKeymap({ explicitFile: g }));
    assert.equal(e2.file, g);
    assert.equal(e2.line, 3);
  });

  test('modal sections may reuse global keys; bad YAML names its line', () => {
    assert.equal(loadKeymap().resolve('dialog', 'escape'), 'cancel');
    const f = tmpFile('global:\n  quit: [q\n');
    const e = keymapError(() => loadKeymap({ explicitFile: f }));
    assert.match(e.message, /not valid YAML/);
    assert.ok(e.line >= 2, `line ${e.line}`);
    assert.ok(fs.existsSync(defaultKeymapPath()));
  });
});
