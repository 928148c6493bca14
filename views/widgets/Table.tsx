// A windowed table: only the rows that fit are rendered, each as ONE pre-formatted <Text>
// line (a Box per cell costs several times more per frame in Ink). The selected row has a
// ">" marker and inverse video, so it shows without colour (NO_COLOR).
//
// The cursor follows the selected row's key when rows are added, removed or re-ordered.
// When `focused`, the table takes the shell's cursor actions (up, down, top, bottom,
// pageUp, pageDown, enter) through useNavTarget: a view that is just a table has no key code.
import { Box, Text } from 'ink';
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { pad, textWidth, truncate } from '../format.js';
import { useNavTarget } from '../shell.js';

export interface Column<R> {
  header: string;
  /** The cell text (called only for visible rows, and for width sampling). */
  get: (row: R) => string;
  align?: 'left' | 'right';
  /** A fixed width; otherwise the widest of header and sampled cells, within min/max. */
  width?: number;
  minWidth?: number;
  maxWidth?: number;
  /** When the terminal is too narrow, columns with the lowest priority are dropped first. */
  priority?: number;
}

export interface TableProps<R> {
  rows: readonly R[];
  rowKey: (row: R) => string;
  columns: readonly Column<R>[];
  width: number;
  /** Total height including the header line. */
  height: number;
  /** Takes cursor keys from the shell (default true). */
  focused?: boolean;
  onEnter?: (row: R) => void;
  /** Called with the row under the cursor after each move. */
  onCursor?: (row: R | undefined) => void;
  /** Called whenever the selected row changes, for any reason (moves, filtering, removal, first render). */
  onSelected?: (row: R | undefined) => void;
  /** Colour of a row (e.g. red for a crash-looping pod). */
  rowColor?: (row: R) => string | undefined;
  emptyText?: string;
  /** Bumped by the caller when the cells changed but `rows` did not (forces a re-render). */
  dataVersion?: number;
  /** `/` filter matches to underline: character indexes in the cell of the column `header`. */
  highlight?: (row: R) => { header: string; indexes: readonly number[] } | undefined;
}

const GAP = '  ';
const MARK = '> ';
/**
 * Rows sampled for auto widths (plus the visible ones): enough to be stable, bounded so 150k
 * rows stay cheap. 500 rather than 2,000: at 14,000 rollout rows the sample was ~2/3 of the
 * view's mount cost (profiled), and the visible rows are always measured on top.
 */
export const WIDTH_SAMPLE = 500;

/** Column widths that fit `width`, dropping low-priority columns when needed. */
export function layoutColumns<R>(columns: readonly Column<R>[], rows: readonly R[], width: number, extra: readonly R[] = []): { col: Column<R>; width: number }[] {
  const sample = rows.length > WIDTH_SAMPLE ? rows.slice(0, WIDTH_SAMPLE).concat(extra) : rows;
  let laid = columns.map((col) => {
    if (col.width !== undefined) return { col, width: col.width };
    let w = textWidth(col.header);
    for (const r of sample) w = Math.max(w, textWidth(col.get(r)));
    w = Math.max(w, col.minWidth ?? 0);
    if (col.maxWidth !== undefined) w = Math.min(w, col.maxWidth);
    return { col, width: w };
  });
  const avail = width - MARK.length;
  const total = () => laid.reduce((s, c) => s + c.width, 0) + GAP.length * (laid.length - 1);
  while (laid.length > 1 && total() > avail) {
    const lowest = laid.reduce((lo, c) => ((c.col.priority ?? 0) < (lo.col.priority ?? 0) ? c : lo), laid[laid.length - 1]);
    if ((lowest.col.priority ?? 0) >= 100) break;
    laid = laid.filter((c) => c !== lowest);
  }
  return laid;
}

export function formatRow<R>(laid: { col: Column<R>; width: number }[], row: R): string {
  return laid.map((c) => pad(c.col.get(row), c.width, c.col.align)).join(GAP);
}

const layouts = new WeakMap<readonly unknown[], { columns: readonly unknown[]; width: number; dataVersion: number | undefined; laid: unknown }>();

function TableInner<R>(props: TableProps<R>) {
  const { rows, rowKey, columns, width, height, focused = true, onEnter, onCursor, rowColor, emptyText = 'nothing to show' } = props;
  const bodyHeight = Math.max(1, height - 1);
  const [selectedKey, setSelectedKey] = useState<string | undefined>(undefined);
  const lastIndex = useRef(0);
  const top = useRef(0);

  // Where the selected row is now: same index first (the common case), else a scan.
  let cursor = 0;
  if (rows.length > 0) {
    const guess = Math.min(lastIndex.current, rows.length - 1);
    if (selectedKey === undefined) cursor = guess;
    else if (rowKey(rows[guess]) === selectedKey) cursor = guess;
    else {
      const found = rows.findIndex((r) => rowKey(r) === selectedKey);
      cursor = found >= 0 ? found : guess; // the row went away: stay at the same place
    }
  }
  lastIndex.current = cursor;
  if (cursor < top.current) top.current = cursor;
  if (cursor >= top.current + bodyHeight) top.current = cursor - bodyHeight + 1;
  top.current = Math.max(0, Math.min(top.current, Math.max(0, rows.length - bodyHeight)));
  const start = top.current;
  const visible = rows.slice(start, start + bodyHeight);

  // Tell the caller which row is under the cursor whenever that changes (a move, a filter,
  // the row going away), so actions on "the selected row" act on the row shown selected.
  // A layout effect runs in the same task as the commit that writes the frame: a passive one
  // could run after a key typed at the frame (read in the event loop's poll phase) was handled.
  const cursorRowKey = rows.length > 0 ? rowKey(rows[cursor]) : undefined;
  useLayoutEffect(() => {
    // Before the first move the cursor is "row 0"; from the first frame on it follows that row.
    props.onSelected?.(rows.length > 0 ? rows[cursor] : undefined);
  }, [cursorRowKey]); // eslint-disable-line react-hooks/exhaustive-deps

  // Widths once per data change (and width change), not per keypress; kept with the rows
  // array, so a view opened again on the same rows measures nothing.
  const laid = useMemo(() => {
    const c = layouts.get(rows);
    if (c && c.columns === columns && c.width === width && c.dataVersion === props.dataVersion) return c.laid as { col: Column<R>; width: number }[];
    const l = layoutColumns(columns, rows, width, visible);
    layouts.set(rows, { columns, width, dataVersion: props.dataVersion, laid: l });
    return l;
  }, [columns, rows, width, props.dataVersion]); // eslint-disable-line react-hooks/exhaustive-deps

  const moveTo = (i: number) => {
    if (rows.length === 0) return;
    const idx = Math.max(0, Math.min(rows.length - 1, i));
    lastIndex.current = idx;
    setSelectedKey(rowKey(rows[idx]));
    onCursor?.(rows[idx]);
  };

  useNavTarget((action) => {
    // From lastIndex, not this render's `cursor`: keys arriving in one chunk ("jj" typed fast)
    // are handled before the next render, each after the move the previous one made.
    const at = lastIndex.current;
    switch (action) {
      case 'up':
        moveTo(at - 1);
        return true;
      case 'down':
        moveTo(at + 1);
        return true;
      case 'top':
        moveTo(0);
        return true;
      case 'bottom':
        moveTo(rows.length - 1);
        return true;
      case 'pageUp':
        moveTo(at - bodyHeight);
        return true;
      case 'pageDown':
        moveTo(at + bodyHeight);
        return true;
      case 'enter':
        if (onEnter && rows[at] !== undefined) {
          onEnter(rows[at]);
          return true;
        }
        return false;
      default:
        return false;
    }
  }, focused);

  const header = truncate(' '.repeat(MARK.length) + laid.map((c) => pad(c.col.header, c.width, c.col.align)).join(GAP), width);
  return (
    <Box flexDirection="column" height={height} width={width} overflow="hidden">
      <Text bold wrap="truncate">
        {header}
      </Text>
      {rows.length === 0 ? (
        <Text dimColor>{truncate('  ' + emptyText, width)}</Text>
      ) : (
        visible.map((row, i) => {
          const selected = start + i === cursor;
          const line = truncate((selected ? MARK : '  ') + formatRow(laid, row), width);
          return (
            <Text key={rowKey(row)} inverse={selected && focused} bold={selected} color={rowColor?.(row)} wrap="truncate">
              {props.highlight ? highlighted(line, laid, props.highlight(row)) : line}
            </Text>
          );
        })
      )}
    </Box>
  );
}

/** The line with the matched characters underlined (nested <Text>: still one line, no Box). */
function highlighted<R>(line: string, laid: { col: Column<R>; width: number }[], h: { header: string; indexes: readonly number[] } | undefined) {
  if (!h || h.indexes.length === 0) return line;
  let start = MARK.length;
  const i = laid.findIndex((c) => c.col.header === h.header);
  if (i < 0) return line;
  for (let j = 0; j < i; j++) start += laid[j].width + GAP.length;
  const marked = new Set(h.indexes.filter((x) => x < laid[i].width).map((x) => x + start));
  const chars = [...line];
  const parts: { text: string; match: boolean }[] = [];
  chars.forEach((ch, k) => {
    const m = marked.has(k);
    const last = parts[parts.length - 1];
    if (last && last.match === m) last.text += ch;
    else parts.push({ text: ch, match: m });
  });
  return parts.map((p, k) => (p.match ? <Text key={k} underline>{p.text}</Text> : p.text));
}

export const Table = memo(TableInner) as typeof TableInner;
