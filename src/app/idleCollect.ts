// Full GCs in idle time, not in the middle of the operator's next keys.
//
// V8 starts a full GC when the heap reaches its limit, that is while something allocates: a
// key's work (a view's first build, a filter) or a metrics poll. So its pauses (15-25 ms to
// finish marking at 150,000 pods, plus the young GCs around it) landed in keypresses, and the
// garbage of a poll sat in the heap until the next keys pushed it over the limit: in the
// bench's quiet keys a full GC came with the filter's Esc (66 ms), the view switches and the
// scrolling, after ~90 MB of garbage had waited through the idle phase before them.
// When the event loop has been idle for IDLE_SECONDS and the heap has grown since the last
// full GC by IDLE_GROWTH_SHARE of what it left (IDLE_GROWTH_MIN at least), one is asked for at
// once (heapGrowth.collectSoon: incremental and concurrent like V8's own), and the next keys
// start with the garbage gone and the whole headroom to allocate in. Under churn the loop is never idle and V8 keeps its own timing.
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { afterEveryMajorGc, collectSoon } from './heapGrowth.js';
import { traceEvent } from './trace.js';

/** Seconds in a row with the event loop busy less than IDLE_ELU of the time. */
export const IDLE_SECONDS = 2;
export const IDLE_ELU = 0.05;
/** Growth since the last full GC worth one: this share of what it left, at least IDLE_GROWTH_MIN bytes. */
export const IDLE_GROWTH_SHARE = 0.1;
export const IDLE_GROWTH_MIN = 16 * 2 ** 20;

export interface HeapProbe {
  /** Bytes of the heap in use now. */
  heapUsed(): number;
  /** Share of the time the event loop was busy since the last call. */
  busyShare(): number;
  /** Call `fn` after every full GC. */
  afterEveryMajorGc(fn: () => void): void;
}

/** Check once a second (the timer does not keep the process alive). Returns a stop function. */
export function collectWhenIdle(probe: HeapProbe = processProbe(), collect: () => void = () => collectSoon()): () => void {
  let base = probe.heapUsed(); // in use after the last full GC
  probe.afterEveryMajorGc(() => (base = probe.heapUsed()));
  let idle = 0;
  const timer = setInterval(() => {
    idle = probe.busyShare() < IDLE_ELU ? idle + 1 : 0;
    if (idle < IDLE_SECONDS) return;
    const used = probe.heapUsed();
    if (used - base < Math.max(IDLE_GROWTH_MIN, IDLE_GROWTH_SHARE * base)) return;
    traceEvent('idle-collect', { heapMB: Math.round(used / 2 ** 20), afterLastFullGcMB: Math.round(base / 2 ** 20) });
    base = used; // asked once: the GC sets it again when it comes
    collect();
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}

function processProbe(): HeapProbe {
  let last = performance.eventLoopUtilization();
  return {
    heapUsed: () => getHeapStatistics().used_heap_size,
    busyShare() {
      const now = performance.eventLoopUtilization();
      const share = performance.eventLoopUtilization(now, last).utilization;
      last = now;
      return share;
    },
    afterEveryMajorGc: (fn) => void afterEveryMajorGc(fn),
  };
}
