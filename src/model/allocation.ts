// Node allocation exactly as `kubectl describe node` computes it ("Non-terminated Pods" and
// "Allocated resources"), plus the nodes-table model and an incremental index.
//
// References matched: kubectl describe.go `describeNodeResource` / `getPodsTotalRequestsAndLimits`
// and k8s.io/component-helpers/resource `PodRequests` / `PodLimits` (sidecar KEP-753 rule,
// overhead, pod-level resources), `GetPodQOS`, and the `kubectl get nodes` STATUS / ROLES.
//
// Numbers: per-pod figures and per-node sums are BigInt nano-units (see quantity.ts). kubectl
// sums exact Quantities and only then takes MilliValue()/Value(), so summing BigInt nanos and
// rounding last is the only way to agree with it in every case (e.g. sub-milli CPU like
// "100u" on many pods). BigInt adds cost tens of ns, and an event touches a handful of them.
// Rows handed to views carry plain numbers (millicores and bytes, exact below 2^53 = 8 PiB).
// Per-pod figures live in resource profiles shared by a workload's replicas (resourceProfile),
// so 150,000 pods cost a few thousand sets of BigInts, not 150,000 (~160 MB -> ~30 MB).

import type { Container, Node, NodeMetrics, Pod, Quantities } from '../kube/types.js';
import { objectKey } from '../kube/types.js';
import { ChurnMap } from './churnMap.js';
import {
  addQuantity,
  cmpQuantity,
  formatQuantityLikeKubectl,
  kubectlPercent,
  milliValue,
  parseQuantityFull,
  parseQuantityOr,
  value,
  ZERO,
  type Quantity,
} from './quantity.js';

// ---- resource lists ------------------------------------------------------------------------

/** A ResourceList: resource name → quantity (with its format, for kubectl-exact text). */
export type ResourceList = Map<string, Quantity>;

/** Parse a `{cpu: "100m", ...}` map, skipping malformed entries (the API server never sends them). */
export function parseResourceList(q: Quantities | undefined): ResourceList {
  const out: ResourceList = new Map();
  if (!q) return out;
  for (const [name, text] of Object.entries(q)) {
    try {
      out.set(name, parseQuantityFull(text));
    } catch {
      /* ignore malformed */
    }
  }
  return out;
}

function addInto(list: ResourceList, add: ResourceList): void {
  for (const [name, q] of add) {
    const cur = list.get(name);
    list.set(name, cur ? addQuantity(cur, q) : q);
  }
}

function maxInto(list: ResourceList, other: ResourceList): void {
  for (const [name, q] of other) {
    const cur = list.get(name);
    if (!cur || cmpQuantity(q, cur) > 0) list.set(name, q);
  }
}

/** Only cpu and memory may be set at pod level (kubectl 1.32's supportedPodLevelResources). */
export const POD_LEVEL_RESOURCES = new Set(['cpu', 'memory']);

function hasPodLevel(q: Quantities | undefined): boolean {
  return !!q && Object.keys(q).some((k) => POD_LEVEL_RESOURCES.has(k));
}

/**
 * Sum over containers with the sidecar rule (component-helpers aggregateContainerResourcesByFn):
 *
 *   result = max( sum(app containers) + sum(restartable init containers),
 *                 max over init containers i of InitUse(i) )
 *   InitUse(i) = init_i + sum(restartable init containers before i)   for a regular init i
 *              = sum(restartable init containers up to and including i) for a sidecar i
 *
 * A container that does not set a resource adds nothing for it (so limits count only the
 * containers that set them).
 */
function aggregateContainers(pod: Pod, pick: (c: Container) => Quantities | undefined): ResourceList {
  const result: ResourceList = new Map();
  for (const c of pod.spec.containers ?? []) addInto(result, parseResourceList(pick(c)));
  const sidecars: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of pod.spec.initContainers ?? []) {
    const own = parseResourceList(pick(c));
    let use: ResourceList;
    if (c.restartPolicy === 'Always') {
      addInto(result, own);
      addInto(sidecars, own);
      use = sidecars;
    } else {
      use = new Map();
      addInto(use, own);
      addInto(use, sidecars);
    }
    maxInto(initMax, use);
  }
  maxInto(result, initMax);
  return result;
}

/** PodRequests(pod, {}) : container aggregate, pod-level override, + overhead. */
export function podRequests(pod: Pod): ResourceList {
  const reqs = aggregateContainers(pod, (c) => c.resources?.requests);
  const podLevel = pod.spec.resources?.requests;
  if (hasPodLevel(podLevel)) {
    for (const [name, q] of parseResourceList(podLevel)) if (POD_LEVEL_RESOURCES.has(name)) reqs.set(name, q);
  }
  if (pod.spec.overhead) addInto(reqs, parseResourceList(pod.spec.overhead));
  return reqs;
}

/** PodLimits(pod, {}) : container aggregate, pod-level override, + overhead on non-zero limits. */
export function podLimits(pod: Pod): ResourceList {
  const limits = aggregateContainers(pod, (c) => c.resources?.limits);
  const pr = pod.spec.resources;
  // Go applies pod-level limits when pod-level resources are set at all (requests or limits).
  if (hasPodLevel(pr?.requests) || hasPodLevel(pr?.limits)) {
    for (const [name, q] of parseResourceList(pr?.limits)) if (POD_LEVEL_RESOURCES.has(name)) limits.set(name, q);
  }
  if (pod.spec.overhead) {
    for (const [name, q] of parseResourceList(pod.spec.overhead)) {
      const cur = limits.get(name);
      if (cur && cur.nano !== 0n) limits.set(name, addQuantity(cur, q));
    }
  }
  return limits;
}

// ---- which pods count ------------------------------------------------------------------------

/** kubectl's field selector: status.phase != Succeeded, != Failed. */
export function isTerminatedPhase(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The node a pod's resources count against, or undefined (unscheduled / terminated). */
export function countedNodeOf(pod: Pod): string | undefined {
  const n = pod.spec?.nodeName;
  if (!n || isTerminatedPhase(pod.status?.phase)) return undefined;
  return n;
}

// ---- QoS -----------------------------------------------------------------------------------

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';
const QOS_RESOURCES = new Set(['cpu', 'memory']);

/** Kubernetes ComputePodQOS (pod-level resources first when set). */
export function computePodQOS(pod: Pod): QOSClass {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  const collect = (into: Map<string, bigint>, q: Quantities | undefined): Set<string> => {
    const found = new Set<string>();
    for (const [name, text] of Object.entries(q ?? {})) {
      if (!QOS_RESOURCES.has(name)) continue;
      const n = parseQuantityOr(text);
      if (n > 0n) {
        found.add(name);
        into.set(name, (into.get(name) ?? 0n) + n);
      }
    }
    return found;
  };
  const pr = pod.spec.resources;
  const podLevel = !!pr && (Object.keys(pr.requests ?? {}).length > 0 || Object.keys(pr.limits ?? {}).length > 0);
  if (podLevel) {
    collect(requests, pr!.requests);
    if (Object.keys(pr!.limits ?? {}).length > 0) {
      collect(limits, pr!.limits);
      const keys = new Set(Object.keys(pr!.limits ?? {}));
      if (!keys.has('cpu') || !keys.has('memory')) guaranteed = false;
    } else {
      guaranteed = false;
    }
  } else {
    for (const c of [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])]) {
      collect(requests, c.resources?.requests);
      const found = collect(limits, c.resources?.limits);
      if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, r] of requests) {
      if (limits.get(name) !== r) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** status.qosClass when the API server filled it in, else computed. */
export function podQOS(pod: Pod): string {
  return pod.status?.qosClass || computePodQOS(pod);
}

// ---- per pod -------------------------------------------------------------------------------

/** Node-independent figures of one pod. */
export interface PodAllocation {
  key: string;
  namespace: string;
  name: string;
  /** spec.nodeName ('' when unscheduled). */
  nodeName: string;
  phase: string;
  /** Counts against its node (scheduled and not Succeeded/Failed). */
  counted: boolean;
  qos: string;
  requests: ResourceList;
  limits: ResourceList;
  /** Containers (app and init) that do not set both cpu and memory requests / limits. */
  containersWithoutRequests: string[];
  containersWithoutLimits: string[];
}

function missing(pod: Pod, kind: 'requests' | 'limits'): string[] {
  // Pod-level cpu+memory cover every container.
  const pl = pod.spec.resources?.[kind];
  if (pl && 'cpu' in pl && 'memory' in pl) return [];
  const out: string[] = [];
  for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    const r = c.resources?.[kind];
    if (!r || !('cpu' in r) || !('memory' in r)) out.push(c.name);
  }
  return out;
}

/**
 * The figures of a pod that depend only on its containers and pod-level resources. Replicas
 * share their lean containers array (kube/lean.ts), so one profile serves a whole workload:
 * 150,000 pods hold a few thousand profiles rather than 150,000 pairs of Maps of BigInts
 * (~1 KB a pod). Workloads with the same resources (and container names) share the figures
 * too (`figures`: one set per distinct spec, not per workload). Store objects are never
 * mutated, so a profile never goes stale.
 */
interface ResourceProfile {
  containers: readonly Container[] | undefined;
  initContainers: readonly Container[] | undefined;
  overhead: Quantities | undefined;
  resources: Pod['spec']['resources'];
  figures: ProfileFigures;
}

interface ProfileFigures {
  requests: ResourceList;
  limits: ResourceList;
  containersWithoutRequests: string[];
  containersWithoutLimits: string[];
  /** computePodQOS, on first need (most pods carry status.qosClass). */
  qos?: QOSClass;
}

const PROFILES = new WeakMap<object, ResourceProfile>();
/** Figures by what they are computed from (bounded: starts over when full). */
const FIGURES = new Map<string, ProfileFigures>();
const FIGURES_MAX = 20_000;

/** What a profile's figures depend on, as a string. */
function figuresKey(s: Pod['spec']): string {
  const c = (list: readonly Container[] | undefined) => list?.map((x) => [x.name, x.restartPolicy, x.resources?.requests, x.resources?.limits]);
  return JSON.stringify([c(s.containers), c(s.initContainers), s.overhead, s.resources]);
}

function resourceProfile(pod: Pod): ResourceProfile {
  const s = pod.spec;
  const key = s.containers;
  const old = key ? PROFILES.get(key) : undefined;
  // Same containers but other init containers / pod-level resources: compute (and keep) anew.
  if (old && old.initContainers === s.initContainers && old.overhead === s.overhead && old.resources === s.resources) return old;
  const fk = figuresKey(s);
  let figures = FIGURES.get(fk);
  if (!figures) {
    figures = {
      requests: podRequests(pod),
      limits: podLimits(pod),
      containersWithoutRequests: missing(pod, 'requests'),
      containersWithoutLimits: missing(pod, 'limits'),
    };
    if (FIGURES.size >= FIGURES_MAX) FIGURES.clear();
    FIGURES.set(fk, figures);
  }
  const p: ResourceProfile = { containers: s.containers, initContainers: s.initContainers, overhead: s.overhead, resources: s.resources, figures };
  if (key) PROFILES.set(key, p);
  return p;
}

function profileQOS(pod: Pod, p: ResourceProfile): string {
  return pod.status?.qosClass || (p.figures.qos ??= computePodQOS(pod));
}

function allocationOf(pod: Pod, p: ResourceProfile, key = objectKey(pod)): PodAllocation {
  return {
    key,
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name,
    nodeName: pod.spec?.nodeName ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    counted: countedNodeOf(pod) !== undefined,
    qos: profileQOS(pod, p),
    // Shared with the pod's replicas: read-only.
    requests: p.figures.requests,
    limits: p.figures.limits,
    containersWithoutRequests: p.figures.containersWithoutRequests,
    containersWithoutLimits: p.figures.containersWithoutLimits,
  };
}

/** podRequests / podLimits of a pod, shared with its replicas: read-only. */
export function podResources(pod: Pod): { readonly requests: ResourceList; readonly limits: ResourceList } {
  return resourceProfile(pod).figures;
}

export function podAllocation(pod: Pod): PodAllocation {
  return allocationOf(pod, resourceProfile(pod));
}

// ---- node detail (kubectl describe node) ---------------------------------------------------

/** node.status.allocatable, or capacity when allocatable is empty (as kubectl). */
export function nodeAllocatable(node: Node): ResourceList {
  const a = node.status?.allocatable;
  return parseResourceList(a && Object.keys(a).length > 0 ? a : node.status?.capacity);
}

/** CPU percentages use MilliValue(), every other resource Value(). */
export function resourcePercent(resource: string, used: bigint, allocatable: bigint): number {
  return resource === 'cpu'
    ? kubectlPercent(milliValue(used), milliValue(allocatable))
    : kubectlPercent(value(used), value(allocatable));
}

/** One line of the "Non-terminated Pods" table. */
export interface PodOnNodeRow {
  alloc: PodAllocation;
  cpuRequests: string;
  cpuRequestsPct: number;
  cpuLimits: string;
  cpuLimitsPct: number;
  memoryRequests: string;
  memoryRequestsPct: number;
  memoryLimits: string;
  memoryLimitsPct: number;
}

/** One line of "Allocated resources". */
export interface ResourceAllocation {
  resource: string;
  requests: Quantity;
  limits: Quantity;
  /** undefined when the node does not list the resource. */
  allocatable?: Quantity;
  requestsText: string;
  limitsText: string;
  requestsPct: number;
  limitsPct: number;
  /** kubectl prints percentages for cpu, memory, ephemeral-storage and hugepages only. */
  kubectlShowsPercent: boolean;
}

export interface NodeAllocationDetail {
  node: string;
  /** Pods counted, in kubectl's order (namespace, name). */
  pods: PodOnNodeRow[];
  resources: ResourceAllocation[];
}

function byNamespaceName(a: { namespace: string; name: string }, b: { namespace: string; name: string }): number {
  return a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

const pctOrZero = (resource: string, q: Quantity | undefined, alloc: Quantity | undefined): number =>
  resourcePercent(resource, q?.nano ?? 0n, alloc?.nano ?? 0n);

/** The pod list and "Allocated resources" block of `kubectl describe node`, figure for figure. */
export function describeNodeAllocation(node: Node, pods: Iterable<Pod>): NodeAllocationDetail {
  const name = node.metadata.name;
  const allocatable = nodeAllocatable(node);
  const counted: PodAllocation[] = [];
  for (const p of pods) if (countedNodeOf(p) === name) counted.push(podAllocation(p));
  counted.sort(byNamespaceName);

  const reqs: ResourceList = new Map();
  const limits: ResourceList = new Map();
  const rows: PodOnNodeRow[] = counted.map((a) => {
    addInto(reqs, a.requests);
    addInto(limits, a.limits);
    const [cr, cl, mr, ml] = [a.requests.get('cpu'), a.limits.get('cpu'), a.requests.get('memory'), a.limits.get('memory')];
    return {
      alloc: a,
      cpuRequests: formatQuantityLikeKubectl(cr ?? ZERO),
      cpuRequestsPct: pctOrZero('cpu', cr, allocatable.get('cpu')),
      cpuLimits: formatQuantityLikeKubectl(cl ?? ZERO),
      cpuLimitsPct: pctOrZero('cpu', cl, allocatable.get('cpu')),
      memoryRequests: formatQuantityLikeKubectl(mr ?? ZERO),
      memoryRequestsPct: pctOrZero('memory', mr, allocatable.get('memory')),
      memoryLimits: formatQuantityLikeKubectl(ml ?? ZERO),
      memoryLimitsPct: pctOrZero('memory', ml, allocatable.get('memory')),
    };
  });

  return { node: name, pods: rows, resources: allocationLines(allocatable, reqs, limits) };
}

/** Resource names shown: cpu, memory, ephemeral-storage, then hugepages-*, then extended (sorted). */
export function allocationResourceNames(allocatable: Iterable<string>, used: Iterable<string>): string[] {
  const names = new Set<string>([...allocatable, ...used]);
  const huge = [...names].filter((n) => n.startsWith('hugepages-')).sort();
  const ext = [...names].filter((n) => !STANDARD.has(n) && n !== 'pods' && !n.startsWith('hugepages-')).sort();
  return ['cpu', 'memory', 'ephemeral-storage', ...huge, ...ext];
}
const STANDARD = new Set(['cpu', 'memory', 'ephemeral-storage']);

function allocationLines(allocatable: ResourceList, reqs: ResourceList, limits: ResourceList): ResourceAllocation[] {
  const names = allocationResourceNames(allocatable.keys(), [...reqs.keys(), ...limits.keys()]);
  return names.map((resource) => {
    const r = reqs.get(resource) ?? ZERO;
    const l = limits.get(resource) ?? ZERO;
    const a = allocatable.get(resource);
    return {
      resource,
      requests: r,
      limits: l,
      allocatable: a,
      requestsText: formatQuantityLikeKubectl(r),
      limitsText: formatQuantityLikeKubectl(l),
      requestsPct: pctOrZero(resource, r, a),
      limitsPct: pctOrZero(resource, l, a),
      kubectlShowsPercent: STANDARD.has(resource) || resource.startsWith('hugepages-'),
    };
  });
}

// ---- node status ---------------------------------------------------------------------------

const PRESSURES = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];
const EFFECT_SHORT: Record<string, string> = { NoSchedule: 'NoSch', PreferNoSchedule: 'PrefNoSch', NoExecute: 'NoExec' };

export interface NodeStatusInfo {
  /** kubectl get nodes STATUS: "Ready", "NotReady", "Unknown" (+ ",SchedulingDisabled"). */
  status: string;
  ready: 'Ready' | 'NotReady' | 'Unknown';
  /** Pressure conditions that are True. */
  pressures: string[];
  cordoned: boolean;
  /** Taints in short form: "key=value:NoSch", "key:NoExec". */
  taints: string[];
  /** From node-role.kubernetes.io/<role> and kubernetes.io/role=<role>, sorted. */
  roles: string[];
}

export function shortTaint(t: { key: string; value?: string; effect: string }): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${EFFECT_SHORT[t.effect] ?? t.effect}`;
}

export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

export function nodeStatusInfo(node: Node): NodeStatusInfo {
  const conds = node.status?.conditions ?? [];
  const readyCond = conds.find((c) => c.type === 'Ready');
  const ready = !readyCond ? 'Unknown' : readyCond.status === 'True' ? 'Ready' : 'NotReady';
  const cordoned = !!node.spec?.unschedulable;
  const pressures = PRESSURES.filter((p) => conds.some((c) => c.type === p && c.status === 'True'));
  return {
    status: cordoned ? `${ready},SchedulingDisabled` : ready,
    ready,
    pressures,
    cordoned,
    taints: (node.spec?.taints ?? []).map(shortTaint),
    roles: nodeRoles(node.metadata.labels),
  };
}

// ---- node rows -----------------------------------------------------------------------------

/** One resource on a node row: integers (millicores for cpu, bytes/units otherwise). */
export interface ResourceFigures {
  allocatable: number;
  requests: number;
  limits: number;
  requestsPct: number;
  limitsPct: number;
  /** From metrics.k8s.io; undefined when not served. */
  usage?: number;
  usagePct?: number;
}

export interface NodeRow {
  name: string;
  info: NodeStatusInfo;
  labels: Record<string, string>;
  cpu: ResourceFigures;
  memory: ResourceFigures;
  /** ephemeral-storage, hugepages-*, extended resources present on the node or its pods. */
  other: { resource: string; figures: ResourceFigures }[];
  /** Pods counted against the node / allocatable pods. */
  pods: number;
  podCapacity: number;
}

/** Raw per-node usage from metrics (nano units). */
export interface NodeUsage {
  cpu: bigint;
  memory: bigint;
}

function toInt(resource: string, nano: bigint): number {
  return Number(resource === 'cpu' ? milliValue(nano) : value(nano));
}

function figures(resource: string, alloc: bigint, req: bigint, lim: bigint, usage?: bigint): ResourceFigures {
  const f: ResourceFigures = {
    allocatable: toInt(resource, alloc),
    requests: toInt(resource, req),
    limits: toInt(resource, lim),
    requestsPct: resourcePercent(resource, req, alloc),
    limitsPct: resourcePercent(resource, lim, alloc),
  };
  if (usage !== undefined) {
    f.usage = toInt(resource, usage);
    f.usagePct = resourcePercent(resource, usage, alloc);
  }
  return f;
}

/**
 * A node's parsed allocatable and status, kept per node object (store objects are never
 * mutated): a pod event rebuilds its node's row without parsing the node again. Shared by
 * the rows of that node object: read-only.
 */
const NODE_PARTS = new WeakMap<Node, { alloc: ResourceList; info: NodeStatusInfo }>();
function nodeParts(node: Node): { alloc: ResourceList; info: NodeStatusInfo } {
  let parts = NODE_PARTS.get(node);
  if (!parts) NODE_PARTS.set(node, (parts = { alloc: nodeAllocatable(node), info: nodeStatusInfo(node) }));
  return parts;
}

/** Build a node row from the node, its per-resource sums (nano) and pod count. */
export function buildNodeRow(
  node: Node,
  sums: { requests: Map<string, bigint>; limits: Map<string, bigint>; pods: number },
  usage?: NodeUsage,
): NodeRow {
  const { alloc, info } = nodeParts(node);
  const a = (r: string) => alloc.get(r)?.nano ?? 0n;
  const rq = (r: string) => sums.requests.get(r) ?? 0n;
  const lm = (r: string) => sums.limits.get(r) ?? 0n;
  const otherNames = allocationResourceNames(alloc.keys(), [...sums.requests.keys(), ...sums.limits.keys()]).slice(2);
  return {
    name: node.metadata.name,
    info,
    labels: node.metadata.labels ?? {},
    cpu: figures('cpu', a('cpu'), rq('cpu'), lm('cpu'), usage?.cpu),
    memory: figures('memory', a('memory'), rq('memory'), lm('memory'), usage?.memory),
    other: otherNames
      .filter((r) => r !== 'ephemeral-storage' || alloc.has(r) || rq(r) !== 0n || lm(r) !== 0n)
      .map((r) => ({ resource: r, figures: figures(r, a(r), rq(r), lm(r)) })),
    pods: sums.pods,
    podCapacity: Number(value(a('pods'))),
  };
}

/** Full (non-incremental) computation of all node rows: the reference for NodeAllocationIndex. */
export function computeNodeRows(nodes: Iterable<Node>, pods: Iterable<Pod>, usage?: Map<string, NodeUsage>): NodeRow[] {
  const sums = new Map<string, { requests: Map<string, bigint>; limits: Map<string, bigint>; pods: number }>();
  for (const p of pods) {
    const n = countedNodeOf(p);
    if (!n) continue;
    let s = sums.get(n);
    if (!s) sums.set(n, (s = { requests: new Map(), limits: new Map(), pods: 0 }));
    s.pods++;
    for (const [r, q] of podRequests(p)) s.requests.set(r, (s.requests.get(r) ?? 0n) + q.nano);
    for (const [r, q] of podLimits(p)) s.limits.set(r, (s.limits.get(r) ?? 0n) + q.nano);
  }
  // Drop zero sums, as the index does, so both list the same resources.
  for (const s of sums.values()) {
    for (const m of [s.requests, s.limits]) for (const [r, v] of m) if (v === 0n) m.delete(r);
  }
  const rows: NodeRow[] = [];
  for (const node of nodes) {
    const s = sums.get(node.metadata.name) ?? { requests: new Map(), limits: new Map(), pods: 0 };
    rows.push(buildNodeRow(node, s, usage?.get(node.metadata.name)));
  }
  return rows.sort((a, b) => cmpStr(a.name, b.name));
}

/** Parse metrics.k8s.io NodeMetrics into usage by node name (malformed entries skipped). */
export function nodeUsageFromMetrics(list: Iterable<NodeMetrics>): Map<string, NodeUsage> {
  const out = new Map<string, NodeUsage>();
  for (const m of list) {
    try {
      out.set(m.metadata.name, { cpu: parseQuantityFull(m.usage.cpu).nano, memory: parseQuantityFull(m.usage.memory).nano });
    } catch {
      /* treat as no metrics */
    }
  }
  return out;
}

// ---- totals, grouping, sorting -------------------------------------------------------------

export interface TotalsRow {
  label: string;
  nodes: number;
  cpu: ResourceFigures;
  memory: ResourceFigures;
  pods: number;
  podCapacity: number;
}

function sumFigures(rows: ResourceFigures[], resource: 'cpu' | 'memory'): ResourceFigures {
  let alloc = 0, req = 0, lim = 0, use = 0, useAlloc = 0, withUsage = 0;
  for (const f of rows) {
    alloc += f.allocatable;
    req += f.requests;
    lim += f.limits;
    if (f.usage !== undefined) {
      use += f.usage;
      useAlloc += f.allocatable;
      withUsage++;
    }
  }
  void resource;
  const out: ResourceFigures = {
    allocatable: alloc,
    requests: req,
    limits: lim,
    requestsPct: kubectlPercent(req, alloc),
    limitsPct: kubectlPercent(lim, alloc),
  };
  // Usage % is over the nodes that report usage, so a node without metrics does not dilute it.
  if (withUsage > 0) {
    out.usage = use;
    out.usagePct = kubectlPercent(use, useAlloc);
  }
  return out;
}

/** Cluster (or filtered set) totals: sums of the rows' integer figures, % truncated. */
export function totalsOf(rows: readonly NodeRow[], label = 'Total'): TotalsRow {
  let pods = 0, cap = 0;
  for (const r of rows) {
    pods += r.pods;
    cap += r.podCapacity;
  }
  return {
    label,
    nodes: rows.length,
    cpu: sumFigures(rows.map((r) => r.cpu), 'cpu'),
    memory: sumFigures(rows.map((r) => r.memory), 'memory'),
    pods,
    podCapacity: cap,
  };
}

export interface NodeGroup {
  /** Label value, or "(no <key>)". */
  value: string;
  rows: NodeRow[];
  totals: TotalsRow;
}

/** Group rows by a node label (zone, instance type, pool) with subtotals; groups by value. */
export function groupNodeRows(rows: readonly NodeRow[], labelKey: string): NodeGroup[] {
  const groups = new Map<string, NodeRow[]>();
  const none = `(no ${labelKey})`;
  for (const r of rows) {
    const v = r.labels[labelKey] ?? none;
    let g = groups.get(v);
    if (!g) groups.set(v, (g = []));
    g.push(r);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === none ? 1 : b === none ? -1 : cmpStr(a, b)))
    .map(([v, rs]) => ({ value: v, rows: rs, totals: totalsOf(rs, v) }));
}

export type NodeSortColumn =
  | 'name' | 'status' | 'roles'
  | 'cpuRequests' | 'cpuRequestsPct' | 'cpuLimits' | 'cpuLimitsPct' | 'cpuUsage' | 'cpuUsagePct'
  | 'memoryRequests' | 'memoryRequestsPct' | 'memoryLimits' | 'memoryLimitsPct' | 'memoryUsage' | 'memoryUsagePct'
  | 'pods' | 'podsPct' | 'cpuAllocatable' | 'memoryAllocatable';

export const NODE_SORT_COLUMNS: Record<NodeSortColumn, (r: NodeRow) => number | string> = {
  name: (r) => r.name,
  status: (r) => r.info.status,
  roles: (r) => r.info.roles.join(','),
  cpuRequests: (r) => r.cpu.requests,
  cpuRequestsPct: (r) => r.cpu.requestsPct,
  cpuLimits: (r) => r.cpu.limits,
  cpuLimitsPct: (r) => r.cpu.limitsPct,
  cpuUsage: (r) => r.cpu.usage ?? -1,
  cpuUsagePct: (r) => r.cpu.usagePct ?? -1,
  memoryRequests: (r) => r.memory.requests,
  memoryRequestsPct: (r) => r.memory.requestsPct,
  memoryLimits: (r) => r.memory.limits,
  memoryLimitsPct: (r) => r.memory.limitsPct,
  memoryUsage: (r) => r.memory.usage ?? -1,
  memoryUsagePct: (r) => r.memory.usagePct ?? -1,
  pods: (r) => r.pods,
  podsPct: (r) => kubectlPercent(r.pods, r.podCapacity),
  cpuAllocatable: (r) => r.cpu.allocatable,
  memoryAllocatable: (r) => r.memory.allocatable,
};

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sort a copy by a column (missing usage sorts as lowest); ties broken by name ascending. */
export function sortNodeRows(rows: readonly NodeRow[], column: NodeSortColumn, descending = false): NodeRow[] {
  const key = NODE_SORT_COLUMNS[column];
  const dir = descending ? -1 : 1;
  const keyed = rows.map((r) => ({ r, k: key(r) }));
  keyed.sort((a, b) => {
    const c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : cmpStr(String(a.k), String(b.k));
    return c !== 0 ? c * dir : cmpStr(a.r.name, b.r.name);
  });
  return keyed.map((x) => x.r);
}

// ---- incremental index ---------------------------------------------------------------------

interface NodeSums {
  requests: Map<string, bigint>;
  limits: Map<string, bigint>;
  pods: number;
}

function addSums(into: Map<string, bigint>, list: ResourceList, sign: 1n | -1n): void {
  for (const [r, q] of list) {
    const v = (into.get(r) ?? 0n) + sign * q.nano;
    if (v === 0n) into.delete(r);
    else into.set(r, v);
  }
}

/**
 * Keeps each pod and each node's sums so one pod event costs O(resources), not a pass over
 * 150,000 pods. A pod's contribution is not stored: its node and its resource profile (shared
 * by its replicas) are derived again from the kept pod object when it is replaced or deleted. `rows()` rebuilds only the rows of nodes that changed since
 * the last call. Equal to `computeNodeRows` on the same objects (tested with random sequences).
 *
 * Sums hold exact nano BigInts; a resource whose sum returns to 0 is dropped, so an index that
 * saw a pod come and go is identical to one that never saw it.
 */
export class NodeAllocationIndex {
  /** Pods by store key ("namespace/name"; the caller's key string is kept, not a copy). */
  private pods = new ChurnMap<string, Pod>();
  private nodes = new Map<string, Node>();
  private sums = new Map<string, NodeSums>();
  private usage = new Map<string, NodeUsage>();
  private rowCache = new Map<string, NodeRow>();
  private dirty = new Set<string>();
  private sortedNames: string[] | null = null;
  /** Bumped on every change: a cheap memo key for selectors. */
  version = 0;

  private sumsOf(node: string): NodeSums {
    let s = this.sums.get(node);
    if (!s) this.sums.set(node, (s = { requests: new Map(), limits: new Map(), pods: 0 }));
    return s;
  }

  private apply(pod: Pod, sign: 1n | -1n): void {
    const node = countedNodeOf(pod);
    if (!node) return;
    const p = resourceProfile(pod).figures;
    const s = this.sumsOf(node);
    addSums(s.requests, p.requests, sign);
    addSums(s.limits, p.limits, sign);
    s.pods += Number(sign);
    if (s.pods === 0 && s.requests.size === 0 && s.limits.size === 0) this.sums.delete(node);
    this.dirty.add(node);
  }

  /** Add or replace a pod (watch ADDED / MODIFIED); `key` is its objectKey (the store's key). */
  upsertPod(pod: Pod, key = objectKey(pod)): void {
    const old = this.pods.get(key);
    this.pods.set(key, pod);
    this.version++;
    // Most events change a pod's status only: the same node, the same figures (shared by its
    // replicas). Its node's sums and row then stay the very same objects; taken out and put
    // back, every event made new BigInt sums and a new row that lived until the node's next
    // event, long enough to reach V8's old generation and die there.
    if (old && countedNodeOf(old) === countedNodeOf(pod) && resourceProfile(old).figures === resourceProfile(pod).figures) return;
    if (old) this.apply(old, -1n);
    this.apply(pod, 1n);
  }

  /** Remove a pod by its store key ("namespace/name"). */
  deletePod(key: string): void {
    const old = this.pods.get(key);
    if (!old) return;
    this.apply(old, -1n);
    this.pods.delete(key);
    this.version++;
  }

  /** The pod object the index holds for a key (what it was last given). */
  pod(key: string): Pod | undefined {
    return this.pods.get(key);
  }

  /** Keys of the pods held. */
  podKeys(): IterableIterator<string> {
    return this.pods.map.keys();
  }

  upsertNode(node: Node): void {
    const name = node.metadata.name;
    if (!this.nodes.has(name)) this.sortedNames = null;
    this.nodes.set(name, node);
    this.dirty.add(name);
    this.version++;
  }

  deleteNode(name: string): void {
    if (!this.nodes.delete(name)) return;
    this.rowCache.delete(name);
    this.sortedNames = null;
    this.version++;
  }

  /** Replace node usage from metrics (undefined = metrics not served). */
  setNodeUsage(usage: Map<string, NodeUsage> | undefined): void {
    const next = usage ?? new Map<string, NodeUsage>();
    for (const n of new Set([...this.usage.keys(), ...next.keys()])) {
      const a = this.usage.get(n), b = next.get(n);
      if (a?.cpu !== b?.cpu || a?.memory !== b?.memory) this.dirty.add(n);
    }
    this.usage = new Map(next);
    this.version++;
  }

  /** All node rows, sorted by name. Only rows of changed nodes are rebuilt. */
  rows(): NodeRow[] {
    this.buildRows(Infinity);
    return this.sortedNames!.map((n) => this.rowCache.get(n)!);
  }

  /**
   * Rebuild the rows of changed nodes for about `budgetMs` (resumable: changes made meanwhile
   * are picked up by the next call); true when every row is current, `rows()` then only lists
   * them. A first count over 5,000 nodes changes every row (~80 ms): a view builds them in
   * slices rather than in one block.
   */
  buildRows(budgetMs = Infinity): boolean {
    const deadline = budgetMs === Infinity ? Infinity : performance.now() + budgetMs;
    let n = 0;
    // Deleting the visited entry while iterating a Set is safe; entries added meanwhile are visited too.
    for (const name of this.dirty) {
      // Check the clock every 16 rows (~15 µs a row).
      if ((++n & 15) === 0 && performance.now() >= deadline) return false;
      this.dirty.delete(name);
      const node = this.nodes.get(name);
      if (!node) continue;
      const s = this.sums.get(name) ?? { requests: new Map(), limits: new Map(), pods: 0 };
      this.rowCache.set(name, buildNodeRow(node, s, this.usage.get(name)));
    }
    if (!this.sortedNames) this.sortedNames = [...this.nodes.keys()].sort(cmpStr);
    return true;
  }

  /** Rows of changed nodes not rebuilt yet (buildRows' progress). */
  get rowsPending(): number {
    return this.dirty.size;
  }

  row(name: string): NodeRow | undefined {
    if (this.dirty.size) this.buildRows();
    return this.rowCache.get(name);
  }

  /** Pods counted against a node. O(pods held): the index keeps no list per node (a caller
   *  with the store's podsByNode index passes the node's pods to nodeDetail instead). */
  podsOnNode(name: string): Pod[] {
    if (!this.sums.has(name)) return [];
    const out: Pod[] = [];
    for (const p of this.pods.map.values()) if (countedNodeOf(p) === name) out.push(p);
    return out;
  }

  /**
   * kubectl describe node figures for one node (computed on demand), over `pods` (the pods
   * on the node, a superset is fine: O(those)) or else every pod held (O(pods held)).
   */
  nodeDetail(name: string, pods?: Iterable<Pod>): NodeAllocationDetail | undefined {
    const node = this.nodes.get(name);
    return node ? describeNodeAllocation(node, pods ?? this.podsOnNode(name)) : undefined;
  }

  /** Cluster-wide: pods with a container that lacks requests or limits, by key. */
  podsMissingResources(): PodAllocation[] {
    const out: PodAllocation[] = [];
    for (const [key, pod] of this.pods.map) {
      const p = resourceProfile(pod);
      if (p.figures.containersWithoutRequests.length || p.figures.containersWithoutLimits.length) out.push(allocationOf(pod, p, key));
    }
    return out.sort(byNamespaceName);
  }

  podAllocation(key: string): PodAllocation | undefined {
    const pod = this.pods.get(key);
    return pod ? allocationOf(pod, resourceProfile(pod), key) : undefined;
  }

  get podCount(): number {
    return this.pods.size;
  }
}
