// The `/` filter every table and tree shares.
//
//   /chk       fuzzy (fuzzysort) over name, namespace, node, labels and images of each row
//   /-l app=x,tier!=db     a kubectl label selector instead (src/model/labelSelector.ts)
//
// Rows keep their order (the table's sort), so the selected row does not jump while typing;
// the Table keeps the cursor on the same key.
//
// fuzzysort 4 defaults to limit 10 and threshold 0.5. Here: `fuzzysort.single` per word and
// per field, threshold FILTER_THRESHOLD (explicit), and no limit because every row is tested
// (the limit is "all rows"). Not `fuzzysort.go`: it ranks and cuts a result list we do not
// want (rows keep the table's order) and cannot be run in slices or stopped half-way.
//
// At 150,000 pods nothing here may block a keypress:
// - SearchIndex keeps an entry per object, built ahead of time in the background, a few
//   milliseconds at a time, as objects arrive, and again only for an object whose stamp
//   changed (a pod's resourceVersion). The values objects share (namespace, node, a
//   ReplicaSet's labels and images) are prepared fuzzysort targets, one per distinct value
//   (refcounted), each matched once per word however many pods carry it; the name, unique
//   per object, is prepared only while it is matched (see matchWords).
// - FilterScan searches the rows a slice at a time; LiveFilter (one per view) shows the last
//   complete result while the next one is computed, and drops a scan a newer keystroke made
//   obsolete: only complete results are ever shown.
// - Each entry remembers its verdict for the last query: a re-scan after a watch batch only
//   matches the objects that changed, and typing forward skips the objects in which the
//   shorter text was not even a subsequence (a longer text cannot match there either, so no
//   match is ever dropped).
import fuzzysort from 'fuzzysort';
import type { Pod } from '../src/kube/types.js';
import { matchSelector, parseSelector, SelectorError, type Requirement } from '../src/model/labelSelector.js';
import type { ClusterStore } from '../src/store/clusterStore.js';

/** Scores below this are not shown (1 = exact, 0.5 = good). */
export const FILTER_THRESHOLD = 0.2;

/** Longest stretch of filter work between two chances for a keypress to be handled. */
export const SLICE_MS = 8;
/** The part done within the keypress's own render (enough to finish a search of thousands). */
const RENDER_SLICE_MS = 4;
/** Rows (or objects) between two looks at the clock. */
const CHUNK = 64;
/** How often a long scan re-renders its progress. */
const PROGRESS_MS = 100;

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

// ---- the index -------------------------------------------------------------------------------

type Prepared = ReturnType<typeof fuzzysort.prepare>;

/** A match: the indexes matched in the name (maybe none); 0: every word is in some field but
 * too weakly; null: some word is not even a subsequence of any field. */
type Verdict = readonly number[] | 0 | null;

/** A value many objects share (a namespace, a node, a ReplicaSet's labels or images): prepared
 * once, and matched once per word however many objects carry it. */
interface Shared {
  p: Prepared;
  refs: number;
  /** The last word matched against it, and how: 0 no match, 1 too weak, 2 a match. */
  w?: string;
  m?: 0 | 1 | 2;
}

interface Entry {
  stamp: unknown;
  /** Not prepared ahead: see matchWords. */
  name: string;
  /** namespace, node, labels, images, extra: the non-empty ones. */
  rest: Shared[];
  labels: Readonly<Record<string, string>> | undefined;
  /** The last fuzzy query matched against this entry, and its verdict. */
  q?: string;
  v?: Verdict;
}

const NO_INDEXES: readonly number[] = [];

/**
 * Search entries per object key. `entry()` prepares one on demand (counted in `prepares`);
 * `warm()` does it ahead of time in the background.
 */
export class SearchIndex<O extends object> {
  /** Objects prepared so far (tests count them). */
  prepares = 0;
  private readonly entries = new Map<unknown, Entry>();
  private readonly shared = new Map<string, Shared>();
  private readonly queue = new Set<unknown>();
  private lookup: (key: unknown) => O | undefined = () => undefined;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly fields: (obj: O) => FilterFields,
    /** Changes when the object changes (default: the object itself). */
    private readonly stamp: (obj: O) => unknown = (o) => o,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Keys still waiting to be prepared in the background. */
  get pending(): number {
    return this.queue.size;
  }

  /** The entry of `key` for `obj`, prepared now if missing or stale. */
  entry(key: unknown, obj: O): Entry {
    const stamp = this.stamp(obj);
    const old = this.entries.get(key);
    if (old && old.stamp === stamp) return old;
    const f = this.fields(obj);
    let labels = '';
    if (f.labels) for (const k in f.labels) labels += `${labels ? ' ' : ''}${k}=${f.labels[k]}`;
    const rest: Shared[] = [];
    for (const s of [f.namespace, f.node, labels, f.images?.join(' '), f.extra]) if (s) rest.push(this.share(s));
    // Shared values are taken before the old entry lets go of them: a status-only change
    // prepares nothing again.
    if (old) this.release(old);
    const e: Entry = { stamp, name: f.name, rest, labels: f.labels };
    this.entries.set(key, e);
    this.prepares++;
    return e;
  }

  delete(key: unknown): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.release(e);
    this.entries.delete(key);
  }

  /** Drop the entries of keys not in `keep` (an index fed from rows rather than a store). */
  retain(keep: ReadonlySet<unknown>): void {
    for (const k of this.entries.keys()) if (!keep.has(k)) this.delete(k);
  }

  /**
   * Prepare these keys in the background, SLICE_MS at a time; a key whose object is gone
   * (lookup gives undefined) is dropped.
   */
  warm(keys: Iterable<unknown>, lookup: (key: unknown) => O | undefined): void {
    this.lookup = lookup;
    for (const k of keys) this.queue.add(k);
    if (this.queue.size > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(this.warmSlice);
    }
  }

  /** Resolves when nothing waits to be prepared (benchmarks, tests). */
  idle(): Promise<void> {
    return this.queue.size === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  private readonly warmSlice = () => {
    const end = performance.now() + SLICE_MS;
    let n = 0;
    for (const k of this.queue) {
      this.queue.delete(k);
      const o = this.lookup(k);
      if (o) this.entry(k, o);
      else this.delete(k);
      if (++n % CHUNK === 0 && performance.now() >= end) break;
    }
    if (this.queue.size > 0) return void setImmediate(this.warmSlice);
    this.scheduled = false;
    for (const r of this.idleWaiters.splice(0)) r();
  };

  /** The verdict of a fuzzy query (trimmed text, and its words) for an entry. */
  verdict(e: Entry, query: string, words: readonly string[]): Verdict {
    if (e.q === query) return e.v!;
    // No subsequence match for a prefix of the query: none for the query either.
    if (e.v === null && query.startsWith(e.q!)) return null;
    e.v = matchWords(words, e);
    e.q = query;
    return e.v;
  }

  private share(s: string): Shared {
    let t = this.shared.get(s);
    if (!t) this.shared.set(s, (t = { p: fuzzysort.prepare(s), refs: 0 }));
    t.refs++;
    return t;
  }

  private release(e: Entry): void {
    for (const t of e.rest) if (--t.refs === 0) this.shared.delete(t.p.target);
  }
}

/**
 * Each word must match (score >= FILTER_THRESHOLD) one field; the name is tried first.
 * The name is prepared here and thrown away: names are unique, so a kept target would cost
 * ~500 bytes per pod (more once fuzzysort adds its match tables) and saves no time (measured:
 * preparing and matching 150,000 names costs what matching kept targets does).
 * fuzzysort.prepare, not a raw string: fuzzysort caches raw-string targets forever.
 */
function matchWords(words: readonly string[], e: Entry): Verdict {
  let nameIx: number[] | undefined;
  let weak = false;
  const name = fuzzysort.prepare(e.name);
  for (const w of words) {
    let found = false;
    let ok = false;
    const r = fuzzysort.single(w, name);
    if (r) {
      found = true;
      if (r.score >= FILTER_THRESHOLD) {
        ok = true;
        if (nameIx) nameIx.push(...r.indexes);
        else nameIx = r.indexes as number[]; // a fresh sorted copy
      }
    }
    for (let i = 0; !ok && i < e.rest.length; i++) {
      const t = e.rest[i];
      if (t.w !== w) {
        const r = fuzzysort.single(w, t.p);
        t.w = w;
        t.m = !r ? 0 : r.score >= FILTER_THRESHOLD ? 2 : 1;
      }
      if (t.m! > 0) found = true;
      if (t.m === 2) ok = true;
    }
    if (!found) return null;
    if (!ok) weak = true;
  }
  if (weak) return 0;
  if (!nameIx) return NO_INDEXES;
  return words.length > 1 ? [...new Set(nameIx)].sort((a, b) => a - b) : nameIx;
}

// ---- the pods' index, one per store ----------------------------------------------------------

/** An index of pods, stamped by resourceVersion: a pod is prepared again only when it changed. */
export function newPodSearchIndex(): SearchIndex<Pod> {
  return new SearchIndex<Pod>(podFilterFields, (p) => p.metadata.resourceVersion ?? p);
}

const podIndexes = new WeakMap<ClusterStore, SearchIndex<Pod>>();

/**
 * The search index of a store's pods: every pod prepared in the background from the moment
 * a view first asks for it, then the pods each change batch names (changed: re-prepared;
 * deleted: dropped). Shared by the pod list and the pods tree.
 */
export function podSearchIndex(store: ClusterStore): SearchIndex<Pod> {
  let ix = podIndexes.get(store);
  if (ix) return ix;
  const index = newPodSearchIndex();
  // Straight from the store's map: one-off background work (test/unit/perf-guard counts the
  // views' store.get reads per watch event; a batch costs this one lookup per changed pod).
  const pods = store.list('pods');
  const lookup = (k: unknown) => pods.get(k as string);
  index.warm(store.list('pods').keys(), lookup);
  store.subscribe((batch) => {
    const keys = batch.changed.get('pods');
    if (keys) index.warm(keys, lookup);
  });
  podIndexes.set(store, (ix = index));
  return ix;
}

// ---- searching -----------------------------------------------------------------------------

/** One search of `rows` for `text`, done a slice at a time with step(). */
export class FilterScan<R, O extends object> {
  private i = 0;
  private readonly f: ParsedFilter;
  private readonly words: string[] = [];
  private readonly out: R[] = [];
  private readonly nameMatches = new Map<R, readonly number[]>();

  constructor(
    readonly rows: readonly R[],
    readonly text: string,
    private readonly index: SearchIndex<O>,
    private readonly keyOf: (row: R) => unknown,
    private readonly objOf: (row: R) => O | undefined,
  ) {
    this.f = parseFilter(text);
    if (this.f.kind === 'fuzzy') this.words = this.f.query.split(/\s+/);
    else this.i = this.f.kind === 'labels' ? 0 : rows.length; // none / error: nothing to scan
  }

  get done(): boolean {
    return this.i >= this.rows.length;
  }

  /** Share of the rows searched, 0..1. */
  get progress(): number {
    return this.rows.length === 0 ? 1 : this.i / this.rows.length;
  }

  /** Search until done or past `deadline` (performance.now() time); true when done. */
  step(deadline: number): boolean {
    const { rows, f, index } = this;
    while (this.i < rows.length) {
      const stop = Math.min(rows.length, this.i + CHUNK);
      for (; this.i < stop; this.i++) {
        const row = rows[this.i];
        const o = this.objOf(row);
        if (!o) continue;
        const e = index.entry(this.keyOf(row), o);
        if (f.kind === 'labels') {
          if (matchSelector(f.selector, e.labels)) this.out.push(row);
          continue;
        }
        const v = index.verdict(e, (f as { query: string }).query, this.words);
        if (!v) continue;
        this.out.push(row);
        if (v.length > 0) this.nameMatches.set(row, v);
      }
      if (performance.now() >= deadline) break;
    }
    return this.done;
  }

  /** The result (complete once done). */
  result(): FilterResult<R> {
    if (this.f.kind === 'none') return { rows: this.rows as R[], nameMatches: this.nameMatches };
    if (this.f.kind === 'error') return { rows: [], nameMatches: this.nameMatches, error: this.f.message };
    return { rows: this.out, nameMatches: this.nameMatches };
  }
}

/**
 * Filter `rows` by the `/` text in one go (tests, and the reference the sliced search must
 * equal). `source(row)` gives the object the row shows, `fields(obj)` what is searchable in it;
 * rows without a source never match.
 */
export function filterRows<R, O extends object>(rows: readonly R[], text: string, source: (row: R) => O | undefined, fields: (obj: O) => FilterFields): FilterResult<R> {
  const scan = new FilterScan(rows, text, new SearchIndex(fields), (r) => r, source);
  scan.step(Infinity);
  return scan.result();
}

export interface LiveResult<R> extends FilterResult<R> {
  /** Set (0..1) while a newer text than the one shown is still being searched. */
  searching?: number;
}

/**
 * The filter of one view: `show(rows, text)` at every render gives what to show at once.
 * A small search finishes inside that call; a large one continues in slices (SLICE_MS each)
 * while the view shows the previous complete result, and calls `onChange` when it is done
 * (and every PROGRESS_MS for the progress marker). A scan for an older text is dropped, never
 * shown. A scan for the same text but older rows (a watch batch arrived) is left to finish,
 * so churn cannot starve the result; the render it triggers starts the next one.
 */
export class LiveFilter<R, O extends object> {
  private shown: { rows: readonly R[]; text: string; result: FilterResult<R> } | undefined;
  private scan: FilterScan<R, O> | undefined;
  private lastPing = 0;

  constructor(
    public index: SearchIndex<O>,
    public keyOf: (row: R) => unknown,
    public objOf: (row: R) => O | undefined,
    private readonly onChange: () => void,
    private readonly opts: { sliceMs?: number; prune?: boolean } = {},
  ) {}

  show(rows: readonly R[], text: string): LiveResult<R> {
    const shown = this.shown;
    if (shown && shown.rows === rows && shown.text === text) return shown.result;
    const running = this.scan;
    if (running && running.text === text) return this.showing(running);
    const scan = new FilterScan(rows, text, this.index, this.keyOf, this.objOf);
    this.scan = scan;
    if (this.slice(scan, RENDER_SLICE_MS)) return this.shown!.result;
    setImmediate(() => this.continue(scan));
    return this.showing(scan);
  }

  /** Stop any scan (the view unmounts). */
  dispose(): void {
    this.scan = undefined;
  }

  private showing(scan: FilterScan<R, O>): LiveResult<R> {
    const prev = this.shown?.result ?? { rows: [], nameMatches: new Map() };
    return this.shown?.text === scan.text ? prev : { ...prev, searching: scan.progress };
  }

  /** One slice; publishes the result when the scan is done. */
  private slice(scan: FilterScan<R, O>, ms = SLICE_MS): boolean {
    if (!scan.step(performance.now() + (this.opts.sliceMs ?? ms))) return false;
    this.scan = undefined;
    this.shown = { rows: scan.rows, text: scan.text, result: scan.result() };
    if (this.opts.prune) this.index.retain(new Set(scan.rows.map(this.keyOf)));
    return true;
  }

  private continue(scan: FilterScan<R, O>): void {
    if (this.scan !== scan) return; // superseded or disposed: dropped
    if (this.slice(scan)) return this.onChange();
    const now = performance.now();
    if (this.shown?.text !== scan.text && now - this.lastPing >= PROGRESS_MS) {
      this.lastPing = now;
      this.onChange();
    }
    setImmediate(() => this.continue(scan));
  }
}

// ---- display -------------------------------------------------------------------------------

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

/** "filtering… 35%" while a search runs in the background, else nothing. */
export function searchingNote(r: LiveResult<unknown>): string {
  return r.searching === undefined ? '' : ` · filtering… ${Math.floor(r.searching * 100)}%`;
}

/** The filter fields of a pod-like object (pods, and pod templates' owners). */
export function podFilterFields(p: { metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: { nodeName?: string; containers?: { image?: string }[]; initContainers?: { image?: string }[] } }): FilterFields {
  const images: string[] = [];
  for (const c of p.spec?.initContainers ?? []) if (c.image) images.push(c.image);
  for (const c of p.spec?.containers ?? []) if (c.image) images.push(c.image);
  return { name: p.metadata.name, namespace: p.metadata.namespace, node: p.spec?.nodeName, labels: p.metadata.labels, images };
}
