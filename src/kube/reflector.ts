// List-then-watch for one resource kind, feeding a ClusterStore.
//
// client-node's ListWatch lists without pages, stops for good on any error but 410 and asks
// for no bookmarks, so kfleet has its own loop:
// - list in pages (limit/continue), each page into the store at once (first frame early),
//   progress from remainingItemCount; a relist keeps old objects until it completes, then
//   drops the ones the server no longer has;
// - watch from the list's resourceVersion with bookmarks; a stream that ends (server timeout,
//   dropped connection, or silence longer than `silenceTimeoutMs`) resumes from the last
//   resourceVersion seen;
// - 410 Gone (status or ERROR event) relists; 403 marks the kind forbidden and retries slowly;
//   other errors back off exponentially with full jitter.
import type { KubeClient } from './client.js';
import { deadline, KubeError, statusError, type Deadline } from './client.js';
import { adoptEqual, lookupOnly } from './intern.js';
import { leanObject } from './lean.js';
import { LineSplitter } from './lineSplitter.js';
import { ByteScratch } from './byteScratch.js';
import { withoutManagedFields } from './managedFields.js';
import { ListPageError, checkRaw, type LeanPage } from './listPage.js';
import { parsePage, peekContinue } from './pageParser.js';
import { RESOURCES, collectionPath, objectKey, type ResourceKind } from './types.js';
import type { ClusterStore } from '../store/clusterStore.js';

export interface ReflectorOptions {
  pageSize?: number;
  /** Only this namespace (namespaced kinds); all namespaces when unset. */
  namespace?: string;
  /** Asked of the server per watch; jittered so watches do not all end at once. */
  watchTimeoutSeconds?: number;
  /** A watch that sends nothing (not even a bookmark) for this long is presumed dead. */
  silenceTimeoutMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  forbiddenRetryMs?: number;
  requestTimeoutMs?: number;
}

const DEFAULTS: Required<Omit<ReflectorOptions, 'namespace'>> = {
  // 100, not kubectl's 500: at 150,000 pods, pages of 500 parsed here peaked ~100 MB higher
  // (multi-MB page strings wait for a full GC) and held the UI up to ~150 ms a page; 100 or
  // 150 kept the peak near 550 MB and frames within ~40 ms, for the same sync time (measured).
  pageSize: 100,
  watchTimeoutSeconds: 300,
  silenceTimeoutMs: 90_000,
  backoffInitialMs: 500,
  backoffMaxMs: 30_000,
  forbiddenRetryMs: 60_000,
  requestTimeoutMs: 30_000,
};

class GoneError extends Error {}

/** Time spent applying watch events before the event loop gets a turn. */
const WATCH_SLICE_MS = 8;

/** Kinds whose lean objects are plain data all through (lean.ts), which adoptEqual can walk. */
const PLAIN_LEAN_KINDS: ReadonlySet<ResourceKind> = new Set(['pods', 'nodes']);

export class Reflector {
  private readonly opts: Required<Omit<ReflectorOptions, 'namespace'>> & { namespace?: string };
  private stopped = false;
  private abort = new AbortController();
  private resourceVersion: string | undefined;
  private failures = 0;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly store: ClusterStore,
    readonly kind: ResourceKind,
    opts: ReflectorOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
    await this.running;
  }

  /** Skip a pending backoff and try again now (e.g. the operator asked to retry). */
  retryNow(): void {
    this.wake?.();
  }

  private get path(): string {
    return collectionPath(this.kind, RESOURCES[this.kind].namespaced ? this.opts.namespace : undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) await this.list();
        await this.watch();
      } catch (e) {
        if (this.stopped) break;
        if (e instanceof GoneError) {
          // Our resourceVersion is too old for the server's watch cache: list again.
          this.resourceVersion = undefined;
          this.store.setState(this.kind, { phase: 'relisting', stale: true });
          continue;
        }
        const err = e instanceof KubeError ? e : new KubeError(String((e as Error)?.message ?? e), 'network');
        if (err.kind === 'forbidden') {
          this.store.setState(this.kind, { phase: 'forbidden', stale: true, error: err.message, retryAt: Date.now() + this.opts.forbiddenRetryMs });
          await this.sleep(this.opts.forbiddenRetryMs);
          continue;
        }
        this.failures++;
        const cap = Math.min(this.opts.backoffMaxMs, this.opts.backoffInitialMs * 2 ** Math.min(this.failures - 1, 16));
        const delay = cap / 2 + Math.random() * (cap / 2); // "equal jitter": never hammer, never stall
        this.store.setState(this.kind, { phase: 'backoff', stale: true, error: err.message, retryAt: Date.now() + delay });
        await this.sleep(delay);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(t);
        self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  private async list(): Promise<void> {
    const relist = this.store.state(this.kind).phase !== 'idle';
    const seen = new Set<string>();
    let cont: string | undefined;
    let listRv: string | undefined;
    this.store.setState(this.kind, { phase: relist ? 'relisting' : 'listing', loaded: 0, estimatedTotal: undefined, error: undefined, retryAt: undefined });
    // A page is fetched as bytes; as soon as they arrive, its `continue` token is read from its
    // first bytes and the next page is asked for while this one is parsed: the server prepares
    // page n+1 while page n is parsed and ingested.
    // Each page's bytes go into a buffer of this list's own, given back once the page is parsed
    // (two take turns; a prefetch dropped unread keeps its own).
    type Fetched = { peek: string | undefined; body: Uint8Array; buffer: ByteScratch };
    const freeBuffers: ByteScratch[] = [];
    const fetchPage = (token: string | undefined): Promise<Fetched> => {
      const q = new URLSearchParams({ limit: String(this.opts.pageSize) });
      if (token) q.set('continue', token);
      const buffer = freeBuffers.pop() ?? new ByteScratch();
      const p = this.client.bytes(`${this.path}?${q}`, { signal: this.abort.signal, timeoutMs: this.opts.requestTimeoutMs }, buffer).then((body) => ({ peek: peekContinue(body), body, buffer }));
      p.catch(() => {}); // a prefetch may be dropped unread; its error must not go unhandled
      return p;
    };
    let next: { token: string | undefined; page: Promise<Fetched> } | undefined = { token: undefined, page: fetchPage(undefined) };
    do {
      if (!next || next.token !== cont) next = { token: cont, page: fetchPage(cont) };
      let page: LeanPage;
      try {
        const fetched: Fetched = await next.page;
        // Pipelining (checked below: a wrong guess is simply asked again).
        next = fetched.peek ? { token: fetched.peek, page: fetchPage(fetched.peek) } : undefined;
        page = parsePage(this.kind, fetched.body);
        freeBuffers.push(fetched.buffer);
      } catch (e) {
        next = undefined;
        // An expired continue token: start the list over.
        if (e instanceof KubeError && e.kind === 'gone' && cont) {
          cont = undefined;
          seen.clear();
          continue;
        }
        if (e instanceof ListPageError) throw new KubeError(e.message, 'protocol');
        throw e;
      }
      if (this.stopped) break;
      for (const obj of page.items) {
        this.store.upsert(this.kind, obj);
        seen.add(objectKey(obj));
      }
      listRv = page.metadata.resourceVersion;
      cont = page.metadata.continue || undefined;
      const remaining = page.metadata.remainingItemCount;
      this.store.setState(this.kind, { loaded: seen.size, estimatedTotal: remaining !== undefined ? seen.size + remaining : undefined });
      // A turn of the event loop between pages (a page that has already arrived would go on in
      // the same one): keys and frames are served every ~10-20 ms during a big list.
      await new Promise((resolve) => setImmediate(resolve));
    } while (cont && !this.stopped);
    if (this.stopped) return;
    this.store.retainOnly(this.kind, seen);
    this.resourceVersion = listRv;
    this.store.noteResourceVersion(listRv);
    this.failures = 0;
    this.store.setState(this.kind, { phase: 'synced', loaded: seen.size, estimatedTotal: seen.size, stale: false, lastSyncAt: Date.now(), error: undefined, retryAt: undefined });
  }

  private async watch(): Promise<void> {
    const jitter = Math.floor(this.opts.watchTimeoutSeconds * (0.8 + Math.random() * 0.4));
    const q = new URLSearchParams({ watch: '1', allowWatchBookmarks: 'true', timeoutSeconds: String(jitter) });
    if (this.resourceVersion) q.set('resourceVersion', this.resourceVersion);
    // This watch's own signal: aborted by the reflector's stop, or by the silence timer below.
    const local = deadline(undefined, this.abort.signal);
    try {
      await this.streamWatch(q, local);
    } finally {
      local.clear();
    }
  }

  private async streamWatch(q: URLSearchParams, local: Deadline): Promise<void> {
    const res = await this.client.stream(`${this.path}?${q}`, { signal: local.signal, timeoutMs: this.opts.requestTimeoutMs });
    if (res.status === 410) {
      await res.close();
      throw new GoneError();
    }
    if (!res.ok) throw statusError(res.status, await res.text(), this.path);

    this.failures = 0;
    this.store.setState(this.kind, { phase: 'synced', stale: false, error: undefined, retryAt: undefined, lastSyncAt: Date.now() });
    const silence = setTimeout(() => local.abort(), this.opts.silenceTimeoutMs);
    const scratch = new ByteScratch(); // each line is decoded at once (LineSplitter)
    const lines = new LineSplitter((line) => withoutManagedFields(line, scratch));
    const apply = (line: string) => this.applyEvent(line);
    // Chunks already received are handed over one after another as promise callbacks, which
    // never give the event loop a turn: after a pause (a full GC under churn) a backlog of
    // hundreds of events was applied in one go while keys and frames waited. So a turn of
    // the loop after every WATCH_SLICE_MS spent applying.
    let applying = 0;
    try {
      for await (const chunk of res.body) {
        silence.refresh();
        const t0 = performance.now();
        lines.push(chunk, apply);
        applying += performance.now() - t0;
        if (applying >= WATCH_SLICE_MS) {
          applying = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    } catch (e) {
      // A silent or dropped stream ends the watch; the loop resumes from the last version.
      if (this.stopped || e instanceof GoneError || e instanceof KubeError) throw e;
    } finally {
      clearTimeout(silence);
    }
    if (!this.stopped) this.store.setState(this.kind, { stale: true });
  }

  /** An object of another kind, or without a name, is the server's mistake: say so clearly. */
  private check(raw: unknown, where: 'list' | 'watch'): void {
    const bad = checkRaw(this.kind, raw, where);
    if (bad) throw new KubeError(bad, 'protocol');
  }

  private applyEvent(line: string): void {
    let ev: { type: string; object: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      ev = JSON.parse(line);
    } catch {
      throw new KubeError(`a ${this.kind} watch sent a line that is not JSON`, 'protocol');
    }
    const obj = ev.object ?? {};
    switch (ev.type) {
      case 'ADDED':
      case 'MODIFIED': {
        this.check(obj, 'watch');
        obj.kind ??= RESOURCES[this.kind].objectKind;
        const lean = lookupOnly(() => leanObject(this.kind, obj));
        // A changed pod or node keeps the parts of its held version that did not change.
        const held = ev.type === 'MODIFIED' && PLAIN_LEAN_KINDS.has(this.kind) ? this.store.get(this.kind, objectKey(lean)) : undefined;
        this.store.upsert(this.kind, held ? adoptEqual(lean, held) : lean);
        break;
      }
      case 'DELETED':
        this.check(obj, 'watch');
        this.store.remove(this.kind, objectKey(obj as { metadata: { name: string; namespace?: string } }));
        break;
      case 'BOOKMARK':
        break;
      case 'ERROR': {
        if (obj.code === 410) throw new GoneError();
        throw statusError(obj.code ?? 500, JSON.stringify(obj), this.path);
      }
      default:
        throw new KubeError(`a ${this.kind} watch sent an unknown event type ${String(ev.type).slice(0, 40)}`, 'protocol');
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv) {
      this.resourceVersion = rv;
      this.store.noteResourceVersion(rv);
    }
    this.store.setState(this.kind, { lastSyncAt: Date.now() });
  }
}
