import React from 'react'; // eslint-disable-line @typescript-eslint/no-unused-vars
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import type { LogClient } from '../../src/kube/logs.js';
import type { Deployment, ReplicaSet } from '../../src/kube/types.js';
import { FakeContexts, syncAll, tick } from './fixtures.js';
import { ESC, FakeActions, mountApp, richPod, type } from './toolkitFixtures.js';

afterEach(() => cleanup());

function cluster(unschedulable = false) {
  const contexts = new FakeContexts(['prod-eu']);
  const s = contexts.store;
  const dep: Deployment = {
    metadata: { name: 'checkout', namespace: 'shop', uid: 'uid-dep', resourceVersion: '1' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'checkout' } }, template: { spec: { containers: [{ name: 'app' }] } } },
    status: { replicas: 3 },
  };
  const rs: ReplicaSet = {
    metadata: { name: 'checkout-abc', namespace: 'shop', uid: 'uid-checkout-abc', resourceVersion: '1', ownerReferences: [{ kind: 'Deployment', name: 'checkout', uid: 'uid-dep', controller: true }] },
    spec: { replicas: 3, selector: {}, template: { spec: { containers: [{ name: 'app' }] } } },
  };
  s.upsert('deployments', dep);
  s.upsert('replicasets', rs);
  s.upsert('nodes', { metadata: { name: 'worker-a', uid: 'n-a', resourceVersion: '1' }, spec: { unschedulable }, status: {} });
  s.upsert('pods', richPod('shop', 'checkout-abc-w2c6n', { owner: { kind: 'ReplicaSet', name: 'checkout-abc' }, node: 'worker-a', containers: ['app', 'istio-proxy'] }));
  syncAll(s);
  s.flush();
  return contexts;
}

/** A log client that answers from a script and records the paths asked for. */
function logClient(lines: (path: string) => string[]) {
  const paths: string[] = [];
  const client: LogClient = {
    async raw(path) {
      paths.push(path);
      if (path.includes('previous=true') && path.includes('container=istio-proxy')) {
        const msg = JSON.stringify({ kind: 'Status', message: 'previous terminated container "istio-proxy" in pod "checkout-abc-w2c6n" not found' });
        return { ok: false, status: 400, body: null, text: async () => msg };
      }
      const text = lines(path).map((l, i) => `2024-05-01T12:00:${String(i).padStart(2, '0')}Z ${l}\n`).join('');
      const body = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode(text)), path.includes('follow=true') ? undefined : c.close()) });
      return { ok: true, status: 200, body, text: async () => text };
    },
  };
  return { client, paths };
}

describe('actions behind the confirm dialog (pod list)', () => {
  test('ctrl+d: the dialog names the action, the object and the context; n cancels, y runs', async () => {
    const t = mountApp({ contexts: cluster() });
    await tick(60);
    await type(t.stdin, '\x04');
    let s = t.screen();
    assert.match(s, /│ Delete pod\/checkout-abc-w2c6n +│/);
    assert.match(s, /│ object: {2}pod\/checkout-abc-w2c6n in namespace shop +│/);
    assert.match(s, /│ context: prod-eu +│/);
    assert.match(s, /│ its controller, if any, creates a replacement +│/);
    assert.match(s, /│ same as: kubectl delete pod checkout-abc-w2c6n -n shop +│/);
    assert.match(s, /│ y\/enter confirm {3}n\/esc cancel +│/);
    // The whole frame fits: header first, status line last.
    assert.match(s.split('\n')[0], /^kfleet Pod list │ ctx prod-eu/);
    assert.equal(s.split('\n').length, 24);
    await type(t.stdin, 'n');
    assert.doesNotMatch(t.screen(), /Delete pod/);
    assert.deepEqual(t.actions.ran, []);
    await type(t.stdin, '\x04', 'y');
    await tick(40);
    assert.deepEqual(t.actions.ran, [{ type: 'deletePod', namespace: 'shop', name: 'checkout-abc-w2c6n' }]);
    assert.match(t.screen(), /deletePod done/);
  });

  test('a key pressed the moment the rows show acts on the row shown selected', async () => {
    // The pods arrive after the view is up (a sync); ctrl+d goes in right after the first frame
    // with a selected row is written, before any timer or I/O callback (the earliest a key from
    // the terminal can be read). The selection must already be known then: CI once lost this
    // key when the table told the view its selected row only in a passive effect.
    const contexts = new FakeContexts(['prod-eu']);
    const t = mountApp({ contexts });
    await tick(60);
    const frames = (t.stdout as unknown as { frames: string[] }).frames;
    let pressed = false;
    frames.push = (...f: string[]) => {
      if (!pressed && f.some((x) => /\n> \S+ +checkout-abc-w2c6n /.test(x))) {
        pressed = true;
        queueMicrotask(() => t.stdin.write('\x04'));
      }
      return Array.prototype.push.apply(frames, f);
    };
    const s = contexts.store;
    s.upsert('pods', richPod('shop', 'checkout-abc-w2c6n', { node: 'worker-a' }));
    syncAll(s);
    s.flush();
    await tick(100);
    assert.ok(pressed, 'the rows showed');
    assert.match(t.screen(), /│ Delete pod\/checkout-abc-w2c6n +│/);
  });

  test('restart, scale, cordon and drain act on the selected pod’s workload and node', async () => {
    const t = mountApp({ contexts: cluster() });
    await tick(60);
    await type(t.stdin, 'r');
    assert.match(t.screen(), /│ Restart deployment\/checkout +│/);
    await type(t.stdin, 'y');
    await type(t.stdin, 'x');
    assert.match(t.screen(), /│ Cordon node\/worker-a +│/);
    assert.match(t.screen(), /│ same as: kubectl cordon worker-a +│/);
    await type(t.stdin, 'y');
    await type(t.stdin, 'D');
    assert.match(t.screen(), /│ Drain node\/worker-a +│/);
    assert.match(t.screen(), /│ same as: kubectl drain worker-a --ignore-daemonsets +│/);
    await type(t.stdin, 'y');
    // s opens the workload with the replica prompt: ↑ twice, enter, then the confirm.
    await type(t.stdin, 's');
    assert.match(t.screen(), /Deployment shop\/checkout/);
    assert.match(t.screen(), /scale deployment\/checkout to 3 replicas/);
    await type(t.stdin, 'k', 'k', '\r');
    assert.match(t.screen(), /│ Scale deployment\/checkout +│/);
    assert.match(t.screen(), /│ to 5 replicas +│/);
    await type(t.stdin, 'y');
    await tick(40);
    assert.deepEqual(t.actions.ran, [
      { type: 'rolloutRestart', kind: 'Deployment', namespace: 'shop', name: 'checkout' },
      { type: 'cordon', name: 'worker-a' },
      { type: 'drain', name: 'worker-a', ignoreDaemonSets: true },
      { type: 'scale', kind: 'Deployment', namespace: 'shop', name: 'checkout', replicas: 5 },
    ]);
  });

  test('a cordoned node is offered uncordon', async () => {
    const t = mountApp({ contexts: cluster(true) });
    await tick(60);
    await type(t.stdin, 'x');
    assert.match(t.screen(), /│ Uncordon node\/worker-a +│/);
  });

  test('--readonly: every action key is refused without a dialog, and help hides them', async () => {
    const t = mountApp({ contexts: cluster(), readonly: true });
    await tick(60);
    for (const [key, action] of [['\x04', 'delete'], ['r', 'restart'], ['s', 'scale'], ['x', 'cordon'], ['D', 'drain']]) {
      await type(t.stdin, key);
      assert.match(t.screen(), new RegExp(`refused: --readonly \\(${action}\\)`));
      assert.doesNotMatch(t.screen(), /confirm {3}n\/esc cancel/);
    }
    // In the detail too.
    await type(t.stdin, '\r');
    for (const key of ['\x04', 'r', 's', 'x', 'D']) {
      await type(t.stdin, key);
      assert.match(t.screen(), /refused: --readonly/);
      assert.doesNotMatch(t.screen(), /confirm {3}n\/esc cancel/);
    }
    assert.deepEqual(t.actions.ran, []);
    await type(t.stdin, '?');
    const help = t.screen();
    assert.match(help, /Object detail \(in the Pod list view\)/);
    assert.match(help, /logs: follow new lines on \/ off/);
    assert.doesNotMatch(help, /delete this pod|rollout restart|scale this workload|cordon|drain/);
  });

  test('help lists what the current view offers, from the keymap in force', async () => {
    const t = mountApp({ contexts: cluster(), height: 40 });
    await tick(60);
    await type(t.stdin, '?');
    let help = t.screen();
    assert.match(help, /Pod list view/);
    assert.match(help, /ctrl\+d +delete the selected pod \(after a confirm\)/);
    assert.match(help, /D +drain the selected pod's node/);
    await type(t.stdin, ESC, '\r', '?');
    help = t.screen();
    assert.match(help, /Object detail \(in the Pod list view\)/);
    assert.match(help, /ctrl\+d +delete this pod \(after a confirm\)/);
    assert.match(help, /f +logs: follow new lines on \/ off/);
  });
});

describe('object detail', () => {
  test('yaml tab: the lean object with apiVersion and kind', async () => {
    const t = mountApp({ contexts: cluster(), height: 30 });
    await tick(60);
    await type(t.stdin, '\r', '\t', '\t');
    const s = t.screen();
    assert.match(s, /\[yaml\]/);
    assert.match(s, /^ apiVersion: v1$/m);
    assert.match(s, /^ kind: Pod$/m);
    assert.match(s, /^ {3}name: checkout-abc-w2c6n$/m);
    assert.doesNotMatch(s, /managedFields/);
  });

  test('logs: lines, container pick, previous instance, search, wrap', async () => {
    const { client, paths } = logClient((p) => [`starting ${new URLSearchParams(p.split('?')[1]).get('container')}`, 'GET /healthz 200', 'level=fatal msg="panic: DATABASE_URL missing"', 'x'.repeat(150)]);
    const contexts = cluster();
    const t = mountApp({ contexts, actions: new FakeActions('prod-eu', false, client), height: 20 });
    await tick(60);
    await type(t.stdin, 'L');
    await tick(100);
    let s = t.screen();
    assert.match(s, /\[logs\]/);
    assert.match(s, /container app · following · 4 lines/);
    assert.match(s, /^ starting app$/m);
    assert.match(s, /^ x{118}…$/m); // cut at the width without wrap
    assert.match(paths[0], /\/api\/v1\/namespaces\/shop\/pods\/checkout-abc-w2c6n\/log\?container=app&timestamps=true&follow=true&tailLines=500/);
    await type(t.stdin, 'w');
    await tick(60);
    assert.match(t.screen(), /^ x{119}$/m); // wrapped: the rest on the next row
    assert.match(t.screen(), /^ x{31}$/m);
    await type(t.stdin, '/', 'fatal', '\r');
    await tick(60);
    assert.match(t.screen(), /\/fatal: 1 match/);
    assert.match(t.screen(), /^›level=fatal/m);
    await type(t.stdin, ESC); // clears the search, stays in the detail
    assert.match(t.screen(), /\[logs\]/);
    await type(t.stdin, 'c');
    await tick(100);
    assert.match(t.screen(), /container istio-proxy · following/);
    assert.match(t.screen(), /^ starting istio-proxy$/m);
    await type(t.stdin, 'p');
    await tick(100);
    assert.match(t.screen(), /container istio-proxy \(previous instance\) · error/);
    assert.match(t.screen(), /previous terminated container "istio-proxy" in pod "checkout-abc-w2c6n" not found/);
    assert.match(paths.at(-1)!, /container=istio-proxy&timestamps=true&previous=true&tailLines=500$/);
    await type(t.stdin, ESC);
    assert.match(t.screen(), /Pods — 1 in all namespaces/);
  });
});
