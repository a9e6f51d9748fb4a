// UDP (RFC 768). Parse checks the Length field against the buffer (the
// datagram is Length-bounded) and, when the IPv4 pseudo-header addresses are
// given, the checksum (zero means "not computed" and is accepted). Emit always
// computes the checksum, sending 0xffff for a computed zero (RFC 768).

import { checksumAdd, checksumFinish, pseudoHeaderSum } from "./checksum.ts";
import { IP_PROTO_UDP } from "./ipv4.ts";
import { fail, ok, type Parsed } from "./result.ts";

/*
    0      7 8     15 16    23 24    31
   +--------+--------+--------+--------+
   |     Source      |   Destination   |
   |      Port       |      Port       |
   +--------+--------+--------+--------+
   |                 |                 |
   |     Length      |    Checksum     |
   +--------+--------+--------+--------+
   |          data octets ...
   +---------------- ...
*/

export const UDP_FIELD = {
  SRC_PORT: [0, 2],
  DST_PORT: [2, 4],
  LENGTH: [4, 6],
  CHECKSUM: [6, 8],
  PAYLOAD: 8,
} as const;

export const UDP_HEADER_LEN = 8;

/** A UDP datagram; Length and Checksum are derived on emit. */
export interface UdpDatagram {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

/** The IPv4 addresses a transport checksum covers. */
export interface PseudoHeader {
  src: number;
  dst: number;
}

const FORMAT = "udp";

/** Parses a datagram; verifies the checksum only if `pseudo` is given and the checksum is non-zero. */
export function parseUdp(b: Uint8Array, pseudo?: PseudoHeader): Parsed<UdpDatagram> {
  if (b.length < UDP_HEADER_LEN) return fail(FORMAT, "truncated", `${b.length} bytes, header needs 8`);
  const len = (b[4]! << 8) | b[5]!;
  if (len < UDP_HEADER_LEN) return fail(FORMAT, "badLength", `length ${len} below 8`);
  if (len > b.length) return fail(FORMAT, "truncated", `length ${len}, ${b.length} available`);
  const checksum = (b[6]! << 8) | b[7]!;
  if (pseudo && checksum !== 0) {
    const sum = checksumAdd(pseudoHeaderSum(pseudo.src, pseudo.dst, IP_PROTO_UDP, len), b, 0, len);
    if (checksumFinish(sum) !== 0) return fail(FORMAT, "badChecksum", `checksum 0x${checksum.toString(16)} is wrong`);
  }
  return ok({
    srcPort: (b[0]! << 8) | b[1]!,
    dstPort: (b[2]! << 8) | b[3]!,
    payload: b.subarray(UDP_HEADER_LEN, len),
  });
}

/** Bytes `emitUdp` produces. */
export function udpBufferLen(d: UdpDatagram): number {
  return UDP_HEADER_LEN + d.payload.length;
}

/** Writes the datagram with its checksum at `off`; returns its length. Throws RangeError above 65535 bytes. */
export function emitUdpInto(d: UdpDatagram, pseudo: PseudoHeader, b: Uint8Array, off = 0): number {
  const len = udpBufferLen(d);
  if (len > 0xffff) throw new RangeError(`udp: length ${len} exceeds 65535`);
  b[off] = d.srcPort >>> 8;
  b[off + 1] = d.srcPort;
  b[off + 2] = d.dstPort >>> 8;
  b[off + 3] = d.dstPort;
  b[off + 4] = len >>> 8;
  b[off + 5] = len;
  b[off + 6] = 0;
  b[off + 7] = 0;
  b.set(d.payload, off + UDP_HEADER_LEN);
  const c =
    checksumFinish(checksumAdd(pseudoHeaderSum(pseudo.src, pseudo.dst, IP_PROTO_UDP, len), b, off, off + len)) ||
    0xffff;
  b[off + 6] = c >>> 8;
  b[off + 7] = c;
  return len;
}

/** Builds the datagram; the checksum covers the pseudo-header of `pseudo`. */
export function emitUdp(d: UdpDatagram, pseudo: PseudoHeader): Uint8Array {
  const b = new Uint8Array(udpBufferLen(d));
  emitUdpInto(d, pseudo, b, 0);
  return b;
}

/** Source port at `off` (hot path, e.g. ACL and NAT matching). */
export function udpSrcPort(b: Uint8Array, off = 0): number {
  return (b[off]! << 8) | b[off + 1]!;
}
/** Destination port at `off`. */
export function udpDstPort(b: Uint8Array, off = 0): number {
  return (b[off + 2]! << 8) | b[off + 3]!;
}
