// The built CLI in a pseudo-terminal on ONE kubeconfig of several clusters (two embedded
// clusters, a closed port, a wrong token, an unresolvable host): start on the incident
// cluster, `c`, pick the healthy one, `-` back, then `:fleet`; the fleet rows match each
// cluster's scenario. Prints the time from `enter` in the picker to the new context's first
// frame (and first data), and back with `-`. Needs `npm run build` first (npm test does).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KEYS, spawnKfleet, type PtySession } from '../helpers/pty.js';
import { CTX, startFleet, type FleetFixture } from '../integration/contextsFleet.fixture.js';

let fx: FleetFixture;
before(async () => {
  fx = await startFleet();
});
after(async () => {
  await fx?.stop();
});

/** Milliseconds until the screen matches (polled every 5 ms: the figures are printed). */
async function timeTo(s: PtySession, what: RegExp, timeoutMs = 15_000): Promise<number> {
  const t0 = performance.now();
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (what.test(s.screen())) return Math.round(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${s.screen()}`);
}

test('c picks a context, - returns, :fleet shows every cluster worst first', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-e2e-home-'));
  const s = spawnKfleet(['podlist', '--kubeconfig', fx.kubeconfig], { cols: 120, rows: 40, env: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), KUBECONFIG: undefined } });
  try {
    await s.waitFor(/shop\s+checkout-\S+\s+0\/1\s+CrashLoopBackOff/, 30_000);
    assert.match(s.screen(), /ctx prod-us-east-incident │ ns all namespaces/);

    s.press('c');
    await s.waitFor('Switch context (5)');
    await s.waitFor(/staging-eu-healthy\s+ok/);
    s.press('stag');
    await s.waitFor('Switch context (1/5)');
    s.press(KEYS.enter);
    const t0 = performance.now();
    await timeTo(s, /ctx staging-eu-healthy │ ns apps/);
    const firstFrame = Math.round(performance.now() - t0);
    await timeTo(s, /web-\w+-\w+\s+1\/1\s+Running/);
    const firstData = Math.round(performance.now() - t0);
    assert.match(s.screen(), /Pods — 5 in namespace apps/);
    assert.doesNotMatch(s.screen(), /checkout-/);

    s.press('-');
    const back = await timeTo(s, /ctx prod-us-east-incident[\s\S]*checkout-/);
    console.log(`context switch: enter -> first frame ${firstFrame} ms, -> first data ${firstData} ms (cold context); "-" back -> data ${back} ms (warm context)`);

    s.press(':');
    await s.waitFor(':█');
    s.press('fleet');
    s.press(KEYS.enter);
    await s.waitFor(/Fleet — 5 contexts/);
    // Wait for both clusters' figures (the healthy one is warm now, the incident one current).
    const rows = () => s.lines().filter((l) => /^[> ] /.test(l)); // table rows (the header line starts with kfleet)
    const row = (name: string) => rows().find((l) => l.includes(name)) ?? '';
    await timeTo(s, /staging-eu-healthy\s+ok warm.*\d+\/\d+/);
    await timeTo(s, /prod-us-east-incident\s+ok warm.*\d+\/\d+/);
    const header = s.lines().find((l) => l.includes('CONTEXT'))!;
    assert.match(header, /CONTEXT\s+STATUS\s+LAT\s+VERSION\s+NODES\s+CPU%\s+MEM%\s+NRDY\s+CRASH\s+VOLS\s+ROLL\s+WARN/);
    // Hand-checked from the scenarios: incident 5/6 nodes ready, 4 pods not ready, 1 crash-looping,
    // 2 volume conflicts, 1 failing rollout; healthy 3/3 and nothing wrong.
    assert.match(row(CTX.incident), /prod-us-east-incident\s+ok warm\s+\d+ms\s+v1\.32\.4\s+5\/6\s+38%\s+23%\s+4\s+1\s+2\s+1\s+\d+/);
    assert.match(row(CTX.healthy), /staging-eu-healthy\s+ok warm\s+\d+ms\s+v1\.32\.4\s+3\/3\s+4%\s+1%\s+0\s+0\s+0\s+0\s+0/);
    assert.match(row(CTX.down), /dr-down\s+✗ unreachable/);
    assert.match(row(CTX.badToken), /prod-badtoken\s+✗ 401/);
    assert.match(row(CTX.noDns), /gone-dns\s+✗ DNS/);
    // Worst first: unreachable ones, then the incident, then the healthy cluster.
    const order = rows().filter((l) => Object.values(CTX).some((c) => l.includes(c))).map((l) => Object.values(CTX).find((c) => l.includes(c)));
    assert.deepEqual(order.slice(3), [CTX.incident, CTX.healthy]);
    assert.deepEqual(new Set(order.slice(0, 3)), new Set([CTX.down, CTX.badToken, CTX.noDns]));

    s.press('q');
    assert.equal((await s.exit).code, 0);
    assert.deepEqual(fs.readFileSync(fx.kubeconfig), fx.bytes); // switching never writes kubeconfig
  } finally {
    await s.kill();
  }
});
