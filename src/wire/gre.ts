// Generic Routing Encapsulation (RFC 2784) with the key and sequence number
// extensions of RFC 2890: the 4-byte base header (C, K and S flags, version
// 0, protocol type), then the optional checksum (RFC 2784: ones' complement
// of the GRE header and payload, with 16 reserved bits), key and sequence
// number, in that order. Parse refuses version 1 (PPTP's enhanced GRE) and
// the reserved bits RFC 2784 says a receiver must discard (the RFC 1701
// routing, strict source route and recursion fields). IOS sends keepalives as
// GRE packets whose protocol type is 0 (see GRE_PROTO_KEEPALIVE).

import { internetChecksum } from "./checksum.ts";
import { readIpv4 as readU32, writeIpv4 as writeU32 } from "./ipv4-address.ts";
import { fail, ok, type Parsed } from "./result.ts";

/*
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |C| |K|S| Reserved0       | Ver |         Protocol Type         |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |      Checksum (optional)      |       Reserved1 (Optional)    |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                         Key (optional)                        |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                 Sequence Number (Optional)                    |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
*/

export const GRE_FIELD = {
  FLAGS: [0, 2],
  PROTOCOL: [2, 4],
} as const;

export const GRE_BASE_LEN = 4;
/** The C bit: checksum and Reserved1 present (RFC 2784). */
export const GRE_FLAG_CHECKSUM = 0x8000;
/** The K bit: key present (RFC 2890). */
export const GRE_FLAG_KEY = 0x2000;
/** The S bit: sequence number present (RFC 2890). */
export const GRE_FLAG_SEQUENCE = 0x1000;
/** Reserved0 bits 1 and 4-12 (RFC 1701's R, s, Recur and flags) and the version: must be zero. */
const GRE_MUST_BE_ZERO = 0x4fff;
/** Protocol type of an IPv4 payload (an Ethertype). */
export const GRE_PROTO_IPV4 = 0x0800;
/** Protocol type IOS gives the inner header of a GRE keepalive (reserved value 0). */
export const GRE_PROTO_KEEPALIVE = 0x0000;

/** A GRE packet. */
export interface GrePacket {
  /** C bit: a checksum over header and payload is carried (and verified on parse). */
  checksum: boolean;
  /** RFC 2890 key, or null when the K bit is clear. */
  key: number | null;
  /** RFC 2890 sequence number, or null when the S bit is clear. */
  sequence: number | null;
  /** Ethertype of the payload (0x0800 for IPv4). */
  protocol: number;
  payload: Uint8Array;
}

/** Length of the header a packet with these options carries. */
export function greHeaderLen(p: Pick<GrePacket, "checksum" | "key" | "sequence">): number {
  return GRE_BASE_LEN + (p.checksum ? 4 : 0) + (p.key !== null ? 4 : 0) + (p.sequence !== null ? 4 : 0);
}

/** Parses a GRE packet; the payload is a view into `b`. Never throws. */
export function parseGre(b: Uint8Array): Parsed<GrePacket> {
  if (b.length < GRE_BASE_LEN) return fail("gre", "truncated", `${b.length} bytes, header needs 4`);
  const flags = (b[0]! << 8) | b[1]!;
  const version = flags & 7;
  if (version !== 0) return fail("gre", "badVersion", `version ${version}`);
  if ((flags & GRE_MUST_BE_ZERO) !== 0) return fail("gre", "unsupported", `reserved bits 0x${flags.toString(16)}`);
  const checksum = (flags & GRE_FLAG_CHECKSUM) !== 0;
  const hasKey = (flags & GRE_FLAG_KEY) !== 0;
  const hasSequence = (flags & GRE_FLAG_SEQUENCE) !== 0;
  const headerLen = GRE_BASE_LEN + (checksum ? 4 : 0) + (hasKey ? 4 : 0) + (hasSequence ? 4 : 0);
  if (b.length < headerLen) return fail("gre", "truncated", `${b.length} bytes, header needs ${headerLen}`);
  if (checksum && internetChecksum(b) !== 0) return fail("gre", "badChecksum", "GRE checksum does not verify");
  let off = GRE_BASE_LEN + (checksum ? 4 : 0);
  let key: number | null = null;
  if (hasKey) {
    key = readU32(b, off);
    off += 4;
  }
  let sequence: number | null = null;
  if (hasSequence) {
    sequence = readU32(b, off);
    off += 4;
  }
  return ok({ checksum, key, sequence, protocol: (b[2]! << 8) | b[3]!, payload: b.subarray(off) });
}

/**
 * Writes the header of `p` at `off` of `b`, where the payload already follows
 * it (the checksum covers it); returns the header length.
 */
export function emitGreHeader(p: Omit<GrePacket, "payload">, payloadLen: number, b: Uint8Array, off = 0): number {
  const flags =
    (p.checksum ? GRE_FLAG_CHECKSUM : 0) |
    (p.key !== null ? GRE_FLAG_KEY : 0) |
    (p.sequence !== null ? GRE_FLAG_SEQUENCE : 0);
  b[off] = flags >>> 8;
  b[off + 1] = flags & 0xff;
  b[off + 2] = (p.protocol >>> 8) & 0xff;
  b[off + 3] = p.protocol & 0xff;
  let o = off + GRE_BASE_LEN;
  if (p.checksum) {
    b.fill(0, o, o + 4);
    o += 4;
  }
  if (p.key !== null) {
    writeU32(b, o, p.key);
    o += 4;
  }
  if (p.sequence !== null) {
    writeU32(b, o, p.sequence);
    o += 4;
  }
  const headerLen = o - off;
  if (p.checksum) {
    const sum = internetChecksum(b, off, off + headerLen + payloadLen);
    b[off + 4] = sum >>> 8;
    b[off + 5] = sum & 0xff;
  }
  return headerLen;
}

/** Builds the packet bytes. */
export function emitGre(p: GrePacket): Uint8Array {
  const headerLen = greHeaderLen(p);
  const b = new Uint8Array(headerLen + p.payload.length);
  b.set(p.payload, headerLen);
  emitGreHeader(p, p.payload.length, b, 0);
  return b;
}
