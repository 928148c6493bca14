// Kubeconfig files for embedded clusters: one cluster, or several (fleet tests).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigEntry {
  /** Context name; the cluster and user are named after it. */
  name: string;
  server: string;
  token: string;
  namespace?: string;
  /** PEM of the server's CA (https servers). */
  ca?: string;
}

export function kubeconfigYaml(entries: KubeconfigEntry[], current?: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: entries.map((e) => ({ name: e.name, cluster: { server: e.server, ...(e.ca ? { 'certificate-authority-data': Buffer.from(e.ca).toString('base64') } : {}) } })),
    users: entries.map((e) => ({ name: `${e.name}-user`, user: { token: e.token } })),
    contexts: entries.map((e) => ({ name: e.name, context: { cluster: e.name, user: `${e.name}-user`, ...(e.namespace ? { namespace: e.namespace } : {}) } })),
    'current-context': current ?? entries[0]?.name ?? '',
  });
}

/** Writes a kubeconfig (to `path`, or a new temp dir) and returns its path. */
export function writeKubeconfig(entries: KubeconfigEntry[], opts: { path?: string; current?: string } = {}): string {
  const path = opts.path ?? join(mkdtempSync(join(tmpdir(), 'kfleet-sim-')), 'kubeconfig');
  writeFileSync(path, kubeconfigYaml(entries, opts.current), { mode: 0o600 });
  return path;
}
