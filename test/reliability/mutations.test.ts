// Every path that writes to a cluster, enumerated:
// - statically: outside src/kube/actions.ts (and the embedded cluster, src/sim/), no source
//   file of kfleet names an HTTP write method, passes a `method:` to a request, calls fetch or undici's request,
//   or uses client-node's generated API clients; the one transport (src/kube/client.ts) sends
//   GET unless a caller says otherwise. In views/, every call of an Actions write sits in the
//   `onConfirm` of a confirm dialog.
// - dynamically: each Actions method (one per ACTION_TYPES entry) describes itself naming the
//   object and the context, is refused in --readonly without a single request, and is logged
//   (run for real against the embedded cluster: one log line per action, with its context;
//   every non-GET request the client sent happened inside an action).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { configForContext, loadKubeconfig } from '../../src/config/kubeconfig.js';
import { ActionLog } from '../../src/kube/actionLog.js';
import { ACTION_TYPES, Actions, READONLY_MESSAGE, type Action, type ActionType } from '../../src/kube/actions.js';
import { KubeClient, type RequestOptions } from '../../src/kube/client.js';
import { writeKubeconfig } from '../../src/sim/kubeconfig.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { ROOT } from '../helpers/pty.js';
import { tmpDir } from './harness.js';
import type { Response } from 'undici';

function sources(): { file: string; lines: string[] }[] {
  const out: { file: string; lines: string[] }[] = [];
  for (const top of ['src', 'views', 'bin']) {
    for (const e of fs.readdirSync(path.join(ROOT, top), { withFileTypes: true, recursive: true })) {
      if (!e.isFile() || !/\.(ts|tsx|js|mjs)$/.test(e.name)) continue;
      const file = path.relative(ROOT, path.join(e.parentPath, e.name));
      out.push({ file, lines: fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n') });
    }
  }
  return out;
}

const isComment = (l: string) => /^\s*(\/\/|\*|\/\*)/.test(l);
const WRITERS = new Set(['src/kube/actions.ts']);
const outsideSim = (f: string) => !f.startsWith('src/sim/');

describe('static: the write paths', () => {
  const files = sources();

  test('only src/kube/actions.ts sends PATCH/PUT/POST/DELETE (the transport defaults to GET)', () => {
    const hits: string[] = [];
    for (const { file, lines } of files) {
      if (WRITERS.has(file) || !outsideSim(file)) continue;
      lines.forEach((l, i) => {
        if (isComment(l)) return;
        if (/\bmethod\s*:/.test(l) || /['"`](PATCH|PUT|POST|DELETE)['"`]/.test(l) || /HttpMethod\.(PATCH|PUT|POST|DELETE)/.test(l)) hits.push(`${file}:${i + 1}: ${l.trim()}`);
      });
    }
    // The transport itself: the method type, `opts.method ?? 'GET'`, the streamed GET, and the list pages' GET.
    assert.deepEqual(
      hits.map((h) => h.replace(/:\d+:/, ':')),
      [
        "src/kube/client.ts: method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';",
        "src/kube/client.ts: return await fetch(url, { method: opts.method ?? 'GET', headers, body, dispatcher: this.dispatcher, signal: headersDue.signal });",
        "src/kube/client.ts: const res = await request(url, { method: 'GET', headers, dispatcher: this.dispatcher, signal: headersDue.signal });",
        "src/kube/wholeBody.ts: { origin, path: pathname + search, method: 'GET', headers },",
      ],
    );
  });

  test('no other way to the network: fetch, undici\'s request and dispatch only in the transport, no generated API clients', () => {
    const hits: string[] = [];
    for (const { file, lines } of files) {
      if (!outsideSim(file)) continue;
      lines.forEach((l, i) => {
        if (isComment(l)) return;
        if (/\bfetch\(|(?<![.\w])request\(|\.dispatch\(|\bhttps?\.request\(|\bnew WebSocket\b|makeApiClient|\b\w+V1Api\b|KubernetesObjectApi|\bPatchStrategy\b/.test(l)) hits.push(`${file}:${i + 1}`);
      });
    }
    // The transport, and the list pages' read through undici's dispatcher (a GET, above).
    assert.deepEqual([...new Set(hits.map((h) => h.replace(/:\d+$/, '')))], ['src/kube/client.ts', 'src/kube/wholeBody.ts']);
  });

  test('views call an Actions write only from a confirm dialog\'s onConfirm', () => {
    const writes = new RegExp(`\\bactions\\??\\.(run|${ACTION_TYPES.join('|')})\\(`);
    const calls: string[] = [];
    for (const { file, lines } of files) {
      if (!file.startsWith('views/')) continue;
      lines.forEach((l, i) => {
        if (isComment(l) || !writes.test(l)) return;
        const before = lines.slice(Math.max(0, i - 4), i).join('\n');
        calls.push(`${file}: ${/onConfirm\s*:/.test(before) ? 'in onConfirm' : `NOT in onConfirm (line ${i + 1})`}`);
      });
    }
    assert.ok(calls.length >= 3, `write call sites found: ${calls.join('; ')}`);
    assert.deepEqual(calls.filter((c) => !c.endsWith('in onConfirm')), []);
  });
});

/** Records every request (method and path) and whether an action was running. */
class SpyClient extends KubeClient {
  requests: { method: string; path: string; inAction: boolean }[] = [];
  inAction = false;
  override async raw(p: string, opts: RequestOptions = {}): Promise<Response> {
    this.requests.push({ method: opts.method ?? 'GET', path: p, inAction: this.inAction });
    return super.raw(p, opts);
  }
}

describe('dynamic: every action', () => {
  let sim: SimServer;
  let kubeconfig: string;
  const stateHome = tmpDir('mut-state');
  const log = new ActionLog({ env: { XDG_STATE_HOME: stateHome } });
  const client = () => new SpyClient(configForContext(loadKubeconfig({ explicitPath: kubeconfig }), 'prod-eu').kc, 'prod-eu');

  before(async () => {
    sim = await startSimServer({ scenario: 'incident', controllers: false });
    kubeconfig = writeKubeconfig([{ name: 'prod-eu', server: sim.url, token: sim.token, ca: sim.ca }]);
  });
  after(() => sim?.close());

  /** One action of each type on objects of the incident scenario. */
  function samples(): Record<ActionType, Action> {
    const va = sim.store.list('volumeattachments')[0].metadata.name as string;
    const pod = sim.store.list('pods', 'shop')[0].metadata.name as string;
    return {
      rolloutUndo: { type: 'rolloutUndo', kind: 'Deployment', namespace: 'shop', name: 'checkout' },
      rolloutRestart: { type: 'rolloutRestart', kind: 'Deployment', namespace: 'shop', name: 'frontend' },
      scale: { type: 'scale', kind: 'Deployment', namespace: 'shop', name: 'frontend', replicas: 4 },
      deletePod: { type: 'deletePod', namespace: 'shop', name: pod },
      deleteVolumeAttachment: { type: 'deleteVolumeAttachment', name: va },
      cordon: { type: 'cordon', name: 'worker-a' },
      uncordon: { type: 'uncordon', name: 'worker-a' },
      drain: { type: 'drain', name: 'worker-b', force: true, ignoreDaemonSets: true, deleteEmptyDirData: true, timeoutSeconds: 5 },
    };
  }

  test('ACTION_TYPES is the set of Actions methods run() dispatches, one per type', () => {
    const all = samples();
    assert.deepEqual(Object.keys(all).sort(), [...ACTION_TYPES].sort());
    for (const t of ACTION_TYPES) assert.equal(typeof (Actions.prototype as unknown as Record<string, unknown>)[t], 'function', t);
  });

  test('each describes itself naming the object and the context, with the kubectl equivalent', () => {
    const a = new Actions({ client: client(), contextName: 'prod-eu', readonly: false, log });
    for (const [type, action] of Object.entries(samples())) {
      const d = a.describeAction(action);
      assert.equal(d.context, 'prod-eu', type);
      assert.ok(d.object.includes(action.name), `${type}: ${d.object}`);
      assert.ok(d.lines.includes('context prod-eu'), `${type}: ${d.lines}`);
      assert.match(d.lines[d.lines.length - 1]!, /^same as: kubectl /, type);
    }
  });

  test('--readonly: each is refused with zero requests, and logged as refused', async () => {
    const c = client();
    const a = new Actions({ client: c, contextName: 'prod-eu', readonly: true, log });
    const before = log.read().length;
    const rv = sim.store.rv;
    for (const t of ACTION_TYPES) {
      const action = samples()[t];
      assert.deepEqual(await (a[t] as (x: Action) => Promise<unknown>).call(a, action), { ok: false, message: READONLY_MESSAGE }, t);
    }
    assert.deepEqual(c.requests, []);
    assert.equal(sim.store.rv, rv);
    const entries = log.read().slice(before);
    assert.deepEqual(entries.map((e) => [e.action, e.result, e.context]), ACTION_TYPES.map((t) => [t, 'refused', 'prod-eu']));
  });

  test('for real: one log line per action, and no write request outside an action', async () => {
    const c = client();
    const a = new Actions({ client: c, contextName: 'prod-eu', readonly: false, log, pollIntervalMs: 20 });
    const before = log.read().length;
    const results: Record<string, string> = {};
    for (const t of ACTION_TYPES) {
      const action = samples()[t];
      c.inAction = true;
      const r = await a.run(action);
      c.inAction = false;
      results[t] = `${r.ok ? 'ok' : 'failed'}: ${r.message}`;
    }
    const entries = log.read().slice(before);
    assert.deepEqual(entries.map((e) => [e.action, e.context]), ACTION_TYPES.map((t) => [t, 'prod-eu']), JSON.stringify(results));
    for (const e of entries) assert.ok(['ok', 'skipped', 'failed'].includes(e.result), `${e.action}: ${e.result} ${e.message}`);
    // They did write: every type sent at least one write, and all writes were inside run().
    const writes = c.requests.filter((r) => r.method !== 'GET');
    assert.ok(writes.length >= ACTION_TYPES.length, JSON.stringify(c.requests));
    assert.deepEqual(writes.filter((w) => !w.inAction), []);
    assert.equal(entries.filter((e) => e.result === 'ok').length >= 6, true, JSON.stringify(results));
  });
});
