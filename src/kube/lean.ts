// Cutting raw API objects down to what kfleet reads, on ingest. A real pod is 5-20 KB of JSON
// (managedFields, env, probes, volumes...); 150,000 of them must fit in a few hundred MB.
// Pods, nodes and events are many, so they are rebuilt field by field, their repeated values
// shared (intern.ts); the other kinds are few, so they only lose managedFields and the
// last-applied annotation, and their pod templates are packed (leanTemplate.ts: rollout undo
// needs them whole).
import { share, str } from './intern.js';
import { attachable, packTemplate } from './leanTemplate.js';
import type { Container, ContainerState, ContainerStatus, KindMap, KubeEvent, Node, ObjectMeta, Pod, ResourceKind, Volume } from './types.js';

export { sharedSizes } from './intern.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

// A pod is four objects of its own (the pod, metadata, spec, status; the rest is shared).
// They are built with `new` rather than grown from literals: V8 then sizes each object for all
// its fields instead of adding a separate property array (~30 B less per object). Their
// prototype is Object.prototype: to every reader they are plain objects.
function plain<A extends unknown[], T>(init: (this: T, ...a: A) => void): new (...a: A) => T {
  (init as unknown as { prototype: object }).prototype = Object.prototype;
  return init as unknown as new (...a: A) => T;
}

type Share = <T>(v: T) => T;

/**
 * A constructor of metadata, from a raw object or a cloned lean one; `sh` shares labels,
 * annotations and owners. Pods get their own: V8 sizes a constructor's objects by the first
 * few it builds, and a node's or workload's metadata has other fields than a pod's.
 */
const metaConstructor = () =>
  plain(function (this: ObjectMeta, m: Raw, sh: Share, annotations: Record<string, string> | undefined, owners: ObjectMeta['ownerReferences']) {
    this.name = m.name;
    this.uid = m.uid;
    this.resourceVersion = m.resourceVersion;
    if (m.namespace) this.namespace = str(m.namespace);
    if (m.creationTimestamp) this.creationTimestamp = str(m.creationTimestamp);
    if (m.deletionTimestamp) this.deletionTimestamp = str(m.deletionTimestamp);
    if (m.generation !== undefined) this.generation = m.generation;
    if (m.labels) this.labels = sh(m.labels);
    if (annotations) this.annotations = sh(annotations);
    if (owners) this.ownerReferences = sh(owners);
  });
const PodMeta = metaConstructor();
const Meta = metaConstructor();

const leanOwners = (refs: Raw[] | undefined) => refs?.map((o) => ({ apiVersion: str(o.apiVersion), kind: str(o.kind), name: o.name, uid: o.uid, controller: o.controller }));

function leanMeta(m: Raw, keepAnnotations: boolean, make = Meta): ObjectMeta {
  let annotations: Record<string, string> | undefined;
  if (keepAnnotations && m.annotations) {
    for (const [k, v] of Object.entries(m.annotations as Record<string, string>)) {
      if (!DROPPED_ANNOTATIONS.includes(k)) (annotations ??= {})[k] = v;
    }
  }
  // Shared like labels: a ReplicaSet's repeat those of others of its size (revision, replicas).
  return new make(m, share, annotations, leanOwners(m.ownerReferences));
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

const PodSpecOf = plain(function (this: Pod['spec'], s: Raw, sh: Share, containers: Container[], initContainers: Container[] | undefined, volumes: Volume[] | undefined) {
  this.containers = sh(containers);
  if (s.nodeName) this.nodeName = str(s.nodeName);
  if (initContainers) this.initContainers = sh(initContainers);
  if (s.overhead) this.overhead = sh(s.overhead);
  if (s.resources) this.resources = sh(s.resources);
  if (volumes?.length) this.volumes = volumes;
  if (s.priorityClassName) this.priorityClassName = str(s.priorityClassName);
  if (s.restartPolicy) this.restartPolicy = str(s.restartPolicy);
});

const PodStatusOf = plain(function (this: Pod['status'], st: Raw, sh: Share, conditions: Raw[] | undefined, statuses: ContainerStatus[] | undefined, initStatuses: ContainerStatus[] | undefined) {
  this.phase = str(st.phase);
  if (st.reason) this.reason = str(st.reason);
  if (st.message) this.message = String(st.message).slice(0, 500);
  if (conditions) this.conditions = sh(conditions) as Pod['status']['conditions'];
  if (statuses) this.containerStatuses = sh(statuses);
  if (initStatuses) this.initContainerStatuses = sh(initStatuses);
  if (st.qosClass) this.qosClass = str(st.qosClass);
  if (st.startTime) this.startTime = str(st.startTime);
  if (st.podIP) this.podIP = st.podIP;
  if (st.hostIP) this.hostIP = str(st.hostIP);
  if (st.nominatedNodeName) this.nominatedNodeName = str(st.nominatedNodeName);
});

const PodOf = plain(function (this: Pod, metadata: ObjectMeta, spec: Pod['spec'], status: Pod['status']) {
  this.apiVersion = 'v1';
  this.kind = 'Pod';
  this.metadata = metadata;
  this.spec = spec;
  this.status = status;
});

export function leanPod(p: Raw): Pod {
  const s = p.spec ?? {};
  const st = p.status ?? {};
  // Only volumes that can take part in an attachment conflict are kept.
  const volumes = (s.volumes as Raw[] | undefined)?.filter(attachable).map(leanVolume);
  const conditions = (st.conditions as Raw[] | undefined)?.map((c) => ({ type: c.type, status: c.status, reason: c.reason, lastTransitionTime: c.lastTransitionTime }));
  return new PodOf(
    leanMeta(p.metadata, false, PodMeta),
    new PodSpecOf(s, share, (s.containers ?? []).map(leanContainer), s.initContainers?.map(leanContainer), volumes),
    new PodStatusOf(st, share, conditions, st.containerStatuses?.map(leanContainerStatus), st.initContainerStatuses?.map(leanContainerStatus)),
  );
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
      // The texts repeat from node to node (~8 MB of copies at 5,000 nodes in a heap snapshot).
      conditions: st.conditions?.map((c: Raw) => ({ type: str(c.type), status: str(c.status), reason: str(c.reason), message: str(c.message), lastTransitionTime: str(c.lastTransitionTime) })),
      nodeInfo: st.nodeInfo && {
        kubeletVersion: st.nodeInfo.kubeletVersion,
        osImage: st.nodeInfo.osImage,
        containerRuntimeVersion: st.nodeInfo.containerRuntimeVersion,
        kernelVersion: st.nodeInfo.kernelVersion,
        architecture: st.nodeInfo.architecture,
      },
      addresses: st.addresses?.map((a: Raw) => ({ type: str(a.type), address: a.address })),
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

/** Everything but managedFields and the last-applied annotation; pod templates packed. */
function leanGeneric<T>(o: Raw): T {
  const { managedFields: _m, ...rest } = o.metadata ?? {};
  const out: Raw = { ...o, metadata: leanMeta(rest, true) };
  if (o.apiVersion) out.apiVersion = str(o.apiVersion);
  if (o.kind) out.kind = str(o.kind);
  if (isObject(o.spec)) {
    // Workloads: the template packed; selectors (the labels again) and strategies repeat.
    const spec: Raw = (out.spec = { ...o.spec });
    if (isObject(spec.template)) spec.template = packTemplate(spec.template, leanTemplateMeta);
    if (isObject(spec.selector?.matchLabels)) spec.selector = { ...spec.selector, matchLabels: share(spec.selector.matchLabels) };
    for (const k of SHARED_SPEC_FIELDS) if (isObject(spec[k])) spec[k] = share(spec[k]);
  }
  // A ControllerRevision's data is `{spec: {template: {..., $patch: "replace"}}}`.
  const data = o.data?.spec?.template;
  if (isObject(data)) out.data = { ...o.data, spec: { ...o.data.spec, template: packTemplate(data, leanTemplateMeta) } };
  // Statuses without conditions repeat too (a ReplicaSet's counts, a claim's phase and size).
  if (isObject(o.status) && !o.status.conditions) out.status = share(o.status);
  return out as T;
}

const SHARED_SPEC_FIELDS = ['selector', 'strategy', 'updateStrategy'];
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A template's metadata, its labels shared (a ReplicaSet's are its pods' labels). */
function leanTemplateMeta(m: Raw): Raw {
  return m.labels ? { ...m, labels: share(m.labels) } : m;
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
