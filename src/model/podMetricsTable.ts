// One metrics poll's pod usage, as a few flat arrays instead of an object per pod.
//
// Why: at 150,000 pods a poll every few minutes replaced 150,000 small objects (and their
// arrays and key strings) that had lived long enough to sit in V8's old generation, so every
// poll left ~25 MB there for full GCs to find (session 4 measured ~2.5 s of CPU after a poll,
// more than the poll itself). A table is three arrays; successive polls share the key → slot
// map (a pod keeps its slot) while few of its pods are gone, and a poll makes key strings only
// for new pods.
//
// A table never changes once built: the pods tree compares the table its roll-ups count with
// the next one, pod by pod (labelTree.ts).
//
// A table also keeps the order its pods came in. metrics-server answers sorted by namespace and
// name (its pkg/api/pod.go), so the next poll brings mostly the same pods in the same order:
// the reader checks the pod it reads against the one expected next (`expected`) from its bytes,
// and only for another pod makes the key string and looks it up (150,000 pods: ~0.4 s of a
// poll's CPU went to making and hashing those keys).
import type { LeanPodMetrics } from '../kube/types.js';

/** Pod key → slot, shared by the tables of successive polls while few of its pods are gone (deadSlotsAllowed); it only grows. */
export interface SlotMap {
  readonly index: Map<string, number>;
  /** Slot → key: the index turned round. */
  readonly keys: string[];
}

export class PodMetricsTable {
  static readonly EMPTY = new PodMetricsTable({ index: new Map(), keys: [] }, [], new Uint32Array(0), new Float64Array(0), 0, new Int32Array(0));

  /** Made by PodMetricsTableBuilder (or `of`). */
  constructor(
    /** The key → slot map this table reads (the builder of the next poll's reuses it). */
    readonly slots: SlotMap,
    /** Per slot: the pod's container names (shared between replicas), or undefined: no metrics. */
    private readonly names: readonly (readonly string[] | undefined)[],
    /** Per slot: where the pod's containers start in `values`. */
    private readonly start: Uint32Array,
    /** Per container: CPU in nanocores, then memory in bytes. */
    private readonly values: Float64Array,
    /** Pods with metrics. */
    readonly size: number,
    /** The slots in the order their pods came in the answer. */
    readonly order: Int32Array,
  ) {}

  /** A table of these pods' metrics (tests, and callers that have them as objects). */
  static of(entries: Iterable<[string, LeanPodMetrics]>, previous: PodMetricsTable = PodMetricsTable.EMPTY): PodMetricsTable {
    const b = new PodMetricsTableBuilder(previous);
    for (const [key, m] of entries) b.add(key, m.containers, m.usage);
    return b.build();
  }

  /**
   * The pod's slot: where its figures are in this table and in every table that shares its
   * slots (`sharesSlots`); -1 if the key has none. The `...At` methods read a slot, so a caller
   * comparing two tables looks the key up once, not once per figure.
   */
  slotOf(key: string): number {
    return this.slots.index.get(key) ?? -1;
  }

  sharesSlots(other: PodMetricsTable): boolean {
    return other.slots === this.slots;
  }

  /** Whether the pod in this slot has metrics in this table. */
  hasAt(slot: number): boolean {
    return slot >= 0 && this.names[slot] !== undefined;
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
    return slot < 0 ? undefined : this.names[slot];
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

  /** Keys of the pods with metrics. */
  *keys(): IterableIterator<string> {
    for (const [key, s] of this.slots.index) if (this.names[s] !== undefined) yield key;
  }

}

/**
 * Slots for pods that are gone a slot map may hold beyond the pods of the table it was built
 * for: an eighth of them, and 4,096 for small clusters. Past that, the next table takes a fresh
 * map. Under churn (2,000 events/s at 150,000 pods, ~120,000 pods replaced between two polls)
 * a map shared for as long as it held less than twice its pods grew to ~270,000 keys: its table
 * doubled to ~14 MB, and the names of ~120,000 pods gone (~7 MB) stayed with it (a heap
 * snapshot of the CLI: 402,103 "namespace/name" strings, 314,670 distinct, for 150,000 pods).
 */
export function deadSlotsAllowed(pods: number): number {
  return (pods >> 3) + 4096;
}

/**
 * Builds the next poll's table, pod by pod. The previous table's slot map is shared (and grown)
 * while it holds few pods that are gone; when the pods new since then pass that allowance, the
 * builder moves what it has to a fresh map and goes on there. Either way the previous table's
 * order tells which pod comes next, and a fresh map takes the previous table's key strings for
 * the pods it had: a poll makes strings only for new pods.
 */
export class PodMetricsTableBuilder {
  private slots: SlotMap;
  /** `slots` is the previous table's map (a slot is then the same pod in both). */
  private shared: boolean;
  /** Keys this poll added to a shared map. */
  private added = 0;
  private names: (readonly string[] | undefined)[];
  private start: Uint32Array;
  private values: Float64Array;
  private order: Int32Array;
  private used = 0;
  private size = 0;
  /** The previous table's order, where in it the next pod is expected, and each of its slots' place in it. */
  private readonly previousOrder: Int32Array;
  private next = 0;
  private readonly placeOf: Int32Array;

  constructor(private readonly previous: PodMetricsTable = PodMetricsTable.EMPTY) {
    // (EMPTY's map is never grown: it would be shared by every store.)
    const prev = previous.slots;
    this.shared = previous !== PodMetricsTable.EMPTY && prev.index.size - previous.size <= deadSlotsAllowed(previous.size);
    this.slots = this.shared ? prev : { index: new Map(), keys: [] };
    const n = Math.max(1024, this.shared ? prev.index.size : previous.size);
    this.names = new Array<readonly string[] | undefined>(n);
    this.start = new Uint32Array(n);
    this.values = new Float64Array(4 * n);
    this.order = new Int32Array(n);
    this.previousOrder = previous.order;
    this.placeOf = new Int32Array(prev.keys.length).fill(-1);
    for (let i = 0; i < this.previousOrder.length; i++) this.placeOf[this.previousOrder[i]!] = i;
  }

  /** The key of the pod expected next: the one after the last added in the previous table's order. */
  expectedKey(): string | undefined {
    return this.next < this.previousOrder.length ? this.previous.slots.keys[this.previousOrder[this.next]!] : undefined;
  }

  /** The expected pod's container names in the previous table (a list shared between replicas). */
  expectedContainers(): readonly string[] | undefined {
    return this.next < this.previousOrder.length ? this.previous.containersAt(this.previousOrder[this.next]!) : undefined;
  }

  /** The expected pod's figures (see `add`); the caller checked its key is `expectedKey()`. */
  addExpected(containers: readonly string[], usage: ArrayLike<number>): void {
    const was = this.previousOrder[this.next]!;
    this.addAt(this.shared ? was : this.slotFor(this.previous.slots.keys[was]!), was, containers, usage);
  }

  /** A pod's figures: `usage` holds CPU (nanocores) and memory (bytes) per container. The
   *  arrays are not kept (the names are: pass a list shared between replicas). */
  add(key: string, containers: readonly string[], usage: ArrayLike<number>): void {
    const s = this.slotFor(key);
    this.addAt(s, this.shared ? s : (this.previous.slots.index.get(key) ?? -1), containers, usage);
  }

  /** The key's slot in `slots`, a new one if it has none. */
  private slotFor(key: string): number {
    let s = this.slots.index.get(key);
    if (s === undefined) {
      if (this.shared && ++this.added > deadSlotsAllowed(this.previous.size)) this.unshare();
      this.slots.index.set(key, (s = this.slots.index.size));
      this.slots.keys.push(key);
    }
    return s;
  }

  /** Too many new pods to keep sharing: what this poll has so far moves to a fresh map (slot = order). */
  private unshare(): void {
    const n = Math.max(1024, this.previous.size);
    const slots: SlotMap = { index: new Map(), keys: [] };
    const names = new Array<readonly string[] | undefined>(n);
    const start = new Uint32Array(n);
    for (let i = 0; i < this.size; i++) {
      const s = this.order[i]!;
      const key = this.slots.keys[s]!;
      slots.index.set(key, i);
      slots.keys.push(key);
      names[i] = this.names[s];
      start[i] = this.start[s]!;
      this.order[i] = i;
    }
    this.slots = slots;
    this.names = names;
    this.start = start;
    this.shared = false;
  }

  /** `s`: the pod's slot here; `was`: its slot in the previous table (-1: none). */
  private addAt(s: number, was: number, containers: readonly string[], usage: ArrayLike<number>): void {
    if (s >= this.start.length) this.growSlots(s + 1);
    if (this.names[s] === undefined) {
      if (this.size === this.order.length) this.growOrder();
      this.order[this.size++] = s;
    }
    // Expect next the pod that came after this one last time (a pod gone or new moves on, or stays).
    if (was >= 0 && was < this.placeOf.length && this.placeOf[was]! >= 0) this.next = this.placeOf[was]! + 1;
    const n = 2 * containers.length;
    if (this.used + n > this.values.length) {
      const next = new Float64Array(Math.max(2 * this.values.length, this.used + n));
      next.set(this.values);
      this.values = next;
    }
    this.names[s] = containers;
    this.start[s] = this.used;
    for (let i = 0; i < n; i++) this.values[this.used + i] = usage[i] ?? 0;
    this.used += n;
  }

  build(): PodMetricsTable {
    return new PodMetricsTable(this.slots, this.names, this.start, this.values.slice(0, this.used), this.size, this.order.slice(0, this.size));
  }

  private growSlots(min: number): void {
    const start = new Uint32Array(Math.max(min, 2 * this.start.length));
    start.set(this.start);
    this.start = start;
  }

  private growOrder(): void {
    const order = new Int32Array(2 * this.order.length);
    order.set(this.order);
    this.order = order;
  }
}
