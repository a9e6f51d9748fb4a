// An insertion-ordered hash map from numbers to values, for the tables a router
// keeps one entry per route in (the RIB's candidates and installed routes, the
// FIB's per-length tables). A JavaScriptCore Map costs 90-150 bytes per entry;
// this one keeps keys, values and hash chains in flat arrays (about 24 bytes per
// slot, at most two slots per entry), which at a thousand routers of three
// thousand routes each is the difference of a gigabyte.
//
// It behaves as a Map for what those tables do: get/has/set/delete, size, and
// iteration in insertion order (a key set again keeps its place; deleted and
// re-added goes last). Deleting during an iteration is allowed; adding a new key
// during one is not (the arrays may be compacted). Keys are finite numbers
// (never NaN, which marks a deleted slot).

const EMPTY = -1;

export class NumberMap<V> implements Iterable<[number, V]> {
  private keys = new Float64Array(0);
  private vals: Array<V | undefined> = [];
  /** Next slot in the same bucket, or EMPTY. */
  private chain = new Int32Array(0);
  /** First slot of each bucket, or EMPTY. */
  private buckets = new Int32Array(0);
  /** Slots handed out (live and deleted). */
  private used = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: number): V | undefined {
    const i = this.find(key);
    return i === EMPTY ? undefined : this.vals[i];
  }

  has(key: number): boolean {
    return this.find(key) !== EMPTY;
  }

  set(key: number, value: V): this {
    const i = this.find(key);
    if (i !== EMPTY) {
      this.vals[i] = value;
      return this;
    }
    if (this.used === this.keys.length) this.rehash(this.count * 2 >= this.keys.length);
    const slot = this.used++;
    const b = this.bucketOf(key);
    this.keys[slot] = key;
    this.vals[slot] = value;
    this.chain[slot] = this.buckets[b]!;
    this.buckets[b] = slot;
    this.count++;
    return this;
  }

  delete(key: number): boolean {
    if (this.count === 0) return false;
    const b = this.bucketOf(key);
    let prev = EMPTY;
    for (let i = this.buckets[b]!; i !== EMPTY; prev = i, i = this.chain[i]!) {
      if (this.keys[i] !== key) continue;
      if (prev === EMPTY) this.buckets[b] = this.chain[i]!;
      else this.chain[prev] = this.chain[i]!;
      this.keys[i] = Number.NaN;
      this.vals[i] = undefined;
      this.count--;
      return true;
    }
    return false;
  }

  clear(): void {
    this.keys = new Float64Array(0);
    this.vals = [];
    this.chain = new Int32Array(0);
    this.buckets = new Int32Array(0);
    this.used = 0;
    this.count = 0;
  }

  *entries(): IterableIterator<[number, V]> {
    for (let i = 0; i < this.used; i++) {
      const k = this.keys[i]!;
      if (!Number.isNaN(k)) yield [k, this.vals[i] as V];
    }
  }

  *keysInOrder(): IterableIterator<number> {
    for (let i = 0; i < this.used; i++) {
      const k = this.keys[i]!;
      if (!Number.isNaN(k)) yield k;
    }
  }

  *values(): IterableIterator<V> {
    for (let i = 0; i < this.used; i++) if (!Number.isNaN(this.keys[i]!)) yield this.vals[i] as V;
  }

  [Symbol.iterator](): IterableIterator<[number, V]> {
    return this.entries();
  }

  private find(key: number): number {
    if (this.count === 0) return EMPTY;
    for (let i = this.buckets[this.bucketOf(key)]!; i !== EMPTY; i = this.chain[i]!) if (this.keys[i] === key) return i;
    return EMPTY;
  }

  private bucketOf(key: number): number {
    // Both 32-bit halves of an integer key (prefix * 64 + length goes past 2^32), mixed.
    const lo = key >>> 0;
    const hi = Math.floor(key / 4294967296) >>> 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    return h & (this.buckets.length - 1);
  }

  /** Moves the live entries, in order, into fresh arrays (twice as large when `grow`). */
  private rehash(grow: boolean): void {
    const capacity = Math.max(8, grow ? this.keys.length * 2 : this.keys.length);
    const keys = this.keys;
    const vals = this.vals;
    const used = this.used;
    this.keys = new Float64Array(capacity);
    this.vals = new Array(capacity);
    this.chain = new Int32Array(capacity);
    this.buckets = new Int32Array(capacity).fill(EMPTY);
    this.used = 0;
    this.count = 0;
    for (let i = 0; i < used; i++) {
      const k = keys[i]!;
      if (Number.isNaN(k)) continue;
      const slot = this.used++;
      const b = this.bucketOf(k);
      this.keys[slot] = k;
      this.vals[slot] = vals[i];
      this.chain[slot] = this.buckets[b]!;
      this.buckets[b] = slot;
      this.count++;
    }
  }
}
