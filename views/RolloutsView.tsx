// `:rollouts`: Deployments, StatefulSets and DaemonSets with their revision, rollout state and
// progress, failing ones first, each failing row saying why its pods fail. `enter`/`h` opens
// the revision history; `u` rolls back (after the shell's confirm) through Actions, and the
// row is then followed live until the new rollout completes or stalls.
import { BACKGROUND_SLICE_MS, finishInBackground } from './backgroundWork.js';
import { Box, Text } from 'ink';
import fuzzysort from 'fuzzysort';
import { useContext, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { diffTemplates, formatDiff, type TemplateDiff } from '../src/model/templateDiff.js';
import type { RevisionEntry, UndoPatchPlan } from '../src/model/rollout.js';
import type { ClusterStore } from '../src/store/clusterStore.js';
import { ActionsContext } from './actionsContext.js';
import { humanDuration, textWidth, thousands, truncate } from './format.js';
import { RolloutHistoryView } from './RolloutHistoryView.js';
import { countFailing, getWorkload, historyOf, parseRowKey, planUndoFromStore, rolloutIndexFor, SHORT_KIND, type RolloutIndex, type RolloutRow, type RolloutSnapshot } from './selectors/rollouts.js';
import { useShell, useViewActions, type ViewProps } from './shell.js';
import { useStore } from './useStore.js';
import { layoutColumns, Table, WIDTH_SAMPLE, type Column } from './widgets/Table.js';
import { ViewTitle } from './widgets/ViewTitle.js';

/** Filter scores below this are not shown (fuzzysort 4 needs limit and threshold given). */
export const ROLLOUT_FILTER_THRESHOLD = 0.2;
/** The REASON column never gets narrower than this (one "1 CrashLoopBackOff" fits). */
const REASON_MIN = 20;
const REASON_MAX = 48;
const MARK = 2;
const GAP = 2;

const STATE_TEXT: Record<RolloutRow['state']['phase'], string> = {
  stalled: '✗ stalled',
  progressing: '▶ progressing',
  paused: '‖ paused',
  complete: '✓ complete',
};

/** "✗ stalled", "✗ progressing" (pods failing), "▶ progressing", "‖ paused", "✓ complete". */
export function stateCell(r: RolloutRow): string {
  if (r.state.phase === 'progressing' && r.failing) return '✗ progressing';
  return STATE_TEXT[r.state.phase];
}

/** A small progress bar of updated/desired: "▇▇▁▁ 1/3". */
export function progressCell(r: RolloutRow, barWidth = 4): string {
  const filled = Math.max(0, Math.min(barWidth, Math.round(r.state.progress * barWidth)));
  return `${'▇'.repeat(filled)}${'▁'.repeat(barWidth - filled)} ${r.state.updated}/${r.state.desired}`;
}

/** Why it fails: pod reasons with counts, then the stalled condition. */
export function reasonCell(r: RolloutRow): string {
  const parts = r.problems.map((p) => `${p.count} ${p.reason}`);
  if (r.state.phase === 'stalled') parts.push('ProgressDeadlineExceeded');
  return parts.join(', ');
}

/** Image names without their registry/path ("checkout:1.6.0-crash"). */
export function shortImage(image: string): string {
  const at = image.lastIndexOf('/');
  return at >= 0 ? image.slice(at + 1) : image;
}

export function rolloutColumns(get: (k: string) => RolloutRow | undefined, showNamespace: boolean): Column<string>[] {
  return [
    { header: 'NAME', get: (k) => { const r = get(k); return r ? (showNamespace ? `${r.namespace}/${r.name}` : r.name) : ''; }, maxWidth: 48, minWidth: 8, priority: 100 },
    { header: 'KIND', get: (k) => (get(k) ? SHORT_KIND[get(k)!.kind] : ''), priority: 45 },
    { header: 'REV', get: (k) => String(get(k)?.revision ?? '?'), align: 'right', priority: 70 },
    { header: 'STATE', get: (k) => (get(k) ? stateCell(get(k)!) : ''), priority: 95 },
    { header: 'UPDATED', get: (k) => (get(k) ? progressCell(get(k)!) : ''), priority: 85 },
    { header: 'READY', get: (k) => { const r = get(k); return r ? `${r.state.ready}/${r.state.desired}` : ''; }, priority: 90 },
    { header: 'AVAIL', get: (k) => String(get(k)?.state.available ?? ''), align: 'right', priority: 40 },
    { header: 'IMAGES', get: (k) => (get(k)?.images ?? []).map(shortImage).join(', '), maxWidth: 32, priority: 30 },
    { header: 'STRATEGY', get: (k) => get(k)?.strategy ?? '', maxWidth: 24, priority: 20 },
  ];
}

function reasonColumn(get: (k: string) => RolloutRow | undefined, width: number): Column<string> {
  return { header: 'REASON', get: (k) => (get(k) ? reasonCell(get(k)!) : ''), width, priority: 99 };
}

/**
 * The columns laid out for `width`: the others first (dropping the least important), leaving
 * at least REASON_MIN for REASON, which then takes what is left (up to what it needs).
 */
export function fitColumns(get: (k: string) => RolloutRow | undefined, rows: readonly string[], width: number, showNamespace: boolean): Column<string>[] {
  const cols = rolloutColumns(get, showNamespace);
  let need = textWidth('REASON');
  for (const k of rows.length > WIDTH_SAMPLE ? rows.slice(0, WIDTH_SAMPLE) : rows) need = Math.max(need, textWidth(reasonColumnText(get, k)));
  // Wide enough: keep room for the whole reason; narrow: at least REASON_MIN.
  const reserve = Math.min(need, width >= 110 ? REASON_MAX : REASON_MIN);
  const laid = layoutColumns(cols, rows, width - reserve - GAP);
  const used = MARK + laid.reduce((s, c) => s + c.width, 0) + GAP * (laid.length - 1);
  const reasonWidth = Math.max(0, Math.min(need, REASON_MAX, width - used - GAP));
  const fixed = laid.map((c) => ({ ...c.col, width: c.width }));
  // REASON goes right after the counts, before IMAGES/STRATEGY.
  const at = fixed.findIndex((c) => c.header === 'IMAGES' || c.header === 'STRATEGY');
  const reason = reasonColumn(get, reasonWidth);
  if (reasonWidth === 0) return fixed;
  return at < 0 ? [...fixed, reason] : [...fixed.slice(0, at), reason, ...fixed.slice(at)];
}

function reasonColumnText(get: (k: string) => RolloutRow | undefined, k: string): string {
  const r = get(k);
  return r ? reasonCell(r) : '';
}

function rowColor(r: RolloutRow | undefined): string | undefined {
  if (!r) return undefined;
  if (r.rank <= 1) return 'red';
  if (r.rank === 2) return 'yellow';
  if (r.rank === 3) return 'magenta';
  return undefined;
}

/** The selected row's two detail lines. */
export function detailLines(r: RolloutRow): [string, string] {
  const s = r.state;
  const first = `${r.name} rev ${r.revision ?? '?'}: ${s.message} · desired ${s.desired} updated ${s.updated} ready ${s.ready} available ${s.available}`;
  const pods = r.problems.length ? `pods: ${r.problems.map((p) => `${p.count} ${p.reason} (${p.example})`).join(', ')} · ` : '';
  return [first, `${pods}${r.images.join(', ')} · ${r.strategy}`];
}

interface WorkloadSync {
  /** One of the three kinds is still being listed. */
  listing: boolean;
  forbidden: string[];
  /** Oldest last sync among stale kinds. */
  staleSince?: number;
}

const WORKLOAD_KINDS = ['deployments', 'statefulsets', 'daemonsets'] as const;

function workloadSync(store: ClusterStore): WorkloadSync {
  const out: WorkloadSync = { listing: false, forbidden: [] };
  for (const k of WORKLOAD_KINDS) {
    const st = store.state(k);
    if (st.phase === 'idle' || st.phase === 'listing' || st.phase === 'relisting') out.listing = true;
    if (st.phase === 'forbidden') out.forbidden.push(k);
    else if (st.stale && st.lastSyncAt) out.staleSince = Math.min(out.staleSince ?? Infinity, st.lastSyncAt);
  }
  return out;
}

const sameSync = (a: WorkloadSync, b: WorkloadSync) => a.listing === b.listing && a.staleSince === b.staleSince && a.forbidden.join() === b.forbidden.join();

interface Follow {
  key: string;
  label: string;
  /** Revision before the undo, and the one asked for. */
  from?: number;
  to: number;
  /** The store has shown the change (new revision or a rollout in progress). */
  seen: boolean;
  done?: 'complete' | 'stalled';
}

/** Confirm dialog lines for an undo: target, images, change-cause, the template diff, kubectl. */
export function undoConfirmDetails(plan: UndoPatchPlan, compactDiff: TemplateDiff, target: RevisionEntry | undefined, kubectl: string, maxLines: number): string[] {
  const head = [`revision ${plan.fromRevision ?? '?'} → ${plan.toRevision}${target?.changeCause ? ` · ${target.changeCause}` : ''}`];
  for (const c of plan.imageChanges) head.push(`${c.container}: ${c.from ?? '(none)'} → ${c.to ?? '(none)'}`);
  head.push(`template diff, current → revision ${plan.toRevision} (-${plan.diff.removed} +${plan.diff.added} lines):`);
  const tail = [`same as: ${kubectl}`];
  // Hunk headers ("@@ -10 +10 @@") say little here; a gap between hunks is marked "…".
  const lines = formatDiff(compactDiff).map((l) => (l.startsWith('@@') ? '…' : l));
  if (lines[0] === '…') lines.shift();
  const room = Math.max(1, maxLines - head.length - tail.length);
  const body = lines.length > room ? [...lines.slice(0, room - 1), `… ${lines.length - room + 1} more diff lines (the history view shows all)`] : lines;
  return [...head, ...body, ...tail];
}

/** The columns fitted to a snapshot's rows (its get() reads the same rows). */
const fitted = new WeakMap<RolloutSnapshot, { rows: readonly string[]; width: number; showNamespace: boolean; columns: Column<string>[] }>();

/** From this many workloads the first render reads none of them (the background slices do). */
export const PREPARE_WORKLOADS = 2000;
/** A small store's index is built within the first render (~10 µs a workload). */
const FIRST_SLICE_MS = 8;
/** The background slices of a big first build, and how often they redraw its progress. */
const SLICE_MS = BACKGROUND_SLICE_MS;
const PROGRESS_MS = 150;

/** What the view draws while the index's first build runs. */
const BUILDING: RolloutSnapshot = { order: [], rows: new Map(), version: -1 };

/**
 * Run the index's unfinished first build to the end in the background, SLICE_MS at a time
 * between frames and keys, also when the view is closed meanwhile; `onProgress` hears about it.
 */
const finishBuild = (index: RolloutIndex, onProgress: () => void) => finishInBackground(index, () => index.step(SLICE_MS), onProgress, PROGRESS_MS);

/** The index's snapshot, or BUILDING while its first build runs (batches then re-render nothing). */
function useRolloutSnapshot(store: ClusterStore, index: RolloutIndex): RolloutSnapshot {
  const [, tick] = useReducer((x: number) => x + 1, 0);
  // The selector applies each batch; a changed snapshot draws again.
  useStore(store, (s, batch) => {
    index.update(s, batch);
    if (!batch && index.progress && workloadCount(s) < PREPARE_WORKLOADS) index.step(FIRST_SLICE_MS);
    return index.progress ? BUILDING : index.current;
  }, [index]);
  const building = index.progress !== undefined;
  useEffect(() => (building ? finishBuild(index, tick) : undefined), [index, building]);
  // Rows whose pods changed are recomputed in the background: draw again when they are.
  useEffect(() => index.onChange(tick), [index]);
  return building ? BUILDING : index.current;
}

const workloadCount = (store: ClusterStore) => store.size('deployments') + store.size('statefulsets') + store.size('daemonsets');

export function RolloutsView({ store, width, height, namespace, filter }: ViewProps) {
  const shell = useShell();
  const actions = useContext(ActionsContext);
  // Kept per store and fed while the view is hidden: coming back rebuilds no row (rows whose
  // pods changed meanwhile are recomputed in the background once the view listens again).
  const index = useMemo(() => rolloutIndexFor(store), [store]);
  const snap = useRolloutSnapshot(store, index);
  const progress = index.progress;
  const sync = useStore(store, workloadSync, [], sameSync);
  const [historyKey, setHistoryKey] = useState<string | null>(null);
  const [follow, setFollow] = useState<Follow | null>(null);
  const [, setCursorTick] = useState(0);
  const sel = useRef<{ key?: string; index: number }>({ index: 0 });

  const get = useMemo(() => (k: string) => snap.rows.get(k), [snap]);
  const pinned = follow?.key;
  const rows = useMemo(() => {
    let keys: readonly string[] = snap.order;
    if (namespace !== undefined) keys = keys.filter((k) => snap.rows.get(k)?.namespace === namespace);
    const q = filter.trim();
    if (q) {
      const objs = keys.map((k) => snap.rows.get(k)!);
      const hit = new Set(fuzzysort.go(q, objs, { key: 'filterText', limit: objs.length, threshold: ROLLOUT_FILTER_THRESHOLD }).map((r) => r.obj.key));
      keys = keys.filter((k) => hit.has(k));
    }
    // The rollout being followed stays on top until the operator moves on.
    if (pinned && keys.includes(pinned)) keys = [pinned, ...keys.filter((k) => k !== pinned)];
    return keys;
  }, [snap, snap.version, namespace, filter, pinned]); // eslint-disable-line react-hooks/exhaustive-deps

  // The selected row, found the way the Table finds its cursor (by key, else same index).
  let selIndex = 0;
  if (rows.length > 0) {
    const guess = Math.min(sel.current.index, rows.length - 1);
    const found = sel.current.key === undefined ? -1 : rows[guess] === sel.current.key ? guess : rows.indexOf(sel.current.key);
    selIndex = found >= 0 ? found : guess;
  }
  sel.current.index = selIndex;
  const selected = rows.length > 0 ? snap.rows.get(rows[selIndex]!) : undefined;

  // Follow the rollout started by an undo until it completes or stalls.
  useEffect(() => {
    if (follow?.done && !rows.includes(follow.key)) setFollow(null); // filtered out: done with it
    if (!follow || follow.done) return;
    const r = snap.rows.get(follow.key);
    if (!r) {
      setFollow(null);
      return;
    }
    const seen = follow.seen || r.revision !== follow.from || r.state.phase === 'progressing';
    if (seen && (r.state.phase === 'complete' || r.state.phase === 'stalled')) {
      const done = r.state.phase;
      setFollow({ ...follow, seen, done });
      if (done === 'complete') shell.notify(`${follow.label} rolled back: revision ${r.revision ?? '?'} rolled out, ${r.state.ready}/${r.state.desired} ready`);
      else shell.notify(`${follow.label}: the rollback to revision ${follow.to} stalled (${r.state.message})`, 'error');
    } else if (seen !== follow.seen) setFollow({ ...follow, seen });
  }, [snap, snap.version, follow, shell, rows]);

  const requestUndo = (rowKey: string, toRevision?: number) => {
    const { kind, storeKey } = parseRowKey(rowKey);
    const label = `${kind.toLowerCase()} ${storeKey}`;
    const w = getWorkload(store, kind, storeKey);
    if (!w) return shell.notify(`${label} no longer exists`, 'error');
    const plan = planUndoFromStore(store, kind, w, toRevision ?? 0);
    if (plan.kind === 'error') return shell.notify(`${label}: ${plan.message}`, 'error');
    if (plan.kind === 'skip') return shell.notify(`${label}: ${plan.message}`);
    if (!actions) return shell.notify('rollback unavailable: the shell gives this view no Actions for the context', 'error');
    const ns = w.metadata.namespace ?? 'default';
    const name = w.metadata.name;
    const target = historyOf(store, kind, w).find((e) => e.revision === plan.toRevision);
    const kubectl = `kubectl rollout undo ${kind.toLowerCase()}/${name} -n ${ns}${toRevision ? ` --to-revision=${toRevision}` : ''}`;
    const compact = diffTemplates(w.spec.template, plan.targetTemplate, { context: 1 });
    shell.confirm({
      title: `Roll back ${label} to revision ${plan.toRevision}`,
      object: `${label} (now at revision ${plan.fromRevision ?? '?'})`,
      details: undoConfirmDetails(plan, compact, target, kubectl, Math.max(5, Math.min(16, Math.floor(height / 2)))),
      onConfirm: async () => {
        const result = await actions.rolloutUndo({ kind, namespace: ns, name, ...(toRevision ? { toRevision } : {}) });
        shell.notify(result.message, result.ok ? 'info' : 'error');
        const applied = result.ok && result.details?.plan?.kind === 'patch';
        if (applied) {
          setHistoryKey(null);
          setFollow({ key: rowKey, label, from: result.details?.fromRevision ?? plan.fromRevision, to: result.details?.toRevision ?? plan.toRevision, seen: false });
        }
      },
    });
  };

  useViewActions((action) => {
    if (historyKey) return false; // the history view has the keys
    switch (action) {
      case 'undo':
        if (!selected) shell.notify('no workload selected', 'error');
        else requestUndo(selected.key);
        return true;
      case 'history':
      case 'enter':
        if (!selected) return action === 'history';
        setHistoryKey(selected.key);
        return true;
      default:
        return false;
    }
  });

  const columns = useMemo(() => {
    // Kept per snapshot: the view opened again on unchanged rows measures nothing.
    const showNamespace = namespace === undefined;
    const c = fitted.get(snap);
    if (c && c.rows === rows && c.width === width && c.showNamespace === showNamespace) return c.columns;
    const cols = fitColumns(get, rows, width, showNamespace);
    fitted.set(snap, { rows, width, showNamespace, columns: cols });
    return cols;
  }, [get, rows, width, namespace]); // eslint-disable-line react-hooks/exhaustive-deps
  const colorOf = useMemo(() => (k: string) => rowColor(get(k)), [get]);

  if (historyKey) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <RolloutHistoryView store={store} rowKey={historyKey} width={width} height={height} onBack={() => setHistoryKey(null)} onUndo={(e) => requestUndo(historyKey, e.revision)} />
      </Box>
    );
  }

  const where = namespace === undefined ? 'all namespaces' : `namespace ${namespace}`;
  const failing = countFailing(rows, snap.rows, pinned);
  let title = progress
    ? `Rollouts — counting rollouts… ${Math.floor((100 * progress.done) / Math.max(1, progress.total))}% (${thousands(progress.done)}/${thousands(progress.total)} workloads)`
    : `Rollouts — ${thousands(rows.length)}${filter ? ` of ${thousands(snap.order.length)}` : ''} workloads${filter ? ` matching /${filter}` : ''} in ${where}${failing ? ` · ${failing} failing` : ''}`;
  if (sync.listing) title += ' · listing…';
  let warn: string | undefined;
  if (sync.forbidden.length) warn = `⚠ ${sync.forbidden.join(', ')} forbidden for this user: those rows are missing`;
  else if (sync.staleSince !== undefined) warn = `⚠ stale: not synced for ${humanDuration(Date.now() - sync.staleSince)}`;

  let followLine: string | undefined;
  if (follow) {
    const r = snap.rows.get(follow.key);
    const counts = r ? `${progressCell(r, width >= 140 ? 10 : 4)} updated · ${r.state.ready}/${r.state.desired} ready` : '';
    const what = `${SHORT_KIND[parseRowKey(follow.key).kind]} ${follow.label.slice(follow.label.indexOf(' ') + 1)}`;
    if (follow.done === 'complete') followLine = `✓ rollback of ${what} complete · ${counts} · now revision ${r?.revision ?? '?'} (revision ${follow.to}'s template)`;
    else if (follow.done === 'stalled') followLine = `✗ rollback of ${what} to revision ${follow.to} stalled · ${counts} · ${r?.state.message ?? ''}`;
    else followLine = `↻ rolling back ${what} to revision ${follow.to} · ${counts} · ${r?.state.message ?? 'waiting for the new rollout…'}`;
  }
  const details: string[] = selected ? detailLines(selected) : [];
  if (followLine) details.unshift(followLine);
  const detailCount = Math.min(details.length, height >= 12 ? 3 : 1);
  // The table takes what its rows need (up to the space left); the details sit right below it.
  const rule = details.length > 0 && height >= 8 ? 1 : 0;
  const tableHeight = Math.max(2, Math.min(rows.length + 1, height - 1 - (warn ? 1 : 0) - detailCount - rule));
  const empty =
    sync.forbidden.length === 3
      ? 'no access to deployments, statefulsets or daemonsets'
      : progress
        ? 'counting rollouts…'
        : sync.listing
        ? 'listing workloads…'
        : filter
          ? `no workload matches /${filter}`
          : `no Deployments, StatefulSets or DaemonSets in ${where}`;

  return (
    <Box flexDirection="column" width={width} height={height}>
      <ViewTitle title={title} warn={warn} width={width} />
      <Table
        rows={rows}
        rowKey={identity}
        columns={columns}
        width={width}
        height={tableHeight}
        rowColor={colorOf}
        emptyText={empty}
        dataVersion={snap.version}
        onCursor={(k) => {
          sel.current.key = k;
          if (follow?.done && k !== follow.key) setFollow(null);
          setCursorTick((x) => x + 1);
        }}
      />
      {rule ? <Text dimColor>{'─'.repeat(Math.max(0, width))}</Text> : null}
      {details.slice(0, detailCount).map((line, i) => (
        <Text key={i} wrap="truncate" dimColor={i >= (followLine ? 1 : 0) && i > 0} color={followLine && i === 0 ? (follow?.done === 'stalled' ? 'red' : follow?.done ? 'green' : 'cyan') : undefined}>
          {truncate(line, width)}
        </Text>
      ))}
    </Box>
  );
}

const identity = (k: string) => k;
