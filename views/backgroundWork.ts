// Finishing a model's big first build (a sort, a count, a grouping) in the background: `step`
// does one slice of work and says whether it is done; slices run between frames and keys
// (setImmediate), and to the end even when the view is closed meanwhile (models are kept per
// store, so the next visit finds it done). Every view that waits for the work hears about its
// progress every `progressMs`, and once when it is done.
const running = new WeakMap<object, Set<() => void>>();

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
