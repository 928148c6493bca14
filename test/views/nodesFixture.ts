// Test fixture for the nodes view tests: a ClusterStore filled in-process with a sim scenario's
// objects (leaned as the reflectors lean them), and the App shell around the nodes view.
import { createElement } from 'react';
import { App, type ContextSource } from '../../views/App.js';
import { leanObject } from '../../src/kube/lean.js';
import { RESOURCE_KINDS } from '../../src/kube/types.js';
import { loadKeymap } from '../../src/keys/keymap.js';
import { ClusterStore } from '../../src/store/clusterStore.js';
import { Store } from '../../src/sim/store.js';
import { loadScenario } from '../../src/sim/scenarios/index.js';

export function scenarioStore(scenario = 'incident', opts: { nodes?: number; pods?: number } = {}): { store: ClusterStore; sim: Store } {
  const sim = new Store({ seed: 42 });
  loadScenario(sim, { scenario, ...opts });
  const store = new ClusterStore(0);
  for (const kind of RESOURCE_KINDS) {
    for (const raw of sim.list(kind)) store.upsert(kind, leanObject(kind, JSON.parse(JSON.stringify(raw))));
    store.setState(kind, { phase: 'synced', loaded: store.size(kind), stale: false, lastSyncAt: Date.now() });
  }
  store.setConnection({ context: 'test', server: 'https://test.invalid', phase: 'connected' });
  store.flush();
  return { store, sim };
}

export function fakeContexts(store: ClusterStore, namespace?: string): ContextSource {
  return {
    contexts: [{ name: 'test', server: 'https://test.invalid' }],
    currentName: 'test',
    previous: undefined,
    namespace,
    current: { store, retryNow() {} },
    switchTo() {},
    switchBack() {},
    setNamespace() {},
    onSwitch: () => () => {},
  };
}

export function nodesApp(store: ClusterStore, opts: { width?: number; height?: number; namespace?: string } = {}) {
  return createElement(App, {
    contexts: fakeContexts(store, opts.namespace),
    keymap: loadKeymap({ defaultFile: undefined }),
    initialView: 'nodes',
    width: opts.width ?? 100,
    height: opts.height ?? 30,
    onExit: () => {},
  });
}

/** Let Ink render after input (a macrotask; a lone ESC needs ~20 ms more). */
export const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));
