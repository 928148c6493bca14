// `:pods`: pods grouped by a label hierarchy (namespace > application > component > pod >
// container by default), every group with its roll-ups, live.
//
// The tree lives in a PodTreeModel (views/selectors/podTree.ts) fed from the store's change
// batches; only the rows that fit are fetched (LabelTree's windowed API: no frame lists every
// visible row) and formatted, one <Text> each. The cursor is a row id, so it stays on the same
// group while rows come and go above it (and falls back to the nearest surviving ancestor when
// its row goes away).
//
// Hierarchy: this session's edit > --group-by > the saved setting > the default.
//
// A tree over PREPARE_PODS pods or more is built in the background (PodTreeModel.buildStep,
// BUILD_SLICE_MS at a time, to the end even when the view is left meanwhile): the view shows
// "grouping n of N pods…" and draws rows when it is done; keys for the tree typed meanwhile
// are kept and applied to the whole tree then.
import { BACKGROUND_SLICE_MS, finishInBackground } from './backgroundWork.js';
import { Box, Text } from 'ink';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { savedGroupBy, saveGroupBy, settingsPath } from '../src/config/settings.js';
import { DEFAULT_HIERARCHY_SPEC, formatHierarchy, levelName, parseHierarchy, type LabelTree, type Level, type Rollup, type TreeRow } from '../src/model/labelTree.js';
import { milliValue, value as byteValue } from '../src/model/quantity.js';
import { pad, textWidth, thousands, truncate } from './format.js';
import { podSearchIndex } from './filter.js';
import { HierarchyEditor } from './HierarchyEditor.js';
import { ObjectDetailView, type DetailTarget } from './ObjectDetailView.js';
import { INITIAL_EXPAND_DEPTH, podTreeFor, type PodTreeModel } from './selectors/podTree.js';
import { useNavTarget, useShell, useViewActions, type ViewProps } from './shell.js';
import { useResourceState, useStore } from './useStore.js';
import type { ClusterStore } from '../src/store/clusterStore.js';

// ---- formatting (pure, exported for tests) ---------------------------------------------------

/** CPU for roll-ups: millicores below one core ("250m"), else cores with two decimals at most ("1.25", "12"). */
export function compactCpu(nano: bigint): string {
  const m = milliValue(nano);
  if (m === 0n) return '0';
  if (m < 1000n) return `${m}m`;
  if (m >= 100_000n) return `${(m + 500n) / 1000n}`;
  return String(Math.round(Number(m) / 10) / 100);
}

/** Memory for roll-ups: Ki/Mi below 1Gi (whole), Gi/Ti with one decimal at most ("1.5Gi"). */
export function compactMemory(nano: bigint): string {
  const b = byteValue(nano);
  const KI = 1024n, MI = KI * KI, GI = MI * KI, TI = GI * KI;
  if (b === 0n) return '0';
  if (b < KI) return `${b}`;
  if (b < MI) return `${(b + KI / 2n) / KI}Ki`;
  if (b < GI) return `${(b + MI / 2n) / MI}Mi`;
  if (b < TI) return `${Math.round((Number(b) / Number(GI)) * 10) / 10}Gi`;
  return `${Math.round((Number(b) / Number(TI)) * 10) / 10}Ti`;
}

const PHASE_ORDER = ['Running', 'Succeeded', 'Failed', 'Unknown'];

/** "1 CrashLoop 2 Pending · 10 Running 1 Failed": problems called out first, then phases. */
export function groupStatus(r: Rollup): string {
  const calls: string[] = [];
  if (r.crashLoop) calls.push(`${r.crashLoop} CrashLoop`);
  if (r.imagePull) calls.push(`${r.imagePull} ImagePull`);
  if (r.pending) calls.push(`${r.pending} Pending`);
  const phases = Object.keys(r.phases)
    .filter((p) => p !== 'Pending')
    .sort((a, b) => (PHASE_ORDER.indexOf(a) + 1 || 99) - (PHASE_ORDER.indexOf(b) + 1 || 99) || (a < b ? -1 : 1))
    .map((p) => `${r.phases[p]} ${p}`);
  return [calls.join(' '), phases.join(' ')].filter(Boolean).join(' · ');
}

type ColKey = 'ready' | 'restarts' | 'cpu' | 'mem' | 'use';
const COLS: Record<ColKey, { header: string; width: number; align: 'left' | 'right' }> = {
  ready: { header: 'READY', width: 5, align: 'left' },
  restarts: { header: 'RST', width: 3, align: 'right' },
  cpu: { header: 'CPU REQ/LIM', width: 12, align: 'left' },
  mem: { header: 'MEM REQ/LIM', width: 14, align: 'left' },
  use: { header: 'USE CPU/MEM', width: 14, align: 'left' },
};
/** Columns dropped first when the screen is narrow. */
const DROP_ORDER: ColKey[] = ['use', 'restarts', 'mem', 'cpu'];
const MARK = 2;
const MIN_NAME = 20;
const MIN_STATUS = 12;

export interface TreeLayout {
  name: number;
  cols: ColKey[];
  widths: Record<ColKey, number>;
}

/** Widths for a screen `width` wide, a name column that wants `nameWanted`. */
export function treeLayout(width: number, nameWanted: number, usage: boolean, totals: { pods: number; restarts: number } = { pods: 0, restarts: 0 }): TreeLayout {
  let cols: ColKey[] = usage ? ['ready', 'restarts', 'cpu', 'mem', 'use'] : ['ready', 'restarts', 'cpu', 'mem'];
  // READY and RST as wide as the biggest figure they can hold (the root's), at least their header.
  const widths: Record<ColKey, number> = {
    ready: Math.max(5, 2 * String(totals.pods).length + 1),
    restarts: Math.max(3, String(totals.restarts).length),
    cpu: COLS.cpu.width,
    mem: COLS.mem.width,
    use: COLS.use.width,
  };
  const fixed = () => MARK + cols.reduce((s, c) => s + widths[c] + 1, 0) + 1;
  // Drop columns until the names and a bit of STATUS fit: usage goes first, to keep up to 40
  // columns of names; restarts and memory only when even 24 columns of names do not fit.
  for (const d of DROP_ORDER) {
    const need = Math.min(Math.max(nameWanted, MIN_NAME), d === 'use' ? 40 : 24) + MIN_STATUS;
    if (width - fixed() >= need) break;
    cols = cols.filter((c) => c !== d);
  }
  // The name takes what it wants up to 65% of the free room; STATUS (group call-outs, pod
  // status and node) gets the rest.
  const free = width - fixed();
  const room = Math.max(8, Math.min(free - MIN_STATUS, Math.max(MIN_NAME, Math.floor(free * 0.65))));
  return { name: Math.max(8, Math.min(room, Math.max(nameWanted, MIN_NAME))), cols, widths };
}

export function rowLabel(row: TreeRow): string {
  const indent = '  '.repeat(row.depth);
  switch (row.type) {
    case 'group':
      return `${indent}${row.expanded ? '▾' : '▸'} ${row.group.value} (${thousands(row.group.rollup.pods)})`;
    case 'pod':
      return `${indent}${row.expanded ? '▾' : '▸'} ${row.pod.name}`;
    case 'container':
      return `${indent}  ${row.container.sidecar ? 'sidecar:' : row.container.init ? 'init:' : ''}${row.container.name}`;
  }
}

function cells(row: TreeRow): Record<ColKey | 'status', string> {
  const pair = (a: bigint, b: bigint, f: (n: bigint) => string) => `${f(a)}/${f(b)}`;
  switch (row.type) {
    case 'group': {
      const r = row.group.rollup;
      return {
        ready: `${r.readyPods}/${r.pods}`,
        restarts: String(r.restarts),
        cpu: pair(r.cpuRequests, r.cpuLimits, compactCpu),
        mem: pair(r.memoryRequests, r.memoryLimits, compactMemory),
        use: r.podsWithUsage ? `${compactCpu(r.cpuUsage)}/${compactMemory(r.memoryUsage)}` : '',
        status: groupStatus(r),
      };
    }
    case 'pod': {
      const p = row.pod;
      return {
        ready: `${p.readyContainers}/${p.totalContainers}`,
        restarts: String(p.restarts),
        cpu: pair(p.cpuRequests, p.cpuLimits, compactCpu),
        mem: pair(p.memoryRequests, p.memoryLimits, compactMemory),
        use: p.usage ? `${compactCpu(p.usage.cpu)}/${compactMemory(p.usage.memory)}` : '',
        status: p.node ? `${p.status}  ${p.node}` : p.status,
      };
    }
    case 'container': {
      const c = row.container;
      return {
        ready: c.ready ? '✓' : '✗',
        restarts: String(c.restarts),
        cpu: pair(c.cpuRequests, c.cpuLimits, compactCpu),
        mem: pair(c.memoryRequests, c.memoryLimits, compactMemory),
        use: c.usage ? `${compactCpu(c.usage.cpu)}/${compactMemory(c.usage.memory)}` : '',
        status: c.state,
      };
    }
  }
}

/** One row, without the selection mark. */
export function formatTreeRow(row: TreeRow, layout: TreeLayout): string {
  const c = cells(row);
  return [pad(rowLabel(row), layout.name), ...layout.cols.map((k) => pad(c[k], layout.widths[k], COLS[k].align)), c.status].join(' ');
}

export function treeHeader(layout: TreeLayout): string {
  return [pad('NAME', layout.name), ...layout.cols.map((k) => pad(COLS[k].header, layout.widths[k], COLS[k].align)), 'STATUS'].join(' ');
}

const BAD = /BackOff|Err|Error|Failed|Evicted|OOMKilled|Unknown|NodeLost|Invalid/;

export function rowColor(row: TreeRow): string | undefined {
  switch (row.type) {
    case 'group': {
      const r = row.group.rollup;
      if (r.crashLoop || r.imagePull || r.phases.Failed) return 'red';
      return r.notReady ? 'yellow' : undefined;
    }
    case 'pod':
      if (row.pod.problem || BAD.test(row.pod.status)) return 'red';
      return !row.pod.ready && row.pod.phase !== 'Succeeded' ? 'yellow' : undefined;
    case 'container':
      if (BAD.test(row.container.state)) return 'red';
      return row.container.ready || row.container.state === 'Completed' ? undefined : 'yellow';
  }
}

// ---- hierarchy choice ------------------------------------------------------------------------

/** This session's edited hierarchy: survives switching views; the command line no longer wins. */
let sessionSpec: string | undefined;

/** Forget this session's edit (tests). */
export function resetPodsTreeSession(): void {
  sessionSpec = undefined;
}

export interface HierarchyChoice {
  spec: string;
  levels: Level[];
  source: 'session' | 'command line' | 'settings' | 'default';
  warning?: string;
}

export function chooseHierarchy(cli: string | undefined): HierarchyChoice {
  const warnings: string[] = [];
  const tryParse = (spec: string | undefined, source: HierarchyChoice['source']): HierarchyChoice | undefined => {
    if (spec === undefined) return undefined;
    try {
      return { spec, levels: parseHierarchy(spec), source };
    } catch (e) {
      warnings.push(`${source}: ${(e as Error).message}`);
      return undefined;
    }
  };
  let saved: { groupBy?: string; error?: string } = {};
  const choice =
    tryParse(sessionSpec, 'session') ??
    tryParse(cli, 'command line') ??
    tryParse((saved = savedGroupBy()).groupBy, 'settings') ??
    tryParse(DEFAULT_HIERARCHY_SPEC, 'default')!;
  if (saved.error) warnings.push(saved.error);
  return warnings.length ? { ...choice, warning: warnings.join('; ') } : choice;
}

// ---- the view --------------------------------------------------------------------------------

type Mode = 'tree' | 'editor' | 'conventions';

/** The model of the last rendered pods view (tests read its rebuild count). */
export const podsTreeProbe: { model?: PodTreeModel } = {};

/** Per store, the model this view last showed, for which scope and hierarchy. */
const keptTrees = new WeakMap<ClusterStore, { model: PodTreeModel; namespace: string | undefined; spec: string }>();
/** Models whose groups this view opened or closed since it took them. */
const expansionTouched = new WeakSet<PodTreeModel>();

/** Per store, the namespace scope its kept tree was built for ('' = all namespaces). */
const treeBuilt = new WeakMap<ClusterStore, string>();
/** Grouping costs ~10 µs a pod: from this many pods, the first frame does not wait for it. */
export const PREPARE_PODS = 5000;

/** Background build: work per slice, and how often the view hears about progress. */
const BUILD_SLICE_MS = BACKGROUND_SLICE_MS;
const PROGRESS_MS = 200;
/** Run the model's unfinished first build to the end in the background; `onProgress` hears about it. */
const finishBuild = (model: PodTreeModel, onProgress: () => void) => finishInBackground(model, () => model.buildStep(BUILD_SLICE_MS), onProgress, PROGRESS_MS);

/** Actions on the tree that wait for its build (applied to the whole tree when it is done). */
const TREE_ACTIONS = new Set(['enter', 'toggle', 'expand', 'collapse', 'expandAll', 'collapseAll', 'depthMore', 'depthLess', 'sort', 'editHierarchy', 'conventions']);
const NAV_STEPS = new Set(['up', 'down', 'pageUp', 'pageDown', 'top', 'bottom']);

/** The shell's hint (ViewDef.preparing): a tree to build over many pods, or nothing to wait for. */
export function podsTreePreparing(store: ClusterStore, namespace: string | undefined): string | undefined {
  if (treeBuilt.get(store) === (namespace ?? '')) return undefined;
  const n = scopeSize(store, namespace);
  return n >= PREPARE_PODS ? `grouping ${thousands(n)} pods…` : undefined;
}

const scopeSize = (store: ClusterStore, namespace: string | undefined) => (namespace === undefined ? store.size('pods') : store.byIndex('podsByNamespace', namespace).size);

export function PodsTreeView({ store, width, height, namespace, filter, options }: ViewProps) {
  const shell = useShell();
  const [, redraw] = useReducer((x: number) => x + 1, 0);
  const initial = useMemo(() => chooseHierarchy(options.groupBy), [options.groupBy]);
  const ui = useRef({ spec: initial.spec, mode: 'tree' as Mode, selectedId: undefined as string | undefined, top: 0, nameWidth: 0, depth: INITIAL_EXPAND_DEPTH + 1, convTop: 0 }).current;
  // A pod (or container) opened with enter: its describe / events / YAML / logs.
  const [detail, setDetail] = useState<DetailTarget | undefined>(undefined);
  useEffect(() => {
    if (initial.warning) shell.notify(`grouping: ${initial.warning}`, 'error');
  }, [initial, shell]);

  const levels = useMemo(() => parseHierarchy(ui.spec), [ui.spec]);
  const sortRef = useRef<'name' | 'worst'>('name');
  // Kept per store and fed while the view is hidden: coming back regroups nothing.
  // podTreeFor gives a kept model back as a new one starts (groups open to the initial depth:
  // a recount of every group, ~60 ms at 150,000 pods). When this view left that model as it
  // found it (no group opened or closed), it is taken back as it is.
  const model = useMemo(() => {
    const kept = keptTrees.get(store);
    const m =
      kept && kept.namespace === namespace && kept.spec === ui.spec && !expansionTouched.has(kept.model)
        ? kept.model
        : podTreeFor(store, levels, namespace, () => podSearchIndex(store), scopeSize(store, namespace) >= PREPARE_PODS ? 0 : Infinity);
    keptTrees.set(store, { model: m, namespace, spec: ui.spec });
    expansionTouched.delete(m);
    treeBuilt.set(store, namespace ?? '');
    if (m.sort !== sortRef.current) m.setSort(sortRef.current);
    return m;
  }, [store, levels, namespace]); // eslint-disable-line react-hooks/exhaustive-deps
  /** Open or close groups (the model then needs podTreeFor's reset when the view comes back). */
  const expand = (fn: (t: LabelTree) => void) => {
    expansionTouched.add(model);
    model.update(fn);
  };
  useEffect(() => () => model.cancelFilter(), [model]);
  const building = model.building;
  useEffect(() => (building ? finishBuild(model, redraw) : undefined), [model, building !== undefined]); // eslint-disable-line react-hooks/exhaustive-deps
  // A metrics poll is applied in slices in the background: redraw as its roll-ups move.
  const applyingMetrics = model.applyingMetrics;
  useEffect(() => (applyingMetrics ? model.finishMetrics(redraw) : undefined), [model, applyingMetrics]);
  // Keys for the tree typed while it is built: applied in order once it is complete.
  const deferred = useRef<{ nav: boolean; action: string }[]>([]).current;
  const handlers = useRef<{ act: (a: string) => boolean; nav: (a: string) => boolean }>({ act: () => false, nav: () => false });
  useEffect(() => {
    if (building || deferred.length === 0) return;
    for (const d of deferred.splice(0)) (d.nav ? handlers.current.nav : handlers.current.act)(d.action);
  });
  useStore(
    store,
    (s, batch) => {
      // A large filter is searched in the background: redraw when it is done.
      model.setFilter(filter, redraw);
      return model.sync(s, batch);
    },
    [model, filter],
  );
  podsTreeProbe.model = model;
  const podsState = useResourceState(store, 'pods');
  const tree = model.active;
  const rowCount = tree.visibleCount();

  // ---- layout ----
  const hasUsage = model.tree.root.rollup.podsWithUsage > 0;
  const listHeight = Math.max(1, height - 2);
  // Where the cursor is, computed from the selected id each time: several keys can arrive in
  // one input chunk, before any re-render, and each must see what the previous one did.
  const cursorNow = (): { count: number; index: number } => {
    const t = model.active;
    const n = t.visibleCount();
    const i = ui.selectedId === undefined ? 0 : t.indexOfId(ui.selectedId);
    return { count: n, index: Math.min(Math.max(0, i), Math.max(0, n - 1)) };
  };
  const cursor = cursorNow().index;
  if (cursor < ui.top) ui.top = cursor;
  if (cursor >= ui.top + listHeight) ui.top = cursor - listHeight + 1;
  ui.top = Math.max(0, Math.min(ui.top, Math.max(0, rowCount - listHeight)));
  const visible = building ? [] : model.window(ui.top, listHeight);
  // The name column grows to the widest name seen on screen and does not shrink back while
  // scrolling (no jitter); it resets when the hierarchy changes.
  for (const r of visible) ui.nameWidth = Math.max(ui.nameWidth, textWidth(rowLabel(r)));
  const layout = treeLayout(width, ui.nameWidth, hasUsage, { pods: model.tree.root.rollup.pods, restarts: model.tree.root.rollup.restarts });

  // ---- actions ----
  const select = (i: number) => {
    const { count: n } = cursorNow();
    if (n === 0) return;
    ui.selectedId = model.active.rowAt(Math.max(0, Math.min(n - 1, i)))!.id;
    redraw();
  };
  const parentIndex = (row: TreeRow): number => {
    const cut = Math.max(row.id.lastIndexOf('\u001f'), row.id.lastIndexOf('\u001e'), row.id.lastIndexOf('\u001d'));
    return cut < 0 ? -1 : model.active.indexOfId(row.id.slice(0, cut));
  };
  const setDepth = (d: number) => {
    ui.depth = Math.max(1, Math.min(levels.length + 2, d));
    expand((t) => t.expandToDepth(ui.depth - 1));
    redraw();
  };

  const closeOverlay = () => {
    // Deferred: the key that closed the editor also reaches the shell's dispatcher, which
    // must still see the editor open and leave that key alone.
    setTimeout(() => {
      ui.mode = 'tree';
      redraw();
    }, 0);
  };

  const applyHierarchy = (spec: string) => {
    closeOverlay();
    let parsed: Level[];
    try {
      parsed = parseHierarchy(spec);
    } catch (e) {
      shell.notify((e as Error).message, 'error');
      return;
    }
    const canonical = formatHierarchy(parsed);
    sessionSpec = canonical;
    ui.spec = canonical;
    ui.selectedId = undefined;
    ui.top = 0;
    ui.nameWidth = 0;
    ui.depth = INITIAL_EXPAND_DEPTH + 1;
    try {
      saveGroupBy(canonical);
      shell.notify(`grouping by ${canonical || 'pod'} · saved to ${settingsPath()}`);
    } catch (e) {
      shell.notify(`grouping by ${canonical || 'pod'} · ${(e as Error).message}`, 'error');
    }
  };

  const onAction = (action: string): boolean => {
    if (ui.mode === 'editor') return true; // the editor reads the keys itself
    if (model.building && ui.mode === 'tree' && TREE_ACTIONS.has(action)) {
      deferred.push({ nav: false, action });
      return true;
    }
    if (ui.mode === 'conventions') {
      if (action === 'conventions' || action === 'back') {
        ui.mode = 'tree';
        redraw();
        return true;
      }
      const step = { up: -1, down: 1, pageUp: -listHeight, pageDown: listHeight, top: -1e9, bottom: 1e9 }[action];
      if (step !== undefined) {
        ui.convTop = Math.max(0, ui.convTop + step);
        redraw();
        return true;
      }
      return false;
    }
    const { index: cursor } = cursorNow();
    const current = model.active.rowAt(cursor);
    switch (action) {
      case 'enter':
        // Groups open and close; a pod drills into its detail, a container into its logs.
        if (current?.type === 'pod') return setDetail({ kind: 'pods', key: current.pod.key }), true;
        if (current?.type === 'container') return setDetail({ kind: 'pods', key: current.pod.key, tab: 'logs' }), true;
        if (!current) return false;
        expand((t) => t.toggle(current));
        redraw();
        return true;
      case 'toggle':
        if (!current || current.type === 'container') return true;
        expand((t) => t.toggle(current));
        redraw();
        return true;
      case 'expand':
        if (!current || current.type === 'container') return true;
        if (current.expanded) select(cursor + 1);
        else expand((t) => t.setExpanded(current.id, current.depth, true));
        redraw();
        return true;
      case 'collapse':
        if (!current) return true;
        if (current.type !== 'container' && current.expanded) expand((t) => t.setExpanded(current.id, current.depth, false));
        else {
          const p = parentIndex(current);
          if (p >= 0) ui.selectedId = model.active.rowAt(p)!.id;
        }
        redraw();
        return true;
      case 'expandAll':
        setDepth(levels.length + 1);
        return true;
      case 'collapseAll':
        setDepth(1);
        return true;
      case 'depthMore':
        setDepth(ui.depth + 1);
        return true;
      case 'depthLess':
        setDepth(ui.depth - 1);
        return true;
      case 'sort':
        sortRef.current = model.sort === 'name' ? 'worst' : 'name';
        model.setSort(sortRef.current);
        shell.notify(sortRef.current === 'worst' ? 'sorted worst first (crash loops, then not ready, then restarts)' : 'sorted by name');
        redraw();
        return true;
      case 'editHierarchy':
        ui.mode = 'editor';
        redraw();
        return true;
      case 'conventions':
        ui.mode = 'conventions';
        ui.convTop = 0;
        redraw();
        return true;
      default:
        return false;
    }
  };
  useViewActions(onAction);

  const onNav = (action: string): boolean => {
    if (model.building && NAV_STEPS.has(action)) {
      deferred.push({ nav: true, action });
      return true;
    }
    const step = { up: -1, down: 1, pageUp: -listHeight, pageDown: listHeight, top: -1e9, bottom: 1e9 }[action];
    if (step === undefined) return false;
    select(cursorNow().index + step);
    return true;
  };
  useNavTarget(onNav, ui.mode === 'tree' && detail === undefined);
  handlers.current = { act: onAction, nav: onNav };

  // ---- drawing ----
  if (detail) return <ObjectDetailView store={store} target={detail} width={width} height={height} filter={filter} onClose={() => setDetail(undefined)} />;
  if (ui.mode === 'editor') {
    return (
      <HierarchyEditor
        levels={ui.spec ? ui.spec.split(',') : []}
        candidates={model.labelKeyList()}
        width={width}
        height={height}
        onApply={applyHierarchy}
        onCancel={closeOverlay}
      />
    );
  }
  if (ui.mode === 'conventions') return <Conventions model={model} levels={levels} width={width} height={height} top={ui.convTop} />;

  const total = model.tree.size;
  const shown = tree.size;
  const by = levels.length ? levels.map(levelName).join(' › ') : 'pod';
  let title = `${thousands(total)} pods`;
  if (model.filter) title = `${thousands(shown)} of ${thousands(total)} pods match /${model.filter}`;
  title += ` · sort ${model.sort === 'worst' ? 'worst first' : 'name'}${model.filter ? '' : ` · depth ${ui.depth}`} · by ${by} › pod`;
  if (model.searching !== undefined) title += ` · filtering… ${Math.floor(model.searching * 100)}%`;
  // Not "n pods · sort": the tree is not shown before it is complete.
  if (building) title = `grouping ${thousands(building.done)} of ${thousands(building.total)} pods… · by ${by} › pod`;
  if (podsState.phase === 'listing' || podsState.phase === 'relisting') title = `listing ${thousands(podsState.loaded)}${podsState.estimatedTotal ? `/~${thousands(podsState.estimatedTotal)}` : ''}… · ${title}`;
  const where = namespace === undefined ? 'all namespaces' : `namespace ${namespace}`;
  const empty =
    podsState.phase === 'forbidden'
      ? 'no access to pods'
      : podsState.phase === 'idle' || podsState.phase === 'listing'
        ? 'listing pods…'
        : model.filter
          ? `no pod matches /${model.filter}`
          : `no pods in ${where}`;

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold wrap="truncate">
        {truncate(title, width)}
      </Text>
      <Text bold wrap="truncate">
        {truncate(' '.repeat(MARK) + treeHeader(layout), width)}
      </Text>
      {building ? (
        <Text dimColor>{truncate(`  grouping pods by ${by}…`, width)}</Text>
      ) : rowCount === 0 ? (
        <Text dimColor>{truncate('  ' + empty, width)}</Text>
      ) : (
        visible.map((row, i) => {
          const selected = ui.top + i === cursor;
          return (
            <Text key={row.id} inverse={selected} bold={selected} color={rowColor(row)} wrap="truncate">
              {truncate((selected ? '> ' : '  ') + formatTreeRow(row, layout), width)}
            </Text>
          );
        })
      )}
    </Box>
  );
}

// ---- label conventions report ----------------------------------------------------------------

export function conventionsLines(model: PodTreeModel, levels: readonly Level[]): { header: string; rows: string[] } {
  const conv = model.tree.conventions();
  const labelLevels = levels.filter((l) => l.kind === 'label');
  const nsWidth = Math.max(9, ...conv.map((c) => textWidth(c.namespace)));
  const widths = labelLevels.map((l) => Math.max(12, textWidth(levelName(l))));
  const header = [pad('NAMESPACE', nsWidth), pad('PODS', 6, 'right'), ...labelLevels.map((l, i) => pad(levelName(l), widths[i]))].join('  ');
  const cell = (missing: number, pods: number) => `${Math.round((missing / pods) * 100)}% (${missing})`;
  const rows = conv.map((c) => [pad(c.namespace, nsWidth), pad(thousands(c.pods), 6, 'right'), ...c.levels.map((l, i) => pad(cell(l.missing, c.pods), widths[i]))].join('  '));
  if (conv.length > 1) {
    const pods = conv.reduce((s, c) => s + c.pods, 0);
    const totals = labelLevels.map((_, i) => conv.reduce((s, c) => s + c.levels[i].missing, 0));
    rows.push([pad('(all)', nsWidth), pad(thousands(pods), 6, 'right'), ...totals.map((m, i) => pad(cell(m, pods), widths[i]))].join('  '));
  }
  return { header, rows };
}

function Conventions({ model, levels, width, height, top }: { model: PodTreeModel; levels: readonly Level[]; width: number; height: number; top: number }) {
  const labelLevels = levels.filter((l) => l.kind === 'label');
  const { header, rows } = conventionsLines(model, levels);
  const body = Math.max(1, height - 3 - labelLevels.length);
  const start = Math.max(0, Math.min(top, rows.length - body));
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold wrap="truncate">
        {truncate('Label conventions — share of pods missing each level’s label, per namespace', width)}
      </Text>
      {labelLevels.map((l, i) => (
        <Text key={i} dimColor wrap="truncate">
          {truncate(`  ${levelName(l)}: ${l.kind === 'label' ? l.keys.join(', else ') : ''}`, width)}
        </Text>
      ))}
      {labelLevels.length === 0 ? <Text dimColor>{truncate('  the hierarchy has no label levels', width)}</Text> : null}
      <Text bold wrap="truncate">
        {truncate(header, width)}
      </Text>
      {rows.slice(start, start + body).map((r, i) => (
        <Text key={i} wrap="truncate">
          {truncate(r, width)}
        </Text>
      ))}
    </Box>
  );
}
