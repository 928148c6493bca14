// V8's heap: objects start young (no pretenuring); growth fixed while the cluster churns, V8's own otherwise.
//
// After each full GC V8 lets the heap grow to a factor of what survived it, which it picks from
// its GC speed against the app's allocation. Under 2,000 watch events/s at 150,000 pods that
// factor swung between ~1.1 (a full GC every ~8 s, each stalling kfleet's frames 0.2-0.8 s) and
// ~1.9 (the heap's objects to 650 MB: the highest RSS). Fixed at 1.3 (session 11, 300 s of
// churn, one run each): 26 full GCs in the churn and a peak RSS of 809 MB with V8's factor; 8
// and 685 MB fixed from the start; 10 and 709 fixed once synced (10 and 693 in a run that also
// tried --concurrent-marking-high-priority-threads). But fixed, it costs where V8 does better:
// the first list (the heap filling from nothing) took 61 full GCs instead of 4, and a metrics
// poll on a quiet cluster 1.8-2.8 s of CPU instead of 1.4-1.6 (V8's memory reducer would use
// 1.1 there, and lets a poll's burst grow the heap). So it is fixed only while the store takes
// many changes a second, after the pods are synced, and given back to V8 after a quiet spell.
// The factor is 1.2 since session 21, with the first full GC asked for when it is fixed
// (markNow). 300 s of churn at 150,000 pods, one run each: at 1.3 peak RSS 669 MB, 8 full GCs,
// key p99 30 ms; at 1.2 616 and 625, 13-14, 29-33; at 1.15 603, 20, 48; at 1.1 617, 41, 59 (and
// 37 % CPU against 30): below 1.2 the GCs cost more than the heap they save.
// `--heap-growing-percent` is read by V8 whenever it sets a limit (0: V8's own factor).
import { setFlagsFromString } from 'node:v8';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import type { ClusterStore } from '../store/clusterStore.js';

/**
 * V8's allocation-site pretenuring off, before the first list: objects then start young and
 * only those that live are moved old. V8 puts every later object of an allocation site (a
 * literal in the code) straight into the old generation once most of a sample of them lived
 * through a young GC. While the pods are listed, the sites of a pod's summary, a frame's rows
 * and React's hooks made objects that lived that long (the rows on screen keep theirs); under
 * churn the same sites then made ~0.6 MB/s of objects that lived for a moment but were born
 * old, and died old, for full GCs to find: 2.87 → 2.29 MB/s into the old generation (a
 * sampling heap profile of what survives young GCs, 60 s at 2,000 events/s, 150,000 pods).
 * In 240 s of churn, two runs each: 2 and 2 full GCs against 5 and 35, peak RSS ~650 against
 * 774 and 575 MB; the sync as long (33 s against 32, three alternating starts each).
 */
export function allocateYoung(setFlags: (flags: string) => void = setFlagsFromString, env: NodeJS.ProcessEnv = process.env): void {
  if (env.KFLEET_PRETENURE === '1') return; // V8's default kept (to compare)
  setFlags('--no-allocation-site-pretenuring');
}

export const HEAP_GROWING_PERCENT = 20;
/** Changes a second the store takes, BUSY_SECONDS in a row, for the growth to be fixed. */
export const BUSY_CHANGES_PER_S = 100;
export const BUSY_SECONDS = 3;
/** Changes a second under which, for QUIET_SECONDS in a row, V8 gets its own factor back. */
export const QUIET_CHANGES_PER_S = 20;
export const QUIET_SECONDS = 30;

/**
 * Check the current store's change rate once a second and fix or free the heap growth factor
 * (the timer does not keep the process alive). Returns a stop function. `afterMajorGc` calls
 * back after V8's next full GC (a seam for the test).
 */
export function steerHeapGrowth(current: () => ClusterStore | undefined, setFlags: (flags: string) => void = setFlagsFromString, afterMajorGc: (then: () => void) => void = onNextMajorGc): () => void {
  let fixed = false;
  let busy = 0;
  let quiet = 0;
  let last: { store: ClusterStore; version: number } | undefined;
  const timer = setInterval(() => {
    const store = current();
    if (!store) return;
    const rate = last?.store === store ? store.version - last.version : 0;
    last = { store, version: store.version };
    if (!fixed) {
      // A first list or a relist is not churn: V8 grows the heap it fills best on its own.
      busy = rate >= BUSY_CHANGES_PER_S && store.state('pods').phase === 'synced' ? busy + 1 : 0;
      if (busy >= BUSY_SECONDS) {
        fixed = true;
        quiet = 0;
        setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
        markNow(setFlags, afterMajorGc);
      }
    } else {
      quiet = rate < QUIET_CHANGES_PER_S ? quiet + 1 : 0;
      if (quiet >= QUIET_SECONDS) {
        fixed = false;
        busy = 0;
        setFlags('--heap-growing-percent=0');
      }
    }
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Have V8 start a full GC cycle at once, incremental and concurrent like its own, so that the
 * fixed growth sets the heap's limit now instead of at V8's next full GC. The limit the last GC
 * before the churn left (V8's own factor, picked on a quiet cluster) let the heap's objects grow
 * 290 -> 500 MB, ~100 s into 2,000 events/s at 150,000 pods, before the first full GC: the
 * churn's highest RSS (698-719 MB in three runs), which V8 kept from then on. Asked for, the
 * first full GC comes 2-3 s in. The soft trigger starts marking from a task once the old
 * generation holds more than that percent of its limit; it goes back to V8's own (0) after it.
 */
function markNow(setFlags: (flags: string) => void, afterMajorGc: (then: () => void) => void): void {
  setFlags('--incremental-marking-soft-trigger=1');
  afterMajorGc(() => setFlags('--incremental-marking-soft-trigger=0'));
}

/**
 * A full GC soon, for garbage that only a full GC frees and that should not wait for V8's next
 * one: a big map's old hash table after a switch (src/model/churnMap.ts), ~14 MB of large
 * objects at 150,000 pods that otherwise stayed up to ~25 s under churn.
 */
export function collectSoon(setFlags: (flags: string) => void = setFlagsFromString, afterMajorGc: (then: () => void) => void = onNextMajorGc): void {
  if (collecting) return; // one is coming
  collecting = true;
  markNow(setFlags, (then) =>
    afterMajorGc(() => {
      collecting = false;
      then();
    }),
  );
}
let collecting = false;

function onNextMajorGc(then: () => void): void {
  const stop = afterEveryMajorGc(() => {
    stop();
    then();
  });
}

/** Call `fn` after every full GC (Node's `gc` performance entries); returns a stop function. */
export function afterEveryMajorGc(fn: () => void): () => void {
  const observer = new PerformanceObserver((list) => {
    if (list.getEntries().some((e) => (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) fn();
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
