// The plain pods list (kubectl get pods -A): NAMESPACE NAME READY STATUS RESTARTS NODE AGE.
// Rows are store keys kept sorted incrementally; only the visible ones are formatted.
import { BACKGROUND_SLICE_MS, finishInBackground } from './backgroundWork.js';
import { Box } from 'ink';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Pod } from '../src/kube/types.js';
import { podDisplayStatus } from '../src/model/podStatus.js';
import type { ChangeBatch, ClusterStore } from '../src/store/clusterStore.js';
import { age, humanDuration, thousands } from './format.js';
import { liveModel } from './selectors/live.js';
import { SortedChunks, compareKeys } from './selectors/sortedKeys.js';
import { podSearchIndex, searchingNote } from './filter.js';
import { ObjectDetailView, type DetailTarget } from './ObjectDetailView.js';
import { usePodRowActions } from './podActions.js';
import type { ViewProps } from './shell.js';
import { useFilter } from './useFilter.js';
import { useResourceState, useStore } from './useStore.js';
import { Table, type Column } from './widgets/Table.js';
import { ViewTitle } from './widgets/ViewTitle.js';

/** Filter scores below this are not shown; every match is kept (limit = row count). */
export const POD_FILTER_THRESHOLD = 0.2;

/** kubectl's RESTARTS cell: "3" or "3 (5m ago)". */
export function restartsCell(pod: Pod, now: number): string {
  const s = podDisplayStatus(pod);
  return s.lastRestartAt && s.restarts > 0 ? `${s.restarts} (${age(s.lastRestartAt, now)} ago)` : String(s.restarts);
}

export function podColumns(store: ClusterStore, showNamespace: boolean): Column<string>[] {
  const pod = (k: string) => store.get('pods', k);
  const cols: Column<string>[] = [
    { header: 'NAMESPACE', get: (k) => pod(k)?.metadata.namespace ?? '', maxWidth: 24, priority: 3 },
    { header: 'NAME', get: (k) => pod(k)?.metadata.name ?? '', maxWidth: 60, minWidth: 12, priority: 100 },
    { header: 'READY', get: (k) => readyCell(pod(k)), priority: 5 },
    { header: 'STATUS', get: (k) => (pod(k) ? podDisplayStatus(pod(k)!).reason : ''), maxWidth: 26, priority: 90 },
    { header: 'RESTARTS', get: (k) => (pod(k) ? restartsCell(pod(k)!, Date.now()) : ''), align: 'right', maxWidth: 16, priority: 4 },
    { header: 'NODE', get: (k) => pod(k)?.spec.nodeName ?? '<none>', maxWidth: 30, priority: 2 },
    { header: 'AGE', get: (k) => age(pod(k)?.metadata.creationTimestamp, Date.now()), minWidth: 3, priority: 6 },
  ];
  return showNamespace ? cols : cols.slice(1);
}

function readyCell(p: Pod | undefined): string {
  if (!p) return '';
  const s = podDisplayStatus(p);
  return `${s.readyContainers}/${s.totalContainers}`;
}

const BAD = /BackOff|Err|Error|Failed|Evicted|OOMKilled|Unknown|NodeLost|Invalid/;

function rowColorOf(store: ClusterStore) {
  return (k: string): string | undefined => {
    const p = store.get('pods', k);
    if (!p) return undefined;
    const r = podDisplayStatus(p).reason;
    if (BAD.test(r)) return 'red';
    if (r === 'Running' || r === 'Completed' || r === 'Succeeded') return undefined;
    return 'yellow';
  };
}

// ---- the keys, in kubectl's order ----------------------------------------------------------

/** Below this many pods the keys are sorted inside the first render (~20 ms at 20,000). */
export const PREPARE_PODS = 20_000;
/** Keys sorted per chunk, and the work per background slice, when the list is big. */
const CHUNK = 4096;
const SLICE_MS = BACKGROUND_SLICE_MS;

/**
 * The store's pod keys sorted by namespace then name (kubectl get pods -A), kept live per
 * store (selectors/live.ts): fed every change batch from its first use, so opening the list
 * again sorts nothing. A big first sort (150,000 keys: ~0.3 s) runs in slices, SLICE_MS at a
 * time between frames: chunks are sorted, then merged pairwise (chunks already in order join
 * the run before them); keys that change meanwhile are applied when it completes.
 *
 * The order is kept in chunks (SortedChunks) changed in place; a reader gets one array, made
 * when it asks and the keys changed since. A batch must not copy or shift 150,000 keys: under
 * churn (~30 batches, ~800 adds and deletes a second) copies made per batch, also while the
 * list was hidden, filled V8's old generation at ~36 MB/s (a ~110 ms full GC every few
 * seconds), and splices in one big array took an eighth of a core.
 */
export class PodListKeys {
  /** Bumped whenever the keys change. */
  version = 0;
  /** Merges of sorted runs in the first sort (tests count them). */
  merges = 0;
  private sorted = new SortedChunks();
  private copy: { version: number; keys: readonly string[] } | undefined;
  private build: { source: Iterator<string>; runs: string[][]; merge?: Merge; pending: Set<string>; total: number; done: number } | undefined;

  constructor(readonly store: ClusterStore) {
    const pods = store.list('pods');
    if (pods.size < PREPARE_PODS) this.sorted = new SortedChunks([...pods.keys()].sort(compareKeys));
    else this.build = { source: pods.keys(), runs: [], pending: new Set(), total: pods.size, done: 0 };
  }

  /** The keys in order: the same array until they change. */
  get keys(): readonly string[] {
    if (this.copy?.version !== this.version) this.copy = { version: this.version, keys: this.sorted.toArray() };
    return this.copy.keys;
  }

  /** Keys placed so far / all keys, while the first sort runs. */
  get progress(): { done: number; total: number } | undefined {
    return this.build ? { done: this.build.done, total: this.build.total } : undefined;
  }

  apply(batch: ChangeBatch): void {
    const changed = batch.changed.get('pods');
    if (!changed || changed.size === 0) return;
    if (this.build) {
      for (const k of changed) this.build.pending.add(k);
      return;
    }
    this.move(changed);
  }

  /**
   * Bring the keys in line with the store for these changed keys. A watch event mostly
   * modifies a pod (same key, same place): only added and removed keys move.
   */
  private move(changed: Iterable<string>): void {
    const all = this.store.list('pods');
    let moved = false;
    for (const k of changed) {
      if (all.has(k) ? this.sorted.add(k) : this.sorted.delete(k)) moved = true;
    }
    if (moved) this.version++;
  }

  /** Go on with the first sort for about `budgetMs`; true when the keys are complete. */
  step(budgetMs: number): boolean {
    const b = this.build;
    if (!b) return true;
    const deadline = performance.now() + budgetMs;
    while (performance.now() < deadline) {
      if (b.merge) {
        if (!b.merge.step(deadline)) return false;
        b.runs.push(b.merge.out);
        b.merge = undefined;
        continue;
      }
      const chunk: string[] = [];
      while (chunk.length < CHUNK) {
        const r = b.source.next();
        if (r.done) break;
        chunk.push(r.value);
      }
      if (chunk.length > 0) {
        chunk.sort(compareKeys);
        // The store holds pods in the order they came, which after a list is the API server's
        // (by namespace and name): a chunk that continues the last run extends it, and a
        // listed store's keys make one run with nothing to merge.
        const last = b.runs[b.runs.length - 1];
        if (last && compareKeys(last[last.length - 1]!, chunk[0]!) <= 0) for (const k of chunk) last.push(k);
        else b.runs.push(chunk);
        b.done += chunk.length;
        continue;
      }
      // All keys read: merge the two shortest runs until one is left.
      if (b.runs.length > 1) {
        b.runs.sort((x, y) => y.length - x.length);
        const y = b.runs.pop()!;
        const x = b.runs.pop()!;
        b.merge = new Merge(x, y);
        this.merges++;
        continue;
      }
      // The Map iterator also visited keys added after it started; the keys changed meanwhile
      // (added, removed) are settled now.
      this.sorted = new SortedChunks(b.runs[0] ?? []);
      this.build = undefined;
      this.move(b.pending);
      this.version++;
      return true;
    }
    return false;
  }
}

/** A merge of two sorted runs that can stop at a deadline and go on later. */
class Merge {
  /** Filled by push: `new Array(n)` of 100,000 or more makes a slow dictionary-mode array in V8. */
  readonly out: string[] = [];
  private i = 0;
  private j = 0;

  constructor(
    private readonly a: string[],
    private readonly b: string[],
  ) {}

  step(deadline: number): boolean {
    const { a, b, out } = this;
    while (this.i < a.length || this.j < b.length) {
      for (let n = 0; n < 4096 && (this.i < a.length || this.j < b.length); n++) {
        if (this.j >= b.length || (this.i < a.length && compareKeys(a[this.i], b[this.j]) <= 0)) out.push(a[this.i++]);
        else out.push(b[this.j++]);
      }
      if (performance.now() >= deadline && (this.i < a.length || this.j < b.length)) return false;
    }
    return true;
  }
}

const keysBuilt = new WeakSet<ClusterStore>();
const columnsOf = new WeakMap<ClusterStore, { showNamespace: boolean; columns: Column<string>[] }>();

/** The live sorted keys of a store's pods. */
export function podListKeysFor(store: ClusterStore): PodListKeys {
  keysBuilt.add(store);
  return liveModel(store, 'podListKeys', () => new PodListKeys(store), (m, batch) => m.apply(batch));
}

/**
 * Run a first sort to the end in the background, SLICE_MS at a time (also after the view is
 * closed: the keys changed meanwhile wait for it); `onProgress` hears about it ~4 times a second.
 */
const finishSort = (model: PodListKeys, onProgress: () => void) => finishInBackground(model, () => model.step(SLICE_MS), onProgress, 250);

/** The list's keys sorted in the background before it is first opened (ViewDef.prepareWhenSynced). */
export function preparePodList(store: ClusterStore): void {
  if (store.size('pods') < PREPARE_PODS) return;
  const model = podListKeysFor(store);
  // Nobody waits for it (the listener is dropped at once); the sort still goes on to the end.
  if (model.progress) finishSort(model, () => {})();
}

/** The shell's hint (ViewDef.preparing): a big first sort, or nothing to wait for. */
export function podListPreparing(store: ClusterStore, namespace: string | undefined): string | undefined {
  if (namespace !== undefined || keysBuilt.has(store) || store.size('pods') < PREPARE_PODS) return undefined;
  return `sorting ${thousands(store.size('pods'))} pods…`;
}

/** Keys of the pods in scope, sorted by namespace then name; live for all namespaces. */
function usePodKeys(store: ClusterStore, namespace: string | undefined): { keys: readonly string[]; progress?: { done: number; total: number } } {
  const [, tick] = useReducer((x: number) => x + 1, 0);
  const model = useMemo(() => (namespace === undefined ? podListKeysFor(store) : undefined), [store, namespace]);
  const scoped = useRef<readonly string[]>([]);
  useStore(
    store,
    (s, batch) => {
      if (model) return model.version;
      if (!batch || batch.changed.has('pods')) scoped.current = [...s.byIndex('podsByNamespace', namespace!)].sort(compareKeys);
      return scoped.current;
    },
    [model, namespace],
  );
  const building = model?.progress !== undefined;
  useEffect(() => (model && building ? finishSort(model, tick) : undefined), [model, building]);
  if (!model) return { keys: scoped.current };
  return { keys: model.progress ? [] : model.keys, progress: model.progress };
}

export function PodListView({ store, width, height, namespace, filter }: ViewProps) {
  const { keys, progress } = usePodKeys(store, namespace);
  const state = useResourceState(store, 'pods');
  const version = useStore(store, (s) => s.version);

  // Enter opens the pod's detail; the row keys (delete, restart, scale, ...) act on the cursor row.
  const [detail, setDetail] = useState<DetailTarget | undefined>(undefined);
  const cursorKey = useRef<string | undefined>(undefined);
  usePodRowActions(store, () => cursorKey.current, setDetail, detail === undefined);

  // The shared `/` filter (views/filter.ts): fuzzy over name, namespace, node, labels, images; `-l` selector.
  // Searched in the background at scale: the previous result shows until the new one is complete.
  const filtered = useFilter(keys, detail ? '' : filter, podSearchIndex(store), identity, (k) => store.get('pods', k));
  const rows = filtered.rows;

  const columns = useMemo(() => {
    // The same columns object each time: the table keeps its measured widths with it.
    const showNamespace = namespace === undefined;
    const c = columnsOf.get(store);
    if (c && c.showNamespace === showNamespace) return c.columns;
    const cols = podColumns(store, showNamespace);
    columnsOf.set(store, { showNamespace, columns: cols });
    return cols;
  }, [store, namespace]);
  const rowColor = useMemo(() => rowColorOf(store), [store]);

  const where = namespace === undefined ? 'all namespaces' : `namespace ${namespace}`;
  let title = `Pods — ${thousands(rows.length)}${filter ? ` of ${thousands(keys.length)} matching /${filter}` : ''} in ${where}${searchingNote(filtered)}`;
  let warn: string | undefined;
  if (filtered.error) warn = `⚠ bad label selector: ${filtered.error}`;
  else if (state.phase === 'forbidden') warn = `⚠ pods are forbidden for this user: ${state.error ?? '403'}`;
  else if (state.phase === 'listing' || state.phase === 'relisting') title += ` · listing ${thousands(state.loaded)}${state.estimatedTotal ? `/~${thousands(state.estimatedTotal)}` : ''}…`;
  if (progress) title += ` · sorting ${thousands(progress.done)}/${thousands(progress.total)}…`;
  else if (state.stale && state.lastSyncAt) warn = `⚠ stale: not synced for ${humanDuration(Date.now() - state.lastSyncAt)}${state.error ? ` (${state.error})` : ''}`;
  else if ((state.phase === 'backoff' || state.phase === 'error') && state.error) warn = `⚠ ${state.error}`;

  const empty =
    state.phase === 'forbidden'
      ? 'no access to pods'
      : state.phase === 'idle' || state.phase === 'listing'
        ? 'listing pods…'
        : progress
          ? `sorting ${thousands(progress.total)} pods…`
        : filter
          ? `no pod matches /${filter}`
          : `no pods in ${where}`;
  const tableHeight = Math.max(2, height - 1 - (warn ? 1 : 0));
  if (detail) return <ObjectDetailView store={store} target={detail} width={width} height={height} filter={filter} onClose={() => setDetail(undefined)} />;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <ViewTitle title={title} warn={warn} width={width} />
      <Table
        rows={rows}
        rowKey={identity}
        columns={columns}
        width={width}
        height={tableHeight}
        rowColor={rowColor}
        emptyText={empty}
        dataVersion={version}
        onEnter={(k) => setDetail({ kind: 'pods', key: k })}
        onSelected={(k) => (cursorKey.current = k)}
        highlight={(k) => {
          const ix = filtered.nameMatches.get(k);
          return ix ? { header: 'NAME', indexes: ix } : undefined;
        }}
      />
    </Box>
  );
}

const identity = (k: string) => k;
