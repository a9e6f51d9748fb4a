// Binary (one bit per level) trie FIB in typed arrays: the textbook longest-prefix
// match (Knuth, TAOCP vol. 3, digital search) that the benchmark uses as the
// second baseline. Removing a prefix clears its node's value; nodes are not pruned.
// Implements the Fib contract of src/dataplane/fib.ts and the in-place batch
// calls of in-place-batch.ts.
import { FIB_MISS, type Fib } from "../../dataplane/fib.ts";
import { checkBatchCount, type InPlaceBatch } from "./in-place-batch.ts";

/** IPv4 LPM as a binary trie; implements Fib and InPlaceBatch. */
export class BinaryTrieFib implements Fib, InPlaceBatch {
  /** Largest count lookupInPlace accepts. */
  readonly batchMax = 4096;
  private readonly batchIn = new Uint32Array(this.batchMax);
  private readonly batchOut = new Int32Array(this.batchMax);
  private child = new Int32Array(2 * 1024); // [2n] zero-branch, [2n+1] one-branch, 0 = none
  private value = new Int32Array(1024).fill(FIB_MISS);
  private nodes = 1; // node 0 is the root
  private count = 0;

  /** Adds or replaces prefix/length -> pathList. */
  insert(prefix: number, length: number, pathList: number): void {
    let n = 0;
    for (let d = 0; d < length; d++) {
      const bit = (prefix >>> (31 - d)) & 1;
      let next = this.child[2 * n + bit]!;
      if (next === 0) {
        next = this.allocNode();
        this.child[2 * n + bit] = next;
      }
      n = next;
    }
    if (this.value[n] === FIB_MISS) this.count++;
    this.value[n] = pathList;
  }

  /** Removes exactly prefix/length; false if it was not there. */
  remove(prefix: number, length: number): boolean {
    let n = 0;
    for (let d = 0; d < length && n !== -1; d++) n = this.child[2 * n + ((prefix >>> (31 - d)) & 1)]! || -1;
    if (n === -1 || this.value[n] === FIB_MISS) return false;
    this.value[n] = FIB_MISS;
    this.count--;
    return true;
  }

  /** Path list of the longest matching prefix, or FIB_MISS. */
  lookup(address: number): number {
    const child = this.child;
    const value = this.value;
    let best = value[0]!;
    let n = 0;
    for (let d = 0; d < 32; d++) {
      n = child[2 * n + ((address >>> (31 - d)) & 1)]!;
      if (n === 0) break;
      const v = value[n]!;
      if (v !== FIB_MISS) best = v;
    }
    return best;
  }

  /** Looks up addresses[0..count) into out[0..count). */
  lookupBatch(addresses: Uint32Array, out: Int32Array, count: number): void {
    for (let i = 0; i < count; i++) out[i] = this.lookup(addresses[i]!);
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

  /** Bytes held in typed arrays. */
  get memoryBytes(): number {
    return this.child.byteLength + this.value.byteLength;
  }

  /** Removes every prefix. */
  clear(): void {
    this.child.fill(0);
    this.value.fill(FIB_MISS);
    this.nodes = 1;
    this.count = 0;
  }

  private allocNode(): number {
    if (this.nodes === this.value.length) {
      const child = new Int32Array(this.child.length * 2);
      child.set(this.child);
      this.child = child;
      const value = new Int32Array(this.value.length * 2).fill(FIB_MISS);
      value.set(this.value);
      this.value = value;
    }
    return this.nodes++;
  }
}
