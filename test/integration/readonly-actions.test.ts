// Every action path from the UI against the embedded cluster (real HTTPS, the App shell in
// ink-testing-library, a real ClusterConnection): delete pod, rollout restart, scale, cordon,
// uncordon and drain from the pod list and the object detail, checked on the server; and
// --readonly blocking every path: each of Actions' ACTION_TYPES refused with no request, and
// every action key of the UI refused before any dialog, the server unchanged.
import React from 'react';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { render } from 'ink-testing-library';
import type { Response } from 'undici';
import { configForContext, loadKubeconfig } from '../../src/config/kubeconfig.js';
import { loadKeymap } from '../../src/keys/keymap.js';
import { ACTION_TYPES, Actions, READONLY_MESSAGE, type Action, type ActionType } from '../../src/kube/actions.js';
import { ActionLog, type ActionLogEntry } from '../../src/kube/actionLog.js';
import { KubeClient, type RequestOptions } from '../../src/kube/client.js';
import { ClusterConnection } from '../../src/kube/connection.js';
import { writeKubeconfig } from '../../src/sim/kubeconfig.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { App, type ContextSource } from '../../views/App.js';
import { ActionsContext } from '../../views/actionsContext.js';

const ESC = '\x1b';
const CTRL_D = '\x04';
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** Records every request Actions sends. */
class SpyClient extends KubeClient {
  requests: string[] = [];
  override async raw(p: string, opts: RequestOptions = {}): Promise<Response> {
    this.requests.push(`${opts.method ?? 'GET'} ${p}`);
    return super.raw(p, opts);
  }
}

let sim: SimServer;
let kubeconfig: string;
let conn: ClusterConnection;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-readonly-actions-'));
const get = (resource: string, key: string): any => sim.store.get(resource, key); // eslint-disable-line @typescript-eslint/no-explicit-any

function spy(): SpyClient {
  return new SpyClient(configForContext(loadKubeconfig({ explicitPath: kubeconfig }), 'sim').kc, 'sim');
}

before(async () => {
  sim = await startSimServer({ scenario: 'incident' });
  kubeconfig = writeKubeconfig([{ name: 'sim', server: sim.url, token: sim.token, ca: sim.ca }]);
  conn = new ClusterConnection(spy(), { metricsIntervalMs: 60_000, notifyIntervalMs: 10 });
  conn.start();
});

after(async () => {
  await conn.stop();
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function contextsFor(c: ClusterConnection): ContextSource {
  return { contexts: [{ name: 'sim', server: c.client.server }], currentName: 'sim', previous: undefined, namespace: undefined, current: c, switchTo: () => undefined, switchBack: () => undefined, setNamespace: () => undefined, onSwitch: () => () => undefined };
}

function mount(readonly: boolean, logName: string) {
  const client = spy();
  const log = new ActionLog({ path: path.join(dir, logName) });
  const actions = new Actions({ client, contextName: 'sim', readonly, log, pollIntervalMs: 50 });
  const r = render(
    React.createElement(
      ActionsContext.Provider,
      { value: actions },
      React.createElement(App, { contexts: contextsFor(conn), keymap: loadKeymap(), width: 140, height: 40, initialView: 'podlist', readonly, onExit: () => undefined }),
    ),
  );
  const screen = () => r.lastFrame() ?? '';
  const logLines = (): ActionLogEntry[] => (fs.existsSync(log.path) ? fs.readFileSync(log.path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ActionLogEntry) : []);
  return { ...r, client, screen, logLines };
}

async function until<T>(what: string, fn: () => T | undefined | false, screen?: () => string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}${screen ? `; screen:\n${screen()}` : ''}`);
    await tick(25);
  }
}

async function type(stdin: { write(s: string): void }, ...keys: string[]) {
  for (const k of keys) {
    stdin.write(k);
    await tick(k === ESC ? 60 : 30);
  }
}

/** Filter the pod list down to one pod (the cursor is then on it). */
async function selectPod(t: ReturnType<typeof mount>, name: string) {
  await until('the pods listed', () => /Pods — \d+ in all namespaces/.test(t.screen()) && t.screen().includes('payments'), t.screen);
  await type(t.stdin, '/', name, '\r');
  await until(`${name} selected`, () => new RegExp(`^> \\S+\\s+${name}`, 'm').test(t.screen()) && /Pods — 1 of/.test(t.screen()), t.screen);
}

async function confirmed(t: ReturnType<typeof mount>, title: RegExp) {
  await until(`dialog ${title}`, () => title.test(t.screen()), t.screen);
  assert.match(t.screen(), /│ context: sim +│/);
  await type(t.stdin, 'y');
  // The dialog stays (busy) until the action's answer is back, which can come after the server
  // has changed: the next key must wait for it to close (a loaded CI run typed into it).
  await until(`dialog ${title} closed`, () => !title.test(t.screen()), t.screen);
}

describe('--readonly blocks every action path', () => {
  test('Actions: each ACTION_TYPE is refused without a single request, and logged as refused', async () => {
    const samples: Record<ActionType, Action> = {
      rolloutUndo: { type: 'rolloutUndo', kind: 'Deployment', namespace: 'shop', name: 'checkout' },
      rolloutRestart: { type: 'rolloutRestart', kind: 'Deployment', namespace: 'shop', name: 'checkout' },
      scale: { type: 'scale', kind: 'Deployment', namespace: 'shop', name: 'checkout', replicas: 5 },
      deletePod: { type: 'deletePod', namespace: 'kube-system', name: 'debug-shell' },
      deleteVolumeAttachment: { type: 'deleteVolumeAttachment', name: 'csi-anything' },
      cordon: { type: 'cordon', name: 'worker-a' },
      uncordon: { type: 'uncordon', name: 'worker-d' },
      drain: { type: 'drain', name: 'worker-b', ignoreDaemonSets: true, force: true },
    };
    // Every type Actions knows has a sample here: a new action type fails this test until added.
    assert.deepEqual([...ACTION_TYPES].sort(), Object.keys(samples).sort());
    const client = spy();
    const log = new ActionLog({ path: path.join(dir, 'ro-actions.log') });
    const actions = new Actions({ client, contextName: 'sim', readonly: true, log });
    for (const type of ACTION_TYPES) {
      const r = await actions.run(samples[type]);
      assert.deepEqual(r, { ok: false, message: READONLY_MESSAGE }, type);
    }
    assert.deepEqual(client.requests, []);
    const logged = fs.readFileSync(log.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ActionLogEntry);
    assert.deepEqual(logged.map((e) => [e.action, e.result]), ACTION_TYPES.map((t) => [t, 'refused']));
  });

  test('UI: every action key in the pod list and the object detail is refused before any dialog; nothing reaches the server', async () => {
    const t = mount(true, 'ro-ui.log');
    try {
      await selectPod(t, 'debug-shell');
      const keys: [string, string][] = [[CTRL_D, 'delete'], ['r', 'restart'], ['s', 'scale'], ['x', 'cordon'], ['D', 'drain']];
      for (const [key, action] of keys) {
        await type(t.stdin, key);
        await until(`refusal of ${action}`, () => t.screen().includes(`refused: --readonly (${action})`), t.screen);
        assert.doesNotMatch(t.screen(), /y\/enter confirm/);
      }
      await type(t.stdin, '\r');
      await until('the detail', () => /Pod kube-system\/debug-shell/.test(t.screen()), t.screen);
      for (const [key, action] of keys) {
        await type(t.stdin, key);
        await until(`refusal of ${action} in the detail`, () => t.screen().includes(`refused: --readonly (${action})`), t.screen);
        assert.doesNotMatch(t.screen(), /y\/enter confirm/);
      }
      // The other views' action keys too: rollouts undo, volumes fix.
      await type(t.stdin, ESC, ESC, '4');
      await until('rollouts', () => /Rollouts — /.test(t.screen()), t.screen);
      await type(t.stdin, 'u');
      await until('undo refused', () => t.screen().includes('refused: --readonly (undo)'), t.screen);
      await type(t.stdin, '3');
      await until('volumes', () => /kfleet Volumes/.test(t.screen()), t.screen);
      await type(t.stdin, 'x');
      await until('fix refused', () => t.screen().includes('refused: --readonly (fix)'), t.screen);
      assert.deepEqual(t.client.requests, []);
      // Refused by the shell before any Actions call, and still every attempt is in the log.
      const logged = t.logLines();
      assert.deepEqual(
        logged.map((e) => [e.context, e.action, e.object, e.result]),
        [
          ...keys.map(([, action]) => ['sim', action, 'podlist view', 'refused']),
          ...keys.map(([, action]) => ['sim', action, 'detail view', 'refused']),
          ['sim', 'undo', 'rollouts view', 'refused'],
          ['sim', 'fix', 'volumes view', 'refused'],
        ],
      );
      assert.ok(logged.every((e) => e.message === 'refused: kfleet is in --readonly mode'));
      assert.ok(get('pods', 'kube-system/debug-shell'));
      assert.notEqual(get('nodes', 'worker-c').spec.unschedulable, true);
    } finally {
      t.unmount();
    }
  });
});

describe('each action path from the UI, against the embedded cluster', () => {
  test('delete pod from the pod list: confirm, then it is gone on the server and from the list', async () => {
    const t = mount(false, 'rw-delete.log');
    try {
      await selectPod(t, 'debug-shell');
      await type(t.stdin, CTRL_D);
      await until('dialog', () => /│ Delete pod\/debug-shell +│/.test(t.screen()), t.screen);
      assert.match(t.screen(), /│ object: {2}pod\/debug-shell in namespace kube-system +│/);
      await type(t.stdin, 'n');
      await tick(100);
      assert.ok(get('pods', 'kube-system/debug-shell'), 'cancel sends nothing');
      await type(t.stdin, CTRL_D);
      await confirmed(t, /│ Delete pod\/debug-shell +│/);
      await until('deleted on the server', () => !get('pods', 'kube-system/debug-shell'));
      await until('gone from the list', () => /no pod matches \/debug-shell/.test(t.screen()), t.screen);
      assert.match(t.screen(), /pod "debug-shell" deleted/);
      assert.deepEqual(t.client.requests, ['DELETE /api/v1/namespaces/kube-system/pods/debug-shell']);
      assert.deepEqual(t.logLines().map((e) => [e.action, e.object, e.namespace, e.result]), [['deletePod', 'pod/debug-shell', 'kube-system', 'ok']]);
    } finally {
      t.unmount();
    }
  });

  test('rollout restart and scale of the pod’s Deployment; cordon then uncordon its node; drain refused by its safeguards', async () => {
    const t = mount(false, 'rw-more.log');
    try {
      // The node of a standalone pod (grafana on worker-b): cordon, uncordon, drain.
      await selectPod(t, 'grafana');
      await type(t.stdin, 'x');
      await confirmed(t, /│ Cordon node\/worker-b +│/);
      await until('worker-b cordoned', () => get('nodes', 'worker-b').spec.unschedulable === true);
      await until('the store saw it', () => conn.store.get('nodes', 'worker-b')?.spec.unschedulable === true);
      await type(t.stdin, 'x');
      await confirmed(t, /│ Uncordon node\/worker-b +│/);
      await until('worker-b schedulable', () => !get('nodes', 'worker-b').spec.unschedulable);
      await type(t.stdin, 'D');
      await confirmed(t, /│ Drain node\/worker-b +│/);
      await until('drain result', () => /cannot delete/.test(t.screen()), t.screen);
      assert.match(t.screen(), /cannot delete Pods that declare no controller/);
      assert.equal(get('pods', 'monitoring/grafana').metadata.name, 'grafana'); // drain's safeguard kept it

      // The Deployment of a ReplicaSet's pod: scale (s opens it with the replica prompt), restart.
      await type(t.stdin, '/', '\x15', 'frontend-rmk4jz7h9n-k3m8d', '\r');
      await until('frontend selected', () => /^> shop\s+frontend-rmk4jz7h9n-k3m8d/m.test(t.screen()), t.screen);
      await type(t.stdin, 's');
      await until('scale prompt', () => /scale deployment\/frontend to 2 replicas/.test(t.screen()), t.screen);
      await type(t.stdin, 'k', '\r');
      await confirmed(t, /│ Scale deployment\/frontend +│/);
      await until('replicas 3 on the server', () => get('deployments', 'shop/frontend').spec.replicas === 3);
      const restartedAt = () => get('deployments', 'shop/frontend').spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
      const before = restartedAt();
      await type(t.stdin, 'r'); // in the Deployment's detail: restart it
      await confirmed(t, /│ Restart deployment\/frontend +│/);
      await until('a new restartedAt on the server', () => restartedAt() && restartedAt() !== before);
      await until('logged', () => t.logLines().length === 5);
      const logged = t.logLines().map((e) => [e.action, e.object, e.result]);
      assert.deepEqual(logged, [
        ['cordon', 'node/worker-b', 'ok'],
        ['uncordon', 'node/worker-b', 'ok'],
        ['drain', 'node/worker-b', 'failed'],
        ['scale', 'deployment/frontend', 'ok'],
        ['rolloutRestart', 'deployment/frontend', 'ok'],
      ]);
    } finally {
      t.unmount();
    }
  });
});
