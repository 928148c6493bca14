// bin/kfleet.js loads @kubernetes/client-node without its generated API clients
// (src/app/slimClientNode.ts). Checked in a fresh Node, as the CLI runs (from dist/, which
// `npm test` builds first): none of the generated modules is loaded, the library's KubeConfig
// still reads a kubeconfig and authenticates a request (what kfleet uses it for), and the one
// function that needs the generated clients says why it cannot run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NODE22, ROOT } from '../helpers/pty.js';

const SCRIPT = `
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
const root = process.argv[2], kubeconfig = process.argv[3], slim = process.argv[4] === 'slim';
const loaded = [];
registerHooks({ resolve(s, c, next) { const r = next(s, c); loaded.push(r.url); return r; } });
if (slim) (await import(pathToFileURL(root + '/dist/src/app/slimClientNode.js').href)).installSlimClientNode();
const { loadKubeconfig, configForContext } = await import(pathToFileURL(root + '/dist/src/config/kubeconfig.js').href);
const { KubeClient } = await import(pathToFileURL(root + '/dist/src/kube/client.js').href);
const { kc } = configForContext(loadKubeconfig({ explicitPath: kubeconfig }), undefined);
const { RequestContext, HttpMethod } = await import(pathToFileURL(root + '/node_modules/@kubernetes/client-node/dist/gen/http/http.js').href);
const ctx = new RequestContext(new KubeClient(kc, 'c').server + '/api', HttpMethod.GET);
await kc.applySecurityAuthentication(ctx);
let makeApiClient = 'worked';
try { kc.makeApiClient(class {}); } catch (e) { makeApiClient = e.message; }
console.log(JSON.stringify({
  generated: loaded.filter((u) => /client-node\\/dist\\/gen\\/(apis|models)\\//.test(u)).length,
  authorization: ctx.getHeaders().Authorization,
  makeApiClient,
}));
`;

test('the CLI loads client-node without its generated clients, and KubeConfig still authenticates', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-slim-'));
  const kubeconfig = path.join(dir, 'config');
  fs.writeFileSync(kubeconfig, ['apiVersion: v1', 'kind: Config', 'current-context: c', 'clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443"}}]', 'users: [{name: u, user: {token: tok-123}}]', 'contexts: [{name: c, context: {cluster: k, user: u}}]', ''].join('\n'));
  const script = path.join(dir, 'probe.mjs');
  fs.writeFileSync(script, SCRIPT);
  const run = (mode: string) => JSON.parse(execFileSync(NODE22, [script, ROOT, kubeconfig, mode], { encoding: 'utf8' }).trim().split('\n').pop()!);
  const slim = run('slim');
  assert.equal(slim.generated, 0, 'no generated API or model module loaded');
  assert.equal(slim.authorization, 'Bearer tok-123');
  assert.match(slim.makeApiClient, /kfleet does not load @kubernetes\/client-node's generated API clients/);
  // Without the hook the same code loads the whole library (the figure this saves).
  const whole = run('whole');
  assert.ok(whole.generated > 500, `generated modules loaded without the hook: ${whole.generated}`);
  assert.equal(whole.authorization, 'Bearer tok-123');
  fs.rmSync(dir, { recursive: true, force: true });
});
