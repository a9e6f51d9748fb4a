// IPv4 address and netmask helpers. An address is a uint32 number in host
// order (always normalised with `>>> 0`), so comparisons, masking and FIB keys
// need no allocation. Parsing is strict dotted-quad (RFC 791 notation, no
// octal, no shorthand) and returns null on bad input instead of throwing.

/** Parses "10.0.0.1" to a uint32; null unless exactly four decimal octets 0..255. */
export function parseIpv4Address(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    // Reject "", "+1", "1e2", " 1" and leading zeros that IOS would not print.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n >>> 0;
}

/** Formats a uint32 as dotted-quad "10.0.0.1". */
export function formatIpv4Address(n: number): string {
  return `${(n >>> 24) & 0xff}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/** Netmask with `len` leading one bits (0..32), as a uint32. */
export function maskFromLength(len: number): number {
  if (len <= 0) return 0;
  if (len >= 32) return 0xffffffff;
  // A shift by 32 is a no-op in JS, hence the guards above.
  return (0xffffffff << (32 - len)) >>> 0;
}

/** Prefix length of a contiguous netmask; null if the mask has holes (e.g. 255.0.255.0). */
export function lengthFromMask(mask: number): number | null {
  const m = mask >>> 0;
  const inv = ~m >>> 0;
  // For a contiguous mask the host part is 2^k - 1.
  if ((inv & (inv + 1)) !== 0) return null;
  return Math.clz32(inv);
}

/** Reads a big-endian IPv4 address at `off`. */
export function readIpv4(b: Uint8Array, off: number): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

/** Writes a uint32 IPv4 address big-endian at `off`. */
export function writeIpv4(b: Uint8Array, off: number, addr: number): void {
  b[off] = addr >>> 24;
  b[off + 1] = addr >>> 16;
  b[off + 2] = addr >>> 8;
  b[off + 3] = addr;
}
