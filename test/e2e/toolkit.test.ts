// The incident toolkit end to end: the BUILT CLI (`--demo`) in a real pseudo-terminal.
// Filter the pods, open one, read its logs, delete it after confirming, and see it go; and the
// action log line it leaves under $XDG_STATE_HOME/kfleet/. Needs `npm run build` first.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KEYS, spawnKfleet } from '../helpers/pty.js';

describe('kfleet --demo: filter, detail, logs, delete', () => {
  test('filter pods, open one, read its logs, delete it after confirming', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-e2e-toolkit-'));
    const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_STATE_HOME: path.join(home, 'state'), KUBECONFIG: undefined };
    const s = spawnKfleet(['--demo', 'podlist'], { cols: 120, rows: 40, env });
    try {
      await s.waitFor(/shop\s+checkout-\S+-w2c6n\s+0\/1\s+CrashLoopBackOff/, 30_000);
      // Filter: fuzzy on the name.
      s.press('/', 'w2c6n');
      await s.waitFor(/Pods — 1 of \d+ matching \/w2c6n/);
      s.press(KEYS.enter);
      await s.waitFor('(esc clears)');
      const row = s.lines().find((l) => /^> shop\s+checkout-/.test(l))!;
      const name = /checkout-\S+-w2c6n/.exec(row)![0];
      // Open it: the describe tab.
      s.press(KEYS.enter);
      await s.waitFor(`Pod shop/${name}   [describe]`);
      await s.waitFor(/Status:\s+CrashLoopBackOff/);
      assert.match(s.screen(), /Warning BackOff +\S+ \(x42\) +kubelet/);
      // Its logs (L), then its previous instance (p) with the panic.
      s.press('L');
      await s.waitFor(/container checkout · following · \d+ lines/);
      await s.waitFor(/level=info msg="[^"]+" seq=\d+/);
      s.press('p');
      await s.waitFor('container checkout (previous instance) · complete · 40 lines');
      await s.waitFor('level=fatal msg="panic: config key \\"DATABASE_URL\\" missing" container=checkout');
      // Back to the list (the filter comes back), delete with ctrl+d, cancel once, then confirm.
      s.press(KEYS.escape);
      await s.waitFor(/Pods — 1 of \d+ matching \/w2c6n/);
      s.press('\x04');
      await s.waitFor(`Delete pod/${name}`);
      assert.match(s.screen(), new RegExp(`object: {2}pod/${name} in namespace shop`));
      assert.match(s.screen(), /context: kfleet-demo/);
      assert.match(s.screen(), new RegExp(`same as: kubectl delete pod ${name} -n shop`));
      s.press('n');
      await s.waitFor(/Pods — 1 of/);
      s.press('\x04');
      await s.waitFor(`Delete pod/${name}`);
      s.press('y');
      await s.waitFor(`pod "${name}" deleted`);
      await s.waitFor('no pod matches /w2c6n');
      // Every action is logged.
      const log = fs.readFileSync(path.join(home, 'state', 'kfleet', 'actions.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(log.length, 1);
      assert.equal(log[0].action, 'deletePod');
      assert.equal(log[0].object, `pod/${name}`);
      assert.equal(log[0].namespace, 'shop');
      assert.equal(log[0].context, 'kfleet-demo');
      assert.equal(log[0].result, 'ok');
      s.press('q');
      assert.equal((await s.exit).code, 0);
    } finally {
      await s.kill();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
