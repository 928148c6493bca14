import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, configForContext, loadKubeconfig } from '../../src/config/kubeconfig.js';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-kc-'));
}

function kubeconfig(opts: { current?: string; clusters: [string, string][]; users: string[]; contexts: [string, string, string, string?][] }): string {
  const lines = ['apiVersion: v1', 'kind: Config'];
  if (opts.current) lines.push(`current-context: ${opts.current}`);
  lines.push('clusters:');
  for (const [name, server] of opts.clusters) lines.push(`- name: ${name}`, '  cluster:', `    server: ${server}`);
  lines.push('users:');
  for (const name of opts.users) lines.push(`- name: ${name}`, '  user:', `    token: tok-${name}`);
  lines.push('contexts:');
  for (const [name, cluster, user, ns] of opts.contexts) {
    lines.push(`- name: ${name}`, '  context:', `    cluster: ${cluster}`, `    user: ${user}`);
    if (ns) lines.push(`    namespace: ${ns}`);
  }
  return lines.join('\n') + '\n';
}

describe('loadKubeconfig merges KUBECONFIG files like kubectl', () => {
  const dir = tmpdir();
  const a = path.join(dir, 'a.yaml');
  const b = path.join(dir, 'b.yaml');
  fs.writeFileSync(a, kubeconfig({ current: 'alpha', clusters: [['c1', 'https://one.example:6443']], users: ['u1'], contexts: [['alpha', 'c1', 'u1', 'shop']] }));
  // b repeats cluster c1 with another server and sets its own current-context: kubectl keeps a's.
  fs.writeFileSync(
    b,
    kubeconfig({ current: 'beta', clusters: [['c1', 'https://other.example'], ['c2', 'https://two.example']], users: ['u1', 'u2'], contexts: [['beta', 'c2', 'u2'], ['alpha', 'c2', 'u2']] }),
  );

  test('first file wins for current-context and repeated names', () => {
    const loaded = loadKubeconfig({ envValue: [a, b].join(path.delimiter) });
    assert.equal(loaded.currentContext, 'alpha');
    assert.deepEqual(
      loaded.contexts.map((c) => [c.name, c.cluster, c.user, c.namespace, c.server]),
      [
        ['alpha', 'c1', 'u1', 'shop', 'https://one.example:6443'],
        ['beta', 'c2', 'u2', undefined, 'https://two.example'],
      ],
    );
  });

  test('order matters: b first makes beta current', () => {
    const loaded = loadKubeconfig({ envValue: [b, a].join(path.delimiter) });
    assert.equal(loaded.currentContext, 'beta');
    assert.equal(loaded.contexts.find((c) => c.name === 'alpha')?.server, 'https://two.example');
  });

  test('missing files in KUBECONFIG are skipped, as kubectl does', () => {
    const loaded = loadKubeconfig({ envValue: [path.join(dir, 'nope.yaml'), a].join(path.delimiter) });
    assert.deepEqual(loaded.files, [a]);
  });

  test('configForContext selects one context with its cluster and user', () => {
    const loaded = loadKubeconfig({ envValue: [a, b].join(path.delimiter) });
    const { kc, context } = configForContext(loaded, 'beta');
    assert.equal(kc.getCurrentContext(), 'beta');
    assert.equal(kc.getCurrentCluster()?.server, 'https://two.example');
    assert.equal(kc.getCurrentUser()?.token, 'tok-u2');
    assert.equal(context.user, 'u2');
  });

  test('--kubeconfig overrides KUBECONFIG', () => {
    const loaded = loadKubeconfig({ explicitPath: b, envValue: a });
    assert.equal(loaded.currentContext, 'beta');
  });
});

describe('loadKubeconfig errors are clear ConfigErrors', () => {
  const dir = tmpdir();

  test('an explicit file that does not exist', () => {
    assert.throws(() => loadKubeconfig({ explicitPath: path.join(dir, 'missing') }), (e: unknown) => e instanceof ConfigError && /does not exist/.test(e.message));
  });

  test('no kubeconfig anywhere points to --demo', () => {
    assert.throws(() => loadKubeconfig({ homeDir: dir }), (e: unknown) => e instanceof ConfigError && /--demo/.test(e.message));
  });

  test('malformed YAML names the file', () => {
    const f = path.join(dir, 'bad.yaml');
    fs.writeFileSync(f, 'clusters: [\n  - name: x\n  bad');
    assert.throws(() => loadKubeconfig({ explicitPath: f }), (e: unknown) => e instanceof ConfigError && e.message.includes(f) && /not valid/.test(e.message));
  });

  test('an empty file has no contexts', () => {
    const f = path.join(dir, 'empty.yaml');
    fs.writeFileSync(f, '');
    assert.throws(() => loadKubeconfig({ explicitPath: f }), (e: unknown) => e instanceof ConfigError && /no contexts/.test(e.message));
  });

  test('an unknown context lists the known ones', () => {
    const f = path.join(dir, 'one.yaml');
    fs.writeFileSync(f, kubeconfig({ current: 'alpha', clusters: [['c1', 'https://one']], users: ['u1'], contexts: [['alpha', 'c1', 'u1']] }));
    const loaded = loadKubeconfig({ explicitPath: f });
    assert.throws(() => configForContext(loaded, 'prod'), (e: unknown) => e instanceof ConfigError && /"prod" does not exist/.test(e.message) && /known: alpha/.test(e.message));
  });

  test('a missing client certificate file is named', () => {
    const f = path.join(dir, 'cert.yaml');
    fs.writeFileSync(
      f,
      ['apiVersion: v1', 'current-context: x', 'clusters:', '- name: c', '  cluster:', '    server: https://c', 'users:', '- name: u', '  user:', '    client-certificate: /nope/client.crt', '    client-key: /nope/client.key', 'contexts:', '- name: x', '  context:', '    cluster: c', '    user: u', ''].join('\n'),
    );
    const loaded = loadKubeconfig({ explicitPath: f });
    assert.throws(() => configForContext(loaded, undefined), (e: unknown) => e instanceof ConfigError && /\/nope\/client\.crt does not exist/.test(e.message));
  });
});
