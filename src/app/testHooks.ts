// A hidden test seam, off unless its environment variable is set (see README.md, "Reliability").
//
// KFLEET_TEST_STATE=FILE: on SIGUSR2, kfleet writes what its current store holds to FILE, as
// JSON: per resource kind the sorted "uid@resourceVersion" of every object and the sync
// state, plus the process's memory. The reliability soak compares it with the embedded
// cluster's own state, object by object, and samples memory with it. It holds names and
// versions only: nothing that could be a credential.
import fs from 'node:fs';
import { RESOURCE_KINDS } from '../kube/types.js';
import type { ClusterStore } from '../store/clusterStore.js';

export interface StateDump {
  at: number;
  memory: { rss: number; heapUsed: number; heapTotal: number; external: number };
  connection?: { phase: string; error?: string };
  kinds: Record<string, { phase: string; stale: boolean; objects: string[] }>;
}

export function installStateDump(store: () => ClusterStore | undefined): void {
  const file = process.env.KFLEET_TEST_STATE;
  if (!file) return;
  process.on('SIGUSR2', () => {
    const s = store();
    const m = process.memoryUsage();
    const dump: StateDump = { at: Date.now(), memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external }, kinds: {} };
    if (s) {
      dump.connection = { phase: s.connection.phase, error: s.connection.error };
      for (const k of RESOURCE_KINDS) {
        const objects = [...s.list(k).values()].map((o) => `${o.metadata.uid}@${o.metadata.resourceVersion}`).sort();
        dump.kinds[k] = { phase: s.state(k).phase, stale: s.state(k).stale, objects };
      }
    }
    // Whole file or nothing: the test may read it at any moment.
    fs.writeFileSync(file + '.tmp', JSON.stringify(dump));
    fs.renameSync(file + '.tmp', file);
  });
}
