// The `:` command palette's commands and completion (pure; the Palette widget draws it).
import fuzzysort from 'fuzzysort';

export type PaletteCommand =
  | { kind: 'view'; name: string }
  | { kind: 'ctx'; name: string }
  | { kind: 'ns'; namespace: string | undefined }
  | { kind: 'quit' };

export interface PaletteWorld {
  /** View names and aliases -> registry name. */
  views: ReadonlyMap<string, string>;
  contexts: readonly string[];
  namespaces: readonly string[];
}

const ALL_NS = ['all', '-A', '*'];
/** Completion list size and the lowest fuzzysort score (0..1) worth offering. */
export const PALETTE_LIMIT = 6;
export const PALETTE_THRESHOLD = 0.3;

export function paletteCandidates(w: PaletteWorld): string[] {
  return [...new Set(w.views.values()), ...w.contexts.map((c) => `ctx ${c}`), 'ns all', ...w.namespaces.map((n) => `ns ${n}`), 'q'];
}

export interface PaletteMatch {
  text: string;
  /** [start, end) index ranges of matched characters, for highlighting. */
  parts: { text: string; match: boolean }[];
}

export function completePalette(input: string, candidates: readonly string[]): PaletteMatch[] {
  const q = input.trim();
  if (q === '') return candidates.slice(0, PALETTE_LIMIT).map((text) => ({ text, parts: [{ text, match: false }] }));
  const results = fuzzysort.go(q, candidates, { limit: PALETTE_LIMIT, threshold: PALETTE_THRESHOLD });
  return results.map(matchParts);
}

/** A fuzzysort result as runs of matched and unmatched text, for highlighting. */
export function matchParts(r: { target: string; indexes: readonly number[] }): PaletteMatch {
  const parts: PaletteMatch['parts'] = [];
  const idx = new Set(r.indexes);
  for (let i = 0; i < r.target.length; i++) {
    const m = idx.has(i);
    const last = parts[parts.length - 1];
    if (last && last.match === m) last.text += r.target[i];
    else parts.push({ text: r.target[i], match: m });
  }
  return { text: r.target, parts };
}

/** A command typed in full, or undefined. */
export function parseExact(input: string, w: PaletteWorld): PaletteCommand | { kind: 'error'; message: string } | undefined {
  const [word, ...rest] = input.trim().split(/\s+/);
  const arg = rest.join(' ');
  if (word === 'q' || word === 'quit' || word === 'q!') return rest.length === 0 ? { kind: 'quit' } : undefined;
  if (rest.length === 0 && w.views.has(word)) return { kind: 'view', name: w.views.get(word)! };
  if (word === 'ctx' || word === 'context') {
    if (!arg) return { kind: 'error', message: `ctx needs a context name (known: ${w.contexts.join(', ')})` };
    return w.contexts.includes(arg) ? { kind: 'ctx', name: arg } : undefined;
  }
  if (word === 'ns' || word === 'namespace') {
    if (!arg || ALL_NS.includes(arg)) return { kind: 'ns', namespace: undefined };
    return w.namespaces.includes(arg) ? { kind: 'ns', namespace: arg } : undefined;
  }
  return undefined;
}

/**
 * What `enter` runs: the exact command, else the best completion, else for `ns NAME` that
 * namespace even if it is not (yet) known; otherwise an error message for the status line.
 */
export function resolvePalette(input: string, w: PaletteWorld): PaletteCommand | { kind: 'error'; message: string } {
  const exact = parseExact(input, w);
  if (exact) return exact;
  const best = completePalette(input, paletteCandidates(w))[0];
  if (best) {
    const cmd = parseExact(best.text, w);
    if (cmd) return cmd;
  }
  const [word, ...rest] = input.trim().split(/\s+/);
  if ((word === 'ns' || word === 'namespace') && rest.length > 0) return { kind: 'ns', namespace: rest.join(' ') };
  if (word === 'ctx' || word === 'context') return { kind: 'error', message: `unknown context "${rest.join(' ')}" (known: ${w.contexts.join(', ')})` };
  return { kind: 'error', message: `unknown command "${input.trim()}" — try a view name (${[...new Set(w.views.values())].join(', ')}), ctx NAME, ns NAME or q` };
}
