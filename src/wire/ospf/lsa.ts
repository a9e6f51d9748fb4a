// OSPFv2 link state advertisements (RFC 2328 A.4; NSSA-LSA RFC 3101 2.4): the
// 20-byte LSA header and the bodies of the router (1), network (2), summary
// (3), ASBR-summary (4), AS-external (5) and NSSA-external (7) LSAs. Parse
// checks the LSA's length against the bytes, the body's layout for its type
// and, unless asked not to, the Fletcher checksum (12.1.7); a type this
// module does not know keeps its body as bytes. Emit computes Length and the
// checksum, so `buildLsa` hands back the header a receiver would see.
//
// TOS entries (A.4.2-A.4.5) are kept: RFC 2328 routers send none, but a
// receiver must walk past them.

import { fail, ok, type Parsed } from "../result.ts";
import { rd16, rd24, rd32, wr16, wr24, wr32 } from "./bytes.ts";
import { LSA_HEADER_LEN, LSA_TYPE, type RouterLinkType } from "./constants.ts";
import { LSA_CHECKSUM_OFFSET, lsaChecksumOk, setLsaChecksum } from "./fletcher.ts";

/*
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |            LS age             |    Options    |    LS type    |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                        Link State ID                          |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                     Advertising Router                        |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                     LS sequence number                        |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |         LS checksum           |             length            |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
*/

export const LSA_FIELD = {
  AGE: [0, 2],
  OPTIONS: 2,
  TYPE: 3,
  LINK_STATE_ID: [4, 8],
  ADVERTISING_ROUTER: [8, 12],
  SEQUENCE: [12, 16],
  CHECKSUM: [LSA_CHECKSUM_OFFSET, LSA_CHECKSUM_OFFSET + 2],
  LENGTH: [18, 20],
  BODY: LSA_HEADER_LEN,
} as const;

/** The LSA header as carried in DBD, LSAck and in front of every LSA. Sequence is signed (12.1.6). */
export interface LsaHeader {
  age: number;
  options: number;
  type: number;
  linkStateId: number;
  advertisingRouter: number;
  sequence: number;
  checksum: number;
  length: number;
}

/** A TOS-specific metric (router and summary LSAs). */
export interface TosMetric {
  tos: number;
  metric: number;
}

/** One link of a router-LSA (A.4.2). */
export interface RouterLink {
  linkId: number;
  linkData: number;
  type: RouterLinkType;
  metric: number;
  tos: TosMetric[];
}

/** A TOS-specific external route (A.4.5). */
export interface ExternalTos {
  tos: number;
  type2: boolean;
  metric: number;
  forwardingAddress: number;
  routeTag: number;
}

/** LSA bodies by kind; the header's LS type says which. */
export type LsaBody =
  | { kind: "router"; flags: number; links: RouterLink[] }
  | { kind: "network"; mask: number; attachedRouters: number[] }
  | { kind: "summary" | "asbrSummary"; mask: number; metric: number; tos: TosMetric[] }
  | {
      kind: "external" | "nssa";
      mask: number;
      type2: boolean;
      metric: number;
      forwardingAddress: number;
      routeTag: number;
      tos: ExternalTos[];
    }
  | { kind: "unknown"; data: Uint8Array };

/** A whole LSA. */
export interface Lsa {
  header: LsaHeader;
  body: LsaBody;
}

/** What a caller sets; Length and the checksum follow from the bytes. */
export type LsaInput = { header: Omit<LsaHeader, "checksum" | "length">; body: LsaBody };

const FORMAT = "ospf-lsa";
const KIND_OF_TYPE: Readonly<Record<number, LsaBody["kind"]>> = {
  [LSA_TYPE.ROUTER]: "router",
  [LSA_TYPE.NETWORK]: "network",
  [LSA_TYPE.SUMMARY]: "summary",
  [LSA_TYPE.ASBR_SUMMARY]: "asbrSummary",
  [LSA_TYPE.AS_EXTERNAL]: "external",
  [LSA_TYPE.NSSA_EXTERNAL]: "nssa",
};

/** The body kind for an LS type ("unknown" for types this module does not parse). */
export function lsaKindOf(type: number): LsaBody["kind"] {
  return KIND_OF_TYPE[type] ?? "unknown";
}

/** Reads an LSA header at `off` (the caller has checked 20 bytes are there). */
export function readLsaHeader(b: Uint8Array, off: number): LsaHeader {
  return {
    age: rd16(b, off),
    options: b[off + 2]!,
    type: b[off + 3]!,
    linkStateId: rd32(b, off + 4),
    advertisingRouter: rd32(b, off + 8),
    sequence: rd32(b, off + 12) | 0,
    checksum: rd16(b, off + 16),
    length: rd16(b, off + 18),
  };
}

/** Writes an LSA header at `off`. */
export function writeLsaHeader(h: LsaHeader, b: Uint8Array, off: number): void {
  wr16(b, off, h.age);
  b[off + 2] = h.options;
  b[off + 3] = h.type;
  wr32(b, off + 4, h.linkStateId);
  wr32(b, off + 8, h.advertisingRouter);
  wr32(b, off + 12, h.sequence);
  wr16(b, off + 16, h.checksum);
  wr16(b, off + 18, h.length);
}

/** Parses an LSA header alone (DBD, LSAck). */
export function parseLsaHeader(b: Uint8Array, off = 0): Parsed<LsaHeader> {
  if (b.length - off < LSA_HEADER_LEN) return fail(FORMAT, "truncated", `${b.length - off} bytes, header needs 20`);
  const h = readLsaHeader(b, off);
  if (h.length < LSA_HEADER_LEN) return fail(FORMAT, "badLength", `length ${h.length} below 20`);
  return ok(h);
}

/**
 * A body the caller already holds for an LSA instance (same type, Link State ID, advertising router, sequence,
 * checksum and length), so that the body need not be built again; undefined to parse it.
 */
export type KnownLsaBody = (header: LsaHeader) => LsaBody | undefined;

/**
 * Parses one LSA at `off`; its Length bounds it. Checks the Fletcher checksum unless `verifyChecksum` is false.
 * With `known`, a checksummed LSA whose body the caller already holds takes that body instead of a new parse.
 */
export function parseLsa(b: Uint8Array, off = 0, verifyChecksum = true, known?: KnownLsaBody): Parsed<Lsa> {
  const hr = parseLsaHeader(b, off);
  if (!hr.ok) return hr;
  const header = hr.value;
  if (off + header.length > b.length)
    return fail(FORMAT, "truncated", `length ${header.length}, ${b.length - off} available`);
  if (verifyChecksum && !lsaChecksumOk(b, off, header.length))
    return fail(FORMAT, "badChecksum", `LS checksum 0x${header.checksum.toString(16).padStart(4, "0")} is wrong`);
  const held = verifyChecksum ? known?.(header) : undefined;
  if (held !== undefined) return ok({ header, body: held });
  const body = parseBody(header.type, b, off + LSA_HEADER_LEN, off + header.length);
  if (!body.ok) return body;
  return ok({ header, body: body.value });
}

function parseBody(type: number, b: Uint8Array, start: number, end: number): Parsed<LsaBody> {
  const len = end - start;
  const kind = lsaKindOf(type);
  switch (kind) {
    case "router": {
      if (len < 4) return fail(FORMAT, "truncated", `router-LSA body ${len} bytes, needs 4`);
      const count = rd16(b, start + 2);
      const links: RouterLink[] = [];
      let o = start + 4;
      for (let i = 0; i < count; i++) {
        if (end - o < 12) return fail(FORMAT, "truncated", `router-LSA link ${i + 1} of ${count} cut short`);
        const linkType = b[o + 8]!;
        if (linkType < 1 || linkType > 4) return fail(FORMAT, "badValue", `router-LSA link type ${linkType}`);
        const ntos = b[o + 9]!;
        if (end - o < 12 + 4 * ntos)
          return fail(FORMAT, "truncated", `router-LSA link ${i + 1}: ${ntos} TOS cut short`);
        const tos: TosMetric[] = [];
        for (let t = 0; t < ntos; t++) tos.push({ tos: b[o + 12 + 4 * t]!, metric: rd16(b, o + 14 + 4 * t) });
        links.push({
          linkId: rd32(b, o),
          linkData: rd32(b, o + 4),
          type: linkType as RouterLinkType,
          metric: rd16(b, o + 10),
          tos,
        });
        o += 12 + 4 * ntos;
      }
      if (o !== end) return fail(FORMAT, "badLength", `router-LSA: ${end - o} bytes after ${count} links`);
      return ok({ kind, flags: b[start]!, links });
    }
    case "network": {
      if (len < 4 || len % 4 !== 0) return fail(FORMAT, "badLength", `network-LSA body of ${len} bytes`);
      const attachedRouters: number[] = [];
      for (let o = start + 4; o < end; o += 4) attachedRouters.push(rd32(b, o));
      return ok({ kind, mask: rd32(b, start), attachedRouters });
    }
    case "summary":
    case "asbrSummary": {
      if (len < 8 || len % 4 !== 0) return fail(FORMAT, "badLength", `summary-LSA body of ${len} bytes`);
      const tos: TosMetric[] = [];
      for (let o = start + 8; o < end; o += 4) tos.push({ tos: b[o]!, metric: rd24(b, o + 1) });
      return ok({ kind, mask: rd32(b, start), metric: rd24(b, start + 5), tos });
    }
    case "external":
    case "nssa": {
      if (len < 16 || (len - 4) % 12 !== 0) return fail(FORMAT, "badLength", `external-LSA body of ${len} bytes`);
      const tos: ExternalTos[] = [];
      for (let o = start + 16; o < end; o += 12)
        tos.push({
          tos: b[o]! & 0x7f,
          type2: (b[o]! & 0x80) !== 0,
          metric: rd24(b, o + 1),
          forwardingAddress: rd32(b, o + 4),
          routeTag: rd32(b, o + 8),
        });
      return ok({
        kind,
        mask: rd32(b, start),
        type2: (b[start + 4]! & 0x80) !== 0,
        metric: rd24(b, start + 5),
        forwardingAddress: rd32(b, start + 8),
        routeTag: rd32(b, start + 12),
        tos,
      });
    }
    case "unknown":
      return ok({ kind, data: b.slice(start, end) });
  }
}

/** Bytes of an LSA's body. */
function bodyLen(body: LsaBody): number {
  switch (body.kind) {
    case "router":
      return 4 + body.links.reduce((n, l) => n + 12 + 4 * l.tos.length, 0);
    case "network":
      return 4 + 4 * body.attachedRouters.length;
    case "summary":
    case "asbrSummary":
      return 8 + 4 * body.tos.length;
    case "external":
    case "nssa":
      return 16 + 12 * body.tos.length;
    case "unknown":
      return body.data.length;
  }
}

/** Bytes `emitLsaInto` writes. */
export function lsaBufferLen(lsa: LsaInput): number {
  return LSA_HEADER_LEN + bodyLen(lsa.body);
}

/** Writes an LSA with its Length and checksum at `off`; returns its length. Throws RangeError above 65535 bytes. */
export function emitLsaInto(lsa: LsaInput, b: Uint8Array, off = 0): number {
  const length = lsaBufferLen(lsa);
  if (length > 0xffff) throw new RangeError(`ospf-lsa: length ${length} exceeds 65535`);
  writeLsaHeader({ ...lsa.header, checksum: 0, length }, b, off);
  let o = off + LSA_HEADER_LEN;
  const body = lsa.body;
  switch (body.kind) {
    case "router":
      b[o] = body.flags;
      b[o + 1] = 0;
      wr16(b, o + 2, body.links.length);
      o += 4;
      for (const l of body.links) {
        wr32(b, o, l.linkId);
        wr32(b, o + 4, l.linkData);
        b[o + 8] = l.type;
        b[o + 9] = l.tos.length;
        wr16(b, o + 10, l.metric);
        o += 12;
        for (const t of l.tos) {
          b[o] = t.tos;
          b[o + 1] = 0;
          wr16(b, o + 2, t.metric);
          o += 4;
        }
      }
      break;
    case "network":
      wr32(b, o, body.mask);
      for (const r of body.attachedRouters) wr32(b, (o += 4), r);
      break;
    case "summary":
    case "asbrSummary":
      wr32(b, o, body.mask);
      wr32(b, o + 4, body.metric & 0xffffff);
      o += 8;
      for (const t of body.tos) {
        b[o] = t.tos;
        wr24(b, o + 1, t.metric);
        o += 4;
      }
      break;
    case "external":
    case "nssa":
      wr32(b, o, body.mask);
      wr32(b, o + 4, (body.metric & 0xffffff) | (body.type2 ? 0x80000000 : 0));
      wr32(b, o + 8, body.forwardingAddress);
      wr32(b, o + 12, body.routeTag);
      o += 16;
      for (const t of body.tos) {
        b[o] = (t.tos & 0x7f) | (t.type2 ? 0x80 : 0);
        wr24(b, o + 1, t.metric);
        wr32(b, o + 4, t.forwardingAddress);
        wr32(b, o + 8, t.routeTag);
        o += 12;
      }
      break;
    case "unknown":
      b.set(body.data, o);
      break;
  }
  setLsaChecksum(b, off, length);
  return length;
}

/** Builds an LSA's bytes. */
export function emitLsa(lsa: LsaInput): Uint8Array {
  const b = new Uint8Array(lsaBufferLen(lsa));
  emitLsaInto(lsa, b, 0);
  return b;
}

/** The LSA as a receiver sees it: the caller's fields plus the derived Length and checksum. */
export function buildLsa(lsa: LsaInput): Lsa {
  const b = emitLsa(lsa);
  return { header: readLsaHeader(b, 0), body: lsa.body };
}
