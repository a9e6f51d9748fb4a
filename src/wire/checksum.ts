// Internet checksum (RFC 1071): the 16-bit ones' complement of the ones'
// complement sum, over byte ranges, plus the TCP/UDP IPv4 pseudo-header
// (RFC 768, RFC 9293) and incremental update (RFC 1624) for the hot path,
// so a router can rewrite TTL or an address without re-summing the header.

/**
 * Adds bytes [start, end) of `b` as big-endian 16-bit words to `sum`.
 * An odd trailing byte is padded with zero (RFC 1071 section 4.1).
 * The result is unfolded; pass it to `checksumFinish` or back in here.
 */
export function checksumAdd(sum: number, b: Uint8Array, start = 0, end = b.length): number {
  let i = start;
  // Unfolded sums stay exact far below 2^53, so fold only at the end.
  for (; i + 1 < end; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if (i < end) sum += b[i]! << 8;
  return sum;
}

/** Folds a running sum to 16 bits with end-around carry and complements it. */
export function checksumFinish(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** RFC 1071 checksum of bytes [start, end). Over data containing a correct checksum it is 0. */
export function internetChecksum(b: Uint8Array, start = 0, end = b.length): number {
  return checksumFinish(checksumAdd(0, b, start, end));
}

/** Unfolded sum of the IPv4 pseudo-header (src, dst, zero, protocol, length) for UDP/TCP. */
export function pseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}

/**
 * RFC 1624 eqn. 3: the new checksum after one 16-bit word of the covered data
 * changes from `oldWord` to `newWord`: HC' = ~(~HC + ~m + m').
 */
export function checksumUpdate16(checksum: number, oldWord: number, newWord: number): number {
  let sum = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** RFC 1624 update for a changed 32-bit field (an IPv4 address, e.g. for NAT). */
export function checksumUpdate32(checksum: number, oldValue: number, newValue: number): number {
  const c = checksumUpdate16(checksum, oldValue >>> 16, newValue >>> 16);
  return checksumUpdate16(c, oldValue & 0xffff, newValue & 0xffff);
}
