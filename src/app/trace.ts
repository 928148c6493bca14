// Hidden benchmark instrumentation, off by default. With KFLEET_TRACE=FILE, kfleet appends
// JSON lines to FILE: a `frame` per terminal write (what Ink drew), and a `tick` per second
// (RSS, event-loop utilisation and delay, the newest resourceVersion the store applied), a `gc`
// per main-thread garbage collection of 5 ms or more (every full one, with the heap left after it), and what other modules note with traceEvent
// (e.g. each metrics poll's cost).
// `npm run bench` (test/bench/) reads them. Times are epoch milliseconds with sub-ms precision.
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { PerformanceObserver, constants, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { ClusterStore } from '../store/clusterStore.js';
import { sharedSizes } from '../kube/intern.js';

const now = () => performance.timeOrigin + performance.now();

let sink: ((o: object) => void) | undefined;

/**
 * Per V8 heap space (new, old, large objects, code...): [resident bytes, bytes of objects in it].
 * What V8 holds beyond its objects is the young generation's empty half and free gaps in old pages.
 */
function residentSpaces(): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const sp of v8.getHeapSpaceStatistics()) out[sp.space_name.replace(/_space$/, '')] = [sp.physical_space_size, sp.space_used_size];
  return out;
}

/** A line in the trace when tracing is on; nothing otherwise. */
export function traceEvent(event: string, fields: object): void {
  sink?.({ t: now(), event, ...fields });
}

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** Start tracing when KFLEET_TRACE is set; `store` gives the current context's store. */
export function installTrace(store: () => ClusterStore | undefined): void {
  const file = process.env.KFLEET_TRACE;
  if (!file) return;
  const fd = fs.openSync(file, 'a');
  const line = (o: object) => fs.writeSync(fd, JSON.stringify(o) + '\n');
  sink = line;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = ((e as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind ?? -1;
      const major = kind === constants.NODE_PERFORMANCE_GC_MAJOR;
      if (e.duration < 5 && !major) continue;
      // After a full GC, V8's heap in use is about what lived through it (a few MB more: what
      // was made since): a live-heap series over a run without forcing GCs of our own.
      const after = major ? { heapAfter: v8.getHeapStatistics().used_heap_size } : {};
      line({ t: performance.timeOrigin + e.startTime, event: 'gc', ms: Math.round(e.duration * 10) / 10, kind: GC_KINDS[kind] ?? String(kind), ...after });
    }
  }).observe({ entryTypes: ['gc'] });
  const snap = () => {
    const s = store();
    return s ? { pods: s.size('pods'), phase: s.state('pods').phase, rv: s.latestResourceVersion } : {};
  };
  const write = process.stdout.write.bind(process.stdout) as (...a: unknown[]) => boolean;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    // An empty write is Ink waiting for its output to drain (a key's frame flush), not a frame.
    if (chunk.length > 0) line({ t: now(), event: 'frame', bytes: chunk.length, ...snap() });
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  // SIGUSR2: a full GC, then a `live-heap` line: what stays once garbage is gone (the bench
  // compares it before and after churn, to tell a leak from V8's slack).
  process.on('SIGUSR2', () => {
    v8.setFlagsFromString('--expose-gc');
    (vm.runInNewContext('gc') as () => void)();
    const m = process.memoryUsage();
    line({ t: now(), event: 'live-heap', heap: m.heapUsed, rss: m.rss });
  });
  // The delay monitor wakes the process every 10 ms: alone ~0.7% CPU of an idle kfleet, which
  // the bench's idle figure would then count. It runs only from a second in which the loop was
  // busy (ELU over 2%) until a quiet one; a quiet second reports no delay.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let monitoring = false;
  let elu = performance.eventLoopUtilization();
  setInterval(() => {
    const next = performance.eventLoopUtilization();
    const m = process.memoryUsage();
    const utilization = performance.eventLoopUtilization(next, elu).utilization;
    const delays = monitoring ? { delayP99: delay.percentile(99) / 1e6, delayMax: delay.max / 1e6 } : {};
    // heapTotal (what V8 holds for its heap) and external/arrayBuffers (Buffers) tell which part of
    // RSS is the JS heap and which is native memory; `shared`, how full intern.ts's tables are
    // (bounded: they fill under churn, then stay).
    line({ t: now(), event: 'tick', rss: m.rss, heap: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, spaces: residentSpaces(), shared: sharedSizes(), elu: utilization, ...delays, ...snap() });
    elu = next;
    delay.reset();
    const busy = utilization > 0.02;
    if (busy !== monitoring) {
      monitoring = busy;
      if (busy) delay.enable();
      else delay.disable();
    }
  }, 1000).unref();
}
