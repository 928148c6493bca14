// A hand-filled ClusterStore and a fake ContextSource for view tests (no cluster needed).
import assert from 'node:assert/strict';
import { ClusterStore } from '../../src/store/clusterStore.js';
import type { Pod } from '../../src/kube/types.js';
import type { ContextSource } from '../../views/App.js';

export function pod(namespace: string, name: string, opts: { node?: string; phase?: string; waiting?: string; restarts?: number; ready?: boolean; created?: string } = {}): Pod {
  const ready = opts.ready ?? true;
  return {
    metadata: { namespace, name, uid: `uid-${namespace}-${name}`, resourceVersion: '1', creationTimestamp: opts.created ?? new Date(Date.now() - 3 * 3600_000).toISOString() },
    spec: { nodeName: opts.node ?? 'node-a', containers: [{ name: 'app' }] },
    status: {
      phase: opts.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'app',
          ready,
          restartCount: opts.restarts ?? 0,
          state: opts.waiting ? { waiting: { reason: opts.waiting } } : { running: { startedAt: '2024-01-01T00:00:00Z' } },
        },
      ],
    },
  };
}

export class FakeContexts implements ContextSource {
  contexts: { name: string; server?: string }[];
  currentName: string | undefined;
  previous: string | undefined;
  namespace: string | undefined;
  stores = new Map<string, ClusterStore>();
  retries = 0;
  private listeners = new Set<(n: string) => void>();

  constructor(names: string[], namespace?: string) {
    this.contexts = names.map((name) => ({ name, server: `https://${name}.example:6443` }));
    for (const n of names) {
      const s = new ClusterStore(0);
      s.setConnection({ context: n, server: `https://${n}.example:6443`, phase: 'connected' });
      this.stores.set(n, s);
    }
    this.currentName = names[0];
    this.namespace = namespace;
  }

  get current() {
    const store = this.stores.get(this.currentName ?? '');
    return store ? { store, retryNow: () => void this.retries++ } : undefined;
  }

  get store(): ClusterStore {
    return this.current!.store;
  }

  switchTo(name: string) {
    if (!this.stores.has(name)) throw new Error(`context "${name}" does not exist`);
    if (this.currentName !== name) this.previous = this.currentName;
    this.currentName = name;
    for (const l of this.listeners) l(name);
  }

  switchBack() {
    if (this.previous) this.switchTo(this.previous);
  }

  setNamespace(ns: string | undefined) {
    this.namespace = ns;
    for (const l of this.listeners) l(this.currentName ?? '');
  }

  onSwitch(fn: (n: string) => void) {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }
}

/** Mark every kind synced (as after a finished list). */
export function syncAll(store: ClusterStore, now = Date.now()): void {
  for (const k of ['nodes', 'namespaces', 'pods', 'events', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'controllerrevisions', 'persistentvolumeclaims', 'persistentvolumes', 'storageclasses', 'volumeattachments'] as const) {
    store.setState(k, { phase: 'synced', stale: false, loaded: store.size(k), lastSyncAt: now });
  }
}

/** Let Ink handle input and render: a macrotask (a lone ESC needs longer). */
export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/**
 * The screen once it matches `re` (polled every 10 ms, up to `timeoutMs`), else the last one:
 * the caller's assert.match then fails with it. For what a view draws after background work
 * (conflicts recomputed in slices) that one tick may not cover on a slow machine.
 */
export async function screenWhen(screen: () => string, re: RegExp, timeoutMs = 3000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let s = screen();
  while (!re.test(s) && Date.now() < deadline) {
    await tick(10);
    s = screen();
  }
  return s;
}

/** Wait until Ink has drawn no new frame for `quietMs` (at most 3 s): a loaded machine draws
 *  later, and sometimes in more or fewer frames, than a fixed wait expects. */
export async function framesSettled(r: { frames: readonly string[] }, quietMs = 60): Promise<void> {
  const deadline = Date.now() + 3000;
  for (let last = -1; last !== r.frames.length && Date.now() < deadline; ) {
    last = r.frames.length;
    await tick(quietMs);
  }
}

/** Wait until the screen shows `shown` and no longer `busy` (a view's background count: a
 *  loaded machine still draws "counting…" after a bare tick); fails after 3 s. */
export async function screenReady(screen: () => string, shown: RegExp, busy: RegExp): Promise<void> {
  const end = Date.now() + 3000;
  while (!shown.test(screen()) || busy.test(screen())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${shown} without ${busy}; screen:\n${screen()}`);
    await tick(5);
  }
}
