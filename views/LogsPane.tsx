// Scrolling text for the object detail (describe, YAML, events, logs) and the pod log stream.
//
// TextPane renders only the rows that fit: with wrap on, a long line takes several rows;
// `/` search matches are shown in inverse video (visible without colour), `n`/`N` jump.
// useLogStream keeps a LogStream (src/kube/logs.ts: a bounded ring buffer, follow with
// reconnect) open for as long as the pane shows it.
import { Box, Text } from 'ink';
import { useEffect, useReducer, useState } from 'react';
import { LogStream, type LogClient, type LogTarget } from '../src/kube/logs.js';
import { truncate } from './format.js';

export interface TextSource {
  count: number;
  line(i: number): string;
}

export function arraySource(lines: readonly string[]): TextSource {
  return { count: lines.length, line: (i) => lines[i] ?? '' };
}

/** Cut a line into rows of `width` (at least one row, even for an empty line). */
export function wrapLine(line: string, width: number): string[] {
  const w = Math.max(1, width);
  const cps = [...line];
  if (cps.length <= w) return [line];
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += w) out.push(cps.slice(i, i + w).join(''));
  return out;
}

/** The top line that shows the end of the text (the last rows fill the pane). */
export function bottomTop(src: TextSource, width: number, height: number, wrap: boolean): number {
  if (!wrap) return Math.max(0, src.count - height);
  let rows = 0;
  for (let i = src.count - 1; i >= 0; i--) {
    rows += wrapLine(src.line(i), width).length;
    if (rows > height) return i + 1;
  }
  return 0;
}

/** Lines containing `q` (case-insensitive), in order. */
export function searchLines(src: TextSource, q: string): number[] {
  if (!q) return [];
  const needle = q.toLowerCase();
  const out: number[] = [];
  for (let i = 0; i < src.count; i++) if (src.line(i).toLowerCase().includes(needle)) out.push(i);
  return out;
}

function parts(text: string, q: string): { t: string; m: boolean }[] {
  if (!q) return [{ t: text, m: false }];
  const lower = text.toLowerCase();
  const needle = q.toLowerCase();
  const out: { t: string; m: boolean }[] = [];
  let from = 0;
  for (;;) {
    const i = lower.indexOf(needle, from);
    if (i < 0) break;
    if (i > from) out.push({ t: text.slice(from, i), m: false });
    out.push({ t: text.slice(i, i + needle.length), m: true });
    from = i + needle.length;
  }
  if (from < text.length) out.push({ t: text.slice(from), m: false });
  return out;
}

export interface TextPaneProps {
  src: TextSource;
  top: number;
  width: number;
  height: number;
  wrap: boolean;
  search: string;
  /** Line shown with a marker (the current search match). */
  current?: number;
  emptyText?: string;
}

export function TextPane({ src, top, width, height, wrap, search, current, emptyText = '(empty)' }: TextPaneProps) {
  const rows: { key: string; text: string; cur: boolean }[] = [];
  for (let i = Math.max(0, top); i < src.count && rows.length < height; i++) {
    const line = src.line(i);
    const cur = i === current;
    if (wrap) {
      wrapLine(line, width - 1).forEach((r, j) => rows.length < height && rows.push({ key: `${i}.${j}`, text: r, cur }));
    } else rows.push({ key: String(i), text: truncate(line, width - 1), cur });
  }
  return (
    <Box flexDirection="column" height={height} width={width} overflow="hidden">
      {src.count === 0 ? <Text dimColor>{truncate(emptyText, width)}</Text> : null}
      {rows.map((r) => (
        <Text key={r.key} wrap="truncate">
          {r.cur ? '›' : ' '}
          {parts(r.text, search).map((p, k) => (p.m ? <Text key={k} inverse>{p.t}</Text> : p.t))}
        </Text>
      ))}
    </Box>
  );
}

/** A pod's log stream while mounted; re-opened when the target or follow changes. */
export function useLogStream(client: LogClient | undefined, target: LogTarget | undefined, follow: boolean): LogStream | undefined {
  const [stream, setStream] = useState<LogStream | undefined>(undefined);
  const [, bump] = useReducer((x: number) => x + 1, 0);
  const id = target ? `${target.namespace}/${target.pod}/${target.container}/${target.previous ? 'prev' : 'cur'}/${follow}` : '';
  useEffect(() => {
    if (!client || !target) {
      setStream(undefined);
      return;
    }
    const s = new LogStream(client, target, { follow });
    const off = s.onChange(bump);
    s.start();
    setStream(s);
    return () => {
      off();
      s.stop();
    };
  }, [client, id]); // eslint-disable-line react-hooks/exhaustive-deps
  return stream;
}

/** One line about the stream: container, instance, state, lines kept and dropped. */
export function logStatus(s: LogStream | undefined, container: string, previous: boolean): string {
  if (!s) return `container ${container}`;
  const st = s.state;
  const phase =
    st.phase === 'streaming' ? (s.following ? 'following' : 'loading') : st.phase === 'ended' ? 'complete' : st.phase === 'reconnecting' ? `reconnecting (${st.reconnects})` : st.phase;
  const dropped = s.lines.dropped > 0 ? `, ${s.lines.dropped.toLocaleString('en-US')} older dropped` : '';
  return `container ${container}${previous ? ' (previous instance)' : ''} · ${phase} · ${s.lines.size.toLocaleString('en-US')} lines${dropped}`;
}
