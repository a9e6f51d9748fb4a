// MAC-48 address helpers. A MAC is a plain number (48 bits fit exactly in a
// double), so it can key a Map and compare with ===. Text forms: Cisco IOS
// dotted-hex "aabb.cc00.0100" (as `show ip arp` prints) and colon form for logs.

/** ff:ff:ff:ff:ff:ff. */
export const MAC_BROADCAST = 0xffffffffffff;

const HI = 0x100000000; // 2^32: splits a MAC into a 16-bit high and 32-bit low part

/** Reads a 6-byte MAC at `off` as a number. */
export function readMac(b: Uint8Array, off: number): number {
  const hi = (b[off]! << 8) | b[off + 1]!;
  const lo = ((b[off + 2]! << 24) | (b[off + 3]! << 16) | (b[off + 4]! << 8) | b[off + 5]!) >>> 0;
  return hi * HI + lo;
}

/** Writes a MAC number as 6 bytes at `off`. */
export function writeMac(b: Uint8Array, off: number, mac: number): void {
  const hi = Math.floor(mac / HI);
  const lo = mac >>> 0; // ToUint32 keeps the low 32 bits of an integer below 2^53
  b[off] = hi >>> 8;
  b[off + 1] = hi;
  b[off + 2] = lo >>> 24;
  b[off + 3] = lo >>> 16;
  b[off + 4] = lo >>> 8;
  b[off + 5] = lo;
}

/** True for group addresses (I/G bit, lowest bit of the first octet), broadcast included. */
export function isMulticastMac(mac: number): boolean {
  return (Math.floor(mac / 0x10000000000) & 1) === 1;
}

/** Formats as IOS dotted-hex, "aabb.cc00.0100". */
export function formatMacCisco(mac: number): string {
  const h = mac.toString(16).padStart(12, "0");
  return `${h.slice(0, 4)}.${h.slice(4, 8)}.${h.slice(8, 12)}`;
}

/** Parses IOS dotted-hex "aabb.cc00.0100" (case-insensitive); null if malformed. */
export function parseMacCisco(text: string): number | null {
  if (!/^[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}$/.test(text)) return null;
  return parseInt(text.replaceAll(".", ""), 16);
}

/** Formats as "aa:bb:cc:00:01:00" (the form Wireshark and Linux print). */
export function formatMacColon(mac: number): string {
  return formatMacCisco(mac)
    .replaceAll(".", "")
    .replace(/(..)(?!$)/g, "$1:");
}
