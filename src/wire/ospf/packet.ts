// OSPFv2 packets (RFC 2328 A.3): the 24-byte header with its checksum and
// authentication (null, simple password, keyed MD5 with the digest trailer
// of D.3), and the hello, Database Description, Link State Request, Link
// State Update and Link State Acknowledgment bodies. Parse checks version,
// Packet length against the bytes, the checksum (types null and simple: the
// Internet checksum over the packet minus the 64-bit authentication field;
// cryptographic: no checksum, the digest instead, which `ospfMd5Ok` checks
// with the key), and the layout of the body for its type. Bytes after the
// packet (and its digest) are ignored, as LLS data blocks are (RFC 5613).

import { md5 } from "@noble/hashes/legacy.js";
import { checksumAdd, checksumFinish } from "../checksum.ts";
import { fail, ok, type Parsed } from "../result.ts";
import { rd16, rd32, wr16, wr32 } from "./bytes.ts";
import { LSA_HEADER_LEN, OSPF_AUTH_TYPE, OSPF_HEADER_LEN, OSPF_MD5_DIGEST_LEN, OSPF_PACKET_TYPE } from "./constants.ts";
import {
  emitLsaInto,
  type KnownLsaBody,
  type Lsa,
  type LsaHeader,
  lsaBufferLen,
  parseLsa,
  readLsaHeader,
  writeLsaHeader,
} from "./lsa.ts";

/*
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |   Version #   |     Type      |         Packet length         |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                          Router ID                            |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                           Area ID                             |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |           Checksum            |             AuType            |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                       Authentication                          |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                       Authentication                          |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

   Cryptographic authentication (D.3) puts in the Authentication field:
   |              0                |    Key ID     | Auth Data Len |
   |                 Cryptographic sequence number                 |
   and appends the Auth Data Len bytes of digest after Packet length bytes.
*/

export const OSPF_FIELD = {
  VERSION: 0,
  TYPE: 1,
  LENGTH: [2, 4],
  ROUTER_ID: [4, 8],
  AREA_ID: [8, 12],
  CHECKSUM: [12, 14],
  AU_TYPE: [14, 16],
  AUTHENTICATION: [16, 24],
  KEY_ID: 18,
  AUTH_DATA_LEN: 19,
  CRYPTO_SEQUENCE: [20, 24],
  BODY: OSPF_HEADER_LEN,
} as const;

/** Hello body offsets (A.3.2). */
export const OSPF_HELLO_FIELD = {
  NETWORK_MASK: [0, 4],
  HELLO_INTERVAL: [4, 6],
  OPTIONS: 6,
  PRIORITY: 7,
  DEAD_INTERVAL: [8, 12],
  DR: [12, 16],
  BDR: [16, 20],
  NEIGHBORS: 20,
} as const;

/** Database Description body offsets (A.3.3). */
export const OSPF_DBD_FIELD = { MTU: [0, 2], OPTIONS: 2, FLAGS: 3, SEQUENCE: [4, 8], LSA_HEADERS: 8 } as const;

/** Authentication as carried in the header. The MD5 digest is computed on emit from the key the caller passes. */
export type OspfAuth =
  | { type: "null" }
  | { type: "simple"; password: Uint8Array }
  | { type: "md5"; keyId: number; sequence: number };

/** One Link State Request entry (A.3.4). */
export interface LsRequest {
  type: number;
  linkStateId: number;
  advertisingRouter: number;
}

/** Packet bodies by type. */
export type OspfBody =
  | {
      type: "hello";
      networkMask: number;
      helloInterval: number;
      options: number;
      priority: number;
      deadInterval: number;
      dr: number;
      bdr: number;
      neighbors: number[];
    }
  | { type: "dbd"; mtu: number; options: number; flags: number; sequence: number; lsaHeaders: LsaHeader[] }
  | { type: "lsr"; requests: LsRequest[] }
  | { type: "lsu"; lsas: Lsa[] }
  | { type: "lsack"; lsaHeaders: LsaHeader[] };

/** An OSPFv2 packet. */
export interface OspfPacket {
  routerId: number;
  areaId: number;
  auth: OspfAuth;
  body: OspfBody;
}

/** A parsed packet, with what a receiver needs to check its authentication. */
export interface ParsedOspf {
  packet: OspfPacket;
  /** The MD5 digest as received (cryptographic authentication only). */
  digest?: Uint8Array;
  /** Packet length (the digest follows it). */
  length: number;
}

const FORMAT = "ospf";
const TYPE_NUMBER: Readonly<Record<OspfBody["type"], number>> = {
  hello: OSPF_PACKET_TYPE.HELLO,
  dbd: OSPF_PACKET_TYPE.DBD,
  lsr: OSPF_PACKET_TYPE.LSR,
  lsu: OSPF_PACKET_TYPE.LSU,
  lsack: OSPF_PACKET_TYPE.LSACK,
};

/** Packet type name for its number, as IOS debug names them. */
export function ospfPacketTypeName(type: number): string {
  return ["", "Hello", "DBD", "LS Req", "LS Upd", "LS Ack"][type] ?? `type ${type}`;
}

/** The Internet checksum over the packet except the Authentication field (D.4.1, D.4.2). */
function packetChecksum(b: Uint8Array, length: number): number {
  return checksumFinish(checksumAdd(checksumAdd(0, b, 0, 16), b, OSPF_HEADER_LEN, length));
}

/**
 * Parses an OSPF packet from the IP payload. `knownLsaBody` lets an update's LSAs reuse bodies the caller holds
 * (their checksums are still verified; see parseLsa).
 */
export function parseOspf(b: Uint8Array, knownLsaBody?: KnownLsaBody): Parsed<ParsedOspf> {
  if (b.length < OSPF_HEADER_LEN) return fail(FORMAT, "truncated", `${b.length} bytes, header needs 24`);
  if (b[0] !== 2) return fail(FORMAT, "badVersion", `version ${b[0]}`);
  const type = b[1]!;
  if (type < 1 || type > 5) return fail(FORMAT, "badValue", `packet type ${type}`);
  const length = rd16(b, 2);
  if (length < OSPF_HEADER_LEN) return fail(FORMAT, "badLength", `packet length ${length} below 24`);
  if (length > b.length) return fail(FORMAT, "truncated", `packet length ${length}, ${b.length} available`);
  const auType = rd16(b, 14);
  let auth: OspfAuth;
  let digest: Uint8Array | undefined;
  if (auType === OSPF_AUTH_TYPE.CRYPTOGRAPHIC) {
    if (b[19] !== OSPF_MD5_DIGEST_LEN) return fail(FORMAT, "unsupported", `auth data length ${b[19]} (MD5 uses 16)`);
    if (length + OSPF_MD5_DIGEST_LEN > b.length)
      return fail(FORMAT, "truncated", `MD5 digest missing after ${length} bytes`);
    auth = { type: "md5", keyId: b[18]!, sequence: rd32(b, 20) };
    digest = b.slice(length, length + OSPF_MD5_DIGEST_LEN);
  } else if (auType === OSPF_AUTH_TYPE.NULL || auType === OSPF_AUTH_TYPE.SIMPLE) {
    // Summed with the checksum in place, a correct packet sums to zero.
    if (packetChecksum(b, length) !== 0)
      return fail(FORMAT, "badChecksum", `checksum 0x${rd16(b, 12).toString(16).padStart(4, "0")} is wrong`);
    auth = auType === OSPF_AUTH_TYPE.NULL ? { type: "null" } : { type: "simple", password: b.slice(16, 24) };
  } else {
    return fail(FORMAT, "unsupported", `AuType ${auType}`);
  }
  const body = parseBody(type, b, OSPF_HEADER_LEN, length, knownLsaBody);
  if (!body.ok) return body;
  return ok({
    packet: { routerId: rd32(b, 4), areaId: rd32(b, 8), auth, body: body.value },
    ...(digest ? { digest } : {}),
    length,
  });
}

function headers(b: Uint8Array, start: number, end: number, what: string): Parsed<LsaHeader[]> {
  if ((end - start) % LSA_HEADER_LEN !== 0)
    return fail(FORMAT, "badLength", `${what}: ${end - start} bytes of LSA headers`);
  const out: LsaHeader[] = [];
  for (let o = start; o < end; o += LSA_HEADER_LEN) out.push(readLsaHeader(b, o));
  return ok(out);
}

function parseBody(
  type: number,
  b: Uint8Array,
  start: number,
  end: number,
  knownLsaBody?: KnownLsaBody,
): Parsed<OspfBody> {
  const len = end - start;
  switch (type) {
    case OSPF_PACKET_TYPE.HELLO: {
      if (len < 20 || len % 4 !== 0) return fail(FORMAT, "badLength", `hello body of ${len} bytes`);
      const neighbors: number[] = [];
      for (let o = start + 20; o < end; o += 4) neighbors.push(rd32(b, o));
      return ok({
        type: "hello",
        networkMask: rd32(b, start),
        helloInterval: rd16(b, start + 4),
        options: b[start + 6]!,
        priority: b[start + 7]!,
        deadInterval: rd32(b, start + 8),
        dr: rd32(b, start + 12),
        bdr: rd32(b, start + 16),
        neighbors,
      });
    }
    case OSPF_PACKET_TYPE.DBD: {
      if (len < 8) return fail(FORMAT, "truncated", `DBD body of ${len} bytes, needs 8`);
      const h = headers(b, start + 8, end, "DBD");
      if (!h.ok) return h;
      return ok({
        type: "dbd",
        mtu: rd16(b, start),
        options: b[start + 2]!,
        flags: b[start + 3]!,
        sequence: rd32(b, start + 4),
        lsaHeaders: h.value,
      });
    }
    case OSPF_PACKET_TYPE.LSR: {
      if (len % 12 !== 0) return fail(FORMAT, "badLength", `LS request body of ${len} bytes`);
      const requests: LsRequest[] = [];
      for (let o = start; o < end; o += 12)
        requests.push({ type: rd32(b, o), linkStateId: rd32(b, o + 4), advertisingRouter: rd32(b, o + 8) });
      return ok({ type: "lsr", requests });
    }
    case OSPF_PACKET_TYPE.LSU: {
      if (len < 4) return fail(FORMAT, "truncated", `LS update body of ${len} bytes, needs 4`);
      const count = rd32(b, start);
      const lsas: Lsa[] = [];
      let o = start + 4;
      const view = b.subarray(0, end);
      for (let i = 0; i < count; i++) {
        const r = parseLsa(view, o, true, knownLsaBody);
        if (!r.ok) return fail(FORMAT, r.error.reason, `LSA ${i + 1} of ${count}: ${r.error.detail}`);
        lsas.push(r.value);
        o += r.value.header.length;
      }
      if (o !== end) return fail(FORMAT, "badLength", `LS update: ${end - o} bytes after ${count} LSAs`);
      return ok({ type: "lsu", lsas });
    }
    default: {
      const h = headers(b, start, end, "LS ack");
      if (!h.ok) return h;
      return ok({ type: "lsack", lsaHeaders: h.value });
    }
  }
}

function bodyLen(body: OspfBody): number {
  switch (body.type) {
    case "hello":
      return 20 + 4 * body.neighbors.length;
    case "dbd":
      return 8 + LSA_HEADER_LEN * body.lsaHeaders.length;
    case "lsr":
      return 12 * body.requests.length;
    case "lsu":
      return 4 + body.lsas.reduce((n, l) => n + lsaBufferLen(l), 0);
    case "lsack":
      return LSA_HEADER_LEN * body.lsaHeaders.length;
  }
}

/** Packet length of a packet (without any MD5 digest). */
export function ospfPacketLen(p: OspfPacket): number {
  return OSPF_HEADER_LEN + bodyLen(p.body);
}

/**
 * Builds the packet. Null and simple authentication get the checksum; MD5
 * gets the digest of the packet followed by `key` padded with zeros to 16
 * bytes (D.4.3), appended after Packet length bytes. Throws RangeError for an
 * MD5 packet without a key, a key over 16 bytes or a packet over 65535 bytes.
 */
export function emitOspf(p: OspfPacket, key?: Uint8Array): Uint8Array {
  const length = ospfPacketLen(p);
  if (length > 0xffff) throw new RangeError(`ospf: length ${length} exceeds 65535`);
  const md5Auth = p.auth.type === "md5";
  if (md5Auth && (key === undefined || key.length > 16)) throw new RangeError("ospf: MD5 needs a key of 1-16 bytes");
  const b = new Uint8Array(length + (md5Auth ? OSPF_MD5_DIGEST_LEN : 0));
  b[0] = 2;
  b[1] = TYPE_NUMBER[p.body.type];
  wr16(b, 2, length);
  wr32(b, 4, p.routerId);
  wr32(b, 8, p.areaId);
  let o = OSPF_HEADER_LEN;
  const body = p.body;
  switch (body.type) {
    case "hello":
      wr32(b, o, body.networkMask);
      wr16(b, o + 4, body.helloInterval);
      b[o + 6] = body.options;
      b[o + 7] = body.priority;
      wr32(b, o + 8, body.deadInterval);
      wr32(b, o + 12, body.dr);
      wr32(b, o + 16, body.bdr);
      o += 20;
      for (const n of body.neighbors) {
        wr32(b, o, n);
        o += 4;
      }
      break;
    case "dbd":
      wr16(b, o, body.mtu);
      b[o + 2] = body.options;
      b[o + 3] = body.flags;
      wr32(b, o + 4, body.sequence);
      o += 8;
      for (const h of body.lsaHeaders) {
        writeLsaHeader(h, b, o);
        o += LSA_HEADER_LEN;
      }
      break;
    case "lsr":
      for (const r of body.requests) {
        wr32(b, o, r.type);
        wr32(b, o + 4, r.linkStateId);
        wr32(b, o + 8, r.advertisingRouter);
        o += 12;
      }
      break;
    case "lsu":
      wr32(b, o, body.lsas.length);
      o += 4;
      for (const l of body.lsas) o += emitLsaInto(l, b, o);
      break;
    case "lsack":
      for (const h of body.lsaHeaders) {
        writeLsaHeader(h, b, o);
        o += LSA_HEADER_LEN;
      }
      break;
  }
  const auth = p.auth;
  if (auth.type === "md5") {
    wr16(b, 14, OSPF_AUTH_TYPE.CRYPTOGRAPHIC);
    b[18] = auth.keyId;
    b[19] = OSPF_MD5_DIGEST_LEN;
    wr32(b, 20, auth.sequence);
    b.set(md5Digest(b, length, key!), length);
  } else {
    wr16(b, 14, auth.type === "null" ? OSPF_AUTH_TYPE.NULL : OSPF_AUTH_TYPE.SIMPLE);
    wr16(b, 12, packetChecksum(b, length));
    if (auth.type === "simple") b.set(auth.password.subarray(0, 8), 16);
  }
  return b;
}

/** MD5 over the first `length` bytes and the key padded to 16 bytes (D.4.3). */
function md5Digest(b: Uint8Array, length: number, key: Uint8Array): Uint8Array {
  const input = new Uint8Array(length + OSPF_MD5_DIGEST_LEN);
  input.set(b.subarray(0, length));
  input.set(key.subarray(0, 16), length);
  return md5(input);
}

/** True if a parsed MD5 packet's digest matches `key` (`bytes` is the IP payload it was parsed from). */
export function ospfMd5Ok(bytes: Uint8Array, parsed: ParsedOspf, key: Uint8Array): boolean {
  if (parsed.digest === undefined || key.length > 16) return false;
  const want = md5Digest(bytes, parsed.length, key);
  let diff = 0;
  for (let i = 0; i < OSPF_MD5_DIGEST_LEN; i++) diff |= want[i]! ^ parsed.digest[i]!;
  return diff === 0;
}

/** A simple password as the 8 bytes the header carries (IOS truncates longer ones to 8). */
export function ospfSimplePassword(text: string): Uint8Array {
  const b = new Uint8Array(8);
  b.set(new TextEncoder().encode(text).subarray(0, 8));
  return b;
}
