// EIGRP packets (RFC 7868 section 6, classic TLVs as IOS and FRRouting's
// eigrpd send them): a 20-byte header (version 2, opcode, checksum over the
// whole packet, flags INIT/CR/RS/EOT, sequence, acknowledgment, virtual router
// id 0 and the autonomous system) followed by TLVs of type, length and value.
// The TLVs known here are the parameters (K-values and hold time; K1-K5 all
// 255 is the peer-termination "goodbye" IOS and FRR send), authentication
// (MD5), sequence (the addresses a CR packet is not for), software version,
// next multicast sequence, peer stub information, and the classic IPv4 internal (0x0102) and external
// (0x0103) routes with their 16-byte metric block and a destination of
// 1 + ceil(length / 8) bytes. Other TLVs are kept as opaque bytes so a
// receiver can skip them. Parsing never throws; it checks the version, the
// checksum, every TLV length and every prefix length.

import { md5 } from "@noble/hashes/legacy.js";
import { put16, put32 } from "./bytes.ts";
import { checksumAdd, checksumFinish } from "./checksum.ts";
import { fail, ok, type Parsed } from "./result.ts";

/*
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |Header Version |    Opcode     |           Checksum            |
   |                             Flags                             |
   |                        Sequence Number                        |
   |                     Acknowledgment Number                     |
   |   Virtual Router Identifier   |    Autonomous System Number   |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
*/

/** IP protocol number of EIGRP. */
export const IP_PROTO_EIGRP = 88;
/** 224.0.0.10, EIGRP's link-local group. */
export const EIGRP_GROUP = 0xe000000a;
export const EIGRP_VERSION = 2;
export const EIGRP_HEADER_LEN = 20;

/** Header flags (RFC 7868 6.5). */
export const EIGRP_FLAG = { INIT: 0x1, CR: 0x2, RS: 0x4, EOT: 0x8 } as const;

export type EigrpOpcode = "update" | "query" | "reply" | "hello" | "siaQuery" | "siaReply";
const OPCODE_CODE: Readonly<Record<EigrpOpcode, number>> = {
  update: 1,
  query: 3,
  reply: 4,
  hello: 5,
  siaQuery: 10,
  siaReply: 11,
};
const OPCODE_BY_CODE = new Map(Object.entries(OPCODE_CODE).map(([k, v]) => [v, k as EigrpOpcode]));

/** TLV type codes (RFC 7868 6.6-6.9). */
export const EIGRP_TLV = {
  PARAMETERS: 0x0001,
  AUTHENTICATION: 0x0002,
  SEQUENCE: 0x0003,
  SOFTWARE_VERSION: 0x0004,
  NEXT_MULTICAST_SEQUENCE: 0x0005,
  STUB: 0x0006,
  IPV4_INTERNAL: 0x0102,
  IPV4_EXTERNAL: 0x0103,
} as const;

/** Flags of the stub TLV: what an `eigrp stub` router advertises. */
export const EIGRP_STUB = {
  CONNECTED: 0x01,
  STATIC: 0x02,
  SUMMARY: 0x04,
  RECEIVE_ONLY: 0x08,
  REDISTRIBUTED: 0x10,
} as const;

/** The scaled delay that means unreachable. */
export const EIGRP_UNREACHABLE_DELAY = 0xffffffff;
/** MD5 authentication type and digest size. */
export const EIGRP_AUTH_MD5 = 2;
export const EIGRP_MD5_LEN = 16;
/** Length of the whole MD5 authentication TLV (type, length, type, length, key id, sequence, 8 pad, digest). */
export const EIGRP_AUTH_TLV_LEN = 40;

/** The classic metric block (RFC 7868 6.9.3.1): delay and bandwidth already scaled by 256. */
export interface EigrpMetric {
  /** Sum of delays in tens of microseconds × 256; 0xFFFFFFFF is unreachable. */
  delay: number;
  /** 256 × 10^7 / minimum bandwidth in kbit/s. */
  bandwidth: number;
  mtu: number;
  hopCount: number;
  reliability: number;
  load: number;
  internalTag: number;
  flags: number;
}

/** What an external route adds (RFC 7868 6.9.3.3). */
export interface EigrpExternalData {
  originatingRouter: number;
  originatingAs: number;
  tag: number;
  externalMetric: number;
  /** External protocol id: 1 IGRP, 2 EIGRP, 3 static, 4 RIP, 5 HELLO, 6 OSPF, 7 IS-IS, 8 EGP, 9 BGP, 10 IDRP, 11 connected. */
  protocol: number;
  flags: number;
}

/** An IPv4 route TLV (one destination). */
export interface EigrpRoute {
  nextHop: number;
  metric: EigrpMetric;
  prefix: number;
  length: number;
  external?: EigrpExternalData;
}

export type EigrpTlv =
  | { type: "parameters"; k: [number, number, number, number, number, number]; holdTime: number }
  | { type: "authentication"; authType: number; keyId: number; keySequence: number; digest: Uint8Array }
  | { type: "sequence"; addresses: number[] }
  | { type: "softwareVersion"; ios: [number, number]; eigrp: [number, number] }
  | { type: "nextMulticastSequence"; sequence: number }
  /** Peer stub information (in hellos of an `eigrp stub` router): which routes it advertises (EIGRP_STUB). */
  | { type: "stub"; flags: number }
  | { type: "internal"; route: EigrpRoute }
  | { type: "external"; route: EigrpRoute }
  | { type: "unknown"; code: number; value: Uint8Array };

export interface EigrpPacket {
  opcode: EigrpOpcode;
  flags: number;
  sequence: number;
  ack: number;
  as: number;
  tlvs: EigrpTlv[];
}

/** K1-K5 all 255: the parameters of a goodbye (peer termination). */
export function isGoodbye(tlv: EigrpTlv): boolean {
  return tlv.type === "parameters" && tlv.k.slice(0, 5).every((k) => k === 255);
}

// ---- emit -------------------------------------------------------------------

/** Bytes a destination takes: the prefix length, then the significant address bytes (at least one). */
function destinationLen(length: number): number {
  return 1 + Math.max(1, Math.ceil(length / 8));
}

function tlvLength(t: EigrpTlv): number {
  switch (t.type) {
    case "parameters":
      return 12;
    case "authentication":
      return EIGRP_AUTH_TLV_LEN;
    case "sequence":
      return 4 + t.addresses.length * 5;
    case "softwareVersion":
    case "nextMulticastSequence":
      return 8;
    case "stub":
      return 6;
    case "internal":
      return 4 + 4 + 16 + destinationLen(t.route.length);
    case "external":
      return 4 + 4 + 20 + 16 + destinationLen(t.route.length);
    case "unknown":
      return 4 + t.value.length;
  }
}

function putMetric(b: Uint8Array, o: number, m: EigrpMetric): void {
  put32(b, o, m.delay);
  put32(b, o + 4, m.bandwidth);
  b[o + 8] = (m.mtu >>> 16) & 0xff;
  b[o + 9] = (m.mtu >>> 8) & 0xff;
  b[o + 10] = m.mtu & 0xff;
  b[o + 11] = m.hopCount;
  b[o + 12] = m.reliability;
  b[o + 13] = m.load;
  b[o + 14] = m.internalTag;
  b[o + 15] = m.flags;
}

function putDestination(b: Uint8Array, o: number, r: EigrpRoute): void {
  b[o] = r.length;
  const n = Math.max(1, Math.ceil(r.length / 8));
  for (let i = 0; i < n; i++) b[o + 1 + i] = (r.prefix >>> (24 - 8 * i)) & 0xff;
}

function putTlv(b: Uint8Array, o: number, t: EigrpTlv): number {
  const len = tlvLength(t);
  const code =
    t.type === "unknown"
      ? t.code
      : {
          parameters: EIGRP_TLV.PARAMETERS,
          authentication: EIGRP_TLV.AUTHENTICATION,
          sequence: EIGRP_TLV.SEQUENCE,
          softwareVersion: EIGRP_TLV.SOFTWARE_VERSION,
          nextMulticastSequence: EIGRP_TLV.NEXT_MULTICAST_SEQUENCE,
          stub: EIGRP_TLV.STUB,
          internal: EIGRP_TLV.IPV4_INTERNAL,
          external: EIGRP_TLV.IPV4_EXTERNAL,
        }[t.type];
  put16(b, o, code);
  put16(b, o + 2, len);
  const v = o + 4;
  switch (t.type) {
    case "parameters":
      for (let i = 0; i < 6; i++) b[v + i] = t.k[i]!;
      put16(b, v + 6, t.holdTime);
      break;
    case "authentication":
      put16(b, v, t.authType);
      put16(b, v + 2, EIGRP_MD5_LEN);
      put32(b, v + 4, t.keyId);
      put32(b, v + 8, t.keySequence);
      // 8 bytes of null pad, then the digest.
      b.set(t.digest.subarray(0, EIGRP_MD5_LEN), v + 20);
      break;
    case "sequence":
      t.addresses.forEach((a, i) => {
        b[v + i * 5] = 4;
        put32(b, v + i * 5 + 1, a);
      });
      break;
    case "softwareVersion":
      b[v] = t.ios[0];
      b[v + 1] = t.ios[1];
      b[v + 2] = t.eigrp[0];
      b[v + 3] = t.eigrp[1];
      break;
    case "nextMulticastSequence":
      put32(b, v, t.sequence);
      break;
    case "stub":
      put16(b, v, t.flags);
      break;
    case "internal":
      put32(b, v, t.route.nextHop);
      putMetric(b, v + 4, t.route.metric);
      putDestination(b, v + 20, t.route);
      break;
    case "external": {
      const x = t.route.external ?? {
        originatingRouter: 0,
        originatingAs: 0,
        tag: 0,
        externalMetric: 0,
        protocol: 0,
        flags: 0,
      };
      put32(b, v, t.route.nextHop);
      put32(b, v + 4, x.originatingRouter);
      put32(b, v + 8, x.originatingAs);
      put32(b, v + 12, x.tag);
      put32(b, v + 16, x.externalMetric);
      // two reserved bytes
      b[v + 22] = x.protocol;
      b[v + 23] = x.flags;
      putMetric(b, v + 24, t.route.metric);
      putDestination(b, v + 40, t.route);
      break;
    }
    case "unknown":
      b.set(t.value, v);
      break;
  }
  return len;
}

/**
 * Emits a packet with its checksum. With `md5Key`, the authentication TLV (which must come first) gets its
 * digest (eigrpMd5Digest), computed before the checksum, as IOS and FRR do.
 */
export function emitEigrp(p: EigrpPacket, md5Key?: Uint8Array): Uint8Array {
  let len = EIGRP_HEADER_LEN;
  for (const t of p.tlvs) len += tlvLength(t);
  const b = new Uint8Array(len);
  b[0] = EIGRP_VERSION;
  b[1] = OPCODE_CODE[p.opcode];
  put32(b, 4, p.flags);
  put32(b, 8, p.sequence);
  put32(b, 12, p.ack);
  put16(b, 16, 0);
  put16(b, 18, p.as);
  let o = EIGRP_HEADER_LEN;
  for (const t of p.tlvs) o += putTlv(b, o, t);
  if (md5Key !== undefined && p.tlvs[0]?.type === "authentication") {
    b.fill(0, MD5_DIGEST_AT, MD5_DIGEST_AT + EIGRP_MD5_LEN);
    b.set(eigrpMd5Digest(b, md5Key), MD5_DIGEST_AT);
  }
  put16(b, 2, checksumFinish(checksumAdd(0, b)));
  return b;
}

// ---- parse ------------------------------------------------------------------

const FORMAT = "eigrp";

function get32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function get16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

function getMetric(b: Uint8Array, o: number): EigrpMetric {
  return {
    delay: get32(b, o),
    bandwidth: get32(b, o + 4),
    mtu: (b[o + 8]! << 16) | (b[o + 9]! << 8) | b[o + 10]!,
    hopCount: b[o + 11]!,
    reliability: b[o + 12]!,
    load: b[o + 13]!,
    internalTag: b[o + 14]!,
    flags: b[o + 15]!,
  };
}

/** The destination at `o` within a TLV value ending at `end`, or an error. */
function getDestination(b: Uint8Array, o: number, end: number): Parsed<{ prefix: number; length: number }> {
  if (o >= end) return fail(FORMAT, "truncated", "route TLV without a destination");
  const length = b[o]!;
  if (length > 32) return fail(FORMAT, "badValue", `prefix length ${length} above 32`);
  const n = Math.max(1, Math.ceil(length / 8));
  if (o + 1 + n !== end)
    return fail(FORMAT, "badLength", `destination of /${length} needs ${n} bytes, has ${end - o - 1}`);
  let prefix = 0;
  for (let i = 0; i < n; i++) prefix |= b[o + 1 + i]! << (24 - 8 * i);
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return ok({ prefix: (prefix & mask) >>> 0, length });
}

function parseTlv(b: Uint8Array, code: number, v: number, end: number): Parsed<EigrpTlv> {
  const len = end - v;
  const need = (n: number, what: string): Parsed<never> | null =>
    len < n ? fail(FORMAT, "badLength", `${what} TLV of ${len + 4} bytes, needs ${n + 4}`) : null;
  switch (code) {
    case EIGRP_TLV.PARAMETERS: {
      const e = need(8, "parameters");
      if (e) return e;
      const k = [b[v]!, b[v + 1]!, b[v + 2]!, b[v + 3]!, b[v + 4]!, b[v + 5]!] as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      return ok({ type: "parameters", k, holdTime: get16(b, v + 6) });
    }
    case EIGRP_TLV.AUTHENTICATION: {
      const e = need(EIGRP_AUTH_TLV_LEN - 4, "authentication");
      if (e) return e;
      const authType = get16(b, v);
      if (authType === EIGRP_AUTH_MD5 && get16(b, v + 2) !== EIGRP_MD5_LEN)
        return fail(FORMAT, "badValue", `MD5 digest length ${get16(b, v + 2)}`);
      return ok({
        type: "authentication",
        authType,
        keyId: get32(b, v + 4),
        keySequence: get32(b, v + 8),
        digest: b.slice(v + 20, v + 36),
      });
    }
    case EIGRP_TLV.SEQUENCE: {
      const addresses: number[] = [];
      let o = v;
      while (o < end) {
        const n = b[o]!;
        if (n !== 4 || o + 1 + n > end) return fail(FORMAT, "badValue", `sequence TLV address of length ${n}`);
        addresses.push(get32(b, o + 1));
        o += 1 + n;
      }
      return ok({ type: "sequence", addresses });
    }
    case EIGRP_TLV.SOFTWARE_VERSION: {
      const e = need(4, "software version");
      if (e) return e;
      return ok({ type: "softwareVersion", ios: [b[v]!, b[v + 1]!], eigrp: [b[v + 2]!, b[v + 3]!] });
    }
    case EIGRP_TLV.STUB: {
      const e = need(2, "stub");
      if (e) return e;
      return ok({ type: "stub", flags: get16(b, v) });
    }
    case EIGRP_TLV.NEXT_MULTICAST_SEQUENCE: {
      const e = need(4, "next multicast sequence");
      if (e) return e;
      return ok({ type: "nextMulticastSequence", sequence: get32(b, v) });
    }
    case EIGRP_TLV.IPV4_INTERNAL: {
      const e = need(22, "IPv4 internal");
      if (e) return e;
      const d = getDestination(b, v + 20, end);
      if (!d.ok) return d;
      return ok({ type: "internal", route: { nextHop: get32(b, v), metric: getMetric(b, v + 4), ...d.value } });
    }
    case EIGRP_TLV.IPV4_EXTERNAL: {
      const e = need(42, "IPv4 external");
      if (e) return e;
      const d = getDestination(b, v + 40, end);
      if (!d.ok) return d;
      const external: EigrpExternalData = {
        originatingRouter: get32(b, v + 4),
        originatingAs: get32(b, v + 8),
        tag: get32(b, v + 12),
        externalMetric: get32(b, v + 16),
        protocol: b[v + 22]!,
        flags: b[v + 23]!,
      };
      return ok({
        type: "external",
        route: { nextHop: get32(b, v), metric: getMetric(b, v + 24), ...d.value, external },
      });
    }
    default:
      return ok({ type: "unknown", code, value: b.slice(v, end) });
  }
}

/** Parses an EIGRP packet (the IP payload), checking version, checksum and every TLV. */
export function parseEigrp(b: Uint8Array): Parsed<EigrpPacket> {
  if (b.length < EIGRP_HEADER_LEN)
    return fail(FORMAT, "truncated", `${b.length} bytes, header needs ${EIGRP_HEADER_LEN}`);
  if (b[0] !== EIGRP_VERSION) return fail(FORMAT, "badVersion", `version ${b[0]}`);
  const opcode = OPCODE_BY_CODE.get(b[1]!);
  if (opcode === undefined) return fail(FORMAT, "unsupported", `opcode ${b[1]}`);
  if (checksumFinish(checksumAdd(0, b)) !== 0) return fail(FORMAT, "badChecksum", "checksum does not verify");
  const tlvs: EigrpTlv[] = [];
  let o = EIGRP_HEADER_LEN;
  while (o < b.length) {
    if (o + 4 > b.length) return fail(FORMAT, "truncated", `TLV header at offset ${o} cut short`);
    const code = get16(b, o);
    const len = get16(b, o + 2);
    if (len < 4 || o + len > b.length)
      return fail(FORMAT, "badLength", `TLV 0x${code.toString(16).padStart(4, "0")} length ${len} at offset ${o}`);
    const t = parseTlv(b, code, o + 4, o + len);
    if (!t.ok) return t;
    tlvs.push(t.value);
    o += len;
  }
  return ok({ opcode, flags: get32(b, 4), sequence: get32(b, 8), ack: get32(b, 12), as: get16(b, 18), tlvs });
}

// ---- MD5 authentication ------------------------------------------------------

/** Where the digest sits: after the header and the authentication TLV's first 24 bytes. */
const MD5_DIGEST_AT = EIGRP_HEADER_LEN + 24;
const MD5_TLV_END = EIGRP_HEADER_LEN + EIGRP_AUTH_TLV_LEN;

/**
 * The MD5 digest of a packet whose first TLV is the authentication TLV, as Cisco computes it (and FRR's
 * eigrpd, which interoperates with it): with the checksum field zero, hellos cover the header and the TLV up
 * to the digest (44 bytes) then the key zero-padded to 16 bytes; an INIT update only its first 40 bytes;
 * other packets the 44 bytes, the padded key, then everything after the authentication TLV.
 */
export function eigrpMd5Digest(packet: Uint8Array, key: Uint8Array): Uint8Array {
  const b = packet.slice();
  b[2] = 0;
  b[3] = 0;
  const padded = new Uint8Array(Math.max(16, key.length));
  padded.set(key);
  const opcode = b[1];
  const flags = get32(b, 4);
  if (opcode === OPCODE_CODE.update && (flags & EIGRP_FLAG.INIT) !== 0) return md5(b.subarray(0, 40));
  const head = b.subarray(0, MD5_DIGEST_AT);
  if (opcode === OPCODE_CODE.hello) return md5(concat(head, padded));
  return md5(concat(head, padded, b.subarray(Math.min(b.length, MD5_TLV_END))));
}

/** Whether a received packet's MD5 digest is right for `key`. */
export function eigrpMd5Verifies(packet: Uint8Array, key: Uint8Array): boolean {
  if (packet.length < MD5_TLV_END) return false;
  const want = eigrpMd5Digest(packet, key);
  const got = packet.subarray(MD5_DIGEST_AT, MD5_DIGEST_AT + EIGRP_MD5_LEN);
  let diff = 0;
  for (let i = 0; i < EIGRP_MD5_LEN; i++) diff |= want[i]! ^ got[i]!;
  return diff === 0;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
