// Zero-copy batch lookup: the caller writes destination addresses straight into
// the table's own input view, calls lookupInPlace(count) and reads the path lists
// from its output view, with no allocation or copy per batch. This is how a router
// hands a batch of packets to the Wasm FIB; the TypeScript tables offer the same
// calls so the benchmark measures every implementation the same way.

/** A FIB whose batch lookup reads and writes views it owns. */
export interface InPlaceBatch {
  /** Largest count lookupInPlace accepts. */
  readonly batchMax: number;
  /** Addresses to look up (valid until the next insert or build). */
  inputView(): Uint32Array;
  /** Path lists of the last lookupInPlace, FIB_MISS where nothing matched. */
  outputView(): Int32Array;
  /** Looks up inputView()[0..count) into outputView()[0..count). */
  lookupInPlace(count: number): void;
}

/** Throws unless 0 <= count <= batchMax. */
export function checkBatchCount(count: number, batchMax: number): void {
  if (!Number.isInteger(count) || count < 0 || count > batchMax) {
    throw new RangeError(`batch count out of range: ${count} (0..${batchMax})`);
  }
}
