// Big-endian (network order) reads and writes of 16- and 32-bit fields, for
// the wire formats' parse and emit.

/** The 16-bit field at `off`. */
export function u16(b: Uint8Array, off: number): number {
  return (b[off]! << 8) | b[off + 1]!;
}

/** The 32-bit field at `off`, unsigned. */
export function u32(b: Uint8Array, off: number): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

/** Writes `v` as a 16-bit field at `off`. */
export function put16(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 8;
  b[off + 1] = v;
}

/** Writes `v` as a 32-bit field at `off`. */
export function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24;
  b[off + 1] = v >>> 16;
  b[off + 2] = v >>> 8;
  b[off + 3] = v;
}
