// The CEF FIB on the Wasm DIR-24-8 table (wasm/assembly/fib-dir24.ts): 48 MB of
// 3-byte tbl24 entries, tbl8 groups allocated on demand (no group ceiling), and a
// prefix shadow in linear memory so remove restores the covering prefix exactly.
// Implements the Fib contract of src/dataplane/fib.ts.
import { FIB_MISS, type Fib } from "../../dataplane/fib.ts";
import { instantiateFib, type FibExports } from "./wasm-module.ts";

/** Options for a WasmFib. */
export interface WasmFibOptions {
  /** Expected number of prefixes: pre-sizes the shadow table (it grows anyway). */
  expectedPrefixes?: number;
  /**
   * tbl24 layout: "compact" (default) packs entries in 3 bytes (48 MB, 500k prefixes
   * fit in 64 MB); "wide" uses aligned 4-byte entries (64 MB + groups), about 1.3x
   * faster batch lookups on random addresses.
   */
  layout?: "compact" | "wide";
}

/** IPv4 LPM table in WebAssembly (DIR-24-8); implements Fib. */
export class WasmFib implements Fib {
  private readonly wasm: FibExports;
  private buffer: ArrayBuffer;
  private input: Uint32Array;
  private output: Int32Array;
  private readonly inOffset: number;
  private readonly outOffset: number;
  /** Largest batch handled in one Wasm call (longer batches are split). */
  readonly batchMax: number;

  constructor(options: WasmFibOptions = {}) {
    this.wasm = instantiateFib();
    this.wasm.init(Math.max(64, options.expectedPrefixes ?? 1024), options.layout === "wide");
    this.inOffset = this.wasm.ioIn();
    this.outOffset = this.wasm.ioOut();
    this.batchMax = this.wasm.batchMax();
    this.buffer = this.wasm.memory.buffer;
    this.input = new Uint32Array(this.buffer, this.inOffset, this.batchMax);
    this.output = new Int32Array(this.buffer, this.outOffset, this.batchMax);
  }

  /** Adds or replaces prefix/length -> pathList. */
  insert(prefix: number, length: number, pathList: number): void {
    checkLength(length);
    if (!Number.isInteger(pathList) || pathList < 0 || pathList > 0x7fffffff) {
      throw new RangeError(`path list index out of range: ${pathList}`);
    }
    if (this.wasm.insert(prefix >>> 0, length, pathList) < 0) {
      throw new RangeError("more than 16384 distinct path lists >= 245759 in the Wasm FIB");
    }
  }

  /** Removes exactly prefix/length; false if it was not there. */
  remove(prefix: number, length: number): boolean {
    checkLength(length);
    return this.wasm.remove(prefix >>> 0, length) === 1;
  }

  /** Path list of the longest matching prefix, or FIB_MISS. */
  lookup(address: number): number {
    return this.wasm.lookup(address >>> 0);
  }

  /** Looks up addresses[0..count) into out[0..count). */
  lookupBatch(addresses: Uint32Array, out: Int32Array, count: number): void {
    this.refresh();
    const input = this.input;
    const output = this.output;
    const max = this.batchMax;
    for (let done = 0; done < count; done += max) {
      const n = Math.min(max, count - done);
      if (n <= 64) {
        for (let i = 0; i < n; i++) input[i] = addresses[done + i]!;
      } else {
        input.set(addresses.subarray(done, done + n));
      }
      this.wasm.lookupBatch(n);
      if (n <= 64) {
        for (let i = 0; i < n; i++) out[done + i] = output[i]!;
      } else {
        out.set(output.subarray(0, n), done);
      }
    }
  }

  /** Zero-copy batch: write addresses into inputView(), call this, read outputView(). */
  lookupInPlace(count: number): void {
    this.wasm.lookupBatch(Math.min(count, this.batchMax));
  }

  /** Batch input view in Wasm memory (valid until the next insert may grow memory). */
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

  /** Bytes of linear memory the table occupies. */
  get memoryBytes(): number {
    return this.wasm.memory.buffer.byteLength;
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
    }
  }
}

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 0 || length > 32) {
    throw new RangeError(`prefix length out of range: ${length}`);
  }
}

/** Result of a lookup that matched nothing (re-exported for callers of this folder). */
export { FIB_MISS };
