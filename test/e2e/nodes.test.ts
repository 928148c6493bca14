// The nodes view in the built CLI (`--demo`, a real pseudo-terminal): open it with `:nodes`,
// sort, drill into a node, esc back, quit. Needs `npm run build` first (npm test does).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KEYS, spawnKfleet } from '../helpers/pty.js';

const isolatedEnv = () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-e2e-home-'));
  return { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), KUBECONFIG: undefined };
};

const pause = (ms = 150) => new Promise((r) => setTimeout(r, ms));

/** Node names in screen order. */
const order = (screen: string) => screen.split('\n').map((l) => /^[> ] (worker-[a-e]|gpu-f) /.exec(l)?.[1]).filter(Boolean);

describe('nodes view in a pseudo-terminal', () => {
  test(':nodes, sort, drill into a node and back', async () => {
    const s = spawnKfleet(['--demo'], { cols: 120, rows: 30, env: isolatedEnv() });
    try {
      await s.waitFor(/✓ synced/, 30_000);
      s.press(':nodes');
      await pause();
      s.press(KEYS.enter);
      await s.waitFor('Nodes — 6 · sort NAME ▲');
      // The demo cluster serves metrics: usage sits beside requests.
      await s.waitFor('usage: metrics.k8s.io', 20_000);
      let screen = s.screen();
      assert.deepEqual(order(screen), ['gpu-f', 'worker-a', 'worker-b', 'worker-c', 'worker-d', 'worker-e']);
      assert.match(screen, /worker-c\s+Ready\s+2400m !!!!! 124%!\s+\d+%\s+!!!! 492%!/);
      assert.match(screen, /TOTAL\s+6 nodes\s+9950m/);

      s.press('s');
      await s.waitFor('sort CPU REQ ▼');
      assert.deepEqual(order(s.screen()), ['worker-c', 'worker-b', 'worker-a', 'gpu-f', 'worker-d', 'worker-e']);

      // The cursor stays on the first row (gpu-f) across the re-sort; go to the top (worker-c).
      s.press('g');
      await pause();
      s.press(KEYS.enter);
      screen = await s.waitFor('Allocated resources:');
      assert.match(screen, /Node worker-c — Ready · us-east-1c · m5\.large · general · pods 8\/29/);
      assert.match(screen, / {2}cpu {16}2400m \(124%\) {2}9500m \(492%\)/);
      assert.match(screen, / {2}memory {13}4800Mi \(70%\) {2}18048Mi \(263%\)/);
      assert.match(screen, /Non-terminated Pods: \(8 in total\)/);
      assert.match(screen, /debug-shell\s+0 \(0%\)/);

      s.press(KEYS.escape);
      screen = await s.waitFor('Nodes — 6');
      assert.match(screen, /^> worker-c /m);
      assert.doesNotMatch(screen, /Allocated resources:/);

      s.press('q');
      const exit = await s.exit;
      assert.equal(exit.code, 0);
    } finally {
      await s.kill();
    }
  });
});
