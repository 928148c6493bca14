// Loading kubeconfig the way kubectl does.
//
// client-node's loadFromDefault() lets a later KUBECONFIG file's current-context win and
// throws on a name repeated across files; kubectl keeps the first of each. So each file is
// loaded on its own (which gives client-node's field conversions and absolute paths), and the
// merge here keeps the first cluster, user, context and current-context it meets.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Cluster, Context, User } from '@kubernetes/client-node';
// The config module alone, not the package's index (which loads every generated API client).
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';

/** A problem with the user's configuration: shown as one paragraph, exit code 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface KubeconfigSource {
  /** --kubeconfig: a single file that must exist. */
  explicitPath?: string;
  /** The KUBECONFIG environment variable (path-list). */
  envValue?: string;
  homeDir?: string;
}

export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  server?: string;
}

export interface LoadedKubeconfig {
  /** The merged configuration (every context, first definition wins). */
  config: KubeConfig;
  files: string[];
  currentContext?: string;
  contexts: ContextInfo[];
}

/** Which files kubectl would read, in order. */
export function kubeconfigFiles(src: KubeconfigSource): { files: string[]; explicit: boolean } {
  if (src.explicitPath) return { files: [path.resolve(src.explicitPath)], explicit: true };
  if (src.envValue) {
    const files = src.envValue.split(path.delimiter).filter(Boolean).map((f) => path.resolve(f));
    // kubectl skips KUBECONFIG entries that do not exist.
    return { files: [...new Set(files)].filter((f) => fs.existsSync(f)), explicit: false };
  }
  const home = src.homeDir ?? os.homedir();
  const def = path.join(home, '.kube', 'config');
  return { files: fs.existsSync(def) ? [def] : [], explicit: false };
}

function loadOne(file: string): KubeConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read kubeconfig ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const kc = new KubeConfig();
  if (text.trim() === '') return kc; // kubectl treats an empty file as an empty config
  try {
    kc.loadFromFile(file);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new ConfigError(`kubeconfig ${file} is not valid: ${msg}`);
  }
  return kc;
}

/** Load and merge kubeconfig files like kubectl. Throws ConfigError with a clear message. */
export function loadKubeconfig(src: KubeconfigSource): LoadedKubeconfig {
  const { files, explicit } = kubeconfigFiles(src);
  if (explicit && !fs.existsSync(files[0])) {
    throw new ConfigError(`kubeconfig file ${files[0]} does not exist.`);
  }
  if (files.length === 0) {
    throw new ConfigError(
      'no kubeconfig found (looked at $KUBECONFIG and ~/.kube/config). Point kfleet at one with ' +
        '--kubeconfig FILE, or try it on the built-in demo cluster with --demo.',
    );
  }
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext: string | undefined;
  for (const file of files) {
    const kc = loadOne(file);
    for (const c of kc.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!currentContext && kc.currentContext) currentContext = kc.currentContext;
  }
  if (contexts.size === 0) {
    throw new ConfigError(`kubeconfig ${files.join(', ')} defines no contexts. Add one with kubectl config set-context, or try --demo.`);
  }
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext: currentContext ?? '',
  });
  return {
    config,
    files,
    currentContext,
    contexts: [...contexts.values()].map((c) => ({
      name: c.name,
      cluster: c.cluster,
      user: c.user,
      namespace: c.namespace,
      server: clusters.get(c.cluster)?.server,
    })),
  };
}

/**
 * A KubeConfig that has exactly one context selected, checked for the things kubectl would
 * refuse: an unknown context, a context without its cluster or user.
 */
export function configForContext(loaded: LoadedKubeconfig, contextName: string | undefined): { kc: KubeConfig; context: ContextInfo } {
  const name = contextName ?? loaded.currentContext;
  if (!name) {
    throw new ConfigError(
      `kubeconfig ${loaded.files.join(', ')} has no current-context; choose one with --context (known: ${loaded.contexts.map((c) => c.name).join(', ')}).`,
    );
  }
  const context = loaded.contexts.find((c) => c.name === name);
  if (!context) {
    throw new ConfigError(
      `context "${name}" does not exist in ${loaded.files.join(', ')} (known: ${loaded.contexts.map((c) => c.name).join(', ')}).`,
    );
  }
  const kc = new KubeConfig();
  const cluster = loaded.config.getCluster(context.cluster);
  if (!cluster) throw new ConfigError(`context "${name}" refers to cluster "${context.cluster}", which is not defined.`);
  const user = loaded.config.getUser(context.user);
  if (!user) throw new ConfigError(`context "${name}" refers to user "${context.user}", which is not defined.`);
  for (const f of [user.certFile, user.keyFile, cluster.caFile]) {
    if (f && !fs.existsSync(f)) throw new ConfigError(`context "${name}": file ${f} does not exist.`);
  }
  kc.loadFromOptions({
    clusters: [cluster],
    users: [user],
    contexts: [loaded.config.getContextObject(name)!],
    currentContext: name,
  });
  return { kc, context };
}
