// Minimal IPv4 address helpers for the data plane: dotted-quad text <-> uint32
// (host order), prefix masks and wildcards. Local to dataplane until src/wire
// offers the same; nothing here throws on bad text, parsers return null.

/** Network mask for a prefix length 0..32, as uint32. */
export function maskOf(length: number): number {
  return length <= 0 ? 0 : length >= 32 ? 0xffffffff : (0xffffffff << (32 - length)) >>> 0;
}

/** Clears the host bits of address for a prefix length. */
export function networkOf(address: number, length: number): number {
  return (address & maskOf(length)) >>> 0;
}

/** Prefix length of a contiguous mask, or -1 when the mask is not contiguous. */
export function lengthOfMask(mask: number): number {
  const m = mask >>> 0;
  const inv = ~m >>> 0;
  if (((inv + 1) & inv) !== 0) return -1;
  let n = 0;
  for (let bit = 31; bit >= 0 && ((m >>> bit) & 1) === 1; bit--) n++;
  return n;
}

/** Formats a uint32 address as dotted quad. */
export function formatIpv4(address: number): string {
  const a = address >>> 0;
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** Parses a dotted quad into a uint32, or null when it is not one. */
export function parseIpv4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const octet = Number(p);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value >>> 0;
}
