// The volumes view's data: volume conflicts and rollout risks, recomputed from the store only
// when a volume-related object changes.
//
// The model (src/model/volumeConflicts.ts) is pure and takes a snapshot. Handing it the whole
// store would make it walk every pod and event per notice; instead this selector keeps, up to
// date from the change batches, the keys of the only objects that can take part in a conflict:
//   - pods that mount a claim (the store's podsByPvc index) or an inline attachable volume
//     (CSI / EBS / GCE PD, tracked here from the changed keys);
//   - events whose reason is FailedAttachVolume or FailedMount;
//   - nodes that report attached or in-use volumes (and holder nodes, for their Ready state).
// A notice whose changed keys touch none of these (e.g. 500 pod status updates elsewhere)
// costs one set lookup per changed key and returns the previous result unchanged.
import type { KubeEvent, Node, Pod, ReplicaSet } from '../../src/kube/types.js';
import {
  volumeConflicts,
  volumeRisks,
  type VolumeConflict,
  type VolumeRisk,
} from '../../src/model/volumeConflicts.js';
import type { ChangeBatch, ClusterStore } from '../../src/store/clusterStore.js';
import type { ResourceKind } from '../../src/kube/types.js';
import { liveModel } from './live.js';

export interface VolumesData {
  conflicts: readonly VolumeConflict[];
  risks: readonly VolumeRisk[];
  /** Store version of the computation (for tests and debugging). */
  computedAt: number;
}

/** Kinds whose every change can matter (small collections). */
const ALWAYS: ResourceKind[] = ['persistentvolumeclaims', 'persistentvolumes', 'volumeattachments', 'storageclasses', 'deployments', 'statefulsets'];

const ATTACH_REASONS = new Set(['FailedAttachVolume', 'FailedMount']);

function hasInlineAttachable(p: Pod): boolean {
  return (p.spec.volumes ?? []).some((v) => v.csi !== undefined || v.awsElasticBlockStore !== undefined || v.gcePersistentDisk !== undefined);
}

function nodeHasVolumes(n: Node): boolean {
  return (n.status?.volumesAttached?.length ?? 0) > 0 || (n.status?.volumesInUse?.length ?? 0) > 0;
}

/** Incremental membership of a kind's keys in a predicate-defined set. */
class TrackedKeys<T> {
  readonly keys = new Set<string>();
  constructor(
    private readonly kind: ResourceKind,
    private readonly pred: (obj: T) => boolean,
  ) {}

  rebuild(store: ClusterStore): void {
    this.keys.clear();
    for (const [k, o] of store.list(this.kind)) if (this.pred(o as T)) this.keys.add(k);
  }

  /** Apply changed keys; true when a tracked object changed, appeared or went away. */
  apply(store: ClusterStore, changed: ReadonlySet<string> | undefined): boolean {
    if (!changed) return false;
    let touched = false;
    for (const k of changed) {
      const o = store.get(this.kind, k) as T | undefined;
      const now = o !== undefined && this.pred(o);
      if (now || this.keys.has(k)) touched = true;
      if (now) this.keys.add(k);
      else this.keys.delete(k);
    }
    return touched;
  }
}

export class VolumesSelector {
  private store: ClusterStore | undefined;
  private inlinePods = new TrackedKeys<Pod>('pods', hasInlineAttachable);
  private events = new TrackedKeys<KubeEvent>('events', (e) => ATTACH_REASONS.has(e.reason ?? ''));
  private volumeNodes = new TrackedKeys<Node>('nodes', nodeHasVolumes);
  /** Pod keys that took part in the last computation (claim users + inline). */
  private lastPods = new Set<string>();
  private data: VolumesData = { conflicts: [], risks: [], computedAt: -1 };
  /** How many full computations ran (tests check that unrelated changes cost none). */
  computations = 0;
  /** Set by volumesSelectorFor: the selector gets every change batch of its store. */
  live = false;
  private lastBatch: ChangeBatch | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** The current data; recomputes only when `batch` touches volume-related objects. */
  select(store: ClusterStore, batch: ChangeBatch | undefined): VolumesData {
    // A live selector has seen every batch of its store: nothing to rebuild, nor to apply twice.
    if (this.live && store === this.store && (!batch || batch === this.lastBatch)) return this.data;
    if (batch) this.lastBatch = batch;
    if (store !== this.store || !batch) {
      this.store = store;
      this.inlinePods.rebuild(store);
      this.events.rebuild(store);
      this.volumeNodes.rebuild(store);
      return this.compute(store);
    }
    if (this.relevant(store, batch)) return this.compute(store);
    return this.data;
  }

  private relevant(store: ClusterStore, batch: ChangeBatch): boolean {
    let hit = ALWAYS.some((k) => (batch.changed.get(k)?.size ?? 0) > 0);
    // Every tracker must see its changes, so no short-circuit here.
    const pods = batch.changed.get('pods');
    if (this.inlinePods.apply(store, pods)) hit = true;
    if (this.events.apply(store, batch.changed.get('events'))) hit = true;
    const nodes = batch.changed.get('nodes');
    if (this.volumeNodes.apply(store, nodes)) hit = true;
    if (!hit && pods) {
      for (const k of pods) {
        if (this.lastPods.has(k) || claimsOf(store.get('pods', k)).length > 0) {
          hit = true;
          break;
        }
      }
    }
    if (!hit && nodes && this.data.conflicts.length > 0) {
      // A holder node going NotReady changes the fix.
      for (const c of this.data.conflicts) if (c.holder.node && nodes.has(c.holder.node)) hit = true;
    }
    if (!hit && batch.changed.get('replicasets')?.size && this.data.conflicts.length > 0) hit = true;
    return hit;
  }

  private compute(store: ClusterStore): VolumesData {
    this.computations++;
    const podKeys = new Set<string>(this.inlinePods.keys);
    for (const claim of store.indexValues('podsByPvc')) for (const k of store.byIndex('podsByPvc', claim)) podKeys.add(k);
    const pods: Pod[] = [];
    const rsKeys = new Set<string>();
    for (const k of podKeys) {
      const p = store.get('pods', k);
      if (!p) continue;
      pods.push(p);
      for (const r of p.metadata.ownerReferences ?? []) if (r.kind === 'ReplicaSet') rsKeys.add(`${p.metadata.namespace}/${r.name}`);
    }
    this.lastPods = podKeys;
    const replicaSets: ReplicaSet[] = [];
    for (const k of rsKeys) {
      const rs = store.get('replicasets', k);
      if (rs) replicaSets.push(rs);
    }
    const pick = <T>(kind: ResourceKind, keys: ReadonlySet<string>): T[] => {
      const out: T[] = [];
      for (const k of keys) {
        const o = store.get(kind, k);
        if (o) out.push(o as T);
      }
      return out;
    };
    const events = pick<KubeEvent>('events', this.events.keys);
    // Holder nodes need their Ready condition even without volume status: nodes of the pods.
    const nodeKeys = new Set(this.volumeNodes.keys);
    for (const va of store.list('volumeattachments').values()) nodeKeys.add(va.spec.nodeName);
    for (const p of pods) if (p.spec.nodeName) nodeKeys.add(p.spec.nodeName);
    const nodes = pick<Node>('nodes', nodeKeys);

    const conflicts = volumeConflicts({
      pods,
      pvcs: store.list('persistentvolumeclaims'),
      pvs: store.list('persistentvolumes'),
      storageClasses: store.list('storageclasses'),
      volumeAttachments: store.list('volumeattachments'),
      nodes,
      events,
      replicaSets,
      deployments: store.list('deployments'),
      statefulSets: store.list('statefulsets'),
      now: this.now(),
    });
    const risks = volumeRisks({ deployments: store.list('deployments'), pvcs: store.list('persistentvolumeclaims'), pvs: store.list('persistentvolumes') });
    this.data = { conflicts, risks, computedAt: store.version };
    return this.data;
  }
}

/** The volumes data of a store, kept live (selectors/live.ts): reopening the view scans no pod. */
export function volumesSelectorFor(store: ClusterStore): VolumesSelector {
  const create = () => {
    const sel = new VolumesSelector();
    sel.select(store, undefined);
    sel.live = true;
    return sel;
  };
  return liveModel(store, 'volumes', create, (sel, batch) => sel.select(store, batch));
}

function claimsOf(p: Pod | undefined): string[] {
  if (!p) return [];
  return (p.spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : v.ephemeral ? [v.name] : []));
}

// ---- scope and filter ------------------------------------------------------------------------

/** The namespaces a conflict touches: its claim's, and its pods'. */
export function conflictNamespaces(c: VolumeConflict): Set<string> {
  const s = new Set<string>();
  if (c.pvc) s.add(c.pvc.namespace);
  for (const p of c.holder.pods) s.add(p.namespace);
  for (const p of c.waiting) s.add(p.namespace);
  if (c.owner) s.add(c.owner.namespace);
  return s;
}

/** Conflicts in the namespace scope (undefined: all). A stale attachment with no claim or pod shows everywhere. */
export function conflictsInScope(rows: readonly VolumeConflict[], namespace: string | undefined): readonly VolumeConflict[] {
  if (namespace === undefined) return rows;
  return rows.filter((c) => {
    const ns = conflictNamespaces(c);
    return ns.size === 0 || ns.has(namespace);
  });
}

export function risksInScope(rows: readonly VolumeRisk[], namespace: string | undefined): readonly VolumeRisk[] {
  return namespace === undefined ? rows : rows.filter((r) => r.namespace === namespace);
}

/** The text the `/` filter matches a conflict against: every name the row shows. */
export function conflictSearchText(c: VolumeConflict): string {
  return [
    c.pvc ? `${c.pvc.namespace}/${c.pvc.name}` : '',
    c.pv ?? c.id,
    c.storageClass ?? '',
    c.driver ?? '',
    c.holder.node ?? '',
    ...c.holder.pods.map((p) => p.name),
    ...c.waiting.map((p) => `${p.name} ${p.node ?? ''}`),
    c.owner ? `${c.owner.kind}/${c.owner.name}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function riskSearchText(r: VolumeRisk): string {
  return `${r.namespace}/${r.name} ${r.kind} ${r.pvc} ${r.accessMode}`;
}
