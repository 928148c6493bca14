// Pod log streaming with bounded memory.
//
// GET /api/v1/namespaces/NS/pods/NAME/log?container=&previous=&follow=&tailLines=&timestamps=true
// The body is read as a stream and split into lines into a ring buffer: however long it
// follows, at most `capacity` lines of at most `maxLineLength` characters are kept (the
// oldest go first, and a count of what was dropped is kept).
//
// Following survives a dropped connection: it reconnects with backoff, asking for
// `sinceTime=<last timestamp seen>`, and skips the lines it already has (the server's
// timestamps are the dedup key, because sinceTime is inclusive and has second precision on
// some servers). A 4xx (no such container, no previous instance) ends the stream for good.
import type { RequestOptions } from './client.js';
import { statusError } from './client.js';

/** A fixed-capacity FIFO: push is O(1), the oldest entry is overwritten when full. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;
  /** Entries ever pushed (dropped ones included). */
  total = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error('RingBuffer capacity must be >= 1');
    this.items = new Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Entries pushed out by newer ones. */
  get dropped(): number {
    return this.total - this.count;
  }

  push(x: T): void {
    this.total++;
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = x;
      this.count++;
    } else {
      this.items[this.start] = x;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The i-th retained entry, 0 = oldest. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.items[(this.start + i) % this.capacity];
  }

  /** Retained entries [from, to). */
  slice(from = 0, to = this.count): T[] {
    const out: T[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.count); i++) out.push(this.items[(this.start + i) % this.capacity]!);
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
    this.total = 0;
  }
}

/** The part of a response body stream the reader uses (web ReadableStream). */
export interface ByteStream {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  getReader(): { read(): Promise<{ done: boolean; value?: any }>; releaseLock(): void };
}

/** What the stream needs of a KubeClient (tests pass a fake). */
export interface LogClient {
  raw(path: string, opts?: RequestOptions): Promise<{ ok: boolean; status: number; body: ByteStream | null; text(): Promise<string> }>;
}

export interface LogTarget {
  namespace: string;
  pod: string;
  container: string;
  /** The previous (terminated) instance of the container. */
  previous?: boolean;
}

export interface LogStreamOptions {
  /** Lines kept (default 5,000). */
  capacity?: number;
  /** Longer lines are cut, with a mark (default 4,096 characters). */
  maxLineLength?: number;
  /** Lines asked for at the start (default 500). */
  tailLines?: number;
  /** Keep the stream open for new lines (default true; never for a previous instance). */
  follow?: boolean;
  /** Wait before reconnect attempt n (1, 2, ...): default 1 s doubling to 30 s. */
  backoffMs?: (attempt: number) => number;
  /** Listeners hear at most once per this interval (default 50 ms). */
  notifyIntervalMs?: number;
}

export type LogPhase = 'connecting' | 'streaming' | 'reconnecting' | 'ended' | 'error' | 'stopped';

export interface LogState {
  phase: LogPhase;
  error?: string;
  /** Times the stream was re-opened after a drop. */
  reconnects: number;
}

const CUT_MARK = ' …[line cut]';
// RFC 3339 timestamp the server prepends with timestamps=true.
const TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (.*)$/s;

export function logPath(t: LogTarget, q: { follow: boolean; tailLines?: number; sinceTime?: string }): string {
  const p = new URLSearchParams({ container: t.container, timestamps: 'true' });
  if (t.previous) p.set('previous', 'true');
  if (q.follow) p.set('follow', 'true');
  if (q.tailLines !== undefined) p.set('tailLines', String(q.tailLines));
  if (q.sinceTime) p.set('sinceTime', q.sinceTime);
  return `/api/v1/namespaces/${encodeURIComponent(t.namespace)}/pods/${encodeURIComponent(t.pod)}/log?${p}`;
}

export class LogStream {
  readonly lines: RingBuffer<string>;
  state: LogState = { phase: 'connecting', reconnects: 0 };
  private readonly opts: Required<LogStreamOptions>;
  private abort: AbortController | undefined;
  private stopped = false;
  private listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Dedup across reconnects: the last timestamp seen, and how many lines carried it. */
  private lastTs: string | undefined;
  private atLastTs = 0;

  constructor(
    private readonly client: LogClient,
    readonly target: LogTarget,
    opts: LogStreamOptions = {},
  ) {
    this.opts = {
      capacity: opts.capacity ?? 5000,
      maxLineLength: opts.maxLineLength ?? 4096,
      tailLines: opts.tailLines ?? 500,
      follow: (opts.follow ?? true) && !target.previous,
      backoffMs: opts.backoffMs ?? ((n) => Math.min(30_000, 1000 * 2 ** (n - 1))),
      notifyIntervalMs: opts.notifyIntervalMs ?? 50,
    };
    this.lines = new RingBuffer(this.opts.capacity);
  }

  get following(): boolean {
    return this.opts.follow;
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  start(): void {
    void this.run(0);
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.state = { ...this.state, phase: 'stopped' };
    this.listeners.clear();
  }

  private setState(s: Partial<LogState>): void {
    this.state = { ...this.state, ...s };
    this.changed();
  }

  private changed(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const l of this.listeners) l();
    }, this.opts.notifyIntervalMs);
  }

  private async run(attempt: number): Promise<void> {
    if (this.stopped) return;
    const reconnect = attempt > 0;
    this.setState({ phase: reconnect ? 'reconnecting' : 'connecting' });
    this.abort = new AbortController();
    const path = logPath(this.target, {
      follow: this.opts.follow,
      tailLines: reconnect && this.lastTs ? undefined : this.opts.tailLines,
      sinceTime: reconnect ? this.lastTs : undefined,
    });
    let skip = reconnect ? this.atLastTs : 0;
    try {
      const res = await this.client.raw(path, { signal: this.abort.signal, accept: '*/*', timeoutMs: 30_000 });
      if (!res.ok) {
        const err = statusError(res.status, await res.text(), path);
        // The server said no (bad container, no previous instance, forbidden): final.
        if (res.status >= 400 && res.status < 500) return this.setState({ phase: 'error', error: err.message });
        throw err;
      }
      this.setState({ phase: 'streaming', error: undefined });
      attempt = 0;
      await this.read(res.body, (ts, text) => {
        if (ts !== undefined && this.lastTs !== undefined) {
          if (ts < this.lastTs) return; // already have it (a reconnect re-sends)
          if (ts === this.lastTs && skip > 0) {
            skip--;
            return;
          }
        }
        if (ts !== undefined) {
          if (ts === this.lastTs) this.atLastTs++;
          else {
            this.lastTs = ts;
            this.atLastTs = 1;
          }
          skip = 0;
        }
        this.lines.push(text);
        this.changed();
      });
      if (this.stopped) return;
      if (!this.opts.follow) return this.setState({ phase: 'ended' });
    } catch (e) {
      if (this.stopped) return;
      this.setState({ error: e instanceof Error ? e.message : String(e) });
    }
    // Following and the stream ended or failed: try again, with backoff.
    if (this.stopped) return;
    const n = attempt + 1;
    this.state.reconnects++;
    this.setState({ phase: 'reconnecting' });
    this.retryTimer = setTimeout(() => void this.run(n), this.opts.backoffMs(n));
    this.retryTimer.unref?.();
  }

  /** Split a byte stream into lines, bounding the length of each (and of a line in progress). */
  private async read(body: ByteStream | null, onLine: (ts: string | undefined, text: string) => void): Promise<void> {
    if (!body) return;
    const max = this.opts.maxLineLength;
    const decoder = new TextDecoder();
    let partial = '';
    let cut = false; // the current line was already cut: drop the rest until the newline
    const emit = (raw: string) => {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const m = TS.exec(line);
      const ts = m ? m[1] : undefined;
      let text = m ? m[2] : line;
      if (cut || text.length > max) text = text.slice(0, max) + CUT_MARK;
      onLine(ts, text);
    };
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const chunk = decoder.decode(value as Uint8Array, { stream: true });
        let from = 0;
        for (;;) {
          const nl = chunk.indexOf('\n', from);
          if (nl < 0) break;
          if (!cut || partial.length < max + 40) partial += chunk.slice(from, nl);
          emit(partial);
          partial = '';
          cut = false;
          from = nl + 1;
        }
        const rest = chunk.slice(from);
        // Keep a little over max (the timestamp prefix is ~31 characters) of a line in progress.
        if (partial.length + rest.length > max + 40) {
          partial = (partial + rest).slice(0, max + 40);
          cut = true;
        } else partial += rest;
      }
      const tail = partial + decoder.decode();
      if (tail) emit(tail);
    } finally {
      reader.releaseLock();
    }
  }
}

/** The containers of a pod the log pane can pick from: app containers, then init ones. */
export function logContainers(pod: { spec: { containers: { name: string }[]; initContainers?: { name: string }[] } }): string[] {
  return [...pod.spec.containers.map((c) => c.name), ...(pod.spec.initContainers ?? []).map((c) => c.name)];
}
