// NHRP (RFC 2332) as DMVPN carries it inside GRE (protocol type 0x2001), with
// Cisco's additions: the traffic indication (packet type 8, IOS's "redirect"),
// the NAT address extension (type 9) and the cleartext authentication
// extension (SPI 1 followed by the password). IPv4 only: the NBMA and protocol
// addresses are 4 bytes or absent, with no NBMA subaddress. Parse returns a
// typed error for anything else and never throws; emit computes the packet
// length, extension offset and the RFC 1071 checksum over the whole packet.

import { put16 } from "./bytes.ts";
import { internetChecksum } from "./checksum.ts";
import { readIpv4, writeIpv4 } from "./ipv4-address.ts";
import { fail, ok, type Parsed } from "./result.ts";

/*
  Fixed header (20 bytes, RFC 2332 5.2.0.1):
    ar$afn(2) ar$pro.type(2) ar$pro.snap(5) ar$hopcnt(1) ar$pktsz(2) ar$chksum(2)
    ar$extoff(2) ar$op.version(1) ar$op.type(1) ar$shtl(1) ar$sstl(1)
  Common mandatory part (5.2.0.2):
    src proto len(1) dst proto len(1) flags(2) request id(4)
    source NBMA address, source NBMA subaddress, source protocol address,
    destination protocol address, then CIEs (12 bytes + addresses each)
  Error indication (5.2.7): unused(2) error code(2) error offset(2) in place of
  flags and request id, and the packet in error after the addresses. Cisco's
  traffic indication: traffic code(2) and 4 unused bytes, then the addresses
  and the start of the datagram that caused it.
  Extensions (5.3): C bit | u | type(14) , length(2), value; ended by type 0.
*/

/** GRE protocol type of NHRP (RFC 2332 uses the Ethertype 0x2001). */
export const GRE_PROTO_NHRP = 0x2001;
export const NHRP_FIXED_LEN = 20;
export const NHRP_CIE_LEN = 12;
/** Address family number of IPv4 NBMA addresses (IANA). */
export const NHRP_AFN_IPV4 = 1;
/** ar$pro.type of IPv4 protocol addresses (the Ethertype). */
export const NHRP_PRO_IPV4 = 0x0800;
export const NHRP_VERSION = 1;

/** ar$op.type values. */
export const NHRP_TYPE = {
  resolutionRequest: 1,
  resolutionReply: 2,
  registrationRequest: 3,
  registrationReply: 4,
  purgeRequest: 5,
  purgeReply: 6,
  errorIndication: 7,
  trafficIndication: 8,
} as const;
export type NhrpTypeName = keyof typeof NHRP_TYPE;
const TYPE_NAME = new Map<number, NhrpTypeName>(
  Object.entries(NHRP_TYPE).map(([k, v]) => [v, k as NhrpTypeName] as const),
);

/** Mandatory-part flag bits (their meaning depends on the packet type). */
export const NHRP_FLAG = {
  /** Resolution: the requester is a router (Q). */
  router: 0x8000,
  /** Resolution reply: authoritative (A). */
  authoritative: 0x4000,
  /** Resolution: stable association (D). */
  stableAssociation: 0x2000,
  /** Resolution: uniqueness (U). */
  resolutionUnique: 0x1000,
  /** Resolution: stable binding (S). */
  stableBinding: 0x0800,
  /** Registration: uniqueness (U). */
  registrationUnique: 0x8000,
  /** Purge: no reply expected (N). */
  noReply: 0x8000,
  /** Cisco: the sender understands the NAT extension. */
  nat: 0x0002,
} as const;

/** CIE codes (RFC 2332 5.2.0.1). */
export const NHRP_CIE_CODE = {
  success: 0,
  administrativelyProhibited: 4,
  insufficientResources: 5,
  noBindingExists: 12,
  notUnique: 13,
  alreadyRegistered: 14,
} as const;

/** Error indication codes (RFC 2332 5.2.7). */
export const NHRP_ERROR_CODE = {
  unrecognizedExtension: 1,
  loopDetected: 3,
  protocolAddressUnreachable: 6,
  protocolError: 7,
  sduSizeExceeded: 8,
  invalidExtension: 9,
  invalidResolutionReply: 10,
  authenticationFailure: 11,
  hopCountExceeded: 15,
} as const;

/** Extension types (RFC 2332 5.3, Cisco's NAT address). */
export const NHRP_EXT = {
  end: 0,
  responderAddress: 3,
  forwardTransit: 4,
  reverseTransit: 5,
  authentication: 7,
  vendorPrivate: 8,
  natAddress: 9,
} as const;
const EXT_COMPULSORY = 0x8000;
const EXT_TYPE_MASK = 0x3fff;

/** A Client Information Entry. */
export interface NhrpCie {
  code: number;
  prefixLength: number;
  mtu: number;
  holdingTime: number;
  /** Client NBMA address, or null when absent (length 0). */
  clientNbma: number | null;
  /** Client protocol address, or null when absent. */
  clientProtocol: number | null;
  preference: number;
}

/** One extension; the End extension is implied by the list's end. */
export type NhrpExtension = { compulsory: boolean } & (
  | { kind: "responderAddress"; cies: NhrpCie[] }
  | { kind: "forwardTransit"; cies: NhrpCie[] }
  | { kind: "reverseTransit"; cies: NhrpCie[] }
  | { kind: "natAddress"; cies: NhrpCie[] }
  /** Cisco's cleartext authentication: SPI 1 and the password's bytes. */
  | { kind: "authentication"; spi: number; data: Uint8Array }
  | { kind: "other"; type: number; value: Uint8Array }
);

/** What follows the addresses: CIEs, or for indications the packet that caused them. */
export type NhrpBody =
  | { kind: "common"; flags: number; requestId: number; cies: NhrpCie[] }
  | { kind: "error"; code: number; offset: number; packet: Uint8Array }
  | { kind: "traffic"; code: number; packet: Uint8Array };

/** An NHRP packet. */
export interface NhrpPacket {
  type: number;
  hopCount: number;
  srcNbma: number | null;
  srcProtocol: number | null;
  dstProtocol: number | null;
  body: NhrpBody;
  /** The extension part, or null when the packet has none (ar$extoff 0). */
  extensions: NhrpExtension[] | null;
}

/** Name of a packet type, or null for an unknown one. */
export function nhrpTypeName(type: number): NhrpTypeName | null {
  return TYPE_NAME.get(type) ?? null;
}

function bodyKindOf(type: number): NhrpBody["kind"] {
  if (type === NHRP_TYPE.errorIndication) return "error";
  if (type === NHRP_TYPE.trafficIndication) return "traffic";
  return "common";
}

const addrLen = (a: number | null) => (a === null ? 0 : 4);
const cieLen = (c: NhrpCie) => NHRP_CIE_LEN + addrLen(c.clientNbma) + addrLen(c.clientProtocol);

function extValueLen(e: NhrpExtension): number {
  switch (e.kind) {
    case "authentication":
      return 4 + e.data.length;
    case "other":
      return e.value.length;
    default:
      return e.cies.reduce((n, c) => n + cieLen(c), 0);
  }
}

function extType(e: NhrpExtension): number {
  return e.kind === "other" ? e.type : NHRP_EXT[e.kind];
}

function mandatoryLen(p: NhrpPacket): number {
  const addrs = addrLen(p.srcNbma) + addrLen(p.srcProtocol) + addrLen(p.dstProtocol);
  const rest = p.body.kind === "common" ? p.body.cies.reduce((n, c) => n + cieLen(c), 0) : p.body.packet.length;
  return 8 + addrs + rest;
}

/** Total length of the packet `emitNhrp` builds. */
export function nhrpLength(p: NhrpPacket): number {
  let n = NHRP_FIXED_LEN + mandatoryLen(p);
  if (p.extensions !== null) for (const e of p.extensions) n += 4 + extValueLen(e);
  if (p.extensions !== null) n += 4;
  return n;
}

function putCie(b: Uint8Array, o: number, c: NhrpCie): number {
  b[o] = c.code;
  b[o + 1] = c.prefixLength;
  put16(b, o + 4, c.mtu);
  put16(b, o + 6, c.holdingTime);
  b[o + 8] = addrLen(c.clientNbma);
  b[o + 10] = addrLen(c.clientProtocol);
  b[o + 11] = c.preference;
  let q = o + NHRP_CIE_LEN;
  if (c.clientNbma !== null) writeIpv4(b, (q += 4) - 4, c.clientNbma);
  if (c.clientProtocol !== null) writeIpv4(b, (q += 4) - 4, c.clientProtocol);
  return q;
}

/** Builds the packet bytes, with length, extension offset and checksum filled in. */
export function emitNhrp(p: NhrpPacket): Uint8Array {
  const total = nhrpLength(p);
  const b = new Uint8Array(total);
  put16(b, 0, NHRP_AFN_IPV4);
  put16(b, 2, NHRP_PRO_IPV4);
  b[9] = p.hopCount;
  put16(b, 10, total);
  b[16] = NHRP_VERSION;
  b[17] = p.type;
  b[18] = addrLen(p.srcNbma);
  let o = NHRP_FIXED_LEN;
  b[o] = addrLen(p.srcProtocol);
  b[o + 1] = addrLen(p.dstProtocol);
  const body = p.body;
  if (body.kind === "common") {
    put16(b, o + 2, body.flags);
    writeIpv4(b, o + 4, body.requestId);
  } else if (body.kind === "error") {
    put16(b, o + 4, body.code);
    put16(b, o + 6, body.offset);
  } else {
    put16(b, o + 2, body.code);
  }
  o += 8;
  for (const a of [p.srcNbma, p.srcProtocol, p.dstProtocol]) {
    if (a !== null) {
      writeIpv4(b, o, a);
      o += 4;
    }
  }
  if (body.kind === "common") {
    for (const c of body.cies) o = putCie(b, o, c);
  } else {
    b.set(body.packet, o);
    o += body.packet.length;
  }
  if (p.extensions !== null) {
    put16(b, 14, o);
    for (const e of p.extensions) {
      put16(b, o, (e.compulsory ? EXT_COMPULSORY : 0) | extType(e));
      put16(b, o + 2, extValueLen(e));
      o += 4;
      if (e.kind === "authentication") {
        writeIpv4(b, o, e.spi);
        b.set(e.data, o + 4);
        o += 4 + e.data.length;
      } else if (e.kind === "other") {
        b.set(e.value, o);
        o += e.value.length;
      } else {
        for (const c of e.cies) o = putCie(b, o, c);
      }
    }
    // The End extension is always compulsory (RFC 2332 5.3.0).
    put16(b, o, EXT_COMPULSORY | NHRP_EXT.end);
  }
  put16(b, 12, internetChecksum(b));
  return b;
}

const bad = (reason: "truncated" | "badLength" | "badValue" | "unsupported" | "badVersion", detail: string) =>
  fail<never>("nhrp", reason, detail);

/** Reads an address of `len` bytes (0 or 4). */
function readAddr(b: Uint8Array, o: number, len: number): number | null {
  return len === 0 ? null : readIpv4(b, o);
}

function parseCies(b: Uint8Array, start: number, end: number): Parsed<NhrpCie[]> {
  const cies: NhrpCie[] = [];
  let o = start;
  while (o < end) {
    if (o + NHRP_CIE_LEN > end) return bad("truncated", `CIE at ${o} needs 12 bytes, ${end - o} left`);
    const nbmaTl = b[o + 8]!;
    const subTl = b[o + 9]!;
    const protoLen = b[o + 10]!;
    if ((nbmaTl !== 0 && nbmaTl !== 4) || subTl !== 0 || (protoLen !== 0 && protoLen !== 4))
      return bad("unsupported", `CIE at ${o}: address lengths ${nbmaTl}/${subTl}/${protoLen} (IPv4 only)`);
    if ((b[o + 2]! | b[o + 3]!) !== 0) return bad("badValue", `CIE at ${o}: unused field not zero`);
    const q = o + NHRP_CIE_LEN;
    if (q + nbmaTl + protoLen > end) return bad("truncated", `CIE at ${o}: addresses run past ${end}`);
    cies.push({
      code: b[o]!,
      prefixLength: b[o + 1]!,
      mtu: (b[o + 4]! << 8) | b[o + 5]!,
      holdingTime: (b[o + 6]! << 8) | b[o + 7]!,
      clientNbma: readAddr(b, q, nbmaTl),
      clientProtocol: readAddr(b, q + nbmaTl, protoLen),
      preference: b[o + 11]!,
    });
    o = q + nbmaTl + protoLen;
  }
  return ok(cies);
}

function parseExtensions(b: Uint8Array, start: number, end: number): Parsed<NhrpExtension[]> {
  const exts: NhrpExtension[] = [];
  let o = start;
  for (;;) {
    if (o + 4 > end) return bad("truncated", `extension at ${o} runs past the packet (no End extension)`);
    const word = (b[o]! << 8) | b[o + 1]!;
    const len = (b[o + 2]! << 8) | b[o + 3]!;
    const type = word & EXT_TYPE_MASK;
    const compulsory = (word & EXT_COMPULSORY) !== 0;
    const v = o + 4;
    if (v + len > end) return bad("truncated", `extension type ${type} of ${len} bytes runs past the packet`);
    if ((word & 0x4000) !== 0) return bad("badValue", `extension type ${type}: reserved bit set`);
    if (type === NHRP_EXT.end) {
      if (len !== 0) return bad("badLength", `End extension with length ${len}`);
      if (v !== end) return bad("badLength", `${end - v} bytes after the End extension`);
      return ok(exts);
    }
    switch (type) {
      case NHRP_EXT.responderAddress:
      case NHRP_EXT.forwardTransit:
      case NHRP_EXT.reverseTransit:
      case NHRP_EXT.natAddress: {
        const cies = parseCies(b, v, v + len);
        if (!cies.ok) return cies;
        const kind =
          type === NHRP_EXT.responderAddress
            ? "responderAddress"
            : type === NHRP_EXT.forwardTransit
              ? "forwardTransit"
              : type === NHRP_EXT.reverseTransit
                ? "reverseTransit"
                : "natAddress";
        exts.push({ compulsory, kind, cies: cies.value });
        break;
      }
      case NHRP_EXT.authentication:
        if (len < 4) return bad("badLength", `authentication extension of ${len} bytes, needs the 4-byte SPI`);
        exts.push({ compulsory, kind: "authentication", spi: readIpv4(b, v), data: b.slice(v + 4, v + len) });
        break;
      default:
        exts.push({ compulsory, kind: "other", type, value: b.slice(v, v + len) });
    }
    o = v + len;
  }
}

/** Parses an NHRP packet (the GRE payload); trailing bytes past ar$pktsz are ignored. Never throws. */
export function parseNhrp(b: Uint8Array): Parsed<NhrpPacket> {
  if (b.length < NHRP_FIXED_LEN + 8)
    return bad("truncated", `${b.length} bytes, fixed header and mandatory part need 28`);
  const afn = (b[0]! << 8) | b[1]!;
  const pro = (b[2]! << 8) | b[3]!;
  if (afn !== NHRP_AFN_IPV4 || pro !== NHRP_PRO_IPV4)
    return bad("unsupported", `address family ${afn}, protocol type 0x${pro.toString(16)} (IPv4 only)`);
  for (let i = 4; i < 9; i++) if (b[i] !== 0) return bad("unsupported", "non-zero protocol SNAP");
  const size = (b[10]! << 8) | b[11]!;
  if (size < NHRP_FIXED_LEN + 8 || size > b.length) return bad("badLength", `ar$pktsz ${size} with ${b.length} bytes`);
  const pkt = b.subarray(0, size);
  if (internetChecksum(pkt) !== 0) return bad("badValue", "checksum does not verify");
  if (b[16] !== NHRP_VERSION) return bad("badVersion", `version ${b[16]}`);
  const type = b[17]!;
  const shtl = b[18]!;
  const sstl = b[19]!;
  if ((shtl !== 0 && shtl !== 4) || sstl !== 0)
    return bad("unsupported", `source NBMA type/length 0x${shtl.toString(16)}/0x${sstl.toString(16)}`);
  const extOff = (b[14]! << 8) | b[15]!;
  if (extOff !== 0 && (extOff < NHRP_FIXED_LEN + 8 || extOff > size - 4))
    return bad("badLength", `extension offset ${extOff} in a ${size}-byte packet`);
  const mandEnd = extOff === 0 ? size : extOff;
  let o = NHRP_FIXED_LEN;
  const srcLen = pkt[o]!;
  const dstLen = pkt[o + 1]!;
  if ((srcLen !== 0 && srcLen !== 4) || (dstLen !== 0 && dstLen !== 4))
    return bad("unsupported", `protocol address lengths ${srcLen}/${dstLen} (IPv4 only)`);
  const w1 = (pkt[o + 2]! << 8) | pkt[o + 3]!;
  const w2 = (pkt[o + 4]! << 8) | pkt[o + 5]!;
  const w3 = (pkt[o + 6]! << 8) | pkt[o + 7]!;
  o += 8;
  if (o + shtl + srcLen + dstLen > mandEnd) return bad("truncated", "addresses run past the mandatory part");
  const srcNbma = readAddr(pkt, o, shtl);
  o += shtl;
  const srcProtocol = readAddr(pkt, o, srcLen);
  o += srcLen;
  const dstProtocol = readAddr(pkt, o, dstLen);
  o += dstLen;
  let body: NhrpBody;
  const kind = bodyKindOf(type);
  if (kind === "common") {
    const cies = parseCies(pkt, o, mandEnd);
    if (!cies.ok) return cies;
    body = { kind, flags: w1, requestId: ((w2 << 16) | w3) >>> 0, cies: cies.value };
  } else if (kind === "error") {
    if (w1 !== 0) return bad("badValue", "error indication: unused field not zero");
    body = { kind, code: w2, offset: w3, packet: pkt.slice(o, mandEnd) };
  } else {
    if ((w2 | w3) !== 0) return bad("badValue", "traffic indication: unused field not zero");
    body = { kind, code: w1, packet: pkt.slice(o, mandEnd) };
  }
  let extensions: NhrpExtension[] | null = null;
  if (extOff !== 0) {
    const e = parseExtensions(pkt, extOff, size);
    if (!e.ok) return e;
    extensions = e.value;
  }
  return ok({ type, hopCount: pkt[9]!, srcNbma, srcProtocol, dstProtocol, body, extensions });
}
