// `:fleet` — one row per kubeconfig context, worst first: reachability, API latency, version,
// nodes ready/total, CPU and memory requested %, pods not ready, crash-looping pods, volume
// conflicts, failing rollouts, warning events in the last 10 minutes. `enter` opens that
// context, `r` polls every context now. The figures come from the FleetPoller
// (src/kube/fleet.ts): warm contexts from their stores, the others from light polls.
import { Box, Text } from 'ink';
import { createContext, useContext, useEffect, useMemo, useReducer, useState } from 'react';
import { describeRow, errorLabel, reachability, sortFleetRows, type FleetRow } from '../src/model/fleet.js';
import { humanDuration, truncate } from './format.js';
import { useShell, useViewActions, type ViewProps } from './shell.js';
import { Table, type Column } from './widgets/Table.js';
import type { Reach } from './widgets/ContextPicker.js';

/** What the views need of the FleetPoller (tests pass a fake). */
export interface FleetSource {
  rows(): FleetRow[];
  subscribe(fn: () => void, opts?: { full?: boolean }): () => void;
  refresh(): void;
  readonly costs?: ReadonlyMap<string, { requests: number; bytes: number; ms: number }>;
}

export interface FleetContextValue {
  fleet: FleetSource | undefined;
  /** Switch the app to a context (the shell's switch: errors go to the status line). */
  switchContext(name: string): void;
}

export const FleetContext = createContext<FleetContextValue>({ fleet: undefined, switchContext: () => {} });

/** The fleet rows, live while mounted/active (`full`: every figure; else reachability only). */
export function useFleetRows(fleet: FleetSource | undefined, active: boolean, full: boolean): FleetRow[] {
  const [, bump] = useReducer((x: number) => x + 1, 0);
  useEffect(() => (fleet && active ? fleet.subscribe(bump, { full }) : undefined), [fleet, active, full]);
  return fleet ? fleet.rows() : [];
}

/** The picker's reachability word for a fleet row. */
export function reachOf(r: FleetRow | undefined): Reach | undefined {
  if (!r) return undefined;
  const level = r.phase === 'connected' ? 'ok' : r.phase === 'connecting' ? 'progress' : r.phase === 'error' ? 'error' : 'unknown';
  return { text: reachability(r), level, detail: r.phase === 'error' ? r.error : undefined, warm: r.source === 'warm' };
}

const num = (n: number | undefined) => (n === undefined ? '—' : String(n));
const pct = (n: number | undefined) => (n === undefined ? '—' : `${n}%`);

function columns(now: number): Column<FleetRow>[] {
  const f = (r: FleetRow) => r.figures;
  return [
    { header: 'CONTEXT', get: (r) => r.context, maxWidth: 24, priority: 100 },
    { header: 'STATUS', get: (r) => (r.phase === 'error' ? errorLabel(r.errorKind) : r.phase === 'connected' ? (r.source === 'warm' ? 'ok warm' : 'ok') : reachability(r)), maxWidth: 13, priority: 90 },
    { header: 'LAT', get: (r) => (r.latencyMs === undefined ? '—' : `${r.latencyMs}ms`), align: 'right', priority: 20 },
    { header: 'VERSION', get: (r) => r.version ?? '—', maxWidth: 10, priority: 10 },
    { header: 'NODES', get: (r) => (f(r) ? `${f(r)!.nodesReady}/${f(r)!.nodesTotal}` : '—'), align: 'right', priority: 80 },
    { header: 'CPU%', get: (r) => pct(f(r)?.cpuRequestedPct), align: 'right', priority: 55 },
    { header: 'MEM%', get: (r) => pct(f(r)?.memRequestedPct), align: 'right', priority: 54 },
    { header: 'NRDY', get: (r) => num(f(r)?.podsNotReady), align: 'right', priority: 70 },
    { header: 'CRASH', get: (r) => num(f(r)?.crashLooping), align: 'right', priority: 75 },
    { header: 'VOLS', get: (r) => num(f(r)?.volumeConflicts), align: 'right', priority: 72 },
    { header: 'ROLL', get: (r) => num(f(r)?.failingRollouts), align: 'right', priority: 71 },
    { header: 'WARN', get: (r) => num(f(r)?.warnings10m), align: 'right', priority: 56 },
    { header: 'AGE', get: (r) => (r.updatedAt ? humanDuration(now - r.updatedAt) : '—'), align: 'right', priority: 5 },
  ];
}

function rowColor(r: FleetRow): string | undefined {
  if (r.phase === 'error') return 'red';
  const f = r.figures;
  if (f && (f.nodesReady < f.nodesTotal || f.crashLooping || f.volumeConflicts || f.failingRollouts || f.podsNotReady)) return 'yellow';
  return undefined;
}

export function FleetView({ width, height, filter }: ViewProps) {
  const { fleet, switchContext } = useContext(FleetContext);
  const shell = useShell();
  const raw = useFleetRows(fleet, true, true);
  // Ages tick once every 5 s.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(t);
  }, []);
  const rows = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return sortFleetRows(q ? raw.filter((r) => r.context.toLowerCase().includes(q)) : raw);
  }, [raw, filter]);
  const cols = useMemo(() => columns(now), [now]);
  const [selected, setSelected] = useState<string | undefined>(undefined);

  useViewActions((action) => {
    if (action === 'refresh') {
      fleet?.refresh();
      shell.notify('polling every context now');
      return true;
    }
    return false;
  });

  if (!fleet) return <Text>The fleet overview needs the context manager (not available here).</Text>;
  const sel = rows.find((r) => r.context === selected) ?? rows[0];
  const errors = rows.filter((r) => r.phase === 'error').length;
  const warm = rows.filter((r) => r.source === 'warm').length;
  const summary = `${rows.length} contexts · ${errors} unreachable · ${warm} warm (watched) · others polled every 60s`;
  const detail = sel ? describeRow(sel) : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {truncate(`Fleet — ${summary}`, width)}
      </Text>
      <Text dimColor wrap="truncate">
        {truncate('NRDY pods not ready · CRASH crash-looping · VOLS volume conflicts · ROLL failing rollouts · WARN warnings 10m · CPU%/MEM% requested', width)}
      </Text>
      <Table
        rows={rows}
        rowKey={(r) => r.context}
        columns={cols}
        width={width}
        height={Math.max(2, height - 3)}
        rowColor={rowColor}
        onCursor={(r) => setSelected(r?.context)}
        onEnter={(r) => {
          switchContext(r.context);
          shell.openView('pods');
        }}
        emptyText="no contexts"
        dataVersion={raw.length + now}
      />
      <Text color={sel?.phase === 'error' ? 'red' : undefined} dimColor={sel?.phase !== 'error'} wrap="truncate">
        {truncate(detail, width)}
      </Text>
    </Box>
  );
}
