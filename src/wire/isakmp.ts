// ISAKMP messages (RFC 2408) as IKEv1 uses them (RFC 2409, IPsec DOI RFC 2407,
// NAT-D/NAT-OA RFC 3947): the fixed header, the chain of generic payloads and
// the nested SA / proposal / transform / attribute structure. Pure parse and
// emit; nothing here knows about exchanges, keys or encryption (an encrypted
// body is opaque until the caller decrypts it and walks it with
// parseIsakmpPayloads).
//
// Parse checks the header's major version and length, every generic header
// (reserved byte zero, length at least 4 and within the bytes), each payload's
// own fixed part, and that the lengths and counts nested in an SA payload
// agree. A failure names the problem and carries the notify message type IKE
// would answer with (PAYLOAD-MALFORMED, BAD-PROPOSAL-SYNTAX, ...) and, when
// known, the payload it was found in, so the caller can print IOS's
// "reserved not zero on ID payload!" for a message decrypted with the wrong key.
//
// Every parsed payload keeps `body`, its bytes exactly as received after the
// 4-byte generic header: IKEv1 hashes (HASH_I over SAi_b, IDii_b; quick mode
// HASH(1) over the payloads) are computed over those bytes, never over a
// re-encoding. Small identifiers (cookies, SPIs) are copies; bodies, data and
// variable attribute values are views into the input.
//
// Attributes (RFC 2408 3.3): a value that fits in 16 bits is sent in the basic
// (TV) form, a larger number as a 4-byte variable (TLV) value, and a byte
// string as TLV. RFC 2409 Appendix A lets variable attributes travel in either
// form, so on parse a TLV value of 1 to 4 bytes comes back as a number and
// only 0-byte or longer values stay bytes. parse(emit(x)) == x for every
// attribute in that canonical form, and parse(emit(parse(b))) == parse(b).

import { put16, put32, u16, u32 } from "./bytes.ts";
import {
  DOI_IPSEC,
  ISAKMP_FLAG,
  ISAKMP_PAYLOAD,
  isakmpPayloadName,
  NOTIFY,
  SIT_INTEGRITY,
  SIT_SECRECY,
} from "./isakmp-constants.ts";
import type { WireError, WireErrorReason } from "./result.ts";

/*
   ISAKMP header (RFC 2408 3.1):
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   !                          Initiator                            !
   !                            Cookie                             !
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   !                          Responder                            !
   !                            Cookie                             !
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   !  Next Payload ! MjVer ! MnVer ! Exchange Type !     Flags     !
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   !                          Message ID                           !
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   !                            Length                             !
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

   Generic payload header (RFC 2408 3.2), in front of every payload and
   of every proposal and transform inside an SA payload:
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   ! Next Payload  !   RESERVED    !         Payload Length        !
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
*/

export const ISAKMP_FIELD = {
  INITIATOR_COOKIE: [0, 8],
  RESPONDER_COOKIE: [8, 16],
  NEXT_PAYLOAD: 16,
  VERSION: 17,
  EXCHANGE_TYPE: 18,
  FLAGS: 19,
  MESSAGE_ID: [20, 24],
  LENGTH: [24, 28],
  PAYLOADS: 28,
} as const;

/** Generic payload header fields, relative to the payload start. */
export const ISAKMP_PAYLOAD_FIELD = { NEXT_PAYLOAD: 0, RESERVED: 1, LENGTH: [2, 4], BODY: 4 } as const;

/*
   Bodies after the generic header (offsets below are relative to the body):

   SA (RFC 2408 3.4, RFC 2407 4.6.1)     Proposal (3.5), with its own header
   +---------------------------------+   +--------+--------+--------+--------+
   ! Domain of Interpretation (4)    !   ! Prop # ! Proto  !SPI Size!# Trans !
   +---------------------------------+   +--------+--------+--------+--------+
   ! Situation (4)                   !   ! SPI (SPI Size bytes) ... transforms
   +---------------------------------+   +-----------------------------------+
   ! Proposal payloads ...               Transform (3.6), with its own header
                                         +--------+--------+-----------------+
   Attribute (3.3)                       ! Trans #!Trans ID!   RESERVED2     !
   +-+---------------+---------------+   +--------+--------+-----------------+
   !A! Attr Type     ! Length or TV  !   ! SA attributes ...
   +-+---------------+---------------+
   ! Value (TLV form only) ...           ID (RFC 2407 4.6.2)
                                         +--------+--------+-----------------+
   Notification (3.14)                   !ID Type ! Proto  !      Port       !
   +---------------------------------+   +--------+--------+-----------------+
   ! Domain of Interpretation (4)    !   ! Identification Data ...
   +--------+--------+---------------+
   ! Proto  !SPI Size! Notify Type   !   Delete (3.15)
   +--------+--------+---------------+   +-----------------------------------+
   ! SPI ... Notification Data ...       ! Domain of Interpretation (4)      !
                                         +--------+--------+-----------------+
   CERT / CERTREQ (3.9, 3.10)            ! Proto  !SPI Size!   # of SPIs     !
   +--------+------------------------+   +--------+--------+-----------------+
   !Encoding! Data ...                   ! SPIs (# of SPIs x SPI Size) ...

   NAT-OA (RFC 3947 5.2)                 KE, HASH, SIG, NONCE, VENDOR ID,
   +--------+--------+---------------+   NAT-D: the body is the data.
   !ID Type !      RESERVED (3)      !
   +--------+--------+---------------+
   ! IPv4 or IPv6 address ...
*/

/** Fixed ISAKMP header length. */
export const ISAKMP_HEADER_LEN = 28;
/** Generic payload header length. */
export const ISAKMP_PAYLOAD_HEADER_LEN = 4;
/** IKE's UDP port. */
export const ISAKMP_PORT = 500;
/** IKE's UDP port once NAT traversal floats (RFC 3947 4). */
export const ISAKMP_NATT_PORT = 4500;
/** Version byte for ISAKMP 1.0. */
export const ISAKMP_VERSION = 0x10;

/** The fixed header. `version` is the whole byte (major << 4 | minor). */
export interface IsakmpHeader {
  /** 8 bytes. */
  initiatorCookie: Uint8Array;
  /** 8 bytes, all zero in the first message of an exchange. */
  responderCookie: Uint8Array;
  nextPayload: number;
  /** 0x10 for ISAKMP 1.0. */
  version: number;
  exchangeType: number;
  flags: number;
  /** Unsigned. */
  messageId: number;
  /** Whole message in bytes, header included. */
  length: number;
}

/** An SA attribute: `value` is a number (TV form, or a TLV of 1 to 4 bytes) or the raw TLV bytes. */
export interface IsakmpAttribute {
  /** Attribute class without the AF bit. */
  type: number;
  value: number | Uint8Array;
}

/** A transform inside a proposal. */
export interface IsakmpTransform {
  number: number;
  transformId: number;
  attributes: IsakmpAttribute[];
}

/** A proposal inside an SA payload; proposals sharing a number are a logical AND (AH + ESP). */
export interface IsakmpProposal {
  number: number;
  protocolId: number;
  spi: Uint8Array;
  transforms: IsakmpTransform[];
}

/** Security Association payload. */
export interface IsakmpSaPayload {
  type: "sa";
  doi: number;
  situation: number;
  proposals: IsakmpProposal[];
  body: Uint8Array;
}

/** Kinds whose body is just data. */
export type IsakmpDataKind = "ke" | "nonce" | "hash" | "sig" | "vendorId" | "natD";

/** KE, NONCE, HASH, SIG, VENDOR ID or NAT-D payload: `data` is the whole body. */
export interface IsakmpDataPayload<K extends IsakmpDataKind = IsakmpDataKind> {
  type: K;
  data: Uint8Array;
  body: Uint8Array;
}

/** Identification payload (IPsec DOI). */
export interface IsakmpIdPayload {
  type: "id";
  idType: number;
  protocolId: number;
  port: number;
  data: Uint8Array;
  body: Uint8Array;
}

/** Certificate or certificate request payload. */
export interface IsakmpCertPayload<K extends "cert" | "certreq" = "cert" | "certreq"> {
  type: K;
  encoding: number;
  data: Uint8Array;
  body: Uint8Array;
}

/** Notification payload. */
export interface IsakmpNotifyPayload {
  type: "notify";
  doi: number;
  protocolId: number;
  spi: Uint8Array;
  messageType: number;
  data: Uint8Array;
  body: Uint8Array;
}

/** Delete payload; every SPI is `spiSize` bytes. */
export interface IsakmpDeletePayload {
  type: "delete";
  doi: number;
  protocolId: number;
  spiSize: number;
  spis: Uint8Array[];
  body: Uint8Array;
}

/** NAT original address payload (RFC 3947 5.2): `data` is the 4- or 16-byte address. */
export interface IsakmpNatOaPayload {
  type: "natOa";
  idType: number;
  data: Uint8Array;
  body: Uint8Array;
}

/** A payload type this module does not decode (or one crafted raw on emit). */
export interface IsakmpUnknownPayload {
  type: "unknown";
  payloadType: number;
  data: Uint8Array;
  body: Uint8Array;
}

/** One parsed payload. */
export type IsakmpPayload =
  | IsakmpSaPayload
  | IsakmpDataPayload<"ke">
  | IsakmpDataPayload<"nonce">
  | IsakmpDataPayload<"hash">
  | IsakmpDataPayload<"sig">
  | IsakmpDataPayload<"vendorId">
  | IsakmpDataPayload<"natD">
  | IsakmpIdPayload
  | IsakmpCertPayload<"cert">
  | IsakmpCertPayload<"certreq">
  | IsakmpNotifyPayload
  | IsakmpDeletePayload
  | IsakmpNatOaPayload
  | IsakmpUnknownPayload;

type Unparsed<P> = P extends unknown ? Omit<P, "body"> & { body?: Uint8Array } : never;

/**
 * A payload to emit: the parsed shape with `body` optional. Emit always
 * encodes from the fields and ignores `body`. `unknown` writes its data under
 * any payload type (tests use it to craft malformed payloads).
 */
export type IsakmpPayloadInput = Unparsed<IsakmpPayload>;

/** A parse failure with the notify message type IKE answers it with. */
export interface IsakmpError extends WireError {
  /** NOTIFY.* message type for an Informational reply (PAYLOAD_MALFORMED, BAD_PROPOSAL_SYNTAX, ...). */
  notify: number;
  /** Payload type the problem was found in (a proposal or transform reports its SA payload). */
  payloadType?: number;
}

/** Outcome of an ISAKMP parse; assignable to `Parsed<T>`. */
export type IsakmpParsed<T> = { ok: true; value: T } | { ok: false; error: IsakmpError };

const FORMAT = "isakmp";

function bad<T = never>(
  reason: WireErrorReason,
  detail: string,
  notify: number,
  payloadType?: number,
): IsakmpParsed<T> {
  const error: IsakmpError = { format: FORMAT, reason, detail, notify };
  if (payloadType !== undefined) error.payloadType = payloadType;
  return { ok: false, error };
}

function good<T>(value: T): IsakmpParsed<T> {
  return { ok: true, value };
}

// ---------------------------------------------------------------- header

/** Parses the fixed header; checks the major version (1) and that Length covers the header and fits in `b`. */
export function parseIsakmpHeader(b: Uint8Array): IsakmpParsed<IsakmpHeader> {
  if (b.length < ISAKMP_HEADER_LEN)
    return bad("truncated", `${b.length} bytes, header needs 28`, NOTIFY.PAYLOAD_MALFORMED);
  const version = b[17]!;
  if (version >>> 4 !== 1)
    return bad("badVersion", `major version ${version >>> 4}, expected 1`, NOTIFY.INVALID_MAJOR_VERSION);
  const length = u32(b, 24);
  if (length < ISAKMP_HEADER_LEN)
    return bad("badLength", `length ${length} below the 28-byte header`, NOTIFY.UNEQUAL_PAYLOAD_LENGTHS);
  if (length > b.length)
    return bad("truncated", `length ${length}, ${b.length} bytes received`, NOTIFY.UNEQUAL_PAYLOAD_LENGTHS);
  return good({
    initiatorCookie: b.slice(0, 8),
    responderCookie: b.slice(8, 16),
    nextPayload: b[16]!,
    version,
    exchangeType: b[18]!,
    flags: b[19]!,
    messageId: u32(b, 20),
    length,
  });
}

/**
 * Parses the header and returns the body (bytes after the header up to
 * Length; a view). Bytes after Length are ignored, as IPv4 ignores link padding.
 */
export function parseIsakmp(b: Uint8Array): IsakmpParsed<{ header: IsakmpHeader; body: Uint8Array }> {
  const h = parseIsakmpHeader(b);
  if (!h.ok) return h;
  return good({ header: h.value, body: b.subarray(ISAKMP_HEADER_LEN, h.value.length) });
}

/** Header fields the caller sets; Length is derived and the first payload type is passed separately. */
export type IsakmpHeaderInput = Omit<IsakmpHeader, "length" | "nextPayload" | "version"> & {
  /** Ignored: `emitIsakmp` writes its `firstPayload` argument (present so a parsed header can be passed). */
  nextPayload?: number;
  /** Version byte; 0x10 unless a test wants another. */
  version?: number;
};

/**
 * Builds header + body with Length filled in. `body` is written as given
 * (plaintext payloads, or the ciphertext of an encrypted message).
 * Throws RangeError if a cookie is not 8 bytes.
 */
export function emitIsakmp(header: IsakmpHeaderInput, body: Uint8Array, firstPayload: number): Uint8Array {
  if (header.initiatorCookie.length !== 8 || header.responderCookie.length !== 8) {
    throw new RangeError(
      `isakmp: cookies must be 8 bytes (got ${header.initiatorCookie.length} and ${header.responderCookie.length})`,
    );
  }
  const b = new Uint8Array(ISAKMP_HEADER_LEN + body.length);
  b.set(header.initiatorCookie, 0);
  b.set(header.responderCookie, 8);
  b[16] = firstPayload;
  b[17] = header.version ?? ISAKMP_VERSION;
  b[18] = header.exchangeType;
  b[19] = header.flags;
  put32(b, 20, header.messageId);
  put32(b, 24, b.length);
  b.set(body, ISAKMP_HEADER_LEN);
  return b;
}

// ---------------------------------------------------------------- payload chain

/**
 * Walks a chain of payloads starting with type `firstPayload` over a
 * plaintext (or decrypted) body. Stops at Next Payload NONE; whatever follows
 * the last payload is ignored, which is where an encrypted body's padding sits.
 */
export function parseIsakmpPayloads(firstPayload: number, b: Uint8Array): IsakmpParsed<IsakmpPayload[]> {
  const out: IsakmpPayload[] = [];
  let type = firstPayload;
  let off = 0;
  while (type !== ISAKMP_PAYLOAD.NONE) {
    const name = isakmpPayloadName(type);
    const left = b.length - off;
    if (left < ISAKMP_PAYLOAD_HEADER_LEN) {
      return bad(
        "truncated",
        `${name} payload header at offset ${off}: ${left} bytes left, needs 4`,
        NOTIFY.PAYLOAD_MALFORMED,
        type,
      );
    }
    if (b[off + 1] !== 0)
      return bad("badValue", `reserved not zero on ${name} payload`, NOTIFY.PAYLOAD_MALFORMED, type);
    const len = u16(b, off + 2);
    if (len < ISAKMP_PAYLOAD_HEADER_LEN)
      return bad("badLength", `${name} payload length ${len} below 4`, NOTIFY.PAYLOAD_MALFORMED, type);
    if (len > left)
      return bad(
        "truncated",
        `${name} payload length ${len} runs past the end (${left} bytes left)`,
        NOTIFY.PAYLOAD_MALFORMED,
        type,
      );
    const p = parsePayloadBody(type, b.subarray(off + ISAKMP_PAYLOAD_HEADER_LEN, off + len));
    if (!p.ok) return p;
    out.push(p.value);
    type = b[off]!;
    off += len;
  }
  return good(out);
}

/** Parses one payload's body (the bytes after its generic header) as payload type `type`. */
export function parsePayloadBody(type: number, body: Uint8Array): IsakmpParsed<IsakmpPayload> {
  const name = isakmpPayloadName(type);
  const short = (need: number, what: string) =>
    bad<IsakmpPayload>(
      "truncated",
      `${name} payload: ${body.length} bytes, ${what} needs ${need}`,
      NOTIFY.PAYLOAD_MALFORMED,
      type,
    );
  switch (type) {
    case ISAKMP_PAYLOAD.SA:
      return parseSa(body);
    case ISAKMP_PAYLOAD.KE:
      return good({ type: "ke", data: body, body });
    case ISAKMP_PAYLOAD.NONCE:
      return good({ type: "nonce", data: body, body });
    case ISAKMP_PAYLOAD.HASH:
      return good({ type: "hash", data: body, body });
    case ISAKMP_PAYLOAD.SIG:
      return good({ type: "sig", data: body, body });
    case ISAKMP_PAYLOAD.VENDOR_ID:
      return good({ type: "vendorId", data: body, body });
    case ISAKMP_PAYLOAD.NAT_D:
      return good({ type: "natD", data: body, body });
    case ISAKMP_PAYLOAD.ID:
      if (body.length < 4) return short(4, "ID type, protocol and port");
      return good({
        type: "id",
        idType: body[0]!,
        protocolId: body[1]!,
        port: u16(body, 2),
        data: body.subarray(4),
        body,
      });
    case ISAKMP_PAYLOAD.CERT:
    case ISAKMP_PAYLOAD.CERTREQ:
      if (body.length < 1) return short(1, "the encoding");
      return good({
        type: type === ISAKMP_PAYLOAD.CERT ? "cert" : "certreq",
        encoding: body[0]!,
        data: body.subarray(1),
        body,
      });
    case ISAKMP_PAYLOAD.NOTIFY: {
      if (body.length < 8) return short(8, "DOI, protocol, SPI size and type");
      const spiEnd = 8 + body[5]!;
      if (spiEnd > body.length) return short(spiEnd, `an SPI of ${body[5]} bytes`);
      return good({
        type: "notify",
        doi: u32(body, 0),
        protocolId: body[4]!,
        spi: body.slice(8, spiEnd),
        messageType: u16(body, 6),
        data: body.subarray(spiEnd),
        body,
      });
    }
    case ISAKMP_PAYLOAD.DELETE: {
      if (body.length < 8) return short(8, "DOI, protocol, SPI size and count");
      const spiSize = body[5]!;
      const count = u16(body, 6);
      if (count > 0 && spiSize === 0)
        return bad("badValue", `${name} payload: ${count} SPIs of size 0`, NOTIFY.PAYLOAD_MALFORMED, type);
      const need = 8 + count * spiSize;
      if (need > body.length) return short(need, `${count} SPIs of ${spiSize} bytes`);
      if (need < body.length) {
        return bad(
          "badLength",
          `${name} payload: ${body.length - need} bytes after ${count} SPIs of ${spiSize} bytes`,
          NOTIFY.PAYLOAD_MALFORMED,
          type,
        );
      }
      const spis: Uint8Array[] = [];
      for (let i = 0; i < count; i++) spis.push(body.slice(8 + i * spiSize, 8 + (i + 1) * spiSize));
      return good({ type: "delete", doi: u32(body, 0), protocolId: body[4]!, spiSize, spis, body });
    }
    case ISAKMP_PAYLOAD.NAT_OA:
      if (body.length < 4) return short(4, "ID type and reserved");
      if (body[1] !== 0 || body[2] !== 0 || body[3] !== 0)
        return bad("badValue", `reserved not zero on ${name} payload`, NOTIFY.PAYLOAD_MALFORMED, type);
      return good({ type: "natOa", idType: body[0]!, data: body.subarray(4), body });
    default:
      return good({ type: "unknown", payloadType: type, data: body, body });
  }
}

// ---------------------------------------------------------------- SA payload

function proposalError(reason: WireErrorReason, detail: string): IsakmpParsed<never> {
  return bad(reason, `SA payload: ${detail}`, NOTIFY.BAD_PROPOSAL_SYNTAX, ISAKMP_PAYLOAD.SA);
}

function parseSa(body: Uint8Array): IsakmpParsed<IsakmpSaPayload> {
  if (body.length < 8) {
    return bad(
      "truncated",
      `SA payload: ${body.length} bytes, DOI and situation need 8`,
      NOTIFY.PAYLOAD_MALFORMED,
      ISAKMP_PAYLOAD.SA,
    );
  }
  const doi = u32(body, 0);
  const situation = u32(body, 4);
  if (doi === DOI_IPSEC && (situation & (SIT_SECRECY | SIT_INTEGRITY)) !== 0) {
    // Secrecy/integrity situations append labelled-domain fields (RFC 2407 4.6.1) nobody sends.
    return bad(
      "unsupported",
      `SA payload: situation 0x${situation.toString(16)} (secrecy/integrity labels)`,
      NOTIFY.SITUATION_NOT_SUPPORTED,
      ISAKMP_PAYLOAD.SA,
    );
  }
  if (body.length === 8) return proposalError("badLength", "no proposal");
  const proposals: IsakmpProposal[] = [];
  let off = 8;
  for (;;) {
    const left = body.length - off;
    const which = `proposal ${proposals.length + 1}`;
    if (left < 8)
      return proposalError(
        "truncated",
        `${which} header at offset ${off + 4} of the SA payload: ${left} bytes left, needs 8`,
      );
    if (body[off + 1] !== 0) return proposalError("badValue", `reserved not zero on ${which}`);
    const len = u16(body, off + 2);
    if (len < 8) return proposalError("badLength", `${which} length ${len} below 8`);
    if (len > left)
      return proposalError("truncated", `${which} length ${len} runs past the SA payload (${left} bytes left)`);
    const p = parseProposal(body.subarray(off, off + len), which);
    if (!p.ok) return p;
    proposals.push(p.value);
    const next = body[off]!;
    off += len;
    if (next === ISAKMP_PAYLOAD.NONE) break;
    if (next !== ISAKMP_PAYLOAD.PROPOSAL)
      return proposalError("badValue", `${which} has next payload ${next}, expected 2 or 0`);
  }
  if (off !== body.length) return proposalError("badLength", `${body.length - off} bytes after the last proposal`);
  return good({ type: "sa", doi, situation, proposals, body });
}

/** `p` is one proposal including its generic header, already length-checked. */
function parseProposal(p: Uint8Array, which: string): IsakmpParsed<IsakmpProposal> {
  const number = p[4]!;
  const protocolId = p[5]!;
  const spiSize = p[6]!;
  const count = p[7]!;
  const spiEnd = 8 + spiSize;
  if (spiEnd > p.length)
    return proposalError("truncated", `${which}: SPI of ${spiSize} bytes runs past its length ${p.length}`);
  if (count === 0) return proposalError("badValue", `${which} has no transforms`);
  const transforms: IsakmpTransform[] = [];
  let off = spiEnd;
  for (let i = 1; i <= count; i++) {
    const left = p.length - off;
    const t = `${which} transform ${i} of ${count}`;
    if (left < 8) return proposalError("truncated", `${t}: ${left} bytes left in the proposal, header needs 8`);
    if (p[off + 1] !== 0) return proposalError("badValue", `reserved not zero on ${t}`);
    const len = u16(p, off + 2);
    if (len < 8) return proposalError("badLength", `${t} length ${len} below 8`);
    if (len > left) return proposalError("truncated", `${t} length ${len} runs past the proposal (${left} bytes left)`);
    if (u16(p, off + 6) !== 0) return proposalError("badValue", `reserved2 not zero on ${t}`);
    const attributes = parseAttributes(p.subarray(off + 8, off + len), t);
    if (!attributes.ok) return attributes;
    transforms.push({ number: p[off + 4]!, transformId: p[off + 5]!, attributes: attributes.value });
    const next = p[off]!;
    off += len;
    const want = i < count ? ISAKMP_PAYLOAD.TRANSFORM : ISAKMP_PAYLOAD.NONE;
    if (next !== want) {
      return proposalError(
        "badValue",
        `${t} has next payload ${next}, expected ${want}${want === 0 ? ` (the proposal says ${count} transforms)` : ""}`,
      );
    }
  }
  if (off !== p.length)
    return proposalError("badLength", `${p.length - off} bytes after the last transform of ${which}`);
  return good({ number, protocolId, spi: p.slice(8, spiEnd), transforms });
}

/** Parses a run of SA attributes (also GDOI's KEK, TEK and key-packet attributes); errors name `where`. */
export function parseAttributes(b: Uint8Array, where: string): IsakmpParsed<IsakmpAttribute[]> {
  const out: IsakmpAttribute[] = [];
  let off = 0;
  while (off < b.length) {
    const left = b.length - off;
    if (left < 4) return proposalError("truncated", `${where}: attribute at offset ${off} has ${left} bytes, needs 4`);
    const t = u16(b, off);
    if (t & 0x8000) {
      out.push({ type: t & 0x7fff, value: u16(b, off + 2) });
      off += 4;
      continue;
    }
    const len = u16(b, off + 2);
    if (len > left - 4)
      return proposalError(
        "truncated",
        `${where}: attribute ${t} length ${len} runs past the transform (${left - 4} bytes left)`,
      );
    const v = b.subarray(off + 4, off + 4 + len);
    out.push({ type: t, value: len >= 1 && len <= 4 ? readUint(v) : v });
    off += 4 + len;
  }
  return good(out);
}

function readUint(v: Uint8Array): number {
  let n = 0;
  for (const x of v) n = n * 256 + x;
  return n;
}

/**
 * An attribute's value as a number whichever form it came in: TV, or a TLV
 * of up to 6 significant bytes (e.g. a Life Duration a peer sent as 8 bytes).
 * Undefined for a longer or empty byte string.
 */
export function isakmpAttrNumber(a: IsakmpAttribute): number | undefined {
  if (typeof a.value === "number") return a.value;
  let i = 0;
  while (i < a.value.length && a.value[i] === 0) i++;
  if (a.value.length === 0 || a.value.length - i > 6) return undefined;
  return readUint(a.value.subarray(i));
}

/** The first attribute of class `type` in a transform, as a number (see isakmpAttrNumber). */
export function transformAttr(t: IsakmpTransform, type: number): number | undefined {
  const a = t.attributes.find((x) => x.type === type);
  return a && isakmpAttrNumber(a);
}

/** The first payload of a kind, typed. */
export function findPayload<K extends IsakmpPayload["type"]>(
  ps: readonly IsakmpPayload[],
  type: K,
): Extract<IsakmpPayload, { type: K }> | undefined {
  return ps.find((p): p is Extract<IsakmpPayload, { type: K }> => p.type === type);
}

// ---------------------------------------------------------------- emit

/** The payload type number a payload is sent as. */
export function isakmpPayloadType(p: IsakmpPayloadInput): number {
  switch (p.type) {
    case "sa":
      return ISAKMP_PAYLOAD.SA;
    case "ke":
      return ISAKMP_PAYLOAD.KE;
    case "id":
      return ISAKMP_PAYLOAD.ID;
    case "cert":
      return ISAKMP_PAYLOAD.CERT;
    case "certreq":
      return ISAKMP_PAYLOAD.CERTREQ;
    case "hash":
      return ISAKMP_PAYLOAD.HASH;
    case "sig":
      return ISAKMP_PAYLOAD.SIG;
    case "nonce":
      return ISAKMP_PAYLOAD.NONCE;
    case "notify":
      return ISAKMP_PAYLOAD.NOTIFY;
    case "delete":
      return ISAKMP_PAYLOAD.DELETE;
    case "vendorId":
      return ISAKMP_PAYLOAD.VENDOR_ID;
    case "natD":
      return ISAKMP_PAYLOAD.NAT_D;
    case "natOa":
      return ISAKMP_PAYLOAD.NAT_OA;
    case "unknown":
      return p.payloadType;
  }
}

/** Bytes `writeAttribute` writes for `a`. */
export function attributeLen(a: IsakmpAttribute): number {
  if (typeof a.value !== "number") return 4 + a.value.length;
  return a.value <= 0xffff ? 4 : 8;
}

function transformLen(t: IsakmpTransform): number {
  let n = 8;
  for (const a of t.attributes) n += attributeLen(a);
  return n;
}

function proposalLen(p: IsakmpProposal): number {
  let n = 8 + p.spi.length;
  for (const t of p.transforms) n += transformLen(t);
  return n;
}

/** Bytes `emitPayloadBody` produces. */
export function payloadBodyLen(p: IsakmpPayloadInput): number {
  switch (p.type) {
    case "sa": {
      let n = 8;
      for (const pr of p.proposals) n += proposalLen(pr);
      return n;
    }
    case "id":
    case "natOa":
      return 4 + p.data.length;
    case "cert":
    case "certreq":
      return 1 + p.data.length;
    case "notify":
      return 8 + p.spi.length + p.data.length;
    case "delete":
      return 8 + p.spis.length * p.spiSize;
    default:
      return p.data.length;
  }
}

function check16(n: number, what: string): void {
  if (n > 0xffff) throw new RangeError(`isakmp: ${what} ${n} exceeds 65535`);
}
function check8(n: number, what: string): void {
  if (n > 0xff) throw new RangeError(`isakmp: ${what} ${n} exceeds 255`);
}

/** Writes one attribute in its canonical form (TV when it fits in 16 bits) at `off`; returns its length. */
export function writeAttribute(a: IsakmpAttribute, b: Uint8Array, off: number): number {
  if (!Number.isInteger(a.type) || a.type < 0 || a.type > 0x7fff)
    throw new RangeError(`isakmp: attribute type ${a.type} is not 0..32767`);
  if (typeof a.value !== "number") {
    check16(a.value.length, `attribute ${a.type} value length`);
    put16(b, off, a.type);
    put16(b, off + 2, a.value.length);
    b.set(a.value, off + 4);
    return 4 + a.value.length;
  }
  if (!Number.isInteger(a.value) || a.value < 0 || a.value > 0xffffffff) {
    throw new RangeError(
      `isakmp: attribute ${a.type} value ${a.value} is not 0..2^32-1 (pass bytes for longer values)`,
    );
  }
  if (a.value <= 0xffff) {
    put16(b, off, 0x8000 | a.type);
    put16(b, off + 2, a.value);
    return 4;
  }
  put16(b, off, a.type);
  put16(b, off + 2, 4);
  put32(b, off + 4, a.value);
  return 8;
}

function writeProposal(p: IsakmpProposal, last: boolean, b: Uint8Array, off: number): number {
  const len = proposalLen(p);
  check16(len, `proposal ${p.number} length`);
  check8(p.spi.length, `proposal ${p.number} SPI size`);
  check8(p.transforms.length, `proposal ${p.number} transform count`);
  b[off] = last ? ISAKMP_PAYLOAD.NONE : ISAKMP_PAYLOAD.PROPOSAL;
  b[off + 1] = 0;
  put16(b, off + 2, len);
  b[off + 4] = p.number;
  b[off + 5] = p.protocolId;
  b[off + 6] = p.spi.length;
  b[off + 7] = p.transforms.length;
  b.set(p.spi, off + 8);
  let o = off + 8 + p.spi.length;
  p.transforms.forEach((t, i) => {
    const start = o;
    b[o] = i === p.transforms.length - 1 ? ISAKMP_PAYLOAD.NONE : ISAKMP_PAYLOAD.TRANSFORM;
    b[o + 1] = 0;
    b[o + 4] = t.number;
    b[o + 5] = t.transformId;
    b[o + 6] = 0;
    b[o + 7] = 0;
    o += 8;
    for (const a of t.attributes) o += writeAttribute(a, b, o);
    put16(b, start + 2, o - start);
  });
  return len;
}

/** Writes a payload's body (no generic header) at `off`; returns its length. */
export function emitPayloadBodyInto(p: IsakmpPayloadInput, b: Uint8Array, off = 0): number {
  const len = payloadBodyLen(p);
  switch (p.type) {
    case "sa": {
      put32(b, off, p.doi);
      put32(b, off + 4, p.situation);
      let o = off + 8;
      p.proposals.forEach((pr, i) => {
        o += writeProposal(pr, i === p.proposals.length - 1, b, o);
      });
      break;
    }
    case "id":
      b[off] = p.idType;
      b[off + 1] = p.protocolId;
      put16(b, off + 2, p.port);
      b.set(p.data, off + 4);
      break;
    case "natOa":
      b[off] = p.idType;
      b.fill(0, off + 1, off + 4);
      b.set(p.data, off + 4);
      break;
    case "cert":
    case "certreq":
      b[off] = p.encoding;
      b.set(p.data, off + 1);
      break;
    case "notify":
      check8(p.spi.length, "notify SPI size");
      put32(b, off, p.doi);
      b[off + 4] = p.protocolId;
      b[off + 5] = p.spi.length;
      put16(b, off + 6, p.messageType);
      b.set(p.spi, off + 8);
      b.set(p.data, off + 8 + p.spi.length);
      break;
    case "delete":
      check8(p.spiSize, "delete SPI size");
      check16(p.spis.length, "delete SPI count");
      put32(b, off, p.doi);
      b[off + 4] = p.protocolId;
      b[off + 5] = p.spiSize;
      put16(b, off + 6, p.spis.length);
      p.spis.forEach((s, i) => {
        if (s.length !== p.spiSize)
          throw new RangeError(`isakmp: delete SPI ${i} has ${s.length} bytes, SPI size is ${p.spiSize}`);
        b.set(s, off + 8 + i * p.spiSize);
      });
      break;
    default:
      b.set(p.data, off);
  }
  return len;
}

/** A payload's body without the generic header: the bytes IKEv1 hashes (SAi_b, IDii_b, ...). */
export function emitPayloadBody(p: IsakmpPayloadInput): Uint8Array {
  const b = new Uint8Array(payloadBodyLen(p));
  emitPayloadBodyInto(p, b, 0);
  return b;
}

/**
 * Chains payloads with generic headers, each Next Payload naming the
 * following one (NONE after the last). `firstPayload` goes into the ISAKMP
 * header (NONE for an empty list). Throws RangeError on a payload over
 * 65535 bytes or a payload type outside 1..255.
 */
export function emitIsakmpPayloads(payloads: readonly IsakmpPayloadInput[]): {
  firstPayload: number;
  bytes: Uint8Array;
} {
  const types = payloads.map((p) => {
    const t = isakmpPayloadType(p);
    if (!Number.isInteger(t) || t < 1 || t > 255) throw new RangeError(`isakmp: payload type ${t} is not 1..255`);
    return t;
  });
  const lens = payloads.map((p, i) => {
    const n = ISAKMP_PAYLOAD_HEADER_LEN + payloadBodyLen(p);
    check16(n, `${isakmpPayloadName(types[i]!)} payload length`);
    return n;
  });
  const bytes = new Uint8Array(lens.reduce((a, n) => a + n, 0));
  let off = 0;
  payloads.forEach((p, i) => {
    bytes[off] = types[i + 1] ?? ISAKMP_PAYLOAD.NONE;
    bytes[off + 1] = 0;
    put16(bytes, off + 2, lens[i]!);
    emitPayloadBodyInto(p, bytes, off + ISAKMP_PAYLOAD_HEADER_LEN);
    off += lens[i]!;
  });
  return { firstPayload: types[0] ?? ISAKMP_PAYLOAD.NONE, bytes };
}

/** Builds a whole plaintext message: header + chained payloads. */
export function emitIsakmpMessage(header: IsakmpHeaderInput, payloads: readonly IsakmpPayloadInput[]): Uint8Array {
  const { firstPayload, bytes } = emitIsakmpPayloads(payloads);
  return emitIsakmp(header, bytes, firstPayload);
}

/**
 * Parses header and payloads of a message sent in the clear (main mode 1-4,
 * aggressive mode 1-2, an unencrypted informational). A message with the
 * encryption flag set fails as "unsupported": decrypt its body and walk it
 * with parseIsakmpPayloads(header.nextPayload, plaintext).
 */
export function parseIsakmpMessage(b: Uint8Array): IsakmpParsed<{ header: IsakmpHeader; payloads: IsakmpPayload[] }> {
  const m = parseIsakmp(b);
  if (!m.ok) return m;
  const { header, body } = m.value;
  if (header.flags & ISAKMP_FLAG.ENCRYPTION) return bad("unsupported", "body is encrypted", NOTIFY.INVALID_FLAGS);
  const ps = parseIsakmpPayloads(header.nextPayload, body);
  if (!ps.ok) return ps;
  return good({ header, payloads: ps.value });
}
