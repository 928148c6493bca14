// A sorted list of store keys kept up to date from change batches, without re-sorting
// everything per notice: changed keys are removed, the present ones sorted (k log k) and
// merged back (n). Rows are kept as keys; views format only the visible ones.
import type { ChangeBatch, ClusterStore } from '../../src/store/clusterStore.js';
import type { ResourceKind } from '../../src/kube/types.js';

/** Order of "namespace/name" keys: by namespace, then name (kubectl's order). */
export function compareKeys(a: string, b: string): number {
  const ia = a.indexOf('/');
  const ib = b.indexOf('/');
  const na = ia < 0 ? '' : a.slice(0, ia);
  const nb = ib < 0 ? '' : b.slice(0, ib);
  if (na !== nb) return na < nb ? -1 : 1;
  const ra = a.slice(ia + 1);
  const rb = b.slice(ib + 1);
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

export class SortedKeys {
  keys: readonly string[] = [];

  constructor(
    readonly kind: ResourceKind,
    private readonly compare: (a: string, b: string) => number = compareKeys,
  ) {}

  /** Bring the list up to date; returns the (new, when changed) array. */
  update(store: ClusterStore, batch: ChangeBatch | undefined): readonly string[] {
    const all = store.list(this.kind);
    const changed = batch?.changed.get(this.kind);
    if (!batch) {
      this.keys = [...all.keys()].sort(this.compare);
      return this.keys;
    }
    if (!changed || changed.size === 0) return this.keys;
    const kept = this.keys.filter((k) => !changed.has(k));
    const added = [...changed].filter((k) => all.has(k)).sort(this.compare);
    this.keys = merge(kept, added, this.compare);
    return this.keys;
  }
}

function merge(a: readonly string[], b: readonly string[], cmp: (x: string, y: string) => number): string[] {
  if (b.length === 0) return a as string[];
  const out = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = cmp(a[i], b[j]) <= 0 ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}
