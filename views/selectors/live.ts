// Models that outlive their view: one per (store, kind of model), built on first use and then
// fed every change batch of the store, also while its view is hidden. Opening a view again
// costs no rebuild over the store (150,000 pods): the model is already current, and the view
// only draws its window. The store holds the models through the WeakMap key, so they go
// with it (a context switch drops a store and its models together).
//
// A batch is applied once however many listeners hand it over: the model's own subscription
// comes first (it subscribed before the view did), and a view's `useStore` selector calling
// `sync(store, batch)` again for the same batch is a no-op.
import type { ChangeBatch, ClusterStore } from '../../src/store/clusterStore.js';

const models = new WeakMap<ClusterStore, Map<string, { model: unknown; off: () => void }>>();

/**
 * The live model `name` of `store`: `create` builds it the first time, or when `accept` says
 * the kept one does not fit any more (e.g. another hierarchy): the old one is then
 * unsubscribed and dropped, so at most one model per name is kept per store. `apply` brings
 * it up to date with one change batch (O(changed keys)).
 */
export function liveModel<M>(store: ClusterStore, name: string, create: () => M, apply: (m: M, batch: ChangeBatch) => void, accept: (m: M) => boolean = () => true): M {
  let byName = models.get(store);
  if (!byName) models.set(store, (byName = new Map()));
  const kept = byName.get(name);
  if (kept && accept(kept.model as M)) return kept.model as M;
  kept?.off();
  const model = create();
  byName.set(name, { model, off: store.subscribe((b) => apply(model, b)) });
  return model;
}
