// Cisco metadata (CMD) as a GETVPN member puts it inside ESP when its group
// uses time-based anti-replay (TBAR): the sender's pseudotime travels inside
// the encrypted payload, in front of the protected datagram, and ESP's Next
// Header says "metadata follows" (IP protocol 99, "any private encryption
// scheme") instead of IPv4. The metadata's own Next Header then names the
// datagram behind it. Cisco has not published this layout; it follows the
// CMD layout Wireshark dissects on Ethernet (version, length, then options
// whose first word is type and length) with the pseudotime in one option.
// Wireshark has no dissector for protocol 99 and shows the decrypted payload
// as data, which is what it shows for IOS's captures too.

import { put16, put32, u16, u32 } from "./bytes.ts";
import { fail, ok, type Parsed } from "./result.ts";

/*
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |  Next Header  |    Length     |    Version    |   Reserved    |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |      Option Type (TBAR)       |      Option Length (4)        |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                 Pseudotime (milliseconds)                     |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   Length is the whole metadata in octets (options included); options the
   receiver does not know are skipped by their length.
*/

/** ESP Next Header of a payload that starts with Cisco metadata. */
export const IP_PROTO_CISCO_METADATA = 99;
/** The metadata version this layout is. */
export const CMD_VERSION = 1;
/** Option carrying the sender's pseudotime. */
export const CMD_OPTION_TBAR = 2;
/** Bytes of metadata with the TBAR option. */
export const CMD_TBAR_LENGTH = 12;

const FIXED = 4;

/** What the metadata in front of a datagram says. */
export interface CiscoMetadata {
  /** IP protocol of what follows the metadata (4: IPv4). */
  nextHeader: number;
  /** Octets of metadata: the datagram starts here. */
  length: number;
  /** The sender's pseudotime in milliseconds, when it sent the TBAR option. */
  pseudotimeMs?: number;
}

/** Writes metadata with the TBAR option (CMD_TBAR_LENGTH bytes) at `off`; returns the length. */
export function emitTbarMetadataInto(pseudotimeMs: number, nextHeader: number, b: Uint8Array, off = 0): number {
  b[off] = nextHeader;
  b[off + 1] = CMD_TBAR_LENGTH;
  b[off + 2] = CMD_VERSION;
  b[off + 3] = 0;
  put16(b, off + 4, CMD_OPTION_TBAR);
  put16(b, off + 6, 4);
  put32(b, off + 8, pseudotimeMs >>> 0);
  return CMD_TBAR_LENGTH;
}

/** Reads the metadata at the start of a decrypted ESP payload. Never throws. */
export function parseCiscoMetadata(b: Uint8Array): Parsed<CiscoMetadata> {
  if (b.length < FIXED) return fail("cmd", "truncated", `${b.length} bytes, header needs ${FIXED}`);
  const length = b[1]!;
  if (b[2] !== CMD_VERSION) return fail("cmd", "badVersion", `version ${b[2]}`);
  if (length < FIXED || length % 4 !== 0) return fail("cmd", "badLength", `length ${length}`);
  if (length > b.length) return fail("cmd", "truncated", `length ${length} beyond ${b.length} bytes`);
  const md: CiscoMetadata = { nextHeader: b[0]!, length };
  for (let at = FIXED; at < length; ) {
    if (at + 4 > length) return fail("cmd", "badLength", `option header at ${at} beyond length ${length}`);
    const type = u16(b, at);
    const optionLength = u16(b, at + 2);
    if (at + 4 + optionLength > length)
      return fail("cmd", "badLength", `option ${type} of ${optionLength} bytes beyond length ${length}`);
    if (type === CMD_OPTION_TBAR) {
      if (optionLength !== 4) return fail("cmd", "badLength", `TBAR option of ${optionLength} bytes`);
      md.pseudotimeMs = u32(b, at + 4);
    }
    at += 4 + ((optionLength + 3) & ~3);
  }
  return ok(md);
}
