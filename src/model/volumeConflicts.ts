// Volume attachment conflicts: who holds an exclusive disk, who waits for it, and what to do.
// Pure: a snapshot of the store in, rows out, worst first.
//
// Signals, each enough on its own, merged per volume:
//   multi-node    a ReadWriteOnce claim used by non-terminated pods on more than one node
//                 (ReadWriteOncePod: by more than one pod at all);
//   attached-elsewhere  a VolumeAttachment (attached, attaching or with attachError) on node A while
//                 a pod needing the volume is scheduled on node B and not running;
//   event         FailedAttachVolume "Multi-Attach error for volume ..." (kubernetes <= 1.36) or
//                 "Waiting for detach for volume ..." (the same event, reworded by
//                 kubernetes/kubernetes#138837 in attachdetach/reconciler/reconciler.go
//                 reportMultiAttachError), "AttachVolume.Attach failed for volume ...", and
//                 FailedMount "Unable to attach or mount volumes: ... unattached volumes=[...]";
//   stale-attachment  a VolumeAttachment on a node where no non-terminated pod uses the volume.

import type {
  Deployment,
  KubeEvent,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  ReplicaSet,
  StatefulSet,
  StorageClass,
  Volume,
  VolumeAttachment,
} from '../kube/types.js';
import { templateSummary } from '../kube/leanTemplate.js';

/** A Map (values are used) or an array. */
export type Collection<T> = ReadonlyMap<string, T> | readonly T[];

export interface VolumeSnapshot {
  pods: Collection<Pod>;
  pvcs: Collection<PersistentVolumeClaim>;
  pvs: Collection<PersistentVolume>;
  storageClasses?: Collection<StorageClass>;
  volumeAttachments: Collection<VolumeAttachment>;
  nodes?: Collection<Node>;
  events?: Collection<KubeEvent>;
  replicaSets?: Collection<ReplicaSet>;
  deployments?: Collection<Deployment>;
  statefulSets?: Collection<StatefulSet>;
  /** Milliseconds since the epoch. */
  now: number;
}

export type ConflictSignal = 'multi-node' | 'rwop-multi-pod' | 'attached-elsewhere' | 'event' | 'stale-attachment';

export interface ObjRef {
  namespace: string;
  name: string;
}

export interface WorkloadOwner {
  kind: string;
  namespace: string;
  name: string;
}

/** A pod involved in a conflict, with a one-word state for the table and the evidence. */
export interface PodState {
  namespace: string;
  name: string;
  node?: string;
  phase?: string;
  /** "Running", "Terminating", "ContainerCreating", "Pending", ... */
  state: string;
  ready: boolean;
  createdAt?: string;
  terminating: boolean;
}

export type FixAction =
  | { type: 'delete-pod'; namespace: string; name: string; force?: boolean }
  | { type: 'delete-volumeattachment'; name: string };

export interface Fix {
  text: string;
  /** Present when kfleet can do it (behind a confirm); absent for advice. */
  action?: FixAction;
}

export interface VolumeConflict {
  /** Stable key: "pv:<name>", "pvc:<ns>/<name>", or an inline volume key ("ebs:vol-1", "csi:<driver>^<handle>"). */
  id: string;
  kind: 'conflict' | 'stale-attachment';
  signals: ConflictSignal[];
  pv?: string;
  pvc?: ObjRef;
  /** "ReadWriteOnce", "ReadWriteOncePod", or undefined for inline volumes. */
  accessMode?: string;
  storageClass?: string;
  driver?: string;
  /** Where the volume is (or is being) attached, and the pods using it there. */
  holder: { node?: string; nodeReady?: boolean; pods: PodState[]; attachment?: string; note?: string };
  /** Pods that need the volume elsewhere and are not running. */
  waiting: PodState[];
  /** Earliest of the waiting pods' creation and the first related event (ISO time). */
  waitingSince?: string;
  waitingSeconds?: number;
  eventCount: number;
  owner?: WorkloadOwner;
  /** Likely fixes, most likely first. */
  fixes: Fix[];
  evidence: { events: KubeEvent[]; attachments: VolumeAttachment[]; pods: PodState[]; nodesInUse: string[] };
}

export interface VolumeRisk {
  kind: 'Deployment';
  namespace: string;
  name: string;
  pvc: string;
  accessMode: string;
  reasons: string[];
  fix: string;
}

// ---- small helpers --------------------------------------------------------------------------

function values<T>(c: Collection<T> | undefined): readonly T[] {
  if (!c) return [];
  return Array.isArray(c) ? (c as readonly T[]) : [...(c as ReadonlyMap<string, T>).values()];
}

const nsName = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;

export function isTerminated(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** One word for a pod's state, as kubectl's STATUS column would show it. */
export function podStateWord(pod: Pod): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const r = c.state?.waiting?.reason;
    if (r && r !== 'PodInitializing') return r;
  }
  if (pod.status?.phase === 'Pending' && pod.spec.nodeName) return 'ContainerCreating';
  return pod.status?.reason ?? pod.status?.phase ?? 'Unknown';
}

function podState(pod: Pod): PodState {
  return {
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name,
    node: pod.spec.nodeName,
    phase: pod.status?.phase,
    state: podStateWord(pod),
    ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    createdAt: pod.metadata.creationTimestamp,
    terminating: !!pod.metadata.deletionTimestamp,
  };
}

function nodeReady(node: Node | undefined): boolean | undefined {
  if (!node) return undefined;
  const c = node.status?.conditions?.find((x) => x.type === 'Ready');
  return c ? c.status === 'True' : undefined;
}

function exclusiveMode(modes: string[] | undefined): string | undefined {
  if (!modes || modes.length === 0) return undefined;
  if (modes.includes('ReadWriteOncePod')) return 'ReadWriteOncePod';
  // The attach/detach controller allows multi-attach as soon as RWX or ROX is listed.
  if (modes.includes('ReadWriteMany') || modes.includes('ReadOnlyMany')) return undefined;
  return modes.includes('ReadWriteOnce') ? 'ReadWriteOnce' : undefined;
}

/** The key of an in-tree or CSI volume source, shared by PVs, inline volumes and VolumeAttachments. */
function sourceKey(src: {
  csi?: { driver: string; volumeHandle?: string };
  awsElasticBlockStore?: { volumeID: string };
  gcePersistentDisk?: { pdName: string };
}): string | undefined {
  if (src.awsElasticBlockStore?.volumeID) return `ebs:${lastSegment(src.awsElasticBlockStore.volumeID)}`;
  if (src.gcePersistentDisk?.pdName) return `gce:${src.gcePersistentDisk.pdName}`;
  if (src.csi?.driver && src.csi.volumeHandle) {
    // CSI migration turns in-tree EBS / PD volumes into these drivers with the same disk id.
    if (src.csi.driver === 'ebs.csi.aws.com') return `ebs:${lastSegment(src.csi.volumeHandle)}`;
    if (src.csi.driver === 'pd.csi.storage.gke.io') return `gce:${lastSegment(src.csi.volumeHandle)}`;
    return `csi:${src.csi.driver}^${src.csi.volumeHandle}`;
  }
  return undefined;
}

/** "aws://us-east-1a/vol-123" -> "vol-123"; "projects/p/zones/z/disks/d" -> "d". */
function lastSegment(id: string): string {
  const parts = id.split('/');
  return parts[parts.length - 1] || id;
}

/** Node status volume names: "kubernetes.io/csi/<driver>^<handle>", "kubernetes.io/aws-ebs/aws://zone/vol-1", ... */
function nodeVolumeKey(name: string): string | undefined {
  const csi = /^kubernetes\.io\/csi\/([^^]+)\^(.+)$/.exec(name);
  if (csi) return sourceKey({ csi: { driver: csi[1]!, volumeHandle: csi[2]! } });
  const ebs = /^kubernetes\.io\/aws-ebs\/(.+)$/.exec(name);
  if (ebs) return sourceKey({ awsElasticBlockStore: { volumeID: ebs[1]! } });
  const gce = /^kubernetes\.io\/gce-pd\/(.+)$/.exec(name);
  if (gce) return sourceKey({ gcePersistentDisk: { pdName: lastSegment(gce[1]!) } });
  return undefined;
}

function eventTime(e: KubeEvent): string | undefined {
  return e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? e.lastTimestamp;
}

function eventCount(e: KubeEvent): number {
  return e.series?.count ?? e.count ?? 1;
}

const minTime = (a: string | undefined, b: string | undefined): string | undefined => {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
};

// ---- event parsing --------------------------------------------------------------------------

export type AttachEventKind = 'multi-attach' | 'waiting-for-detach' | 'attach-failed' | 'unattached';

export interface ParsedAttachEvent {
  kind: AttachEventKind;
  /** The volume named in `for volume "X"` (a PV name, or the pod's volume name for inline volumes). */
  volume?: string;
  /** FailedMount: the pod volume names listed as unattached. */
  unattached?: string[];
  /** Pods named in "Volume is already used by pod(s) a, b". */
  usedBy?: string[];
}

/** Recognise the attach-related event messages; undefined for anything else. */
export function parseAttachEvent(e: Pick<KubeEvent, 'reason' | 'message'>): ParsedAttachEvent | undefined {
  const msg = e.message ?? '';
  if (e.reason === 'FailedAttachVolume') {
    const vol = /for volume "([^"]*)"/.exec(msg)?.[1];
    const used = /Volume is already used by pod\(s\) (.+?)(?: and \d+ pod\(s\) in different namespaces)?$/.exec(msg)?.[1];
    const usedBy = used?.split(', ').map((s) => s.trim()).filter(Boolean);
    if (msg.startsWith('Multi-Attach error')) return { kind: 'multi-attach', volume: vol, usedBy };
    if (msg.startsWith('Waiting for detach')) return { kind: 'waiting-for-detach', volume: vol, usedBy };
    if (msg.startsWith('AttachVolume.Attach failed')) return { kind: 'attach-failed', volume: vol };
    return undefined;
  }
  if (e.reason === 'FailedMount' && msg.startsWith('Unable to attach or mount volumes')) {
    const list = /unattached volumes=\[([^\]]*)\]/.exec(msg)?.[1];
    const unattached = list?.split(/[\s,]+/).filter(Boolean) ?? [];
    return unattached.length > 0 ? { kind: 'unattached', unattached } : undefined;
  }
  return undefined;
}

// ---- the index --------------------------------------------------------------------------------

interface VolumeInfo {
  key: string;
  pv?: PersistentVolume;
  pvc?: PersistentVolumeClaim;
  /** Exclusive access mode, if any (undefined: RWX/ROX or unknown). */
  mode?: string;
  inlineDriver?: string;
  users: Pod[]; // non-terminated pods using it
  attachments: VolumeAttachment[];
  events: KubeEvent[];
  eventPods: Set<string>; // ns/name of pods the events are about
  nodesInUse: Set<string>;
  nodesAttached: Set<string>; // from node.status.volumesAttached
}

class Index {
  pvByName = new Map<string, PersistentVolume>();
  pvcByKey = new Map<string, PersistentVolumeClaim>();
  scByName = new Map<string, StorageClass>();
  nodeByName = new Map<string, Node>();
  podByKey = new Map<string, Pod>();
  rsByKey = new Map<string, ReplicaSet>();
  deployByKey = new Map<string, Deployment>();
  stsByKey = new Map<string, StatefulSet>();
  /** Alias keys (ebs:/gce:/csi:) -> canonical "pv:<name>". */
  alias = new Map<string, string>();
  volumes = new Map<string, VolumeInfo>();

  constructor(s: VolumeSnapshot) {
    for (const pv of values(s.pvs)) {
      this.pvByName.set(pv.metadata.name, pv);
      const k = sourceKey(pv.spec);
      if (k) this.alias.set(k, `pv:${pv.metadata.name}`);
    }
    for (const c of values(s.pvcs)) this.pvcByKey.set(nsName(c.metadata.namespace, c.metadata.name), c);
    for (const sc of values(s.storageClasses)) this.scByName.set(sc.metadata.name, sc);
    for (const n of values(s.nodes)) this.nodeByName.set(n.metadata.name, n);
    for (const p of values(s.pods)) this.podByKey.set(nsName(p.metadata.namespace, p.metadata.name), p);
    for (const r of values(s.replicaSets)) this.rsByKey.set(nsName(r.metadata.namespace, r.metadata.name), r);
    for (const d of values(s.deployments)) this.deployByKey.set(nsName(d.metadata.namespace, d.metadata.name), d);
    for (const t of values(s.statefulSets)) this.stsByKey.set(nsName(t.metadata.namespace, t.metadata.name), t);
  }

  canonical(key: string): string {
    return this.alias.get(key) ?? key;
  }

  info(key: string): VolumeInfo {
    const k = this.canonical(key);
    let v = this.volumes.get(k);
    if (!v) {
      v = { key: k, users: [], attachments: [], events: [], eventPods: new Set(), nodesInUse: new Set(), nodesAttached: new Set() };
      if (k.startsWith('pv:')) {
        v.pv = this.pvByName.get(k.slice(3));
        const ref = v.pv?.spec.claimRef;
        if (ref?.name) v.pvc = this.pvcByKey.get(nsName(ref.namespace, ref.name));
      }
      v.mode = exclusiveMode(v.pv?.spec.accessModes ?? v.pvc?.spec.accessModes);
      this.volumes.set(k, v);
    }
    return v;
  }

  /** The volume key of one pod volume, or undefined for volumes that are not attached (configMap, ...). */
  podVolumeKey(pod: Pod, vol: Volume): { key: string; pvc?: PersistentVolumeClaim; inlineDriver?: string } | undefined {
    const claimName = vol.persistentVolumeClaim?.claimName ?? (vol.ephemeral ? `${pod.metadata.name}-${vol.name}` : undefined);
    if (claimName) {
      const pvc = this.pvcByKey.get(nsName(pod.metadata.namespace, claimName));
      if (!pvc) return undefined;
      const key = pvc.spec.volumeName ? `pv:${pvc.spec.volumeName}` : `pvc:${nsName(pvc.metadata.namespace, pvc.metadata.name)}`;
      return { key, pvc };
    }
    const k = sourceKey(vol);
    if (!k) return undefined;
    const inlineDriver = vol.csi?.driver ?? (vol.awsElasticBlockStore ? 'kubernetes.io/aws-ebs' : vol.gcePersistentDisk ? 'kubernetes.io/gce-pd' : undefined);
    return { key: this.canonical(k), inlineDriver };
  }

  /** The controlling workload: Pod -> ReplicaSet -> Deployment, or StatefulSet/DaemonSet/Job... */
  owner(pod: Pod): WorkloadOwner | undefined {
    const ns = pod.metadata.namespace ?? '';
    const ref = pod.metadata.ownerReferences?.find((r) => r.controller) ?? pod.metadata.ownerReferences?.[0];
    if (!ref) return undefined;
    if (ref.kind === 'ReplicaSet') {
      const rs = this.rsByKey.get(nsName(ns, ref.name));
      const up = rs?.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Deployment');
      if (up) return { kind: 'Deployment', namespace: ns, name: up.name };
    }
    return { kind: ref.kind, namespace: ns, name: ref.name };
  }
}

// ---- building rows ----------------------------------------------------------------------------

function buildIndex(s: VolumeSnapshot): Index {
  const ix = new Index(s);

  for (const pod of ix.podByKey.values()) {
    if (isTerminated(pod)) continue;
    for (const vol of pod.spec.volumes ?? []) {
      const r = ix.podVolumeKey(pod, vol);
      if (!r) continue;
      const info = ix.info(r.key);
      if (!info.pvc && r.pvc) {
        info.pvc = r.pvc;
        info.mode ??= exclusiveMode(r.pvc.spec.accessModes);
      }
      if (r.inlineDriver) info.inlineDriver ??= r.inlineDriver;
      // A pod mounting one claim twice is one user (a check of the last entry keeps this O(1)).
      if (info.users[info.users.length - 1] !== pod) info.users.push(pod);
    }
  }

  for (const va of values(s.volumeAttachments)) {
    const src = va.spec.source;
    let key: string | undefined;
    if (src.persistentVolumeName) key = `pv:${src.persistentVolumeName}`;
    else if (src.inlineVolumeSpec) key = sourceKey(src.inlineVolumeSpec as Parameters<typeof sourceKey>[0]);
    if (!key) continue;
    ix.info(key).attachments.push(va);
  }

  for (const node of ix.nodeByName.values()) {
    for (const a of node.status?.volumesAttached ?? []) {
      const k = nodeVolumeKey(a.name);
      if (k && ix.volumes.has(ix.canonical(k))) ix.info(k).nodesAttached.add(node.metadata.name);
    }
    for (const name of node.status?.volumesInUse ?? []) {
      const k = nodeVolumeKey(name);
      if (k && ix.volumes.has(ix.canonical(k))) ix.info(k).nodesInUse.add(node.metadata.name);
    }
  }

  for (const e of values(s.events)) {
    const parsed = parseAttachEvent(e);
    if (!parsed) continue;
    const io = e.involvedObject;
    if (io.kind && io.kind !== 'Pod') continue;
    const pod = ix.podByKey.get(nsName(io.namespace ?? e.metadata.namespace, io.name ?? ''));
    // Only events about pods that still exist, are not terminated and not yet running matter.
    if (!pod || isTerminated(pod) || pod.status?.phase === 'Running') continue;
    if (io.uid && io.uid !== pod.metadata.uid) continue; // an older pod with the same name
    const keys = new Set<string>();
    const podVol = (name: string) => {
      const vol = pod.spec.volumes?.find((v) => v.name === name);
      return vol ? ix.podVolumeKey(pod, vol)?.key : undefined;
    };
    if (parsed.volume !== undefined) {
      // A PV name (pvc-<uid>), else the name of one of the pod's (inline) volumes.
      const k = ix.pvByName.has(parsed.volume) ? `pv:${parsed.volume}` : podVol(parsed.volume);
      if (k) keys.add(k);
    }
    for (const name of parsed.unattached ?? []) {
      const k = podVol(name);
      if (!k) continue;
      const info = ix.info(k);
      // FailedMount alone only counts for exclusive or inline attachable volumes.
      if (info.mode || info.inlineDriver || k.startsWith('pv:') && info.attachments.length > 0) keys.add(k);
    }
    for (const k of keys) {
      const info = ix.info(k);
      info.events.push(e);
      info.eventPods.add(nsName(pod.metadata.namespace, pod.metadata.name));
    }
  }
  return ix;
}

function driverOf(ix: Index, info: VolumeInfo): string | undefined {
  return (
    info.pv?.spec.csi?.driver ??
    (info.pv?.spec.storageClassName ? ix.scByName.get(info.pv.spec.storageClassName)?.provisioner : undefined) ??
    (info.pvc?.spec.storageClassName ? ix.scByName.get(info.pvc.spec.storageClassName)?.provisioner : undefined) ??
    info.attachments[0]?.spec.attacher ??
    info.inlineDriver ??
    (info.pv?.spec.awsElasticBlockStore ? 'kubernetes.io/aws-ebs' : info.pv?.spec.gcePersistentDisk ? 'kubernetes.io/gce-pd' : undefined)
  );
}

const FORCE_DETACH_MINUTES = 6; // attach/detach controller maxWaitForUnmountDuration

function buildRow(ix: Index, info: VolumeInfo, now: number): VolumeConflict | undefined {
  const signals: ConflictSignal[] = [];
  const exclusive = info.mode !== undefined || info.inlineDriver !== undefined;
  const scheduled = info.users.filter((p) => p.spec.nodeName);
  const userNodes = new Set(scheduled.map((p) => p.spec.nodeName!));
  const running = (p: Pod) => p.status?.phase === 'Running';

  if (info.mode === 'ReadWriteOncePod' && info.users.length > 1) signals.push('rwop-multi-pod');
  else if (info.mode === 'ReadWriteOnce' && userNodes.size > 1) signals.push('multi-node');

  // Every VolumeAttachment claims its node: attached, attaching (attached=false, no error yet),
  // failing (attachError) or detaching (deletionTimestamp set) alike.
  const vaNodes = new Set(info.attachments.map((va) => va.spec.nodeName));
  const attachedOn = (node: string | undefined) => info.attachments.some((va) => va.spec.nodeName === node && va.status?.attached);
  // Waiting because the volume is attached on another node.
  const blocked = scheduled.filter((p) => !running(p) && [...vaNodes].some((n) => n !== p.spec.nodeName) && !attachedOn(p.spec.nodeName));
  if (blocked.length > 0) signals.push('attached-elsewhere');
  if (info.events.length > 0) signals.push('event');

  // Stale: an attachment on a node where no pod uses the volume.
  const staleVAs = info.attachments.filter((va) => va.status?.attached && !userNodes.has(va.spec.nodeName));
  if (staleVAs.length > 0) signals.push('stale-attachment');
  if (signals.length === 0) return undefined;
  if (!exclusive && !signals.includes('event') && !signals.includes('stale-attachment')) return undefined;

  // The holder node: where it is attached (attached beats attaching), else where a running user is.
  const attachedVA =
    info.attachments.find((va) => va.status?.attached) ?? info.attachments.find((va) => !va.status?.attachError) ?? info.attachments[0];
  const byAge = (a: Pod, b: Pod) => (Date.parse(a.metadata.creationTimestamp ?? '') || 0) - (Date.parse(b.metadata.creationTimestamp ?? '') || 0);
  const runningUsers = scheduled.filter(running).sort(byAge);
  const eventWaiters = info.users.filter((p) => info.eventPods.has(nsName(p.metadata.namespace, p.metadata.name)));
  let holderNode: string | undefined = attachedVA?.spec.nodeName ?? runningUsers[0]?.spec.nodeName ?? [...info.nodesAttached].sort()[0];
  if (!holderNode && eventWaiters.length > 0) holderNode = scheduled.find((p) => !eventWaiters.includes(p))?.spec.nodeName;
  const holderVA = info.attachments.find((va) => va.spec.nodeName === holderNode);

  const someoneRuns = runningUsers.length > 0;
  const oldestUser = [...info.users].sort(byAge)[0];
  const isWaiting = (p: Pod): boolean => {
    if (running(p)) return false;
    if (p.spec.nodeName && holderNode && p.spec.nodeName !== holderNode) return true;
    if (eventWaiters.includes(p)) return true;
    // ReadWriteOncePod: a second pod waits even on the same node, or unscheduled.
    return info.mode === 'ReadWriteOncePod' && (someoneRuns || info.users.length > 1) && p !== oldestUser;
  };
  const waitingPods = info.users.filter(isWaiting).sort(byAge);
  const holderPods = info.users.filter((p) => p.spec.nodeName !== undefined && p.spec.nodeName === holderNode && !waitingPods.includes(p));
  const waiting = waitingPods.map(podState);
  const kind: VolumeConflict['kind'] =
    waiting.length > 0 || signals.some((s) => s !== 'stale-attachment') ? 'conflict' : 'stale-attachment';

  let waitingSince: string | undefined;
  for (const p of waitingPods) waitingSince = minTime(waitingSince, p.metadata.creationTimestamp);
  for (const e of info.events) waitingSince = minTime(waitingSince, eventTime(e));
  const holderNodeObj = holderNode ? ix.nodeByName.get(holderNode) : undefined;
  const holderReady = nodeReady(holderNodeObj);

  const ownerPod = waitingPods[0] ?? holderPods[0] ?? info.users[0];
  const owner = ownerPod ? ix.owner(ownerPod) : undefined;
  const pvc = info.pvc ? { namespace: info.pvc.metadata.namespace ?? '', name: info.pvc.metadata.name } : undefined;

  const row: VolumeConflict = {
    id: info.key,
    kind,
    signals,
    pv: info.pv?.metadata.name ?? info.pvc?.spec.volumeName,
    pvc,
    accessMode: info.mode,
    storageClass: info.pv?.spec.storageClassName ?? info.pvc?.spec.storageClassName,
    driver: driverOf(ix, info),
    holder: {
      node: holderNode,
      nodeReady: holderReady,
      pods: holderPods.map(podState),
      attachment: holderVA?.metadata.name,
    },
    waiting,
    waitingSince,
    waitingSeconds: waitingSince ? Math.max(0, Math.floor((now - Date.parse(waitingSince)) / 1000)) : undefined,
    eventCount: info.events.reduce((n, e) => n + eventCount(e), 0),
    owner,
    fixes: [],
    evidence: {
      events: [...info.events].sort((a, b) => Date.parse(eventTime(a) ?? '') - Date.parse(eventTime(b) ?? '')),
      attachments: [...info.attachments].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1)),
      pods: info.users.map(podState),
      nodesInUse: [...info.nodesInUse].sort(),
    },
  };
  if (holderNode && row.holder.pods.length === 0) row.holder.note = holderVA ? 'no pod: stale attachment' : 'no pod';
  row.fixes = chooseFixes(ix, info, row, staleVAs, waitingPods);
  return row;
}

function chooseFixes(ix: Index, info: VolumeInfo, row: VolumeConflict, staleVAs: VolumeAttachment[], waitingPods: Pod[]): Fix[] {
  const fixes: Fix[] = [];
  const node = row.holder.node;
  const mode = info.mode ?? 'exclusive';

  if (node && row.holder.nodeReady === false) {
    const p = row.holder.pods[0];
    fixes.push({
      text:
        `${node} is NotReady: the attachment will be force-detached after ~${FORCE_DETACH_MINUTES} min` +
        (p ? `; or delete pod ${p.name} with --force` : row.holder.attachment ? `; or delete VolumeAttachment ${row.holder.attachment}` : ''),
      action: p
        ? { type: 'delete-pod', namespace: p.namespace, name: p.name, force: true }
        : row.holder.attachment
          ? { type: 'delete-volumeattachment', name: row.holder.attachment }
          : undefined,
    });
  }
  if (row.waiting.length > 0 || info.mode === 'ReadWriteOncePod') {
    for (const p of row.holder.pods) {
      if (p.terminating) {
        fixes.push({
          text: `old pod ${p.name} on ${p.node} is terminating: the volume is freed when it stops; force-delete it if it is stuck`,
          action: { type: 'delete-pod', namespace: p.namespace, name: p.name, force: true },
        });
      } else {
        fixes.push({
          text: `old pod ${p.name} on ${p.node} still running: deleting it frees the volume`,
          action: { type: 'delete-pod', namespace: p.namespace, name: p.name },
        });
      }
    }
  }
  const staleNames = new Set(staleVAs.map((v) => v.metadata.name));
  const vaToDelete = row.holder.pods.length === 0 && row.holder.attachment ? [row.holder.attachment] : [];
  for (const n of staleNames) if (!vaToDelete.includes(n)) vaToDelete.push(n);
  for (const name of vaToDelete) {
    const va = info.attachments.find((v) => v.metadata.name === name);
    const inUse = va && info.nodesInUse.has(va.spec.nodeName);
    fixes.push({
      text: `stale attachment: delete VolumeAttachment ${name}` + (inUse ? ` (${va!.spec.nodeName} still reports the volume in use: check its kubelet first)` : ''),
      action: { type: 'delete-volumeattachment', name },
    });
  }
  for (const va of info.attachments) {
    if (va.status?.attachError?.message) fixes.push({ text: `attach error on ${va.spec.nodeName}: ${va.status.attachError.message}` });
  }

  const owner = row.owner;
  if (owner?.kind === 'Deployment') {
    const d = ix.deployByKey.get(nsName(owner.namespace, owner.name));
    const type = d?.spec.strategy?.type ?? 'RollingUpdate';
    if (d && type === 'RollingUpdate' && info.mode) {
      fixes.push({
        text: `Deployment ${owner.name} uses RollingUpdate with a ${mode} volume: this repeats on every rollout; use Recreate or a ReadWriteMany class`,
      });
    }
    if (d && (d.spec.replicas ?? 1) > 1 && info.mode) {
      fixes.push({
        text: `Deployment ${owner.name} has ${d.spec.replicas} replicas sharing a ${mode} claim: use a StatefulSet with volumeClaimTemplates or a ReadWriteMany class`,
      });
    }
  }
  if (info.mode === 'ReadWriteOncePod' && info.users.length > 1 && fixes.length === 0) {
    fixes.push({ text: `ReadWriteOncePod allows a single pod: stop the other ${info.users.length - 1} pod(s) using ${row.pvc?.name ?? row.id}` });
  }
  const failed = info.events.find((e) => parseAttachEvent(e)?.kind === 'attach-failed');
  if (failed) fixes.push({ text: `attach failed: ${failed.message}; the disk may still be attached outside Kubernetes (check the provider)` });
  if (fixes.length === 0 && waitingPods.length > 0) {
    fixes.push({ text: 'the volume is still being detached: wait, or check the CSI driver / VolumeAttachment status' });
  }
  // One fix per action (a NotReady node and a stale attachment can name the same object).
  const seen = new Set<string>();
  return fixes.filter((f) => {
    if (!f.action) return true;
    const k = JSON.stringify({ ...f.action, force: undefined });
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Conflict rows, worst first: waiting pods (longest waiting first), other conflicts, then stale attachments. */
export function volumeConflicts(s: VolumeSnapshot): VolumeConflict[] {
  const ix = buildIndex(s);
  const rows: VolumeConflict[] = [];
  for (const info of ix.volumes.values()) {
    const row = buildRow(ix, info, s.now);
    if (row) rows.push(row);
  }
  const rank = (r: VolumeConflict) => (r.kind === 'conflict' ? (r.waiting.length > 0 ? 0 : 1) : 2);
  return rows.sort((a, b) => {
    const d = rank(a) - rank(b);
    if (d !== 0) return d;
    const ta = a.waitingSince ? Date.parse(a.waitingSince) : Infinity;
    const tb = b.waitingSince ? Date.parse(b.waitingSince) : Infinity;
    if (ta !== tb) return ta - tb;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/**
 * Workloads that will hit a conflict on their next rollout or reschedule: Deployments using
 * RollingUpdate (the default) or more than one replica, mounting a ReadWriteOnce or
 * ReadWriteOncePod claim directly in their pod template.
 */
export function volumeRisks(s: Pick<VolumeSnapshot, 'deployments' | 'pvcs' | 'pvs'>): VolumeRisk[] {
  const pvcs = new Map(values(s.pvcs).map((c) => [nsName(c.metadata.namespace, c.metadata.name), c]));
  const pvs = new Map(values(s.pvs).map((p) => [p.metadata.name, p]));
  const out: VolumeRisk[] = [];
  for (const d of values(s.deployments)) {
    const ns = d.metadata.namespace ?? '';
    for (const vol of templateSummary(d.spec.template).volumes) {
      const claim = vol.persistentVolumeClaim?.claimName;
      if (!claim) continue;
      const pvc = pvcs.get(nsName(ns, claim));
      if (!pvc) continue;
      const pv = pvc.spec.volumeName ? pvs.get(pvc.spec.volumeName) : undefined;
      const mode = exclusiveMode(pv?.spec.accessModes ?? pvc.spec.accessModes);
      if (!mode) continue;
      const reasons: string[] = [];
      const type = d.spec.strategy?.type ?? 'RollingUpdate';
      const replicas = d.spec.replicas ?? 1;
      if (type === 'RollingUpdate') {
        reasons.push(`RollingUpdate starts the new pod before the old one stops; if it lands on another node it waits for the ${mode} volume to detach`);
      }
      if (replicas > 1) reasons.push(`${replicas} replicas share one ${mode} claim: pods on other nodes cannot attach it`);
      if (mode === 'ReadWriteOncePod' && type === 'RollingUpdate' && replicas === 1) {
        reasons.push('ReadWriteOncePod: the new pod cannot start at all while the old one runs');
      }
      if (reasons.length === 0) continue;
      const fix =
        replicas > 1
          ? 'use a StatefulSet with volumeClaimTemplates (one claim per pod), or a ReadWriteMany storage class'
          : 'set strategy.type: Recreate, or use a ReadWriteMany storage class';
      out.push({ kind: 'Deployment', namespace: ns, name: d.metadata.name, pvc: claim, accessMode: mode, reasons, fix });
    }
  }
  return out.sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1));
}
