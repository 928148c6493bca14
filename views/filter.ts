// The `/` filter every table shares.
//
//   /chk       fuzzy (fuzzysort) over name, namespace, node, labels and images of each row
//   /-l app=x,tier!=db     a kubectl label selector instead (src/model/labelSelector.ts)
//
// Rows keep their order (the table's sort), so the selected row does not jump while typing;
// the Table keeps the cursor on the same key. fuzzysort 4 defaults to limit 10 and threshold
// 0.5: both are set here on purpose (every match, weak matches dropped). The search is
// fuzzysort.single per field (limit: every row; threshold: FILTER_THRESHOLD), see filterRows.
import fuzzysort from 'fuzzysort';
import { matchSelector, parseSelector, SelectorError, type Requirement } from '../src/model/labelSelector.js';

/** Scores below this are not shown (1 = exact, 0.5 = good). */
export const FILTER_THRESHOLD = 0.2;

/** What a row offers to the filter. */
export interface FilterFields {
  name: string;
  namespace?: string;
  node?: string;
  labels?: Readonly<Record<string, string>>;
  images?: readonly string[];
  /** Any other searchable text (e.g. an event's reason and message). */
  extra?: string;
}

export type ParsedFilter =
  | { kind: 'none' }
  | { kind: 'fuzzy'; query: string }
  | { kind: 'labels'; selector: Requirement[] }
  | { kind: 'error'; message: string };

const LABEL_PREFIX = /^-l(\s+|=|$)/;

export function parseFilter(text: string): ParsedFilter {
  const t = text.trim();
  if (!t) return { kind: 'none' };
  if (LABEL_PREFIX.test(t)) {
    const sel = t.replace(LABEL_PREFIX, '');
    try {
      return { kind: 'labels', selector: parseSelector(sel) };
    } catch (e) {
      return { kind: 'error', message: e instanceof SelectorError ? e.message : String(e) };
    }
  }
  return { kind: 'fuzzy', query: t };
}

export interface FilterResult<R> {
  rows: R[];
  /** Matched character indexes in the row's name (fuzzy mode), for highlighting. */
  nameMatches: Map<R, readonly number[]>;
  /** A bad label selector: say so, and show no rows. */
  error?: string;
}

type Prepared = ReturnType<typeof fuzzysort.prepare>;
interface Targets {
  name: Prepared;
  namespace: Prepared | undefined;
  node: Prepared | undefined;
  labels: Prepared | undefined;
  images: Prepared | undefined;
  extra: Prepared | undefined;
}

// Prepared targets per source object: a pod is prepared once, again only when the store
// replaces it (a new object), so filtering 150k pods does not rebuild 150k label strings.
// One key per field (not one combined string) so that a match cannot straddle two fields.
const prepared = new WeakMap<object, Targets>();

function targetsOf(obj: object, fields: () => FilterFields): Targets {
  let t = prepared.get(obj);
  if (!t) {
    const f = fields();
    let labels = '';
    if (f.labels) for (const k in f.labels) labels += `${labels ? ' ' : ''}${k}=${f.labels[k]}`;
    const images = f.images?.join(' ') ?? '';
    t = {
      name: fuzzysort.prepare(f.name),
      namespace: f.namespace ? fuzzysort.prepare(f.namespace) : undefined,
      node: f.node ? fuzzysort.prepare(f.node) : undefined,
      labels: labels ? fuzzysort.prepare(labels) : undefined,
      images: images ? fuzzysort.prepare(images) : undefined,
      extra: f.extra ? fuzzysort.prepare(f.extra) : undefined,
    };
    prepared.set(obj, t);
  }
  return t;
}

const FIELDS: (keyof Targets)[] = ['name', 'namespace', 'node', 'labels', 'images', 'extra'];

// Typing forward ("che" -> "chec") can only narrow a fuzzy match: search the previous hits
// of the same rows only. Keyed by the rows array, so new data starts over.
const lastFuzzy = new WeakMap<readonly unknown[], { query: string; hits: Uint8Array }>();

/**
 * Does every word of the query match one of the fields (fuzzysort.single, score >= the
 * threshold)? Returns the matched indexes in the name (possibly empty), or undefined.
 * One `single` per field until one matches is much cheaper on 150,000 rows than
 * fuzzysort.go with `keys` (which builds and ranks a result object for every row).
 */
function matchTargets(words: readonly string[], t: Targets): number[] | undefined {
  let nameIx: number[] | undefined;
  for (const w of words) {
    let ok = false;
    for (const k of FIELDS) {
      const target = t[k];
      if (!target) continue;
      const r = fuzzysort.single(w, target);
      if (r && r.score >= FILTER_THRESHOLD) {
        if (k === 'name') (nameIx ??= []).push(...r.indexes);
        ok = true;
        break;
      }
    }
    if (!ok) return undefined;
  }
  return nameIx ?? [];
}

/**
 * Filter `rows` by the `/` text. `source(row)` gives the object the row shows (for caching)
 * and `fields(obj)` what is searchable in it; rows without a source never match.
 * Rows keep their order (no ranking by score), so the selection does not jump.
 */
export function filterRows<R, O extends object>(rows: readonly R[], text: string, source: (row: R) => O | undefined, fields: (obj: O) => FilterFields): FilterResult<R> {
  const f = parseFilter(text);
  const nameMatches = new Map<R, readonly number[]>();
  if (f.kind === 'none') return { rows: rows as R[], nameMatches };
  if (f.kind === 'error') return { rows: [], nameMatches, error: f.message };
  const out: R[] = [];
  if (f.kind === 'labels') {
    for (const r of rows) {
      const o = source(r);
      if (o && matchSelector(f.selector, fields(o).labels)) out.push(r);
    }
    return { rows: out, nameMatches };
  }
  const words = f.query.split(/\s+/).filter(Boolean);
  const prev = lastFuzzy.get(rows);
  const narrow = prev && f.query.startsWith(prev.query) ? prev.hits : undefined;
  const hits = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    if (narrow && !narrow[i]) continue;
    const o = source(rows[i]);
    if (!o) continue;
    const ix = matchTargets(words, targetsOf(o, () => fields(o)));
    if (!ix) continue;
    hits[i] = 1;
    out.push(rows[i]);
    if (ix.length > 0) nameMatches.set(rows[i], [...new Set(ix)].sort((a, b) => a - b));
  }
  lastFuzzy.set(rows, { query: f.query, hits });
  return { rows: out, nameMatches };
}

/** Split a text into plain and matched parts (matched = indexes), for <Text> highlighting. */
export function highlightParts(text: string, indexes: readonly number[] | undefined): { text: string; match: boolean }[] {
  if (!indexes || indexes.length === 0) return [{ text, match: false }];
  const set = new Set(indexes);
  const out: { text: string; match: boolean }[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const m = set.has(i);
    const last = out[out.length - 1];
    if (last && last.match === m) last.text += chars[i];
    else out.push({ text: chars[i], match: m });
  }
  return out;
}

/** The filter fields of a pod-like object (pods, and pod templates' owners). */
export function podFilterFields(p: { metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: { nodeName?: string; containers?: { image?: string }[]; initContainers?: { image?: string }[] } }): FilterFields {
  const images: string[] = [];
  for (const c of p.spec?.initContainers ?? []) if (c.image) images.push(c.image);
  for (const c of p.spec?.containers ?? []) if (c.image) images.push(c.image);
  return { name: p.metadata.name, namespace: p.metadata.namespace, node: p.spec?.nodeName, labels: p.metadata.labels, images };
}
