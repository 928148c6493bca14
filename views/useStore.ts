// useStore(store, selector, deps): a value derived from the store, recomputed on the store's
// coalesced change notices (<= ~30 per second) and when `store` or `deps` change. The
// component re-renders only when the value changes (Object.is, or `isEqual`).
//
// The selector gets the ChangeBatch of the notice (undefined for a full recompute), so it can
// be incremental: keep a structure in a ref and update only the keys that changed.
import { useEffect, useReducer, useRef } from 'react';
import type { ResourceKind } from '../src/kube/types.js';
import type { ChangeBatch, ClusterStore, ResourceState } from '../src/store/clusterStore.js';

export type Selector<T> = (store: ClusterStore, batch: ChangeBatch | undefined) => T;

export function useStore<T>(store: ClusterStore, selector: Selector<T>, deps: readonly unknown[] = [], isEqual: (a: T, b: T) => boolean = Object.is): T {
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const latest = useRef(selector);
  latest.current = selector;
  const cache = useRef<{ store: ClusterStore; deps: readonly unknown[]; value: T } | null>(null);
  if (!cache.current || cache.current.store !== store || !sameDeps(cache.current.deps, deps)) {
    cache.current = { store, deps, value: selector(store, undefined) };
  }
  useEffect(() => {
    const update = (batch: ChangeBatch | undefined) => {
      const c = cache.current;
      if (!c || c.store !== store) return;
      const next = latest.current(store, batch);
      if (!isEqual(c.value, next)) {
        c.value = next;
        rerender();
      }
    };
    const off = store.subscribe(update);
    // A notice may have gone out between the render and this subscription.
    if (cache.current && cache.current.store === store && noticeCount(store) !== seenAt.get(cache.current)) update(undefined);
    return off;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store]);
  seenAt.set(cache.current, noticeCount(store));
  return cache.current.value;
}

/** How many notices each store has delivered (one permanent counting listener per store). */
const notices = new WeakMap<ClusterStore, { n: number }>();
function noticeCount(store: ClusterStore): number {
  let c = notices.get(store);
  if (!c) {
    const counter = { n: 0 };
    c = counter;
    notices.set(store, counter);
    store.subscribe(() => void counter.n++);
  }
  return c.n;
}
const seenAt = new WeakMap<object, number>();

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/**
 * A resource's sync state as the views show it. Every watch event and bookmark stamps
 * `lastSyncAt`, so the state object changes every few seconds on a quiet cluster: a view that
 * compared it by identity re-rendered (and Ink redrew the screen) for nothing. Views show
 * `lastSyncAt` only as the age of stale or failing data, so it counts only then.
 */
export function useResourceState(store: ClusterStore, kind: ResourceKind): Readonly<ResourceState> {
  return useStore(store, (s) => s.state(kind), [kind], sameShownState);
}

export function sameShownState(a: Readonly<ResourceState>, b: Readonly<ResourceState>): boolean {
  if (a === b) return true;
  if (a.phase !== b.phase || a.loaded !== b.loaded || a.estimatedTotal !== b.estimatedTotal || a.stale !== b.stale || a.error !== b.error || a.retryAt !== b.retryAt) return false;
  const aged = a.stale || a.phase === 'error' || a.phase === 'backoff' || a.phase === 'forbidden';
  return !aged || a.lastSyncAt === b.lastSyncAt;
}
