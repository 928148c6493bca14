// The `/` filter reuses what earlier scans found (views/filter.ts: the objects they read while
// the store did not change, verdicts of the same objects, "not even a subsequence" verdicts
// for a longer text, a superseded scan's rows). Whatever it reuses, every result must be the
// one a fresh full search gives: typed a key at a time (and deleted again), fast (each key
// superseding an unfinished scan), with watch batches between keys and during a scan.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../src/kube/types.js';
import { ClusterStore } from '../../src/store/clusterStore.js';
import { filterRows, LiveFilter, podFilterFields, podSearchIndex, type FilterResult } from '../../views/filter.js';
import { compareKeys } from '../../views/selectors/sortedKeys.js';
import { pick, rng } from '../unit/modelFixtures.js';

const APPS = ['checkout', 'cart', 'frontend', 'search', 'ledger', 'payments-api', 'coredns', 'gateway'];
const TIERS = ['web', 'api', 'db'];

/** Lean-like pods: replicas share their labels object and containers array. */
function cluster(n: number, seed: number) {
  const r = rng(seed);
  const id = (len: number) => Math.floor(r() * 36 ** len).toString(36).padStart(len, '0');
  const labels = new Map<string, Record<string, string>>();
  const containers = new Map<string, Pod['spec']['containers']>();
  const make = (i: number, app = pick(r, APPS), tier = pick(r, TIERS)): Pod => {
    const l = labels.get(`${app}/${tier}`) ?? { app, tier, 'pod-template-hash': id(6) };
    labels.set(`${app}/${tier}`, l);
    const c = containers.get(app) ?? [{ name: app, image: `registry.example.com/${app}:1.${Math.floor(r() * 9)}` }, { name: 'proxy', image: 'envoy:1.30' }];
    containers.set(app, c);
    return {
      metadata: { name: `${app}-${id(8)}-${id(5)}`, namespace: `team-${i % 7}`, uid: `u${i}`, resourceVersion: String(i), labels: l },
      spec: { nodeName: r() < 0.1 ? undefined : `node-${Math.floor(r() * 40)}`, containers: c },
      status: { phase: 'Running' },
    } as Pod;
  };
  const store = new ClusterStore(0);
  for (let i = 0; i < n; i++) store.upsert('pods', make(i));
  store.flush();
  /** A watch batch: some pods relabelled (same names), some deleted, some new. */
  let next = n;
  const churn = () => {
    const keys = [...store.list('pods').keys()];
    for (let k = 0; k < 8; k++) {
      const p = store.get('pods', pick(r, keys))!;
      const l = { ...p.metadata.labels, tier: pick(r, ['web', 'api', 'db', 'queue']) };
      store.upsert('pods', { ...p, metadata: { ...p.metadata, resourceVersion: String(++next), labels: l } });
    }
    for (let k = 0; k < 3; k++) store.remove('pods', pick(r, keys));
    for (let k = 0; k < 3; k++) store.upsert('pods', make(++next));
    store.flush();
  };
  return { store, churn, r };
}

const plain = <R,>(x: FilterResult<R>) => ({ rows: x.rows, nameMatches: [...x.nameMatches].sort(), error: x.error });

async function settle(live: LiveFilter<string, Pod>, rows: readonly string[], text: string): Promise<FilterResult<string>> {
  for (let i = 0; i < 100_000; i++) {
    const got = live.show(rows, text);
    if (got.searching === undefined && (live as unknown as { scan?: unknown }).scan === undefined) return got;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('never settled');
}

describe('a filter typed key by key equals a fresh full search', () => {
  const queries = ['checkout', 'team-3 web', 'app=cart', 'node-1', 'envoy', 'c-1', 'tier=queue', 'ledger db', 'zzq', 'TEAM-2', 'pay api', '-l tier=db', '-l app in (cart,ledger)'];

  test('each key waited for, then deleted again; the store still', async () => {
    const { store } = cluster(2500, 3);
    const index = podSearchIndex(store);
    const keys = [...store.list('pods').keys()].sort(compareKeys);
    const get = (k: string) => store.get('pods', k);
    const live = new LiveFilter(index, (k: string) => k, get, () => undefined, { sliceMs: 0 });
    for (const q of queries) {
      const texts = [...Array.from({ length: q.length }, (_, n) => q.slice(0, n + 1)), ...Array.from({ length: q.length - 1 }, (_, n) => q.slice(0, q.length - 1 - n))];
      for (const text of texts) assert.deepEqual(plain(await settle(live, keys, text)), plain(filterRows(keys, text, get, podFilterFields)), `/${text}`);
    }
  });

  test('typed fast: every key supersedes an unfinished scan', async () => {
    const { store } = cluster(2500, 4);
    const index = podSearchIndex(store);
    const keys = [...store.list('pods').keys()].sort(compareKeys);
    const get = (k: string) => store.get('pods', k);
    const live = new LiveFilter(index, (k: string) => k, get, () => undefined, { sliceMs: 0 });
    for (const q of queries) {
      for (let n = 1; n <= q.length; n++) {
        live.show(keys, q.slice(0, n));
        await new Promise((r) => setImmediate(r)); // one slice of it
      }
      assert.deepEqual(plain(await settle(live, keys, q)), plain(filterRows(keys, q, get, podFilterFields)), `/${q}`);
    }
  });

  test('watch batches between keys and during scans', async () => {
    const { store, churn, r } = cluster(2500, 5);
    const index = podSearchIndex(store);
    const get = (k: string) => store.get('pods', k);
    const rows = () => [...store.list('pods').keys()].sort(compareKeys);
    const live = new LiveFilter(index, (k: string) => k, get, () => undefined, { sliceMs: 0 });
    let keys = rows();
    let changed = 0;
    for (const q of queries) {
      for (let n = 1; n <= q.length; n++) {
        const text = q.slice(0, n);
        live.show(keys, text);
        // Sometimes a batch lands while the scan runs (same rows array: only the objects
        // changed), sometimes between keys (new rows).
        if (r() < 0.3) {
          await new Promise((res) => setImmediate(res));
          churn();
          changed++;
        }
        if (r() < 0.3) {
          churn();
          keys = rows();
          changed++;
        }
        const got = await settle(live, keys, text);
        // What a fresh search gives over the same rows and the store as it is now.
        assert.deepEqual(plain(got), plain(filterRows(keys, text, get, podFilterFields)), `/${text}`);
      }
    }
    assert.ok(changed > 20);
  });

  test('a weak match for a shorter text may be a match for a longer one: only "not even a subsequence" is kept', async () => {
    // "q" is far into the note, at no word's start: too weak. "qj" ends it as a substring: a match.
    const store = new ClusterStore(0);
    const labels = { note: `${'x'.repeat(80)}yqj` };
    for (let i = 0; i < 3; i++) store.upsert('pods', { metadata: { name: `aaaa-${i}`, namespace: 'ns', uid: `u${i}`, resourceVersion: '1', labels }, spec: { containers: [{ name: 'a', image: 'img' }] }, status: {} } as Pod);
    store.flush();
    const keys = [...store.list('pods').keys()].sort(compareKeys);
    const get = (k: string) => store.get('pods', k);
    const live = new LiveFilter(podSearchIndex(store), (k: string) => k, get, () => undefined, { sliceMs: 0 });
    assert.deepEqual((await settle(live, keys, 'q')).rows, []);
    assert.deepEqual(filterRows(keys, 'q', get, podFilterFields).rows, []);
    assert.deepEqual((await settle(live, keys, 'qj')).rows, keys);
    assert.deepEqual(filterRows(keys, 'qj', get, podFilterFields).rows, keys);
  });
});
