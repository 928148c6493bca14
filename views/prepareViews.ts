// Views whose first opening would wait for a big model (ViewDef.prepareWhenSynced) get it
// built in the background as soon as the kinds they show are synced, once per store: the
// operator then opens them at once. The plain pod list at 150,000 pods: its first sort
// (~0.3 s in slices) made the first key in a just-opened list wait ~110 ms.
import { useEffect } from 'react';
import type { ClusterStore } from '../src/store/clusterStore.js';
import type { ViewDef } from './registry.js';

const prepared = new WeakMap<ClusterStore, Set<string>>();

/** Start each view's preparation whose kinds are all synced in `store` (at most once per store and view). */
export function prepareSyncedViews(store: ClusterStore, views: readonly ViewDef[]): void {
  let done = prepared.get(store);
  for (const v of views) {
    if (!v.prepareWhenSynced || done?.has(v.name)) continue;
    if (!v.kinds.every((k) => store.state(k).phase === 'synced')) continue;
    if (!done) prepared.set(store, (done = new Set()));
    done.add(v.name);
    v.prepareWhenSynced(store);
  }
}

/** prepareSyncedViews now and whenever a kind's sync state changes in `store`. */
export function usePrepareWhenSynced(store: ClusterStore | undefined, views: readonly ViewDef[]): void {
  useEffect(() => {
    if (!store) return;
    prepareSyncedViews(store, views);
    return store.subscribe((batch) => {
      if (batch.stateChanged.size > 0) prepareSyncedViews(store, views);
    });
  }, [store, views]);
}
