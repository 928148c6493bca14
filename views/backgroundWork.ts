// Finishing a model's big first build (a sort, a count, a grouping) in the background: `step`
// does one slice of work and says whether it is done; slices run between frames and keys
// (setImmediate), and to the end even when the view is closed meanwhile (models are kept per
// store, so the next visit finds it done). Every view that waits for the work hears about its
// progress every `progressMs`, and once when it is done.
const running = new WeakMap<object, Set<() => void>>();

/**
 * How long one slice of a big first build (count, sort, grouping, index) may hold the event
 * loop: a key that comes meanwhile waits for the slice's end, and for a young GC in it. At 12 ms
 * the bench's view switches at 150,000 pods waited 12-18 ms in the terminal before kfleet read
 * them (a key's trace time against the bench's write), longer than their render took.
 */
export const BACKGROUND_SLICE_MS = 6;

/** Whether background work on `work` (the model) is under way. */
export function isRunning(work: object): boolean {
  return running.has(work);
}

/** Run `step` on `work` until it returns true, unless already running; returns the unsubscribe of `onProgress`. */
export function finishInBackground(work: object, step: () => boolean, onProgress: () => void, progressMs: number): () => void {
  let listeners = running.get(work);
  if (!listeners) {
    const ls = new Set<() => void>();
    running.set(work, (listeners = ls));
    let told = performance.now();
    const run = () => {
      if (step()) {
        running.delete(work);
        for (const l of [...ls]) l();
        return;
      }
      setImmediate(run);
      if (performance.now() - told >= progressMs) {
        told = performance.now();
        for (const l of [...ls]) l();
      }
    };
    setImmediate(run);
  }
  const ls = listeners;
  ls.add(onProgress);
  return () => void ls.delete(onProgress);
}
