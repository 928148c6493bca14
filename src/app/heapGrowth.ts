// How far V8 lets the old generation grow between full GCs. kfleet keeps every pod of the
// cluster in memory (~300 MB live at 150,000 pods), and under a storm of watch events each
// replaced pod is garbage in the old generation (~2 MB/s at 2,000 events/s). A full GC of a
// heap that size holds the main thread for ~0.5 s on a 2-core machine (V8 wants its marking
// done within ~500 ms; what the background markers do not finish the main thread does in
// steps), so how often one comes decides how many keys wait.
//
// Left to itself, V8 picks the growth factor at each full GC from its speed and the
// allocation rate: under churn it picked 1.1-1.4 (a full GC every 15-60 s, measured), and
// after a metrics poll up to ~3 (RSS to 1.2 GB). A fixed factor of 2 gives a full GC every
// ~100 s under the same churn and bounds the heap to twice what is live. (Measured at
// 150,000 pods in README "Performance".)
//
// An operator's own choice wins: --heap-growing-percent in NODE_OPTIONS or on node's command
// line is left alone, and KFLEET_HEAP_GROWING_PERCENT sets another value (0: V8's default).
import v8 from 'node:v8';

export const DEFAULT_HEAP_GROWING_PERCENT = 100;

/** The flag to set, or undefined when the operator chose (or chose V8's own heuristics). */
export function heapGrowthFlag(env: NodeJS.ProcessEnv, execArgv: readonly string[]): string | undefined {
  const chosen = (s: string | undefined) => !!s && /--heap[-_]growing[-_]percent\b/.test(s);
  if (chosen(env.NODE_OPTIONS) || execArgv.some(chosen)) return undefined;
  const raw = env.KFLEET_HEAP_GROWING_PERCENT;
  const percent = raw === undefined || raw.trim() === '' ? DEFAULT_HEAP_GROWING_PERCENT : Number(raw);
  if (!Number.isInteger(percent) || percent <= 0) return undefined;
  return `--heap-growing-percent=${percent}`;
}

/** Set the growth factor for this process (before the cluster's objects arrive). */
export function setHeapGrowth(): void {
  const flag = heapGrowthFlag(process.env, process.execArgv);
  if (flag) v8.setFlagsFromString(flag);
}
