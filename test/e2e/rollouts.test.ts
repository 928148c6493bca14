// End to end, in a real pseudo-terminal: the built CLI with its demo cluster (`--demo`, the
// "incident" scenario). `:rollouts`, the crash-looping shop/checkout is the first row; `u`
// asks, `y` rolls back, and the rollout is seen completing on screen (the demo cluster's
// deployment controller brings revision 2's pods up again as revision 4).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KEYS, spawnKfleet, type PtySession } from '../helpers/pty.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-e2e-rollouts-'));
const sessions: PtySession[] = [];
after(async () => {
  await Promise.all(sessions.map((s) => s.kill()));
  fs.rmSync(home, { recursive: true, force: true });
});

function start(cols: number, rows: number): PtySession {
  const s = spawnKfleet(['--demo'], {
    cols,
    rows,
    // A private config and state dir: the user's keymap cannot interfere, the action log lands here.
    env: { HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_STATE_HOME: path.join(home, 'state'), NO_COLOR: undefined, KUBECONFIG: undefined },
  });
  sessions.push(s);
  return s;
}

const rowOf = (screen: string, name: string) => screen.split('\n').find((l) => l.slice(2).startsWith(name)) ?? '';

test(':rollouts, select the failing Deployment, u, y: the rollout completes on screen (80x24)', async () => {
  const s = start(80, 24);
  await s.waitFor(/ctx kfleet-demo/, 30_000);
  s.press(':rollouts');
  await s.waitFor(':rollouts');
  s.press(KEYS.enter);
  let screen = await s.waitFor(/Rollouts — \d+ workloads in all namespaces · \d+ failing/, 20_000);
  screen = await s.waitFor(/^> shop\/checkout +✗ stalled +▇▁▁▁ 1\/3 +3\/3 +1 CrashLoopBackOff/m, 20_000);
  // Failing first: the stalled, crash-looping Deployment is the first row, selected.
  const lines = screen.split('\n');
  const header = lines.findIndex((l) => /^ {2}NAME +/.test(l));
  assert.match(lines[header + 1]!, /^> shop\/checkout/);
  assert.match(screen, /^checkout rev 3: deployment "checkout" exceeded its progress/m);

  s.press('u');
  screen = await s.waitFor(/object: +deployment shop\/checkout \(now at revision 3\)/);
  assert.match(screen, /│ Roll back deployment shop\/checkout to revision 2 +│/);
  assert.match(screen, /revision 3 → 2/);
  assert.match(screen, /- +image: registry\.example\.com\/shop\/checkout:1\.6\.0-crash/);
  assert.match(screen, /\+ +image: registry\.example\.com\/shop\/checkout:1\.5\.0/);
  s.press('y');
  // The row follows the new rollout until it completes: revision 4, every replica updated and ready.
  // Revision 2's ReplicaSet still has its pods, so this rollout is quick (as on a real cluster).
  screen = await s.waitFor(/^✓ rollback of deploy shop\/checkout complete · ▇▇▇▇ 3\/3 updated · 3\/3 ready · no/m, 60_000);
  assert.match(screen, /^> shop\/checkout +✓ complete +▇▇▇▇ 3\/3 +3\/3/m);
  // The action log has the undo.
  const log = fs.readFileSync(path.join(home, 'state', 'kfleet', 'actions.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(
    log.map((e) => [e.context, e.action, e.object, e.namespace, e.fromRevision, e.toRevision, e.result]),
    [['kfleet-demo', 'rolloutUndo', 'deployment/checkout', 'shop', 3, 2, 'ok']],
  );
  s.press('q');
  const exit = await s.exit;
  assert.equal(exit.code, 0);
});

test('history at 120x40: revisions with change-causes, the diff of the selected one', async () => {
  const s = start(120, 40);
  await s.waitFor(/ctx kfleet-demo/, 30_000);
  s.press('4');
  await s.waitFor(/^> shop\/checkout /m, 20_000);
  s.press(KEYS.enter);
  let screen = await s.waitFor(/History of deploy shop\/checkout — 3 revisions/);
  assert.match(rowOf(screen, '3 (current)'), /40m +checkout:1\.6\.0-crash +kubectl set image deployment\/checkout checkout=registry\.example\.com\/shop\//);
  s.press('j');
  screen = await s.waitFor(/template diff, current → revision 2: -1 \+1/);
  assert.match(screen, /^- +image: registry\.example\.com\/shop\/checkout:1\.6\.0-crash$/m);
  assert.match(screen, /^\+ +image: registry\.example\.com\/shop\/checkout:1\.5\.0$/m);
  s.press(KEYS.escape);
  screen = await s.waitFor(/Rollouts — /);
  assert.match(rowOf(screen, 'shop/checkout'), /deploy +3 +✗ stalled/);
  s.press('q');
  assert.equal((await s.exit).code, 0);
});
