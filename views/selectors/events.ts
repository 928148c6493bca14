// Events grouped by the object they are about: one row per involved object with its event
// count (the `count`/`series.count` of each event, summed), warnings counted apart, when it
// was last seen, and its latest reason and message. Warnings first, then most recent first.
//
// Incremental: a batch re-summarises only the groups whose events changed, then re-sorts the
// groups (there are far fewer groups than events).
import type { KubeEvent } from '../../src/kube/types.js';
import { eventCount, eventTime } from '../../src/model/describe.js';
import type { ChangeBatch, ClusterStore } from '../../src/store/clusterStore.js';

export interface EventGroup {
  /** `Kind/namespace/name`: the store's eventsByObject key. */
  key: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
  /** Sum of the counts of its events. */
  count: number;
  warnings: number;
  /** The latest time any of its events was seen (RFC 3339). */
  lastSeen: string;
  /** Of the latest warning if there is one, else of the latest event. */
  type: string;
  reason: string;
  message: string;
  /** Distinct reasons, most recent first. */
  reasons: string[];
  /** Store keys of its events. */
  events: string[];
}

export function objectEventKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

const groupKeyOf = (e: KubeEvent) => objectEventKey(e.involvedObject.kind ?? '', e.involvedObject.namespace, e.involvedObject.name ?? '');

/** Summarise the events of one object (pure; also used for one object's own events). */
export function summarise(key: string, events: readonly { key: string; event: KubeEvent }[]): EventGroup | undefined {
  if (events.length === 0) return undefined;
  const sorted = [...events].sort((a, b) => (eventTime(b.event) ?? '').localeCompare(eventTime(a.event) ?? '') || (a.key < b.key ? -1 : 1));
  const io = sorted[0].event.involvedObject;
  let count = 0;
  let warnings = 0;
  const reasons: string[] = [];
  for (const { event } of sorted) {
    const n = eventCount(event);
    count += n;
    if (event.type === 'Warning') warnings += n;
    if (event.reason && !reasons.includes(event.reason)) reasons.push(event.reason);
  }
  const head = sorted.find((x) => x.event.type === 'Warning') ?? sorted[0];
  return {
    key,
    kind: io.kind ?? '',
    namespace: io.namespace ?? '',
    name: io.name ?? '',
    uid: io.uid,
    count,
    warnings,
    lastSeen: eventTime(sorted[0].event) ?? '',
    type: head.event.type ?? 'Normal',
    reason: head.event.reason ?? '',
    message: head.event.message ?? '',
    reasons,
    events: sorted.map((x) => x.key),
  };
}

/** Warnings first, then the most recently seen, then by key. */
export function compareGroups(a: EventGroup, b: EventGroup): number {
  if ((a.warnings > 0) !== (b.warnings > 0)) return a.warnings > 0 ? -1 : 1;
  if (a.lastSeen !== b.lastSeen) return a.lastSeen < b.lastSeen ? 1 : -1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export interface EventsSnapshot {
  groups: readonly EventGroup[];
  /** Events in the store. */
  total: number;
}

export class EventsSelector {
  private readonly groupOf = new Map<string, string>();
  private readonly members = new Map<string, Set<string>>();
  private readonly groups = new Map<string, EventGroup>();
  private snap: EventsSnapshot = { groups: [], total: 0 };
  private primed = false;

  select(store: ClusterStore, batch: ChangeBatch | undefined): EventsSnapshot {
    const events = store.list('events');
    let dirty: Set<string>;
    if (!this.primed || !batch) {
      this.groupOf.clear();
      this.members.clear();
      this.groups.clear();
      dirty = new Set();
      for (const [k, e] of events) dirty.add(this.place(k, e));
      this.primed = true;
    } else {
      const changed = batch.changed.get('events');
      if (!changed || changed.size === 0) return this.snap;
      dirty = new Set();
      for (const k of changed) {
        const old = this.groupOf.get(k);
        if (old !== undefined) {
          this.members.get(old)?.delete(k);
          this.groupOf.delete(k);
          dirty.add(old);
        }
        const e = events.get(k);
        if (e) dirty.add(this.place(k, e));
      }
    }
    for (const g of dirty) {
      const keys = this.members.get(g);
      const s = keys && keys.size > 0 ? summarise(g, [...keys].map((key) => ({ key, event: events.get(key)! }))) : undefined;
      if (s) this.groups.set(g, s);
      else {
        this.groups.delete(g);
        this.members.delete(g);
      }
    }
    this.snap = { groups: [...this.groups.values()].sort(compareGroups), total: events.size };
    return this.snap;
  }

  private place(key: string, e: KubeEvent): string {
    const g = groupKeyOf(e);
    this.groupOf.set(key, g);
    let m = this.members.get(g);
    if (!m) this.members.set(g, (m = new Set()));
    m.add(key);
    return g;
  }
}

/** One object's own events, through the eventsByObject index (by uid, and by kind/ns/name). */
export function eventsOfObject(store: ClusterStore, ref: { kind: string; namespace?: string; name: string; uid?: string }): { key: string; event: KubeEvent }[] {
  const keys = new Set(store.byIndex('eventsByObject', objectEventKey(ref.kind, ref.namespace, ref.name)));
  if (ref.uid) for (const k of store.byIndex('eventsByObject', ref.uid)) keys.add(k);
  const out: { key: string; event: KubeEvent }[] = [];
  for (const k of keys) {
    const e = store.get('events', k);
    // An older object of the same name (a different uid) is another object.
    if (e && (!ref.uid || !e.involvedObject.uid || e.involvedObject.uid === ref.uid)) out.push({ key: k, event: e });
  }
  return out;
}

/** Store kind ("pods") of an involved object's Kind ("Pod"), when kfleet watches it. */
export const KIND_TO_RESOURCE: Record<string, string> = {
  Pod: 'pods',
  Node: 'nodes',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  ReplicaSet: 'replicasets',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  PersistentVolume: 'persistentvolumes',
  Namespace: 'namespaces',
  VolumeAttachment: 'volumeattachments',
};
