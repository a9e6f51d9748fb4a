// GDOI messages (RFC 6407, the Group Domain of Interpretation, DOI 2) on
// ISAKMP (RFC 2408): the payloads a key server sends a group member in the
// GROUPKEY-PULL exchange (registration) and in GROUPKEY-PUSH (rekeys) on UDP
// 848. Pure parse and emit; hashes, signatures and encryption are the
// caller's (src/protocols/gdoi).
//
// A GDOI SA payload nests its policy: after DOI, situation and the type of the
// first SA attribute payload, the SA KEK (the rekey SA) and SA TEK payloads
// (one per traffic-encryption SA) follow inside the SA payload's length, each
// with a generic header whose Next Payload names the next SA attribute
// payload (Wireshark's isakmp dissector reads it that way too). KD carries key
// packets (TEK keys by SPI, KEK keys by the 16-byte KEK SPI), SEQ the rekey
// sequence number, GAP the group-associated policy attributes. Every other
// payload (HASH, NONCE, ID, SIG, CERT, NOTIFY, DELETE) is parsed by isakmp.ts.
//
// Parse never throws: lengths nested in an SA, SA KEK, SA TEK or KD payload
// must agree with the payload that holds them; an error names the payload and
// carries PAYLOAD-MALFORMED. parse(emit(x)) == x for attributes in the
// canonical form isakmp.ts documents.

import { put16, put32, u16, u32 } from "./bytes.ts";
import {
  attributeLen,
  emitPayloadBodyInto,
  ISAKMP_PAYLOAD_HEADER_LEN,
  type IsakmpAttribute,
  type IsakmpError,
  type IsakmpHeader,
  type IsakmpParsed,
  type IsakmpPayload,
  type IsakmpPayloadInput,
  isakmpPayloadType,
  parseAttributes,
  parseIsakmp,
  parsePayloadBody,
  payloadBodyLen,
  writeAttribute,
} from "./isakmp.ts";
import { ISAKMP_PAYLOAD, NOTIFY } from "./isakmp-constants.ts";
import type { WireErrorReason } from "./result.ts";

/** Group Domain of Interpretation (RFC 6407 5.1). */
export const DOI_GDOI = 2;
/** GDOI's UDP port (RFC 6407 2). */
export const GDOI_PORT = 848;

/** GDOI exchange types (RFC 6407 3, 4). */
export const GDOI_EXCHANGE = { GROUPKEY_PULL: 32, GROUPKEY_PUSH: 33 } as const;

/** GDOI payload types (RFC 6407 5; IANA ISAKMP Next Payload Types). */
export const GDOI_PAYLOAD = { SA_KEK: 15, SA_TEK: 16, KD: 17, SEQ: 18, GAP: 22 } as const;

/** Protocol-ID of an SA TEK payload (RFC 6407 5.4). */
export const GDOI_TEK_PROTO = { IPSEC_ESP: 1, IPSEC_AH: 2 } as const;

/** SA KEK attributes (RFC 6407 5.3.1). */
export const KEK_ATTR = {
  MANAGEMENT_ALGORITHM: 1,
  ALGORITHM: 2,
  KEY_LENGTH: 3,
  KEY_LIFETIME: 4,
  SIG_HASH_ALGORITHM: 5,
  SIG_ALGORITHM: 6,
  SIG_KEY_LENGTH: 7,
  INTEGRITY_ALGORITHM: 8,
} as const;

/** KEK_ALGORITHM values (RFC 6407 5.3.3). */
export const KEK_ALG = { DES: 1, TRIPLE_DES: 2, AES: 3 } as const;
/** SIG_HASH_ALGORITHM values (RFC 6407 5.3.6). */
export const SIG_HASH = { MD5: 1, SHA1: 2, SHA256: 3, SHA384: 4, SHA512: 5 } as const;
/** SIG_ALGORITHM values (RFC 6407 5.3.7). */
export const SIG_ALG = { RSA: 1, DSS: 2, ECDSS: 3, ECDSA_256: 4, ECDSA_384: 5, ECDSA_521: 6 } as const;

/** IPsec DOI attributes GDOI adds for TEKs (RFC 6407 5.4.1; IANA IPsec SA attribute classes 14 and 15). */
export const GDOI_IPSEC_ATTR = { ADDRESS_PRESERVATION: 14, SA_DIRECTION: 15 } as const;
/** ADDRESS_PRESERVATION values: IP header preservation keeps both addresses (Cisco's GETVPN). */
export const ADDRESS_PRESERVATION = {
  NONE: 1,
  SOURCE_ONLY: 2,
  DESTINATION_ONLY: 3,
  SOURCE_AND_DESTINATION: 4,
} as const;
/** SA_DIRECTION values. */
export const SA_DIRECTION = { SENDER_ONLY: 1, RECEIVER_ONLY: 2, SYMMETRIC: 3 } as const;

/** Key packet types in a KD payload (RFC 6407 5.6). */
export const KD_TYPE = { TEK: 1, KEK: 2, LKH: 3, SID: 4 } as const;
/** TEK key packet attributes (RFC 6407 5.6.1). */
export const TEK_KEY_ATTR = { ALGORITHM_KEY: 1, INTEGRITY_KEY: 2, SOURCE_AUTH_KEY: 3 } as const;
/** KEK key packet attributes (RFC 6407 5.6.2). */
export const KEK_KEY_ATTR = { ALGORITHM_KEY: 1, SIGNATURE_KEY: 2 } as const;
/** GAP attributes (RFC 6407 5.8). */
export const GAP_ATTR = { ACTIVATION_TIME_DELAY: 1, DEACTIVATION_TIME_DELAY: 2, SENDER_ID_REQUEST: 3 } as const;

/*
   SA payload, GDOI DOI (RFC 6407 5.1), body after the generic header:
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   !                              DOI                              !
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   !                           Situation                           !
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   !  SA Attribute Next Payload    !           RESERVED2           !
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   ! SA KEK / SA TEK / GAP payloads, each with a generic header ...

   SA KEK (RFC 6407 5.3), body:            SA TEK for ESP/AH (5.4, 5.4.1), body:
   +--------+--------+-----------------+   +--------+--------+--------+--------+
   ! Proto  !SRC Type!  SRC ID Port    !   !Prot-ID ! Proto  !SRC Type!SRC Port
   +--------+--------+-----------------+   +--------+--------+--------+--------+
   !SRC Len ! SRC ID Data ...          !   !  (cont) !  SRC ID Data Len (2)    !
   +--------+--------+-----------------+   ! SRC ID Data ...                   !
   !DST Type!  DST ID Port    !DST Len !   !DST Type!  DST ID Port    !DST Len.!
   +--------+-----------------+--------+   !.(2)    ! DST ID Data ...          !
   ! DST ID Data ...                   !   !Trans ID!  SPI (4) ...             !
   ! SPI (16)                          !   ! IPsec DOI SA attributes ...       !
   ! RESERVED2 (4)                     !   +-----------------------------------+
   ! KEK attributes ...                !
   +-----------------------------------+

   KD (RFC 6407 5.6), body:                Key packet:
   +-----------------+-----------------+   +--------+--------+-----------------+
   ! # of Key Packets!   RESERVED2     !   !KD Type ! RESV   ! KD Length       !
   +-----------------+-----------------+   +--------+--------+-----------------+
   ! Key packets ...                   !   !SPI Size! SPI ... attributes ...   !

   SEQ (RFC 6407 5.7), body: Sequence Number (4). GAP (5.8): attributes.
*/

/** The fixed part of a GDOI SA payload body. */
export const GDOI_SA_HEADER_LEN = 12;
/** The SPI of a KEK: the rekey SA's ISAKMP cookies, initiator then responder (RFC 6407 5.3). */
export const KEK_SPI_LEN = 16;

/** A source or destination identity in an SA KEK or SA TEK (ID types of RFC 2407 4.6.2.1). */
export interface GdoiIdentity {
  idType: number;
  port: number;
  data: Uint8Array;
}

/** SA KEK: the rekey SA's policy. */
export interface GdoiSaKek {
  /** IP protocol of rekey messages (17, UDP). */
  protocol: number;
  src: GdoiIdentity;
  dst: GdoiIdentity;
  /** 16 bytes: the cookies of GROUPKEY-PUSH messages. */
  spi: Uint8Array;
  attributes: IsakmpAttribute[];
}

/** SA TEK for ESP or AH: one traffic-encryption SA with its traffic selector. */
export interface GdoiSaTek {
  /** GDOI_TEK_PROTO.IPSEC_ESP or IPSEC_AH. */
  protocolId: number;
  /** IP protocol of the traffic selector (0: any). */
  protocol: number;
  src: GdoiIdentity;
  dst: GdoiIdentity;
  /** ESP or AH transform ID (RFC 2407 4.4.3/4.4.4). */
  transformId: number;
  /** 4 bytes. */
  spi: Uint8Array;
  /** IPsec DOI SA attributes (life, encapsulation, authentication, key length, address preservation). */
  attributes: IsakmpAttribute[];
}

/** SA payload under the GDOI DOI: the group policy (at most one KEK, TEKs, GAP attributes). */
export interface GdoiSaPayload {
  type: "gdoiSa";
  situation: number;
  kek: GdoiSaKek | null;
  teks: GdoiSaTek[];
  /** GAP attributes when a GAP payload rides in the SA. */
  gap: IsakmpAttribute[] | null;
  body: Uint8Array;
}

/** One key packet of a KD payload. */
export interface GdoiKeyPacket {
  kdType: number;
  spi: Uint8Array;
  attributes: IsakmpAttribute[];
}

/** Key Download payload. */
export interface GdoiKdPayload {
  type: "kd";
  packets: GdoiKeyPacket[];
  body: Uint8Array;
}

/** Sequence number payload (rekey ordering and replay protection). */
export interface GdoiSeqPayload {
  type: "seq";
  sequence: number;
  body: Uint8Array;
}

/** A payload of a GDOI message: the GDOI kinds, or an ISAKMP one (HASH, NONCE, ID, SIG, ...). */
export type GdoiPayload = GdoiSaPayload | GdoiKdPayload | GdoiSeqPayload | Exclude<IsakmpPayload, { type: "sa" }>;

type Unparsed<P> = P extends unknown ? Omit<P, "body"> & { body?: Uint8Array } : never;
/** A payload to emit (body ignored). */
export type GdoiPayloadInput = Unparsed<GdoiPayload>;

const FORMAT = "gdoi";

function bad<T = never>(reason: WireErrorReason, detail: string, payloadType: number): IsakmpParsed<T> {
  const error: IsakmpError = { format: FORMAT, reason, detail, notify: NOTIFY.PAYLOAD_MALFORMED, payloadType };
  return { ok: false, error };
}

function good<T>(value: T): IsakmpParsed<T> {
  return { ok: true, value };
}

// ---------------------------------------------------------------- parse

/** Walks a chain of GDOI message payloads (plaintext or decrypted) from `firstPayload` to Next Payload NONE. */
export function parseGdoiPayloads(firstPayload: number, b: Uint8Array): IsakmpParsed<GdoiPayload[]> {
  const out: GdoiPayload[] = [];
  let type = firstPayload;
  let off = 0;
  while (type !== ISAKMP_PAYLOAD.NONE) {
    const h = payloadHeader(b, off, type, "message");
    if (!h.ok) return h;
    const body = b.subarray(off + ISAKMP_PAYLOAD_HEADER_LEN, off + h.value.len);
    const p = parseGdoiPayloadBody(type, body);
    if (!p.ok) return p;
    out.push(p.value);
    type = h.value.next;
    off += h.value.len;
  }
  return good(out);
}

/** Parses one payload body of a GDOI message as payload type `type`. */
export function parseGdoiPayloadBody(type: number, body: Uint8Array): IsakmpParsed<GdoiPayload> {
  switch (type) {
    case ISAKMP_PAYLOAD.SA:
      return parseGdoiSa(body);
    case GDOI_PAYLOAD.KD:
      return parseKd(body);
    case GDOI_PAYLOAD.SEQ:
      if (body.length !== 4) return bad("badLength", `SEQ payload: ${body.length} bytes, must be 4`, type);
      return good({ type: "seq", sequence: u32(body, 0), body });
    default: {
      const p = parsePayloadBody(type, body);
      if (!p.ok) return p;
      if (p.value.type === "sa") return bad("badValue", "SA payload outside the GDOI DOI", type);
      return good(p.value);
    }
  }
}

function payloadHeader(
  b: Uint8Array,
  off: number,
  type: number,
  where: string,
): IsakmpParsed<{ next: number; len: number }> {
  const left = b.length - off;
  if (left < ISAKMP_PAYLOAD_HEADER_LEN)
    return bad("truncated", `payload ${type} header in the ${where}: ${left} bytes left, needs 4`, type);
  if (b[off + 1] !== 0) return bad("badValue", `reserved not zero on payload ${type} in the ${where}`, type);
  const len = u16(b, off + 2);
  if (len < ISAKMP_PAYLOAD_HEADER_LEN) return bad("badLength", `payload ${type} length ${len} below 4`, type);
  if (len > left)
    return bad("truncated", `payload ${type} length ${len} runs past the ${where} (${left} bytes left)`, type);
  return good({ next: b[off]!, len });
}

function parseGdoiSa(body: Uint8Array): IsakmpParsed<GdoiSaPayload> {
  const SA = ISAKMP_PAYLOAD.SA;
  if (body.length < GDOI_SA_HEADER_LEN)
    return bad("truncated", `SA payload: ${body.length} bytes, the GDOI SA header needs 12`, SA);
  const doi = u32(body, 0);
  if (doi !== DOI_GDOI) return bad("badValue", `SA payload: DOI ${doi}, expected ${DOI_GDOI}`, SA);
  if (u16(body, 10) !== 0) return bad("badValue", "SA payload: RESERVED2 not zero", SA);
  const sa: GdoiSaPayload = { type: "gdoiSa", situation: u32(body, 4), kek: null, teks: [], gap: null, body };
  let type = u16(body, 8);
  let off = GDOI_SA_HEADER_LEN;
  while (type !== ISAKMP_PAYLOAD.NONE) {
    const h = payloadHeader(body, off, type, "SA payload");
    if (!h.ok) return h;
    const inner = body.subarray(off + ISAKMP_PAYLOAD_HEADER_LEN, off + h.value.len);
    switch (type) {
      case GDOI_PAYLOAD.SA_KEK: {
        if (sa.kek !== null) return bad("badValue", "SA payload: a second SA KEK", type);
        const k = parseSaKek(inner);
        if (!k.ok) return k;
        sa.kek = k.value;
        break;
      }
      case GDOI_PAYLOAD.SA_TEK: {
        const t = parseSaTek(inner);
        if (!t.ok) return t;
        sa.teks.push(t.value);
        break;
      }
      case GDOI_PAYLOAD.GAP: {
        const a = parseAttributes(inner, "GAP payload");
        if (!a.ok) return bad(a.error.reason, a.error.detail, type);
        sa.gap = a.value;
        break;
      }
      default:
        return bad("badValue", `SA payload: payload ${type} is not an SA attribute payload (15, 16, 22)`, SA);
    }
    type = h.value.next;
    off += h.value.len;
  }
  if (off !== body.length)
    return bad("badLength", `SA payload: ${body.length - off} bytes after the last SA attribute payload`, SA);
  return good(sa);
}

/** Reads an identity whose length field is `lenBytes` (1 in SA KEK, 2 in SA TEK) at `off`. */
function readIdentity(
  b: Uint8Array,
  off: number,
  lenBytes: 1 | 2,
  what: string,
  type: number,
): IsakmpParsed<{ id: GdoiIdentity; end: number }> {
  const fixed = 3 + lenBytes;
  if (b.length - off < fixed) return bad("truncated", `${what}: ${b.length - off} bytes left, needs ${fixed}`, type);
  const n = lenBytes === 1 ? b[off + 3]! : u16(b, off + 3);
  const end = off + fixed + n;
  if (end > b.length) return bad("truncated", `${what}: ${n} bytes of identification data run past the payload`, type);
  return good({ id: { idType: b[off]!, port: u16(b, off + 1), data: b.slice(off + fixed, end) }, end });
}

function parseSaKek(b: Uint8Array): IsakmpParsed<GdoiSaKek> {
  const T = GDOI_PAYLOAD.SA_KEK;
  if (b.length < 1) return bad("truncated", "SA KEK: no protocol", T);
  const src = readIdentity(b, 1, 1, "SA KEK source identity", T);
  if (!src.ok) return src;
  const dst = readIdentity(b, src.value.end, 1, "SA KEK destination identity", T);
  if (!dst.ok) return dst;
  const spiAt = dst.value.end;
  if (b.length - spiAt < KEK_SPI_LEN + 4)
    return bad("truncated", `SA KEK: ${b.length - spiAt} bytes left, SPI and RESERVED2 need 20`, T);
  const attrs = parseAttributes(b.subarray(spiAt + KEK_SPI_LEN + 4), "SA KEK");
  if (!attrs.ok) return bad(attrs.error.reason, attrs.error.detail, T);
  return good({
    protocol: b[0]!,
    src: src.value.id,
    dst: dst.value.id,
    spi: b.slice(spiAt, spiAt + KEK_SPI_LEN),
    attributes: attrs.value,
  });
}

function parseSaTek(b: Uint8Array): IsakmpParsed<GdoiSaTek> {
  const T = GDOI_PAYLOAD.SA_TEK;
  if (b.length < 2) return bad("truncated", `SA TEK: ${b.length} bytes, Protocol-ID and protocol need 2`, T);
  const protocolId = b[0]!;
  if (protocolId !== GDOI_TEK_PROTO.IPSEC_ESP && protocolId !== GDOI_TEK_PROTO.IPSEC_AH)
    return bad("unsupported", `SA TEK: Protocol-ID ${protocolId} (only ESP 1 and AH 2)`, T);
  const src = readIdentity(b, 2, 2, "SA TEK source identity", T);
  if (!src.ok) return src;
  const dst = readIdentity(b, src.value.end, 2, "SA TEK destination identity", T);
  if (!dst.ok) return dst;
  const at = dst.value.end;
  if (b.length - at < 5) return bad("truncated", `SA TEK: ${b.length - at} bytes left, transform and SPI need 5`, T);
  const attrs = parseAttributes(b.subarray(at + 5), "SA TEK");
  if (!attrs.ok) return bad(attrs.error.reason, attrs.error.detail, T);
  return good({
    protocolId,
    protocol: b[1]!,
    src: src.value.id,
    dst: dst.value.id,
    transformId: b[at]!,
    spi: b.slice(at + 1, at + 5),
    attributes: attrs.value,
  });
}

function parseKd(body: Uint8Array): IsakmpParsed<GdoiKdPayload> {
  const T = GDOI_PAYLOAD.KD;
  if (body.length < 4) return bad("truncated", `KD payload: ${body.length} bytes, the count needs 4`, T);
  const count = u16(body, 0);
  const packets: GdoiKeyPacket[] = [];
  let off = 4;
  for (let i = 1; i <= count; i++) {
    const left = body.length - off;
    if (left < 5) return bad("truncated", `KD key packet ${i} of ${count}: ${left} bytes left, needs 5`, T);
    const len = u16(body, off + 2);
    if (len < 5) return bad("badLength", `KD key packet ${i} length ${len} below 5`, T);
    if (len > left) return bad("truncated", `KD key packet ${i} length ${len} runs past the payload`, T);
    const spiSize = body[off + 4]!;
    if (5 + spiSize > len) return bad("truncated", `KD key packet ${i}: SPI of ${spiSize} bytes runs past it`, T);
    const attrs = parseAttributes(body.subarray(off + 5 + spiSize, off + len), `KD key packet ${i}`);
    if (!attrs.ok) return bad(attrs.error.reason, attrs.error.detail, T);
    packets.push({ kdType: body[off]!, spi: body.slice(off + 5, off + 5 + spiSize), attributes: attrs.value });
    off += len;
  }
  if (off !== body.length) return bad("badLength", `KD payload: ${body.length - off} bytes after ${count} packets`, T);
  return good({ type: "kd", packets, body });
}

/** Parses a whole GDOI message sent in the clear (tests, and a decrypted body with its header). */
export function parseGdoiMessage(b: Uint8Array): IsakmpParsed<{ header: IsakmpHeader; payloads: GdoiPayload[] }> {
  const m = parseIsakmp(b);
  if (!m.ok) return m;
  const ps = parseGdoiPayloads(m.value.header.nextPayload, m.value.body);
  if (!ps.ok) return ps;
  return good({ header: m.value.header, payloads: ps.value });
}

// ---------------------------------------------------------------- emit

function attrsLen(as: readonly IsakmpAttribute[]): number {
  let n = 0;
  for (const a of as) n += attributeLen(a);
  return n;
}

function identityLen(id: GdoiIdentity, lenBytes: 1 | 2): number {
  return 3 + lenBytes + id.data.length;
}

function kekLen(k: GdoiSaKek): number {
  return 1 + identityLen(k.src, 1) + identityLen(k.dst, 1) + KEK_SPI_LEN + 4 + attrsLen(k.attributes);
}

function tekLen(t: GdoiSaTek): number {
  return 2 + identityLen(t.src, 2) + identityLen(t.dst, 2) + 5 + attrsLen(t.attributes);
}

function check(cond: boolean, what: string): void {
  if (!cond) throw new RangeError(`gdoi: ${what}`);
}

/** Bytes of a GDOI payload body as emitted. */
export function gdoiPayloadBodyLen(p: GdoiPayloadInput): number {
  switch (p.type) {
    case "gdoiSa": {
      let n = GDOI_SA_HEADER_LEN;
      if (p.kek !== null) n += ISAKMP_PAYLOAD_HEADER_LEN + kekLen(p.kek);
      for (const t of p.teks) n += ISAKMP_PAYLOAD_HEADER_LEN + tekLen(t);
      if (p.gap !== null) n += ISAKMP_PAYLOAD_HEADER_LEN + attrsLen(p.gap);
      return n;
    }
    case "kd": {
      let n = 4;
      for (const k of p.packets) n += 5 + k.spi.length + attrsLen(k.attributes);
      return n;
    }
    case "seq":
      return 4;
    default:
      return payloadBodyLen(p);
  }
}

/** The payload type a GDOI payload is sent as. */
export function gdoiPayloadType(p: GdoiPayloadInput): number {
  switch (p.type) {
    case "gdoiSa":
      return ISAKMP_PAYLOAD.SA;
    case "kd":
      return GDOI_PAYLOAD.KD;
    case "seq":
      return GDOI_PAYLOAD.SEQ;
    default:
      return isakmpPayloadType(p as IsakmpPayloadInput);
  }
}

function writeAttrs(as: readonly IsakmpAttribute[], b: Uint8Array, off: number): number {
  let o = off;
  for (const a of as) o += writeAttribute(a, b, o);
  return o;
}

function writeIdentity(id: GdoiIdentity, lenBytes: 1 | 2, b: Uint8Array, off: number): number {
  check(id.data.length < (lenBytes === 1 ? 0x100 : 0x10000), `identity of ${id.data.length} bytes`);
  b[off] = id.idType;
  put16(b, off + 1, id.port);
  if (lenBytes === 1) b[off + 3] = id.data.length;
  else put16(b, off + 3, id.data.length);
  b.set(id.data, off + 3 + lenBytes);
  return off + 3 + lenBytes + id.data.length;
}

/** Writes an SA attribute payload's generic header at `off`. */
function writeHeader(b: Uint8Array, off: number, next: number, len: number): void {
  check(len <= 0xffff, `SA attribute payload of ${len} bytes`);
  b[off] = next;
  b[off + 1] = 0;
  put16(b, off + 2, len);
}

function writeGdoiSa(p: Extract<GdoiPayloadInput, { type: "gdoiSa" }>, b: Uint8Array, off: number): void {
  const chain: number[] = [];
  if (p.kek !== null) chain.push(GDOI_PAYLOAD.SA_KEK);
  for (const _ of p.teks) chain.push(GDOI_PAYLOAD.SA_TEK);
  if (p.gap !== null) chain.push(GDOI_PAYLOAD.GAP);
  put32(b, off, DOI_GDOI);
  put32(b, off + 4, p.situation);
  put16(b, off + 8, chain[0] ?? ISAKMP_PAYLOAD.NONE);
  put16(b, off + 10, 0);
  let o = off + GDOI_SA_HEADER_LEN;
  let i = 0;
  const next = () => chain[++i] ?? ISAKMP_PAYLOAD.NONE;
  if (p.kek !== null) {
    const k = p.kek;
    check(k.spi.length === KEK_SPI_LEN, `KEK SPI of ${k.spi.length} bytes, must be 16`);
    const start = o;
    o += ISAKMP_PAYLOAD_HEADER_LEN;
    b[o++] = k.protocol;
    o = writeIdentity(k.src, 1, b, o);
    o = writeIdentity(k.dst, 1, b, o);
    b.set(k.spi, o);
    o += KEK_SPI_LEN;
    b.fill(0, o, o + 4);
    o = writeAttrs(k.attributes, b, o + 4);
    writeHeader(b, start, next(), o - start);
  }
  for (const t of p.teks) {
    check(t.spi.length === 4, `TEK SPI of ${t.spi.length} bytes, must be 4`);
    const start = o;
    o += ISAKMP_PAYLOAD_HEADER_LEN;
    b[o++] = t.protocolId;
    b[o++] = t.protocol;
    o = writeIdentity(t.src, 2, b, o);
    o = writeIdentity(t.dst, 2, b, o);
    b[o++] = t.transformId;
    b.set(t.spi, o);
    o = writeAttrs(t.attributes, b, o + 4);
    writeHeader(b, start, next(), o - start);
  }
  if (p.gap !== null) {
    const start = o;
    o = writeAttrs(p.gap, b, o + ISAKMP_PAYLOAD_HEADER_LEN);
    writeHeader(b, start, next(), o - start);
  }
}

/** Writes a GDOI payload body at `off`; returns its length. Throws RangeError on sizes the format cannot carry. */
export function emitGdoiPayloadBodyInto(p: GdoiPayloadInput, b: Uint8Array, off = 0): number {
  const len = gdoiPayloadBodyLen(p);
  switch (p.type) {
    case "gdoiSa":
      writeGdoiSa(p, b, off);
      break;
    case "kd": {
      check(p.packets.length <= 0xffff, `${p.packets.length} key packets`);
      put16(b, off, p.packets.length);
      put16(b, off + 2, 0);
      let o = off + 4;
      for (const k of p.packets) {
        const n = 5 + k.spi.length + attrsLen(k.attributes);
        check(n <= 0xffff && k.spi.length <= 0xff, `key packet of ${n} bytes`);
        b[o] = k.kdType;
        b[o + 1] = 0;
        put16(b, o + 2, n);
        b[o + 4] = k.spi.length;
        b.set(k.spi, o + 5);
        o = writeAttrs(k.attributes, b, o + 5 + k.spi.length);
      }
      break;
    }
    case "seq":
      put32(b, off, p.sequence);
      break;
    default:
      emitPayloadBodyInto(p as IsakmpPayloadInput, b, off);
  }
  return len;
}

/** A GDOI payload body alone: the bytes a HASH covers after the generic header. */
export function emitGdoiPayloadBody(p: GdoiPayloadInput): Uint8Array {
  const b = new Uint8Array(gdoiPayloadBodyLen(p));
  emitGdoiPayloadBodyInto(p, b, 0);
  return b;
}

/** Chains GDOI payloads with generic headers (Next Payload NONE after the last). */
export function emitGdoiPayloads(payloads: readonly GdoiPayloadInput[]): { firstPayload: number; bytes: Uint8Array } {
  const types = payloads.map(gdoiPayloadType);
  const lens = payloads.map((p) => {
    const n = ISAKMP_PAYLOAD_HEADER_LEN + gdoiPayloadBodyLen(p);
    check(n <= 0xffff, `payload of ${n} bytes`);
    return n;
  });
  const bytes = new Uint8Array(lens.reduce((a, n) => a + n, 0));
  let off = 0;
  payloads.forEach((p, i) => {
    bytes[off] = types[i + 1] ?? ISAKMP_PAYLOAD.NONE;
    bytes[off + 1] = 0;
    put16(bytes, off + 2, lens[i]!);
    emitGdoiPayloadBodyInto(p, bytes, off + ISAKMP_PAYLOAD_HEADER_LEN);
    off += lens[i]!;
  });
  return { firstPayload: types[0] ?? ISAKMP_PAYLOAD.NONE, bytes };
}
