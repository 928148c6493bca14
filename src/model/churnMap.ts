// A Map whose keys churn (deleted, and new ones added under other names: pods), kept from
// doubling its hash table.
//
// V8's Map (OrderedHashTable) keeps a deleted key's slot until the table is full; the next new
// key then rebuilds the table: at the same size if at least half of its slots are deleted
// ones, else at twice the size. A table has the power of two at or above its keys in slots
// (150,000 pods: 262,144). Under churn the slots fill while the live keys are still more than
// half of them: the table doubles, and stays doubled (150,000 keys: ~7.5 MB more; session 10
// found it in heap snapshots, session 11 measured it per map). A new table filled from the
// live keys alone keeps the size; filling it at once stops everything for 40-80 ms at
// 150,000 keys, so it is filled a few entries per write, from before the old one is full.
// V8's rules: OrderedHashTable::EnsureCapacityForAdding and ::Shrink.
//
// A walk leaves garbage in V8's large-object space until the next full GC: the old table and
// the new one's smaller steps on its way up (~14 MB at 150,000 keys). The store's pods, the pods
// tree's index and the allocation model's pods see the same keys, so their walks came at the
// same moment: +35 MB of large objects for ~20 s, the churn's highest RSS (649 MB at 420 s of
// 2,000 events/s at 150,000 pods, from the trace's per-space ticks). So maps walk one at a
// time: a map may start a little early (EARLY_ROOM) if no other walks, and must start at the
// latest moment whatever the others do; after each switch `afterSwitch` runs (the CLI asks V8
// for a full GC soon, src/app/heapGrowth.ts).

export const MIN_CAPACITY = 4;

/** Slots of the table V8 builds for `size` keys. */
export function tableCapacity(size: number): number {
  let c = MIN_CAPACITY;
  while (c < size) c *= 2;
  return c;
}

/** Entries copied to the new table per write while it is filled. */
const COPY_PER_WRITE = 4;

/** Under this many keys a doubled table costs under ~60 KB: not worth the walk. */
export const CHURN_MIN_KEYS = 2048;

/**
 * How much earlier than it must (in free slots, as a share of the keys) a map may start its walk
 * when no other map walks: room for two other walks first where a write in five adds a key
 * (the bench's churn; a walk takes size/COPY_PER_WRITE writes). Where every write adds a key,
 * walks overlap again.
 */
const EARLY_ROOM = 1 / 8;

/** The map whose walk is under way, if any (weak: a map dropped mid-walk must not be kept). */
let walking: WeakRef<ChurnMap<unknown, unknown>> | undefined;
let afterSwitch: () => void = () => {};

/** Run `fn` after every table switch of any ChurnMap (the old table is then garbage). */
export function onTableSwitch(fn: () => void): void {
  afterSwitch = fn;
}

/** Whether some map's walk is under way (tests). */
export function aWalkIsUnderWay(): boolean {
  return walking?.deref()?.walkingNow === true;
}

/**
 * The owner writes through `set` and `delete`; readers get `map`, the current table. When the
 * new table replaces the old one, an iterator taken from `map` before goes on over the old
 * one: the keys it held then (a reader that iterates across writes must look keys up again, as
 * the store's readers do with every change batch). `canSwitch`: whether the new table may
 * replace the old now (an owner with a live iterator of its own says no until it is done).
 */
export class ChurnMap<K, V> {
  private table = new Map<K, V>();
  /** Slots of `table` V8 has (as V8 sizes it) and has used (live keys and deleted ones). */
  private capacity = MIN_CAPACITY;
  private used = 0;
  /** The new table while it is filled: `from` walks the old one (entries added later too). */
  private next: { to: Map<K, V>; from: Iterator<K> | undefined; holes: number } | undefined;
  /** Tables replaced (tests). */
  switches = 0;

  /** Whether this map's new table is being filled. */
  get walkingNow(): boolean {
    return this.next !== undefined;
  }

  constructor(private readonly canSwitch: () => boolean = () => true) {}

  get map(): ReadonlyMap<K, V> {
    return this.table;
  }

  get size(): number {
    return this.table.size;
  }

  get(key: K): V | undefined {
    return this.table.get(key);
  }

  has(key: K): boolean {
    return this.table.has(key);
  }

  set(key: K, value: V): void {
    // (adding may switch tables: write to the current one after it.)
    if (!this.table.has(key)) this.adding();
    this.table.set(key, value);
    const n = this.next;
    if (n) {
      // A key the walk has passed (or all, once it is done) is written to the new table too;
      // one it has not reached it copies when it comes to it.
      if (n.from === undefined || n.to.has(key)) n.to.set(key, value);
      this.step();
    }
  }

  delete(key: K): boolean {
    const t = this.table;
    if (!t.delete(key)) return false;
    // V8 halves a table when under a quarter of its slots hold keys.
    if (this.capacity > MIN_CAPACITY && t.size < this.capacity / 4) {
      this.capacity /= 2;
      this.used = t.size;
    }
    const n = this.next;
    if (n) {
      if (n.to.delete(key)) n.holes++;
      this.step();
    }
    return true;
  }

  /** A new key is about to be added to `table`. */
  private adding(): void {
    const size = this.table.size;
    if (this.used >= this.capacity) {
      if (this.next) this.finish();
      else this.rebuiltByV8();
    }
    this.used++;
    // Start the new table while there is room left for the walk to end first (every write
    // moves it on; only new keys use room). Only where keys were deleted (a map that only grows
    // needs the bigger table) and the live keys leave the new table room for an eighth of it.
    const c = this.capacity;
    if (this.next) return;
    const worthIt = size >= CHURN_MIN_KEYS && size > c / 2 && c - size >= c / 8 && this.used - size >= c / 8;
    if (!worthIt) return;
    const room = c - this.used;
    const must = room <= size / COPY_PER_WRITE + 64;
    if (must || (room <= size * (1 / COPY_PER_WRITE + EARLY_ROOM) + 64 && !aWalkIsUnderWay())) {
      this.next = { to: new Map(), from: this.table.keys(), holes: 0 };
      if (!aWalkIsUnderWay()) walking = new WeakRef(this as ChurnMap<unknown, unknown>);
    }
  }

  /** Copy a few entries; switch tables when all are copied and the owner allows it. */
  private step(): void {
    const n = this.next!;
    if (n.from) {
      for (let i = 0; i < COPY_PER_WRITE; i++) {
        const r = n.from.next();
        if (r.done) {
          n.from = undefined;
          break;
        }
        n.to.set(r.value, this.table.get(r.value)!);
      }
    }
    if (!n.from && this.canSwitch()) this.switchTables();
  }

  /** The old table is full: copy the rest now (this is what the walk is there to avoid). */
  private finish(): void {
    const n = this.next!;
    if (n.from) for (let r = n.from.next(); !r.done; r = n.from.next()) n.to.set(r.value, this.table.get(r.value)!);
    n.from = undefined;
    // The owner holds the old table: V8 rebuilds it; the new one takes over later.
    if (this.canSwitch()) this.switchTables();
    else this.rebuiltByV8();
  }

  /** The table is full and gets a new key: V8 rebuilds it, at twice the size unless half of it
   *  is deleted slots, with the live keys only. */
  private rebuiltByV8(): void {
    const c = this.capacity;
    this.capacity = this.table.size > c / 2 ? 2 * c : c;
    this.used = this.table.size;
  }

  private switchTables(): void {
    const n = this.next!;
    this.table = n.to;
    this.next = undefined;
    this.switches++;
    // The new table grew as it was filled: sized for its keys, deleted ones still in it.
    this.used = n.to.size + n.holes;
    this.capacity = tableCapacity(this.used);
    afterSwitch();
  }
}
