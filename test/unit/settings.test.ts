// User settings: where they live, reading (tolerant), writing (atomic, keeps unknown keys).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSettings, saveGroupBy, savedGroupBy, settingsPath, updateSettings, writeSettings } from '../../src/config/settings.js';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-settings-'));
}

describe('settings path', () => {
  test('XDG_CONFIG_HOME when absolute, else ~/.config', () => {
    assert.equal(settingsPath({ XDG_CONFIG_HOME: '/xdg' }, '/home/u'), '/xdg/kfleet/settings.yaml');
    assert.equal(settingsPath({}, '/home/u'), '/home/u/.config/kfleet/settings.yaml');
    assert.equal(settingsPath({ XDG_CONFIG_HOME: 'relative/dir' }, '/home/u'), '/home/u/.config/kfleet/settings.yaml');
  });
});

describe('settings read/write', () => {
  test('a missing file is empty settings, without error', () => {
    const file = path.join(tmpDir(), 'kfleet', 'settings.yaml');
    assert.deepEqual(loadSettings(file), { settings: {}, path: file });
    assert.deepEqual(savedGroupBy(file), { groupBy: undefined, error: undefined });
  });

  test('save then load the hierarchy; the directory is created; no temp file is left', () => {
    const dir = path.join(tmpDir(), 'kfleet');
    const file = path.join(dir, 'settings.yaml');
    saveGroupBy('namespace,app|application,node', file);
    assert.deepEqual(savedGroupBy(file), { groupBy: 'namespace,app|application,node', error: undefined });
    assert.deepEqual(fs.readdirSync(dir), ['settings.yaml']);
    assert.equal(fs.readFileSync(file, 'utf8'), 'pods:\n  groupBy: namespace,app|application,node\n');
    saveGroupBy('node', file);
    assert.equal(savedGroupBy(file).groupBy, 'node');
    assert.deepEqual(fs.readdirSync(dir), ['settings.yaml']);
  });

  test('keys it does not know survive a save', () => {
    const file = path.join(tmpDir(), 'settings.yaml');
    fs.writeFileSync(file, 'theme: dark\npods:\n  groupBy: namespace\n  columns: wide\n');
    saveGroupBy('namespace,app', file);
    assert.deepEqual(loadSettings(file).settings, { theme: 'dark', pods: { groupBy: 'namespace,app', columns: 'wide' } });
  });

  test('a broken file is reported, ignored, and never overwritten', () => {
    const file = path.join(tmpDir(), 'settings.yaml');
    fs.writeFileSync(file, 'pods: [unclosed\n');
    const r = loadSettings(file);
    assert.deepEqual(r.settings, {});
    assert.match(r.error ?? '', /settings\.yaml is not valid YAML/);
    assert.throws(() => saveGroupBy('namespace', file), /settings not saved/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'pods: [unclosed\n');

    fs.writeFileSync(file, 'pods:\n  groupBy: [1, 2]\nother: 1\n');
    const r2 = loadSettings(file);
    assert.deepEqual(r2.settings, { other: 1 });
    assert.match(r2.error ?? '', /"pods" must be a mapping with a string "groupBy"/);

    fs.writeFileSync(file, '- a list\n');
    assert.match(loadSettings(file).error ?? '', /expected a mapping/);
  });

  test('writeSettings replaces the file by rename (an open reader keeps the old inode)', () => {
    const file = path.join(tmpDir(), 'settings.yaml');
    writeSettings({ pods: { groupBy: 'namespace' } }, file);
    const before = fs.statSync(file).ino;
    updateSettings((s) => void (s.pods = { groupBy: 'node' }), file);
    assert.notEqual(fs.statSync(file).ino, before);
    assert.equal(savedGroupBy(file).groupBy, 'node');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });
});
