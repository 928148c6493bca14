// The nodes view (`:nodes`): one row per node with CPU and memory requests / limits against
// allocatable (absolute, bar, %), usage from metrics.k8s.io beside requests ("—" without),
// pods used / capacity and status; a pinned totals row for the cluster or the filtered set;
// sort by any column (`s` cycles, `S` reverses), group by a node label (`l` cycles zone,
// instance type, pool) with subtotals; `enter` drills into a node (NodeDetailView), `m`
// lists every pod with a container lacking requests / limits; `esc` goes back.
//
// Data: NodeAllocationSelector is fed the store's change batches (O(changed pods)); the rows
// of the changed nodes only are rebuilt; sorting 5,000 rows takes ~2 ms, so it is redone on
// a change. Only the visible rows are formatted (Table).
import { BACKGROUND_SLICE_MS, finishInBackground, isRunning } from './backgroundWork.js';
import { Box, Text } from 'ink';
import fuzzysort from 'fuzzysort';
import { useEffect, useMemo, useReducer, useRef } from 'react';
import { groupNodeRows, sortNodeRows, totalsOf, type NodeRow, type NodeSortColumn, type PodAllocation, type TotalsRow } from '../src/model/allocation.js';
import { humanDuration, pad, thousands, truncate } from './format.js';
import { MissingResourcesView, NodeDetailView, POOL_LABELS } from './NodeDetailView.js';
import { extraTaints, nodeStatusText, resourceCell, resourceCellWidth, usageCell, type CellLevel } from './nodeFormat.js';
import { nodeAllocationFor, type NodeAllocationSelector } from './selectors/nodeAllocation.js';
import { useShell, useViewActions, type ViewProps } from './shell.js';
import { useResourceState, useStore } from './useStore.js';
import { layoutColumns, formatRow, Table, type Column } from './widgets/Table.js';
import { ViewTitle } from './widgets/ViewTitle.js';

// ---- sorting and grouping ------------------------------------------------------------------

export interface SortSpec {
  column: NodeSortColumn;
  /** Header of the column it sorts. */
  header: string;
  /** Numeric columns start descending: the fullest nodes first. */
  startDescending: boolean;
}

/** The order `s` cycles through (one entry per table column). */
export const SORTS: SortSpec[] = [
  { column: 'name', header: 'NAME', startDescending: false },
  { column: 'cpuRequestsPct', header: 'CPU REQ', startDescending: true },
  { column: 'cpuUsagePct', header: 'CPU USE', startDescending: true },
  { column: 'cpuLimitsPct', header: 'CPU LIM', startDescending: true },
  { column: 'memoryRequestsPct', header: 'MEM REQ', startDescending: true },
  { column: 'memoryUsagePct', header: 'MEM USE', startDescending: true },
  { column: 'memoryLimitsPct', header: 'MEM LIM', startDescending: true },
  { column: 'podsPct', header: 'PODS', startDescending: true },
  { column: 'status', header: 'STATUS', startDescending: false },
];

/** Labels `l` cycles through (those present on at least one node), then back to no grouping. */
export const GROUP_LABELS = ['topology.kubernetes.io/zone', 'node.kubernetes.io/instance-type', ...POOL_LABELS];

const GROUP_SHORT: Record<string, string> = {
  'topology.kubernetes.io/zone': 'zone',
  'node.kubernetes.io/instance-type': 'instance type',
};

export function groupLabelName(key: string): string {
  return GROUP_SHORT[key] ?? `pool (${key})`;
}

// ---- table lines ---------------------------------------------------------------------------

export type NodeLine =
  | { kind: 'node'; key: string; row: NodeRow }
  | { kind: 'group'; key: string; value: string; totals: TotalsRow; collapsed: boolean }
  | { kind: 'total'; key: string; totals: TotalsRow };

type Figures = Pick<NodeRow, 'cpu' | 'memory' | 'pods' | 'podCapacity'>;
const figuresOf = (l: NodeLine): Figures => (l.kind === 'node' ? l.row : l.totals);

/** Filter on node names (fuzzy) and labels ("key=value" substring); all terms must match. */
export function filterNodeRows(rows: readonly NodeRow[], filter: string): NodeRow[] {
  const terms = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return rows as NodeRow[];
  return rows.filter((r) =>
    terms.every((t) => {
      const name = r.name.toLowerCase();
      if (name.includes(t)) return true;
      for (const [k, v] of Object.entries(r.labels)) if (`${k}=${v}`.toLowerCase().includes(t)) return true;
      if (t.includes('=')) return false;
      const m = fuzzysort.single(t, r.name);
      return !!m && m.score >= FUZZY_THRESHOLD;
    }),
  );
}
const FUZZY_THRESHOLD = 0.3;

/** Lines of the table: node rows, or per group a subtotal line followed by its rows. */
export function nodeLines(rows: readonly NodeRow[], sort: SortSpec, descending: boolean, groupBy: string | undefined, collapsed: ReadonlySet<string>): NodeLine[] {
  const sorted = sortNodeRows(rows, sort.column, descending);
  const asLine = (row: NodeRow): NodeLine => ({ kind: 'node', key: row.name, row });
  if (!groupBy) return sorted.map(asLine);
  const out: NodeLine[] = [];
  // groupNodeRows keeps the order of its input inside each group.
  for (const g of groupNodeRows(sorted, groupBy)) {
    const isCollapsed = collapsed.has(g.value);
    out.push({ kind: 'group', key: `\u0000group\u0000${g.value}`, value: g.value, totals: g.totals, collapsed: isCollapsed });
    if (!isCollapsed) for (const r of g.rows) out.push(asLine(r));
  }
  return out;
}

// ---- columns -------------------------------------------------------------------------------

interface Plan {
  req: CellLevel;
  lim: CellLevel;
  /** Usage columns: absolute and %, % only, or left out (too narrow; the detail shows it). */
  use: 'abs' | 'pct' | 'none';
}

/** From the richest layout to the sparsest; the first that fits the width is used. */
const PLANS: Plan[] = [
  { req: 3, lim: 3, use: 'abs' },
  { req: 2, lim: 2, use: 'abs' },
  { req: 2, lim: 1, use: 'abs' },
  { req: 2, lim: 1, use: 'pct' },
  { req: 1, lim: 1, use: 'pct' },
  { req: 1, lim: 0, use: 'pct' },
  { req: 1, lim: 0, use: 'none' },
  { req: 0, lim: 0, use: 'none' },
];
const GAP = 2;
const MARK = 2;
/** STATUS may be cut to this when the resource cells need the room (the detail shows it all). */
const STATUS_CUT = 12;

function nameCell(l: NodeLine): string {
  if (l.kind === 'node') return l.row.name;
  if (l.kind === 'group') return `${l.collapsed ? '▸' : '▾'} ${l.value}`;
  return l.totals.label;
}

function statusCell(l: NodeLine): string {
  if (l.kind === 'node') return nodeStatusText(l.row.info);
  const n = l.totals.nodes;
  return `${thousands(n)} node${n === 1 ? '' : 's'}`;
}

const podsCell = (l: NodeLine) => {
  const f = figuresOf(l);
  return `${f.pods}/${f.podCapacity}`;
};

/**
 * Fixed-width columns for `width` (so the pinned totals line lines up with the rows): the
 * richest cell layout that fits, NAME and STATUS sized to the data, TAINTS in what is left.
 */
export interface LineWidths {
  name: number;
  status: number;
  pods: number;
  taints: number;
}

/**
 * A node row's cell widths, kept per row object: the index rebuilds only the rows of changed
 * nodes, so a batch measures those and looks the other 5,000 up.
 */
const rowWidths = new WeakMap<NodeRow, LineWidths>();
function nodeRowWidths(l: NodeLine & { kind: 'node' }): LineWidths {
  let w = rowWidths.get(l.row);
  if (!w) rowWidths.set(l.row, (w = { name: nameCell(l).length, status: statusCell(l).length, pods: podsCell(l).length, taints: extraTaints(l.row.info).join(',').length }));
  return w;
}

/** Widest NAME / STATUS / PODS / TAINTS cells: O(lines), so computed per data change, not per sort. */
export function measureNodeLines(lines: readonly NodeLine[]): LineWidths {
  const w: LineWidths = { name: 4, status: 6, pods: 4, taints: 0 };
  for (const l of lines) {
    if (l.kind === 'node') {
      const r = nodeRowWidths(l);
      if (r.name > w.name) w.name = r.name;
      if (r.status > w.status) w.status = r.status;
      if (r.pods > w.pods) w.pods = r.pods;
      if (r.taints > w.taints) w.taints = r.taints;
      continue;
    }
    w.name = Math.max(w.name, nameCell(l).length);
    w.status = Math.max(w.status, statusCell(l).length);
    w.pods = Math.max(w.pods, podsCell(l).length);
  }
  return w;
}

export function nodeColumns(width: number, lines: readonly NodeLine[] | LineWidths, sort: SortSpec, descending: boolean): Column<NodeLine>[] {
  const m = Array.isArray(lines) ? measureNodeLines(lines) : (lines as LineWidths);
  let nameW = m.name;
  let statusW = m.status;
  const podsW = m.pods;
  const taintW = m.taints;
  nameW = Math.min(nameW, width >= 120 ? 40 : 24);
  const fullStatusW = Math.min(statusW, 22);
  const mark = (h: string) => (h === sort.header ? `${h}${descending ? '▼' : '▲'}` : h);
  const hw = (h: string, cell: number) => Math.max(cell, mark(h).length, h.length + 1);
  const useW = (p: Plan) => (p.use === 'abs' ? 11 : 5);
  const cost = (p: Plan, sw: number) =>
    MARK +
    nameW +
    hw('STATUS', sw) +
    hw('PODS', podsW) +
    2 * (hw('CPU REQ', resourceCellWidth(p.req)) + hw('CPU LIM', resourceCellWidth(p.lim))) +
    (p.use === 'none' ? GAP * 6 : GAP * 8 + 2 * hw('CPU USE', useW(p)));
  // Richer resource cells first; a long STATUS ("NotReady,MemPressure") is cut before a bar goes.
  let plan = PLANS[PLANS.length - 1];
  statusW = Math.min(fullStatusW, STATUS_CUT);
  for (const p of PLANS) {
    if (cost(p, fullStatusW) <= width) {
      [plan, statusW] = [p, fullStatusW];
      break;
    }
    if (cost(p, Math.min(fullStatusW, STATUS_CUT)) <= width) {
      [plan, statusW] = [p, Math.min(fullStatusW, STATUS_CUT)];
      break;
    }
  }
  const rest = width - cost(plan, statusW) - GAP;
  const use = (resource: 'cpu' | 'memory', header: string, priority: number): Column<NodeLine>[] =>
    plan.use === 'none' ? [] : [{ header: mark(header), get: (l) => usageCell(figuresOf(l)[resource], resource, plan.use === 'abs'), width: hw(header, useW(plan)), align: 'right', priority }];
  const cols: Column<NodeLine>[] = [
    { header: mark('NAME'), get: nameCell, width: hw('NAME', nameW), priority: 100 },
    { header: mark('STATUS'), get: statusCell, width: hw('STATUS', statusW), priority: 95 },
    { header: mark('CPU REQ'), get: (l) => resourceCell(figuresOf(l).cpu, 'requests', 'cpu', plan.req), width: hw('CPU REQ', resourceCellWidth(plan.req)), align: alignOf(plan.req), priority: 99 },
    ...use('cpu', 'CPU USE', 70),
    { header: mark('CPU LIM'), get: (l) => resourceCell(figuresOf(l).cpu, 'limits', 'cpu', plan.lim), width: hw('CPU LIM', resourceCellWidth(plan.lim)), align: alignOf(plan.lim), priority: 90 },
    { header: mark('MEM REQ'), get: (l) => resourceCell(figuresOf(l).memory, 'requests', 'memory', plan.req), width: hw('MEM REQ', resourceCellWidth(plan.req)), align: alignOf(plan.req), priority: 98 },
    ...use('memory', 'MEM USE', 69),
    { header: mark('MEM LIM'), get: (l) => resourceCell(figuresOf(l).memory, 'limits', 'memory', plan.lim), width: hw('MEM LIM', resourceCellWidth(plan.lim)), align: alignOf(plan.lim), priority: 89 },
    { header: mark('PODS'), get: podsCell, width: hw('PODS', podsW), align: 'right', priority: 80 },
  ];
  if (taintW > 0 && rest >= 10) cols.push({ header: 'TAINTS', get: (l) => (l.kind === 'node' ? extraTaints(l.row.info).join(',') : ''), width: Math.min(taintW, rest), priority: 10 });
  return cols;
}

/** A bare percentage reads best right-aligned; bars keep their left edge. */
const alignOf = (level: CellLevel): 'left' | 'right' => (level === 0 ? 'right' : 'left');

/** Colour (on top of the text marks): red not ready, yellow pressure / overcommit / >= 90% requested. */
function lineColor(l: NodeLine): string | undefined {
  if (l.kind === 'group') return 'cyan';
  if (l.kind !== 'node') return undefined;
  const r = l.row;
  if (r.info.ready !== 'Ready') return 'red';
  if (r.info.pressures.length || r.cpu.limitsPct > 100 || r.memory.limitsPct > 100 || r.cpu.requestsPct >= 90 || r.memory.requestsPct >= 90) return 'yellow';
  return undefined;
}

const lineKey = (l: NodeLine) => l.key;

// ---- the view ------------------------------------------------------------------------------

type Mode = { kind: 'table' } | { kind: 'detail'; node: string } | { kind: 'missing' };

interface UiState {
  modes: Mode[];
  sort: number;
  descending: boolean;
  groupBy: string | undefined;
  collapsed: ReadonlySet<string>;
}

/**
 * The first use of a store's selector counts every pod once (150,000 pods: ~0.4 s). A few ms of
 * it run inside the first render (a small cluster is done there); the rest in the background,
 * SLICE_MS at a time between frames and keys, to the end even when the view is closed
 * meanwhile, then the rows of every node (all changed by the count: ~80 ms at 5,000 nodes)
 * the same way (NodeAllocationSelector.buildRows). The view shows its progress (PROGRESS_MS
 * apart) and draws rows when both are done: no half-counted figures, no rows rebuilt per slice.
 */
const FIRST_SLICE_MS = 8;
const BIG_CLUSTER_PODS = 20_000;
const SLICE_MS = BACKGROUND_SLICE_MS;
const PROGRESS_MS = 250;

/** Of a pass building rows (its count done): how many rows it had to build. */
const rowPhase = new WeakMap<NodeAllocationSelector, { total: number }>();

/** Whether the selector's first pass (count or rows) is still under way: the view waits for it. */
const passBusy = (sel: NodeAllocationSelector) => sel.progress !== undefined || isRunning(sel);

/** Run the selector's unfinished pass to the end in the background; `onProgress` hears about it. */
function finishPass(sel: NodeAllocationSelector, onProgress: () => void): () => void {
  let rowsBuilt = false;
  const step = () => {
    if (!rowsBuilt) {
      // The count, then the rows of every node (all changed by the count) in slices too, not
      // in the render of the key that shows them; batches meanwhile mark more rows to build.
      let done = sel.step(SLICE_MS);
      if (done) {
        if (!rowPhase.has(sel)) rowPhase.set(sel, { total: sel.rowsPending });
        done = sel.buildRows(SLICE_MS);
      }
      if (!done) return false;
      rowsBuilt = true;
      rowPhase.delete(sel);
      return false;
    }
    // Then, in a slice of its own, the table as the view opens, sorted and measured: the view
    // may be closed by now (the count outlasts a glance at it), and this is not left to the
    // render of the key that opens it again (5,000 nodes: ~14 ms).
    tableData(sel, sel.version, '', OPENING_UI);
    return true;
  };
  return finishInBackground(sel, step, onProgress, PROGRESS_MS);
}

/**
 * useMemo that outlives the view: per selector and slot, the last result, kept while its
 * inputs are the same objects. One nodes view is shown at a time, so one entry per slot.
 */
const kept = new WeakMap<NodeAllocationSelector, Map<string, { deps: readonly unknown[]; value: unknown }>>();
function keptMemo<T>(sel: NodeAllocationSelector, slot: string, fn: () => T, deps: readonly unknown[]): T {
  let slots = kept.get(sel);
  if (!slots) kept.set(sel, (slots = new Map()));
  const k = slots.get(slot);
  if (k && k.deps.length === deps.length && k.deps.every((d, i) => Object.is(d, deps[i]))) return k.value as T;
  const value = fn();
  slots.set(slot, { deps, value });
  return value;
}
const NO_ROWS: NodeRow[] = [];
const NONE_COLLAPSED: ReadonlySet<string> = new Set();
/** How the view opens: sorted by the first column, ascending, not grouped. */
const OPENING_UI: Omit<UiState, 'modes'> = { sort: 0, descending: false, groupBy: undefined, collapsed: NONE_COLLAPSED };

/**
 * The table's derived data, kept per selector across mounts (keptMemo): opening the view
 * again, on data that did not change, sorts and sums nothing.
 */
function tableData(sel: NodeAllocationSelector, version: number, filter: string, ui: Omit<UiState, 'modes'>) {
  const memo = <T,>(slot: string, fn: () => T, deps: readonly unknown[]) => keptMemo(sel, slot, fn, deps);
  const sort = SORTS[ui.sort];
  const allRows = memo('all', () => (version === COUNTING ? NO_ROWS : sel.rows()), [version]);
  const rows = memo('rows', () => filterNodeRows(allRows, filter), [allRows, filter]);
  const lines = memo('lines', () => nodeLines(rows, sort, ui.descending, ui.groupBy, ui.collapsed), [rows, sort, ui.descending, ui.groupBy, ui.collapsed]);
  const totals = memo('totals', () => totalsOf(rows, filter ? 'TOTAL (filtered)' : 'TOTAL'), [rows, filter]);
  const totalLine: NodeLine = memo('totalLine', () => ({ kind: 'total', key: '\u0000total', totals }), [totals]);
  // Cell widths depend on which lines there are, not on their order: a re-sort skips this pass.
  const widths = memo('widths', () => measureNodeLines([...lines, totalLine]), [rows, ui.groupBy, ui.collapsed, totalLine]);
  return { allRows, rows, lines, totals, totalLine, widths };
}

/** While the first pass runs: the version the view draws. */
const COUNTING = -1;

/**
 * Subscribes to the store and keeps the selector in sync; returns the version to draw
 * (COUNTING while the first pass runs: change batches then cause no re-render, progress does).
 */
function useNodeAllocation(sel: NodeAllocationSelector): number {
  const [, tick] = useReducer((x: number) => x + 1, 0);
  const version = useStore(sel.store, (s, batch) => {
    // A cluster this big is not counted in one slice anyway: the first frame does not wait for one.
    const v = sel.sync(batch, s.size('pods') > BIG_CLUSTER_PODS ? 0 : FIRST_SLICE_MS);
    return passBusy(sel) ? COUNTING : v;
  }, [sel]);
  const counting = version === COUNTING && passBusy(sel);
  useEffect(() => (counting ? finishPass(sel, tick) : undefined), [sel, counting]);
  return counting ? COUNTING : sel.version;
}

export function NodesView({ store, width, height, namespace, filter }: ViewProps) {
  const shell = useShell();
  const sel = useMemo(() => nodeAllocationFor(store), [store]);
  const version = useNodeAllocation(sel);
  const nodesState = useResourceState(store, 'nodes');
  const podsState = useResourceState(store, 'pods');
  const metricsAvailable = useStore(store, (s) => s.metrics.available);

  // UI state in a ref: several keys in one input chunk each see what the previous one left.
  const ui = useRef<UiState>({ modes: [{ kind: 'table' }], sort: 0, descending: false, groupBy: undefined, collapsed: NONE_COLLAPSED }).current;
  const [, redraw] = useReducer((x: number) => x + 1, 0);
  const top = ui.modes[ui.modes.length - 1];
  const sort = SORTS[ui.sort];

  const counting = version === COUNTING;
  const { allRows, rows, lines, totals, totalLine, widths } = tableData(sel, version, filter, ui);
  const columns = keptMemo(sel, 'columns', () => nodeColumns(width, widths, sort, ui.descending), [width, widths, sort, ui.descending]);
  const groupChoices = keptMemo(sel, 'groups', () => GROUP_LABELS.filter((k) => allRows.some((r) => r.labels[k] !== undefined)), [allRows]);

  const push = (m: Mode) => {
    ui.modes = [...ui.modes, m];
    redraw();
  };

  useViewActions((action) => {
    const cur = ui.modes[ui.modes.length - 1];
    switch (action) {
      case 'sort':
      case 'reverse':
        if (cur.kind !== 'table') return false;
        if (action === 'sort') {
          // Usage columns are skipped when there are no metrics: every row would tie.
          do ui.sort = (ui.sort + 1) % SORTS.length;
          while (!sel.metricsAvailable && SORTS[ui.sort].column.endsWith('UsagePct'));
          ui.descending = SORTS[ui.sort].startDescending;
        } else ui.descending = !ui.descending;
        redraw();
        return true;
      case 'group': {
        if (cur.kind !== 'table') return false;
        if (groupChoices.length === 0) {
          shell.notify('no node has a zone, instance type or pool label');
          return true;
        }
        const i = ui.groupBy === undefined ? -1 : groupChoices.indexOf(ui.groupBy);
        ui.groupBy = i + 1 < groupChoices.length ? groupChoices[i + 1] : undefined;
        ui.collapsed = NONE_COLLAPSED;
        redraw();
        return true;
      }
      case 'missing':
        if (cur.kind === 'missing') return true;
        push({ kind: 'missing' });
        return true;
      case 'back':
        if (ui.modes.length <= 1) return false;
        ui.modes = ui.modes.slice(0, -1);
        redraw();
        return true;
      default:
        return false;
    }
  });

  const onEnterLine = (l: NodeLine) => {
    if (l.kind === 'node') push({ kind: 'detail', node: l.row.name });
    else if (l.kind === 'group') {
      const next = new Set(ui.collapsed);
      if (next.has(l.value)) next.delete(l.value);
      else next.add(l.value);
      ui.collapsed = next;
      redraw();
    }
  };
  const onEnterMissing = (a: PodAllocation) => {
    if (a.nodeName && sel.index.row(a.nodeName)) push({ kind: 'detail', node: a.nodeName });
    else shell.notify(a.nodeName ? `node ${a.nodeName} is not in the cluster` : `${a.key} is not scheduled on a node`);
  };

  // ---- the table mode's text ----
  const progress = sel.progress;
  const parts = [`Nodes — ${thousands(rows.length)}${filter ? ` of ${thousands(allRows.length)} matching /${filter}` : ''}`];
  parts.push(`sort ${sort.header} ${ui.descending ? '▼' : '▲'}`);
  if (ui.groupBy) parts.push(`grouped by ${groupLabelName(ui.groupBy)}`);
  const usageShown = columns.some((c) => c.header.startsWith('CPU USE'));
  parts.push(!metricsAvailable ? 'usage: — (no metrics.k8s.io)' : usageShown ? 'usage: metrics.k8s.io' : 'usage: in node detail (widen for the column)');
  if (progress) parts.push(`counting pods ${thousands(progress.done)}/${thousands(progress.total)}…`);
  else if (counting) {
    // The count is done; its sums are being turned into rows.
    const total = Math.max(rowPhase.get(sel)?.total ?? 0, sel.rowsPending);
    parts.push(`counting pods: node rows ${thousands(total - sel.rowsPending)}/${thousands(total)}…`);
  }
  let warn: string | undefined;
  for (const [kind, st] of [['nodes', nodesState], ['pods', podsState]] as const) {
    if (warn) break;
    if (st.phase === 'forbidden') warn = `⚠ ${kind} are forbidden for this user: figures are incomplete`;
    else if (st.phase === 'listing' || st.phase === 'relisting') parts.push(`listing ${kind} ${thousands(st.loaded)}${st.estimatedTotal ? `/~${thousands(st.estimatedTotal)}` : ''}…`);
    else if (st.stale && st.lastSyncAt) warn = `⚠ ${kind} stale: not synced for ${humanDuration(Date.now() - st.lastSyncAt)}`;
  }
  const title = parts.join(' · ');
  const empty =
    nodesState.phase === 'forbidden'
      ? 'no access to nodes'
      : nodesState.phase === 'idle' || nodesState.phase === 'listing'
        ? 'listing nodes…'
        : counting
          ? `counting the pods of ${thousands(store.size('nodes'))} nodes…`
          : filter
            ? `no node matches /${filter}`
            : 'no nodes';
  // The totals line sits right under the last row, or at the bottom once the rows fill the screen.
  const tableHeight = Math.max(2, Math.min(lines.length + 1, height - 2 - (warn ? 1 : 0)));
  const laid = layoutColumns(columns, [], width);
  const totalText = truncate(' '.repeat(MARK) + formatRow(laid, totalLine), width);

  const inTable = top.kind === 'table';
  const missingIndex = ui.modes.findIndex((m) => m.kind === 'missing');
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Box flexDirection="column" display={inTable ? 'flex' : 'none'} width={width} height={height}>
        <ViewTitle title={title} warn={warn} width={width} />
        <Table rows={lines} rowKey={lineKey} columns={columns} width={width} height={tableHeight} focused={inTable} onEnter={onEnterLine} rowColor={lineColor} emptyText={empty} dataVersion={version} />
        <Text bold wrap="truncate">
          {pad(totalText, width)}
        </Text>
      </Box>
      {missingIndex >= 0 ? (
        <Box flexDirection="column" display={top.kind === 'missing' ? 'flex' : 'none'} width={width} height={height}>
          <MissingResourcesView sel={sel} version={version} namespace={namespace} filter={filter} width={width} height={height} focused={top.kind === 'missing'} onEnter={onEnterMissing} />
        </Box>
      ) : null}
      {top.kind === 'detail' ? <NodeDetailView sel={sel} version={version} node={top.node} namespace={namespace} width={width} height={height} focused /> : null}
    </Box>
  );
}
