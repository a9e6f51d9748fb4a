// BigInt arithmetic for MODP Diffie-Hellman: big-endian byte conversions and a
// left-to-right sliding-window modular exponentiation (window of 4 bits, odd
// powers precomputed). It is the reference the node:crypto engine path in dh.ts
// is checked against, and the path dh.ts takes until a group has been used
// enough to pay for building that engine. Not constant-time: this is a lab.

/** Reads a big-endian unsigned integer. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let hex = "";
  for (let i = 0; i < bytes.length; i++) hex += HEX[bytes[i]!];
  return hex.length === 0 ? 0n : BigInt(`0x${hex}`);
}

/**
 * Writes value big-endian, left-padded with zeros to `length` bytes; null when
 * the value is negative or does not fit.
 */
export function bigIntToBytes(value: bigint, length: number): Uint8Array | null {
  if (value < 0n) return null;
  const hex = value === 0n ? "" : value.toString(16);
  const needed = (hex.length + 1) >> 1;
  if (needed > length) return null;
  const out = new Uint8Array(length);
  const padded = hex.length % 2 === 1 ? `0${hex}` : hex;
  const offset = length - needed;
  for (let i = 0; i < needed; i++) out[offset + i] = parseInt(padded.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Left-pads bytes with zeros to `length` (returns a copy; null when too long). */
export function leftPad(bytes: Uint8Array, length: number): Uint8Array | null {
  if (bytes.length > length) {
    // Leading zero bytes beyond the length are harmless; anything else does not fit.
    const extra = bytes.length - length;
    for (let i = 0; i < extra; i++) if (bytes[i] !== 0) return null;
    return bytes.slice(extra);
  }
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
}

const WINDOW = 4;

/** base^exponent mod modulus for modulus > 1 and exponent >= 0 (sliding window). */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus <= 1n) return 0n;
  if (exponent < 0n) return 0n;
  const b = ((base % modulus) + modulus) % modulus;
  if (exponent === 0n) return 1n;
  // Odd powers b^1, b^3, ..., b^(2^WINDOW - 1).
  const odd: bigint[] = new Array(1 << (WINDOW - 1));
  odd[0] = b;
  const b2 = (b * b) % modulus;
  for (let i = 1; i < odd.length; i++) odd[i] = (odd[i - 1]! * b2) % modulus;
  const bits = exponent.toString(2);
  let result = 1n;
  let i = 0;
  while (i < bits.length) {
    if (bits.charCodeAt(i) === 48 /* "0" */) {
      result = (result * result) % modulus;
      i++;
      continue;
    }
    // Longest window starting here that ends in a 1 bit.
    let end = Math.min(i + WINDOW, bits.length);
    while (bits.charCodeAt(end - 1) === 48) end--;
    let value = 0;
    for (let k = i; k < end; k++) {
      result = (result * result) % modulus;
      value = (value << 1) | (bits.charCodeAt(k) - 48);
    }
    result = (result * odd[(value - 1) >> 1]!) % modulus;
    i = end;
  }
  return result;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
