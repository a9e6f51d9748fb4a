// ARP for IPv4 over Ethernet (RFC 826). Parse checks the hardware/protocol
// types and lengths are Ethernet/IPv4 (anything else is `unsupported`) and the
// opcode is request or reply. Gratuitous ARP (RFC 5227 announcement, what IOS
// sends on `no shutdown`) is a request whose sender and target IP are equal.

import { readIpv4, writeIpv4 } from "./ipv4-address.ts";
import { readMac, writeMac } from "./mac-address.ts";
import { fail, ok, type Parsed } from "./result.ts";

/*
   0                   1                   2                   3
   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
  |      Hardware type (1)        |     Protocol type (0x0800)    |
  +---------------+---------------+-------------------------------+
  |  HLEN (6)     |  PLEN (4)     |          Operation            |
  +---------------+---------------+-------------------------------+
  |                 Sender hardware address (6)                   |
  +                               +-------------------------------+
  |                               |   Sender protocol address (4) |
  +-------------------------------+                               +
  |                               |                               |
  +-------------------------------+                               +
  |                 Target hardware address (6)                   |
  +-------------------------------+-------------------------------+
  |                 Target protocol address (4)                   |
  +---------------------------------------------------------------+
*/

export const ARP_FIELD = {
  HTYPE: [0, 2],
  PTYPE: [2, 4],
  HLEN: 4,
  PLEN: 5,
  OPER: [6, 8],
  SHA: [8, 14],
  SPA: [14, 18],
  THA: [18, 24],
  TPA: [24, 28],
} as const;

export const ARP_LEN = 28;
export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

/** An Ethernet/IPv4 ARP packet. */
export interface ArpPacket {
  operation: typeof ARP_REQUEST | typeof ARP_REPLY;
  senderMac: number;
  senderIp: number;
  /** Zero in requests (IOS and most stacks send 0000.0000.0000). */
  targetMac: number;
  targetIp: number;
}

const FORMAT = "arp";

/** Parses an ARP packet; bytes beyond 28 (Ethernet padding) are ignored. */
export function parseArp(b: Uint8Array): Parsed<ArpPacket> {
  if (b.length < ARP_LEN) return fail(FORMAT, "truncated", `${b.length} bytes, need 28`);
  const htype = (b[0]! << 8) | b[1]!;
  const ptype = (b[2]! << 8) | b[3]!;
  if (htype !== 1 || ptype !== 0x0800)
    return fail(FORMAT, "unsupported", `htype ${htype} ptype 0x${ptype.toString(16)}`);
  if (b[4] !== 6 || b[5] !== 4) return fail(FORMAT, "badLength", `hlen ${b[4]} plen ${b[5]}`);
  const operation = (b[6]! << 8) | b[7]!;
  if (operation !== ARP_REQUEST && operation !== ARP_REPLY)
    return fail(FORMAT, "unsupported", `operation ${operation}`);
  return ok({
    operation,
    senderMac: readMac(b, 8),
    senderIp: readIpv4(b, 14),
    targetMac: readMac(b, 18),
    targetIp: readIpv4(b, 24),
  });
}

/** Always 28. */
export function arpBufferLen(_p?: ArpPacket): number {
  return ARP_LEN;
}

/** Writes the 28 bytes at `off`; returns 28. */
export function emitArpInto(p: ArpPacket, b: Uint8Array, off = 0): number {
  b.set([0, 1, 8, 0, 6, 4, 0, p.operation], off);
  writeMac(b, off + 8, p.senderMac);
  writeIpv4(b, off + 14, p.senderIp);
  writeMac(b, off + 18, p.targetMac);
  writeIpv4(b, off + 24, p.targetIp);
  return ARP_LEN;
}

/** Builds the 28-byte packet. */
export function emitArp(p: ArpPacket): Uint8Array {
  const b = new Uint8Array(ARP_LEN);
  emitArpInto(p, b, 0);
  return b;
}

/** A who-has request for `targetIp`. */
export function arpRequest(senderMac: number, senderIp: number, targetIp: number): ArpPacket {
  return { operation: ARP_REQUEST, senderMac, senderIp, targetMac: 0, targetIp };
}

/** The reply to `request`, answering that `ourIp` (its target) is at `ourMac`. */
export function arpReply(request: ArpPacket, ourMac: number): ArpPacket {
  return {
    operation: ARP_REPLY,
    senderMac: ourMac,
    senderIp: request.targetIp,
    targetMac: request.senderMac,
    targetIp: request.senderIp,
  };
}

/** A gratuitous ARP announcing `ip` at `mac` (request form, target MAC zero, as IOS sends). */
export function gratuitousArp(mac: number, ip: number): ArpPacket {
  return { operation: ARP_REQUEST, senderMac: mac, senderIp: ip, targetMac: 0, targetIp: ip };
}

/** True if sender and target IP are the same (an announcement, not a question). */
export function isGratuitousArp(p: ArpPacket): boolean {
  return p.senderIp === p.targetIp;
}
