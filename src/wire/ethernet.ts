// Ethernet II frames with an optional IEEE 802.1Q tag. The bytes carry no FCS,
// as in pcap linktype 1 and as frames travel between wanlab actors. Parse
// checks the header fits; emit pads to the 60-byte minimum (64 with FCS) as a
// NIC does. Values below 0x0600 in the type field are 802.3 lengths (CDP,
// STP over LLC); they are returned as-is for the caller to dispatch.

import { readMac, writeMac } from "./mac-address.ts";
import { fail, ok, type Parsed } from "./result.ts";

/*
   0                   1                   2                   3
   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
  |                 Destination MAC (6 octets)                    |
  +                               +-------------------------------+
  |                               |                               |
  +-------------------------------+                               +
  |                   Source MAC (6 octets)                       |
  +-------------------------------+-------------------------------+
  |     EtherType / TPID 0x8100   |  PCP|D|        VID            |  <- tag only
  +-------------------------------+-------------------------------+     if 802.1Q
  |     EtherType (inner)         |  Payload ...
  +-------------------------------+
*/

/** Byte offsets: single numbers are one octet, [start, end) pairs are wider fields. */
export const ETHERNET_FIELD = {
  DESTINATION: [0, 6],
  SOURCE: [6, 12],
  ETHERTYPE: [12, 14],
  /** Present only when ETHERTYPE is 0x8100. */
  TCI: [14, 16],
  INNER_ETHERTYPE: [16, 18],
} as const;

export const ETHERNET_HEADER_LEN = 14;
export const ETHERNET_VLAN_HEADER_LEN = 18;
/** Shortest frame on the wire without FCS (64 with FCS). */
export const ETHERNET_MIN_FRAME_LEN = 60;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_VLAN = 0x8100;

/** An 802.1Q tag: priority code point, drop eligible indicator, VLAN id. */
export interface VlanTag {
  pcp: number;
  dei: boolean;
  vid: number;
}

/** A parsed or to-be-emitted Ethernet II frame. */
export interface EthernetFrame {
  dst: number;
  src: number;
  /** Present if the frame is 802.1Q tagged. */
  vlan?: VlanTag;
  /** Type of the payload (the inner type when tagged). */
  ethertype: number;
  /** Everything after the header, padding included (the upper layer bounds itself). */
  payload: Uint8Array;
}

const FORMAT = "ethernet";

/** Parses a frame; the payload is a view into `bytes`, not a copy. */
export function parseEthernet(bytes: Uint8Array): Parsed<EthernetFrame> {
  if (bytes.length < ETHERNET_HEADER_LEN) return fail(FORMAT, "truncated", `${bytes.length} bytes, header needs 14`);
  const dst = readMac(bytes, 0);
  const src = readMac(bytes, 6);
  const type = (bytes[12]! << 8) | bytes[13]!;
  if (type !== ETHERTYPE_VLAN) {
    return ok({ dst, src, ethertype: type, payload: bytes.subarray(ETHERNET_HEADER_LEN) });
  }
  if (bytes.length < ETHERNET_VLAN_HEADER_LEN)
    return fail(FORMAT, "truncated", `${bytes.length} bytes, 802.1Q header needs 18`);
  const tci = (bytes[14]! << 8) | bytes[15]!;
  return ok({
    dst,
    src,
    vlan: { pcp: tci >>> 13, dei: (tci & 0x1000) !== 0, vid: tci & 0x0fff },
    ethertype: (bytes[16]! << 8) | bytes[17]!,
    payload: bytes.subarray(ETHERNET_VLAN_HEADER_LEN),
  });
}

/** Header length for this frame: 14, or 18 when tagged. */
export function ethernetHeaderLen(frame: Pick<EthernetFrame, "vlan">): number {
  return frame.vlan ? ETHERNET_VLAN_HEADER_LEN : ETHERNET_HEADER_LEN;
}

/** Bytes `emitEthernet` produces: header + payload, padded to 60. */
export function ethernetBufferLen(frame: EthernetFrame): number {
  return Math.max(ETHERNET_MIN_FRAME_LEN, ethernetHeaderLen(frame) + frame.payload.length);
}

/** Writes the header only at `off`; returns the header length. */
export function emitEthernetHeader(frame: Omit<EthernetFrame, "payload">, b: Uint8Array, off = 0): number {
  writeMac(b, off, frame.dst);
  writeMac(b, off + 6, frame.src);
  let o = off + 12;
  if (frame.vlan) {
    const { pcp, dei, vid } = frame.vlan;
    b[o] = ETHERTYPE_VLAN >>> 8;
    b[o + 1] = ETHERTYPE_VLAN & 0xff;
    const tci = ((pcp & 7) << 13) | (dei ? 0x1000 : 0) | (vid & 0x0fff);
    b[o + 2] = tci >>> 8;
    b[o + 3] = tci;
    o += 4;
  }
  b[o] = frame.ethertype >>> 8;
  b[o + 1] = frame.ethertype;
  return o + 2 - off;
}

/** Builds the frame bytes, zero-padded to the 60-byte minimum. */
export function emitEthernet(frame: EthernetFrame): Uint8Array {
  const b = new Uint8Array(ethernetBufferLen(frame)); // zero-filled, so padding is zeros
  const h = emitEthernetHeader(frame, b, 0);
  b.set(frame.payload, h);
  return b;
}

// Hot-path accessors over raw frame bytes at `off`; the caller checked length >= 14.

/** Destination MAC. */
export function ethernetDst(b: Uint8Array, off = 0): number {
  return readMac(b, off);
}
/** Source MAC. */
export function ethernetSrc(b: Uint8Array, off = 0): number {
  return readMac(b, off + 6);
}
/** Outer type field (0x8100 if tagged). */
export function ethernetOuterType(b: Uint8Array, off = 0): number {
  return (b[off + 12]! << 8) | b[off + 13]!;
}
/** Offset of the payload from the frame start: 14, or 18 when tagged. */
export function ethernetPayloadOffset(b: Uint8Array, off = 0): number {
  return ethernetOuterType(b, off) === ETHERTYPE_VLAN ? ETHERNET_VLAN_HEADER_LEN : ETHERNET_HEADER_LEN;
}
/** Payload type, looking through one 802.1Q tag (needs 18 bytes when tagged). */
export function ethernetType(b: Uint8Array, off = 0): number {
  const t = ethernetOuterType(b, off);
  return t === ETHERTYPE_VLAN ? (b[off + 16]! << 8) | b[off + 17]! : t;
}
