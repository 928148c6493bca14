import React from 'react'; // JSX in tests (test/ is outside tsconfig, so tsx uses the classic runtime)
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { ACTIONS } from '../../src/keys/actions.js';
import { loadKeymap } from '../../src/keys/keymap.js';
import { App } from '../../views/App.js';
import { placeholderView } from '../../views/PlaceholderView.js';
import { PodListView } from '../../views/PodListView.js';
import { VIEWS } from '../../views/registry.js';
import { FakeContexts, pod, syncAll, tick } from './fixtures.js';

const keymap = loadKeymap();
const ESC = '\x1b';
const UNDO_HELP = ACTIONS.rollouts.undo.help.slice(0, 40);
// The shell's own tests do not depend on the feature views: only the pod list is real here.
const TEST_VIEWS = VIEWS.map((v) =>
  v.name === 'pods' || v.name === 'podlist' ? { ...v, component: PodListView, hints: ['help', 'palette', 'filter', 'contextPicker', 'quit'] } : { ...v, component: placeholderView(v.title), built: false },
);
const re = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function mount(opts: { contexts?: FakeContexts; height?: number; readonly?: boolean; demo?: boolean; view?: string; km?: typeof keymap } = {}) {
  const contexts = opts.contexts ?? new FakeContexts(['prod-eu', 'staging']);
  const exits: number[] = [];
  const r = render(
    <App views={TEST_VIEWS} contexts={contexts} keymap={opts.km ?? keymap} width={100} height={opts.height ?? 20} readonly={opts.readonly} demo={opts.demo} initialView={opts.view} onExit={(c) => exits.push(c)} />,
  );
  return { ...r, contexts, exits, screen: () => r.lastFrame() ?? '' };
}

// Ink draws at most every ~33 ms (maxFps 30), so each key gets a frame's time, a lone ESC more.
async function type(stdin: { write(s: string): void }, ...keys: string[]) {
  for (const k of keys) {
    stdin.write(k);
    await tick(k === ESC ? 60 : 40);
  }
}

afterEach(() => cleanup());

/** Wait until the screen matches (Ink draws asynchronously, throttled to ~30 fps). */
async function until(t: { screen(): string }, re: RegExp, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!re.test(t.screen()) && Date.now() < deadline) await tick(10);
  const screen = t.screen();
  assert.match(screen, re);
  return screen;
}

describe('shell', () => {
  test('header: context, server, namespace scope, DEMO and READONLY marks', async () => {
    const t = mount({ demo: true, readonly: true });
    syncAll(t.contexts.store);
    t.contexts.store.flush();
    const [line1, line2] = (await until(t, /✓ synced/)).split('\n');
    assert.match(line1, /ctx prod-eu │ ns all namespaces │ https:\/\/prod-eu\.example:6443/);
    assert.match(line1, /DEMO/);
    assert.match(line1, /READONLY/);
    assert.match(line2, /✓ synced pods 0/);
  });

  test('header: list progress, forbidden, stale and a connection error', async () => {
    const t = mount();
    const s = t.contexts.store;
    syncAll(s);
    s.setState('pods', { phase: 'listing', loaded: 12500, estimatedTotal: 150000, stale: true });
    s.setState('events', { phase: 'forbidden', error: 'forbidden (403)' });
    s.setState('nodes', { phase: 'synced', stale: true, lastSyncAt: Date.now() - 12_000 });
    s.flush();
    const line2 = (await until(t, /pods 12,500/)).split('\n')[1];
    assert.match(line2, /⚠ events forbidden/);
    assert.match(line2, /nodes stale 12s/);
    assert.match(line2, /pods 12,500\/~150,000/);
    s.setConnection({ phase: 'error', error: 'https://prod-eu.example:6443 refused the connection' });
    s.flush();
    await until(t, /\n✗ https/);
    assert.match(t.screen().split('\n')[1], /^✗ https:\/\/prod-eu\.example:6443 refused the connection \(retrying\)/);
  });

  test('the pods list shows pods in scope, live', async () => {
    const t = mount();
    const s = t.contexts.store;
    s.upsert('pods', pod('shop', 'checkout-7d9f', { waiting: 'CrashLoopBackOff', restarts: 4, ready: false }));
    s.upsert('pods', pod('kube-system', 'coredns-1', { node: 'node-b' }));
    syncAll(s);
    s.flush();
    let screen = await until(t, /Pods — 2 in all namespaces/);
    assert.match(screen, /Pods — 2 in all namespaces/);
    assert.match(screen, /NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+NODE\s+AGE/);
    assert.match(screen, /> kube-system\s+coredns-1\s+1\/1\s+Running\s+0\s+node-b\s+3h/);
    assert.match(screen, /  shop\s+checkout-7d9f\s+0\/1\s+CrashLoopBackOff\s+4\s+node-a\s+3h/);
    s.upsert('pods', pod('shop', 'api-1'));
    s.flush();
    screen = await until(t, /Pods — 3 in all namespaces/);
    assert.match(screen, /Pods — 3 in all namespaces/);
    assert.ok(screen.indexOf('api-1') < screen.indexOf('checkout-7d9f'));
    t.contexts.setNamespace('shop');
    screen = await until(t, /Pods — 2 in namespace shop/);
    assert.match(screen, /Pods — 2 in namespace shop/);
    assert.doesNotMatch(screen, /coredns/);
    assert.match(screen, /  NAME\s+READY/); // no NAMESPACE column inside one namespace
  });

  test('keys that arrive in one chunk ("jjj" typed fast) each move the cursor, from where the one before left it', async () => {
    const t = mount();
    const s = t.contexts.store;
    for (const name of ['a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'a-6']) s.upsert('pods', pod('shop', name));
    syncAll(s);
    s.flush();
    await until(t, /> shop\s+a-1\s/);
    t.stdin.write('jjj');
    assert.match(await until(t, /> shop\s+a-4\s/), /> shop\s+a-4\s/);
    t.stdin.write('kk');
    assert.match(await until(t, /> shop\s+a-2\s/), /> shop\s+a-2\s/);
    t.stdin.write('jjk');
    assert.match(await until(t, /> shop\s+a-3\s/), /> shop\s+a-3\s/);
  });

  test('forbidden pods are said so in the view', async () => {
    const t = mount();
    syncAll(t.contexts.store);
    t.contexts.store.setState('pods', { phase: 'forbidden', error: 'forbidden (403): pods is forbidden: User "dev" cannot list resource "pods"' });
    t.contexts.store.flush();
    await tick(60); // Ink draws at most every ~33 ms
    await until(t, /⚠ pods are forbidden for this user: forbidden \(403\)/);
    await until(t, /no access to pods/);
  });

  test('palette: ":nod" + enter switches to nodes (not built yet); unknown says so', async () => {
    const t = mount();
    await type(t.stdin, ':', 'n', 'o', 'd');
    await until(t, /> nodes/);
    await until(t, /:nod█/);
    await type(t.stdin, '\r');
    await until(t, /kfleet Nodes │/);
    await until(t, /The nodes view is not built yet\./);
    await type(t.stdin, ':', 'frob', '\r');
    await until(t, /✗ unknown command "frob"/);
    await type(t.stdin, ':', 'pods', '\r');
    await until(t, /kfleet Pods │/);
  });

  test('palette: ctx NAME, ns NAME, history, q', async () => {
    const t = mount();
    await type(t.stdin, ':', 'ctx stag', '\r');
    await until(t, /ctx staging │/);
    await type(t.stdin, ':', 'ns shop', '\r');
    await until(t, /ns shop │/);
    await type(t.stdin, ':', '\x1b[A');
    await until(t, /:ns shop█/);
    await type(t.stdin, '\x1b[A');
    await until(t, /:ctx stag█/);
    await type(t.stdin, ESC, '-');
    await until(t, /ctx prod-eu │/);
    await type(t.stdin, ':', 'q', '\r');
    assert.deepEqual(t.exits, [0]);
  });

  test('number keys open views; q quits; ctrl+c interrupts', async () => {
    const t = mount();
    await type(t.stdin, '3');
    await until(t, /The volumes view is not built yet/);
    await type(t.stdin, '2');
    await until(t, /kfleet Pods │/);
    await type(t.stdin, 'q');
    await type(t.stdin, '\x03');
    assert.deepEqual(t.exits, [0, 130]);
  });

  test('help lists the actions of the keymap in force', async () => {
    const t = mount({ view: 'rollouts' });
    await type(t.stdin, '?');
    const screen = await until(t, /Help — esc/);
    assert.match(screen, /Help — esc\/\? to close/);
    assert.match(screen, new RegExp(`Rollouts view\\n\\s+u\\s+${re(UNDO_HELP)}`));
    assert.match(screen, /everywhere\n\s+q\s+quit kfleet/);
    assert.match(screen, /k ↑\s+move up/);
    await type(t.stdin, ESC);
    assert.doesNotMatch(t.screen(), /Help —/);
  });

  test('help shows a user override, and hides mutating actions in --readonly', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-view-'));
    const f = path.join(dir, 'keymap.yaml');
    fs.writeFileSync(f, 'global:\n  quit: { keys: ctrl+q, help: "leave kfleet" }\nrollouts:\n  undo: U\n');
    const t = mount({ km: loadKeymap({ explicitFile: f }), view: 'rollouts' });
    await type(t.stdin, '?');
    await until(t, /\n\s+ctrl\+q\s+leave kfleet/);
    await until(t, new RegExp(`\\n\\s+U\\s+${re(UNDO_HELP)}`));
    await type(t.stdin, ESC, 'q', '\x11');
    assert.deepEqual(t.exits, [0]);
    cleanup();
    const ro = mount({ readonly: true, view: 'rollouts' });
    await type(ro.stdin, '?');
    assert.ok(!ro.screen().includes(UNDO_HELP));
    await type(ro.stdin, ESC, 'u');
    await until(ro, /✗ refused: --readonly \(undo\)/);
  });

  test('context picker: c, ↓, enter switches', async () => {
    const t = mount();
    await type(t.stdin, 'c');
    await until(t, /Switch context/);
    await type(t.stdin, '\x1b[B', '\r'); // the picker is a fuzzy search: letters type, arrows move
    await until(t, /ctx staging │/);
    assert.doesNotMatch(t.screen(), /Switch context/);
  });

  test('filter: / narrows the pods list, esc clears', async () => {
    const t = mount();
    const s = t.contexts.store;
    for (const n of ['checkout-1', 'cart-1', 'payments-1']) s.upsert('pods', pod('shop', n));
    syncAll(s);
    s.flush();
    await tick(60); // Ink draws at most every ~33 ms
    await type(t.stdin, '/', 'pay');
    await until(t, /\/pay█/);
    await until(t, /Pods — 1 of 3 matching \/pay/);
    await type(t.stdin, '\r');
    await until(t, /payments-1/);
    assert.doesNotMatch(t.screen(), /cart-1/);
    await type(t.stdin, ESC);
    await until(t, /Pods — 3 in all namespaces/);
  });

  test('fits 40x10', async () => {
    const contexts = new FakeContexts(['a-very-long-context-name-for-testing']);
    for (let i = 0; i < 30; i++) contexts.store.upsert('pods', pod('ns', `pod-${String(i).padStart(2, '0')}`));
    syncAll(contexts.store);
    contexts.store.flush();
    const r = render(<App views={TEST_VIEWS} contexts={contexts} keymap={keymap} width={40} height={10} onExit={() => {}} />);
    const lines = (await until({ screen: () => r.lastFrame() ?? '' }, /> pod-00/)).split('\n');
    assert.equal(lines.length, 10);
    for (const l of lines) assert.ok([...l].length <= 40, `too wide: ${l}`);
    assert.match(lines[4], /^> pod-00/);
  });
});
