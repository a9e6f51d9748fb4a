// The LSA checksum (RFC 2328 12.1.7): the Fletcher checksum of ISO 8473 /
// RFC 905 annex B over the whole LSA except LS age, so a router can age an
// LSA without touching it. Generation solves for the two check octets so the
// running sums C0 and C1 both come out 0 modulo 255; verification recomputes
// those sums over the LSA with its checksum in place.

/** Offset of the checksum in an LSA, and of the first byte it covers (after LS age). */
export const LSA_CHECKSUM_OFFSET = 16;
const COVERED_FROM = 2;

/** Fletcher sums (C0, C1) mod 255 over bytes [start, end). */
function sums(b: Uint8Array, start: number, end: number): [number, number] {
  let c0 = 0;
  let c1 = 0;
  // 5802 bytes keep the unreduced sums below 2^53 by a wide margin; reduce every block anyway.
  for (let i = start; i < end; ) {
    const stop = Math.min(end, i + 4096);
    for (; i < stop; i++) {
      c0 += b[i]!;
      c1 += c0;
    }
    c0 %= 255;
    c1 %= 255;
  }
  return [c0, c1];
}

/** The checksum for an LSA at `off` of `length` bytes; the checksum octets are taken as zero. */
export function lsaChecksum(b: Uint8Array, off: number, length: number): number {
  const at = off + LSA_CHECKSUM_OFFSET;
  const saved0 = b[at]!;
  const saved1 = b[at + 1]!;
  b[at] = 0;
  b[at + 1] = 0;
  const [c0, c1] = sums(b, off + COVERED_FROM, off + length);
  b[at] = saved0;
  b[at + 1] = saved1;
  // RFC 905 B.4: X at position n of an L-octet block, Y right after it.
  const n = LSA_CHECKSUM_OFFSET - COVERED_FROM + 1;
  const len = length - COVERED_FROM;
  let x = ((len - n) * c0 - c1) % 255;
  if (x <= 0) x += 255;
  let y = 510 - c0 - x;
  if (y > 255) y -= 255;
  return (x << 8) | y;
}

/** Writes the checksum of the LSA at `off` into it. */
export function setLsaChecksum(b: Uint8Array, off: number, length: number): number {
  const c = lsaChecksum(b, off, length);
  b[off + LSA_CHECKSUM_OFFSET] = c >>> 8;
  b[off + LSA_CHECKSUM_OFFSET + 1] = c & 0xff;
  return c;
}

/** True if the LSA at `off` carries a correct checksum (both sums zero, checksum field not zero). */
export function lsaChecksumOk(b: Uint8Array, off: number, length: number): boolean {
  if (b[off + LSA_CHECKSUM_OFFSET] === 0 && b[off + LSA_CHECKSUM_OFFSET + 1] === 0) return false;
  const [c0, c1] = sums(b, off + COVERED_FROM, off + length);
  return c0 === 0 && c1 === 0;
}
