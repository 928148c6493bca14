// The tests' and benchmarks' big cluster: the sim's generated scenario, every object leaned
// into a ClusterStore the way the reflectors fill it. The store sends notices only on flush():
// the caller delivers its batches itself (and closes the store if it keeps it open).
import { leanObject } from '../../src/kube/lean.js';
import { RESOURCE_KINDS, type ResourceKind } from '../../src/kube/types.js';
import { loadScenario } from '../../src/sim/scenarios/index.js';
import { Store } from '../../src/sim/store.js';
import { ClusterStore } from '../../src/store/clusterStore.js';
import type { ContextSource } from '../../views/App.js';

export interface GeneratedClusterOptions {
  pods: number;
  nodes: number;
  seed?: number;
  /** The kinds to fill (default: all the sim has). */
  kinds?: readonly ResourceKind[];
  /** Mark each filled kind synced, as after its list. */
  synced?: boolean;
  /** A connected context of this name. */
  context?: string;
  /** Change a raw object before it is leaned (a benchmark settling its rollouts). */
  prepare?: (kind: ResourceKind, raw: unknown) => unknown;
}

export function generatedCluster(o: GeneratedClusterOptions): ClusterStore {
  const sim = new Store({ seed: o.seed ?? 42 });
  loadScenario(sim, { scenario: 'generated', pods: o.pods, nodes: o.nodes });
  const store = new ClusterStore(1e9);
  for (const kind of o.kinds ?? RESOURCE_KINDS) {
    let items: unknown[] = [];
    try {
      items = sim.list(kind);
    } catch {
      // a kind the sim does not serve: empty
    }
    for (const raw of items) store.upsert(kind, leanObject(kind, (o.prepare ? o.prepare(kind, raw) : raw) as never));
    if (o.synced) store.setState(kind, { phase: 'synced', loaded: store.size(kind), stale: false, lastSyncAt: Date.now() });
  }
  if (o.context) store.setConnection({ context: o.context, server: `https://${o.context}.example:6443`, phase: 'connected' });
  store.flush();
  return store;
}

/** The App's contexts for one store: a single context, nothing to switch to. */
export function singleContext(store: ClusterStore, name = 'test'): ContextSource {
  return {
    contexts: [{ name }],
    currentName: name,
    previous: undefined,
    namespace: undefined,
    current: { store, retryNow: () => undefined },
    switchTo: () => undefined,
    switchBack: () => undefined,
    setNamespace: () => undefined,
    onSwitch: () => () => undefined,
  };
}
