// Driving the BUILT kfleet in a pseudo-terminal for the benchmark: when frames arrive, what
// the screen shows after each, and kfleet's own trace (KFLEET_TRACE, src/app/trace.ts).
import fs from 'node:fs';
import { PtySession } from '../helpers/pty.js';

export interface TraceLine {
  t: number;
  /** frame: a terminal write; tick: once a second (delay figures only while the loop is busy); gc: a main-thread GC of 5 ms or more (t = its
   *  start); metrics-poll: one metrics.k8s.io poll (t = its end). */
  event: 'frame' | 'tick' | 'gc' | 'metrics-poll' | 'live-heap';
  bytes?: number;
  /** tick: pods in the store; metrics-poll: pods in the response. */
  pods?: number;
  phase?: string;
  rv?: number;
  rss?: number;
  /** tick: the JS heap's objects, live or not yet collected (heapUsed). */
  heap?: number;
  /** tick: what V8 holds for its heap (heapTotal): the part of RSS that is the JS heap. */
  heapTotal?: number;
  /** tick: Buffers and other native memory V8 is told of. */
  external?: number;
  /** tick: per V8 heap space (new, old, large_object, code...): [resident bytes, bytes of objects]. */
  spaces?: Record<string, [number, number]>;
  /** tick: entries in intern.ts's sharing tables (strings, values). */
  shared?: { strings: number; values: number };
  elu?: number;
  delayP99?: number;
  delayMax?: number;
  /** gc: the pause, ms, and its kind ("minor", "major", "incremental", "weakcb"). */
  ms?: number;
  kind?: string;
  /** gc, full ones only: V8's heap in use right after it (what lived through it, and a little more). */
  heapAfter?: number;
  /** metrics-poll: wall time and the process's CPU time (all threads, anything it did meanwhile), ms. */
  wallMs?: number;
  cpuMs?: number;
  nextMs?: number;
}

const now = () => performance.timeOrigin + performance.now();

/** A kfleet session that notes, for every output chunk, when it arrived and the screen after it. */
export class BenchSession {
  readonly pty: PtySession;
  readonly startedAt: number;
  private watchers: { test: (screen: string) => boolean; resolve: (t: number) => void; since: number }[] = [];
  private traceOffset = 0;
  private traceRest = '';
  readonly trace: TraceLine[] = [];

  constructor(
    args: string[],
    readonly traceFile: string,
    cols = 120,
    rows = 40,
    env: Record<string, string> = {},
  ) {
    fs.writeFileSync(traceFile, '');
    this.startedAt = now();
    this.pty = new PtySession(args, { cols, rows, env: { KFLEET_TRACE: traceFile, ...benchNodeOptions(), ...env } });
    this.pty.proc.onData(() => {
      const t = now();
      // PtySession has queued this chunk into the headless terminal; check the screen after it.
      const written = (this.pty as unknown as { pendingWrites: Promise<void> }).pendingWrites;
      void written.then(() => this.check(t));
    });
  }

  get pid(): number {
    return this.pty.proc.pid;
  }

  private check(t: number): void {
    if (this.watchers.length === 0) return;
    const screen = this.pty.screen();
    this.watchers = this.watchers.filter((w) => {
      // A chunk that came before the watch (a frame the key did not cause, parsed late) does not count.
      if (t < w.since || !w.test(screen)) return true;
      w.resolve(t);
      return false;
    });
  }

  /** Resolves with the arrival time of the first chunk after which the screen passes `test`. */
  until(test: (screen: string) => boolean, timeoutMs: number, what: string, onlyNewOutput = false): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.watchers = this.watchers.filter((w) => w.resolve !== done);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${this.pty.screen()}`));
      }, timeoutMs);
      const done = (t: number) => {
        clearTimeout(timer);
        resolve(t);
      };
      this.watchers.push({ test, resolve: done, since: now() });
      // Already true (no chunk will come): check now; not for a key's effect, which needs output
      // that comes after the key.
      if (onlyNewOutput) return;
      void (this.pty as unknown as { pendingWrites: Promise<void> }).pendingWrites.then(() => {
        if (test(this.pty.screen())) {
          this.watchers = this.watchers.filter((w) => w.resolve !== done);
          done(now());
        }
      });
    });
  }

  /** Press keys; resolves with ms from the write to the first frame that passes `test`. */
  async keyLatency(keys: string, test: (screen: string) => boolean, timeoutMs = 20_000): Promise<number> {
    const t0 = now();
    const p = this.until(test, timeoutMs, `the frame after ${JSON.stringify(keys)}`, true);
    this.pty.press(keys);
    return (await p) - t0;
  }

  /** New trace lines since the last call. */
  readTrace(): TraceLine[] {
    let text = '';
    try {
      const fd = fs.openSync(this.traceFile, 'r');
      const size = fs.fstatSync(fd).size;
      if (size > this.traceOffset) {
        const buf = Buffer.alloc(size - this.traceOffset);
        fs.readSync(fd, buf, 0, buf.length, this.traceOffset);
        this.traceOffset = size;
        text = buf.toString('utf8');
      }
      fs.closeSync(fd);
    } catch {
      return [];
    }
    const lines = (this.traceRest + text).split('\n');
    this.traceRest = lines.pop() ?? '';
    const out = lines.filter(Boolean).map((l) => JSON.parse(l) as TraceLine);
    this.trace.push(...out);
    return out;
  }

  /** The newest resourceVersion kfleet had applied, per its trace. */
  /** kfleet's heap after a full GC (SIGUSR2, src/app/trace.ts), bytes. */
  async liveHeap(): Promise<number | undefined> {
    const before = this.trace.length;
    this.readTrace();
    process.kill(this.pid, 'SIGUSR2');
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      this.readTrace();
      const l = this.trace.slice(before).find((x) => x.event === 'live-heap');
      if (l) return l.heap;
    }
    return undefined;
  }

  latestRv(): number {
    this.readTrace();
    for (let i = this.trace.length - 1; i >= 0; i--) if (this.trace[i].rv !== undefined) return this.trace[i].rv!;
    return 0;
  }

  async quit(): Promise<void> {
    this.pty.press('q');
    await Promise.race([this.pty.exit, new Promise((r) => setTimeout(r, 5000))]);
    await this.pty.kill();
  }
}

/** The line of the selected row ("> " marker), or '' when none. */
export function selectedLine(screen: string): string {
  return screen.split('\n').find((l) => l.startsWith('> ')) ?? '';
}

export function percentile(xs: number[], p: number): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** KFLEET_BENCH_NODE_OPTIONS: Node/V8 options for kfleet's process only (A/B runs of V8 settings; the sim and the bench keep theirs). */
function benchNodeOptions(): Record<string, string> {
  const o = process.env.KFLEET_BENCH_NODE_OPTIONS;
  return o ? { NODE_OPTIONS: o } : {};
}
