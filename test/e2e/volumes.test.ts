// :volumes in the built CLI (`--demo`, the incident scenario) in a real pseudo-terminal: the
// conflicts table, the evidence of a conflict, and the fix refused in --readonly.
// Needs `npm run build` first (npm test does).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KEYS, spawnKfleet } from '../helpers/pty.js';

const isolatedEnv = () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-e2e-home-'));
  return { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_STATE_HOME: path.join(home, '.state'), KUBECONFIG: undefined };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(':volumes in a pseudo-terminal', () => {
  test('80x24: the conflicts of the demo, worst first, and the evidence of one', async () => {
    const s = spawnKfleet(['--demo'], { cols: 80, rows: 24, env: isolatedEnv() });
    try {
      await s.waitFor('ctx kfleet-demo', 30_000);
      s.press(':volumes');
      await sleep(100);
      s.press(KEYS.enter);
      // Synced (no "listing…" in the title): every kind the conflicts come from is in.
      const screen = await s.waitFor('Volume conflicts — 2 in all namespaces · enter evidence', 20_000);
      const lines = screen.split('\n');
      assert.equal(lines.length, 24);
      // Worst (longest waiting) first: shop/cart-data, then the stale attachment of analytics.
      const rows = lines.filter((l) => /^[> ] (shop|analytics)\//.test(l));
      assert.equal(rows.length, 2);
      assert.match(rows[0]!, /^> shop\/cart-data\s+worker-a: cart-…hq7xk\s+worker-b: cart-…m4v9t\s*$/);
      assert.match(rows[1]!, /^ {2}analytics\/reports…\s+worker-e NotReady: no pod: stale\s+worker-c: reports-…t8w2n\s*$/);
      assert.match(screen, /fix: {5}old pod cart-\S+-hq7xk on worker-a still running: deleting it\n {9}frees the volume\n/);

      s.press(KEYS.enter);
      await s.waitFor('Evidence — shop/cart-data');
      const ev = s.screen();
      assert.match(ev, /access ReadWriteOnce {3}class gp3 {3}driver ebs\.csi\.aws\.com/);
      assert.match(ev, /holds shop\/cart-\S+-hq7xk {2}node worker-a {2}Running/);
      assert.match(ev, /waits shop\/cart-\S+-m4v9t {2}node worker-b {2}ContainerCreating/);
      assert.match(ev, /VOLUMEATTACHMENTS \(1\)/);
      assert.match(ev, /EVENTS \(2, 29 occurrences\)/);
      // The rest of the page (events' text, all fixes) is below: go to the bottom.
      s.press('G');
      await s.waitFor('WHAT TO DO');
      assert.match(s.screen(), /1\. old pod cart-\S+-hq7xk on worker-a still running: deleting it frees\n {5}the volume {2}\[x\]/);
      assert.match(s.screen(), /Multi-Attach error for volume "pvc-4f1c2d3e-0a1b-4c5d-8e9f-1a2b3c4d5e6f"\n {4}Volume is already used by pod\(s\) cart-\S+-hq7xk/);

      s.press(KEYS.escape);
      await s.waitFor('Volume conflicts — 2');
      s.press('q');
      assert.equal((await s.exit).code, 0);
    } finally {
      await s.kill();
    }
  });

  test('120x40 --readonly: the risks below, the evidence of the stale attachment, the fix refused', async () => {
    const s = spawnKfleet(['--demo', '--readonly'], { cols: 120, rows: 40, env: isolatedEnv() });
    try {
      await s.waitFor('ctx kfleet-demo', 30_000);
      s.press('3'); // view.volumes
      const screen = await s.waitFor('Volume conflicts — 2 in all namespaces · enter evidence', 20_000);
      assert.match(screen, /─ risks: 1 workload will hit this on the next rollout/);
      assert.match(screen, /Deployment shop\/cart · PVC cart-data RWO · set strategy\.type: Recreate/);
      s.press('j');
      await s.waitFor(/^> analytics\/reports-cache/m);
      s.press(KEYS.enter);
      await s.waitFor('Evidence — analytics/reports-cache');
      const ev = s.screen();
      assert.match(ev, /node worker-e \(NotReady\) {3}VolumeAttachment csi-\S+/);
      assert.match(ev, /no pod: stale attachment/);
      assert.match(ev, /1\. worker-e is NotReady: the attachment will be force-detached after ~6 min; or delete VolumeAttachment/);
      s.press('x');
      await s.waitFor('refused: --readonly (fix)');
      assert.doesNotMatch(s.screen(), /object: /);
      s.press('q');
      assert.equal((await s.exit).code, 0);
    } finally {
      await s.kill();
    }
  });
});
