// The pods view's hierarchy editor: the grouping levels as a list (add, edit, delete,
// reorder) with fuzzy completion over the label keys seen in the cluster, plus the special
// keys `namespace` and `node`; `|` separates fallback keys ("app.kubernetes.io/name|app").
//
// It is a text input, so while it is open it reads raw keys itself (Ink's useInput) and the
// pods view swallows the shell's actions (see PodsTreeView). Its keys are fixed and shown on
// its own hint line; they are not in the keymap because the text field must take them all.
import { Box, Text, useInput } from 'ink';
import fuzzysort from 'fuzzysort';
import { useReducer, useRef, type ReactElement } from 'react';
import { keyNameFromInk, splitKeys } from '../src/keys/keyNames.js';
import { DEFAULT_HIERARCHY_SPEC, parseHierarchy } from '../src/model/labelTree.js';
import { truncate } from './format.js';
import { matchParts } from './palette.js';

/** Completions shown, and the lowest fuzzysort score (0..1) worth offering. */
export const COMPLETION_LIMIT = 6;
export const COMPLETION_THRESHOLD = 0.3;
export const SPECIAL_KEYS = ['namespace', 'node'];

export interface Completion {
  text: string;
  parts: { text: string; match: boolean }[];
}

/** Completions for the key being typed (the text after the last `|`). */
export function completeKey(text: string, candidates: readonly string[]): Completion[] {
  const seg = text.slice(text.lastIndexOf('|') + 1).trim();
  const all = [...new Set([...SPECIAL_KEYS, ...candidates])];
  if (seg === '') return all.slice(0, COMPLETION_LIMIT).map((t) => ({ text: t, parts: [{ text: t, match: false }] }));
  return fuzzysort.go(seg, all, { limit: COMPLETION_LIMIT, threshold: COMPLETION_THRESHOLD }).map(matchParts);
}

/** Replace the key being typed by a completion. */
export function applyCompletion(text: string, completion: string): string {
  const cut = text.lastIndexOf('|');
  return (cut < 0 ? '' : text.slice(0, cut + 1)) + completion;
}

/** "a|b" as shown in the list: "a | b". */
function showLevel(spec: string): string {
  return spec.split('|').join(' | ');
}

export interface HierarchyEditorProps {
  /** The levels as spec strings ("namespace", "app.kubernetes.io/name|app"). */
  levels: readonly string[];
  /** Label keys seen on pods (most used first). */
  candidates: readonly string[];
  width: number;
  height: number;
  onApply(spec: string): void;
  onCancel(): void;
}

interface EditState {
  levels: string[];
  cursor: number;
  /** Editing a level: `insert` adds it at `index`, else replaces the level at `index`. */
  edit: { index: number; insert: boolean; text: string; pick: number } | null;
  error?: string;
  done: boolean;
}

export function HierarchyEditor(props: HierarchyEditorProps) {
  const { width, height } = props;
  // A ref, not React state: several keys can arrive in one chunk ("tier\r") and each must
  // see what the previous one did.
  const st = useRef<EditState>({ levels: [...props.levels], cursor: 0, edit: null, done: false }).current;
  const [, redraw] = useReducer((x: number) => x + 1, 0);
  const latest = useRef(props);
  latest.current = props;

  const completions = st.edit ? completeKey(st.edit.text, props.candidates) : [];

  const key = (input: string, name: string | undefined): void => {
    if (st.done) return;
    st.error = undefined;
    const e = st.edit;
    if (e) {
      const comps = completeKey(e.text, latest.current.candidates);
      switch (name) {
        case 'escape':
          st.edit = null;
          return;
        case 'enter': {
          const text = e.text.trim();
          if (text === '') {
            st.edit = null;
            return;
          }
          let parsed: string[];
          try {
            // "a,b" adds two levels; each is checked like --group-by.
            parseHierarchy(text);
            parsed = text.split(',').map((l) => l.split('|').map((k) => k.trim()).join('|'));
          } catch (err) {
            st.error = (err as Error).message;
            return;
          }
          st.levels.splice(e.index, e.insert ? 0 : 1, ...parsed);
          st.cursor = e.index;
          st.edit = null;
          return;
        }
        case 'tab':
          if (comps[e.pick]) e.text = applyCompletion(e.text, comps[e.pick].text);
          e.pick = 0;
          return;
        case 'up':
          e.pick = Math.max(0, e.pick - 1);
          return;
        case 'down':
          e.pick = Math.min(Math.max(0, comps.length - 1), e.pick + 1);
          return;
        case 'backspace':
        case 'delete':
          e.text = [...e.text].slice(0, -1).join('');
          e.pick = 0;
          return;
        case 'ctrl+u':
          e.text = '';
          e.pick = 0;
          return;
        case 'ctrl+w':
          e.text = e.text.replace(/[^|]*$/, '');
          e.pick = 0;
          return;
      }
      if (input && !/[\x00-\x1f\x7f]/.test(input)) {
        e.text += input;
        e.pick = 0;
      }
      return;
    }
    const n = st.levels.length;
    switch (name) {
      case 'up':
      case 'k':
        st.cursor = Math.max(0, st.cursor - 1);
        return;
      case 'down':
      case 'j':
        st.cursor = Math.min(Math.max(0, n - 1), st.cursor + 1);
        return;
      case 'a':
      case 'o':
        st.edit = { index: n === 0 ? 0 : st.cursor + 1, insert: true, text: '', pick: 0 };
        return;
      case 'O':
        st.edit = { index: st.cursor, insert: true, text: '', pick: 0 };
        return;
      case 'e':
      case 'i':
        if (n > 0) st.edit = { index: st.cursor, insert: false, text: st.levels[st.cursor], pick: 0 };
        return;
      case 'd':
      case 'x':
      case 'delete':
        if (n === 0) return;
        st.levels.splice(st.cursor, 1);
        st.cursor = Math.max(0, Math.min(st.cursor, st.levels.length - 1));
        return;
      case 'K':
      case 'J': {
        const to = st.cursor + (name === 'K' ? -1 : 1);
        if (to < 0 || to >= n) return;
        [st.levels[st.cursor], st.levels[to]] = [st.levels[to], st.levels[st.cursor]];
        st.cursor = to;
        return;
      }
      case 'r':
        st.levels = DEFAULT_HIERARCHY_SPEC.split(',');
        st.cursor = 0;
        return;
      case 'enter':
        st.done = true;
        latest.current.onApply(st.levels.join(','));
        return;
      case 'escape':
      case 'q':
        st.done = true;
        latest.current.onCancel();
        return;
    }
  };

  useInput((input, k) => {
    const name = keyNameFromInk(input, k);
    if (name === undefined && !k.meta && [...input].length > 1) {
      // A paste goes into the text field whole; anything else is split into keys.
      if (st.edit && !/[\x00-\x1f\x7f]/.test(input)) key(input, undefined);
      else for (const s of splitKeys(input)) key(s.input, s.name);
    } else {
      key(input, name);
    }
    redraw();
  });

  // ---- drawing ----
  const lines: ReactElement[] = [];
  const line = (k: string, text: string, opts: { bold?: boolean; inverse?: boolean; dim?: boolean; color?: string } = {}) =>
    lines.push(
      <Text key={k} bold={opts.bold} inverse={opts.inverse} dimColor={opts.dim} color={opts.color} wrap="truncate">
        {truncate(text, width) || ' '}
      </Text>,
    );
  line('title', 'Group pods by — levels from the top; pods and containers always come last', { bold: true });
  st.levels.forEach((lv, i) => {
    const editingHere = st.edit && !st.edit.insert && st.edit.index === i;
    if (st.edit?.insert && st.edit.index === i) line('new', `  +  ${st.edit.text}█`, { bold: true });
    const sel = !st.edit && i === st.cursor;
    line(`l${i}`, `${sel ? '> ' : '  '}${String(i + 1).padStart(2)}  ${editingHere ? `${st.edit!.text}█` : showLevel(lv)}`, { inverse: sel, bold: sel || !!editingHere });
  });
  if (st.edit?.insert && st.edit.index >= st.levels.length) line('new', `  +  ${st.edit.text}█`, { bold: true });
  if (st.levels.length === 0 && !st.edit) line('none', '      (no levels: pods directly)', { dim: true });
  line('tail', `      pod › container`, { dim: true });
  if (st.edit) {
    line('sp', '');
    line('ch', completions.length ? 'completions (label keys seen in the cluster; tab completes, ↑/↓ pick):' : 'no known key matches (a new key is fine)', { dim: true });
    completions.forEach((c, i) => {
      const picked = i === st.edit!.pick;
      lines.push(
        <Text key={`c${i}`} wrap="truncate">
          {picked ? '  › ' : '    '}
          {c.parts.map((p, j) =>
            p.match ? (
              <Text key={j} bold underline color="cyan">
                {p.text}
              </Text>
            ) : (
              <Text key={j}>{p.text}</Text>
            ),
          )}
        </Text>,
      );
    });
  }
  const hints = st.edit
    ? 'type a label key · | adds a fallback key · tab complete · enter accept · esc cancel'
    : 'a add · e edit · d delete · K/J move up/down · r default · enter apply & save · esc cancel';
  const body = lines.slice(0, Math.max(1, height - (st.error ? 2 : 1)));
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {body}
      <Box flexGrow={1} />
      {st.error ? (
        <Text color="red" wrap="truncate">
          {truncate(`✗ ${st.error}`, width)}
        </Text>
      ) : null}
      <Text dimColor wrap="truncate">
        {truncate(hints, width)}
      </Text>
    </Box>
  );
}
