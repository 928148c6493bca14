// An index bucket's Set (the pods of a node, of a namespace, of an owner) kept from doubling its
// hash table under churn.
//
// The same V8 rule as ChurnMap's (src/model/churnMap.ts): a deleted key's slot stays until the
// table is full, and the next new key then rebuilds it at twice the size unless half its slots
// are deleted ones. Pods leaving a node and others arriving fill a bucket's table with holes
// while its live keys are still more than half of it, so it doubles and stays doubled: at
// 150,000 pods the store's bucket tables went 11.9 -> 20.6 MB in 4 minutes of 2,000 events/s
// (two heap snapshots of the CLI, same 18,700 buckets). Buckets are small, so instead of
// ChurnMap's walk the bucket is copied at once into a new Set sized for its live keys, which
// the store puts in place of the old one.

import { MIN_CAPACITY, tableCapacity } from '../model/churnMap.js';

export class BucketSet extends Set<string> {
  /** Slots of the table as V8 sizes it, and slots used (live keys and deleted ones). */
  private capacity = MIN_CAPACITY;
  private used = 0;

  /**
   * Add `key`, and return the set to keep: this one, or a copy with the key when this table is
   * full of holes and V8 would double it. A copy is made only if it leaves an eighth of its
   * table free, so a bucket is copied at most once per capacity/8 new keys.
   */
  with(key: string): BucketSet {
    if (this.has(key)) return this;
    if (this.used >= this.capacity) {
      const holes = this.used - this.size;
      if (holes >= this.capacity / 2) {
        this.used = this.size; // V8 rebuilds it at the same size
      } else {
        const fresh = tableCapacity(this.size + 1);
        if (holes > 0 && fresh - this.size - 1 >= fresh / 8) return BucketSet.of(this, key);
        this.capacity *= 2;
        this.used = this.size;
      }
    }
    this.used++;
    super.add(key);
    return this;
  }

  override delete(key: string): boolean {
    if (!super.delete(key)) return false;
    // V8 halves a table when under a quarter of its slots hold keys.
    if (this.capacity > MIN_CAPACITY && this.size < this.capacity / 4) {
      this.capacity /= 2;
      this.used = this.size;
    }
    return true;
  }

  /** A new bucket holding `keys` then `key`, in that order. */
  static of(keys: Iterable<string>, key: string): BucketSet {
    const s = new BucketSet();
    for (const k of keys) s.with(k);
    return s.with(key);
  }
}
