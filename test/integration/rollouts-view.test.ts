// The rollouts view against the embedded cluster: a real ClusterConnection watches the
// "incident" scenario, the App shell renders it (ink-testing-library), and the undo goes
// through the real Actions over HTTP. The sim's deployment controller then rolls the old
// template out again, and the row is seen completing.
import React from 'react';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { render } from 'ink-testing-library';
import { configForContext, loadKubeconfig } from '../../src/config/kubeconfig.js';
import { loadKeymap } from '../../src/keys/keymap.js';
import { Actions } from '../../src/kube/actions.js';
import { ActionLog } from '../../src/kube/actionLog.js';
import { KubeClient } from '../../src/kube/client.js';
import { ClusterConnection } from '../../src/kube/connection.js';
import { startSim, type SimHandle } from '../../src/sim/launch.js';
import { App, type ContextSource } from '../../views/App.js';
import { ActionsContext } from '../../views/actionsContext.js';

const ESC = '\x1b';
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

let sim: SimHandle;
let conn: ClusterConnection;
let client: KubeClient;
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-rollouts-view-'));

before(async () => {
  sim = await startSim({ scenario: 'incident' });
  const loaded = loadKubeconfig({ explicitPath: sim.kubeconfigPath });
  client = new KubeClient(configForContext(loaded, sim.context).kc, sim.context);
  conn = new ClusterConnection(client, { metricsIntervalMs: 60_000, notifyIntervalMs: 10 });
  conn.start();
});

after(async () => {
  await conn.stop();
  await sim.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 20_000, screen?: () => string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}${screen ? `; screen:\n${screen()}` : ''}`);
    await tick(50);
  }
}

function contextsFor(c: ClusterConnection, name: string): ContextSource {
  return {
    contexts: [{ name, server: c.client.server }],
    currentName: name,
    previous: undefined,
    namespace: undefined,
    current: c,
    switchTo: () => undefined,
    switchBack: () => undefined,
    setNamespace: () => undefined,
    onSwitch: () => () => undefined,
  };
}

async function type(stdin: { write(s: string): void }, ...keys: string[]) {
  for (const k of keys) {
    stdin.write(k);
    await tick(k === ESC ? 40 : 10);
  }
  await tick(20);
}

describe('rollouts view on the incident cluster', () => {
  test('failing first, history of shop/checkout, undo with confirm, rollout followed to completion', async () => {
    const log = new ActionLog({ path: path.join(stateDir, 'actions.log') });
    const actions = new Actions({ client, contextName: sim.context, readonly: false, log });
    const r = render(
      React.createElement(
        ActionsContext.Provider,
        { value: actions },
        React.createElement(App, { contexts: contextsFor(conn, sim.context), keymap: loadKeymap(), width: 160, height: 40, initialView: 'rollouts', onExit: () => undefined }),
      ),
    );
    const screen = () => r.lastFrame() ?? '';
    try {
      // Revisions come from ReplicaSets and ControllerRevisions: wait until those are listed too
      // (they start after the pods list), then for the frame that shows them.
      const kinds = ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'controllerrevisions', 'pods'] as const;
      await until('the workload kinds synced', () => kinds.every((k) => conn.store.state(k).phase === 'synced'), 20_000, screen);
      await until('the workloads listed', () => /payments\/ledger\s+sts\s+2/.test(screen()) && /monitoring\/node-exporter/.test(screen()) && /shop\/checkout/.test(screen()), 20_000, screen);
      const lines = screen().split("\n");
      const rowOf = (name: string) => lines.findIndex((l) => l.includes(` ${name} `));
      // Failing first: checkout (stalled, crash-looping pod) is the first row, selected.
      const header = lines.findIndex((l) => /NAME\s+.*STATE/.test(l));
      assert.ok(header > 0, screen());
      assert.match(lines[header + 1], /^> shop\/checkout\s+deploy\s+3\s+✗ stalled\s+▇▁▁▁ 1\/3\s+3\/3\s+3\s+1 CrashLoopBackOff, ProgressDeadlineExceeded\s+checkout:1\.6\.0-crash$/);
      // Then the other failing ones: pods stuck on a volume another node holds.
      assert.match(lines[rowOf('analytics/reports')], /✗ progressing\s+▇▇▇▇ 1\/1\s+0\/1\s+0\s+1 FailedAttachVolume\s+reports:3\.1\.2$/);
      assert.match(lines[rowOf('shop/cart')], /deploy\s+2\s+✗ (progressing|stalled)\s+▇▇▇▇ 1\/1\s+1\/1\s+1\s+1 FailedAttachVolume/);
      assert.ok(rowOf('analytics/reports') < rowOf('shop/recommender') && rowOf('shop/cart') < rowOf('shop/recommender'));
      // Healthy ones after the failing and progressing ones; paused before complete ones.
      assert.ok(rowOf('shop/checkout') < rowOf('shop/recommender'));
      assert.match(lines[rowOf('shop/recommender')], /‖ paused/);
      assert.ok(rowOf('shop/recommender') < rowOf('kube-system/coredns'));
      assert.match(lines[rowOf('kube-system/coredns')], /deploy\s+1\s+✓ complete\s+▇▇▇▇ 2\/2\s+2\/2\s+2\s+coredns:v1\.11\.3$/);
      assert.match(lines[rowOf('payments/ledger')], /sts\s+2\s+✓ complete\s+▇▇▇▇ 3\/3\s+3\/3\s+3\s+ledger:2\.1\.0$/);
      assert.match(lines[rowOf('monitoring/node-exporter')], /ds\s+2\s+✓ complete\s+▇▇▇▇ 6\/6\s+6\/6\s+6\s+node-exporter:v1\.8\.2$/);
      // The selected row's details: kubectl's status message, the crash-looping pod.
      assert.match(screen(), /^checkout rev 3: deployment "checkout" exceeded its progress deadline · desired 3 updated 1 ready 3/m);
      assert.match(screen(), /pods: 1 CrashLoopBackOff \(checkout-[a-z0-9]+-w2c6n\)/);

      // History: every revision with its change-cause, newest first; the diff against the current one.
      await type(r.stdin, '\r');
      await until('history', () => /History of deploy shop\/checkout — 3 revisions/.test(screen()), 5000, screen);
      let s = screen();
      assert.match(s, /REVISION\s+AGE\s+IMAGES\s+CHANGE-CAUSE/);
      assert.match(s, /> 3 \(current\)\s+40m\s+checkout:1\.6\.0-crash\s+kubectl set image deployment\/checkout checkout=registry\.example\.com\/shop\/checkout:1\.6\.0-crash/);
      assert.match(s, /  2\s+6d\s+checkout:1\.5\.0\s+kubectl set image deployment\/checkout checkout=registry\.example\.com\/shop\/checkout:1\.5\.0/);
      assert.match(s, /  1\s+20d\s+checkout:1\.4\.0\s+kubectl set image deployment\/checkout checkout=registry\.example\.com\/shop\/checkout:1\.4\.0/);
      assert.match(s, /── revision 3 is the current revision; its pod template ─/);
      assert.match(s, /^ +image: registry\.example\.com\/shop\/checkout:1\.6\.0-crash$/m);
      await type(r.stdin, 'j');
      s = screen();
      assert.match(s, /template diff, current → revision 2: -1 \+1/);
      assert.match(s, /^- +image: registry\.example\.com\/shop\/checkout:1\.6\.0-crash$/m);
      assert.match(s, /^\+ +image: registry\.example\.com\/shop\/checkout:1\.5\.0$/m);
      await type(r.stdin, ESC);
      await until('back to the list', () => /^Rollouts — /m.test(screen()), 5000, screen);

      // u: the confirm names the target revision and shows the diff; n cancels, nothing changes.
      await type(r.stdin, 'u');
      s = screen();
      assert.match(s, /Roll back deployment shop\/checkout to revision 2/);
      assert.match(s, /object: +deployment shop\/checkout \(now at revision 3\)/);
      assert.match(s, /revision 3 → 2 · kubectl set image deployment\/checkout checkout=registry\.example\.com\//);
      assert.match(s, /checkout: registry\.example\.com\/shop\/checkout:1\.6\.0-crash → registry\.example\.com\//);
      assert.match(s, /- +image: registry\.example\.com\/shop\/checkout:1\.6\.0-crash/);
      assert.match(s, /same as: kubectl rollout undo deployment\/checkout -n shop/);
      await type(r.stdin, 'n');
      assert.doesNotMatch(screen(), /now at revision 3/);
      const before = await client.json<{ metadata: { annotations: Record<string, string> } }>('/apis/apps/v1/namespaces/shop/deployments/checkout');
      assert.equal(before.metadata.annotations['deployment.kubernetes.io/revision'], '3');

      // u, y: rolled back through Actions; the row follows the new rollout until it completes.
      await type(r.stdin, 'u');
      await type(r.stdin, 'y');
      await until('the undo result', () => /rolled back|rolling back/.test(screen()), 10_000, screen);
      const done = await until('the rollout to complete', () => /✓ rollback of deploy shop\/checkout complete · ▇▇▇▇▇▇▇▇▇▇ 3\/3 updated · 3\/3 ready · now revision 4 \(revision 2's template\)/.test(screen()) && screen(), 60_000, screen);
      const row = done.split('\n').find((l) => l.startsWith('> shop/checkout'));
      assert.match(row ?? '', /^> shop\/checkout\s+deploy\s+4\s+✓ complete\s+▇▇▇▇ 3\/3\s+3\/3\s+3\s+checkout:1\.5\.0\s+RollingUpdate 25%\/25%$/, done);
      const after = await client.json<{ metadata: { annotations: Record<string, string> }; spec: { template: { spec: { containers: { image: string }[] } } } }>(
        '/apis/apps/v1/namespaces/shop/deployments/checkout',
      );
      assert.equal(after.metadata.annotations['deployment.kubernetes.io/revision'], '4');
      assert.equal(after.spec.template.spec.containers[0].image, 'registry.example.com/shop/checkout:1.5.0');
      const logged = fs.readFileSync(path.join(stateDir, 'actions.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(logged.length, 1);
      assert.deepEqual([logged[0].action, logged[0].object, logged[0].fromRevision, logged[0].toRevision, logged[0].result], ['rolloutUndo', 'deployment/checkout', 3, 2, 'ok']);

      // A Deployment with one revision: kubectl's refusal, no dialog.
      await type(r.stdin, '/', 'recommender', '\r');
      await until('filtered', () => /Rollouts — 1 of 9 workloads matching \/recommender in all namespaces/.test(screen()), 5000, screen);
      assert.doesNotMatch(screen(), /shop\/checkout/);
      await type(r.stdin, 'u');
      assert.match(screen(), /✗ deployment shop\/recommender: no rollout history found for deployment "recommender"/);
      assert.doesNotMatch(screen(), /object: /);
    } finally {
      r.unmount();
    }
  });
});
