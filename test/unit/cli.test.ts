// CLI arguments (pure) and the fatal error paths of the built CLI, run as real child processes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError, parseCliArgs } from '../../src/app/args.js';
import { BIN, NODE22, ROOT } from '../helpers/pty.js';

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-home-'));
  const fullEnv: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) fullEnv[k] = v;
  const r = spawnSync(NODE22, [BIN, ...args], { cwd: ROOT, env: fullEnv, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(name: string, text: string): string {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-cli-')), name);
  fs.writeFileSync(f, text);
  return f;
}

const TOKEN = 'planted-secret-token-4711';
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: { server: "https://127.0.0.1:9" }
users:
- name: u1
  user: { token: "${TOKEN}" }
contexts:
- name: prod-eu
  context: { cluster: c1, user: u1 }
- name: staging
  context: { cluster: c1, user: u1, namespace: shop }
current-context: prod-eu
`;

describe('parseCliArgs', () => {
  test('kubectl-like flags, the view as positional or --view', () => {
    assert.deepEqual(parseCliArgs(['nodes', '--context', 'prod', '-n', 'shop', '--readonly', '--keymap', 'k.yaml', '--group-by', 'app']), {
      kubeconfig: undefined,
      context: 'prod',
      namespace: 'shop',
      allNamespaces: false,
      readonly: true,
      demo: false,
      keymap: 'k.yaml',
      groupBy: 'app',
      view: 'nodes',
      help: false,
      version: false,
    });
    const o = parseCliArgs(['-A', '--view', 'events', '--demo']);
    assert.equal(o.allNamespaces, true);
    assert.equal(o.view, 'events');
    assert.equal(o.demo, true);
    assert.equal(parseCliArgs([]).view, undefined);
  });

  test('usage errors', () => {
    assert.throws(() => parseCliArgs(['--frob']), (e: Error) => e instanceof UsageError && /Unknown option '--frob'/.test(e.message));
    assert.throws(() => parseCliArgs(['nodez']), /unknown view "nodez"/);
    assert.throws(() => parseCliArgs(['-n', 'a', '-A']), /cannot be used together/);
    assert.throws(() => parseCliArgs(['nodes', 'pods']), /unexpected arguments: pods/);
    assert.throws(() => parseCliArgs(['--context']), /argument missing/);
  });
});

describe('the CLI as a process', () => {
  test('--help and --version exit 0', () => {
    const h = run(['--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Usage: kfleet \[VIEW\] \[flags\]/);
    assert.match(h.stdout, /--demo/);
    const v = run(['--version']);
    assert.equal(v.code, 0);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(v.stdout, `kfleet ${pkg.version}\n`);
  });

  test('an unknown flag: message and exit 2', () => {
    const r = run(['--frob']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "kfleet: Unknown option '--frob'\nRun kfleet --help for usage.\n");
  });

  test('a missing kubeconfig file: exit 2 with the path', () => {
    const r = run(['--kubeconfig', '/nonexistent/kubeconfig']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'kfleet: kubeconfig file /nonexistent/kubeconfig does not exist.\n');
  });

  test('no kubeconfig at all: the message points to --demo', () => {
    const r = run([], { KUBECONFIG: undefined });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^kfleet: no kubeconfig found/);
    assert.match(r.stderr, /--demo/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  test('a malformed kubeconfig: exit 2, one paragraph, no stack trace', () => {
    const f = tmp('broken.yaml', 'apiVersion: v1\nclusters: [\n  - name: x\n');
    const r = run(['--kubeconfig', f]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^kfleet: kubeconfig ${f} is not valid`));
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  test('an unknown context: exit 2 listing the known ones, never the token', () => {
    const f = tmp('config', KUBECONFIG);
    const r = run(['--kubeconfig', f, '--context', 'prod-us']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `kfleet: context "prod-us" does not exist in ${f} (known: prod-eu, staging).\n`);
    assert.ok(!r.stderr.includes(TOKEN));
    // Through KUBECONFIG too.
    const r2 = run(['--context', 'nope'], { KUBECONFIG: f });
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /known: prod-eu, staging/);
  });

  test('a broken keymap: exit 2 naming file and line', () => {
    const km = tmp('keymap.yaml', 'global:\n  quit: q\n  jump: x\n');
    const f = tmp('config', KUBECONFIG);
    const r = run(['--kubeconfig', f, '--keymap', km]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^kfleet: bad keymap: ${km}:3: unknown action "jump"`));
  });
});
