// V8's heap growth, fixed once the cluster is listed.
//
// After each full GC V8 lets the heap grow to a factor of what survived it, which it picks from
// its GC speed against the app's allocation. Under 2,000 watch events/s at 150,000 pods that
// factor swung between ~1.1 (a full GC every ~8 s, each stalling kfleet's frames 0.2-0.8 s) and
// ~1.9 (the heap's objects to 650 MB: the highest RSS). Fixed at 1.3 (session 11, 300 s of
// churn, one run each): 26 full GCs in the churn and a peak RSS of 809 MB with V8's factor; 8
// and 685 MB fixed from the start; 10 and 709 fixed once synced (10 and 693 in a run that also
// tried --concurrent-marking-high-priority-threads). Fixed from the start, the first list (the
// heap filling from nothing) took 61 full GCs instead of 4: it is set once the pods are synced.
// `--heap-growing-percent` is read by V8 whenever it sets a limit, so setting it late works.
import { setFlagsFromString } from 'node:v8';
import type { SyncPhase } from '../store/clusterStore.js';

export const HEAP_GROWING_PERCENT = 30;

/**
 * Fix the heap growth factor the first time `podsPhase` says synced (checked once a second;
 * the timer does not keep the process alive). Returns a stop function.
 */
export function fixHeapGrowthOnceSynced(podsPhase: () => SyncPhase | undefined, setFlags: (flags: string) => void = setFlagsFromString): () => void {
  const timer = setInterval(() => {
    if (podsPhase() !== 'synced') return;
    clearInterval(timer);
    setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}
