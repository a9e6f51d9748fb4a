// Cisco HDLC framing for serial links, as pcap linktype 104 (DLT_C_HDLC)
// carries it: address, control, 2-byte protocol, no flags or FCS. Parse checks
// the address (0x0F unicast, 0x8F broadcast) and control (0x00). Also SLARP
// (Serial Line ARP, protocol 0x8035), which IOS uses for serial keepalives
// ("keepalive 10": myseq/yourseq exchange) and address requests. Cisco HDLC has
// no RFC; the layout follows Cisco's documentation and Linux hdlc_cisco.c.

import { readIpv4, writeIpv4 } from "./ipv4-address.ts";
import { fail, ok, type Parsed } from "./result.ts";

/*
    0               1               2               3
    0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7
   +---------------+---------------+-------------------------------+
   | Address 0x0F  | Control 0x00  |        Protocol (0x0800)      |
   | or 0x8F bcast |               |    0x8035 SLARP, 0x2000 CDP   |
   +---------------+---------------+-------------------------------+
   |  Payload ...
*/

export const HDLC_FIELD = {
  ADDRESS: 0,
  CONTROL: 1,
  PROTOCOL: [2, 4],
  PAYLOAD: 4,
} as const;

export const HDLC_HEADER_LEN = 4;
export const HDLC_ADDRESS_UNICAST = 0x0f;
export const HDLC_ADDRESS_BROADCAST = 0x8f;
export const HDLC_PROTO_IPV4 = 0x0800;
export const HDLC_PROTO_SLARP = 0x8035;
export const HDLC_PROTO_CDP = 0x2000;

/** A Cisco HDLC frame. */
export interface HdlcFrame {
  /** HDLC_ADDRESS_UNICAST or HDLC_ADDRESS_BROADCAST (IOS sends SLARP as broadcast). */
  address: number;
  protocol: number;
  payload: Uint8Array;
}

/** Parses a frame; the payload is a view into `b`. */
export function parseHdlc(b: Uint8Array): Parsed<HdlcFrame> {
  if (b.length < HDLC_HEADER_LEN) return fail("hdlc", "truncated", `${b.length} bytes, header needs 4`);
  const address = b[0]!;
  if (address !== HDLC_ADDRESS_UNICAST && address !== HDLC_ADDRESS_BROADCAST) {
    return fail("hdlc", "badValue", `address 0x${address.toString(16)}`);
  }
  if (b[1] !== 0) return fail("hdlc", "badValue", `control 0x${b[1]!.toString(16)}`);
  return ok({ address, protocol: (b[2]! << 8) | b[3]!, payload: b.subarray(HDLC_HEADER_LEN) });
}

/** Bytes `emitHdlc` produces. */
export function hdlcBufferLen(f: HdlcFrame): number {
  return HDLC_HEADER_LEN + f.payload.length;
}

/** Writes the 4-byte header at `off`; returns 4. */
export function emitHdlcHeader(f: Omit<HdlcFrame, "payload">, b: Uint8Array, off = 0): number {
  b[off] = f.address;
  b[off + 1] = 0;
  b[off + 2] = f.protocol >>> 8;
  b[off + 3] = f.protocol;
  return HDLC_HEADER_LEN;
}

/** Builds the frame bytes. */
export function emitHdlc(f: HdlcFrame): Uint8Array {
  const b = new Uint8Array(hdlcBufferLen(f));
  emitHdlcHeader(f, b, 0);
  b.set(f.payload, HDLC_HEADER_LEN);
  return b;
}

/** Protocol field of a raw frame at `off` (hot path). */
export function hdlcProtocol(b: Uint8Array, off = 0): number {
  return (b[off + 2]! << 8) | b[off + 3]!;
}

/*
   SLARP, 18 bytes (14 are accepted: some senders omit the trailing time):
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |          Code: 0 request, 1 reply, 2 keepalive (line check)   |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |              Address  /  My sequence (keepalive)              |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |              Mask     /  Your sequence (keepalive)            |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |     Reliability (0xFFFF)      |     Time (uptime, ms) ...     |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |       ... Time                |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
*/

export const SLARP_FIELD = {
  CODE: [0, 4],
  ADDRESS: [4, 8],
  MY_SEQ: [4, 8],
  MASK: [8, 12],
  YOUR_SEQ: [8, 12],
  RELIABILITY: [12, 14],
  TIME: [14, 18],
} as const;

export const SLARP_LEN = 18;
export const SLARP_MIN_LEN = 14;
export const SLARP_REQUEST = 0;
export const SLARP_REPLY = 1;
export const SLARP_KEEPALIVE = 2;

/** A SLARP packet: an address request/reply or a keepalive. */
export type SlarpPacket = (
  | { kind: "request" | "reply"; address: number; mask: number }
  | { kind: "keepalive"; mySeq: number; yourSeq: number }
) & {
  /** 0xFFFF as IOS sends it. */
  reliability: number;
  /** Sender uptime in ms (0 if the packet was 14 bytes). */
  timeMs: number;
};

/** Parses a SLARP packet; bytes past 18 are ignored. */
export function parseSlarp(b: Uint8Array): Parsed<SlarpPacket> {
  if (b.length < SLARP_MIN_LEN) return fail("slarp", "truncated", `${b.length} bytes, need 14`);
  const code = readIpv4(b, 0);
  const p1 = readIpv4(b, 4);
  const p2 = readIpv4(b, 8);
  const reliability = (b[12]! << 8) | b[13]!;
  const timeMs = b.length >= SLARP_LEN ? readIpv4(b, 14) : 0;
  switch (code) {
    case SLARP_REQUEST:
    case SLARP_REPLY:
      return ok({ kind: code === SLARP_REQUEST ? "request" : "reply", address: p1, mask: p2, reliability, timeMs });
    case SLARP_KEEPALIVE:
      return ok({ kind: "keepalive", mySeq: p1, yourSeq: p2, reliability, timeMs });
    default:
      return fail("slarp", "badValue", `code ${code}`);
  }
}

/** Always 18. */
export function slarpBufferLen(_p?: SlarpPacket): number {
  return SLARP_LEN;
}

/** Writes the 18 bytes at `off`; returns 18. */
export function emitSlarpInto(p: SlarpPacket, b: Uint8Array, off = 0): number {
  const keep = p.kind === "keepalive";
  writeIpv4(b, off, keep ? SLARP_KEEPALIVE : p.kind === "request" ? SLARP_REQUEST : SLARP_REPLY);
  writeIpv4(b, off + 4, keep ? p.mySeq : p.address);
  writeIpv4(b, off + 8, keep ? p.yourSeq : p.mask);
  b[off + 12] = p.reliability >>> 8;
  b[off + 13] = p.reliability;
  writeIpv4(b, off + 14, p.timeMs);
  return SLARP_LEN;
}

/** Builds the 18-byte packet. */
export function emitSlarp(p: SlarpPacket): Uint8Array {
  const b = new Uint8Array(SLARP_LEN);
  emitSlarpInto(p, b, 0);
  return b;
}

/** A keepalive as IOS sends it every keepalive period. */
export function slarpKeepalive(mySeq: number, yourSeq: number, timeMs = 0): SlarpPacket {
  return { kind: "keepalive", mySeq: mySeq >>> 0, yourSeq: yourSeq >>> 0, reliability: 0xffff, timeMs: timeMs >>> 0 };
}
