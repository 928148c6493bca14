import React from 'react'; // JSX in tests (test/ is outside tsconfig, so tsx uses the classic runtime)
// The `:pods` grouped tree in the App shell, on the demo's "incident" scenario. Roll-ups are
// hand-computed from src/sim/scenarios/incident.ts:
//   shop (13 pods): Running = checkout 4 + frontend 2 + recommender 1 + cart (old) 1 + legacy-importer 1 = 9;
//   Pending = cart (new, ContainerCreating) + search-indexer = 2; db-migrate Succeeded, report-gen Failed.
//   Ready 8 (checkout 3 + frontend 2 + recommender 1 + cart 1 + legacy 1). Restarts 9 (the crash pod).
//   CPU requests 4x250m + 2x100m + 500m + 2x200m + 200m + 6 = 8300m; limits 4x500m + 2x200m + 1 + 2x500m + 400m + 6 = 10800m.
//   Memory requests 4x256Mi + 2x64Mi.. (frontend 128Mi each) + 1Gi + 2x512Mi + 256Mi + 8Gi = 11.5Gi; limits 15Gi.
//   (Succeeded/Failed pods hold nothing.)
//   checkout (4): 3/4 ready, 9 restarts, 1 CrashLoop, cpu 1/2, memory 1Gi/2Gi.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { loadKeymap } from '../../src/keys/keymap.js';
import { App } from '../../views/App.js';
import { podsTreeProbe, resetPodsTreeSession } from '../../views/PodsTreeView.js';
import { FakeContexts, pod, syncAll, tick } from './fixtures.js';
import { loadIncidentPods } from './podsTreeFixtures.js';

const keymap = loadKeymap();
const ESC = '\x1b';

let xdg: string;
const savedXdg = process.env.XDG_CONFIG_HOME;
beforeEach(() => {
  xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-podstree-'));
  process.env.XDG_CONFIG_HOME = xdg;
  resetPodsTreeSession();
});
afterEach(() => {
  cleanup();
  process.env.XDG_CONFIG_HOME = savedXdg;
});

function mount(opts: { width?: number; height?: number; groupBy?: string; contexts?: FakeContexts } = {}) {
  const contexts = opts.contexts ?? new FakeContexts(['demo']);
  if (!opts.contexts) {
    loadIncidentPods(contexts.store);
    syncAll(contexts.store);
    contexts.store.flush();
  }
  const r = render(
    <App contexts={contexts} keymap={keymap} width={opts.width ?? 100} height={opts.height ?? 40} initialView="pods" options={{ groupBy: opts.groupBy }} onExit={() => {}} />,
  );
  return { ...r, contexts, screen: () => r.lastFrame() ?? '', lines: () => (r.lastFrame() ?? '').split('\n') };
}

async function type(stdin: { write(s: string): void }, ...keys: string[]) {
  for (const k of keys) {
    stdin.write(k);
    await tick(k === ESC ? 30 : 0);
  }
  await tick(5);
}

/** Move the cursor down until the selected line matches. */
async function selectRow(t: ReturnType<typeof mount>, re: RegExp) {
  for (let i = 0; i < 60; i++) {
    const sel = t.lines().find((l) => l.startsWith('> '));
    if (sel && re.test(sel)) return;
    await type(t.stdin, 'j');
  }
  assert.fail(`no row ${re} in\n${t.screen()}`);
}

const selected = (t: ReturnType<typeof mount>) => t.lines().find((l) => l.startsWith('> ')) ?? '';

describe('pods tree view', () => {
  test('opens grouped by namespace > application > component with hand-computed roll-ups', async () => {
    const t = mount();
    await tick(10);
    const s = t.screen();
    assert.match(s, /34 pods · sort name · depth 2 · by namespace › app\.kubernetes\.io\/name › app\.kubernetes\.io\/component/);
    assert.match(s, /NAME\s+READY\s+RST\s+CPU REQ\/LIM\s+MEM REQ\/LIM\s+STATUS/);
    assert.match(s, /> ▾ analytics \(1\)\s+0\/1\s+0\s+300m\/1\s+768Mi\/1\.5Gi\s+1 Pending/);
    assert.match(s, /  ▾ shop \(13\)\s+8\/13\s+9\s+8\.3\/10\.8\s+11\.5Gi\/15Gi\s+1 CrashLoop 2 Pending ·/);
    assert.match(s, /    ▸ checkout \(4\)\s+3\/4\s+9\s+1\/2\s+1Gi\/2Gi\s+1 CrashLoop · 4 Running/);
    // The three keys of the application level: app.kubernetes.io/name, app, application.
    assert.match(s, /    ▸ recommender \(1\)/);
    assert.match(s, /    ▸ payments-api \(2\)\s+2\/2\s+0\s+1\/2\.6\s+1\.3Gi\/3Gi/);
    // Pods lacking every key of a level are grouped visibly.
    assert.match(s, /▾ kube-system \(3\)[\s\S]*▸ \(no app\.kubernetes\.io\/name\) \(3\)/);
    assert.equal(podsTreeProbe.model?.rebuilds, 1);
  });

  test('expand and collapse: one, all, by depth; enter and space toggle', async () => {
    const t = mount();
    await selectRow(t, /checkout \(4\)/);
    await type(t.stdin, 'l');
    assert.match(t.screen(), /▾ checkout \(4\)[^\n]*\n[^\n]*▸ api \(4\)\s+3\/4\s+9/);
    await type(t.stdin, 'l'); // already open: go to its first child
    assert.match(selected(t), /▸ api \(4\)/);
    await type(t.stdin, ' ');
    const s = t.screen();
    assert.match(s, /▾ api \(4\)/);
    assert.match(s, /        ▸ checkout-[a-z0-9]+-w2c6n\s+0\/1\s+9\s+250m\/500m\s+256Mi\/512Mi\s+CrashLoopBackOff/);
    assert.match(s, /        ▸ checkout-[a-z0-9]+-x7k2p\s+1\/1\s+0\s+250m\/500m\s+256Mi\/512Mi\s+Running  worker-a/);
    // Into a pod: space shows its containers; enter drills into its detail, esc comes back.
    await selectRow(t, /w2c6n/);
    await type(t.stdin, ' ');
    assert.match(t.screen(), /▾ checkout-[a-z0-9]+-w2c6n[^\n]*\n\s+checkout\s+✗\s+9\s+250m\/500m\s+256Mi\/512Mi\s+CrashLoopBackOff/);
    await type(t.stdin, '\r');
    assert.match(t.screen(), /Pod shop\/checkout-[a-z0-9]+-w2c6n/);
    assert.doesNotMatch(t.screen(), /▾ api \(4\)/);
    await type(t.stdin, ESC);
    await new Promise((r) => setTimeout(r, 100));
    assert.match(selected(t), /▾ checkout-[a-z0-9]+-w2c6n/);
    // h on an open pod closes it, h again goes to the parent group.
    await type(t.stdin, 'h');
    assert.match(selected(t), /▸ checkout-[a-z0-9]+-w2c6n/);
    await type(t.stdin, 'h');
    assert.match(selected(t), /▾ api \(4\)/);
    // Collapse all: namespaces only.
    await type(t.stdin, 'C');
    let groups = t.lines().filter((l) => /^[> ] [▸▾] /.test(l));
    assert.deepEqual(groups.map((l) => l.slice(2).split(' (')[0]), ['▸ analytics', '▸ data', '▸ kube-system', '▸ monitoring', '▸ payments', '▸ shop']);
    assert.match(t.screen(), /depth 1/);
    // Depth 3: components open up; the cursor stayed on its group through all of it.
    await type(t.stdin, ']', ']');
    assert.match(t.screen(), /depth 3/);
    assert.match(t.screen(), /▾ checkout \(4\).*\n>?\s+▸ api \(4\)/);
    assert.match(selected(t), /api \(4\)/);
    // Expand all: every group open, pods listed (not their containers). grafana's pod-level
    // spec.resources (500m/512Mi, limits 1/1Gi) override its containers' sum.
    await type(t.stdin, 'E');
    assert.match(t.screen(), /depth 4/);
    assert.match(t.screen(), /▾ dashboard \(1\).*\n\s+▸ grafana\s+2\/2\s+0\s+500m\/1\s+512Mi\/1Gi\s+Running  worker-b/);
    await type(t.stdin, '[');
    assert.match(t.screen(), /depth 3/);
  });

  test('/ filter keeps matching pods and their ancestor groups, with roll-ups of what is shown', async () => {
    const t = mount();
    await type(t.stdin, '/', 'c', 'h', 'e', 'c', 'k', 'o', 'u', 't', '\r');
    const s = t.screen();
    assert.match(s, /4 of 34 pods match \/checkout/);
    assert.match(s, /> ▾ shop \(4\)\s+3\/4\s+9\s+1\/2\s+1Gi\/2Gi\s+1 CrashLoop · 4 Run/);
    assert.match(s, /    ▾ checkout \(4\).*\n\s+▾ api \(4\).*\n(\s+▸ checkout-[a-z0-9]+-[a-z0-9]{5}\s.*\n){4}/);
    assert.doesNotMatch(s, /payments|analytics|frontend/);
    await type(t.stdin, ESC); // the shell clears the filter
    assert.match(t.screen(), /34 pods · sort name/);
  });

  test('sort worst first puts the crash-looping namespace and application on top', async () => {
    const t = mount();
    await type(t.stdin, 's');
    const groups = t.lines().filter((l) => /^[> ] +[▸▾] /.test(l)).map((l) => l.trim().replace(/^> /, '').split(' (')[0]);
    assert.deepEqual(groups.slice(0, 3), ['▾ shop', '▸ checkout', '▸ cart']);
    assert.match(t.screen(), /sort worst first/);
  });

  test('live: watch events update roll-ups in place, the cursor keeps its group, no rebuild', async () => {
    const t = mount();
    await selectRow(t, /checkout \(4\)/);
    const s = t.contexts.store;
    const crash = [...s.list('pods').keys()].find((k) => /^shop\/checkout-.*-w2c6n$/.test(k))!;
    s.remove('pods', crash);
    // A new namespace sorts first: rows are inserted above the cursor.
    s.upsert('pods', pod('aaa', 'first', { node: 'worker-a' }));
    s.flush();
    await tick(5);
    assert.match(selected(t), /▸ checkout \(3\)\s+3\/3\s+0\s+750m\/1\.5\s+768Mi\/1\.5Gi\s+3 Running/);
    assert.match(t.screen(), /▾ shop \(12\)\s+8\/12\s+0\s+8\.05\/10\.3/);
    assert.match(t.screen(), /  ▾ aaa \(1\)/);
    assert.match(t.screen(), /34 pods/); // one gone, one new
    assert.equal(podsTreeProbe.model?.rebuilds, 1);
  });

  test('editor: delete a level, add one with fuzzy completion; saved, restored next start; --group-by wins', async () => {
    const t = mount();
    await type(t.stdin, 'e');
    let s = t.screen();
    assert.match(s, /Group pods by/);
    assert.match(s, />  1  namespace/);
    assert.match(s, /   2  app\.kubernetes\.io\/name \| app \| application/);
    await type(t.stdin, 'j', 'd'); // drop the application level
    await type(t.stdin, 'a', 'k', '8', 's');
    s = t.screen();
    assert.match(s, /\+  k8s█/);
    assert.match(s, /  › k8s-app/); // a label key seen in the cluster (coredns)
    await type(t.stdin, '\t', '\r');
    assert.match(t.screen(), />  3  k8s-app/);
    await type(t.stdin, '\r'); // apply and save
    await tick(10);
    s = t.screen();
    assert.match(s, /by namespace › app\.kubernetes\.io\/component › k8s-app › pod/);
    assert.match(s, /▾ shop \(13\)[\s\S]*▸ api \(4\)[\s\S]*▸ store \(2\)[\s\S]*▸ \(no app\.kubernetes\.io\/component\)\s.*1\/3\s+0\s+200m\/400m/);
    assert.match(s, /saved to /);
    const file = path.join(xdg, 'kfleet', 'settings.yaml');
    assert.equal(fs.readFileSync(file, 'utf8'), 'pods:\n  groupBy: namespace,app.kubernetes.io/component|component|tier,k8s-app\n');
    t.unmount();

    // Next start: the saved hierarchy comes back.
    resetPodsTreeSession();
    const t2 = mount();
    await tick(5);
    assert.match(t2.screen(), /by namespace › app\.kubernetes\.io\/component › k8s-app › pod/);
    t2.unmount();

    // The command line wins over the saved setting.
    resetPodsTreeSession();
    const t3 = mount({ groupBy: 'node,namespace' });
    await tick(5);
    assert.match(t3.screen(), /by node › namespace › pod/);
    assert.match(t3.screen(), /▾ worker-a \(8\)\s+6\/8\s+9/);
  });

  test('editor: esc cancels and keys typed in it never reach the shell', async () => {
    const t = mount();
    await type(t.stdin, 'e', 'a', 'q', ':', '/', 's');
    assert.match(t.screen(), /\+  q:\/s█/);
    await type(t.stdin, ESC, ESC);
    await tick(10);
    assert.match(t.screen(), /34 pods · sort name · depth 2 · by namespace › app\.kubernetes\.io\/name/);
    assert.equal(fs.existsSync(path.join(xdg, 'kfleet', 'settings.yaml')), false);
  });

  test('label conventions report: per namespace, the share of pods missing each label level', async () => {
    const t = mount();
    await type(t.stdin, 'L');
    const s = t.screen();
    assert.match(s, /Label conventions/);
    assert.match(s, /NAMESPACE\s+PODS\s+app\.kubernetes\.io\/name\s+app\.kubernetes\.io\/component/);
    // kube-system: coredns (k8s-app only) x2 and debug-shell (no labels).
    assert.match(s, /kube-system\s+3\s+100% \(3\)\s+100% \(3\)/);
    // data: spark x2 (app + component), backfill-7d (app only).
    assert.match(s, /data\s+3\s+0% \(0\)\s+33% \(1\)/);
    // shop: the two job pods lack both; legacy-importer has app only.
    assert.match(s, /shop\s+13\s+15% \(2\)\s+23% \(3\)/);
    assert.match(s, /\(all\)\s+34\s+15% \(5\)\s+21% \(7\)/);
    await type(t.stdin, ESC);
    assert.match(t.screen(), /34 pods · sort name/);
  });

  test('namespace scope and 80x24: only that namespace, every line fits', async () => {
    const contexts = new FakeContexts(['demo'], 'payments');
    loadIncidentPods(contexts.store);
    syncAll(contexts.store);
    contexts.store.flush();
    const t = mount({ width: 80, height: 24, contexts });
    await tick(5);
    const lines = t.lines();
    assert.ok(lines.length <= 24, `${lines.length} lines`);
    for (const l of lines) assert.ok([...l].length <= 80, `too wide: ${l}`);
    assert.match(t.screen(), /7 pods/);
    assert.match(t.screen(), /> ▾ payments \(7\)\s+7\/7\s+0\s+4\.35\/7\.05\s+10\.6Gi\/17\.6Gi/);
    assert.doesNotMatch(t.screen(), /shop|kube-system/);
  });
});
