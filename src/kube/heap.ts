// Keeping the list worker's heap small while a huge list streams in. Every list page arrives as
// one multi-MB string; V8 puts such strings in its large-object space and frees them only in a
// full GC, which its heuristics postpone while the heap grows. A full GC after every
// `everyBytes` of list text keeps the peak near the live size, for a few hundred ms per GB
// listed. Only on the worker: on the main thread each such GC stopped the UI for ~200 ms at
// 150,000 pods (its heap is big), and without them the peak was the same (measured).
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined | null = null;

function getGc(): (() => void) | undefined {
  if (gc !== null) return gc;
  try {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  } catch {
    gc = undefined;
  }
  return gc;
}

let sinceGc = 0;

/** Note `bytes` of list text parsed; collect when enough has gone by. */
export function listedBytes(bytes: number, everyBytes = 48 * 2 ** 20): void {
  sinceGc += bytes;
  if (sinceGc < everyBytes) return;
  sinceGc = 0;
  getGc()?.();
}
