// Plain TypeScript DIR-24-8 (Gupta, Lin, McKeown, INFOCOM 1998): the "obvious
// alternative" the benchmark compares the Wasm table with. tbl24 is an Int32Array
// of 2^24 entries (path list >= 0, -1 miss, <= -2 a tbl8 group), with a parallel
// depth array so remove restores the covering prefix; the shadow is one Map per
// prefix length. Implements the Fib contract of src/dataplane/fib.ts and the
// in-place batch calls of in-place-batch.ts.
import { FIB_MISS, type Fib } from "../../dataplane/fib.ts";
import { checkBatchCount, type InPlaceBatch } from "./in-place-batch.ts";

const mask = (l: number): number => (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0);

/** IPv4 LPM table, DIR-24-8 in typed arrays; implements Fib and InPlaceBatch. */
export class TsDir24Fib implements Fib, InPlaceBatch {
  /** Largest count lookupInPlace accepts. */
  readonly batchMax = 4096;
  private readonly batchIn = new Uint32Array(this.batchMax);
  private readonly batchOut = new Int32Array(this.batchMax);
  private readonly t24 = new Int32Array(1 << 24).fill(FIB_MISS);
  private readonly d24 = new Uint8Array(1 << 24);
  private t8 = new Int32Array(256 * 64);
  private d8 = new Uint8Array(256 * 64);
  private groupsUsed = 1; // group 0 unused so -(g + 2) stays <= -2
  private readonly freeGroups: number[] = [];
  private readonly shadow: Map<number, number>[] = [];
  private count = 0;
  private dirtyLo = 1 << 24;
  private dirtyHi = 0;
  /** Leaf value hidden under a group entry of tbl24 (restored when the group collapses). */
  private readonly inherit = new Map<number, number>();

  constructor() {
    for (let l = 0; l <= 32; l++) this.shadow.push(new Map());
  }

  /** Adds or replaces prefix/length -> pathList. */
  insert(prefix: number, length: number, pathList: number): void {
    const p = (prefix & mask(length)) >>> 0;
    const table = this.shadow[length]!;
    if (!table.has(p)) this.count++;
    table.set(p, pathList);
    if (length <= 24) {
      const start = p >>> 8;
      const end = start + 2 ** (24 - length);
      this.touch(start, end);
      for (let i = start; i < end; i++) {
        const e = this.t24[i]!;
        if (e <= -2) {
          const base = (-e - 2) * 256;
          for (let j = base; j < base + 256; j++) {
            if (this.d8[j]! <= length) {
              this.t8[j] = pathList;
              this.d8[j] = length;
            }
          }
        }
        if (this.d24[i]! <= length) {
          if (e > -2) this.t24[i] = pathList;
          this.d24[i] = length; // for a group entry, d24 keeps the inherited leaf's depth
          if (e <= -2) this.inherit.set(i, pathList);
        }
      }
    } else {
      const i = p >>> 8;
      this.touch(i, i + 1);
      let e = this.t24[i]!;
      if (e > -2) {
        const g = this.allocGroup();
        this.t8.fill(e, g * 256, g * 256 + 256);
        this.d8.fill(this.d24[i]!, g * 256, g * 256 + 256);
        this.inherit.set(i, e);
        e = -g - 2;
        this.t24[i] = e;
      }
      const base = (-e - 2) * 256 + (p & 255);
      for (let j = base; j < base + 2 ** (32 - length); j++) {
        if (this.d8[j]! <= length) {
          this.t8[j] = pathList;
          this.d8[j] = length;
        }
      }
    }
  }

  /** Removes exactly prefix/length; false if it was not there. */
  remove(prefix: number, length: number): boolean {
    const p = (prefix & mask(length)) >>> 0;
    if (!this.shadow[length]!.delete(p)) return false;
    this.count--;
    let cover = FIB_MISS;
    let cdepth = 0;
    for (let l = length - 1; l >= 0; l--) {
      const v = this.shadow[l]!.get((p & mask(l)) >>> 0);
      if (v !== undefined) {
        cover = v;
        cdepth = l;
        break;
      }
    }
    if (length <= 24) {
      const start = p >>> 8;
      const end = start + 2 ** (24 - length);
      for (let i = start; i < end; i++) {
        const e = this.t24[i]!;
        if (e <= -2) {
          const base = (-e - 2) * 256;
          for (let j = base; j < base + 256; j++) {
            if (this.d8[j] === length && this.t8[j] !== FIB_MISS) {
              this.t8[j] = cover;
              this.d8[j] = cdepth;
            }
          }
          if (this.d24[i] === length && this.inherit.get(i) !== FIB_MISS) {
            this.inherit.set(i, cover);
            this.d24[i] = cdepth;
          }
        } else if (this.d24[i] === length && e !== FIB_MISS) {
          this.t24[i] = cover;
          this.d24[i] = cdepth;
        }
      }
    } else {
      const i = p >>> 8;
      const g = -this.t24[i]! - 2;
      const base = g * 256;
      const from = base + (p & 255);
      for (let j = from; j < from + 2 ** (32 - length); j++) {
        if (this.d8[j] === length && this.t8[j] !== FIB_MISS) {
          this.t8[j] = cover;
          this.d8[j] = cdepth;
        }
      }
      let deep = false;
      for (let j = base; j < base + 256; j++) if (this.d8[j]! > 24) deep = true;
      if (!deep) {
        this.t24[i] = this.inherit.get(i)!;
        this.inherit.delete(i);
        this.freeGroups.push(g);
      }
    }
    return true;
  }

  /** Path list of the longest matching prefix, or FIB_MISS. */
  lookup(address: number): number {
    const e = this.t24[address >>> 8]!;
    return e > -2 ? e : this.t8[(-e - 2) * 256 + (address & 255)]!;
  }

  /** Looks up addresses[0..count) into out[0..count). */
  lookupBatch(addresses: Uint32Array, out: Int32Array, count: number): void {
    const t24 = this.t24;
    const t8 = this.t8;
    for (let i = 0; i < count; i++) {
      const a = addresses[i]!;
      const e = t24[a >>> 8]!;
      out[i] = e > -2 ? e : t8[(-e - 2) * 256 + (a & 255)]!;
    }
  }

  /** Looks up inputView()[0..count) into outputView()[0..count), count <= batchMax. */
  lookupInPlace(count: number): void {
    checkBatchCount(count, this.batchMax);
    this.lookupBatch(this.batchIn, this.batchOut, count);
  }

  /** Batch input view (the table's own array). */
  inputView(): Uint32Array {
    return this.batchIn;
  }

  /** Batch output view. */
  outputView(): Int32Array {
    return this.batchOut;
  }

  /** Number of prefixes held. */
  get size(): number {
    return this.count;
  }

  /** Bytes held in typed arrays (tbl24, depths, tbl8). */
  get memoryBytes(): number {
    return this.t24.byteLength + this.d24.byteLength + this.t8.byteLength + this.d8.byteLength;
  }

  /** Removes every prefix. */
  clear(): void {
    if (this.dirtyHi > this.dirtyLo) {
      this.t24.fill(FIB_MISS, this.dirtyLo, this.dirtyHi);
      this.d24.fill(0, this.dirtyLo, this.dirtyHi);
    }
    this.dirtyLo = 1 << 24;
    this.dirtyHi = 0;
    for (const m of this.shadow) m.clear();
    this.inherit.clear();
    this.groupsUsed = 1;
    this.freeGroups.length = 0;
    this.count = 0;
  }

  private touch(lo: number, hi: number): void {
    if (lo < this.dirtyLo) this.dirtyLo = lo;
    if (hi > this.dirtyHi) this.dirtyHi = hi;
  }

  private allocGroup(): number {
    const g = this.freeGroups.pop();
    if (g !== undefined) return g;
    if ((this.groupsUsed + 1) * 256 > this.t8.length) {
      const t8 = new Int32Array(this.t8.length * 2);
      t8.set(this.t8);
      this.t8 = t8;
      const d8 = new Uint8Array(this.d8.length * 2);
      d8.set(this.d8);
      this.d8 = d8;
    }
    return this.groupsUsed++;
  }
}
