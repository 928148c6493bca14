// The demo's "incident" scenario loaded into a ClusterStore the way the reflectors would
// (lean objects), for the pods tree view tests.
import { leanObject } from '../../src/kube/lean.js';
import { loadScenario } from '../../src/sim/scenarios/index.js';
import { Store } from '../../src/sim/store.js';
import type { ClusterStore } from '../../src/store/clusterStore.js';

export function loadIncidentPods(store: ClusterStore): void {
  const sim = new Store({ seed: 1 });
  loadScenario(sim, { scenario: 'incident' });
  for (const p of sim.list('pods')) store.upsert('pods', leanObject('pods', JSON.parse(JSON.stringify(p))));
  for (const n of sim.list('namespaces')) store.upsert('namespaces', leanObject('namespaces', JSON.parse(JSON.stringify(n))));
}
