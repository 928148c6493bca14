// The benchmarks' cluster: the sim's generated scenario, its pods leaned into a ClusterStore the
// way the reflector puts them there. The store sends notices only on flush(): a benchmark
// delivers its batches itself.
import { leanObject } from '../../src/kube/lean.js';
import { loadScenario } from '../../src/sim/scenarios/index.js';
import { Store } from '../../src/sim/store.js';
import { ClusterStore } from '../../src/store/clusterStore.js';

export function generatedPodStore(pods: number, nodes: number): ClusterStore {
  const store = new ClusterStore(1e9);
  const sim = new Store({ seed: 42 });
  loadScenario(sim, { scenario: 'generated', pods, nodes });
  for (const p of sim.list('pods')) store.upsert('pods', leanObject('pods', p));
  return store;
}

/** Collect garbage between phases when run with --expose-gc (GC pauses are not the code's). */
export const gc = () => (globalThis as { gc?: () => void }).gc?.();
