// The built CLI in a real pseudo-terminal: the demo (on the plain pod list, the shell's own
// view), live updates, help, quitting, and the
// terminal given back on q, signals and a crash. Needs `npm run build` first (npm test does).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSim, type SimHandle } from '../../src/sim/launch.js';
import { KEYS, spawnKfleet, type PtySession } from '../helpers/pty.js';

function assertTerminalRestored(s: PtySession) {
  const st = s.state();
  assert.equal(st.usedAlternateScreen, true, 'kfleet should have used the alternate screen');
  assert.equal(st.alternateScreen, false, 'alternate screen left');
  assert.equal(st.cursorVisible, true, 'cursor shown');
  assert.equal(st.mouseTracking, 'none');
  assert.equal(st.bracketedPaste, false);
}

/** A kubeconfig whose server refuses connections: the UI opens and says so. */
function deadKubeconfig(): string {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-e2e-')), 'config');
  fs.writeFileSync(
    f,
    'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: { server: "https://127.0.0.1:1" }\nusers:\n- name: u\n  user: { token: "e2e-planted-token-9931" }\ncontexts:\n- name: dead\n  context: { cluster: c, user: u }\ncurrent-context: dead\n',
  );
  return f;
}

const isolatedEnv = () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-e2e-home-'));
  return { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), KUBECONFIG: undefined };
};

describe('kfleet --demo in a pseudo-terminal', () => {
  test('shows live pods of the incident scenario, ? help, q quits and restores the terminal', async () => {
    const s = spawnKfleet(['--demo', 'podlist'], { cols: 120, rows: 30, env: isolatedEnv() });
    try {
      await s.waitFor(/shop\s+checkout-\S+\s+0\/1\s+CrashLoopBackOff/, 30_000);
      const screen = s.screen();
      assert.match(screen, /kfleet Pod list │ ctx kfleet-demo │ ns all namespaces │ https:\/\/127\.0\.0\.1:\d+ DEMO/);
      assert.match(screen, /NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+NODE\s+AGE/);
      s.press('?');
      await s.waitFor('Help — esc/? to close');
      assert.match(s.screen(), /q\s+quit kfleet/);
      s.press(KEYS.escape);
      await s.waitFor('NAMESPACE');
      s.press('q');
      const exit = await s.exit;
      assert.equal(exit.code, 0);
      assertTerminalRestored(s);
    } finally {
      await s.kill();
    }
  });
});

describe('live updates against the embedded cluster', () => {
  let sim: SimHandle;
  before(async () => {
    sim = await startSim({ scenario: 'incident' });
  });
  after(async () => {
    await sim?.stop();
  });

  test('a pod deleted with kubectl leaves the screen; -n scopes the list', async () => {
    const s = spawnKfleet(['--kubeconfig', sim.kubeconfigPath, '-n', 'kube-system', 'podlist'], { cols: 110, rows: 24, env: isolatedEnv() });
    try {
      await s.waitFor(/debug-shell\s+1\/1\s+Running/, 30_000);
      assert.match(s.screen(), /ns kube-system/);
      assert.doesNotMatch(s.screen(), /checkout-/);
      const r = spawnSync('kubectl', ['--kubeconfig', sim.kubeconfigPath, '-n', 'kube-system', 'delete', 'pod', 'debug-shell', '--wait=false'], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.status, 0, r.stderr);
      for (let i = 0; i < 100 && s.screen().includes('debug-shell'); i++) await new Promise((res) => setTimeout(res, 100));
      assert.doesNotMatch(s.screen(), /debug-shell/);
      s.press('q');
      assert.equal((await s.exit).code, 0);
      assertTerminalRestored(s);
    } finally {
      await s.kill();
    }
  });
});

describe('the terminal is restored', () => {
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    test(`on ${sig} (exit ${code})`, async () => {
      const s = spawnKfleet(['--kubeconfig', deadKubeconfig()], { cols: 80, rows: 24, env: isolatedEnv() });
      try {
        await s.waitFor(/refused the connection|cannot reach/, 15_000);
        assert.ok(!s.raw.includes('e2e-planted-token-9931'));
        s.signal(sig);
        assert.equal((await s.exit).code, code);
        assertTerminalRestored(s);
      } finally {
        await s.kill();
      }
    });
  }

  test('on ctrl+c (exit 130)', async () => {
    const s = spawnKfleet(['--kubeconfig', deadKubeconfig()], { cols: 80, rows: 24, env: isolatedEnv() });
    try {
      await s.waitFor('ctx dead', 15_000);
      s.press(KEYS['ctrl+c']);
      assert.equal((await s.exit).code, 130);
      assertTerminalRestored(s);
    } finally {
      await s.kill();
    }
  });

  test('on a crash: exit 1, a short message without the secret or a stack trace', async () => {
    const secret = 'crash-planted-token-5521';
    const s = spawnKfleet(['--kubeconfig', deadKubeconfig()], { cols: 80, rows: 24, env: { ...isolatedEnv(), KFLEET_TEST_CRASH_MS: '800', KFLEET_TEST_CRASH_SECRET: secret } });
    try {
      await s.waitFor('ctx dead', 15_000);
      assert.equal((await s.exit).code, 1);
      assertTerminalRestored(s);
      const after = s.screen();
      assert.match(after, /^kfleet crashed: test crash \(Authorization: Bearer \[redacted\]\n\(run with KFLEET_DEBUG=1 for details\)/m);
      assert.ok(!s.raw.includes(secret), 'the secret must not reach the terminal');
      assert.doesNotMatch(after, /\n\s+at /);
    } finally {
      await s.kill();
    }
  });

  test('a resize to 40x10 keeps the frame within the terminal', async () => {
    const s = spawnKfleet(['--kubeconfig', deadKubeconfig(), 'podlist'], { cols: 100, rows: 30, env: isolatedEnv() });
    try {
      await s.waitFor('ctx dead', 15_000);
      s.resize(40, 10);
      await s.waitFor(/q quit|c conte/);
      await new Promise((r) => setTimeout(r, 300));
      const lines = s.lines();
      assert.equal(lines.length, 10);
      assert.match(lines[0], /^kfleet Pod list │ ctx dead/);
      assert.match(lines[9], /^\? help · : palette/);
      s.press('q');
      assert.equal((await s.exit).code, 0);
    } finally {
      await s.kill();
    }
  });
});
