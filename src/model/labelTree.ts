// Pods grouped by a label hierarchy (issue 4): namespace > application > component > pod >
// container by default, with roll-ups on every group, updated in place on each watch event.
//
// Complexity: addOrUpdatePod / removePod walk the pod's path only (O(depth)), plus keeping
// the sorted child lists along that path in order (a binary-search insert, or one element
// moved in worst-first order: O(fan-out)). Child lists are sorted lazily, the first time a
// window or an index needs them, so an event never re-sorts the 150,000 pods.
//
// Memory: nothing is kept per pod but its object (the store's, in a key map and its leaf
// group's list): a pod's summary (status, path, requests) is computed again when needed (to
// take its figures out of the roll-ups, for the rows on screen, to sort worst-first), which
// gives the same figures since store objects are never mutated. ~60 bytes a pod instead of
// ~550 for a kept summary, key and map entry per pod.
//
// Metrics: every poll changes every pod's usage. A poll is a table (podMetricsTable.ts) that
// never changes; the roll-ups count usage as plain numbers, and a new poll is moved in pod by
// pod, in slices if the caller wants (startPodMetrics / stepPodMetrics); until that is done, a
// flag per table slot (MovedPods) says which poll's table each pod counts.
//
// Every group keeps `below`, the number of rows shown under it when it is open, updated along
// the changed pod's path (and on expand / collapse), so a view's window of rows, the row at
// an index and the index of a row id are found by walking down with those counts: O(depth x
// fan-out + window), never O(visible rows). `visibleRows()` lists everything (tests, bench).

import type { Container, ContainerStatus, Pod } from '../kube/types.js';
import { objectKey } from '../kube/types.js';
import { ChurnMap } from './churnMap.js';
import { isTerminatedPhase, podResources } from './allocation.js';
import { PodMetricsTable } from './podMetricsTable.js';
import { NANO_PER_UNIT, parseQuantityOr } from './quantity.js';
import { podDisplayStatus, podProblem, type PodProblem } from './podStatus.js';

// ---- hierarchy -----------------------------------------------------------------------------

/** One grouping level: the namespace, the node, or label keys tried in order. */
export type Level = { kind: 'namespace' } | { kind: 'node' } | { kind: 'label'; keys: string[] };

/** The default: namespace > application > component (pods and containers are always below). */
export const DEFAULT_HIERARCHY_SPEC =
  'namespace,app.kubernetes.io/name|app|application,app.kubernetes.io/component|component|tier';

/**
 * Parse "namespace,app.kubernetes.io/name|app,component": comma-separated levels, each
 * `namespace`, `node`, or label keys separated by `|` (first present wins). Pods and
 * containers are always the last two levels and are not written. Throws on an empty level.
 */
export function parseHierarchy(spec: string): Level[] {
  const trimmed = spec.trim();
  if (trimmed === '') return [];
  return trimmed.split(',').map((part) => {
    const keys = part.split('|').map((k) => k.trim());
    if (keys.some((k) => k === '')) throw new Error(`invalid grouping ${JSON.stringify(spec)}: empty key in ${JSON.stringify(part)}`);
    if (keys.length === 1 && keys[0] === 'namespace') return { kind: 'namespace' } as const;
    if (keys.length === 1 && keys[0] === 'node') return { kind: 'node' } as const;
    if (keys.some((k) => k === 'pod' || k === 'container')) {
      throw new Error(`invalid grouping ${JSON.stringify(spec)}: pods and containers are always the last levels`);
    }
    return { kind: 'label', keys } as const;
  });
}

/** The spec string of a hierarchy (inverse of parseHierarchy). */
export function formatHierarchy(levels: readonly Level[]): string {
  return levels.map((l) => (l.kind === 'label' ? l.keys.join('|') : l.kind)).join(',');
}

export const DEFAULT_HIERARCHY: readonly Level[] = parseHierarchy(DEFAULT_HIERARCHY_SPEC);

/** Display name of a level: "namespace", "node", or its first label key. */
export function levelName(level: Level): string {
  return level.kind === 'label' ? level.keys[0] : level.kind;
}

/** The group a pod falls in at a level, or undefined when it lacks every key. */
export function levelValue(pod: Pod, level: Level): string | undefined {
  switch (level.kind) {
    case 'namespace':
      return pod.metadata.namespace || undefined;
    case 'node':
      return pod.spec?.nodeName || undefined;
    case 'label': {
      const labels = pod.metadata.labels;
      if (!labels) return undefined;
      for (const k of level.keys) {
        const v = labels[k];
        if (v !== undefined) return v;
      }
      return undefined;
    }
  }
}

/** Label of the group of pods lacking a level: "(no app.kubernetes.io/name)". */
export function missingGroupLabel(level: Level): string {
  return `(no ${levelName(level)})`;
}

const NO_METRICS = PodMetricsTable.EMPTY;

// ---- per pod -------------------------------------------------------------------------------

export interface Usage {
  cpu: bigint;
  memory: bigint;
}

export interface PodUsage extends Usage {
  containers: Map<string, Usage>;
}

/** Everything the tree needs from one pod, computed once per event. */
export interface PodSummary {
  key: string;
  namespace: string;
  name: string;
  node: string;
  phase: string;
  /** kubectl STATUS. */
  status: string;
  problem: PodProblem;
  ready: boolean;
  readyContainers: number;
  totalContainers: number;
  restarts: number;
  /** Requests/limits count only for pods that hold node resources (not Succeeded/Failed). */
  cpuRequests: bigint;
  cpuLimits: bigint;
  memoryRequests: bigint;
  memoryLimits: bigint;
  usage?: PodUsage;
  /** The metrics table `usage` was computed from (identity: is this summary still current?). */
  metrics?: PodMetricsTable;
  /** Group value per level ("(no key)" label for missing ones) and which were missing. */
  path: string[];
  missing: boolean[];
  pod: Pod;
}

// One copy of each group path (and its missing flags): the pods of a group share it rather
// than each holding two arrays (~150 B a pod). Read-only. Bounded like kube/lean.ts's tables.
const PATHS_MAX = 50_000;
const paths = new Map<string, { path: string[]; missing: boolean[] }>();

// The last path made for a labels object, with what else it was made from. Pods that share a
// label set share one labels object (lean.ts), and a pod a watch event changed keeps its held
// version's when its labels did not change (adoptEqual): the pods tree summarizes both
// versions of every changed pod, and this spares both the arrays and the joined key below
// (~330 B each time, ~1 MB/s at 2,000 events/s).
const lastPathOf = new WeakMap<object, { levels: readonly Level[]; namespace: string | undefined; node: string | undefined; shared: { path: string[]; missing: boolean[] } }>();

function podPath(pod: Pod, levels: readonly Level[]): { path: string[]; missing: boolean[] } {
  const labels = pod.metadata.labels;
  const namespace = pod.metadata.namespace;
  const node = pod.spec?.nodeName;
  const last = labels && lastPathOf.get(labels);
  if (last && last.levels === levels && last.namespace === namespace && last.node === node) return last.shared;
  const shared = podPathShared(pod, levels);
  if (labels) lastPathOf.set(labels, { levels, namespace, node, shared });
  return shared;
}

function podPathShared(pod: Pod, levels: readonly Level[]): { path: string[]; missing: boolean[] } {
  // Arrays of the exact size (a push-grown one takes room for 17).
  const values = levels.map((l) => levelValue(pod, l));
  const path = values.map((v, i) => v ?? missingGroupLabel(levels[i]));
  const missing = values.map((v) => v === undefined);
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) parts.push(missing[i] ? '\u0001' : '\u0000', path[i]);
  // One flat string (kept as the map's key: pieces joined with + would be kept as pieces).
  const key = parts.join('');
  const old = paths.get(key);
  if (old) return old;
  if (paths.size >= PATHS_MAX) paths.clear();
  const fresh = { path, missing };
  paths.set(key, fresh);
  return fresh;
}

export function summarizePod(pod: Pod, levels: readonly Level[], usage?: PodUsage, key = objectKey(pod)): PodSummary {
  const st = podDisplayStatus(pod);
  // Pending pods (scheduled or not) will need their requests; finished ones hold nothing.
  const holds = !isTerminatedPhase(st.phase);
  // Shared with the pod's replicas (allocation.ts), so the BigInts below are too.
  const res = holds ? podResources(pod) : undefined;
  const { path, missing } = podPath(pod, levels);
  return {
    key,
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name,
    node: pod.spec?.nodeName ?? '',
    phase: st.phase,
    status: st.reason,
    problem: podProblem(st.reason),
    ready: st.ready,
    readyContainers: st.readyContainers,
    totalContainers: st.totalContainers,
    restarts: st.restarts,
    cpuRequests: res?.requests.get('cpu')?.nano ?? 0n,
    cpuLimits: res?.limits.get('cpu')?.nano ?? 0n,
    memoryRequests: res?.requests.get('memory')?.nano ?? 0n,
    memoryLimits: res?.limits.get('memory')?.nano ?? 0n,
    usage,
    path,
    missing,
    pod,
  };
}

/** A pod's usage in a metrics table (sum over containers, nano units); undefined without. */
export function podUsageFromMetrics(table: PodMetricsTable, key: string): PodUsage | undefined {
  const slot = table.slotOf(key);
  const names = table.containersAt(slot);
  if (!names) return undefined;
  const containers = new Map<string, Usage>();
  let cpu = 0n, memory = 0n;
  for (let i = 0; i < names.length; i++) {
    const u = { cpu: BigInt(table.containerAt(slot, i, 0)), memory: BigInt(table.containerAt(slot, i, 1)) * NANO_PER_UNIT };
    containers.set(names[i]!, u);
    cpu += u.cpu;
    memory += u.memory;
  }
  return { cpu, memory, containers };
}

// ---- roll-ups ------------------------------------------------------------------------------

export interface Rollup {
  pods: number;
  /** Pods whose Ready condition is True. */
  readyPods: number;
  /** Pods not ready and not Succeeded (a finished Job pod is not a problem). */
  notReady: number;
  readyContainers: number;
  totalContainers: number;
  /** Pods by status.phase. */
  phases: Record<string, number>;
  crashLoop: number;
  imagePull: number;
  pending: number;
  restarts: number;
  cpuRequests: bigint;
  cpuLimits: bigint;
  memoryRequests: bigint;
  memoryLimits: bigint;
  /**
   * Usage sums over the pods that have metrics (podsWithUsage of them): nanocores and bytes as
   * plain numbers, moved on every poll for every pod (BigInts cost an allocation per add).
   * Exact: integers far below 2^53 (5,000 nodes: ~3e14 nanocores, ~5e15 bytes).
   */
  cpuUsageNanocores: number;
  memoryUsageBytes: number;
  /** The same in nano units, as requests and limits (for display). */
  readonly cpuUsage: bigint;
  readonly memoryUsage: bigint;
  podsWithUsage: number;
}

/** A Rollup (a class for the usage getters: on the prototype, not on each group). */
class Counts implements Rollup {
  pods = 0; readyPods = 0; notReady = 0; readyContainers = 0; totalContainers = 0;
  phases: Record<string, number> = {};
  crashLoop = 0; imagePull = 0; pending = 0; restarts = 0;
  cpuRequests = 0n; cpuLimits = 0n; memoryRequests = 0n; memoryLimits = 0n;
  cpuUsageNanocores = 0; memoryUsageBytes = 0; podsWithUsage = 0;
  get cpuUsage(): bigint {
    return BigInt(this.cpuUsageNanocores);
  }
  get memoryUsage(): bigint {
    return BigInt(this.memoryUsageBytes) * NANO_PER_UNIT;
  }
}

export function emptyRollup(): Rollup {
  return new Counts();
}

function isNotReady(p: PodSummary): boolean {
  return !p.ready && p.phase !== 'Succeeded';
}

/** Add (sign 1) or remove (sign -1) one pod's figures. */
export function applyToRollup(r: Rollup, p: PodSummary, sign: 1 | -1, requests = true): void {
  r.pods += sign;
  if (p.ready) r.readyPods += sign;
  if (isNotReady(p)) r.notReady += sign;
  r.readyContainers += sign * p.readyContainers;
  r.totalContainers += sign * p.totalContainers;
  const ph = (r.phases[p.phase] ?? 0) + sign;
  if (ph === 0) delete r.phases[p.phase];
  else r.phases[p.phase] = ph;
  if (p.problem === 'CrashLoopBackOff') r.crashLoop += sign;
  if (p.problem === 'ImagePullBackOff') r.imagePull += sign;
  if (p.phase === 'Pending') r.pending += sign;
  r.restarts += sign * p.restarts;
  if (requests) {
    // Each BigInt sum is a new heap object, kept by the roll-up until its next change.
    const b = BigInt(sign);
    r.cpuRequests += b * p.cpuRequests;
    r.cpuLimits += b * p.cpuLimits;
    r.memoryRequests += b * p.memoryRequests;
    r.memoryLimits += b * p.memoryLimits;
  }
  if (p.usage) {
    // One pod's figures: exact as numbers (whole bytes: metrics come in bytes).
    r.cpuUsageNanocores += sign * Number(p.usage.cpu);
    r.memoryUsageBytes += sign * Number(p.usage.memory / NANO_PER_UNIT);
    r.podsWithUsage += sign;
  }
}

// ---- tree ----------------------------------------------------------------------------------

export type SortMode = 'name' | 'worst';

export interface GroupNode {
  /** Path id: values joined by U+001F. Stable while the group exists (and after it returns). */
  id: string;
  /** 0 for top-level groups. */
  depth: number;
  value: string;
  /** The "(no key)" group. */
  missing: boolean;
  parent?: GroupNode;
  children: Map<string, GroupNode>;
  /** Pods, on groups of the last level only: in name order once `podsSorted` (sorted on
   *  first need, kept in order after). */
  pods: Pod[];
  podsSorted: boolean;
  rollup: Rollup;
  /** Lazily sorted children (null = needs sorting); kept in order once sorted. */
  sortedChildren: GroupNode[] | null;
  /** Pods worst first (that order only), built on first need, kept in order after. */
  sortedPods: Pod[] | null;
  /** Rows shown under this group when it is open (its own row excluded), open or not. */
  below: number;
  /** Container rows of all its pods (last level only): `below` after expandToDepth in O(1). */
  containerSum: number;
}

export interface ContainerInfo {
  name: string;
  init: boolean;
  sidecar: boolean;
  ready: boolean;
  restarts: number;
  state: string;
  cpuRequests: bigint;
  cpuLimits: bigint;
  memoryRequests: bigint;
  memoryLimits: bigint;
  usage?: Usage;
}

export type TreeRow =
  | { type: 'group'; id: string; depth: number; expanded: boolean; group: GroupNode; levelName: string }
  | { type: 'pod'; id: string; depth: number; expanded: boolean; pod: PodSummary }
  | { type: 'container'; id: string; depth: number; pod: PodSummary; container: ContainerInfo };

const SEP = '\u001f';
const POD_SEP = '\u001e';
const CONTAINER_SEP = '\u001d';

// A leaf group has no children and a group above the leaves no pods: they share these (never
// written: attach adds children to groups above the leaves only, pods to leaves only).
const NO_CHILDREN: Map<string, GroupNode> = new Map();
const NO_PODS: Pod[] = [];

function newGroup(id: string, depth: number, value: string, missing: boolean, leaf: boolean, parent?: GroupNode): GroupNode {
  return { id, depth, value, missing, parent, children: leaf ? NO_CHILDREN : new Map(), pods: leaf ? [] : NO_PODS, podsSorted: false, rollup: emptyRollup(), sortedChildren: null, sortedPods: null, below: 0, containerSum: 0 };
}

/** Rows a pod's containers take when it is open (as many as containersOf lists). */
function containerCount(p: Pod): number {
  return (p.spec?.initContainers?.length ?? 0) + (p.spec?.containers?.length ?? 0);
}

/** Name order of pods (then namespace, for a hierarchy without a namespace level). */
function byName(a: Pod, b: Pod): number {
  return cmpStr(a.metadata.name, b.metadata.name) || cmpStr(a.metadata.namespace ?? '', b.metadata.namespace ?? '');
}

/** Summaries kept for the pods last shown or sorted worst-first, by object. */
const SUMMARIES_MAX = 1024;

/** First index whose element does not sort before x (arr sorted by cmp). */
function lowerBound<T>(arr: readonly T[], x: T, cmp: (a: T, b: T) => number): number {
  let lo = 0, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(arr[mid], x) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpGroups(mode: SortMode) {
  return (a: GroupNode, b: GroupNode): number => {
    if (mode === 'worst') {
      const d = b.rollup.crashLoop - a.rollup.crashLoop || b.rollup.notReady - a.rollup.notReady || b.rollup.restarts - a.rollup.restarts;
      if (d) return d;
    }
    // "(no key)" groups after the named ones.
    if (a.missing !== b.missing) return a.missing ? 1 : -1;
    return cmpStr(a.value, b.value);
  };
}

function cmpPods(mode: SortMode) {
  return (a: PodSummary, b: PodSummary): number => {
    if (mode === 'worst') {
      const d =
        Number(b.problem === 'CrashLoopBackOff') - Number(a.problem === 'CrashLoopBackOff') ||
        Number(isNotReady(b)) - Number(isNotReady(a)) ||
        b.restarts - a.restarts;
      if (d) return d;
    }
    return cmpStr(a.name, b.name) || cmpStr(a.namespace, b.namespace);
  };
}

export interface ConventionsRow {
  namespace: string;
  pods: number;
  /** One entry per label level of the hierarchy. */
  levels: { level: string; missing: number; share: number }[];
}

export interface LabelTreeOptions {
  sort?: SortMode;
  /** Groups (and pods) with depth < expandDepth start expanded. Default 1. */
  expandDepth?: number;
}

/**
 * A metrics poll being applied (startPodMetrics, then stepPodMetrics): every pod held is
 * visited once, in podIndex order, and its usage moved in the roll-ups to the figures of `to`.
 * Meanwhile a pod counts `to` if the pass moved it, else `LabelTree.counted`: watch events
 * take out and put back what their pod counts.
 */
interface MetricsPass {
  to: PodMetricsTable;
  /** A live iterator: pods added meanwhile (or removed and added back) come at its end. */
  pods: Iterator<[string, Pod]>;
  moved: MovedPods;
}

/**
 * The pods a pass moved, as a flag per slot of the table they counted (`from`) and of the one
 * they count now (`to`). A pod with metrics in neither counts nothing either way, so it needs
 * no flag. A Set of the moved pods' keys was ~5 MB at 150,000 pods, built anew each poll (a
 * sampling heap profile under churn); these are 1 byte a pod.
 */
class MovedPods {
  private readonly inFrom: Uint8Array;
  private readonly inTo: Uint8Array;

  constructor(
    private readonly from: PodMetricsTable,
    private readonly to: PodMetricsTable,
  ) {
    this.inFrom = new Uint8Array(from.size);
    this.inTo = new Uint8Array(to.size);
  }

  /** The pod in slot `fromSlot` of `from` and `toSlot` of `to` (-1: none there) was moved. */
  add(fromSlot: number, toSlot: number): void {
    if (fromSlot >= 0) this.inFrom[fromSlot] = 1;
    if (toSlot >= 0) this.inTo[toSlot] = 1;
  }

  has(key: string): boolean {
    const t = this.to.slotOf(key);
    if (t >= 0) return this.inTo[t] === 1;
    const f = this.from.slotOf(key);
    return f >= 0 && this.inFrom[f] === 1;
  }

  delete(key: string): void {
    const t = this.to.slotOf(key);
    if (t >= 0) this.inTo[t] = 0;
    const f = this.from.slotOf(key);
    if (f >= 0) this.inFrom[f] = 0;
  }
}

/**
 * The grouped-pods tree. Feed it watch events (addOrUpdatePod / removePod) and metrics
 * (applyPodMetrics, or startPodMetrics + stepPodMetrics in slices); read `visibleRows()`.
 * Equal to a tree built from scratch on the same pods (see `snapshot()`).
 */
export class LabelTree {
  readonly root: GroupNode;
  /** Pods by key (the caller's key string is kept: the store's, no copy). A metrics pass walks
   *  it: its table is replaced (ChurnMap) only between passes. */
  private podIndex = new ChurnMap<string, Pod>(() => this.pass === undefined);
  /** The pod metrics the roll-ups count (the store's table), but for the pods a pass moved
   *  already; a summary computes its pod's usage from what it counts. */
  private counted: PodMetricsTable = NO_METRICS;
  /** The last metrics given: what every pod counts once the passes are done. */
  private target: PodMetricsTable = NO_METRICS;
  private pass: MetricsPass | undefined;
  /** "(no key)" group label per level (a pass looks groups up by value, not by path). */
  private missingLabels: string[];
  private summaries = new Map<Pod, PodSummary>();
  private sortMode: SortMode;
  private depthLimit: number;
  private overrides = new Map<string, boolean>();
  private flat: TreeRow[] | null = null;
  private conv = new Map<string, { pods: number; missing: number[] }>();
  private labelLevelIdx: number[];
  version = 0;
  /**
   * Work counter for tests (never timed): tree nodes and sorted-list slots touched by events,
   * row queries and sorting. A test resets it, does one event and one window, and bounds it.
   */
  nodesVisited = 0;

  constructor(readonly levels: readonly Level[] = DEFAULT_HIERARCHY, pods: Iterable<Pod> = [], opts: LabelTreeOptions = {}) {
    this.root = newGroup('', -1, '', false, levels.length === 0);
    this.sortMode = opts.sort ?? 'name';
    this.depthLimit = opts.expandDepth ?? 1;
    this.labelLevelIdx = levels.flatMap((l, i) => (l.kind === 'label' ? [i] : []));
    this.missingLabels = levels.map(missingGroupLabel);
    for (const p of pods) this.addOrUpdatePod(p);
  }

  get size(): number {
    return this.podIndex.size;
  }

  /** Summaries kept (tests: watch events keep none). */
  get keptSummaries(): number {
    return this.summaries.size;
  }

  get sort(): SortMode {
    return this.sortMode;
  }

  /** A pod's summary (computed from its object; the same object while nothing changed). */
  pod(key: string): PodSummary | undefined {
    const p = this.podIndex.get(key);
    return p && this.summary(key, p, true);
  }

  /** The pod object the tree holds for a key. */
  podObject(key: string): Pod | undefined {
    return this.podIndex.get(key);
  }

  /** Keys of the pods held (the caller's strings). */
  keys(): IterableIterator<string> {
    return this.podIndex.map.keys();
  }

  private changed(): void {
    this.flat = null;
    this.version++;
  }

  /**
   * The summary of a pod held (or about to be), with the usage the roll-ups count for it.
   * `keep`: kept with the last thousand kept, so that the rows of a window are the same objects
   * until their pod or its metrics change. Watch events do not keep theirs: under 2,000 events/s
   * the kept ones lived just long enough to be moved to V8's old generation, then died there
   * (~40 % of all that survived young collections at 150,000 pods).
   */
  private summary(key: string, pod: Pod, keep = false): PodSummary {
    return this.summaryWith(key, pod, this.metricsOf(key), keep);
  }

  /** The metrics table the roll-ups count for a pod key (of a pod held or about to be). */
  private metricsOf(key: string): PodMetricsTable {
    const pass = this.pass;
    return pass?.moved.has(key) ? pass.to : this.counted;
  }

  private summaryWith(key: string, pod: Pod, metrics: PodMetricsTable, keep: boolean): PodSummary {
    const kept = this.summaries.get(pod);
    if (kept && kept.metrics === metrics && kept.key === key) return kept;
    const s = summarizePod(pod, this.levels, podUsageFromMetrics(metrics, key), key);
    s.metrics = metrics;
    if (keep) {
      if (this.summaries.size >= SUMMARIES_MAX) this.summaries.clear();
      this.summaries.set(pod, s);
    }
    return s;
  }

  private keyOf(p: Pod): string {
    return objectKey(p);
  }

  /** Watch ADDED / MODIFIED: O(depth). `key`: the pod's store key (objectKey). */
  addOrUpdatePod(pod: Pod, key = objectKey(pod)): void {
    const oldPod = this.podIndex.get(key);
    if (oldPod === pod) return;
    const next = this.summary(key, pod);
    if (oldPod) {
      const old = this.summary(key, oldPod);
      if (old.path === next.path || old.path.join(SEP) === next.path.join(SEP)) this.replaceInPlace(old, next);
      else {
        this.detach(old);
        this.podIndex.set(key, pod);
        this.attach(next);
      }
    } else {
      this.podIndex.set(key, pod);
      this.attach(next);
    }
    this.changed();
  }

  /** Watch DELETED. */
  removePod(key: string): void {
    const old = this.podIndex.get(key);
    if (!old) return;
    this.detach(this.summary(key, old));
    this.podIndex.delete(key);
    // Added back, it counts `counted` again until the pass visits it (it comes last then).
    this.pass?.moved.delete(key);
    this.changed();
  }

  /**
   * Replace all pod metrics (a poll result: the store's table, kept by reference; undefined =
   * metrics not served), at once. Pods whose figures changed move their roll-ups to the new ones.
   */
  applyPodMetrics(metrics: PodMetricsTable | undefined): void {
    this.startPodMetrics(metrics);
    this.stepPodMetrics(Infinity);
  }

  /**
   * Replace all pod metrics in slices: `stepPodMetrics` moves the pods' usage to these (every
   * pod's figures change on each poll: ~1 µs a pod). Meanwhile the roll-ups count some pods'
   * old figures, and watch events and later polls may come: at the end they count the last.
   */
  startPodMetrics(metrics: PodMetricsTable | undefined): void {
    this.target = metrics ?? NO_METRICS;
    // During a pass, the next one starts when it ends (a poll does not wait long behind it).
    if (!this.pass) this.startPass();
  }

  private startPass(): void {
    if (this.target !== this.counted) this.pass = { to: this.target, pods: this.podIndex.map.entries(), moved: new MovedPods(this.counted, this.target) };
  }

  /** Whether the roll-ups do not count the last metrics yet (stepPodMetrics goes on). */
  get applyingMetrics(): boolean {
    return this.pass !== undefined;
  }

  /** Go on moving usage to the last metrics for about `budgetMs`; true when done (or none to do). */
  stepPodMetrics(budgetMs = Infinity): boolean {
    const deadline = budgetMs === Infinity ? Infinity : performance.now() + budgetMs;
    let moved = false;
    // Check the clock every 64 pods (~1 µs a pod; a 0 ms budget: a slice of 64, for tests).
    for (let n = 1, pass = this.pass; pass; n++) {
      const r = pass.pods.next();
      if (r.done) {
        // Every pod held counts `to` now (or the same figures).
        this.counted = pass.to;
        this.pass = undefined;
        this.startPass();
        pass = this.pass;
        continue;
      }
      const [key, pod] = r.value;
      // Not moved yet: the iterator sees a key once (and one removed and added back is unmoved).
      const from = this.counted;
      const a = from.slotOf(key);
      const b = from.sharesSlots(pass.to) ? a : pass.to.slotOf(key);
      if (!from.sameAt(a, pass.to, b)) {
        this.moveUsage(pod, pass.to.cpuAt(b) - from.cpuAt(a), pass.to.memoryAt(b) - from.memoryAt(a), (pass.to.hasAt(b) ? 1 : 0) - (from.hasAt(a) ? 1 : 0));
        pass.moved.add(a, b);
        moved = true;
      }
      if ((n & 63) === 0 && performance.now() >= deadline) break;
    }
    if (moved) this.changed();
    return this.pass === undefined;
  }

  /**
   * Move a pod's usage in its groups' roll-ups. Only the usage sums change (no order depends on
   * them), so no summary is built, and the groups are found from the pod's values (podPath
   * builds its key string: a poll of 150,000 pods would build as many).
   */
  private moveUsage(pod: Pod, dCpu: number, dBytes: number, dPods: number): void {
    let g = this.root;
    for (let i = 0; ; i++) {
      const r = g.rollup;
      r.cpuUsageNanocores += dCpu;
      r.memoryUsageBytes += dBytes;
      r.podsWithUsage += dPods;
      if (i === this.levels.length) return;
      g = g.children.get(levelValue(pod, this.levels[i]) ?? this.missingLabels[i])!;
    }
  }

  private attach(p: PodSummary): void {
    let g = this.root;
    applyToRollup(g.rollup, p, 1);
    for (let i = 0; i < p.path.length; i++) {
      const v = p.path[i];
      let c = g.children.get(v);
      const created = !c;
      if (!c) {
        // The id as one flat string (not two pieces and the parent's id: kept per group).
        c = newGroup(i === 0 ? v : [g.id, v].join(SEP), i, v, p.missing[i], i === p.path.length - 1, g);
        g.children.set(v, c);
      }
      applyToRollup(c.rollup, p, 1);
      if (created) {
        this.placeChild(g, c, false);
        this.bump(g, 1); // its own row (nothing under it yet)
      } else if (this.sortMode === 'worst') {
        this.placeChild(g, c, true);
      }
      g = c;
    }
    g.containerSum += containerCount(p.pod);
    this.placePod(g, undefined, p.pod);
    this.bump(g, this.podRows(g, p.pod, p.key));
    this.convApply(p, 1);
  }

  private chainOf(p: PodSummary): GroupNode[] {
    const chain: GroupNode[] = [this.root];
    for (const v of p.path) chain.push(chain[chain.length - 1].children.get(v)!);
    return chain;
  }

  /** A modify that keeps the pod in the same groups: no structural change, and in name order
   *  the leaf's sorted list stays valid (the new object takes the old one's slot). */
  private replaceInPlace(old: PodSummary, next: PodSummary): void {
    const chain = this.chainOf(old);
    // Most events change a pod's status, not its requests: its groups' BigInt sums then stay
    // the same objects. Made anew on every event, the sums of the lower groups lived until
    // those groups' next event, long enough to reach V8's old generation and die there.
    const requests = old.cpuRequests !== next.cpuRequests || old.cpuLimits !== next.cpuLimits || old.memoryRequests !== next.memoryRequests || old.memoryLimits !== next.memoryLimits;
    for (let i = 0; i < chain.length; i++) {
      applyToRollup(chain[i].rollup, old, -1, requests);
      applyToRollup(chain[i].rollup, next, 1, requests);
      if (i > 0 && this.sortMode === 'worst') this.placeChild(chain[i - 1], chain[i], true);
    }
    const leaf = chain[chain.length - 1];
    const before = this.podRows(leaf, old.pod, old.key);
    leaf.containerSum += containerCount(next.pod) - containerCount(old.pod);
    if (old.pod !== next.pod) this.placePod(leaf, old.pod, next.pod);
    this.podIndex.set(next.key, next.pod);
    this.bump(leaf, this.podRows(leaf, next.pod, next.key) - before);
    this.convApply(old, -1);
    this.convApply(next, 1);
  }

  /** Remove a pod's figures along its path; prune empty groups. */
  private detach(p: PodSummary): void {
    const chain = this.chainOf(p);
    for (const g of chain) applyToRollup(g.rollup, p, -1);
    const leaf = chain[chain.length - 1];
    this.bump(leaf, -this.podRows(leaf, p.pod, p.key));
    leaf.containerSum -= containerCount(p.pod);
    this.placePod(leaf, p.pod, undefined);
    for (let i = chain.length - 1; i >= 1; i--) {
      const g = chain[i];
      const parent = chain[i - 1];
      if (g.rollup.pods === 0) {
        parent.children.delete(g.value);
        this.placeChild(parent, g, true, false);
        this.bump(parent, -this.rowsOf(g));
      } else if (this.sortMode === 'worst') {
        this.placeChild(parent, g, true);
      }
    }
    this.convApply(p, -1);
  }

  // ---- sorted lists, kept in order once built ----------------------------------------------

  /** Put child c of g in place in g's sorted list (if built): taken out if `present` (its
   *  sort key may have changed: worst-first order), put back unless `keep` is false. */
  private placeChild(g: GroupNode, c: GroupNode, present: boolean, keep = true): void {
    const arr = g.sortedChildren;
    if (!arr) return;
    if (present) {
      // Its roll-up already changed, so it cannot be binary-searched: a native scan.
      const i = arr.indexOf(c);
      this.nodesVisited += i < 0 ? arr.length : i + 1;
      if (i >= 0) arr.splice(i, 1);
    }
    if (keep) {
      arr.splice(lowerBound(arr, c, cmpGroups(this.sortMode)), 0, c);
      this.nodesVisited += Math.ceil(Math.log2(arr.length + 1));
    }
  }

  /** Worst-first order of pods (their summaries': kept for the last ones compared). */
  private readonly byWorst = (a: Pod, b: Pod): number => cmpPods('worst')(this.summary(this.keyOf(a), a, true), this.summary(this.keyOf(b), b, true));

  /** Where pod p is in a sorted list (-1: not there). */
  private find(arr: readonly Pod[], p: Pod, cmp: (a: Pod, b: Pod) => number): number {
    const i = lowerBound(arr, p, cmp);
    return arr[i] === p ? i : arr.indexOf(p);
  }

  /** Replace `old` by `next` in a leaf's lists; either may be absent. Pod objects never
   *  change, so `old` is still where its own fields say. */
  private placePod(leaf: GroupNode, old: Pod | undefined, next: Pod | undefined): void {
    // The name-ordered list: sorted before a removal from a long one (a binary search then).
    if (old && !leaf.podsSorted && leaf.pods.length > 16) this.sortLeaf(leaf);
    const pods = leaf.pods;
    this.nodesVisited += Math.ceil(Math.log2(pods.length + 1));
    if (old) {
      const i = leaf.podsSorted ? this.find(pods, old, byName) : pods.indexOf(old);
      if (i >= 0 && next && leaf.podsSorted) pods[i] = next; // same key, same name: same place
      else {
        if (i >= 0) pods.splice(i, 1);
        if (next) pods.push(next);
      }
    } else if (next) {
      if (leaf.podsSorted) pods.splice(lowerBound(pods, next, byName), 0, next);
      else pods.push(next);
    }
    // The worst-first list, when built.
    const arr = leaf.sortedPods;
    if (!arr) return;
    this.nodesVisited += 2 * Math.ceil(Math.log2(arr.length + 1));
    if (old) {
      const i = this.find(arr, old, this.byWorst);
      if (i >= 0 && next && this.byWorst(old, next) === 0) {
        arr[i] = next; // an unchanged worst-first key: same place
        return;
      }
      if (i >= 0) arr.splice(i, 1);
    }
    if (next) arr.splice(lowerBound(arr, next, this.byWorst), 0, next);
  }

  private sortLeaf(g: GroupNode): void {
    if (g.podsSorted) return;
    g.pods = g.pods.sort(byName).slice(); // and no room left over from growing it
    g.podsSorted = true;
    this.nodesVisited += g.pods.length;
  }

  private convApply(p: PodSummary, sign: 1 | -1): void {
    let c = this.conv.get(p.namespace);
    if (!c) this.conv.set(p.namespace, (c = { pods: 0, missing: this.labelLevelIdx.map(() => 0) }));
    c.pods += sign;
    this.labelLevelIdx.forEach((li, j) => {
      if (p.missing[li]) c!.missing[j] += sign;
    });
    if (c.pods === 0) this.conv.delete(p.namespace);
  }

  // ---- ordering --------------------------------------------------------------------------

  setSort(mode: SortMode): void {
    if (mode === this.sortMode) return;
    this.sortMode = mode;
    const walk = (g: GroupNode) => {
      g.sortedChildren = null;
      g.sortedPods = null;
      for (const c of g.children.values()) walk(c);
    };
    walk(this.root);
    this.changed();
  }

  /** Children of a group in display order (sorted on first use after a change). */
  childrenOf(g: GroupNode): GroupNode[] {
    if (!g.sortedChildren) {
      g.sortedChildren = [...g.children.values()].sort(cmpGroups(this.sortMode));
      this.nodesVisited += g.sortedChildren.length;
    }
    return g.sortedChildren;
  }

  /** Pods of a leaf group in display order (sorted on first use). */
  podsOf(g: GroupNode): readonly Pod[] {
    if (this.sortMode === 'name') {
      this.sortLeaf(g);
      return g.pods;
    }
    if (!g.sortedPods) {
      // Each pod summarized once for the sort, not once per comparison.
      const keyed = g.pods.map((p) => this.summary(this.keyOf(p), p, true));
      keyed.sort(cmpPods('worst'));
      g.sortedPods = keyed.map((s) => s.pod);
      this.nodesVisited += g.sortedPods.length;
    }
    return g.sortedPods;
  }

  // ---- expand / collapse -----------------------------------------------------------------

  isExpanded(id: string, depth: number): boolean {
    return this.overrides.get(id) ?? depth < this.depthLimit;
  }

  setExpanded(id: string, depth: number, expanded: boolean): void {
    const was = this.isExpanded(id, depth);
    if (expanded === depth < this.depthLimit) this.overrides.delete(id);
    else this.overrides.set(id, expanded);
    if (was !== expanded) this.countExpansion(id, depth, expanded);
    this.changed();
  }

  toggle(row: TreeRow): void {
    if (row.type === 'container') return;
    this.setExpanded(row.id, row.depth, !row.expanded);
  }

  /** Expand every group (pods stay collapsed). */
  expandAll(): void {
    this.expandToDepth(this.levels.length);
  }

  collapseAll(): void {
    this.expandToDepth(0);
  }

  /** Expand groups with depth < d, collapse the rest (d = levels + 1 also opens pods). A no-op
   *  (no recount, no version bump) when the depth is unchanged and no group or pod was opened
   *  or closed since: the row counts kept up to date are already those of that depth. */
  expandToDepth(d: number): void {
    if (d === this.depthLimit && this.overrides.size === 0) return;
    this.depthLimit = d;
    this.overrides.clear();
    this.recount(this.root);
    this.changed();
  }

  // ---- visible-row counts ----------------------------------------------------------------

  /** Rows a child group takes in its parent's listing: its own, and what is under it if open. */
  private rowsOf(c: GroupNode): number {
    return 1 + (this.isExpanded(c.id, c.depth) ? c.below : 0);
  }

  /** Rows a pod takes in its leaf group's listing (`key`: its key, when the caller has it). */
  private podRows(leaf: GroupNode, p: Pod, key?: string): number {
    const depth = this.levels.length;
    const open = this.overrides.size === 0 ? depth < this.depthLimit : this.isExpanded(leaf.id + POD_SEP + (key ?? this.keyOf(p)), depth);
    return 1 + (open ? containerCount(p) : 0);
  }

  /** The pod of this key if it is in leaf group g. */
  private podIn(g: GroupNode, key: string): Pod | undefined {
    const p = this.podIndex.get(key);
    if (!p) return undefined;
    const path = podPath(p, this.levels).path;
    return this.group(path) === g ? p : undefined;
  }

  /** The rows under g changed by delta: carry it up while the groups on the way are open. */
  private bump(g: GroupNode, delta: number): void {
    if (delta === 0) return;
    for (let x: GroupNode | undefined = g; x; x = x.parent) {
      this.nodesVisited++;
      x.below += delta;
      if (!this.isExpanded(x.id, x.depth)) return;
    }
  }

  /** A group (depth < levels) or a pod (depth = levels) just opened or closed. */
  private countExpansion(id: string, depth: number, expanded: boolean): void {
    const podDepth = this.levels.length;
    if (depth < podDepth) {
      const g = this.groupAt(id, depth);
      if (g) this.bump(g.parent!, expanded ? g.below : -g.below);
    } else if (depth === podDepth) {
      const cut = id.indexOf(POD_SEP);
      const leaf = cut < 0 ? undefined : this.groupAt(id.slice(0, cut), depth - 1);
      const p = leaf && this.podIn(leaf, id.slice(cut + 1));
      if (leaf && p) this.bump(leaf, expanded ? containerCount(p) : -containerCount(p));
    }
  }

  /** The group with this id at this depth (-1: the root). */
  private groupAt(id: string, depth: number): GroupNode | undefined {
    if (depth < 0) return this.root;
    const path = id.split(SEP);
    return path.length === depth + 1 ? this.group(path) : undefined;
  }

  /** Recompute `below` everywhere (expansion changed wholesale): O(groups), and O(pods) only
   *  for leaves whose pods have their own expansion state. */
  private recount(g: GroupNode): number {
    this.nodesVisited++;
    if (g.depth === this.levels.length - 1) {
      if (this.overrides.size === 0) g.below = g.pods.length + (this.levels.length < this.depthLimit ? g.containerSum : 0);
      else {
        g.below = 0;
        for (const p of g.pods) g.below += this.podRows(g, p);
      }
      return g.below;
    }
    g.below = 0;
    for (const c of g.children.values()) {
      const n = this.recount(c);
      g.below += 1 + (this.isExpanded(c.id, c.depth) ? n : 0);
    }
    return g.below;
  }

  // ---- rows ------------------------------------------------------------------------------

  private groupRow(c: GroupNode, expanded: boolean): TreeRow {
    return { type: 'group', id: c.id, depth: c.depth, expanded, group: c, levelName: levelName(this.levels[c.depth]) };
  }

  /** How many rows a view shows (groups, and children of open groups only). O(1). */
  visibleCount(): number {
    return this.root.below;
  }

  /**
   * Rows [start, start + count) of the visible rows, found by walking down with the per-group
   * row counts: O(depth x fan-out + count), whatever the number of visible rows.
   */
  rowsInWindow(start: number, count: number): TreeRow[] {
    const out: TreeRow[] = [];
    start = Math.max(0, Math.floor(start));
    if (count <= 0 || start >= this.root.below) return out;
    this.collect(this.root, start, out, Math.min(count, this.root.below - start));
    return out;
  }

  /** The row at an index of the visible rows (undefined out of range). */
  rowAt(index: number): TreeRow | undefined {
    return index < 0 ? undefined : this.rowsInWindow(index, 1)[0];
  }

  /** Append the rows under the open group g, skipping the first `skip`, until out holds `limit`. */
  private collect(g: GroupNode, skip: number, out: TreeRow[], limit: number): void {
    const podDepth = this.levels.length;
    if (g.depth + 1 < podDepth) {
      for (const c of this.childrenOf(g)) {
        if (out.length >= limit) return;
        this.nodesVisited++;
        const expanded = this.isExpanded(c.id, c.depth);
        const size = 1 + (expanded ? c.below : 0);
        if (skip >= size) {
          skip -= size; // the whole subtree is above the window
          continue;
        }
        if (skip === 0) out.push(this.groupRow(c, expanded));
        else skip--;
        if (expanded) this.collect(c, skip, out, limit);
        skip = 0;
      }
      return;
    }
    const pods = this.podsOf(g);
    let i = 0;
    // No container rows under this group: one row per pod, so index straight in.
    if (g.below === pods.length) [i, skip] = [skip, 0];
    for (; i < pods.length && out.length < limit; i++) {
      this.nodesVisited++;
      const p = pods[i];
      const key = this.keyOf(p);
      const id = g.id + POD_SEP + key;
      const expanded = this.isExpanded(id, podDepth);
      const n = expanded ? containerCount(p) : 0;
      if (skip > n) {
        skip -= 1 + n;
        continue;
      }
      const s = this.summary(key, p, true);
      if (skip === 0) out.push({ type: 'pod', id, depth: podDepth, expanded, pod: s });
      else skip--;
      if (n) {
        const cs = containersOf(s);
        for (let j = skip; j < cs.length && out.length < limit; j++) {
          out.push({ type: 'container', id: id + CONTAINER_SEP + cs[j].name, depth: podDepth + 1, pod: s, container: cs[j] });
        }
      }
      skip = 0;
    }
  }

  /**
   * Every visible row, listed from scratch with freshly sorted children (it uses neither the
   * kept sorted lists nor the row counts, so tests check the windowed API against it).
   * O(visible rows x log): tests and benchmarks only; views use rowsInWindow. Cached until a
   * change.
   */
  visibleRows(): TreeRow[] {
    if (this.flat) return this.flat;
    const out: TreeRow[] = [];
    const podDepth = this.levels.length;
    const walk = (g: GroupNode) => {
      if (g.depth + 1 < podDepth) {
        for (const c of [...g.children.values()].sort(cmpGroups(this.sortMode))) {
          const expanded = this.isExpanded(c.id, c.depth);
          out.push(this.groupRow(c, expanded));
          if (expanded) walk(c);
        }
        return;
      }
      for (const p of g.pods.map((x) => this.summary(this.keyOf(x), x, true)).sort(cmpPods(this.sortMode))) {
        const id = g.id + POD_SEP + p.key;
        const expanded = this.isExpanded(id, podDepth);
        out.push({ type: 'pod', id, depth: podDepth, expanded, pod: p });
        if (expanded) {
          for (const c of containersOf(p)) {
            out.push({ type: 'container', id: id + CONTAINER_SEP + c.name, depth: podDepth + 1, pod: p, container: c });
          }
        }
      }
    };
    walk(this.root);
    this.nodesVisited += out.length;
    this.flat = out;
    return out;
  }

  /**
   * Index of a row id in the visible rows; when that row is gone (or hidden under a closed
   * group), the nearest visible ancestor (so the cursor stays put as pods come and go); -1
   * when none is visible. Walks down the id's path: O(depth x fan-out).
   */
  indexOfId(id: string): number {
    const podCut = id.indexOf(POD_SEP);
    const groupPart = podCut < 0 ? id : id.slice(0, podCut);
    let podKey: string | undefined;
    let container: string | undefined;
    if (podCut >= 0) {
      const rest = id.slice(podCut + 1);
      const cc = rest.indexOf(CONTAINER_SEP);
      podKey = cc < 0 ? rest : rest.slice(0, cc);
      if (cc >= 0) container = rest.slice(cc + 1);
    }
    const podDepth = this.levels.length;
    // Pod ids of a hierarchy without levels start with the root's empty id.
    const path = podKey !== undefined && podDepth === 0 && groupPart === '' ? [] : groupPart.split(SEP);
    let g = this.root;
    let at = -1; // index of g's row (the root has none)
    for (let d = 0; d < path.length; d++) {
      const c = d < podDepth ? g.children.get(path[d]) : undefined;
      if (!c) return at;
      at = this.childIndex(g, c, at);
      const deeper = d < path.length - 1 || podKey !== undefined;
      if (deeper && !this.isExpanded(c.id, c.depth)) return at;
      g = c;
    }
    if (podKey === undefined) return at;
    const p = g.depth === podDepth - 1 ? this.podIn(g, podKey) : undefined;
    if (!p) return at;
    at = this.podRowIndex(g, p, at);
    const podId = g.id + POD_SEP + podKey;
    if (container === undefined || !this.isExpanded(podId, podDepth)) return at;
    const j = containersOf(this.summary(podKey, p, true)).findIndex((c) => c.name === container);
    return j < 0 ? at : at + 1 + j;
  }

  /** Index of child c's row, g's row being at gAt. */
  private childIndex(g: GroupNode, c: GroupNode, gAt: number): number {
    const kids = this.childrenOf(g);
    let pos = lowerBound(kids, c, cmpGroups(this.sortMode));
    if (kids[pos] !== c) pos = kids.indexOf(c);
    let at = gAt + 1;
    for (let j = 0; j < pos; j++) at += this.rowsOf(kids[j]);
    this.nodesVisited += pos + 1;
    return at;
  }

  /** Index of pod p's row in leaf group g, g's row being at gAt. */
  private podRowIndex(g: GroupNode, p: Pod, gAt: number): number {
    const pods = this.podsOf(g);
    const pos = this.find(pods, p, this.sortMode === 'name' ? byName : this.byWorst);
    this.nodesVisited += Math.ceil(Math.log2(pods.length + 1));
    if (g.below === pods.length) return gAt + 1 + pos;
    let at = gAt + 1;
    for (let j = 0; j < pos; j++) at += this.podRows(g, pods[j]);
    this.nodesVisited += pos;
    return at;
  }

  /** The group at a path of values, if present. */
  group(path: readonly string[]): GroupNode | undefined {
    let g: GroupNode | undefined = this.root;
    for (const v of path) g = g?.children.get(v);
    return g;
  }

  // ---- reports ---------------------------------------------------------------------------

  /** Per namespace, the share of pods missing each label level's label. */
  conventions(): ConventionsRow[] {
    return [...this.conv.entries()]
      .sort(([a], [b]) => cmpStr(a, b))
      .map(([namespace, c]) => ({
        namespace,
        pods: c.pods,
        levels: this.labelLevelIdx.map((li, j) => ({ level: levelName(this.levels[li]), missing: c.missing[j], share: c.missing[j] / c.pods })),
      }));
  }

  /** Deterministic plain copy of the whole tree (for tests: incremental == rebuild). */
  snapshot(): unknown {
    const snapRollup = (r: Rollup) => ({ ...r, phases: Object.fromEntries(Object.entries(r.phases).sort()), cpuRequests: `${r.cpuRequests}`, cpuLimits: `${r.cpuLimits}`, memoryRequests: `${r.memoryRequests}`, memoryLimits: `${r.memoryLimits}`, cpuUsage: `${r.cpuUsage}`, memoryUsage: `${r.memoryUsage}` });
    const walk = (g: GroupNode): unknown => ({
      id: g.id,
      missing: g.missing,
      rollup: snapRollup(g.rollup),
      children: [...g.children.values()].sort((a, b) => cmpStr(a.id, b.id)).map(walk),
      pods: g.pods.map((p) => this.keyOf(p)).sort(),
    });
    return { tree: walk(this.root), conventions: this.conventions() };
  }
}

/** Container rows of a pod: init containers first (as the API lists them), then app containers. */
export function containersOf(p: PodSummary): ContainerInfo[] {
  const pod = p.pod;
  const statuses = new Map<string, ContainerStatus>();
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) statuses.set(s.name, s);
  const mk = (c: Container, init: boolean): ContainerInfo => {
    const s = statuses.get(c.name);
    const state = s?.state?.waiting?.reason ?? s?.state?.terminated?.reason ?? (s?.state?.running ? 'Running' : s?.state?.terminated ? 'Terminated' : 'Waiting');
    const r = c.resources ?? {};
    return {
      name: c.name,
      init,
      sidecar: init && c.restartPolicy === 'Always',
      ready: !!s?.ready,
      restarts: s?.restartCount ?? 0,
      state,
      cpuRequests: parseQuantityOr(r.requests?.cpu),
      cpuLimits: parseQuantityOr(r.limits?.cpu),
      memoryRequests: parseQuantityOr(r.requests?.memory),
      memoryLimits: parseQuantityOr(r.limits?.memory),
      usage: p.usage?.containers.get(c.name),
    };
  };
  return [...(pod.spec?.initContainers ?? []).map((c) => mk(c, true)), ...(pod.spec?.containers ?? []).map((c) => mk(c, false))];
}

/** Conventions report computed from scratch (reference for LabelTree.conventions()). */
export function labelConventions(pods: Iterable<Pod>, levels: readonly Level[] = DEFAULT_HIERARCHY): ConventionsRow[] {
  return new LabelTree(levels, pods).conventions();
}
