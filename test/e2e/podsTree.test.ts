// End to end: the built CLI on the demo cluster in a real pseudo-terminal. Open `:pods`,
// expand and collapse, filter, change the hierarchy in the editor (saved in settings), and
// start again to find it restored. Figures are hand-computed from the "incident" scenario
// (src/sim/scenarios/incident.ts; see test/views/podsTree.test.tsx for the sums). The demo's
// crash loop restarts again every 15 s, so restart counts are matched as "9 or more".
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KEYS, spawnKfleet, type PtySession } from '../helpers/pty.js';

const sessions: PtySession[] = [];
after(async () => {
  await Promise.all(sessions.map((s) => s.kill()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const selected = (s: PtySession) => s.lines().find((l) => l.startsWith('> ')) ?? '';

/** Press j (one at a time, waiting for the cursor to move) until the selected line matches. */
async function moveTo(s: PtySession, re: RegExp): Promise<void> {
  await sleep(200);
  for (let i = 0; i < 60; i++) {
    const before = selected(s);
    if (re.test(before)) return;
    s.press('j');
    for (let w = 0; w < 100 && selected(s) === before; w++) await sleep(20);
  }
  assert.fail(`no row ${re}:\n${s.screen()}`);
}

test('pods tree in a terminal: open, expand/collapse, filter, edit the hierarchy, restored at next start', async () => {
  const xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-e2e-pods-'));
  const env = { XDG_CONFIG_HOME: xdg, NO_COLOR: '1' };
  const s = spawnKfleet(['--demo'], { cols: 100, rows: 40, env });
  sessions.push(s);
  await s.waitFor('✓ synced pods 34', 60_000);
  s.press(':pods', KEYS.enter);
  let screen = await s.waitFor(/34 pods · sort name · depth 2/);
  assert.match(screen, /NAME\s+READY\s+RST\s+CPU REQ\/LIM\s+MEM REQ\/LIM/);
  assert.match(screen, /  ▾ shop \(13\)\s+8\/13\s+(9|[1-9]\d)\s+8\.3\/10\.8\s+11\.5Gi\/15Gi/);
  assert.match(screen, /    ▸ checkout \(4\)\s+3\/4\s+(9|[1-9]\d)\s+1\/2\s+1Gi\/2Gi/);
  assert.match(screen, /▸ \(no app\.kubernetes\.io\/name\) \(3\)/);

  // Expand checkout down to its pods and the crash-looping pod's container.
  await moveTo(s, /checkout \(4\)/);
  s.press('l');
  await s.waitFor(/▾ checkout \(4\)/);
  s.press('l');
  await s.waitFor(/> +▸ api \(4\)/);
  s.press(' ');
  screen = await s.waitFor(/▸ checkout-[a-z0-9]+-w2c6n\s+0\/1/);
  assert.equal(screen.match(/▸ checkout-[a-z0-9]+-[a-z0-9]{5} /g)?.length, 4);
  await moveTo(s, /w2c6n/);
  s.press(' ');
  screen = await s.waitFor(/▾ checkout-[a-z0-9]+-w2c6n/);
  assert.match(screen, /\n\s+checkout\s+✗\s+(9|[1-9]\d)\s+250m\/500m\s+256Mi\/512Mi/);
  // enter on the pod drills into its detail; esc comes back to the tree.
  s.press(KEYS.enter);
  await s.waitFor(/Pod shop\/checkout-[a-z0-9]+-w2c6n/);
  s.press(KEYS.escape);
  await s.waitFor(/> +▾ checkout-[a-z0-9]+-w2c6n/);
  // Collapse all: the six namespaces only; then one level deeper.
  s.press('C');
  screen = await s.waitFor(/depth 1/);
  assert.deepEqual(
    s.lines().filter((l) => /^[> ] [▸▾] /.test(l)).map((l) => l.slice(4).split(' (')[0]),
    ['analytics', 'data', 'kube-system', 'monitoring', 'payments', 'shop'],
  );
  s.press(']');
  await s.waitFor(/depth 2/);

  // Filter: matching pods with their groups.
  s.press('/checkout');
  await sleep(100);
  s.press(KEYS.enter);
  screen = await s.waitFor(/4 of 34 pods match \/checkout/);
  assert.match(screen, /▾ shop \(4\)\s+3\/4/);
  assert.doesNotMatch(screen, /payments|frontend/);
  s.press(KEYS.escape);
  await s.waitFor(/34 pods · sort name/);

  // The hierarchy editor: namespace > node (added with completion) > application > component.
  s.press('e');
  await s.waitFor('Group pods by');
  s.press('a');
  await sleep(100);
  s.press('nod');
  await s.waitFor(/› node/);
  s.press(KEYS.tab);
  await s.waitFor(/\+  node█/);
  s.press(KEYS.enter);
  await s.waitFor(/>  2  node/);
  s.press(KEYS.enter);
  screen = await s.waitFor(/by namespace › node › app\.kubernetes\.io\/name › /);
  assert.match(screen, /▾ payments \(7\)[^\n]*\n\s+▸ gpu-f \(1\)[^\n]*\n\s+▸ worker-a \(1\)[^\n]*\n\s+▸ worker-b \(3\)[^\n]*\n\s+▸ worker-c \(2\)/);
  const file = path.join(xdg, 'kfleet', 'settings.yaml');
  assert.equal(fs.readFileSync(file, 'utf8'), 'pods:\n  groupBy: namespace,node,app.kubernetes.io/name|app|application,app.kubernetes.io/component|component|tier\n');
  s.press('q');
  assert.equal((await s.exit).code, 0);

  // Next start: the saved hierarchy is back; --group-by would win over it.
  const s2 = spawnKfleet(['--demo'], { cols: 80, rows: 24, env });
  sessions.push(s2);
  screen = await s2.waitFor(/34 pods · sort name · depth 2 · by namespace › node/, 60_000);
  for (const l of s2.lines()) assert.ok([...l].length <= 80);
  s2.press('q');
  assert.equal((await s2.exit).code, 0);

  const s3 = spawnKfleet(['--demo', '--group-by', 'node'], { cols: 100, rows: 40, env });
  sessions.push(s3);
  screen = await s3.waitFor(/34 pods · sort name · depth 2 · by node › pod/, 60_000);
  // worker-a: checkout x2 (one crash-looping), frontend, cart (old), ledger-0, node-exporter, coredns, db-migrate (Succeeded).
  assert.match(screen, /▾ worker-a \(8\)\s+6\/8/);
  s3.press('q');
  assert.equal((await s3.exit).code, 0);
});
