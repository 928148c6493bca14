// The `/` filter every table and tree shares.
//
//   /chk       fuzzy (fuzzysort's scoring) over name, namespace, node, labels and images of each row
//   /-l app=x,tier!=db     a kubectl label selector instead (src/model/labelSelector.ts)
//
// Rows keep their order (the table's sort), so the selected row does not jump while typing;
// the Table keeps the cursor on the same key.
//
// Each word must match one field with a fuzzysort score >= FILTER_THRESHOLD (explicit; every
// row is tested, there is no limit). Scores are fuzzysort's, computed by views/fuzzyMatch.ts
// on the strings themselves (fuzzysort.single on a prepared target gives the same, ~10x
// slower, and a kept prepared target costs ~500 bytes).
//
// At 150,000 pods nothing here may block a keypress, nor cost memory per pod:
// - SearchIndex keeps nothing per pod. The values objects share (namespace, node, a
//   ReplicaSet's labels and images) are shared targets, one per distinct value, each matched
//   once per word however many pods carry it: a pod's own are found from the objects it
//   shares with its replicas (lean pods share their labels object and containers array), in
//   a WeakMap that lets them go with the last pod that uses them.
// - FilterScan searches the rows a slice at a time and keeps, per row, the object it read and
//   its verdict (typed arrays, alive while that result is shown). The next scan starts from
//   them: the same text over new rows (a watch batch) only matches the objects that changed,
//   and typing forward skips the rows in which the shorter text was not even a subsequence
//   (a longer text cannot match there either, so no match is ever dropped).
// - A name that holds the word as a subsequence and is short enough is a match whatever its
//   exact score (fuzzyMatch.longestSureMatch), so most rows are never scored; the matched
//   characters are computed for the rows on screen only (NameMatches).
// - LiveFilter (one per view) shows the last complete result while the next one is computed,
//   and drops a scan a newer keystroke made obsolete: only complete results are ever shown.
import type { Pod } from '../src/kube/types.js';
import { matchSelector, parseSelector, SelectorError, type Requirement } from '../src/model/labelSelector.js';
import type { ClusterStore } from '../src/store/clusterStore.js';
import { FOUND, fuzzyRaw, fuzzyWord, isSubsequence, longestSureMatch, matched, NO_MATCH, NOT_FOUND, scoreAtLeast, type FuzzyWord } from './fuzzyMatch.js';

/** Scores below this are not shown (1 = exact, 0.5 = good). */
export const FILTER_THRESHOLD = 0.2;

/** Longest stretch of filter work between two chances for a keypress to be handled. */
export const SLICE_MS = 8;
/** The part done within the keypress's own render (enough to finish a search of thousands). */
const RENDER_SLICE_MS = 4;
/** Rows (or objects) between two looks at the clock. */
const CHUNK = 256;
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
  /** Matched character indexes in the row's name (fuzzy mode), for highlighting: asked for
   *  the rows of `rows` (computed when asked, for the rows on screen). */
  nameMatches: ReadonlyMap<R, readonly number[]>;
  /** A bad label selector: say so, and show no rows. */
  error?: string;
}

// ---- words -----------------------------------------------------------------------------------

/** A word of a fuzzy query. Kept across scans of the same word (shared targets remember the
 *  last words matched against them by identity). */
interface Word {
  w: FuzzyWord;
  /** Names up to this long that hold the word as a subsequence are matches (no scoring). */
  sure: number;
}

const wordCache = new Map<string, Word>();

function wordOf(text: string): Word {
  let x = wordCache.get(text);
  if (!x) {
    if (wordCache.size >= 256) wordCache.clear();
    const w = fuzzyWord(text);
    wordCache.set(text, (x = { w, sure: longestSureMatch(w, FILTER_THRESHOLD) }));
  }
  return x;
}

/** 0: the word is not even a subsequence of s; 1: it is, but scores too low; 2: a match. */
function wordAgainst(x: Word, s: string): 0 | 1 | 2 {
  const sub = isSubsequence(x.w, s);
  if (sub === NOT_FOUND) return 0;
  if (sub === FOUND && s.length <= x.sure) return 2;
  const raw = fuzzyRaw(x.w, s);
  if (raw === NO_MATCH) return 0;
  return scoreAtLeast(raw, FILTER_THRESHOLD) ? 2 : 1;
}

// ---- shared targets ----------------------------------------------------------------------------

/** A value many objects share (a namespace, a node, a ReplicaSet's labels or images): matched
 *  once per word however many objects carry it (the last two words are remembered). */
interface Shared {
  s: string;
  w0?: Word;
  m0: 0 | 1 | 2;
  w1?: Word;
  m1: 0 | 1 | 2;
  /** Its number in the TargetIds that numbered it last (a map look-up saved). */
  ids?: TargetIds;
  id?: number;
}

function sharedAgainst(t: Shared, x: Word): 0 | 1 | 2 {
  if (t.w0 === x) return t.m0;
  if (t.w1 === x) return t.m1;
  const m = wordAgainst(x, t.s);
  t.w1 = t.w0;
  t.m1 = t.m0;
  t.w0 = x;
  t.m0 = m;
  return m;
}

/** What a search matches in an object (a generic index's, kept per object). */
interface Targets {
  name: string;
  /** The non-empty other fields: namespace, node, labels, images, extra. */
  rest: readonly Shared[];
  labels: Readonly<Record<string, string>> | undefined;
}

/** Verdicts, per row of a scan. */
const V_NONE = 0; // no object
const V_NULL = 1; // some word is not even a subsequence of any field
const V_WEAK = 2; // every word is in some field, one too weakly
const V_MATCH = 3;

/** Distinct values kept for sharing (namespaces, nodes, ...) before starting over. */
const VALUES_MAX = 50_000;

/** "k=v k2=v2", as one flat string (a string built with += is a chain of pieces, ~4x the size). */
function labelsText(labels: Readonly<Record<string, string>> | undefined): string {
  if (!labels) return '';
  const parts: string[] = [];
  for (const k in labels) parts.push(`${k}=${labels[k]}`);
  return parts.join(' ');
}

/**
 * What the filter matches, per object: FilterFields, shared by value. A generic index keeps
 * the fields of each object it saw in a WeakMap (they go with the object); the pods' index
 * (PodSearchIndex) keeps nothing per pod.
 */
export class SearchIndex<O extends object> {
  /** Shared targets made so far (tests count them). */
  prepares = 0;
  protected readonly values = new Map<string, Shared>();
  private readonly byObject = new WeakMap<O, Targets>();
  private readonly iters: Iterator<unknown>[] = [];
  private lookup: (key: unknown) => O | undefined = () => undefined;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly fields: (obj: O) => FilterFields,
    /**
     * Changes whenever any object the rows come from may have changed (the pods' index: the
     * store's version). While it does not, a scan takes the objects the previous scan read
     * instead of reading them again. Undefined: objects are read every time.
     */
    readonly generation?: () => number,
  ) {}

  /** Distinct shared values held (namespaces, nodes, ...). */
  get size(): number {
    return this.values.size;
  }

  /** Whether objects wait to have their targets made in the background. */
  get pending(): boolean {
    return this.iters.length > 0;
  }

  /** The targets of an object (made now if missing). */
  targets(obj: O): Targets {
    let t = this.byObject.get(obj);
    if (!t) {
      const f = this.fields(obj);
      const rest: Shared[] = [];
      // Namespaces and nodes are few: shared by value. The rest goes with the object.
      for (const s of [f.namespace, f.node]) if (s) rest.push(this.value(s));
      for (const s of [labelsText(f.labels), f.images?.join(' '), f.extra]) if (s) rest.push(this.own(s));
      this.byObject.set(obj, (t = { name: f.name, rest, labels: f.labels }));
    }
    return t;
  }

  /** The shared target of a value. */
  protected value(s: string): Shared {
    let t = this.values.get(s);
    if (!t) {
      if (this.values.size >= VALUES_MAX) this.values.clear();
      this.values.set(s, (t = { s, m0: 0, m1: 0 }));
      this.prepares++;
    }
    return t;
  }

  /** A fresh shared target that is not looked up by value (a ReplicaSet's labels, images). */
  protected own(s: string): Shared {
    this.prepares++;
    return { s, m0: 0, m1: 0 };
  }

  /** The other fields of an object (namespace, labels, images, extra; a generic index's node). */
  restOf(obj: O): readonly Shared[] {
    return this.targets(obj).rest;
  }

  /** The node of an object as a shared target, when not in restOf (null: none). */
  nodeOf(_obj: O): Shared | null {
    return null;
  }

  /** Make what a search of obj will need (warm()). */
  protected prepare(obj: O): void {
    this.targets(obj);
  }

  /** Labels, for `-l`. */
  labelsOf(obj: O): Readonly<Record<string, string>> | undefined {
    return this.targets(obj).labels;
  }

  nameOf(obj: O): string {
    return this.targets(obj).name;
  }

  /** The characters of the name matched by the words scoring at least the threshold in it. */
  nameIndexes(obj: O, words: readonly Word[]): readonly number[] | undefined {
    const name = this.nameOf(obj);
    let out: number[] | undefined;
    for (const x of words) {
      const raw = fuzzyRaw(x.w, name);
      if (raw === NO_MATCH || !scoreAtLeast(raw, FILTER_THRESHOLD)) continue;
      out ??= [];
      for (let i = 0; i < matched.length; i++) out.push(matched.indexes[i]);
    }
    if (!out || words.length === 1) return out;
    return [...new Set(out)].sort((a, b) => a - b);
  }

  /**
   * Make the targets of these objects in the background, SLICE_MS at a time (a first search
   * then finds them made); a key whose object is gone (lookup gives undefined) is skipped.
   */
  warm(keys: Iterable<unknown>, lookup: (key: unknown) => O | undefined): void {
    this.lookup = lookup;
    this.iters.push(keys[Symbol.iterator]());
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.warmSlice);
    }
  }

  /** Resolves when nothing waits to be made (benchmarks, tests). */
  idle(): Promise<void> {
    return this.iters.length === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  private readonly warmSlice = () => {
    const end = performance.now() + SLICE_MS;
    let n = 0;
    while (this.iters.length > 0) {
      const r = this.iters[0].next();
      if (r.done) {
        this.iters.shift();
        continue;
      }
      const o = this.lookup(r.value);
      if (o) this.prepare(o);
      if (++n % CHUNK === 0 && performance.now() >= end) break;
    }
    if (this.iters.length > 0) return void setImmediate(this.warmSlice);
    this.scheduled = false;
    for (const r of this.idleWaiters.splice(0)) r();
  };
}

// ---- the pods' index, one per store ----------------------------------------------------------

/** The shared targets of the pods of one ReplicaSet (or any pods with the same namespace,
 *  labels object and containers arrays). */
interface PodGroup {
  ns: string | undefined;
  labels: object | undefined;
  containers: unknown;
  init: unknown;
  rest: Shared[];
  next: PodGroup | undefined;
}

/** Groups kept per labels object (the same labels in other namespaces, other containers). */
const GROUP_CHAIN_MAX = 8;

/**
 * The pods' index: a pod's targets are its name, its node (shared by value) and its group's
 * (namespace, labels, images), found through the labels object (or containers array) it
 * shares with its replicas. Nothing is kept per pod.
 */
export class PodSearchIndex extends SearchIndex<Pod> {
  private readonly groups = new WeakMap<object, PodGroup>();
  /** The last group found (pods in key order come in runs of replicas). */
  private last: PodGroup | undefined;

  constructor(generation?: () => number) {
    super(podFilterFields, generation);
  }

  override restOf(p: Pod): readonly Shared[] {
    return this.group(p).rest;
  }

  override nodeOf(p: Pod): Shared | null {
    const n = p.spec?.nodeName;
    return n ? this.value(n) : null;
  }

  protected override prepare(p: Pod): void {
    this.restOf(p);
    this.nodeOf(p);
  }

  override labelsOf(p: Pod): Readonly<Record<string, string>> | undefined {
    return p.metadata.labels;
  }

  override nameOf(p: Pod): string {
    return p.metadata.name;
  }

  private group(p: Pod): PodGroup {
    const m = p.metadata;
    const ns = m.namespace;
    const labels = m.labels;
    const containers = p.spec?.containers;
    const init = p.spec?.initContainers;
    const last = this.last;
    if (last && last.labels === labels && last.containers === containers && last.ns === ns && last.init === init) return last;
    const key: object | undefined = labels ?? containers;
    let first = key ? this.groups.get(key) : undefined;
    let n = 0;
    for (let g = first; g; g = g.next) {
      if (g.ns === ns && g.labels === labels && g.containers === containers && g.init === init) return (this.last = g);
      if (++n >= GROUP_CHAIN_MAX - 1 && g.next) g.next = undefined; // bounded: drop the oldest
    }
    const f = podFilterFields(p);
    const rest: Shared[] = [];
    if (ns) rest.push(this.value(ns));
    const l = labelsText(labels);
    if (l) rest.push(this.own(l));
    const images = f.images?.join(' ');
    if (images) rest.push(this.own(images));
    const g: PodGroup = { ns, labels, containers, init, rest, next: first };
    if (key) this.groups.set(key, (first = g));
    return (this.last = g);
  }
}

export function newPodSearchIndex(generation?: () => number): SearchIndex<Pod> {
  return new PodSearchIndex(generation);
}

const podIndexes = new WeakMap<ClusterStore, SearchIndex<Pod>>();

/**
 * The search index of a store's pods: every pod's shared targets made in the background from
 * the moment a view first asks for it, then those of the pods each change batch names.
 * Shared by the pod list and the pods tree.
 */
export function podSearchIndex(store: ClusterStore): SearchIndex<Pod> {
  let ix = podIndexes.get(store);
  if (ix) return ix;
  const index = newPodSearchIndex(() => store.version);
  // Straight from the store's map: one-off background work (test/unit/perf-guard counts the
  // views' store.get reads per watch event; a batch costs this one lookup per changed pod).
  const read = store.reader('pods');
  const lookup = (k: unknown) => read(k as string);
  index.warm(store.list('pods').keys(), lookup);
  store.subscribe((batch) => {
    const keys = batch.changed.get('pods');
    if (keys) index.warm(keys, lookup);
  });
  podIndexes.set(store, (ix = index));
  return ix;
}

// ---- searching -----------------------------------------------------------------------------

/** How far ahead in the previous scan's rows a row is looked for (rows come and go in batches). */
const LOOKAHEAD = 16;

const NO_MATCHES = new Map<unknown, readonly number[]>();
const emptyMatches = <R,>() => NO_MATCHES as ReadonlyMap<R, readonly number[]>;

/**
 * Numbers for the shared targets a filter session has met (a row's rest of fields, a node),
 * so that per-word verdicts are looked up in small typed arrays rather than in the targets
 * (one memory access per row instead of a few). Passed from scan to scan.
 */
class TargetIds {
  readonly rests: (readonly Shared[])[] = [];
  readonly nodes: Shared[] = [];
  private readonly restIds = new Map<readonly Shared[], number>();
  private readonly nodeIds = new Map<Shared, number>();

  private lastRest: readonly Shared[] | undefined;
  private lastRestId = 0;

  restId(r: readonly Shared[]): number {
    // Rows in key order come in runs of replicas: the same rest as the row before, mostly.
    if (r === this.lastRest) return this.lastRestId;
    let id = this.restIds.get(r);
    if (id === undefined) this.restIds.set(r, (id = this.rests.push(r) - 1));
    this.lastRest = r;
    this.lastRestId = id;
    return id;
  }

  nodeId(n: Shared): number {
    if (n.ids === this) return n.id!;
    let id = this.nodeIds.get(n);
    if (id === undefined) this.nodeIds.set(n, (id = this.nodes.push(n) - 1));
    n.ids = this;
    n.id = id;
    return id;
  }
}

/** Name flags: fuzzysort's character classes (a-z, digits, other ASCII, other), and one
 *  saying the name has characters fuzzysort remaps (no flag may rule a word out then). */
const REMAPPED = 1 << 29;

function nameFlags(s: string): number {
  let f = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c >= 97 && c <= 122) f |= 1 << (c - 97);
    else if (c >= 48 && c <= 57) f |= 1 << 26;
    else if (c >= 128 || c === 92 || c === 34 || c === 96) f |= REMAPPED;
    else if (c !== 32) f |= 1 << 30;
  }
  return f;
}

/** A word's flags (nameFlags' classes); 0 for a word fuzzysort remaps (rules nothing out). */
function wordFlags(w: FuzzyWord): number {
  if (!w.fast) return 0;
  const f = nameFlags(w.lower);
  return f & REMAPPED ? 0 : f;
}

/** nlen of a row whose name is not in the cache's characters (not plain: fuzzysort remaps). */
const NOT_PLAIN = 0xffff;

/**
 * What a scan read of each of its rows, for the next scans: the object, and (filled as
 * needed) its name, as lowercase characters side by side in one buffer (scanned without
 * chasing one string per row), and its shared targets' numbers. Shared by scans of the same
 * rows while the index's generation stands still (typing forward reads no object again).
 */
class RowCache<O> {
  readonly objs: (O | undefined)[];
  /** Where row i's name is in `chars`, and its length (0: not read yet; NOT_PLAIN). */
  readonly noff: Int32Array;
  readonly nlen: Uint16Array;
  /** nameFlags of the name (set with it). */
  readonly flags: Int32Array;
  /** 0: not looked up yet; else 1 + the number of the row's rest of fields. */
  readonly rests: Int32Array;
  /** 0: not looked up yet; 1: no node; else 2 + the number of its node. */
  readonly nodes: Int32Array;
  chars: Uint8Array;
  private used = 0;
  /** Rows [0, filled) have been read (their objects set, when they have one). */
  filled = 0;

  constructor(
    readonly rows: readonly unknown[],
    /** The index's generation when the rows were read (undefined: not known to stand still). */
    public generation: number | undefined,
    readonly ids: TargetIds,
  ) {
    const n = rows.length;
    this.objs = new Array(n);
    this.noff = new Int32Array(n);
    this.nlen = new Uint16Array(n);
    this.flags = new Int32Array(n);
    this.rests = new Int32Array(n);
    this.nodes = new Int32Array(n);
    this.chars = new Uint8Array(Math.max(64, n * 24));
  }

  private room(len: number): number {
    if (this.used + len > this.chars.length) {
      const c = new Uint8Array(Math.max(this.chars.length * 2, this.used + len));
      c.set(this.chars.subarray(0, this.used));
      this.chars = c;
    }
    const at = this.used;
    this.used += len;
    return at;
  }

  /** Keep row i's name (read from its object). */
  setName(i: number, name: string): void {
    const len = name.length;
    let f = 0;
    if (len === 0 || len >= NOT_PLAIN) f = REMAPPED;
    else {
      const at = this.room(len);
      const chars = this.chars;
      for (let k = 0; k < len; k++) {
        let c = name.charCodeAt(k);
        if (c >= 65 && c <= 90) c += 32;
        if (c >= 97 && c <= 122) f |= 1 << (c - 97);
        else if (c >= 48 && c <= 57) f |= 1 << 26;
        else if (c >= 128 || c === 92 || c === 34 || c === 96) {
          f |= REMAPPED;
          break;
        } else if (c !== 32) f |= 1 << 30;
        chars[at + k] = c;
      }
      this.noff[i] = at;
    }
    this.nlen[i] = f & REMAPPED ? NOT_PLAIN : len;
    this.flags[i] = f;
  }

  /** Row i takes what another cache had for row b (the same object). */
  copy(i: number, from: RowCache<O>, b: number): void {
    const len = from.nlen[b];
    if (len !== 0 && len !== NOT_PLAIN) {
      const at = this.room(len);
      const src = from.chars;
      const dst = this.chars;
      for (let k = 0, o = from.noff[b]; k < len; k++) dst[at + k] = src[o + k];
      this.noff[i] = at;
    }
    this.nlen[i] = len;
    this.flags[i] = from.flags[b];
    this.rests[i] = from.rests[b];
    this.nodes[i] = from.nodes[b];
  }

  /** Whether the lowercase word codes are a subsequence of row i's (plain) name. */
  holds(i: number, codes: Int32Array): boolean {
    const n = codes.length;
    const chars = this.chars;
    let q = 0;
    let c = codes[0];
    for (let k = this.noff[i], end = k + this.nlen[i]; k < end; k++) {
      if (chars[k] === c) {
        if (++q === n) return true;
        c = codes[q];
      }
    }
    return false;
  }
}

/** Per-word verdicts (0: not known; else 1 + wordAgainst's) of numbered targets. */
class Memo {
  a = new Uint8Array(256);

  get(id: number): number {
    return id < this.a.length ? this.a[id] : 0;
  }

  set(id: number, v: number): void {
    if (id >= this.a.length) {
      const b = new Uint8Array(Math.max(id + 1, this.a.length * 2));
      b.set(this.a);
      this.a = b;
    }
    this.a[id] = v;
  }
}

/**
 * One search of `rows` for `text`, done a slice at a time with step(). Given the previous
 * complete scan of the same index (`base`), it reuses what still holds: the objects it read
 * (while the index's generation stands still), and its verdicts for the same objects (all of
 * them for the same text; the "not even a subsequence" ones for a longer text).
 */
export class FilterScan<R, O extends object> {
  private i = 0;
  private readonly f: ParsedFilter;
  /** The trimmed text (query or selector). */
  private readonly query: string;
  private readonly words: Word[] = [];
  private readonly wflags: number[] = [];
  /** Per word: verdicts of the numbered rests and nodes. */
  private readonly restMemo: Memo[] = [];
  private readonly nodeMemo: Memo[] = [];
  private out: R[] = [];
  /** Per row: the verdict (V_*). */
  private codes: Uint8Array;
  private cache: RowCache<O> | undefined;
  /** The cache is the base's (same rows, nothing changed since it read them): rows it holds
   *  are not read again. */
  private sameRows = false;
  /** 0: no verdict reused; 1: the same text (verdicts hold for the same objects); 2: a longer
   *  text (V_NULL verdicts hold for the same objects). */
  private reuse: 0 | 1 | 2 = 0;
  private base: FilterScan<R, O> | undefined;
  /** The base's verdicts cover its rows [0, baseDone). */
  private baseDone = 0;
  /** The base's objects may be taken without reading the rows' objects again. */
  private trustBase = false;
  private generation: number | undefined;
  /** Pairing rows with the base's: where the next one is expected, misses in a row, and a
   *  map of the base's rows when they changed too much for the lookahead. */
  private j = 0;
  private misses = 0;
  private baseIndex: Map<R, number> | undefined;
  private matches: NameMatches<R, O> | undefined;

  constructor(
    readonly rows: readonly R[],
    readonly text: string,
    private readonly index: SearchIndex<O>,
    /** Kept for callers (rows are paired with the previous scan's by identity). */
    readonly keyOf: (row: R) => unknown,
    private readonly objOf: (row: R) => O | undefined,
    /**
     * The previous scan of these rows (or older ones) with this index: complete, or a scan
     * this one supersedes (its rows searched so far count; it must not go on).
     */
    base?: FilterScan<R, O>,
  ) {
    this.f = parseFilter(text);
    this.query = text.trim();
    const searched = this.f.kind === 'fuzzy' || this.f.kind === 'labels';
    this.codes = new Uint8Array(searched ? rows.length : 0);
    if (this.f.kind === 'fuzzy') {
      for (const w of this.f.query.split(/\s+/)) {
        const x = wordOf(w);
        this.words.push(x);
        this.wflags.push(wordFlags(x.w));
        this.restMemo.push(new Memo());
        this.nodeMemo.push(new Memo());
      }
    }
    if (!searched) {
      this.i = rows.length; // none / error: nothing to scan
      return;
    }
    this.generation = index.generation?.();
    if (base && base.index === index && base.cache) {
      const bc = base.cache;
      const still = this.generation !== undefined && bc.generation === this.generation;
      if (still && base.rows === rows) {
        this.cache = bc;
        this.sameRows = true;
      } else if (!base.done) base = undefined; // rows to pair with must be all there
      else this.trustBase = still;
    }
    if (base?.cache) {
      if (base.f.kind === this.f.kind && base.query === this.query) this.reuse = 1;
      else if (base.f.kind === 'fuzzy' && this.f.kind === 'fuzzy' && this.query.startsWith(base.query)) this.reuse = 2;
      this.base = base;
      this.baseDone = base.i;
    }
    this.cache ??= new RowCache(rows, this.generation, base?.cache?.ids ?? new TargetIds());
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
    if (this.done) return true;
    // Objects changed since this scan started (a slice later): read them again from here on
    // (from the start when the rows came from the base's cache).
    if (this.generation !== undefined && this.index.generation!() !== this.generation) {
      this.generation = undefined;
      this.trustBase = false;
      if (this.sameRows) return this.restart(deadline);
      this.cache!.generation = undefined;
    }
    const { rows, index, codes, out } = this;
    const cache = this.cache!;
    const { objs } = cache;
    const selector = this.f.kind === 'labels' ? this.f.selector : undefined;
    const base = this.base;
    const bc = base?.cache;
    const reuse = this.reuse;
    while (this.i < rows.length) {
      const stop = Math.min(rows.length, this.i + CHUNK);
      for (let i = this.i; i < stop; i++) {
        let c = V_NONE;
        if (this.sameRows && i < cache.filled) {
          // Read already (by the base, or the scans before it): its object and verdicts.
          if (!objs[i]) continue;
          if (i < this.baseDone) {
            const b = base!.codes[i];
            if (reuse === 1 || (reuse === 2 && b === V_NULL)) c = b;
          }
        } else {
          const row = rows[i];
          const b = !base || this.sameRows ? -1 : base.rows === rows ? i : this.pair(row);
          const o = b >= 0 && this.trustBase ? bc!.objs[b] : this.objOf(row);
          objs[i] = o;
          cache.filled = i + 1;
          if (!o) continue;
          if (b >= 0 && bc!.objs[b] === o) {
            cache.copy(i, bc!, b);
            const v = base!.codes[b];
            if (reuse === 1 || (reuse === 2 && v === V_NULL)) c = v;
          }
        }
        if (c === V_NONE) c = selector ? (matchSelector(selector, index.labelsOf(objs[i]!)) ? V_MATCH : V_NULL) : this.verdict(i);
        codes[i] = c;
        if (c === V_MATCH) out.push(rows[i]);
      }
      this.i = stop;
      if (performance.now() >= deadline) break;
    }
    if (this.done) this.base = this.baseIndex = undefined; // what it had is in the cache now
    return this.done;
  }

  /** The rows' objects changed under a scan that took them from its base's cache: start over,
   *  reading every object. */
  private restart(deadline: number): boolean {
    this.i = 0;
    this.out = [];
    this.codes = new Uint8Array(this.rows.length);
    this.cache = new RowCache(this.rows, undefined, this.cache!.ids);
    this.sameRows = false;
    this.base = undefined;
    this.reuse = 0;
    this.matches = undefined;
    return this.step(deadline);
  }

  /**
   * The verdict of the fuzzy words for row i (its object read): each word must be in some
   * field. The fields already known by number first (a typed-array look-up), then the name
   * (from the cache's characters; its flags may rule the word out at once).
   */
  private verdict(i: number): number {
    const cache = this.cache!;
    const words = this.words;
    let weak = false;
    for (let k = 0; k < words.length; k++) {
      // What is known for the row's rest of fields (namespace, labels, images) first; else the
      // name (its characters are at hand), and the rest and node only if it does not settle it.
      const rid = cache.rests[i];
      const known = rid !== 0 ? this.restMemo[k].get(rid) : 0;
      let v = known ? known - 1 : 0;
      if (v !== 2) {
        if (cache.nlen[i] === 0) cache.setName(i, this.index.nameOf(cache.objs[i]!));
        const m = this.nameVerdict(k, i);
        if (m > v) v = m;
      }
      if (v !== 2 && !known) {
        const m = this.restVerdict(k, i);
        if (m > v) v = m;
      }
      if (v !== 2) {
        const m = this.nodeVerdict(k, i);
        if (m > v) v = m;
      }
      if (v === 0) return V_NULL;
      if (v === 1) weak = true;
    }
    return weak ? V_WEAK : V_MATCH;
  }

  /** Word k against row i's name (read into the cache): 0, 1 or 2 (wordAgainst). */
  private nameVerdict(k: number, i: number): 0 | 1 | 2 {
    const cache = this.cache!;
    const x = this.words[k];
    const len = cache.nlen[i];
    if (len === NOT_PLAIN || !x.w.fast) return wordAgainst(x, this.index.nameOf(cache.objs[i]!));
    const wf = this.wflags[k];
    if ((wf & cache.flags[i]) !== wf || !cache.holds(i, x.w.codes)) return 0;
    if (len <= x.sure) return 2;
    const raw = fuzzyRaw(x.w, this.index.nameOf(cache.objs[i]!));
    if (raw === NO_MATCH) return 0;
    return scoreAtLeast(raw, FILTER_THRESHOLD) ? 2 : 1;
  }

  /** Word k against row i's rest of fields (namespace, labels, images, ...): 0, 1 or 2. */
  private restVerdict(k: number, i: number): number {
    const cache = this.cache!;
    let id = cache.rests[i];
    if (id === 0) id = cache.rests[i] = 1 + cache.ids.restId(this.index.restOf(cache.objs[i]!));
    const memo = this.restMemo[k];
    const known = memo.get(id);
    if (known) return known - 1;
    const rest = cache.ids.rests[id - 1];
    const x = this.words[k];
    let v: 0 | 1 | 2 = 0;
    for (let r = 0; r < rest.length && v !== 2; r++) {
      const m = sharedAgainst(rest[r], x);
      if (m > v) v = m;
    }
    memo.set(id, v + 1);
    return v;
  }

  /** Word k against row i's node: 0, 1 or 2. */
  private nodeVerdict(k: number, i: number): number {
    const cache = this.cache!;
    let id = cache.nodes[i];
    if (id === 0) {
      const n = this.index.nodeOf(cache.objs[i]!);
      id = cache.nodes[i] = n ? 2 + cache.ids.nodeId(n) : 1;
    }
    if (id === 1) return 0;
    const memo = this.nodeMemo[k];
    const known = memo.get(id);
    if (known) return known - 1;
    const v = sharedAgainst(cache.ids.nodes[id - 2], this.words[k]);
    memo.set(id, v + 1);
    return v;
  }

  /** The base's index of a row (-1: not there), for rows that changed since the base. */
  private pair(row: R): number {
    const br = this.base!.rows;
    if (this.baseIndex) return this.baseIndex.get(row) ?? -1;
    const j = this.j;
    for (let d = 0; d <= LOOKAHEAD && j + d < br.length; d++) {
      if (br[j + d] === row) {
        this.j = j + d + 1;
        this.misses = 0;
        return j + d;
      }
    }
    // A row new since the base, or many of the base's rows gone: after a long run of misses,
    // look rows up in a map instead.
    if (++this.misses > 4 * LOOKAHEAD) {
      this.baseIndex = new Map();
      for (let k = 0; k < br.length; k++) this.baseIndex.set(br[k], k);
      return this.baseIndex.get(row) ?? -1;
    }
    return -1;
  }

  /** The result (complete once done). */
  result(): FilterResult<R> {
    if (this.f.kind === 'none') return { rows: this.rows as R[], nameMatches: emptyMatches<R>() };
    if (this.f.kind === 'error') return { rows: [], nameMatches: emptyMatches<R>(), error: this.f.message };
    if (this.f.kind === 'labels') return { rows: this.out, nameMatches: emptyMatches<R>() };
    this.matches ??= new NameMatches(this.out, this.words, this.index, this.objOf);
    return { rows: this.out, nameMatches: this.matches };
  }
}

/**
 * The matched characters of the names of a fuzzy result's rows, computed when asked (a view
 * asks for the rows it shows): a map over the result's rows that have some.
 */
class NameMatches<R, O extends object> implements ReadonlyMap<R, readonly number[]> {
  private readonly cache = new Map<R, readonly number[] | null>();

  constructor(
    private readonly rows: readonly R[],
    private readonly words: readonly Word[],
    private readonly index: SearchIndex<O>,
    private readonly objOf: (row: R) => O | undefined,
  ) {}

  /** The indexes for a row of the result. */
  get(row: R): readonly number[] | undefined {
    let v = this.cache.get(row);
    if (v === undefined) {
      const o = this.objOf(row);
      v = (o && this.index.nameIndexes(o, this.words)) ?? null;
      if (this.cache.size >= 4096) this.cache.clear();
      this.cache.set(row, v);
    }
    return v ?? undefined;
  }

  has(row: R): boolean {
    return this.get(row) !== undefined;
  }

  get size(): number {
    let n = 0;
    for (const _ of this.entries()) n++;
    return n;
  }

  *entries(): MapIterator<[R, readonly number[]]> {
    for (const row of this.rows) {
      const v = this.get(row);
      if (v) yield [row, v];
    }
  }

  *keys(): MapIterator<R> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<readonly number[]> {
    for (const [, v] of this.entries()) yield v;
  }

  forEach(fn: (value: readonly number[], key: R, map: ReadonlyMap<R, readonly number[]>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  [Symbol.iterator](): MapIterator<[R, readonly number[]]> {
    return this.entries();
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

/** Whether one object matches the `/` text (the pods tree's per-event check). */
export function matchesFilter<O extends object>(index: SearchIndex<O>, text: string, obj: O): boolean {
  const scan = new FilterScan([obj], text, index, (o) => o, (o) => o);
  scan.step(Infinity);
  return scan.result().rows.length > 0;
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
 * so churn cannot starve the result; the render it triggers starts the next one. Each scan
 * starts from the last complete one (FilterScan's `base`).
 */
export class LiveFilter<R, O extends object> {
  private shown: { scan: FilterScan<R, O>; result: FilterResult<R> } | undefined;
  private scan: FilterScan<R, O> | undefined;
  private lastPing = 0;

  constructor(
    public index: SearchIndex<O>,
    public keyOf: (row: R) => unknown,
    public objOf: (row: R) => O | undefined,
    private readonly onChange: () => void,
    /** prune: accepted for compatibility (indexes keep nothing per row any more). */
    private readonly opts: { sliceMs?: number; prune?: boolean } = {},
  ) {}

  show(rows: readonly R[], text: string): LiveResult<R> {
    const shown = this.shown;
    if (shown && shown.scan.rows === rows && shown.scan.text === text) return shown.result;
    const running = this.scan;
    if (running && running.text === text) return this.showing(running);
    // The scan this one supersedes counts for what it searched (typing fast), else the last
    // complete one.
    const base = running && running.rows === rows ? running : shown?.scan;
    const scan = new FilterScan(rows, text, this.index, this.keyOf, this.objOf, base);
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
    const prev = this.shown?.result ?? { rows: [], nameMatches: emptyMatches<R>() };
    return this.shown?.scan.text === scan.text ? prev : { ...prev, searching: scan.progress };
  }

  /** One slice; publishes the result when the scan is done. */
  private slice(scan: FilterScan<R, O>, ms = SLICE_MS): boolean {
    if (!scan.step(performance.now() + (this.opts.sliceMs ?? ms))) return false;
    this.scan = undefined;
    this.shown = { scan, result: scan.result() };
    return true;
  }

  private continue(scan: FilterScan<R, O>): void {
    if (this.scan !== scan) return; // superseded or disposed: dropped
    if (this.slice(scan)) return this.onChange();
    const now = performance.now();
    if (this.shown?.scan.text !== scan.text && now - this.lastPing >= PROGRESS_MS) {
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
