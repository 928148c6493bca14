import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionLog, actionLogPath, type ActionLogEntry } from '../../src/kube/actionLog.js';

const entry = (over: Partial<ActionLogEntry> = {}): ActionLogEntry => ({
  time: '2026-03-04T05:06:07.000Z',
  context: 'prod-eu-1',
  action: 'rolloutUndo',
  object: 'deployment/checkout',
  namespace: 'shop',
  fromRevision: 3,
  toRevision: 2,
  result: 'ok',
  message: 'deployment.apps/checkout rolled back (revision 3 -> 2)',
  ...over,
});

test('path: $XDG_STATE_HOME/kfleet/actions.log, else ~/.local/state (a relative XDG value is ignored)', () => {
  assert.equal(actionLogPath({ XDG_STATE_HOME: '/var/state', HOME: '/home/op' }), '/var/state/kfleet/actions.log');
  assert.equal(actionLogPath({ HOME: '/home/op' }), '/home/op/.local/state/kfleet/actions.log');
  assert.equal(actionLogPath({ XDG_STATE_HOME: 'relative/state', HOME: '/home/op' }), '/home/op/.local/state/kfleet/actions.log');
  assert.equal(new ActionLog({ env: { XDG_STATE_HOME: '/x' } }).path, '/x/kfleet/actions.log');
});

test('append: one JSON line per entry, directory 0700 and file 0600 created on first write', () => {
  const state = mkdtempSync(join(tmpdir(), 'kfleet-log-'));
  const log = new ActionLog({ env: { XDG_STATE_HOME: state } });
  assert.deepEqual(log.read(), []);
  assert.equal(log.append(entry()), undefined);
  assert.equal(log.append(entry({ action: 'cordon', object: 'node/worker-a', namespace: undefined, fromRevision: undefined, toRevision: undefined, result: 'refused', message: 'refused: kfleet is in --readonly mode' })), undefined);
  assert.equal(statSync(join(state, 'kfleet')).mode & 0o777, 0o700);
  assert.equal(statSync(log.path).mode & 0o777, 0o600);
  const lines = readFileSync(log.path, 'utf8').split('\n');
  assert.equal(lines.length, 3);
  assert.equal(lines[2], '');
  assert.deepEqual(JSON.parse(lines[0]!), entry());
  assert.deepEqual(JSON.parse(lines[1]!), { time: '2026-03-04T05:06:07.000Z', context: 'prod-eu-1', action: 'cordon', object: 'node/worker-a', result: 'refused', message: 'refused: kfleet is in --readonly mode' });
  assert.equal(log.read().length, 2);
});

test('a credential in a message is scrubbed before it is written', () => {
  const log = new ActionLog({ path: join(mkdtempSync(join(tmpdir(), 'kfleet-log-')), 'a', 'actions.log') });
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcGVyYXRvciJ9.c2lnbmF0dXJl';
  log.append(entry({ result: 'failed', message: `cannot reach server: Authorization: Bearer s3cr3t-t0ken, token=${jwt}` }));
  const text = readFileSync(log.path, 'utf8');
  assert.ok(!text.includes('s3cr3t-t0ken'));
  assert.ok(!text.includes(jwt));
  assert.match(log.read()[0]!.message, /Bearer \[redacted\]/);
});

test('read skips a torn last line; a write that cannot happen returns a message instead of throwing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfleet-log-'));
  const log = new ActionLog({ path: join(dir, 'actions.log') });
  log.append(entry());
  appendFileSync(log.path, '{"time":"2026-03-04T05:0');
  assert.deepEqual(log.read(), [entry()]);

  writeFileSync(join(dir, 'file'), 'not a directory');
  const blocked = new ActionLog({ path: join(dir, 'file', 'actions.log') });
  assert.match(blocked.append(entry()) ?? '', /^could not write the action log .*file\/actions\.log: /);
});
