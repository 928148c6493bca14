// The plain pods list (kubectl get pods -A): NAMESPACE NAME READY STATUS RESTARTS NODE AGE.
// Rows are store keys kept sorted incrementally; only the visible ones are formatted.
import { Box } from 'ink';
import { useMemo, useRef, useState } from 'react';
import type { Pod } from '../src/kube/types.js';
import { podDisplayStatus } from '../src/model/podStatus.js';
import type { ClusterStore } from '../src/store/clusterStore.js';
import { age, humanDuration, thousands } from './format.js';
import { SortedKeys, compareKeys } from './selectors/sortedKeys.js';
import { podSearchIndex, searchingNote } from './filter.js';
import { ObjectDetailView, type DetailTarget } from './ObjectDetailView.js';
import { usePodRowActions } from './podActions.js';
import type { ViewProps } from './shell.js';
import { useFilter } from './useFilter.js';
import { useStore } from './useStore.js';
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

/** Keys of the pods in scope, sorted by namespace then name; incremental for all namespaces. */
function usePodKeys(store: ClusterStore, namespace: string | undefined): readonly string[] {
  const sorted = useRef<SortedKeys | null>(null);
  if (!sorted.current || sorted.current.kind !== 'pods') sorted.current = new SortedKeys('pods');
  return useStore(
    store,
    (s, batch) => {
      if (namespace !== undefined) {
        if (batch && !batch.changed.has('pods')) return sorted.current!.keys;
        sorted.current!.keys = [...s.byIndex('podsByNamespace', namespace)].sort(compareKeys);
        return sorted.current!.keys;
      }
      return sorted.current!.update(s, batch);
    },
    [namespace],
  );
}

export function PodListView({ store, width, height, namespace, filter }: ViewProps) {
  const keys = usePodKeys(store, namespace);
  const state = useStore(store, (s) => s.state('pods'));
  const version = useStore(store, (s) => s.version);

  // Enter opens the pod's detail; the row keys (delete, restart, scale, ...) act on the cursor row.
  const [detail, setDetail] = useState<DetailTarget | undefined>(undefined);
  const cursorKey = useRef<string | undefined>(undefined);
  usePodRowActions(store, () => cursorKey.current, setDetail, detail === undefined);

  // The shared `/` filter (views/filter.ts): fuzzy over name, namespace, node, labels, images; `-l` selector.
  // Searched in the background at scale: the previous result shows until the new one is complete.
  const filtered = useFilter(keys, detail ? '' : filter, podSearchIndex(store), identity, (k) => store.get('pods', k));
  const rows = filtered.rows;

  const columns = useMemo(() => podColumns(store, namespace === undefined), [store, namespace]);
  const rowColor = useMemo(() => rowColorOf(store), [store]);

  const where = namespace === undefined ? 'all namespaces' : `namespace ${namespace}`;
  let title = `Pods — ${thousands(rows.length)}${filter ? ` of ${thousands(keys.length)} matching /${filter}` : ''} in ${where}${searchingNote(filtered)}`;
  let warn: string | undefined;
  if (filtered.error) warn = `⚠ bad label selector: ${filtered.error}`;
  else if (state.phase === 'forbidden') warn = `⚠ pods are forbidden for this user: ${state.error ?? '403'}`;
  else if (state.phase === 'listing' || state.phase === 'relisting') title += ` · listing ${thousands(state.loaded)}${state.estimatedTotal ? `/~${thousands(state.estimatedTotal)}` : ''}…`;
  else if (state.stale && state.lastSyncAt) warn = `⚠ stale: not synced for ${humanDuration(Date.now() - state.lastSyncAt)}${state.error ? ` (${state.error})` : ''}`;
  else if ((state.phase === 'backoff' || state.phase === 'error') && state.error) warn = `⚠ ${state.error}`;

  const empty =
    state.phase === 'forbidden'
      ? 'no access to pods'
      : state.phase === 'idle' || state.phase === 'listing'
        ? 'listing pods…'
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
