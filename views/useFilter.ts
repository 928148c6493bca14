// useFilter(rows, text, index, keyOf, objOf): the `/` filter of a view, never blocking a
// keypress (views/filter.ts, LiveFilter): a small search is done within the render, a large
// one in the background while the previous result stays on screen with `searching` set.
import { useEffect, useReducer, useRef } from 'react';
import { LiveFilter, type LiveResult, type SearchIndex } from './filter.js';

export function useFilter<R, O extends object>(
  rows: readonly R[],
  text: string,
  index: SearchIndex<O>,
  keyOf: (row: R) => unknown,
  objOf: (row: R) => O | undefined,
  opts: { prune?: boolean } = {},
): LiveResult<R> {
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const live = useRef<LiveFilter<R, O> | null>(null);
  if (!live.current || live.current.index !== index) {
    live.current?.dispose();
    live.current = new LiveFilter(index, keyOf, objOf, rerender, opts);
  }
  live.current.keyOf = keyOf;
  live.current.objOf = objOf;
  useEffect(() => () => live.current?.dispose(), []);
  // Starts (or keeps) a background scan as a side effect of rendering: Ink renders
  // synchronously and never discards a render, and the scan only publishes through rerender.
  return live.current.show(rows, text);
}
