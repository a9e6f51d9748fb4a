// IPv4 header (RFC 791). Parse checks version, IHL, total length against the
// buffer (a longer buffer is fine: Ethernet padding follows the datagram and
// the payload is bounded by Total Length) and the header checksum. Options are
// kept as raw bytes. The fragment offset is exposed in bytes, not 8-byte units.
// Hot-path accessors work on raw bytes at an offset; TTL decrement and address
// rewrites patch the checksum incrementally (RFC 1624).

import { checksumUpdate16, checksumUpdate32, internetChecksum } from "./checksum.ts";
import { readIpv4, writeIpv4 } from "./ipv4-address.ts";
import { fail, ok, type Parsed } from "./result.ts";

/*
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |Version|  IHL  |    DSCP   |ECN|          Total Length         |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |         Identification        |Flags|      Fragment Offset    |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |  Time to Live |    Protocol   |         Header Checksum       |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                       Source Address                          |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                    Destination Address                        |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                    Options                    |    Padding    |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   Flags: bit 0 reserved (must be zero), bit 1 DF, bit 2 MF.
*/

export const IPV4_FIELD = {
  VER_IHL: 0,
  DSCP_ECN: 1,
  TOTAL_LENGTH: [2, 4],
  IDENTIFICATION: [4, 6],
  FLAGS_FRAG_OFFSET: [6, 8],
  TTL: 8,
  PROTOCOL: 9,
  CHECKSUM: [10, 12],
  SOURCE: [12, 16],
  DESTINATION: [16, 20],
  OPTIONS: 20,
} as const;

export const IPV4_MIN_HEADER_LEN = 20;
export const IPV4_MAX_HEADER_LEN = 60;

export const IP_PROTO_ICMP = 1;
export const IP_PROTO_IGMP = 2;
export const IP_PROTO_TCP = 6;
export const IP_PROTO_UDP = 17;
export const IP_PROTO_GRE = 47;
export const IP_PROTO_ESP = 50;
export const IP_PROTO_AH = 51;
export const IP_PROTO_OSPF = 89;
export const IP_PROTO_PIM = 103;

const FLAG_DF = 0x4000;
const FLAG_MF = 0x2000;

/** A parsed or to-be-emitted IPv4 datagram. Header length and total length are derived. */
export interface Ipv4Packet {
  dscp: number;
  ecn: number;
  identification: number;
  dontFragment: boolean;
  moreFragments: boolean;
  /** Offset of this fragment's data in the original datagram, in bytes (a multiple of 8). */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  src: number;
  dst: number;
  /** Raw option bytes incl. padding; a multiple of 4, at most 40. */
  options: Uint8Array;
  /** Data after the header, bounded by Total Length; a view, not a copy. */
  payload: Uint8Array;
}

/** Parse switches; checksum verification is on unless turned off (e.g. for odd captures). */
export interface Ipv4ParseOptions {
  verifyChecksum?: boolean;
}

const FORMAT = "ipv4";

/**
 * Checks that a header at `off` is well-formed and the datagram fits in `b`,
 * after which every accessor below stays in bounds. Returns the header length.
 */
export function checkIpv4(b: Uint8Array, off = 0, verifyChecksum = true): Parsed<number> {
  const avail = b.length - off;
  if (avail < IPV4_MIN_HEADER_LEN) return fail(FORMAT, "truncated", `${avail} bytes, header needs 20`);
  const vihl = b[off]!;
  if (vihl >>> 4 !== 4) return fail(FORMAT, "badVersion", `version ${vihl >>> 4}`);
  const hlen = (vihl & 0x0f) * 4;
  if (hlen < IPV4_MIN_HEADER_LEN) return fail(FORMAT, "badLength", `IHL ${hlen / 4} below 5`);
  if (hlen > avail) return fail(FORMAT, "truncated", `header ${hlen} bytes, ${avail} available`);
  const total = (b[off + 2]! << 8) | b[off + 3]!;
  if (total < hlen) return fail(FORMAT, "badLength", `total length ${total} below header length ${hlen}`);
  if (total > avail) return fail(FORMAT, "truncated", `total length ${total}, ${avail} available`);
  if (verifyChecksum && internetChecksum(b, off, off + hlen) !== 0) {
    const got = (b[off + 10]! << 8) | b[off + 11]!;
    return fail(FORMAT, "badChecksum", `header checksum 0x${got.toString(16).padStart(4, "0")} is wrong`);
  }
  return ok(hlen);
}

/** Parses a datagram at the start of `b`; options and payload are views into `b`. */
export function parseIpv4(b: Uint8Array, opts: Ipv4ParseOptions = {}): Parsed<Ipv4Packet> {
  const checked = checkIpv4(b, 0, opts.verifyChecksum ?? true);
  if (!checked.ok) return checked;
  const hlen = checked.value;
  const total = (b[2]! << 8) | b[3]!;
  const ff = (b[6]! << 8) | b[7]!;
  return ok({
    dscp: b[1]! >>> 2,
    ecn: b[1]! & 3,
    identification: (b[4]! << 8) | b[5]!,
    dontFragment: (ff & FLAG_DF) !== 0,
    moreFragments: (ff & FLAG_MF) !== 0,
    fragmentOffset: (ff & 0x1fff) * 8,
    ttl: b[8]!,
    protocol: b[9]!,
    src: readIpv4(b, 12),
    dst: readIpv4(b, 16),
    options: b.subarray(IPV4_MIN_HEADER_LEN, hlen),
    payload: b.subarray(hlen, total),
  });
}

/** Header length `emitIpv4` writes: 20 + options rounded up to 4. */
export function ipv4HeaderLenOf(p: Pick<Ipv4Packet, "options">): number {
  return IPV4_MIN_HEADER_LEN + ((p.options.length + 3) & ~3);
}

/** Bytes `emitIpv4` produces (header + payload). */
export function ipv4BufferLen(p: Ipv4Packet): number {
  return ipv4HeaderLenOf(p) + p.payload.length;
}

/**
 * Writes the header at `off` for a datagram carrying `payloadLen` bytes, with
 * its checksum; returns the header length. Throws RangeError on a record no
 * wire could carry (options > 40 bytes, total > 65535, offset not /8): those
 * are programming errors, not network input.
 */
export function emitIpv4Header(p: Omit<Ipv4Packet, "payload">, payloadLen: number, b: Uint8Array, off = 0): number {
  const hlen = ipv4HeaderLenOf(p);
  const total = hlen + payloadLen;
  if (hlen > IPV4_MAX_HEADER_LEN) throw new RangeError(`ipv4: ${p.options.length} option bytes exceed 40`);
  if (total > 0xffff) throw new RangeError(`ipv4: total length ${total} exceeds 65535`);
  if (p.fragmentOffset % 8 !== 0 || p.fragmentOffset > 0x1fff * 8) {
    throw new RangeError(`ipv4: fragment offset ${p.fragmentOffset} is not a multiple of 8 below 65536`);
  }
  b[off] = 0x40 | (hlen >>> 2);
  b[off + 1] = ((p.dscp & 0x3f) << 2) | (p.ecn & 3);
  b[off + 2] = total >>> 8;
  b[off + 3] = total;
  b[off + 4] = p.identification >>> 8;
  b[off + 5] = p.identification;
  const ff = (p.dontFragment ? FLAG_DF : 0) | (p.moreFragments ? FLAG_MF : 0) | (p.fragmentOffset / 8);
  b[off + 6] = ff >>> 8;
  b[off + 7] = ff;
  b[off + 8] = p.ttl;
  b[off + 9] = p.protocol;
  b[off + 10] = 0;
  b[off + 11] = 0;
  writeIpv4(b, off + 12, p.src);
  writeIpv4(b, off + 16, p.dst);
  b.set(p.options, off + IPV4_MIN_HEADER_LEN);
  b.fill(0, off + IPV4_MIN_HEADER_LEN + p.options.length, off + hlen); // EOL padding
  const c = internetChecksum(b, off, off + hlen);
  b[off + 10] = c >>> 8;
  b[off + 11] = c;
  return hlen;
}

/** Builds header + payload with a correct checksum. */
export function emitIpv4(p: Ipv4Packet): Uint8Array {
  const b = new Uint8Array(ipv4BufferLen(p));
  const hlen = emitIpv4Header(p, p.payload.length, b, 0);
  b.set(p.payload, hlen);
  return b;
}

// Hot-path accessors on raw bytes at `off`, valid once `checkIpv4` passed.

/** Header length in bytes (IHL * 4). */
export function ipv4HeaderLen(b: Uint8Array, off = 0): number {
  return (b[off]! & 0x0f) * 4;
}
/** Total Length field. */
export function ipv4TotalLength(b: Uint8Array, off = 0): number {
  return (b[off + 2]! << 8) | b[off + 3]!;
}
/** TTL. */
export function ipv4Ttl(b: Uint8Array, off = 0): number {
  return b[off + 8]!;
}
/** Protocol number. */
export function ipv4Protocol(b: Uint8Array, off = 0): number {
  return b[off + 9]!;
}
/** Source address. */
export function ipv4Src(b: Uint8Array, off = 0): number {
  return readIpv4(b, off + 12);
}
/** Destination address. */
export function ipv4Dst(b: Uint8Array, off = 0): number {
  return readIpv4(b, off + 16);
}
/** DSCP (upper six bits of the ToS octet). */
export function ipv4Dscp(b: Uint8Array, off = 0): number {
  return b[off + 1]! >>> 2;
}
/** True if DF is set. */
export function ipv4DontFragment(b: Uint8Array, off = 0): boolean {
  return (b[off + 6]! & 0x40) !== 0;
}
/** True if this is a fragment (MF set or non-zero offset). */
export function ipv4IsFragment(b: Uint8Array, off = 0): boolean {
  return (((b[off + 6]! << 8) | b[off + 7]!) & 0x3fff) !== 0;
}

/**
 * Decrements TTL in place and patches the checksum (RFC 1624); returns the new
 * TTL. The caller drops and answers Time Exceeded when the TTL was <= 1 first.
 */
export function ipv4DecrementTtl(b: Uint8Array, off = 0): number {
  const ttl = b[off + 8]!;
  const oldWord = (ttl << 8) | b[off + 9]!;
  const newTtl = (ttl - 1) & 0xff;
  b[off + 8] = newTtl;
  const c = checksumUpdate16((b[off + 10]! << 8) | b[off + 11]!, oldWord, (newTtl << 8) | b[off + 9]!);
  b[off + 10] = c >>> 8;
  b[off + 11] = c;
  return newTtl;
}

/** Rewrites the source address in place with incremental checksum update (NAT). */
export function ipv4SetSrc(b: Uint8Array, addr: number, off = 0): void {
  setAddress(b, off, 12, addr);
}

/** Rewrites the destination address in place with incremental checksum update (NAT). */
export function ipv4SetDst(b: Uint8Array, addr: number, off = 0): void {
  setAddress(b, off, 16, addr);
}

function setAddress(b: Uint8Array, off: number, at: number, addr: number): void {
  const old = readIpv4(b, off + at);
  writeIpv4(b, off + at, addr);
  const c = checksumUpdate32((b[off + 10]! << 8) | b[off + 11]!, old, addr >>> 0);
  b[off + 10] = c >>> 8;
  b[off + 11] = c;
}

/** True if the header checksum at `off` verifies. */
export function ipv4ChecksumOk(b: Uint8Array, off = 0): boolean {
  return internetChecksum(b, off, off + ipv4HeaderLen(b, off)) === 0;
}
