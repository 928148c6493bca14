// One metrics poll's pod usage, as a few flat arrays instead of an object per pod.
//
// Why: at 150,000 pods a poll every few minutes replaced 150,000 small objects (and their
// arrays and key strings) that had lived long enough to sit in V8's old generation, so every
// poll left ~25 MB there for full GCs to find (session 4 measured ~2.5 s of CPU after a poll,
// more than the poll itself). A table is a few arrays, and a poll makes key strings only for
// pods new since the last one.
//
// A pod's slot is its place in the answer, and a key is found by binary search, not a Map: a
// Map of 150,000 keys is ~7 MB of hash table, and the one a poll built grew there through
// ~7 MB of smaller ones. Under churn (2,000 events/s at 150,000 pods) most pods are new
// between two polls, so each poll built a fresh map beside the last one's: with the pods
// tree's set of pods moved, the large objects a poll left for a full GC (a sampling heap
// profile: ~20 MB a poll), and the churn's highest RSS (618 MB in 20 minutes, 2 s after a
// poll). When a poll brings the same pods in the same order (a quiet cluster), its table
// shares the last one's keys, and a slot is then the same pod in both.
//
// A table never changes once built: the pods tree compares the table its roll-ups count with
// the next one, pod by pod (labelTree.ts).
//
// A table keeps the order its pods came in. metrics-server answers sorted by namespace and name
// (its pkg/api/pod.go), so the next poll brings mostly the same pods in the same order: the
// reader checks the pod it reads against the one expected next (`expected`) from its bytes,
// and only for another pod makes the key string and looks it up (150,000 pods: ~0.4 s of a
// poll's CPU went to making and hashing those keys).
import type { LeanPodMetrics } from '../kube/types.js';

export class PodMetricsTable {
  static readonly EMPTY = new PodMetricsTable([], [], new Uint32Array(0), new Float64Array(0), undefined);

  /** Made by PodMetricsTableBuilder (or `of`). */
  constructor(
    /** Slot → pod key: the pods in the order they came in the answer. */
    readonly slotKeys: readonly string[],
    /** Per slot: the pod's container names (a list shared between replicas). */
    private readonly names: readonly (readonly string[])[],
    /** Per slot: where the pod's containers start in `values`. */
    private readonly start: Uint32Array,
    /** Per container: CPU in nanocores, then memory in bytes. */
    private readonly values: Float64Array,
    /** The slots in key order (`<`); undefined when `slotKeys` is in that order already. */
    private readonly sorted: Int32Array | undefined,
  ) {}

  /** A table of these pods' metrics (tests, and callers that have them as objects). */
  static of(entries: Iterable<[string, LeanPodMetrics]>, previous: PodMetricsTable = PodMetricsTable.EMPTY): PodMetricsTable {
    const b = new PodMetricsTableBuilder(previous);
    for (const [key, m] of entries) b.add(key, m.containers, m.usage);
    return b.build();
  }

  /** Pods with metrics. */
  get size(): number {
    return this.slotKeys.length;
  }

  /**
   * The pod's slot: where its figures are in this table and in every table that shares its
   * slots (`sharesSlots`); -1 if it has no metrics here. The `...At` methods read a slot, so a
   * caller comparing two tables looks the key up once, not once per figure.
   */
  slotOf(key: string): number {
    const { slotKeys, sorted } = this;
    let lo = 0;
    let hi = slotKeys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const slot = sorted ? sorted[mid]! : mid;
      const k = slotKeys[slot]!;
      if (k === key) return slot;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Whether a slot is the same pod here and in `other` (the same pods in the same order). */
  sharesSlots(other: PodMetricsTable): boolean {
    return other.slotKeys === this.slotKeys;
  }

  /** Whether the pod in this slot has metrics in this table. */
  hasAt(slot: number): boolean {
    return slot >= 0 && slot < this.slotKeys.length;
  }

  /** The pod's CPU summed over its containers, nanocores (0 without metrics). */
  cpuAt(slot: number): number {
    return this.sumAt(slot, 0);
  }

  /** The pod's memory summed over its containers, bytes (0 without metrics). */
  memoryAt(slot: number): number {
    return this.sumAt(slot, 1);
  }

  private sumAt(slot: number, field: 0 | 1): number {
    if (!this.hasAt(slot)) return 0;
    let total = 0;
    for (let i = this.start[slot]!, end = i + 2 * this.names[slot]!.length; i < end; i += 2) total += this.values[i + field]!;
    return total;
  }

  /** Whether the pod in `slot` here has the same figures as in `otherSlot` of `other` (or both none). */
  sameAt(slot: number, other: PodMetricsTable, otherSlot: number): boolean {
    if (other === this) return true;
    const here = this.hasAt(slot);
    if (!here || !other.hasAt(otherSlot)) return here === other.hasAt(otherSlot);
    const names = this.names[slot]!;
    const otherNames = other.names[otherSlot]!;
    if (names !== otherNames && names.join('\0') !== otherNames.join('\0')) return false;
    for (let i = 0, n = 2 * names.length; i < n; i++) if (this.values[this.start[slot]! + i] !== other.values[other.start[otherSlot]! + i]) return false;
    return true;
  }

  has(key: string): boolean {
    return this.hasAt(this.slotOf(key));
  }

  cpu(key: string): number {
    return this.cpuAt(this.slotOf(key));
  }

  memory(key: string): number {
    return this.memoryAt(this.slotOf(key));
  }

  /** Whether this table and `other` give the pod the same figures (or both none). */
  sameFor(other: PodMetricsTable, key: string): boolean {
    const slot = this.slotOf(key);
    return this.sameAt(slot, other, this.sharesSlots(other) ? slot : other.slotOf(key));
  }

  /** The pod's container names, in the order of its figures; undefined without metrics. */
  containers(key: string): readonly string[] | undefined {
    return this.containersAt(this.slotOf(key));
  }

  containersAt(slot: number): readonly string[] | undefined {
    return this.hasAt(slot) ? this.names[slot] : undefined;
  }

  /** Container `i` of the pod in `slot`: its CPU (nanocores) if `field` is 0, memory (bytes) if 1. */
  containerAt(slot: number, i: number, field: 0 | 1): number {
    return this.values[this.start[slot]! + 2 * i + field]!;
  }

  /** The pod's metrics as an object (tests; nothing per pod is kept this way). */
  get(key: string): LeanPodMetrics | undefined {
    const s = this.slotOf(key);
    if (!this.hasAt(s)) return undefined;
    const at = this.start[s]!;
    return { containers: this.names[s]!, usage: Array.from(this.values.subarray(at, at + 2 * this.names[s]!.length)) };
  }

  /** How much of `values` the pods use (the next poll's builder sizes its own from it). */
  valuesUsed(): number {
    const last = this.slotKeys.length - 1;
    return last < 0 ? 0 : this.start[last]! + 2 * this.names[last]!.length;
  }

  /** The slots in key order, or undefined: `slotKeys` is (a table sharing the keys takes it). */
  keyOrder(): Int32Array | undefined {
    return this.sorted;
  }

  /** Keys of the pods with metrics, in the answer's order. */
  keys(): IterableIterator<string> {
    return this.slotKeys.values();
  }
}

/**
 * Builds the next poll's table, pod by pod. The previous table's order tells which pod comes
 * next, and its key strings are taken for the pods it had: a poll makes strings only for new
 * pods. While every pod is the previous table's in its order, no key list is made: the
 * previous one is shared if the poll ends there.
 */
export class PodMetricsTableBuilder {
  /** The keys so far; undefined while they are the first `count` of the previous table's. */
  private keys: string[] | undefined;
  private count = 0;
  /** Room for the previous poll's pods and an eighth more, so that arrays of 150,000 are not
   *  grown through smaller ones (each a large object left for a full GC). */
  private readonly room: number;
  private readonly names: (readonly string[])[];
  private start: Uint32Array;
  private values: Float64Array;
  private used = 0;
  /** The previous table's slot of the pod expected next. */
  private next = 0;

  constructor(private readonly previous: PodMetricsTable = PodMetricsTable.EMPTY) {
    const pods = (this.room = previous.size + (previous.size >> 3) + 1024);
    this.names = new Array<readonly string[]>(pods);
    this.start = new Uint32Array(pods);
    // As many containers a pod as the previous poll's.
    this.values = new Float64Array(Math.max(4 * 1024, previous.size > 0 ? Math.ceil((pods / previous.size) * previous.valuesUsed()) : 0));
  }

  /** The key of the pod expected next: the one after the last added in the previous table's order. */
  expectedKey(): string | undefined {
    return this.previous.slotKeys[this.next];
  }

  /** The expected pod's container names in the previous table (a list shared between replicas). */
  expectedContainers(): readonly string[] | undefined {
    return this.previous.containersAt(this.next);
  }

  /** The expected pod's figures (see `add`); the caller checked its key is `expectedKey()`. */
  addExpected(containers: readonly string[], usage: ArrayLike<number>): void {
    this.addAt(this.next, this.previous.slotKeys[this.next]!, containers, usage);
  }

  /** A pod's figures: `usage` holds CPU (nanocores) and memory (bytes) per container. The
   *  arrays are not kept (the names are: pass a list shared between replicas). */
  add(key: string, containers: readonly string[], usage: ArrayLike<number>): void {
    const was = this.previous.slotOf(key);
    this.addAt(was, was >= 0 ? this.previous.slotKeys[was]! : key, containers, usage);
  }

  /** `was`: the pod's slot in the previous table (-1: none). */
  private addAt(was: number, key: string, containers: readonly string[], usage: ArrayLike<number>): void {
    if (this.keys === undefined && was !== this.count) {
      this.keys = new Array<string>(Math.max(this.room, this.count + 1));
      for (let i = 0; i < this.count; i++) this.keys[i] = this.previous.slotKeys[i]!;
    }
    if (this.keys) this.keys[this.count] = key;
    // Expect next the pod that came after this one last time (a pod gone or new moves on, or stays).
    if (was >= 0) this.next = was + 1;
    if (this.count === this.start.length) this.start = grown(this.start, 2 * this.count);
    const n = 2 * containers.length;
    if (this.used + n > this.values.length) this.values = grown(this.values, Math.max(2 * this.values.length, this.used + n));
    this.names[this.count] = containers;
    this.start[this.count++] = this.used;
    for (let i = 0; i < n; i++) this.values[this.used + i] = usage[i] ?? 0;
    this.used += n;
  }

  build(): PodMetricsTable {
    const { previous, count } = this;
    const same = this.keys === undefined && count === previous.size;
    // (Shortened, V8 trims an array's room left in place.)
    if (this.keys) this.keys.length = count;
    this.names.length = count;
    const keys = same ? previous.slotKeys : (this.keys ?? previous.slotKeys.slice(0, count));
    return new PodMetricsTable(keys, this.names, this.start, this.values, same ? previous.keyOrder() : keyOrder(keys));
  }
}

/** The slots of `keys` in key order, or undefined if they are in that order already. */
function keyOrder(keys: readonly string[]): Int32Array | undefined {
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) inOrder = keys[i - 1]! < keys[i]!;
  if (inOrder) return undefined;
  const slots = new Int32Array(keys.length);
  for (let i = 0; i < slots.length; i++) slots[i] = i;
  return slots.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
}

function grown<T extends Uint32Array | Float64Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}
