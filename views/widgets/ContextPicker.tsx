// `c`: pick a context, and the fuzzy picker it shares with the namespace picker (`n`).
//
// Typing filters with fuzzysort (limit and threshold passed explicitly: its defaults are 10
// results and a 0.5 score floor); matched characters are bold + underlined (visible without
// colour), via fuzzysort's highlight callback. ↑/↓ (ctrl+p/n) move, enter picks, esc clears
// the search, then closes. The App routes the keys (views/App.tsx, keymap scope `picker`).
import fuzzysort from 'fuzzysort';
import { Box, Text } from 'ink';
import { useMemo, type ReactNode } from 'react';
import { pad, textWidth, truncate } from '../format.js';

/** Enough for any kubeconfig; a fleet of 30 contexts fits many times over. */
export const PICKER_LIMIT = 500;
/** fuzzysort scores are 0..1; below this a match is too scattered to offer. */
export const PICKER_THRESHOLD = 0.2;

export interface PickerState {
  query: string;
  cursor: number;
}

export interface Match<T> {
  item: T;
  /** The name, in parts; `match` parts are highlighted. */
  parts: { text: string; match: boolean }[];
}

/** Items whose name matches `query`, best first (all of them, in order, for an empty query). */
export function fuzzyMatches<T extends { name: string }>(query: string, items: readonly T[]): Match<T>[] {
  const q = query.trim();
  if (q === '') return items.map((item) => ({ item, parts: [{ text: item.name, match: false }] }));
  const results = fuzzysort.go(q, items, { key: 'name', limit: PICKER_LIMIT, threshold: PICKER_THRESHOLD });
  return results.map((r) => ({
    item: r.obj,
    parts: r
      .highlight((m) => ({ text: m, match: true }))
      .map((p) => (typeof p === 'string' ? { text: p, match: false } : p))
      .filter((p) => p.text !== ''),
  }));
}

export type PickerMove = 'up' | 'down' | 'pageUp' | 'pageDown';

/** The cursor after a move, kept inside the list. */
export function moveCursor(cursor: number, move: PickerMove, count: number, page: number): number {
  const step = { up: -1, down: 1, pageUp: -page, pageDown: page }[move];
  return Math.max(0, Math.min(Math.max(0, count - 1), cursor + step));
}

export interface PickerColumn<T> {
  header: string;
  get: (item: T) => string;
  maxWidth?: number;
  /** Dropped first (lowest) when the terminal is narrow. */
  priority?: number;
  color?: (item: T) => string | undefined;
}

/** Rows of the picker body that fit: title, search line and header take 3. */
export function pickerPage(height: number): number {
  return Math.max(1, height - 3);
}

export function PickerList<T extends { name: string }>(props: {
  title: string;
  state: PickerState;
  matches: readonly Match<T>[];
  nameHeader: string;
  columns: readonly PickerColumn<T>[];
  mark?: (item: T) => string;
  width: number;
  height: number;
  total: number;
}) {
  const { title, state, matches, nameHeader, columns, mark, width, height, total } = props;
  const page = pickerPage(height);
  const cursor = Math.min(state.cursor, Math.max(0, matches.length - 1));
  const top = Math.max(0, cursor - page + 1);
  const visible = matches.slice(top, top + page);

  // Widths from every match (a picker holds tens of rows, not thousands).
  const nameWidth = Math.min(40, Math.max(textWidth(nameHeader), ...matches.map((m) => textWidth(m.item.name))));
  let laid = columns.map((c) => ({ c, w: Math.min(c.maxWidth ?? 40, Math.max(textWidth(c.header), ...matches.map((m) => textWidth(c.get(m.item))))) }));
  const used = () => 4 + nameWidth + laid.reduce((s, x) => s + x.w + 2, 0);
  while (laid.length > 0 && used() > width) {
    const lowest = laid.reduce((lo, x) => ((x.c.priority ?? 0) < (lo.c.priority ?? 0) ? x : lo), laid[laid.length - 1]);
    laid = laid.filter((x) => x !== lowest);
  }
  const rest = (item: T) => laid.map((x) => '  ' + pad(x.c.get(item), x.w)).join('');
  const header = '    ' + pad(nameHeader, nameWidth) + laid.map((x) => '  ' + pad(x.c.header, x.w)).join('');
  const count = state.query ? `${matches.length}/${total}` : `${total}`;

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold wrap="truncate">
        {truncate(`${title} (${count}) — type to search, ↑/↓ move, enter picks, esc closes`, width)}
      </Text>
      <Text wrap="truncate">{truncate(`search: ${state.query}█`, width)}</Text>
      <Text bold wrap="truncate">
        {truncate(header, width)}
      </Text>
      {matches.length === 0 ? <Text dimColor>{truncate(`  nothing matches "${state.query}"`, width)}</Text> : null}
      {visible.map((m, i) => {
        const selected = top + i === cursor;
        const name = clipParts(m.parts, nameWidth);
        const nameLen = name.reduce((s, p) => s + textWidth(p.text), 0);
        const after = ' '.repeat(Math.max(0, nameWidth - nameLen)) + rest(m.item);
        const colored = laid.find((x) => x.c.color?.(m.item));
        return (
          <Text key={m.item.name} inverse={selected} bold={selected} wrap="truncate">
            {(selected ? '> ' : '  ') + (mark?.(m.item) ?? ' ') + ' '}
            {name.map((p, j) =>
              p.match ? (
                <Text key={j} bold underline color="cyan">
                  {p.text}
                </Text>
              ) : (
                <Text key={j}>{p.text}</Text>
              ),
            )}
            {colored ? <Text color={colored.c.color!(m.item)}>{after}</Text> : after}
          </Text>
        );
      })}
    </Box>
  );
}

/** Cut highlighted parts to `width` columns (with an ellipsis). */
function clipParts(parts: { text: string; match: boolean }[], width: number): { text: string; match: boolean }[] {
  const total = parts.reduce((s, p) => s + textWidth(p.text), 0);
  if (total <= width) return parts;
  const out: { text: string; match: boolean }[] = [];
  let room = width - 1;
  for (const p of parts) {
    if (room <= 0) break;
    const t = [...p.text].slice(0, room).join('');
    out.push({ text: t, match: p.match });
    room -= textWidth(t);
  }
  out.push({ text: '…', match: false });
  return out;
}

// ---- the context picker ----

export interface PickerContext {
  name: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  server?: string;
}

export interface Reach {
  /** "ok 12ms", "connecting…", "401 unauthorized", "DNS error", ... */
  text: string;
  level: 'ok' | 'progress' | 'error' | 'unknown';
  /** The full reason (errors), shown under the list for the selected row. */
  detail?: string;
  warm?: boolean;
}

const REACH_COLORS = { ok: 'green', progress: 'cyan', error: 'red', unknown: undefined } as const;

export function contextMatches(contexts: readonly PickerContext[], query: string): Match<PickerContext>[] {
  return fuzzyMatches(query, contexts);
}

export function ContextPicker(props: {
  contexts: readonly PickerContext[];
  current: string;
  previous?: string;
  reach: (name: string) => Reach | undefined;
  state: PickerState;
  width: number;
  height: number;
}): ReactNode {
  const { contexts, current, previous, reach, state, width, height } = props;
  const matches = useMemo(() => contextMatches(contexts, state.query), [contexts, state.query]);
  const columns = useMemo<PickerColumn<PickerContext>[]>(
    () => [
      { header: 'STATUS', get: (c) => (reach(c.name)?.text ?? '?') + (reach(c.name)?.warm ? ' (warm)' : ''), maxWidth: 26, priority: 5, color: (c) => REACH_COLORS[reach(c.name)?.level ?? 'unknown'] },
      { header: 'CLUSTER', get: (c) => c.cluster ?? '', maxWidth: 32, priority: 3 },
      { header: 'USER', get: (c) => c.user ?? '', maxWidth: 32, priority: 2 },
      { header: 'NAMESPACE', get: (c) => c.namespace ?? '', maxWidth: 20, priority: 4 },
      { header: 'SERVER', get: (c) => c.server ?? '', maxWidth: 40, priority: 1 },
    ],
    [reach],
  );
  const selected = matches[Math.min(state.cursor, matches.length - 1)]?.item;
  const detail = selected ? reach(selected.name)?.detail : undefined;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <PickerList
        title="Switch context"
        state={state}
        matches={matches}
        nameHeader="CONTEXT"
        columns={columns}
        mark={(c) => (c.name === current ? '*' : c.name === previous ? '-' : ' ')}
        width={width}
        height={detail ? height - 1 : height}
        total={contexts.length}
      />
      {detail ? (
        <Text color="red" wrap="truncate">
          {truncate(`${selected!.name}: ${detail}`, width)}
        </Text>
      ) : null}
    </Box>
  );
}
