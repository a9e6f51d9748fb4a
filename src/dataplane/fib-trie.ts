// TypeScript reference FIB: longest-prefix match kept as one hash map per prefix
// length, probed from the longest present length down to /0. With the few
// lengths a lab table uses this is a handful of Map probes per lookup; it is the
// reference the Wasm DIR-24-8 table is checked against (same case suite).

import { maskOf } from "./addr.ts";
import { FIB_MISS, type Fib } from "./fib.ts";
import { NumberMap } from "./number-map.ts";

/** Longest-prefix-match table as per-length hash maps; implements Fib. */
export class HashFib implements Fib {
  /** One table per length (NumberMap: a compact entry per prefix, as the RIB's), made when a length is first used: a small router uses a handful of the 33. */
  private readonly tables: Array<NumberMap<number> | undefined> = new Array(33);
  /** Prefix lengths currently holding at least one prefix, longest first. */
  private lengths: number[] = [];
  private count = 0;

  /** Adds or replaces prefix/length -> pathList. */
  insert(prefix: number, length: number, pathList: number): void {
    checkLength(length);
    if (!Number.isInteger(pathList) || pathList < 0 || pathList > 0x7fffffff) {
      throw new RangeError(`path list index out of range: ${pathList}`);
    }
    let table = this.tables[length];
    if (table === undefined) this.tables[length] = table = new NumberMap();
    const key = (prefix & maskOf(length)) >>> 0;
    if (!table.has(key)) {
      this.count++;
      if (table.size === 0) this.refreshLengths(length, true);
    }
    table.set(key, pathList);
  }

  /** Removes exactly prefix/length; false if absent. */
  remove(prefix: number, length: number): boolean {
    checkLength(length);
    const table = this.tables[length];
    if (table === undefined || !table.delete((prefix & maskOf(length)) >>> 0)) return false;
    this.count--;
    if (table.size === 0) this.refreshLengths(length, false);
    return true;
  }

  /** Path list of the longest matching prefix, or FIB_MISS. */
  lookup(address: number): number {
    const lengths = this.lengths;
    for (let i = 0; i < lengths.length; i++) {
      const l = lengths[i]!;
      const hit = this.tables[l]!.get((address & maskOf(l)) >>> 0);
      if (hit !== undefined) return hit;
    }
    return FIB_MISS;
  }

  /** Looks up addresses[0..count) into out[0..count). */
  lookupBatch(addresses: Uint32Array, out: Int32Array, count: number): void {
    for (let i = 0; i < count; i++) out[i] = this.lookup(addresses[i]!);
  }

  /** Number of prefixes held. */
  get size(): number {
    return this.count;
  }

  /** Removes every prefix. */
  clear(): void {
    for (const t of this.tables) t?.clear();
    this.lengths = [];
    this.count = 0;
  }

  /** Every prefix held, as [prefix, length, pathList], longest length first. */
  *entries(): IterableIterator<[number, number, number]> {
    for (const l of this.lengths) for (const [p, pl] of this.tables[l]!) yield [p, l, pl];
  }

  private refreshLengths(length: number, present: boolean): void {
    if (present) {
      this.lengths.push(length);
      this.lengths.sort((a, b) => b - a);
    } else {
      this.lengths = this.lengths.filter((l) => l !== length);
    }
  }
}

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 0 || length > 32) {
    throw new RangeError(`prefix length out of range: ${length}`);
  }
}

/** Builds an empty TypeScript reference FIB. */
export function createFib(): Fib {
  return new HashFib();
}
