// Contexts and the fleet against a kubeconfig of several clusters (two embedded clusters, a
// closed port, a wrong token, an unresolvable host), through the real App (ink-testing-library):
// the picker lists every context with its reachability, switching shows the right cluster's
// data, `-` returns, errors say why, keys are handled while a context is unreachable, and the
// kubeconfig file is never written. The fleet poller's figures are checked against kubectl.
import React from 'react';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { cleanup, render } from 'ink-testing-library';
import { loadKubeconfig } from '../../src/config/kubeconfig.js';
import { loadKeymap } from '../../src/keys/keymap.js';
import { ContextManager } from '../../src/kube/contexts.js';
import { FleetPoller } from '../../src/kube/fleet.js';
import { WARNING_WINDOW_MS } from '../../src/model/fleet.js';
import { App } from '../../views/App.js';
import { kubectl } from '../helpers/sim.js';
import { CTX, startFleet, type FleetFixture } from './contextsFleet.fixture.js';

let fx: FleetFixture;
before(async () => {
  fx = await startFleet();
});
after(async () => {
  cleanup();
  await fx?.stop();
});

const ESC = '\x1b';
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, timeoutMs = 15_000, screen?: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (ok()) return;
    await tick(50);
  }
  assert.fail(`timed out waiting for ${what}${screen ? `; screen:\n${screen()}` : ''}`);
}

/** kubectl's view of a cluster, computed the fleet's way (see src/model/fleet.ts). */
async function kubectlFigures(context: string) {
  const k = (args: string[]) => kubectl(fx.kubeconfig, ['--context', context, ...args]);
  const nodes = JSON.parse(await k(['get', 'nodes', '-o', 'json'])).items as { status: { conditions: { type: string; status: string }[] } }[];
  const pods = (await k(['get', 'pods', '-A', '--no-headers', '--field-selector', 'status.phase!=Succeeded,status.phase!=Failed'])).trim().split('\n').filter(Boolean);
  const cols = pods.map((l) => l.trim().split(/\s+/)); // NAMESPACE NAME READY STATUS ...
  const events = JSON.parse(await k(['get', 'events', '-A', '--field-selector', 'type=Warning', '-o', 'json'])).items as { lastTimestamp?: string; eventTime?: string }[];
  const now = Date.now();
  return {
    nodesTotal: nodes.length,
    nodesReady: nodes.filter((n) => n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True')).length,
    podsTotal: cols.length,
    podsNotReady: cols.filter((c) => {
      const [a, b] = c[2].split('/').map(Number);
      return a < b;
    }).length,
    crashLooping: cols.filter((c) => c[3] === 'CrashLoopBackOff').length,
    warnings10m: events.filter((e) => Date.parse(e.lastTimestamp ?? e.eventTime ?? '') >= now - WARNING_WINDOW_MS).length,
  };
}

describe('fleet poller on a multi-context kubeconfig', () => {
  test('one row per context: figures from light queries, errors with their reason', async () => {
    const cm = new ContextManager(loadKubeconfig({ explicitPath: fx.kubeconfig }));
    const poller = new FleetPoller(cm);
    const off = poller.subscribe(() => {}, { full: true });
    try {
      await until('every context polled', () => poller.rows().every((r) => r.phase === 'error' || r.figures !== undefined));
      await poller.idle();
      const row = (n: string) => poller.row(n)!;
      const inc = row(CTX.incident);
      const hl = row(CTX.healthy);
      // Hand-checked from src/sim/scenarios/incident.ts and small.ts (healthy).
      assert.equal(inc.phase, 'connected');
      assert.equal(inc.version, 'v1.32.4');
      assert.equal(inc.source, 'poll');
      assert.deepEqual(
        { nodes: `${inc.figures!.nodesReady}/${inc.figures!.nodesTotal}`, crash: inc.figures!.crashLooping, vols: inc.figures!.volumeConflicts, roll: inc.figures!.failingRollouts },
        { nodes: '5/6', crash: 1, vols: 2, roll: 1 }, // worker-e NotReady; shop/checkout rev 3; cart-data + reports-cache; checkout ProgressDeadlineExceeded
      );
      assert.deepEqual(
        { nodes: `${hl.figures!.nodesReady}/${hl.figures!.nodesTotal}`, crash: hl.figures!.crashLooping, vols: hl.figures!.volumeConflicts, roll: hl.figures!.failingRollouts, notReady: hl.figures!.podsNotReady, pods: hl.figures!.podsTotal, warn: hl.figures!.warnings10m },
        { nodes: '3/3', crash: 0, vols: 0, roll: 0, notReady: 0, pods: 5, warn: 0 },
      );
      // healthy: 5 pods x 100m / 12 cpu = 4%; 5 x 128Mi / 48Gi = 1% (truncated).
      assert.equal(hl.figures!.cpuRequestedPct, 4);
      assert.equal(hl.figures!.memRequestedPct, 1);
      // The same counts from kubectl.
      for (const [name, r] of [[CTX.incident, inc], [CTX.healthy, hl]] as const) {
        const k = await kubectlFigures(name);
        const f = r.figures!;
        assert.deepEqual(
          { nodesTotal: f.nodesTotal, nodesReady: f.nodesReady, podsTotal: f.podsTotal, podsNotReady: f.podsNotReady, crashLooping: f.crashLooping, warnings10m: f.warnings10m },
          k,
          name,
        );
      }
      assert.deepEqual(
        [CTX.down, CTX.badToken, CTX.noDns].map((n) => [n, row(n).phase, row(n).errorKind]),
        [
          [CTX.down, 'error', 'network'],
          [CTX.badToken, 'error', 'unauthorized'],
          [CTX.noDns, 'error', 'dns'],
        ],
      );
      assert.match(row(CTX.down).error!, /refused the connection/);
      assert.match(row(CTX.badToken).error!, /401 Unauthorized/);
      assert.doesNotMatch(JSON.stringify(poller.rows()), /wrong-token/);
      // Cost per context per poll (figures for the note, not assertions on time).
      const costs = Object.fromEntries([...poller.costs].map(([n, c]) => [n, `${c.requests} requests, ${(c.bytes / 1024).toFixed(1)} KB, ${c.ms} ms`]));
      console.log('fleet poll cost per context:', costs);
      assert.equal(poller.costs.get(CTX.incident)!.requests, 6); // version, nodes, pods Table, pods, deployments, events: one page each
      // A warm context is read from its store: the same figures, no request.
      cm.switchTo(CTX.incident);
      await until('warm row', () => poller.row(CTX.incident)!.source === 'warm' && poller.row(CTX.incident)!.updatedAt! > inc.updatedAt!, 20_000);
      const warm = poller.row(CTX.incident)!.figures!;
      assert.deepEqual({ ...warm, warnings10m: 0 }, { ...inc.figures!, warnings10m: 0 });
    } finally {
      off();
      poller.stop();
      await cm.close();
    }
  });
});

describe('switching contexts in the app', () => {
  test('picker lists every context; enter switches; - returns; unreachable shows why; keys still work', async () => {
    const keymap = loadKeymap();
    const cm = new ContextManager(loadKubeconfig({ explicitPath: fx.kubeconfig }), { warm: 3 });
    const poller = new FleetPoller(cm);
    cm.switchTo(CTX.incident);
    const t = render(React.createElement(App, { contexts: cm, keymap, fleet: poller, width: 140, height: 30, initialView: 'podlist', onExit: () => {} }));
    const screen = () => t.lastFrame() ?? '';
    const type = async (...keys: string[]) => {
      for (const k of keys) {
        t.stdin.write(k);
        await tick(k === ESC ? 30 : 5);
      }
    };
    try {
      await until('incident pods', () => screen().includes('checkout-'), 15_000, screen);
      assert.match(screen(), /ctx prod-us-east-incident │ ns all namespaces/);

      // The picker: every context, with cluster, user, namespace and reachability.
      await type('c');
      await until('reachability of every context', () => /✗ 401/.test(screen()) && /✗ DNS/.test(screen()) && /✗ unreachable/.test(screen()) && /staging-eu-healthy\s+ok \d+ms/.test(screen()), 15_000, screen);
      const s = screen();
      assert.match(s, /Switch context \(5\)/);
      assert.match(s, /> \* prod-us-east-incident\s+ok( \d+ms)? \(warm\)\s+prod-us-east-incident\s+prod-us-east-incident-user/);
      assert.match(s, /staging-eu-healthy\s+ok \d+ms\s+staging-eu-healthy\s+staging-eu-healthy-user\s+apps/);
      assert.match(s, /dr-down\s+✗ unreachable/);
      assert.match(s, /prod-badtoken\s+✗ 401/);
      assert.match(s, /gone-dns\s+✗ DNS/);

      // Fuzzy search, enter switches; the context's namespace (apps) becomes the scope.
      await type('s', 't', 'g');
      assert.match(screen(), /Switch context \(1\/5\)/);
      await type('\r');
      assert.match(screen(), /ctx staging-eu-healthy │ ns apps/);
      await until('healthy pods', () => /Pods — 5 in namespace apps/.test(screen()) && /web-\w+-\w+\s+1\/1\s+Running/.test(screen()), 15_000, screen);
      assert.doesNotMatch(screen(), /checkout-/);

      // `-` back: the incident cluster is warm, its pods are there at once.
      await type('-');
      assert.match(screen(), /ctx prod-us-east-incident │ ns all namespaces/);
      assert.match(screen(), /checkout-/);

      // An unreachable context: connecting, then the reason; the UI keeps taking keys.
      await type(':', 'ctx dr-down', '\r');
      assert.match(screen(), /ctx dr-down/);
      await until('the reason', () => /refused the connection/.test(screen()), 15_000, screen);
      await type('c');
      assert.match(screen(), /Switch context/); // a keypress handled while the context is down
      await type(ESC);
      await type('-');
      assert.match(screen(), /ctx prod-us-east-incident/);
      assert.match(screen(), /checkout-/);

      // Wrong token: 401, said so.
      await type(':', 'ctx prod-badtoken', '\r');
      await until('401', () => /401 Unauthorized/.test(screen()), 15_000, screen);
      assert.doesNotMatch(screen(), /wrong-token/);

      // The kubeconfig file was never written.
      assert.deepEqual(fs.readFileSync(fx.kubeconfig), fx.bytes);
    } finally {
      t.unmount();
      poller.stop();
      await cm.close();
    }
  });

  test('namespace picker and :ns scope the views; the header says so', async () => {
    const keymap = loadKeymap();
    const cm = new ContextManager(loadKubeconfig({ explicitPath: fx.kubeconfig }));
    cm.switchTo(CTX.incident);
    const t = render(React.createElement(App, { contexts: cm, keymap, width: 140, height: 30, initialView: 'podlist', onExit: () => {} }));
    const screen = () => t.lastFrame() ?? '';
    try {
      await until('incident pods', () => screen().includes('checkout-'), 15_000, screen);
      t.stdin.write('n');
      await tick(10);
      assert.match(screen(), /Namespace scope \(9\)/); // (all namespaces) + 8 namespaces
      assert.match(screen(), /> \* \(all namespaces\)/);
      for (const k of 'paym') {
        t.stdin.write(k);
        await tick(5);
      }
      t.stdin.write('\r');
      await tick(20);
      assert.match(screen(), /ns payments/);
      assert.match(screen(), /ledger-0/);
      assert.doesNotMatch(screen(), /checkout-/);
      t.stdin.write(':');
      await tick(5);
      t.stdin.write('ns all');
      await tick(5);
      t.stdin.write('\r');
      await tick(20);
      assert.match(screen(), /ns all namespaces/);
      assert.match(screen(), /checkout-/);
    } finally {
      t.unmount();
      await cm.close();
    }
  });
});
