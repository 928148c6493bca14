// Cutting raw API objects down to what kfleet reads, on ingest. A real pod is 5-20 KB of JSON
// (managedFields, env, probes, volumes...); 150,000 of them must fit in a few hundred MB.
// Pods, nodes and events are many, so they are rebuilt field by field; the other kinds are
// few, so they only lose managedFields and the last-applied annotation (rollout undo needs
// their whole pod templates).
import { createHash } from 'node:crypto';
import type { Container, ContainerState, ContainerStatus, KindMap, KubeEvent, Node, ObjectMeta, Pod, ResourceKind, Volume } from './types.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

// Sharing repeated values. JSON.parse gives every pod its own copy of every string and
// sub-object, yet the replicas of a workload carry the same labels, owner, containers,
// conditions and container statuses, and pods repeat a few namespaces, nodes, phases and
// timestamps. Lean pods point at one shared copy instead (150,000 pods: ~1 GB of heap -> a
// few hundred MB). Store objects are never mutated, so sharing is safe. The tables are
// bounded: when one fills up it starts over (values already shared stay shared).
const SHARED_MAX = 50_000;
const strings = new Map<string, string>();
const shared = new Map<string, unknown>();

/** One copy of a repeated string. */
function str<T extends string | undefined>(s: T): T {
  if (typeof s !== 'string') return s;
  const v = strings.get(s);
  if (v !== undefined) return v as T;
  if (strings.size >= SHARED_MAX) strings.clear();
  strings.set(s, s);
  return s;
}

/** One copy of a repeated small JSON-like value (labels, containers, conditions...). */
function share<T>(kind: string, v: T): T {
  if (v === undefined || v === null) return v;
  const key = kind + JSON.stringify(v);
  const old = shared.get(key);
  if (old !== undefined) return old as T;
  if (shared.size >= SHARED_MAX) shared.clear();
  shared.set(key, v);
  return v;
}

/** How many strings and values are shared now (tests, benchmarks). */
export function sharedSizes(): { strings: number; values: number } {
  return { strings: strings.size, values: shared.size };
}

function leanMeta(m: Raw, keepAnnotations: boolean): ObjectMeta {
  const out: ObjectMeta = { name: m.name, uid: m.uid, resourceVersion: m.resourceVersion };
  if (m.namespace) out.namespace = str(m.namespace);
  if (m.creationTimestamp) out.creationTimestamp = str(m.creationTimestamp);
  if (m.deletionTimestamp) out.deletionTimestamp = str(m.deletionTimestamp);
  if (m.generation !== undefined) out.generation = m.generation;
  if (m.labels) out.labels = share('l', m.labels);
  if (keepAnnotations && m.annotations) {
    const a: Record<string, string> = {};
    let any = false;
    for (const [k, v] of Object.entries(m.annotations as Record<string, string>)) {
      if (DROPPED_ANNOTATIONS.includes(k)) continue;
      a[k] = v;
      any = true;
    }
    if (any) out.annotations = a;
  }
  if (m.ownerReferences) {
    out.ownerReferences = share('o', (m.ownerReferences as Raw[]).map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name, uid: o.uid, controller: o.controller })));
  }
  return out;
}

function leanContainer(c: Raw): Container {
  const out: Container = { name: c.name, image: c.image };
  if (c.resources && (c.resources.requests || c.resources.limits)) out.resources = { requests: c.resources.requests, limits: c.resources.limits };
  if (c.restartPolicy) out.restartPolicy = c.restartPolicy;
  if (c.volumeMounts) out.volumeMounts = (c.volumeMounts as Raw[]).map((v) => ({ name: v.name, mountPath: v.mountPath, readOnly: v.readOnly }));
  return out;
}

function leanVolume(v: Raw): Volume {
  if (v.persistentVolumeClaim) return { name: v.name, persistentVolumeClaim: v.persistentVolumeClaim };
  if (v.ephemeral) return { name: v.name, ephemeral: { volumeClaimTemplate: { spec: v.ephemeral.volumeClaimTemplate?.spec } } };
  if (v.csi) return { name: v.name, csi: { driver: v.csi.driver, volumeHandle: v.csi.volumeAttributes?.volumeHandle ?? v.csi.volumeHandle, readOnly: v.csi.readOnly } };
  if (v.awsElasticBlockStore) return { name: v.name, awsElasticBlockStore: { volumeID: v.awsElasticBlockStore.volumeID } };
  if (v.gcePersistentDisk) return { name: v.name, gcePersistentDisk: { pdName: v.gcePersistentDisk.pdName } };
  const other = Object.keys(v).find((k) => k !== 'name');
  return { name: v.name, other };
}

function leanState(s: Raw | undefined): ContainerState | undefined {
  if (!s) return undefined;
  if (s.waiting) return { waiting: { reason: s.waiting.reason, message: s.waiting.message?.slice(0, 500) } };
  if (s.running) return { running: { startedAt: s.running.startedAt } };
  if (s.terminated) {
    const t = s.terminated;
    return { terminated: { reason: t.reason, exitCode: t.exitCode, finishedAt: t.finishedAt, startedAt: t.startedAt } };
  }
  return undefined;
}

function leanContainerStatus(c: Raw): ContainerStatus {
  return { name: c.name, ready: !!c.ready, restartCount: c.restartCount ?? 0, started: c.started, image: c.image, state: leanState(c.state), lastState: leanState(c.lastState) };
}

export function leanPod(p: Raw): Pod {
  const s = p.spec ?? {};
  const st = p.status ?? {};
  const spec: Pod['spec'] = { containers: share('c', (s.containers ?? []).map(leanContainer)) };
  if (s.nodeName) spec.nodeName = str(s.nodeName);
  if (s.initContainers) spec.initContainers = share('c', (s.initContainers as Raw[]).map(leanContainer));
  if (s.overhead) spec.overhead = share('r', s.overhead);
  if (s.resources) spec.resources = share('r', s.resources);
  if (s.volumes) {
    // Only volumes that can take part in an attachment conflict are kept.
    const vols = (s.volumes as Raw[]).filter((v) => v.persistentVolumeClaim || v.ephemeral || v.csi || v.awsElasticBlockStore || v.gcePersistentDisk).map(leanVolume);
    if (vols.length) spec.volumes = vols;
  }
  if (s.priorityClassName) spec.priorityClassName = str(s.priorityClassName);
  if (s.restartPolicy) spec.restartPolicy = str(s.restartPolicy);
  const status: Pod['status'] = { phase: str(st.phase) };
  if (st.reason) status.reason = str(st.reason);
  if (st.message) status.message = String(st.message).slice(0, 500);
  if (st.conditions) status.conditions = share('k', (st.conditions as Raw[]).map((c) => ({ type: c.type, status: c.status, reason: c.reason, lastTransitionTime: c.lastTransitionTime })));
  if (st.containerStatuses) status.containerStatuses = share('s', (st.containerStatuses as Raw[]).map(leanContainerStatus));
  if (st.initContainerStatuses) status.initContainerStatuses = share('s', (st.initContainerStatuses as Raw[]).map(leanContainerStatus));
  if (st.qosClass) status.qosClass = str(st.qosClass);
  if (st.startTime) status.startTime = str(st.startTime);
  if (st.podIP) status.podIP = st.podIP;
  if (st.hostIP) status.hostIP = str(st.hostIP);
  if (st.nominatedNodeName) status.nominatedNodeName = str(st.nominatedNodeName);
  return { apiVersion: 'v1', kind: 'Pod', metadata: leanMeta(p.metadata, false), spec, status };
}

export function leanNode(n: Raw): Node {
  const st = n.status ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: leanMeta(n.metadata, false),
    spec: { unschedulable: n.spec?.unschedulable, taints: n.spec?.taints?.map((t: Raw) => ({ key: t.key, value: t.value, effect: t.effect })), providerID: n.spec?.providerID },
    status: {
      capacity: st.capacity,
      allocatable: st.allocatable,
      conditions: st.conditions?.map((c: Raw) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime: c.lastTransitionTime })),
      nodeInfo: st.nodeInfo && {
        kubeletVersion: st.nodeInfo.kubeletVersion,
        osImage: st.nodeInfo.osImage,
        containerRuntimeVersion: st.nodeInfo.containerRuntimeVersion,
        kernelVersion: st.nodeInfo.kernelVersion,
        architecture: st.nodeInfo.architecture,
      },
      addresses: st.addresses,
      volumesAttached: st.volumesAttached,
      volumesInUse: st.volumesInUse,
    },
  };
}

export function leanEvent(e: Raw): KubeEvent {
  const io = e.involvedObject ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: leanMeta(e.metadata, false),
    involvedObject: { kind: io.kind, namespace: io.namespace, name: io.name, uid: io.uid, apiVersion: io.apiVersion, fieldPath: io.fieldPath },
    reason: e.reason,
    message: typeof e.message === 'string' ? e.message.slice(0, 2000) : e.message,
    type: e.type,
    count: e.count,
    firstTimestamp: e.firstTimestamp,
    lastTimestamp: e.lastTimestamp,
    eventTime: e.eventTime,
    series: e.series,
    source: e.source,
    reportingComponent: e.reportingComponent,
  };
}

/** Everything but managedFields and the last-applied annotation. */
function leanGeneric<T>(o: Raw): T {
  const { managedFields: _m, ...rest } = o.metadata ?? {};
  const out: Raw = { ...o, metadata: leanMeta({ ...rest }, true) };
  // A Deployment and its ReplicaSets carry the same pod template (KBs each, 15,000 of each
  // on the largest clusters): keep one copy, found by a digest of its JSON.
  const tpl = o.spec?.template;
  if (tpl?.spec) out.spec = { ...o.spec, template: { ...tpl, spec: shareByDigest(tpl.spec) } };
  return out as T;
}

function shareByDigest<T>(v: T): T {
  const key = 'd' + createHash('sha1').update(JSON.stringify(v)).digest('base64');
  const old = shared.get(key);
  if (old !== undefined) return old as T;
  if (shared.size >= SHARED_MAX) shared.clear();
  shared.set(key, v);
  return v;
}

export function leanObject<K extends ResourceKind>(kind: K, raw: Raw): KindMap[K] {
  switch (kind) {
    case 'pods':
      return leanPod(raw) as KindMap[K];
    case 'nodes':
      return leanNode(raw) as KindMap[K];
    case 'events':
      return leanEvent(raw) as KindMap[K];
    case 'namespaces':
      return { apiVersion: 'v1', kind: 'Namespace', metadata: leanMeta(raw.metadata, false), status: raw.status } as KindMap[K];
    default:
      return leanGeneric<KindMap[K]>(raw);
  }
}

/**
 * A lean pod that came through a structured clone (the list worker) has its own copy of every
 * value the worker had shared: point them at this thread's shared copies again. `seen` maps
 * the objects of one message (where the clone kept the worker's sharing) to the shared
 * copies, so each distinct value is looked up once per page, not once per pod. The pod is
 * fresh from the clone and not yet in any store, so it may be patched in place.
 */
export function resharePod(p: Pod, seen: Map<object, unknown>): Pod {
  const m = p.metadata;
  if (m.namespace) m.namespace = str(m.namespace);
  if (m.creationTimestamp) m.creationTimestamp = str(m.creationTimestamp);
  if (m.deletionTimestamp) m.deletionTimestamp = str(m.deletionTimestamp);
  if (m.labels) m.labels = again('l', m.labels, seen);
  if (m.ownerReferences) m.ownerReferences = again('o', m.ownerReferences, seen);
  const s = p.spec;
  s.containers = again('c', s.containers, seen);
  if (s.initContainers) s.initContainers = again('c', s.initContainers, seen);
  if (s.overhead) s.overhead = again('r', s.overhead, seen);
  if (s.resources) s.resources = again('r', s.resources, seen);
  if (s.nodeName) s.nodeName = str(s.nodeName);
  if (s.priorityClassName) s.priorityClassName = str(s.priorityClassName);
  if (s.restartPolicy) s.restartPolicy = str(s.restartPolicy);
  const st = p.status;
  if (st.phase) st.phase = str(st.phase);
  if (st.reason) st.reason = str(st.reason);
  if (st.conditions) st.conditions = again('k', st.conditions, seen);
  if (st.containerStatuses) st.containerStatuses = again('s', st.containerStatuses, seen);
  if (st.initContainerStatuses) st.initContainerStatuses = again('s', st.initContainerStatuses, seen);
  if (st.qosClass) st.qosClass = str(st.qosClass);
  if (st.startTime) st.startTime = str(st.startTime);
  if (st.hostIP) st.hostIP = str(st.hostIP);
  if (st.nominatedNodeName) st.nominatedNodeName = str(st.nominatedNodeName);
  return p;
}

function again<T>(kind: string, v: T, seen: Map<object, unknown>): T {
  if (v === undefined || v === null) return v;
  let c = seen.get(v as object);
  if (c === undefined) seen.set(v as object, (c = share(kind, v)));
  return c as T;
}
