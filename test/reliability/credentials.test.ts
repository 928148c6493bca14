// Credentials never leave kfleet: a bearer token, a client key, a basic-auth password and an
// exec plugin's output are planted (each a unique string) in kubeconfigs, kfleet is driven
// through the paths that print errors (401, TLS failure, unreachable server, failing exec
// plugin, a refused action in --readonly, a crash), and then EVERYTHING it produced is
// searched: the pty output (screen and raw bytes), stderr of the fatal paths, and every file
// under its HOME / XDG config, state and cache dirs (the action log lives there).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { startSim, type SimHandle } from '../../src/sim/launch.js';
import { selfSignedCert } from '../../src/sim/tls.js';
import { BIN, NODE22, ROOT } from '../helpers/pty.js';
import { TtyRun, filesUnder, isolatedHome, kubeconfigFor, sleep, tmpDir, tmpFile } from './harness.js';

const SECRETS = {
  token: 'tok-PLANTED-7f3a9c1e5b',
  password: 'pw-PLANTED-Hunter2-x9',
  execToken: 'exec-PLANTED-eyJhbGciOi-q4',
  execStderr: 'stderr-PLANTED-refresh-z1',
};
// The client key: a real EC key (its PEM body is searched, line by line, not just its header).
const KEY = selfSignedCert().key;
const KEY_LINES = KEY.split('\n').filter((l) => l && !l.startsWith('-----'));
const KEY_B64 = Buffer.from(KEY).toString('base64');

/** The sim's own token, once known: it must not show either. */
const SECRETS_EXTRA: string[] = [];

/** Every place a secret could be, as [what, text] pairs. */
const produced: [string, string][] = [];

function assertNoSecrets() {
  for (const [where, text] of produced) {
    for (const [name, secret] of [...Object.entries(SECRETS), ...SECRETS_EXTRA.map((t) => ['sim token', t] as const)]) assert.ok(!text.includes(secret), `${name} found in ${where}`);
    for (const line of KEY_LINES) assert.ok(!text.includes(line), `a client key line found in ${where}`);
    assert.ok(!text.includes(KEY_B64.slice(0, 40)), `client-key-data found in ${where}`);
  }
}

/** Run kfleet in a pty until `what` shows, optionally press keys, quit; collect its output and files. */
async function drive(name: string, args: string[], what: RegExp, opts: { keys?: (string | RegExp)[]; after?: RegExp; env?: Record<string, string>; expectExit?: number } = {}) {
  const home = isolatedHome();
  const run = new TtyRun(args, { cols: 140, rows: 24, env: { ...home.env, ...opts.env } });
  try {
    await run.waitFor(what, 20_000);
    produced.push([`${name}: screen`, run.screen()]);
    // A key, or what to wait for before the next key (a dialog opened by the one before).
    for (const k of opts.keys ?? []) {
      if (k instanceof RegExp) await run.waitFor(k);
      else {
        run.press(k);
        await sleep(150);
      }
    }
    if (opts.after) produced.push([`${name}: screen after keys`, await run.waitFor(opts.after)]);
    if (opts.expectExit === undefined) run.press('q');
    const exit = await run.done;
    assert.equal(exit.code, opts.expectExit ?? 0, `exit; raw tail: ${JSON.stringify(run.raw.slice(-600))}`);
    produced.push([`${name}: pty bytes`, run.raw]);
    for (const f of filesUnder(home.home)) produced.push([`${name}: ${f.file}`, f.text]);
    return { run, files: filesUnder(home.home) };
  } finally {
    await run.kill();
  }
}

describe('planted credentials never appear', { concurrency: true }, () => {
  let sim: SimHandle;
  let caData: string;
  before(async () => {
    sim = await startSim({ scenario: 'small' });
    caData = Buffer.from(sim.ca!).toString('base64');
  });
  after(() => sim?.stop());

  test('a wrong token (401) and a client key: the UI says 401, a --readonly action is refused and logged', async () => {
    const kc = tmpFile('config', kubeconfigFor(sim.url, { token: SECRETS.token, 'client-certificate-data': Buffer.from(selfSignedCert().cert).toString('base64'), 'client-key-data': KEY_B64 }, { cluster: { 'certificate-authority-data': caData } }));
    const unauthorized = drive('401', ['--kubeconfig', kc], /401 Unauthorized/);
    // The right token: a pod deleted (confirmed with y) writes the action log; --readonly refuses.
    const ok = tmpFile('config', kubeconfigFor(sim.url, { token: sim.token, 'client-key-data': KEY_B64, 'client-certificate-data': Buffer.from(selfSignedCert().cert).toString('base64') }, { cluster: { 'certificate-authority-data': caData } }));
    SECRETS_EXTRA.push(sim.token);
    // Keys once a row is selected (the header can say synced a frame before the rows show). The
    // read-only run comes after the delete: run beside it, its selected pod could be the one
    // deleted ("pod … is gone", not "refused": one CI run in session 11).
    const deleting = drive('delete', ['--kubeconfig', ok, 'podlist'], /\n> \S+ +\S+ +\d+\/\d+/, { keys: ['\x04', /│ Delete pod\//, 'y'], after: /deleted/ });
    const [, { files }] = await Promise.all([
      unauthorized,
      deleting,
      deleting.then(() => drive('readonly', ['--kubeconfig', ok, '--readonly', 'podlist'], /\n> \S+ +\S+ +\d+\/\d+/, { keys: ['\x04'], after: /refused/ })),
    ]);
    assert.ok(files.some((f) => f.file.endsWith('kfleet/actions.log') && /"action":"deletePod".*"result":"ok"/.test(f.text)), `the delete is logged: ${files.map((f) => f.file)}`);
    assertNoSecrets();
  });

  test('basic auth over a CA mismatch (TLS error), and an unreachable server', async () => {
    const kc = tmpFile('config', kubeconfigFor(sim.url, { username: 'admin', password: SECRETS.password }, { cluster: { 'certificate-authority-data': Buffer.from(otherCa()).toString('base64') } }));
    const tls = drive('tls', ['--kubeconfig', kc], /TLS handshake/);
    const dead = tmpFile('config', kubeconfigFor('https://127.0.0.1:1', { username: 'admin', password: SECRETS.password, token: SECRETS.token }));
    await Promise.all([tls, drive('unreachable', ['--kubeconfig', dead], /cannot reach|refused the connection/)]);
    assertNoSecrets();
  });

  test('a failing exec plugin: neither its stdout nor its stderr is shown', async () => {
    const plugin = tmpFile('get-token.sh', `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"${SECRETS.execToken}"}}'\necho "error: ${SECRETS.execStderr} token=${SECRETS.execToken}" >&2\nexit 1\n`, 0o700);
    const kc = tmpFile('config', kubeconfigFor(sim.url, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin, interactiveMode: 'Never' } }, { cluster: { 'certificate-authority-data': caData } }));
    const failing = drive('exec exit 1', ['--kubeconfig', kc], /authentication for context rel failed/);
    // A plugin that prints a broken credential: client-node's JSON error would quote it.
    const broken = tmpFile('get-token.sh', `#!/bin/sh\necho 'token: ${SECRETS.execToken}'\n`, 0o700);
    const kc2 = tmpFile('config', kubeconfigFor(sim.url, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: broken, interactiveMode: 'Never' } }, { cluster: { 'certificate-authority-data': caData } }));
    await Promise.all([failing, drive('exec bad output', ['--kubeconfig', kc2], /printed something that is not a credential/)]);
    assertNoSecrets();
  });

  test('a crash whose message holds the token, and the fatal paths on stderr', async () => {
    const kc = tmpFile('config', kubeconfigFor(sim.url, { token: SECRETS.token }, { cluster: { 'certificate-authority-data': caData } }));
    await drive('crash', ['--kubeconfig', kc], /kfleet/, { env: { KFLEET_TEST_CRASH_MS: '400', KFLEET_TEST_CRASH_SECRET: SECRETS.token }, expectExit: 1 });
    // Fatal paths print to stderr before any UI: unknown context, missing cert file, no tty.
    const home = isolatedHome();
    for (const args of [
      ['--kubeconfig', kc, '--context', 'nope'],
      ['--kubeconfig', tmpFile('config', kubeconfigFor(sim.url, { token: SECRETS.token, 'client-certificate': '/nope/c.crt', 'client-key': '/nope/c.key', password: SECRETS.password }))],
      ['--kubeconfig', kc],
    ]) {
      const r = spawnSync(NODE22, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...(home.env as Record<string, string>) }, encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(r.status, 2, r.stderr);
      produced.push([`stderr of ${args.join(' ')}`, r.stderr + r.stdout]);
    }
    assertNoSecrets();
  });

  after(() => assert.ok(produced.length >= 20, `outputs searched: ${produced.length}`));
});

function otherCa(): string {
  const dir = tmpDir('ca');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${dir}/k.pem`, '-out', `${dir}/c.pem`, '-days', '1', '-subj', '/CN=other', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return fs.readFileSync(`${dir}/c.pem`, 'utf8');
}
