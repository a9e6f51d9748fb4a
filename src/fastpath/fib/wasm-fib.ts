// The CEF FIB on the Wasm DIR-24-8 table (wasm/assembly/fib-dir24.ts): tbl24
// compressed to a 3 MB block index plus value runs (about 9 MB for 500k
// prefixes, so random lookups stay in cache and TLB reach), tbl8 groups allocated
// on demand (no group ceiling), and a prefix shadow so remove restores the
// covering prefix exactly. Routes come in one at a time (insert/remove) or all at
// once (build: sorted, then filled range by range). Batch lookups are zero-copy
// through inputView/outputView/lookupInPlace. Implements the Fib contract of
// src/dataplane/fib.ts.
import { FIB_MISS, type Fib } from "../../dataplane/fib.ts";
import { checkBatchCount, type InPlaceBatch } from "./in-place-batch.ts";
import { type FibExports, instantiateFib } from "./wasm-module.ts";

/** Options for a WasmFib. */
export interface WasmFibOptions {
  /** Expected number of prefixes: pre-sizes the shadow table (it grows anyway). */
  expectedPrefixes?: number;
}

/** IPv4 LPM table in WebAssembly (compressed DIR-24-8); implements Fib and InPlaceBatch. */
export class WasmFib implements Fib, InPlaceBatch {
  private readonly wasm: FibExports;
  private buffer: ArrayBuffer;
  private input: Uint32Array;
  private output: Int32Array;
  /** All of linear memory, for lookup() (see there). */
  private words: Int32Array;
  private readonly inOffset: number;
  private readonly outOffset: number;
  private readonly headerWord: number;
  /** Largest batch handled in one Wasm call (longer lookupBatch calls are split). */
  readonly batchMax: number;

  constructor(options: WasmFibOptions = {}) {
    this.wasm = instantiateFib();
    this.wasm.init(Math.max(64, options.expectedPrefixes ?? 1024));
    this.inOffset = this.wasm.ioIn();
    this.outOffset = this.wasm.ioOut();
    this.batchMax = this.wasm.batchMax();
    this.headerWord = this.wasm.headerBase() >>> 2;
    this.buffer = this.wasm.memory.buffer;
    this.input = new Uint32Array(this.buffer, this.inOffset, this.batchMax);
    this.output = new Int32Array(this.buffer, this.outOffset, this.batchMax);
    this.words = new Int32Array(this.buffer);
  }

  /** Adds or replaces prefix/length -> pathList. */
  insert(prefix: number, length: number, pathList: number): void {
    checkLength(length);
    checkPathList(pathList);
    this.wasm.insert(prefix >>> 0, length, pathList);
    this.refresh();
  }

  /** Removes exactly prefix/length; false if it was not there. */
  remove(prefix: number, length: number): boolean {
    checkLength(length);
    const removed = this.wasm.remove(prefix >>> 0, length) === 1;
    this.refresh(); // a block's runs may have moved to a fresh chunk
    return removed;
  }

  /**
   * Replaces the whole table with routes[0..count) given as parallel arrays, in one
   * pass (sort, then fill tbl24 range by range): the same table count inserts on an
   * empty FIB would give, a repeated prefix/length keeping its last path list.
   * Throws RangeError, leaving the table as it was, on a length over 32, a path
   * list outside 0..2^31-1 or more than 2^26 routes.
   */
  build(
    prefixes: Uint32Array,
    lengths: Uint8Array,
    pathLists: Int32Array | Uint32Array,
    count = prefixes.length,
  ): void {
    if (
      !Number.isInteger(count) ||
      count < 0 ||
      count > prefixes.length ||
      count > lengths.length ||
      count > pathLists.length ||
      count > this.wasm.bulkMax()
    ) {
      throw new RangeError(`route count out of range: ${count}`);
    }
    for (let i = 0; i < count; i++) {
      if (lengths[i]! > 32) throw new RangeError(`prefix length out of range: ${lengths[i]} (route ${i})`);
      const v = pathLists[i]!;
      if (v < 0 || v > 0x7fffffff) throw new RangeError(`path list index out of range: ${v} (route ${i})`);
    }
    const at = this.wasm.bulkStage(count); // from here the old table is gone
    const buffer = this.wasm.memory.buffer;
    const part = <T extends Uint32Array | Uint8Array | Int32Array>(a: T): T =>
      a.length === count ? a : (a.subarray(0, count) as T);
    try {
      new Uint32Array(buffer, at, count).set(part(prefixes));
      new Int32Array(buffer, at + 4 * count, count).set(part(pathLists));
      new Uint8Array(buffer, at + 8 * count, count).set(part(lengths));
    } catch (error) {
      this.wasm.bulkStage(0); // leave an empty table, not a half-written one
      this.wasm.bulkBuild(0);
      this.refresh();
      throw error;
    }
    const built = this.wasm.bulkBuild(count);
    this.refresh();
    if (built < 0) throw new Error("fib-dir24 bulkBuild refused input that passed validation");
  }

  /**
   * Path list of the longest matching prefix, or FIB_MISS. Read from JavaScript
   * straight out of the table in Wasm memory (the same steps as the module's
   * lookup): a JS-to-Wasm call per address stops the CPU overlapping the cache
   * misses of consecutive lookups, which costs more than the lookup itself.
   * Batches go to Wasm (lookupInPlace, lookupBatch).
   */
  lookup(address: number): number {
    const words = this.words;
    const h = this.headerWord + (address >>> 14) * 3;
    const j = (address >>> 8) & 63;
    // Runs starting at or before entry j: popcount of bitmap bits 0..j, the two
    // 32-bit halves masked without a branch (t is -1 when j >= 32).
    const m = ((1 << j) << 1) - 1;
    const t = (31 - j) >> 31;
    const runs = popcount32(words[h]! & (t | m)) + popcount32(words[h + 1]! & t & m);
    const r = words[(words[h + 2]! >>> 2) + runs]!;
    return r < -1 ? words[((r << 2) >>> 2) + (address & 255)]! : r;
  }

  /** Looks up addresses[0..count) into out[0..count) (copies through the in-place views). */
  lookupBatch(addresses: Uint32Array, out: Int32Array, count: number): void {
    this.refresh();
    const input = this.input;
    const output = this.output;
    const max = this.batchMax;
    for (let done = 0; done < count; done += max) {
      const n = Math.min(max, count - done);
      for (let i = 0; i < n; i++) input[i] = addresses[done + i]!;
      this.wasm.lookupBatch(n);
      for (let i = 0; i < n; i++) out[done + i] = output[i]!;
    }
  }

  /** Looks up inputView()[0..count) into outputView()[0..count), count <= batchMax. */
  lookupInPlace(count: number): void {
    checkBatchCount(count, this.batchMax);
    this.wasm.lookupBatch(count);
  }

  /** Batch input view in Wasm memory (valid until the next insert or build may grow memory). */
  inputView(): Uint32Array {
    this.refresh();
    return this.input;
  }

  /** Batch output view in Wasm memory. */
  outputView(): Int32Array {
    this.refresh();
    return this.output;
  }

  /** Number of prefixes held. */
  get size(): number {
    return this.wasm.size();
  }

  /** tbl8 groups in use (one per /24 holding a longer prefix). */
  get groups(): number {
    return this.wasm.groupCount();
  }

  /** Bytes of linear memory reserved (what the instance costs). */
  get memoryBytes(): number {
    return this.wasm.memory.buffer.byteLength;
  }

  /** Bytes of linear memory below the allocator's top (the rest is free). */
  get usedBytes(): number {
    return this.wasm.usedBytes();
  }

  /** Removes every prefix. */
  clear(): void {
    this.wasm.clear();
  }

  private refresh(): void {
    const buffer = this.wasm.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.input = new Uint32Array(buffer, this.inOffset, this.batchMax);
      this.output = new Int32Array(buffer, this.outOffset, this.batchMax);
      this.words = new Int32Array(buffer);
    }
  }
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 0 || length > 32) {
    throw new RangeError(`prefix length out of range: ${length}`);
  }
}

function checkPathList(pathList: number): void {
  if (!Number.isInteger(pathList) || pathList < 0 || pathList > 0x7fffffff) {
    throw new RangeError(`path list index out of range: ${pathList}`);
  }
}

/** Result of a lookup that matched nothing (re-exported for callers of this folder). */
export { FIB_MISS };
