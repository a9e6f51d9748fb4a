// What NAT reads from and rewrites in an IPv4 datagram, in place: the flow
// (protocol, addresses, TCP/UDP ports or the ICMP query identifier), the
// datagram quoted by an ICMP error, and the rewrite of one endpoint (address,
// then port or identifier) with every checksum that covers the changed words
// patched incrementally (RFC 1624): the IP header checksum, the TCP/UDP
// checksum through its pseudo-header (RFC 768, RFC 9293; a UDP checksum of
// zero means none and stays zero), the ICMP checksum, and, inside an ICMP
// error (RFC 792, RFC 5508), the quoted headers' checksums and the ICMP
// checksum that covers them. Reads are bounded by the datagram: a truncated
// or corrupted datagram gives null, never an exception.

import { checksumUpdate16 } from "../../wire/checksum.ts";
import {
  ICMP_DEST_UNREACHABLE,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  ICMP_HEADER_LEN,
  ICMP_PARAMETER_PROBLEM,
  ICMP_REDIRECT,
  ICMP_TIME_EXCEEDED,
} from "../../wire/icmp.ts";
import { IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP, IPV4_MIN_HEADER_LEN } from "../../wire/ipv4.ts";
import { readIpv4 } from "../../wire/ipv4-address.ts";
import { TCP_FIN, TCP_MIN_HEADER_LEN, TCP_RST } from "../../wire/tcp.ts";
import { UDP_HEADER_LEN } from "../../wire/udp.ts";

/** How NAT treats a datagram. */
export type FlowKind =
  /** TCP or UDP with its ports. */
  | "ports"
  /** An ICMP query (echo, timestamp, information, mask) keyed by its identifier. */
  | "icmpQuery"
  /** An ICMP error quoting another datagram. */
  | "icmpError"
  /** Any other protocol (and other ICMP): addresses only. */
  | "other"
  /** A fragment after the first: addresses only, no transport header. */
  | "laterFragment";

/** The flow of a datagram as NAT sees it. */
export interface Flow {
  kind: FlowKind;
  protocol: number;
  src: number;
  dst: number;
  /** TCP/UDP source port, the ICMP query identifier, else 0. */
  srcPort: number;
  /** TCP/UDP destination port, the ICMP query identifier, else 0. */
  dstPort: number;
  /** IP identification (debug output, fragment tracking). */
  ipId: number;
  /** A first fragment with more to come (its translation is kept for the rest). */
  moreFragments: boolean;
  /** TCP FIN or RST seen (the entry starts timing out). */
  finOrRst: boolean;
  /** For an ICMP error: the offset of the quoted datagram and its flow. */
  quoted?: { offset: number; flow: Flow };
}

/** ICMP types that carry an identifier at bytes 4-5 (echo, timestamp, information, address mask). */
const ICMP_QUERY_TYPES = new Set([ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, 13, 14, 15, 16, 17, 18]);
/** ICMP types that quote the offending datagram (source quench is 4). */
const ICMP_ERROR_TYPES = new Set([ICMP_DEST_UNREACHABLE, 4, ICMP_REDIRECT, ICMP_TIME_EXCEEDED, ICMP_PARAMETER_PROBLEM]);

const read16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;

function write16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

/** True when the datagram at `ip` is a fragment other than the first. */
function laterFragment(b: Uint8Array, ip: number): boolean {
  return (((b[ip + 6]! & 0x1f) << 8) | b[ip + 7]!) !== 0;
}

/**
 * The flow of the datagram at `ip` (bounded by `end`). A quoted datagram
 * (`quoted`) may stop after 8 bytes of transport header, as ICMP errors quote
 * it, and is not looked into further; a datagram NAT cannot make sense of
 * (bad version or header length, a transport header cut short) gives null.
 */
export function readFlow(b: Uint8Array, ip = 0, end = b.length, quoted = false): Flow | null {
  if (end - ip < IPV4_MIN_HEADER_LEN || b[ip]! >>> 4 !== 4) return null;
  const hlen = (b[ip]! & 0x0f) * 4;
  if (hlen < IPV4_MIN_HEADER_LEN || ip + hlen > end) return null;
  const protocol = b[ip + 9]!;
  const flow: Flow = {
    kind: "other",
    protocol,
    src: readIpv4(b, ip + 12),
    dst: readIpv4(b, ip + 16),
    srcPort: 0,
    dstPort: 0,
    ipId: read16(b, ip + 4),
    moreFragments: (b[ip + 6]! & 0x20) !== 0,
    finOrRst: false,
  };
  if (laterFragment(b, ip)) {
    flow.kind = "laterFragment";
    return flow;
  }
  const l4 = ip + hlen;
  const room = end - l4;
  if (protocol === IP_PROTO_TCP || protocol === IP_PROTO_UDP) {
    const need = quoted ? 4 : protocol === IP_PROTO_TCP ? TCP_MIN_HEADER_LEN : UDP_HEADER_LEN;
    if (room < need) return null;
    flow.kind = "ports";
    flow.srcPort = read16(b, l4);
    flow.dstPort = read16(b, l4 + 2);
    if (protocol === IP_PROTO_TCP && !quoted) flow.finOrRst = (b[l4 + 13]! & (TCP_FIN | TCP_RST)) !== 0;
    return flow;
  }
  if (protocol !== IP_PROTO_ICMP) return flow;
  if (room < (quoted ? 6 : ICMP_HEADER_LEN)) return null;
  const type = b[l4]!;
  if (ICMP_QUERY_TYPES.has(type)) {
    flow.kind = "icmpQuery";
    flow.srcPort = flow.dstPort = read16(b, l4 + 4);
    return flow;
  }
  if (quoted || !ICMP_ERROR_TYPES.has(type)) return flow;
  const inner = readFlow(b, l4 + ICMP_HEADER_LEN, end, true);
  if (inner === null) return null;
  flow.kind = "icmpError";
  flow.quoted = { offset: l4 + ICMP_HEADER_LEN, flow: inner };
  return flow;
}

/** A checksum field to keep right when a word it covers changes. */
interface ChecksumField {
  at: number;
  /** UDP: zero means "no checksum" (left alone) and a computed zero is sent as 0xffff. */
  udp: boolean;
}

/**
 * Writes a 16-bit word and patches each checksum over it; `outer` (or -1) is
 * a checksum that covers the word and those checksums too (the ICMP checksum
 * around a quoted datagram).
 */
function patchWord(b: Uint8Array, at: number, value: number, sums: readonly ChecksumField[], outer: number): void {
  const old = read16(b, at);
  if (old === value) return;
  write16(b, at, value);
  if (outer >= 0) write16(b, outer, checksumUpdate16(read16(b, outer), old, value));
  for (const s of sums) {
    const before = read16(b, s.at);
    if (s.udp && before === 0) continue;
    let after = checksumUpdate16(before, old, value);
    if (s.udp && after === 0) after = 0xffff;
    write16(b, s.at, after);
    if (outer >= 0) write16(b, outer, checksumUpdate16(read16(b, outer), before, after));
  }
}

/** Which end of a datagram a rewrite changes. */
export type Side = "src" | "dst";

/**
 * Rewrites one end of the datagram at `ip` (bounded by `end`): its address
 * and, for TCP/UDP, its port, for an ICMP query the identifier (`port` null
 * leaves ports alone). Checksums outside `end` (a quote cut short) are left
 * as they are; `outer` is the ICMP checksum around a quoted datagram, or -1.
 */
export function rewriteEnd(
  b: Uint8Array,
  ip: number,
  end: number,
  side: Side,
  address: number,
  port: number | null,
  outer = -1,
): void {
  const hlen = (b[ip]! & 0x0f) * 4;
  const protocol = b[ip + 9]!;
  const l4 = ip + hlen;
  const first = !laterFragment(b, ip);
  const within = (at: number): boolean => at + 2 <= end;
  const ipSum: ChecksumField[] = within(ip + 10) ? [{ at: ip + 10, udp: false }] : [];
  let l4Sum: ChecksumField[] = [];
  if (first && protocol === IP_PROTO_TCP && within(l4 + 16)) l4Sum = [{ at: l4 + 16, udp: false }];
  if (first && protocol === IP_PROTO_UDP && within(l4 + 6)) l4Sum = [{ at: l4 + 6, udp: true }];
  const addrAt = ip + (side === "src" ? 12 : 16);
  // The addresses are in the TCP/UDP pseudo-header as well as in the IP header.
  const addrSums = [...ipSum, ...l4Sum];
  patchWord(b, addrAt, address >>> 16, addrSums, outer);
  patchWord(b, addrAt + 2, address & 0xffff, addrSums, outer);
  if (port === null || !first) return;
  if ((protocol === IP_PROTO_TCP || protocol === IP_PROTO_UDP) && within(l4 + (side === "src" ? 0 : 2))) {
    patchWord(b, l4 + (side === "src" ? 0 : 2), port, l4Sum, outer);
  } else if (protocol === IP_PROTO_ICMP && within(l4 + 4) && ICMP_QUERY_TYPES.has(b[l4]!)) {
    patchWord(b, l4 + 4, port, within(l4 + 2) ? [{ at: l4 + 2, udp: false }] : [], outer);
  }
}

/** The ICMP checksum offset of an ICMP error at `ip`. */
export function icmpChecksumAt(b: Uint8Array, ip: number): number {
  return ip + (b[ip]! & 0x0f) * 4 + 2;
}
