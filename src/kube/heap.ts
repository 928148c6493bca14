// Keeping the heap small while a huge list streams in. Every list page arrives as one multi-MB
// string; V8 puts such strings in its large-object space and frees them only in a full GC,
// which its heuristics postpone while the heap grows: listing 150,000 pods (1.3 GB of JSON)
// peaked at ~1.5 GB RSS for ~400 MB of live data. A full GC after every `everyBytes` of list
// text keeps the peak near the live size, for a few hundred ms per GB listed.
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
