// The fleet overview's figures for one context, and the order of the rows (worst first).
// Pure: the same objects in give the same row out, whether they come from a warm context's
// store or from the fleet poller's light queries (src/kube/fleet.ts).
//
// Definitions (the same on both paths):
//   nodes ready        Ready condition True / all nodes;
//   requested %        sum of the requests of the pods counted on nodes (kubectl describe node:
//                      not Succeeded/Failed, scheduled) / sum of the nodes' allocatable, truncated;
//   pods not ready     pods not Succeeded/Failed whose READY column shows fewer ready containers
//                      than containers (kubectl get pods), e.g. "0/1";
//   crash-looping      pods whose STATUS is CrashLoopBackOff (Init: included);
//   volume conflicts   volumes named by FailedAttachVolume "Multi-Attach error" / "Waiting for
//                      detach" events seen in the last hour (distinct volumes);
//   failing rollouts   Deployments whose rollout exceeded its progress deadline (kubectl rollout
//                      status: ProgressDeadlineExceeded);
//   warnings (10m)     Warning events last seen in the last 10 minutes.
import type { Deployment, KubeEvent, Node, Pod } from '../kube/types.js';
import { countedNodeOf, isTerminatedPhase, nodeAllocatable, podRequests, resourcePercent } from './allocation.js';
import { podDisplayStatus, podProblem } from './podStatus.js';
import { deploymentRolloutState } from './rollout.js';
import { parseAttachEvent } from './volumeConflicts.js';

export const WARNING_WINDOW_MS = 10 * 60_000;
export const CONFLICT_WINDOW_MS = 60 * 60_000;

export type FleetPhase = 'unknown' | 'connecting' | 'connected' | 'error';

export interface ClusterFigures {
  nodesReady: number;
  nodesTotal: number;
  /** Undefined when not computed (a big cluster between two request passes). */
  cpuRequestedPct?: number;
  memRequestedPct?: number;
  podsTotal: number;
  podsNotReady: number;
  crashLooping: number;
  volumeConflicts: number;
  failingRollouts: number;
  warnings10m: number;
}

export interface FleetRow {
  context: string;
  cluster: string;
  user: string;
  namespace?: string;
  server?: string;
  /** Where the figures come from: the warm context's watches, a poll, or nowhere yet. */
  source: 'warm' | 'poll' | 'none';
  phase: FleetPhase;
  error?: string;
  errorKind?: string;
  latencyMs?: number;
  version?: string;
  figures?: ClusterFigures;
  /** When the figures were computed (ms since the epoch). */
  updatedAt?: number;
}

// ---- accumulating (one page at a time, so a big list is never held whole) ----

/** Running sums over pods, fed page by page. */
export class PodTally {
  total = 0;
  notReady = 0;
  crashLooping = 0;
  cpuNano = 0n;
  memNano = 0n;

  addPod(pod: Pod): void {
    if (isTerminatedPhase(pod.status?.phase)) return;
    this.total++;
    const st = podDisplayStatus(pod);
    if (st.readyContainers < st.totalContainers) this.notReady++;
    if (podProblem(st.reason) === 'CrashLoopBackOff') this.crashLooping++;
    if (countedNodeOf(pod)) {
      const req = podRequests(pod);
      this.cpuNano += req.get('cpu')?.nano ?? 0n;
      this.memNano += req.get('memory')?.nano ?? 0n;
    }
  }

  /**
   * A row of the server-side Table of pods (kubectl's columns: Name, Ready "x/y", Status, ...),
   * listed with fieldSelector status.phase!=Succeeded,status.phase!=Failed. No requests here.
   */
  addTableRow(ready: string, status: string): void {
    this.total++;
    const m = /^(\d+)\/(\d+)$/.exec(ready);
    if (m && Number(m[1]) < Number(m[2])) this.notReady++;
    if (podProblem(status) === 'CrashLoopBackOff') this.crashLooping++;
  }
}

export class NodeTally {
  total = 0;
  ready = 0;
  cpuNano = 0n;
  memNano = 0n;

  addNode(node: Node): void {
    this.total++;
    if (node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) this.ready++;
    const a = nodeAllocatable(node);
    this.cpuNano += a.get('cpu')?.nano ?? 0n;
    this.memNano += a.get('memory')?.nano ?? 0n;
  }
}

/** When an event was last seen. */
export function eventLastSeen(e: KubeEvent): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;
  return t ? Date.parse(t) : NaN;
}

export class EventTally {
  warnings10m = 0;
  private readonly conflictVolumes = new Set<string>();

  constructor(private readonly now: number) {}

  addEvent(e: KubeEvent): void {
    if (e.type !== 'Warning') return;
    const seen = eventLastSeen(e);
    if (seen >= this.now - WARNING_WINDOW_MS) this.warnings10m++;
    if (e.reason === 'FailedAttachVolume' && seen >= this.now - CONFLICT_WINDOW_MS) {
      const p = parseAttachEvent(e);
      if (p && (p.kind === 'multi-attach' || p.kind === 'waiting-for-detach')) {
        this.conflictVolumes.add(p.volume ?? `${e.involvedObject.namespace}/${e.involvedObject.name}`);
      }
    }
  }

  get volumeConflicts(): number {
    return this.conflictVolumes.size;
  }
}

export function isFailingRollout(d: Deployment): boolean {
  return deploymentRolloutState(d).phase === 'stalled';
}

export function figuresFrom(nodes: NodeTally, pods: PodTally, events: EventTally, failingRollouts: number, withRequests = true): ClusterFigures {
  return {
    nodesReady: nodes.ready,
    nodesTotal: nodes.total,
    cpuRequestedPct: withRequests && nodes.cpuNano > 0n ? resourcePercent('cpu', pods.cpuNano, nodes.cpuNano) : undefined,
    memRequestedPct: withRequests && nodes.memNano > 0n ? resourcePercent('memory', pods.memNano, nodes.memNano) : undefined,
    podsTotal: pods.total,
    podsNotReady: pods.notReady,
    crashLooping: pods.crashLooping,
    volumeConflicts: events.volumeConflicts,
    failingRollouts,
    warnings10m: events.warnings10m,
  };
}

/** All figures from whole collections (a warm context's store, or a test's fixtures). */
export function clusterFigures(input: { nodes: Iterable<Node>; pods: Iterable<Pod>; events: Iterable<KubeEvent>; deployments: Iterable<Deployment>; now: number }): ClusterFigures {
  const nodes = new NodeTally();
  for (const n of input.nodes) nodes.addNode(n);
  const pods = new PodTally();
  for (const p of input.pods) pods.addPod(p);
  const events = new EventTally(input.now);
  for (const e of input.events) events.addEvent(e);
  let failing = 0;
  for (const d of input.deployments) if (isFailingRollout(d)) failing++;
  return figuresFrom(nodes, pods, events, failing);
}

// ---- ordering ----

/**
 * How bad a row is: unreachable first, then by trouble. Weights put what stops work (nodes
 * down, crash loops, stuck volumes, failed rollouts) above noise (warnings).
 */
export function severity(r: FleetRow): number {
  if (r.phase === 'error') return 1e9;
  const f = r.figures;
  if (!f) return r.phase === 'unknown' ? -1 : 0;
  return (
    (f.nodesTotal - f.nodesReady) * 1000 +
    f.crashLooping * 100 +
    f.volumeConflicts * 100 +
    f.failingRollouts * 100 +
    f.podsNotReady * 10 +
    Math.max(0, (f.cpuRequestedPct ?? 0) - 90) * 5 +
    Math.max(0, (f.memRequestedPct ?? 0) - 90) * 5 +
    f.warnings10m
  );
}

/** Worst first; ties by context name (stable). */
export function sortFleetRows(rows: readonly FleetRow[]): FleetRow[] {
  return [...rows].sort((a, b) => severity(b) - severity(a) || (a.context < b.context ? -1 : a.context > b.context ? 1 : 0));
}

/** A short reachability word for the picker and the fleet table. */
export function reachability(r: Pick<FleetRow, 'phase' | 'errorKind' | 'latencyMs'>): string {
  switch (r.phase) {
    case 'connected':
      return r.latencyMs !== undefined ? `ok ${r.latencyMs}ms` : 'ok';
    case 'connecting':
      return 'connecting…';
    case 'error':
      return errorLabel(r.errorKind);
    default:
      return '?';
  }
}

/** The reason of a failure in a word (✗ marks it without colour): DNS, TLS, 401, 403, timeout. */
export function errorLabel(kind: string | undefined): string {
  const word: Record<string, string> = { dns: 'DNS', tls: 'TLS', unauthorized: '401', forbidden: '403', timeout: 'timeout', network: 'unreachable', 'auth-plugin': 'auth plugin', config: 'config' };
  return `✗ ${word[kind ?? ''] ?? 'error'}`;
}

/** One line that spells out a row's trouble (the fleet view shows it for the selected row). */
export function describeRow(r: FleetRow): string {
  if (r.phase === 'error') return `${r.context}: ${r.error ?? 'error'}`;
  const f = r.figures;
  if (!f) return `${r.context}: ${r.phase === 'connected' ? 'reachable, figures coming' : reachability(r)}`;
  const parts: string[] = [];
  if (f.nodesReady < f.nodesTotal) parts.push(`${f.nodesTotal - f.nodesReady} node(s) not ready`);
  if (f.crashLooping) parts.push(`${f.crashLooping} crash-looping`);
  if (f.podsNotReady) parts.push(`${f.podsNotReady} pod(s) not ready`);
  if (f.volumeConflicts) parts.push(`${f.volumeConflicts} volume conflict(s)`);
  if (f.failingRollouts) parts.push(`${f.failingRollouts} failing rollout(s)`);
  if (f.warnings10m) parts.push(`${f.warnings10m} warning(s) in 10m`);
  return `${r.context}: ${parts.length ? parts.join(', ') : 'healthy'} · ${f.podsTotal} pods · ${r.version ?? ''}`;
}
