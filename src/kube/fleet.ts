// The fleet poller: one FleetRow per kubeconfig context, kept fresh while someone looks
// (the fleet view, the context picker). It never opens watches of its own.
//
// - A warm context (open in the ContextManager) is read from its store: no request at all;
//   its figures are recomputed at most every `warmRefreshMs`, and only when the store changed.
// - Any other context is polled every `intervalMs` (60 s; 15 s after an error), at most
//   `concurrency` (4) contexts at a time, each request with its own timeout:
//     GET /version                                            reachability, latency, version
//     GET /api/v1/nodes?limit=500                  (paged)    ready / total, allocatable
//     GET /api/v1/pods?fieldSelector=status.phase!=Succeeded,status.phase!=Failed&limit=500
//         Accept: application/json;as=Table;v=v1;g=meta.k8s.io, includeObject=None (paged)
//                                                             pods, not ready, crash-looping
//     GET /api/v1/pods?fieldSelector=...&limit=500  (paged, full objects, each page reduced
//         to sums and dropped)                                requested cpu / memory
//         -- only when the cluster has <= `fullPodsMax` (5,000) pods; bigger clusters get it
//            every `heavyIntervalMs` (10 min), the Table pass above costs well under 1 KB a pod
//     GET /apis/apps/v1/deployments?limit=500      (paged)    failing rollouts
//     GET /api/v1/events?fieldSelector=type=Warning&limit=500 (paged)
//                                                             warnings (10 min), volume conflicts
//   While only the context picker listens (not `full`), only /version is asked.
//
// Measured cost per poll of one context (embedded cluster over loopback TLS, warm TCP; the
// integration test test/integration/contexts.test.ts prints its own figures):
//   incident  (6 nodes, 32 live pods)             6 requests,   114 KB,  ~0.1 s
//   healthy   (3 nodes, 5 pods)                   6 requests,    23 KB,  ~0.02 s
//   generated (100 nodes, 3,000 pods)            16 requests,  26.7 MB,  ~1.3 s (full pass: 3,000 x ~9 KB)
//   generated (500 nodes, 20,000 pods)           47 requests,  13.4 MB,  ~0.8 s (Table pass only,
//                                                 ~0.5 KB a pod with nodes and deployments)
//     + every 10 min its full pass: +40 requests, +165 MB, ~7 s.
//   An unreachable context: 1 request (the /version probe), refused at once or timed out at 5 s.
// So 30 contexts cost, per minute, about 30 x 6 small requests plus the Table pass of the big ones.
import type { ContextInfo } from '../config/kubeconfig.js';
import { ConfigError } from '../config/kubeconfig.js';
import {
  EventTally,
  NodeTally,
  PodTally,
  figuresFrom,
  isFailingRollout,
  clusterFigures,
  type ClusterFigures,
  type FleetRow,
} from '../model/fleet.js';
import type { ClusterStore } from '../store/clusterStore.js';
import { deadline, KubeError, statusError, type KubeClient } from './client.js';
import { leanObject } from './lean.js';
import type { Deployment, KubeEvent, Node, Pod } from './types.js';

/** What the poller needs of the ContextManager. */
export interface FleetContexts {
  readonly contexts: readonly ContextInfo[];
  /** The open connection of a warm context. */
  connection(name: string): { readonly store: ClusterStore } | undefined;
  /** The context's cached client (throws ConfigError for an unusable context). */
  client(name: string): KubeClient;
}

export interface FleetPollerOptions {
  intervalMs?: number;
  errorIntervalMs?: number;
  concurrency?: number;
  requestTimeoutMs?: number;
  versionTimeoutMs?: number;
  pageSize?: number;
  fullPodsMax?: number;
  heavyIntervalMs?: number;
  warmRefreshMs?: number;
  /** How often due work is looked for. */
  tickMs?: number;
  now?: () => number;
}

const DEFAULTS: Required<Omit<FleetPollerOptions, 'now'>> = {
  intervalMs: 60_000,
  errorIntervalMs: 15_000,
  concurrency: 4,
  requestTimeoutMs: 20_000,
  versionTimeoutMs: 5_000,
  pageSize: 500,
  fullPodsMax: 5_000,
  heavyIntervalMs: 10 * 60_000,
  warmRefreshMs: 5_000,
  tickMs: 1_000,
};

/** What one poll of one context cost. */
export interface PollCost {
  requests: number;
  bytes: number;
  ms: number;
  at: number;
}

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';
const NOT_TERMINATED = 'status.phase!=Succeeded,status.phase!=Failed';

interface Entry {
  row: FleetRow;
  lastPollAt: number;
  lastFullAt: number;
  lastRequestsAt: number;
  inFlight: boolean;
  warmVersion?: number;
  warmStore?: ClusterStore;
  /** Pod count from the last Table pass (decides whether the full pass runs). */
  podsTotal?: number;
  requests?: { cpu?: number; mem?: number };
}

type Listener = () => void;

/**
 * Whether a warm context's store can give its fleet figures: nodes and pods listed, and events
 * and deployments listed or forbidden (none will come). Figures taken while events or
 * deployments were still listing said "0 volume conflicts, 0 failing rollouts" for a cluster
 * that had them, until the next refresh.
 */
export function warmFiguresReady(store: ClusterStore): boolean {
  const listed = (k: 'nodes' | 'pods' | 'events' | 'deployments') => store.state(k).lastSyncAt !== undefined;
  return listed('nodes') && listed('pods') && (['events', 'deployments'] as const).every((k) => listed(k) || store.state(k).phase === 'forbidden');
}

export class FleetPoller {
  private readonly opts: Required<Omit<FleetPollerOptions, 'now'>>;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly subscribers = new Map<Listener, { full: boolean }>();
  private readonly queue: (() => Promise<void>)[] = [];
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private notifyTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The last poll's cost per context (figures for the note; the fleet view shows a sum). */
  readonly costs = new Map<string, PollCost>();

  constructor(
    private readonly contexts: FleetContexts,
    opts: FleetPollerOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
    this.now = opts.now ?? Date.now;
    for (const c of contexts.contexts) {
      this.entries.set(c.name, {
        row: { context: c.name, cluster: c.cluster, user: c.user, namespace: c.namespace, server: c.server, source: 'none', phase: 'unknown' },
        lastPollAt: 0,
        lastFullAt: 0,
        lastRequestsAt: 0,
        inFlight: false,
      });
    }
  }

  /** Rows in kubeconfig order (sortFleetRows orders them worst first). */
  rows(): FleetRow[] {
    return [...this.entries.values()].map((e) => e.row);
  }

  row(name: string): FleetRow | undefined {
    return this.entries.get(name)?.row;
  }

  /**
   * Listen for row changes. While anyone listens, rows are kept fresh: `full` listeners get
   * every figure, the others (the picker) only reachability.
   */
  subscribe(fn: Listener, opts: { full?: boolean } = {}): () => void {
    this.subscribers.set(fn, { full: !!opts.full });
    this.stopped = false;
    this.tick();
    return () => {
      this.subscribers.delete(fn);
      if (this.subscribers.size === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** Poll everything now (the fleet view's refresh key). */
  refresh(): void {
    for (const e of this.entries.values()) e.lastPollAt = 0;
    this.tick();
  }

  /** Wait until no poll is queued or running (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.running > 0 || this.queue.length > 0) await new Promise((r) => setTimeout(r, 10));
  }

  stop(): void {
    this.stopped = true;
    this.subscribers.clear();
    if (this.timer) clearTimeout(this.timer);
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    this.timer = this.notifyTimer = undefined;
    this.queue.length = 0;
  }

  private get wantFull(): boolean {
    for (const s of this.subscribers.values()) if (s.full) return true;
    return false;
  }

  /** Look for due work, then come back in `tickMs`. */
  private tick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped || this.subscribers.size === 0) return;
    const full = this.wantFull;
    const now = this.now();
    for (const [name, e] of this.entries) {
      const conn = this.contexts.connection(name);
      if (conn) {
        this.readWarm(e, conn.store, full, now);
        continue;
      }
      if (e.warmStore) {
        // Left the warm set: poll it from now on.
        e.warmStore = undefined;
        e.lastPollAt = 0;
      }
      if (e.inFlight) continue;
      const wait = e.row.phase === 'error' ? this.opts.errorIntervalMs : this.opts.intervalMs;
      const due = now - e.lastPollAt >= wait || (full && e.row.phase === 'connected' && e.lastFullAt === 0);
      if (!due) continue;
      e.inFlight = true;
      e.lastPollAt = now;
      this.enqueue(() => this.poll(name, e, full));
    }
    this.timer = setTimeout(() => this.tick(), this.opts.tickMs);
    this.timer.unref?.();
  }

  private enqueue(job: () => Promise<void>): void {
    this.queue.push(job);
    this.drain();
  }

  private drain(): void {
    while (this.running < this.opts.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void job().finally(() => {
        this.running--;
        this.drain();
      });
    }
  }

  private changed(): void {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      for (const fn of this.subscribers.keys()) fn();
    }, 50);
    this.notifyTimer.unref?.();
  }

  private update(e: Entry, patch: Partial<FleetRow>): void {
    e.row = { ...e.row, ...patch };
    this.changed();
  }

  // ---- warm contexts: read the store ----

  private readWarm(e: Entry, store: ClusterStore, full: boolean, now: number): void {
    const c = store.connection;
    // Data already flowing means reachable, even before the first /version probe returns.
    const flowing = c.phase === 'connecting' && (['nodes', 'pods', 'namespaces'] as const).some((k) => store.state(k).lastSyncAt !== undefined);
    const patch: Partial<FleetRow> = { source: 'warm', phase: flowing ? 'connected' : c.phase, latencyMs: c.latencyMs, version: c.serverVersion, error: c.error, errorKind: c.errorKind };
    const storeChanged = e.warmStore !== store || e.warmVersion !== store.version;
    if (full && warmFiguresReady(store) && storeChanged && now - e.lastFullAt >= (e.warmStore === store ? this.opts.warmRefreshMs : 0)) {
      patch.figures = clusterFigures({ nodes: store.list('nodes').values(), pods: store.list('pods').values(), events: store.list('events').values(), deployments: store.list('deployments').values(), now });
      patch.updatedAt = now;
      e.lastFullAt = now;
      e.warmVersion = store.version;
    }
    e.warmStore = store;
    if (Object.entries(patch).some(([k, v]) => e.row[k as keyof FleetRow] !== v)) this.update(e, patch);
  }

  // ---- other contexts: light queries ----

  private async poll(name: string, e: Entry, full: boolean): Promise<void> {
    const t0 = performance.now();
    const cost = { requests: 0, bytes: 0 };
    try {
      if (e.row.phase === 'unknown') this.update(e, { phase: 'connecting', source: 'poll' });
      let client: KubeClient;
      try {
        client = this.contexts.client(name);
      } catch (err) {
        if (err instanceof ConfigError) return this.update(e, { phase: 'error', error: err.message, errorKind: 'config', source: 'poll' });
        throw err;
      }
      const v0 = performance.now();
      let version: string | undefined;
      try {
        version = (await this.get<{ gitVersion?: string }>(client, '/version', cost, { timeoutMs: this.opts.versionTimeoutMs })).gitVersion;
      } catch (err) {
        const k = asKubeError(err);
        return this.update(e, { phase: 'error', error: k.message, errorKind: k.kind, latencyMs: undefined, source: 'poll' });
      }
      const latencyMs = Math.round(performance.now() - v0);
      this.update(e, { phase: 'connected', version, latencyMs, error: undefined, errorKind: undefined, source: 'poll' });
      if (!full) return;
      try {
        const figures = await this.figures(client, e, cost);
        e.lastFullAt = this.now();
        this.update(e, { figures, updatedAt: e.lastFullAt });
      } catch (err) {
        // /version answered but a list failed (403 on pods, a timeout): say so, keep old figures.
        const k = asKubeError(err);
        this.update(e, { phase: 'error', error: k.message, errorKind: k.kind });
      }
    } finally {
      e.inFlight = false;
      this.costs.set(name, { ...cost, ms: Math.round(performance.now() - t0), at: this.now() });
    }
  }

  private async figures(client: KubeClient, e: Entry, cost: { requests: number; bytes: number }): Promise<ClusterFigures> {
    const now = this.now();
    const nodes = new NodeTally();
    await this.pages(client, '/api/v1/nodes', {}, cost, (items) => {
      for (const raw of items) nodes.addNode(leanObject('nodes', raw) as Node);
    });

    // Pod counts from the server-side Table: a few cells a pod instead of the whole object.
    const table = new PodTally();
    await this.pages(client, '/api/v1/pods', { fieldSelector: NOT_TERMINATED, includeObject: 'None' }, cost, (rows, cols) => {
      const iReady = cols.indexOf('Ready');
      const iStatus = cols.indexOf('Status');
      if (iReady < 0 || iStatus < 0) throw new KubeError('the server answered the pods Table without Ready/Status columns', 'protocol');
      for (const r of rows as { cells: unknown[] }[]) table.addTableRow(String(r.cells[iReady]), String(r.cells[iStatus]));
    }, true);
    let pods = table;
    let withRequests = false;
    e.podsTotal = table.total;
    // A big cluster never gets the full pass on its first poll (~9 KB a pod): its requested %
    // shows "—" until the first heavy pass, `heavyIntervalMs` later (or at once when it is warm).
    if (table.total > this.opts.fullPodsMax && e.lastRequestsAt === 0) e.lastRequestsAt = now;
    if (table.total <= this.opts.fullPodsMax || now - e.lastRequestsAt >= this.opts.heavyIntervalMs) {
      const exact = new PodTally();
      await this.pages(client, '/api/v1/pods', { fieldSelector: NOT_TERMINATED }, cost, (items) => {
        for (const raw of items) exact.addPod(leanObject('pods', raw) as Pod);
      });
      e.lastRequestsAt = now;
      if (table.total <= this.opts.fullPodsMax) pods = exact;
      else {
        // A big cluster: counts stay the Table's (consistent with each other), sums from the full pass.
        table.cpuNano = exact.cpuNano;
        table.memNano = exact.memNano;
      }
      withRequests = true;
      const f = figuresFrom(nodes, exact, new EventTally(now), 0);
      e.requests = { cpu: f.cpuRequestedPct, mem: f.memRequestedPct };
    }

    let failing = 0;
    await this.pages(client, '/apis/apps/v1/deployments', {}, cost, (items) => {
      for (const raw of items) if (isFailingRollout(leanObject('deployments', raw) as Deployment)) failing++;
    });
    const events = new EventTally(now);
    await this.pages(client, '/api/v1/events', { fieldSelector: 'type=Warning' }, cost, (items) => {
      for (const raw of items) events.addEvent(leanObject('events', raw) as KubeEvent);
    });
    const figures = figuresFrom(nodes, pods, events, failing, withRequests);
    if (!withRequests && e.requests) {
      figures.cpuRequestedPct = e.requests.cpu;
      figures.memRequestedPct = e.requests.mem;
    }
    return figures;
  }

  /** A paged list: each page is handed over and dropped (a big list is never held whole). */
  private async pages(
    client: KubeClient,
    path: string,
    params: Record<string, string>,
    cost: { requests: number; bytes: number },
    onPage: (items: Record<string, unknown>[], columns: string[]) => void,
    asTable = false,
  ): Promise<void> {
    let cont: string | undefined;
    do {
      const q = new URLSearchParams({ ...params, limit: String(this.opts.pageSize) });
      if (cont) q.set('continue', cont);
      const page = await this.get<{ metadata?: { continue?: string }; items?: Record<string, unknown>[]; rows?: Record<string, unknown>[]; columnDefinitions?: { name: string }[] }>(
        client,
        `${path}?${q}`,
        cost,
        asTable ? { accept: TABLE_ACCEPT } : {},
      );
      const items = asTable ? page.rows : page.items;
      if (!Array.isArray(items)) throw new KubeError(`the server's answer to ${path} has no ${asTable ? 'rows' : 'items'}`, 'protocol');
      onPage(items, (page.columnDefinitions ?? []).map((c) => c.name));
      cont = page.metadata?.continue || undefined;
    } while (cont && !this.stopped);
  }

  /** GET a JSON answer, counting requests and bytes; the whole exchange has a timeout. */
  private async get<T>(client: KubeClient, path: string, cost: { requests: number; bytes: number }, o: { timeoutMs?: number; accept?: string } = {}): Promise<T> {
    const timeoutMs = o.timeoutMs ?? this.opts.requestTimeoutMs;
    const whole = deadline(timeoutMs);
    cost.requests++;
    let text: string;
    let status: number;
    try {
      const res = await client.raw(path, { accept: o.accept, timeoutMs, signal: whole.signal });
      status = res.status;
      text = await res.text();
    } catch (err) {
      if (err instanceof KubeError) throw err;
      if (whole.timedOut()) throw new KubeError(`${client.server} did not answer ${path.split('?')[0]} within ${timeoutMs / 1000}s`, 'timeout');
      throw asKubeError(err);
    } finally {
      whole.clear();
    }
    cost.bytes += Buffer.byteLength(text);
    if (status < 200 || status > 299) throw statusError(status, text, path.split('?')[0]);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KubeError(`the server at ${client.server} answered ${path.split('?')[0]} with something that is not JSON`, 'protocol', status);
    }
  }
}

function asKubeError(e: unknown): KubeError {
  return e instanceof KubeError ? e : new KubeError(e instanceof Error ? e.message : String(e), 'network');
}
