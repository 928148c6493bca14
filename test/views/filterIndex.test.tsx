// The `/` filter at scale (views/filter.ts): the search index prepared in the background and
// incrementally, searches in slices that a newer keystroke cancels, and results equal to a
// one-shot search. No timing: slices are forced small (sliceMs 0: one chunk of rows each).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../src/kube/types.js';
import { parseHierarchy } from '../../src/model/labelTree.js';
import { ClusterStore } from '../../src/store/clusterStore.js';
import { filterRows, LiveFilter, newPodSearchIndex, podFilterFields, podSearchIndex, type FilterResult } from '../../views/filter.js';
import { PodTreeModel } from '../../views/selectors/podTree.js';
import { compareKeys } from '../../views/selectors/sortedKeys.js';

// Deterministic pseudo-random (mulberry32).
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const APPS = ['checkout', 'cart', 'frontend', 'search', 'ledger', 'payments-api', 'recommender', 'inventory', 'coredns', 'gateway'];
const TIERS = ['web', 'api', 'db', 'cache'];

function makePods(n: number, seed = 7): Pod[] {
  const r = rng(seed);
  const pick = <T,>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const id = (len: number) => Math.floor(r() * 36 ** len).toString(36).padStart(len, '0');
  return Array.from({ length: n }, (_, i) => {
    const app = pick(APPS);
    const ns = `team-${i % 17}`;
    return {
      metadata: { name: `${app}-${id(8)}-${id(5)}`, namespace: ns, uid: `u${i}`, resourceVersion: '1', labels: { app, tier: pick(TIERS), version: `v${1 + Math.floor(r() * 4)}` } },
      spec: { nodeName: `node-${Math.floor(r() * 60)}`, containers: [{ name: app, image: `registry.example.com/${app}:1.${Math.floor(r() * 9)}` }] },
      status: { phase: 'Running' },
    } as Pod;
  });
}

function storeOf(pods: readonly Pod[]): ClusterStore {
  const s = new ClusterStore(0);
  for (const p of pods) s.upsert('pods', p);
  s.flush();
  return s;
}

/** Let background slices (setImmediate) run until `done()`, at most `max` turns. */
async function until(done: () => boolean, max = 100_000): Promise<void> {
  for (let i = 0; i < max && !done(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(done(), 'background work finished');
}

const plain = <R,>(r: FilterResult<R>) => ({ rows: r.rows, nameMatches: [...r.nameMatches].sort() });

/** Pods as lean.ts makes them: replicas share one labels object and one containers array. */
function makeLeanPods(n: number, seed = 7): Pod[] {
  const r = rng(seed);
  const pick = <T,>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const id = (len: number) => Math.floor(r() * 36 ** len).toString(36).padStart(len, '0');
  const labels = new Map<string, Record<string, string>>();
  const containers = new Map<string, Pod['spec']['containers']>();
  return Array.from({ length: n }, (_, i) => {
    const app = pick(APPS);
    const tier = pick(TIERS);
    const l = labels.get(`${app}/${tier}`) ?? { app, tier };
    labels.set(`${app}/${tier}`, l);
    const c = containers.get(app) ?? [{ name: app, image: `registry.example.com/${app}:1.0` }];
    containers.set(app, c);
    return {
      metadata: { name: `${app}-${id(8)}-${id(5)}`, namespace: `team-${i % 5}`, uid: `u${i}`, resourceVersion: '1', labels: l },
      spec: { nodeName: `node-${Math.floor(r() * 20)}`, containers: c },
      status: { phase: 'Running' },
    } as Pod;
  });
}

/** Shared targets a pods index makes for these pods: namespaces, nodes, and one labels and
 *  one images text per group of replicas (same namespace, labels object, containers). */
function sharedTargets(pods: readonly Pod[]): number {
  const ids = new Map<object, number>();
  const id = (o: object) => ids.get(o) ?? (ids.set(o, ids.size), ids.size - 1);
  const groups = new Set(pods.map((p) => `${p.metadata.namespace}|${id(p.metadata.labels!)}|${id(p.spec.containers)}`));
  const values = new Set(pods.flatMap((p) => [`ns:${p.metadata.namespace}`, `node:${p.spec.nodeName}`]));
  return values.size + 2 * groups.size;
}

describe('the search index', () => {
  test('nothing per pod: targets are made per group of replicas, in the background, then for the pods that change', async () => {
    const pods = makeLeanPods(3000);
    const store = storeOf(pods);
    const index = podSearchIndex(store);
    assert.equal(podSearchIndex(store), index, 'one per store');
    await index.idle();
    const made = sharedTargets(pods);
    assert.ok(made <= 5 + 20 + 2 * 5 * APPS.length * TIERS.length, `${made} shared targets for 3,000 pods`);
    assert.equal(index.prepares, made);
    assert.equal(index.size, 5 + 20, 'namespaces and nodes, by value');

    // One pod gets new labels (a new group: its labels and images texts), one is deleted, one
    // is added to an existing group: 2 targets made.
    const p = pods[42];
    const moved = { ...p, metadata: { ...p.metadata, resourceVersion: '2', labels: { ...p.metadata.labels, tier: 'db', extra: 'x' } } };
    store.upsert('pods', moved);
    store.remove('pods', `${pods[7].metadata.namespace}/${pods[7].metadata.name}`);
    store.upsert('pods', { ...p, metadata: { ...p.metadata, name: 'brand-new', uid: 'new' } });
    store.flush();
    await index.idle();
    assert.equal(index.prepares, made + 2);

    // A search makes nothing new.
    const keys = [...store.list('pods').keys()].sort(compareKeys);
    const live = new LiveFilter(index, (k: string) => k, (k) => store.get('pods', k), () => undefined, { sliceMs: 0 });
    live.show(keys, 'extra=x');
    await until(() => live.show(keys, 'extra=x').searching === undefined);
    assert.equal(index.prepares, made + 2);
    assert.deepEqual(live.show(keys, 'extra=x').rows, [`${p.metadata.namespace}/${p.metadata.name}`], 'the changed pod is found by its new label');
  });

  test('a changed pod is searched by its new fields', () => {
    const index = newPodSearchIndex();
    const [a, b] = makePods(2);
    assert.equal(filterRowsWith(index, [a, b], 'team').length, 2);
    const made = index.prepares;
    assert.equal(filterRowsWith(index, [a, b], 'team').length, 2);
    assert.equal(index.prepares, made, 'the same pods again: nothing made');
    const a2 = { ...a, metadata: { ...a.metadata, resourceVersion: '9', labels: { ...a.metadata.labels, zone: 'qqq' } } };
    assert.deepEqual(filterRowsWith(index, [a2, b], 'zone=qqq'), [a2]);
    assert.deepEqual(filterRowsWith(index, [a, b], 'zone=qqq'), []);
  });
});

function filterRowsWith(index: ReturnType<typeof newPodSearchIndex>, rows: Pod[], text: string): Pod[] {
  let out: Pod[] = [];
  const live = new LiveFilter(index, (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`, (p) => p, () => undefined, { sliceMs: Infinity });
  out = live.show(rows, text).rows;
  return out;
}

describe('searching in slices', () => {
  const pods = makePods(3000, 11);
  const store = storeOf(pods);
  const keys = [...store.list('pods').keys()].sort(compareKeys);
  const get = (k: string) => store.get('pods', k);
  const oneShot = (text: string, rows: readonly string[] = keys) => filterRows(rows, text, get, podFilterFields);

  test('a scan superseded by a newer keystroke never publishes', async () => {
    const index = newPodSearchIndex();
    let text = '';
    const seen: { searching?: number; rows: readonly string[] }[] = [];
    const live = new LiveFilter(index, (k: string) => k, get, () => seen.push(live.show(keys, text)), { sliceMs: 0 });
    assert.equal(live.show(keys, text).rows, keys); // no filter: every row, at once
    text = 'c';
    const first = live.show(keys, text);
    assert.ok(first.searching !== undefined && first.searching < 1, 'too big for one slice');
    assert.equal(first.rows, keys, 'the previous result stays on screen meanwhile');
    await new Promise((r) => setImmediate(r)); // one more slice of "c"
    text = 'chk';
    live.show(keys, text);
    await until(() => live.show(keys, text).searching === undefined);
    const want = oneShot('chk').rows;
    assert.ok(seen.length >= 1);
    for (const s of seen) {
      if (s.searching !== undefined) assert.equal(s.rows, keys, 'while searching: the last complete result (never the dropped "c")');
      else assert.deepEqual(s.rows, want);
    }
    assert.deepEqual(live.show(keys, text).rows, want);
  });

  test('sliced results equal a one-shot search, for random queries and when typed key by key', async () => {
    const r = rng(3);
    const pick = <T,>(a: readonly T[]) => a[Math.floor(r() * a.length)];
    const sub = (s: string) => {
      const i = Math.floor(r() * s.length);
      return s.slice(i, i + 1 + Math.floor(r() * 6));
    };
    const queries: string[] = ['c', 'chk', 'team-1', 'node-4', 'tier=db', 'web api', '1.3', 'zzzq', '-l tier=db', '-l app in (cart,ledger),version!=v2', '-l app in (a'];
    for (let i = 0; i < 30; i++) {
      const p = pick(pods);
      const field = pick([p.metadata.name, p.metadata.namespace!, p.spec.nodeName!, `tier=${p.metadata.labels!.tier}`, p.spec.containers[0].image!]);
      queries.push(r() < 0.2 ? `${sub(field)} ${sub(pick(pods).metadata.name)}` : sub(field));
    }
    const index = newPodSearchIndex();
    const live = new LiveFilter(index, (k: string) => k, get, () => undefined, { sliceMs: 0 });
    let matched = 0;
    for (const q of queries) {
      const want = oneShot(q);
      // Typed one key at a time: each text supersedes the previous, narrowing where it can.
      for (let n = 1; n <= q.length; n++) live.show(keys, q.slice(0, n));
      await until(() => live.show(keys, q).searching === undefined);
      const got = live.show(keys, q);
      assert.deepEqual(plain(got), plain(want), `/${q}`);
      assert.equal(got.error, want.error);
      if (want.rows.length > 0) matched++;
    }
    assert.ok(matched > 25, 'most queries match something');
    assert.equal(oneShot('-l app in (a').error, 'missing ")"');
  });

  test('typing forward skips only the pods that cannot match: the same rows as from scratch', async () => {
    const index = newPodSearchIndex();
    const live = new LiveFilter(index, (k: string) => k, get, () => undefined, { sliceMs: Infinity });
    for (const q of ['c', 'ch', 'che', 'chec', 'check', 'checko', 'checko t', 'checko te']) {
      assert.deepEqual(plain(live.show(keys, q)), plain(oneShot(q)), `/${q}`);
    }
  });

  test('rows that change while a scan runs: it finishes, then the new rows are searched', async () => {
    const index = newPodSearchIndex();
    let renders = 0;
    const live = new LiveFilter(index, (k: string) => k, get, () => void renders++, { sliceMs: 0 });
    live.show(keys, 'cart');
    await until(() => live.show(keys, 'cart').searching === undefined);
    // Watch batches: new rows arrays, same text. The last complete result stays, unmarked.
    const half = keys.filter((_, i) => i % 2 === 0);
    const third = keys.filter((_, i) => i % 3 === 0);
    assert.deepEqual(plain(live.show(half, 'cart')), plain(oneShot('cart')));
    assert.equal(live.show(third, 'cart').searching, undefined);
    // The scan of `half` is not restarted for `third`: it completes (no progress renders for
    // the same text), and asks for a render ...
    renders = 0;
    await until(() => renders > 0);
    assert.equal(renders, 1);
    assert.deepEqual(plain(live.show(half, 'cart')), plain(oneShot('cart', half)));
    // ... which searches the latest rows.
    live.show(third, 'cart');
    await until(() => live.show(third, 'cart').rows.length === oneShot('cart', third).rows.length);
    assert.deepEqual(plain(live.show(third, 'cart')), plain(oneShot('cart', third)));
  });
});

describe('the pods tree filter', () => {
  test('searched in slices over the shared index; pods changed meanwhile are checked again', async () => {
    const pods = makePods(2000, 5);
    const store = storeOf(pods);
    const levels = parseHierarchy('namespace,app');
    const index = podSearchIndex(store);
    await index.idle();
    const made = index.prepares;
    const model = new PodTreeModel(levels, undefined, 'name', index);
    model.filterSliceMs = 0;
    model.sync(store, undefined);
    let done = 0;
    model.setFilter('tier=db', () => void done++);
    assert.ok(model.searching !== undefined, 'too big for one slice');
    assert.equal(model.filtered, undefined, 'nothing filtered is shown before the search is complete');
    // While it runs: one pod starts matching, one stops matching.
    const on = pods.find((p) => p.metadata.labels!.tier !== 'db')!;
    const off = pods.find((p) => p.metadata.labels!.tier === 'db')!;
    const batch = new Set<string>();
    for (const [p, tier] of [[on, 'db'], [off, 'web']] as const) {
      store.upsert('pods', { ...p, metadata: { ...p.metadata, resourceVersion: '2', labels: { ...p.metadata.labels, tier } } });
      batch.add(`${p.metadata.namespace}/${p.metadata.name}`);
    }
    model.sync(store, { changed: new Map([['pods', batch]]), stateChanged: new Set(), metricsChanged: false, connectionChanged: false });
    await until(() => model.searching === undefined);
    assert.ok(done >= 1);
    const want = filterRows([...store.list('pods').values()], 'tier=db', (p) => p, podFilterFields).rows.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    const got = [...store.list('pods').keys()].filter((k) => model.filtered!.pod(k) !== undefined);
    assert.deepEqual([...got].sort(), [...want].sort());
    assert.ok(model.filtered!.pod(`${on.metadata.namespace}/${on.metadata.name}`));
    assert.equal(model.filtered!.pod(`${off.metadata.namespace}/${off.metadata.name}`), undefined);
    // Only the two changed pods' new groups (new labels objects) were made: their labels and
    // images texts.
    assert.equal(index.prepares, made + 4);
  });

  test('a newer text drops the search of the older one', async () => {
    const store = storeOf(makePods(2000, 9));
    const model = new PodTreeModel(parseHierarchy('namespace'), undefined, 'name', podSearchIndex(store));
    model.sync(store, undefined);
    model.setFilter('c');
    model.setFilter('ledger');
    model.finishFilter();
    assert.equal(model.filter, 'ledger');
    await until(() => model.searching === undefined);
    await new Promise((r) => setImmediate(r));
    assert.equal(model.filter, 'ledger', 'the dropped "c" search never replaced it');
    const want = filterRows([...store.list('pods').values()], 'ledger', (p) => p, podFilterFields).rows.length;
    assert.equal(model.filtered!.size, want);
  });
});
