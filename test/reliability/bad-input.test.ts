// Bad input, each case against the BUILT CLI: a clear message, no stack trace, no hang, the
// right exit code.
// - Fatal (exit 2, one paragraph on stderr, before any UI): missing / empty / malformed
//   kubeconfig, unknown context, missing certificate files, a keymap with an unknown action
//   or a malformed key (FILE:LINE), standard input that is not a terminal.
// - Not fatal (the UI opens, says what is wrong, `q` still quits with 0): a failing exec
//   plugin, a TLS error (a CA that is not the server's), a server answering HTML, truncated
//   JSON, an unexpected kind, a huge object.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { startSim, type SimHandle } from '../../src/sim/launch.js';
import { selfSignedCert } from '../../src/sim/tls.js';
import { BIN, NODE22, ROOT } from '../helpers/pty.js';
import { TtyRun, fakeApi, isolatedHome, kubeconfigFor, listJson, tmpDir, tmpFile } from './harness.js';

const STACK = /\n\s+at (\S+ \()?\S+:\d+:\d+/;

/** The CLI with pipes (stdin /dev/null): for the fatal paths. Async, so cases run side by side. */
function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const { env: homeEnv } = isolatedHome();
  const full: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const [k, v] of Object.entries({ ...homeEnv, ...env })) if (v !== undefined) full[k] = v;
  return new Promise((resolve) => {
    const child = spawn(NODE22, [BIN, ...args], { cwd: ROOT, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000); // a hang fails the test
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function assertFatal(r: Awaited<ReturnType<typeof runCli>>, message: RegExp) {
  assert.equal(r.signal, null, 'no hang (not killed by the timeout)');
  assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, STACK, 'no stack trace');
  assert.equal(r.stderr.trim().split('\n').length, 1, `one paragraph: ${JSON.stringify(r.stderr)}`);
  assert.equal(r.stdout, '');
}

const GOOD = (extraUser = '') => `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: { server: "https://127.0.0.1:9" }
users:
- name: u
  user: { token: "bad-input-token-1"${extraUser} }
contexts:
- name: prod
  context: { cluster: c, user: u }
current-context: prod
`;

describe('fatal bad input: exit 2, one clear paragraph', { concurrency: true }, () => {
  test('missing kubeconfig file', async () => {
    assertFatal(await runCli(['--kubeconfig', '/nonexistent/dir/config']), /^kfleet: kubeconfig file \/nonexistent\/dir\/config does not exist\.\n$/);
  });

  test('no kubeconfig at all points to --demo', async () => {
    assertFatal(await runCli([]), /^kfleet: no kubeconfig found .* --demo\.\n$/);
  });

  test('empty kubeconfig', async () => {
    const f = tmpFile('config', '');
    assertFatal(await runCli(['--kubeconfig', f]), new RegExp(`^kfleet: kubeconfig ${f} defines no contexts\\. .*--demo\\.\\n$`));
    // Through KUBECONFIG as well.
    assertFatal(await runCli([], { KUBECONFIG: f }), /defines no contexts/);
  });

  test('malformed kubeconfig: YAML syntax, and a wrong shape', async () => {
    const syntax = tmpFile('config', 'apiVersion: v1\nclusters: [\n  - name: x\n');
    assertFatal(await runCli(['--kubeconfig', syntax]), new RegExp(`^kfleet: kubeconfig ${syntax} is not valid: `));
    const shape = tmpFile('config', 'apiVersion: v1\nkind: Config\nclusters: 17\ncontexts: "none"\n');
    const r = await runCli(['--kubeconfig', shape]);
    assertFatal(r, new RegExp(`^kfleet: kubeconfig ${shape} (is not valid|defines no contexts)`));
  });

  test('unknown context lists the known ones', async () => {
    const f = tmpFile('config', GOOD());
    assertFatal(await runCli(['--kubeconfig', f, '--context', 'staging']), new RegExp(`^kfleet: context "staging" does not exist in ${f} \\(known: prod\\)\\.\\n$`));
  });

  test('missing client certificate, key and CA files are named', async () => {
    const cert = tmpFile('config', GOOD(', client-certificate: /nope/client.crt, client-key: /nope/client.key'));
    assertFatal(await runCli(['--kubeconfig', cert]), /^kfleet: context "prod": file \/nope\/client\.crt does not exist\.\n$/);
    const ca = tmpFile('config', GOOD().replace('server: "https://127.0.0.1:9"', 'server: "https://127.0.0.1:9", certificate-authority: /nope/ca.crt'));
    assertFatal(await runCli(['--kubeconfig', ca]), /^kfleet: context "prod": file \/nope\/ca\.crt does not exist\.\n$/);
  });

  test('keymap: an unknown action and a malformed key name FILE:LINE', async () => {
    const f = tmpFile('config', GOOD());
    const unknown = tmpFile('keymap.yaml', 'global:\n  quit: q\n\n  teleport: t\n');
    assertFatal(await runCli(['--kubeconfig', f, '--keymap', unknown]), new RegExp(`^kfleet: bad keymap: ${unknown}:4: unknown action "teleport"`));
    const badKey = tmpFile('keymap.yaml', 'global:\n  help: "ctrl+"\n');
    assertFatal(await runCli(['--kubeconfig', f, '--keymap', badKey]), new RegExp(`^kfleet: bad keymap: ${badKey}:2: `));
    // The user's XDG keymap is read too.
    const home = isolatedHome();
    const r = spawnSync('sh', ['-c', `mkdir -p "$XDG_CONFIG_HOME/kfleet" && printf 'pods:\\n  fly: f\\n' > "$XDG_CONFIG_HOME/kfleet/keymap.yaml" && exec "$0" "$@"`, NODE22, BIN, '--kubeconfig', f], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: home.home, XDG_CONFIG_HOME: home.env.XDG_CONFIG_HOME! },
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^kfleet: bad keymap: \S+\/kfleet\/keymap\.yaml:2: unknown action "fly"/);
  });

  test('standard input not a terminal: a message, not an Ink stack trace', async () => {
    const f = tmpFile('config', GOOD());
    assertFatal(await runCli(['--kubeconfig', f]), /^kfleet: kfleet is interactive: its standard input must be a terminal\.\n$/);
  });
});

// ---- the UI opens and says what is wrong -----------------------------------------------------

/** Run kfleet in a pty until `what` shows, check the screen, then `q` must still quit with 0. */
async function opensAndSays(args: string[], what: RegExp, opts: { cols?: number; rows?: number; env?: Record<string, string> } = {}): Promise<{ screen: string; raw: string }> {
  const run = new TtyRun(args, { cols: opts.cols ?? 160, rows: opts.rows ?? 24, env: { ...isolatedHome().env, ...opts.env } });
  try {
    const screen = await run.waitFor(what, 20_000);
    assert.doesNotMatch(run.appOutput(), STACK, 'no stack trace on screen');
    run.press('q');
    const exit = await run.done;
    assert.equal(exit.code, 0, 'q still quits');
    assert.equal(run.restored(exit).cooked, true);
    return { screen, raw: run.appOutput() };
  } finally {
    await run.kill();
  }
}

describe('the UI opens and names the problem', { concurrency: true }, () => {
  let sim: SimHandle;
  before(async () => {
    sim = await startSim({ scenario: 'small' });
  });
  after(() => sim?.stop());

  test('failing exec plugin: the auth error on screen, never the plugin output', async () => {
    const token = 'exec-plugin-token-Zq81x';
    const plugin = tmpFile('plugin.sh', `#!/bin/sh\necho "fatal: token ${token} expired; refresh failed" >&2\necho '{"status":{"token":"${token}"}' \nexit 1\n`, 0o700);
    const kc = tmpFile('config', kubeconfigFor(sim.url, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin, interactiveMode: 'Never' } }, { cluster: { 'certificate-authority-data': Buffer.from(sim.ca!).toString('base64') } }));
    const { screen, raw } = await opensAndSays(['--kubeconfig', kc], /authentication for context rel failed/);
    assert.ok(!raw.includes(token), `the plugin's token reached the screen:\n${screen}`);
    assert.match(screen.split('\n')[1]!, /^✗ authentication for context rel failed: the exec plugin plugin\.sh failed; run it by hand to see why/);
  });

  test('TLS error: a CA that is not the server certificate', async () => {
    const other = selfSignedCertOther();
    const kc = tmpFile('config', kubeconfigFor(sim.url, { token: sim.token }, { cluster: { 'certificate-authority-data': Buffer.from(other).toString('base64') } }));
    const { screen } = await opensAndSays(['--kubeconfig', kc], /TLS handshake with https:\/\/127\.0\.0\.1:\d+ failed/);
    // Per resource first; the connection probe says it as a whole (✗) right after.
    assert.match(screen.split('\n')[1]!, /^(✗|⚠ \w+:) TLS handshake with https:\/\/127\.0\.0\.1:\d+ failed: self-signed certificate/);
  });

  describe('a server that answers nonsense', { concurrency: true }, () => {
    let api: Awaited<ReturnType<typeof fakeApi>>;
    const bigAnnotation = 'x'.repeat(8 * 1024 * 1024);
    before(async () => {
      api = await fakeApi((kind, url) => {
        const mode = url.split('/')[1];
        if (mode === 'html') return { contentType: 'text/html', body: '<!DOCTYPE html><html><body><h1>Sign in to Corp VPN</h1></body></html>' };
        if (mode === 'truncated' && kind === 'pods') return { body: listJson('pods', [{ metadata: { name: 'a', namespace: 'n', uid: 'u1', resourceVersion: '1' } }]).slice(0, 60) };
        if (mode === 'oddkind' && kind === 'pods') return { body: JSON.stringify({ kind: 'Banana', apiVersion: 'fruit/v1', items: [{ kind: 'Banana', peel: 'yellow' }] }) };
        if (mode === 'huge' && kind === 'pods') {
          const containers = Array.from({ length: 2000 }, (_, i) => ({ name: `c${i}`, image: `registry.example/app:${i}` }));
          const pod = {
            metadata: { name: 'huge-pod', namespace: 'big', uid: 'uid-huge', resourceVersion: '7', creationTimestamp: new Date().toISOString(), annotations: { note: bigAnnotation }, labels: { app: 'huge' } },
            spec: { nodeName: 'n1', containers },
            status: { phase: 'Running', containerStatuses: containers.map((c) => ({ name: c.name, ready: true, restartCount: 0, state: { running: {} } })) },
          };
          return { body: listJson('pods', [pod]) };
        }
        return undefined;
      });
    });
    after(() => api?.close());

    const kc = (mode: string) => tmpFile('config', kubeconfigFor(`${api.url}/${mode}`, { token: 't' }));

    test('HTML (a proxy login page): "an HTML page: is the server address right?"', async () => {
      // The lists fail first; the header then names the connection itself once the /version
      // probe has answered (which one comes first is a race, so wait for the probe's line).
      const { screen } = await opensAndSays(['--kubeconfig', kc('html')], /answered \/version with something that is not JSON \(an HTML page: is the server address right\?\)/);
      assert.match(screen.split('\n')[1]!, /^✗ the server at http:\/\/127\.0\.0\.1:\d+\/html answered \/version with something that is not JSON \(an HTML page: is the server address right\?\) \(retrying\)/);
    });

    test('truncated JSON: the list is named, not JSON', async () => {
      const { screen } = await opensAndSays(['--kubeconfig', kc('truncated')], /pods[^:]*: the server's pods list is not JSON/);
      assert.match(screen.split('\n')[1]!, /⚠ pods: the server's pods list is not JSON \(60 bytes, not valid JSON\) retry \d+s/);
    });

    test('an unexpected kind: a protocol error naming what came', async () => {
      const { screen } = await opensAndSays(['--kubeconfig', kc('oddkind')], /pods[^:]*: the server's pods list/);
      assert.match(screen.split('\n')[1]!, /⚠ pods: the server's pods list holds a Banana, not a Pod retry \d+s/);
    });

    test('a huge object (8 MB annotation, 2,000 containers): listed and drawn in one row', async () => {
      const { screen } = await opensAndSays(['--kubeconfig', kc('huge'), 'podlist'], /huge-pod/, { cols: 120, rows: 20 });
      const row = screen.split('\n').find((l) => l.includes('huge-pod'))!;
      assert.match(row, /big\s+huge-pod\s+2000\/2000\s+Running/);
      assert.match(screen.split('\n')[1]!, /✓ synced/);
    });
  });
});

/** A second, unrelated self-signed certificate (the sim's is cached per process). */
function selfSignedCertOther(): string {
  const mine = selfSignedCert().cert;
  const dir = tmpDir('ca');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${dir}/k.pem`, '-out', `${dir}/c.pem`, '-days', '1', '-subj', '/CN=not-the-sim', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const cert = fs.readFileSync(`${dir}/c.pem`, 'utf8');
  assert.notEqual(cert, mine);
  return cert;
}
