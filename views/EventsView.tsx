// :events — live events grouped by the object they are about, warnings first, with counts
// and when each object was last seen. enter opens the object (describe + its own events,
// through the eventsByObject index); `w` shows only objects with warnings.
import { Box, Text } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ResourceKind } from '../src/kube/types.js';
import { thousands, truncate, age } from './format.js';
import { SearchIndex, searchingNote, type FilterFields } from './filter.js';
import { ObjectDetailView, type DetailTarget } from './ObjectDetailView.js';
import { EventsSelector, KIND_TO_RESOURCE, type EventGroup } from './selectors/events.js';
import { useShell, useViewActions, type ViewProps } from './shell.js';
import { useFilter } from './useFilter.js';
import { useResourceState, useStore } from './useStore.js';
import { ViewTitle } from './widgets/ViewTitle.js';
import { Table, type Column } from './widgets/Table.js';

const AGE_TICK_MS = 5000;

/** The OBJECT cell: "pod shop/checkout-7d9f" (kind lower-case, like kubectl's kind/name). */
export function objectCell(g: EventGroup): string {
  return `${g.kind.toLowerCase()} ${g.namespace ? `${g.namespace}/` : ''}${g.name}`;
}

export function eventColumns(rows: readonly EventGroup[], width: number, now: () => number): Column<EventGroup>[] {
  let reasonW = 6;
  let objectW = 6;
  for (const g of rows.slice(0, 2000)) {
    reasonW = Math.max(reasonW, g.reason.length);
    objectW = Math.max(objectW, objectCell(g).length);
  }
  const wide = width >= 100;
  // Narrow terminals: shorter REASON / OBJECT / LAST cells so MESSAGE keeps some room
  // (the selected object's whole message is shown under the table anyway).
  reasonW = Math.min(reasonW, wide ? 24 : 16);
  objectW = Math.min(objectW, wide ? Math.max(24, Math.floor(width * 0.4)) : 30);
  const lastW = wide ? 9 : 5;
  const fixed = 2 + (wide ? 7 + 2 : 0) + reasonW + 2 + objectW + 2 + 5 + 2 + lastW + 2;
  const cols: Column<EventGroup>[] = [
    { header: 'TYPE', get: (g) => (g.warnings > 0 ? 'Warning' : 'Normal'), width: 7, priority: 10 },
    { header: 'REASON', get: (g) => g.reason, width: reasonW, priority: 95 },
    { header: 'OBJECT', get: objectCell, width: objectW, priority: 100 },
    { header: 'COUNT', get: (g) => String(g.count), width: 5, align: 'right', priority: 80 },
    { header: wide ? 'LAST SEEN' : 'LAST', get: (g) => age(g.lastSeen, now()), width: lastW, priority: 70 },
    { header: 'MESSAGE', get: (g) => g.message.replace(/\s+/g, ' '), width: Math.max(10, width - fixed), priority: 100 },
  ];
  return wide ? cols : cols.slice(1);
}

export function EventsView({ store, width, height, namespace, filter }: ViewProps) {
  const shell = useShell();
  const selector = useRef<EventsSelector | null>(null);
  selector.current ??= new EventsSelector();
  const snap = useStore(store, (s, batch) => selector.current!.select(s, batch));
  const state = useResourceState(store, 'events');
  const [warningsOnly, setWarningsOnly] = useState(false);
  const [detail, setDetail] = useState<DetailTarget | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const [selected, setSelected] = useState<EventGroup | undefined>(undefined);
  useEffect(() => {
    const t = setInterval(() => setTick((x) => x + 1), AGE_TICK_MS);
    t.unref?.();
    return () => clearInterval(t);
  }, []);

  const scoped = useMemo(() => snap.groups.filter((g) => (namespace === undefined || g.namespace === namespace) && (!warningsOnly || g.warnings > 0)), [snap, namespace, warningsOnly]);
  // The shared `/` filter, searched in the background at scale (views/filter.ts); an
  // index of this view's groups, keyed by group, pruned to the groups shown.
  const index = useMemo(() => new SearchIndex<EventGroup>(eventFilterFields), []);
  const filtered = useFilter(scoped, detail ? '' : filter, index, groupKey, (g) => g, { prune: true });
  const rows = filtered.rows;
  const columns = useMemo(() => eventColumns(rows, width, Date.now), [rows, width, tick]); // eslint-disable-line react-hooks/exhaustive-deps

  const open = (g: EventGroup | undefined) => {
    if (!g) return;
    const kind = KIND_TO_RESOURCE[g.kind] as ResourceKind | undefined;
    const key = g.namespace ? `${g.namespace}/${g.name}` : g.name;
    if (!kind || !store.get(kind, key)) return shell.notify(`${objectCell(g)} is not in kfleet's cache (${g.count} events, latest: ${g.reason})`);
    setDetail({ kind, key });
  };

  useViewActions((action) => {
    if (action === 'warningsOnly') {
      setWarningsOnly(!warningsOnly);
      return true;
    }
    return false;
  });

  if (detail) return <ObjectDetailView store={store} target={detail} width={width} height={height} filter={filter} onClose={() => setDetail(undefined)} />;

  const warned = scoped.filter((g) => g.warnings > 0).length;
  const where = namespace === undefined ? 'all namespaces' : `namespace ${namespace}`;
  let title = `Events — ${thousands(rows.length)}${filter ? ` of ${thousands(scoped.length)} matching /${filter}` : ''} objects (${thousands(warned)} with warnings, ${thousands(snap.total)} events) in ${where}${warningsOnly ? ' · warnings only' : ''}${searchingNote(filtered)}`;
  if (state.phase === 'listing' || state.phase === 'relisting') title += ` · listing ${thousands(state.loaded)}…`;
  const warn = state.phase === 'forbidden' ? `⚠ events are forbidden for this user: ${state.error ?? '403'}` : filtered.error ? `⚠ bad label selector: ${filtered.error}` : undefined;
  const empty = state.phase === 'forbidden' ? 'no access to events' : state.phase === 'idle' || state.phase === 'listing' ? 'listing events…' : filter ? `no object matches /${filter}` : warningsOnly ? 'no warnings' : `no events in ${where}`;
  // The selected object's full latest message under the table (the MESSAGE cell is cut).
  const sel = selected ? rows.find((g) => g.key === selected.key) : undefined;
  const panel = sel && height >= 12 ? selectedLines(sel, width, Date.now()) : [];
  const tableHeight = Math.max(2, height - 1 - (warn ? 1 : 0) - panel.length);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <ViewTitle title={title} warn={warn} width={width} />
      <Table
        rows={rows}
        rowKey={groupKey}
        columns={columns}
        width={width}
        height={tableHeight}
        onEnter={open}
        rowColor={(g) => (g.warnings > 0 ? 'yellow' : undefined)}
        emptyText={empty}
        dataVersion={tick}
        onSelected={setSelected}
        highlight={(g) => {
          const ix = filtered.nameMatches.get(g);
          if (!ix) return undefined;
          const off = objectCell(g).length - g.name.length;
          return { header: 'OBJECT', indexes: ix.map((i) => i + off) };
        }}
      />
      {panel.map((l, i) => (
        <Text key={i} wrap="truncate" dimColor={i === 0}>
          {l}
        </Text>
      ))}
    </Box>
  );
}

/** A rule naming the object and its reasons, then its latest message on up to 2 lines. */
function selectedLines(g: EventGroup, width: number, now: number): string[] {
  const head = `── ${objectCell(g)} · ${g.reasons.join(', ')} · ${g.count} events${g.warnings ? ` (${g.warnings} warnings)` : ''} · last seen ${age(g.lastSeen, now)} ago `;
  const msg = g.message.replace(/\s+/g, ' ');
  const w = Math.max(10, width);
  const l1 = msg.slice(0, w);
  const l2 = msg.length > w ? truncate(msg.slice(w), w) : '';
  return [truncate(head.padEnd(w, '─'), w), l1, l2];
}

const groupKey = (g: EventGroup) => g.key;
const eventFilterFields = (g: EventGroup): FilterFields => ({ name: g.name, namespace: g.namespace, extra: `${g.kind} ${g.reasons.join(' ')} ${g.message}` });
