// ASN.1 DER (ITU-T X.690 clauses 8 and 10): tag-length-value elements, the
// universal types X.509 needs (BOOLEAN, INTEGER, BIT STRING, OCTET STRING,
// NULL, OBJECT IDENTIFIER, the string types, UTCTime, GeneralizedTime,
// SEQUENCE, SET) and context-specific tags. Pure parse and emit.
//
// Parse checks what DER requires of the framing: a low tag number (0..30,
// no high-tag form), a definite length in the shortest form (long form only
// from 128 on, no leading zero length octet, at most 4 length octets), and
// that the contents fit in the bytes; a constructed element's children must
// cover its contents exactly. Values are checked when read (an INTEGER in the
// shortest two's complement form, BIT STRING unused bits 0..7, an OID with
// minimal base-128 arcs, times with every digit and the Z). Nothing throws on
// input: every failure is a WireError naming the offset or the type.

import { fail, ok, type Parsed } from "./result.ts";

/*
   One element (X.690 8.1):
   +------------+----------------------------+----------------------+
   | identifier | length                     | contents             |
   | 1 octet    | 1 octet (0..127), or       | `length` octets      |
   |            | 0x80|k then k octets (k<=4)|                      |
   +------------+----------------------------+----------------------+
   identifier: bits 8-7 class (00 universal, 10 context-specific),
               bit 6 constructed, bits 5-1 tag number (11111 = high form).
*/

/** Identifier bits. */
export const DER_IDENTIFIER = { CLASS_MASK: 0xc0, CONTEXT: 0x80, CONSTRUCTED: 0x20, NUMBER_MASK: 0x1f } as const;

/** Identifier octets of the universal types used here. */
export const DER_TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Longest length field accepted (4 octets: contents under 4 GB). */
export const DER_MAX_LENGTH_OCTETS = 4;

/** One parsed element; `value` and `bytes` are views into the input. */
export interface DerElement {
  /** The identifier octet. */
  tag: number;
  /** Contents octets. */
  value: Uint8Array;
  /** The whole element: identifier, length and contents. */
  bytes: Uint8Array;
}

const FORMAT = "asn1-der";

/** The identifier of a context-specific tag `[n]` (constructed for EXPLICIT tagging). */
export function derContextTag(n: number, constructed = true): number {
  return DER_IDENTIFIER.CONTEXT | (constructed ? DER_IDENTIFIER.CONSTRUCTED : 0) | (n & DER_IDENTIFIER.NUMBER_MASK);
}

/** True when the element's identifier says constructed. */
export function derIsConstructed(e: DerElement): boolean {
  return (e.tag & DER_IDENTIFIER.CONSTRUCTED) !== 0;
}

// ---------------------------------------------------------------- parse

/** Reads one element at `offset`; `next` is the offset after it. */
export function parseDerAt(b: Uint8Array, offset: number): Parsed<{ element: DerElement; next: number }> {
  if (offset + 2 > b.length)
    return fail(FORMAT, "truncated", `element at ${offset}: ${b.length - offset} bytes, needs at least 2`);
  const tag = b[offset]!;
  if ((tag & DER_IDENTIFIER.NUMBER_MASK) === DER_IDENTIFIER.NUMBER_MASK)
    return fail(FORMAT, "unsupported", `element at ${offset}: high tag number form`);
  const first = b[offset + 1]!;
  let length: number;
  let contentStart: number;
  if (first < 0x80) {
    length = first;
    contentStart = offset + 2;
  } else {
    const k = first & 0x7f;
    if (k === 0) return fail(FORMAT, "badLength", `element at ${offset}: indefinite length is not DER`);
    if (k > DER_MAX_LENGTH_OCTETS) return fail(FORMAT, "badLength", `element at ${offset}: ${k} length octets`);
    if (offset + 2 + k > b.length)
      return fail(FORMAT, "truncated", `element at ${offset}: length field runs past the end`);
    if (b[offset + 2] === 0) return fail(FORMAT, "badLength", `element at ${offset}: length with a leading zero octet`);
    length = 0;
    for (let i = 0; i < k; i++) length = length * 256 + b[offset + 2 + i]!;
    if (length < 0x80) return fail(FORMAT, "badLength", `element at ${offset}: long form for length ${length}`);
    contentStart = offset + 2 + k;
  }
  const end = contentStart + length;
  if (end > b.length)
    return fail(FORMAT, "truncated", `element at ${offset}: length ${length}, ${b.length - contentStart} bytes left`);
  return ok({ element: { tag, value: b.subarray(contentStart, end), bytes: b.subarray(offset, end) }, next: end });
}

/** Parses exactly one element covering all of `b`. */
export function parseDer(b: Uint8Array): Parsed<DerElement> {
  const r = parseDerAt(b, 0);
  if (!r.ok) return r;
  if (r.value.next !== b.length) return fail(FORMAT, "badLength", `${b.length - r.value.next} bytes after the element`);
  return ok(r.value.element);
}

/** The children of a constructed element, covering its contents exactly; `expectTag` checks the element's own tag. */
export function parseDerChildren(e: DerElement, expectTag?: number): Parsed<DerElement[]> {
  if (expectTag !== undefined && e.tag !== expectTag)
    return fail(FORMAT, "badValue", `tag 0x${hex2(e.tag)}, expected 0x${hex2(expectTag)}`);
  if (!derIsConstructed(e)) return fail(FORMAT, "badValue", `tag 0x${hex2(e.tag)} is not constructed`);
  const out: DerElement[] = [];
  let off = 0;
  while (off < e.value.length) {
    const r = parseDerAt(e.value, off);
    if (!r.ok) return r;
    out.push(r.value.element);
    off = r.value.next;
  }
  return ok(out);
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

function expectTag(e: DerElement, tag: number, what: string): Parsed<never> | null {
  return e.tag === tag ? null : fail(FORMAT, "badValue", `${what}: tag 0x${hex2(e.tag)}, expected 0x${hex2(tag)}`);
}

/** An INTEGER (two's complement, shortest form). */
export function readDerInteger(e: DerElement): Parsed<bigint> {
  const bad = expectTag(e, DER_TAG.INTEGER, "INTEGER");
  if (bad) return bad;
  const v = e.value;
  if (v.length === 0) return fail(FORMAT, "badLength", "INTEGER with no contents");
  if (v.length > 1 && ((v[0] === 0 && (v[1]! & 0x80) === 0) || (v[0] === 0xff && (v[1]! & 0x80) !== 0))) {
    return fail(FORMAT, "badValue", "INTEGER not in its shortest form");
  }
  let n = BigInt(`0x${Buffer.from(v).toString("hex")}`);
  if ((v[0]! & 0x80) !== 0) n -= 1n << BigInt(v.length * 8);
  return ok(n);
}

/** A BOOLEAN (DER: 0x00 or 0xFF). */
export function readDerBoolean(e: DerElement): Parsed<boolean> {
  const bad = expectTag(e, DER_TAG.BOOLEAN, "BOOLEAN");
  if (bad) return bad;
  if (e.value.length !== 1 || (e.value[0] !== 0 && e.value[0] !== 0xff))
    return fail(FORMAT, "badValue", "BOOLEAN is not one octet 00 or FF");
  return ok(e.value[0] === 0xff);
}

/** A BIT STRING's bits (a view); `unusedBits` must be 0 when `wholeOctets` is asked. */
export function readDerBitString(e: DerElement, wholeOctets = true): Parsed<{ bytes: Uint8Array; unusedBits: number }> {
  const bad = expectTag(e, DER_TAG.BIT_STRING, "BIT STRING");
  if (bad) return bad;
  if (e.value.length === 0) return fail(FORMAT, "badLength", "BIT STRING with no unused-bits octet");
  const unusedBits = e.value[0]!;
  if (unusedBits > 7 || (unusedBits > 0 && e.value.length === 1))
    return fail(FORMAT, "badValue", `BIT STRING with ${unusedBits} unused bits`);
  if (wholeOctets && unusedBits !== 0)
    return fail(FORMAT, "badValue", `BIT STRING with ${unusedBits} unused bits where whole octets are expected`);
  return ok({ bytes: e.value.subarray(1), unusedBits });
}

/** An OCTET STRING's contents (a view). */
export function readDerOctetString(e: DerElement): Parsed<Uint8Array> {
  const bad = expectTag(e, DER_TAG.OCTET_STRING, "OCTET STRING");
  return bad ?? ok(e.value);
}

/** An OBJECT IDENTIFIER in dotted form. */
export function readDerOid(e: DerElement): Parsed<string> {
  const bad = expectTag(e, DER_TAG.OID, "OBJECT IDENTIFIER");
  if (bad) return bad;
  const v = e.value;
  if (v.length === 0) return fail(FORMAT, "badLength", "OBJECT IDENTIFIER with no contents");
  const arcs: bigint[] = [];
  let acc = 0n;
  let started = false;
  for (let i = 0; i < v.length; i++) {
    const byte = v[i]!;
    if (!started && byte === 0x80) return fail(FORMAT, "badValue", "OBJECT IDENTIFIER arc with a leading 0x80");
    started = true;
    acc = (acc << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(acc);
      acc = 0n;
      started = false;
    }
  }
  if (started) return fail(FORMAT, "truncated", "OBJECT IDENTIFIER ends inside an arc");
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return ok([...head, ...arcs.slice(1)].join("."));
}

/** NULL (no contents). */
export function readDerNull(e: DerElement): Parsed<null> {
  const bad = expectTag(e, DER_TAG.NULL, "NULL");
  if (bad) return bad;
  return e.value.length === 0 ? ok(null) : fail(FORMAT, "badLength", "NULL with contents");
}

const STRING_TAGS: readonly number[] = [
  DER_TAG.UTF8_STRING,
  DER_TAG.PRINTABLE_STRING,
  DER_TAG.T61_STRING,
  DER_TAG.IA5_STRING,
  DER_TAG.BMP_STRING,
];

/** One of the directory string types as text (UTF-8, Printable, Teletex and IA5 as bytes to text, BMP as UTF-16BE). */
export function readDerString(e: DerElement): Parsed<string> {
  if (!STRING_TAGS.includes(e.tag)) return fail(FORMAT, "badValue", `tag 0x${hex2(e.tag)} is not a string type`);
  if (e.tag === DER_TAG.BMP_STRING) {
    if (e.value.length % 2 !== 0) return fail(FORMAT, "badLength", "BMPString of an odd length");
    let s = "";
    for (let i = 0; i < e.value.length; i += 2) s += String.fromCharCode((e.value[i]! << 8) | e.value[i + 1]!);
    return ok(s);
  }
  if (e.tag === DER_TAG.UTF8_STRING) {
    try {
      return ok(new TextDecoder("utf-8", { fatal: true }).decode(e.value));
    } catch {
      return fail(FORMAT, "badValue", "UTF8String is not valid UTF-8");
    }
  }
  return ok(latin1(e.value));
}

/** Octets as characters U+0000..U+00FF, one per octet. */
function latin1(v: Uint8Array): string {
  let s = "";
  for (let i = 0; i < v.length; i++) s += String.fromCharCode(v[i]!);
  return s;
}

/** UTCTime (YYMMDDHHMMSSZ; years 50-99 are 19xx) or GeneralizedTime (YYYYMMDDHHMMSSZ) as milliseconds since 1970. */
export function readDerTime(e: DerElement): Parsed<number> {
  const text = latin1(e.value);
  let m: RegExpExecArray | null;
  let year: number;
  if (e.tag === DER_TAG.UTC_TIME) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
    if (m === null) return fail(FORMAT, "badValue", `UTCTime "${text}" is not YYMMDDHHMMSSZ`);
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (e.tag === DER_TAG.GENERALIZED_TIME) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
    if (m === null) return fail(FORMAT, "badValue", `GeneralizedTime "${text}" is not YYYYMMDDHHMMSSZ`);
    year = Number(m[1]);
  } else {
    return fail(FORMAT, "badValue", `tag 0x${hex2(e.tag)} is not a time`);
  }
  const [month, day, hour, minute, second] = [2, 3, 4, 5, 6].map((i) => Number(m![i]));
  if (month! < 1 || month! > 12 || day! < 1 || day! > 31 || hour! > 23 || minute! > 59 || second! > 59) {
    return fail(FORMAT, "badValue", `time "${text}" out of range`);
  }
  return ok(Date.UTC(year, month! - 1, day!, hour!, minute!, second!));
}

// ---------------------------------------------------------------- emit

function lengthOctets(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** One element from its identifier and contents. */
export function derTlv(tag: number, value: Uint8Array): Uint8Array {
  const len = lengthOctets(value.length);
  const out = new Uint8Array(1 + len.length + value.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(value, 1 + len.length);
  return out;
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

/** SEQUENCE of already-encoded elements. */
export function derSequence(...children: Uint8Array[]): Uint8Array {
  return derTlv(DER_TAG.SEQUENCE, join(children));
}

/** SET of already-encoded elements, sorted as DER requires (X.690 11.6). */
export function derSet(...children: Uint8Array[]): Uint8Array {
  const sorted = [...children].sort((a, b) => Buffer.compare(a, b));
  return derTlv(DER_TAG.SET, join(sorted));
}

/** A context-specific element `[n]` around already-encoded contents (EXPLICIT when constructed). */
export function derContext(n: number, ...children: Uint8Array[]): Uint8Array {
  return derTlv(derContextTag(n, true), join(children));
}

/** INTEGER in its shortest two's complement form. */
export function derInteger(n: bigint): Uint8Array {
  if (n < 0n) {
    let bytes = 1;
    while (n < -(1n << BigInt(bytes * 8 - 1))) bytes++;
    const v = (1n << BigInt(bytes * 8)) + n;
    return derTlv(DER_TAG.INTEGER, Uint8Array.from(Buffer.from(v.toString(16).padStart(bytes * 2, "0"), "hex")));
  }
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return derTlv(DER_TAG.INTEGER, Uint8Array.from(Buffer.from(hex, "hex")));
}

/** BOOLEAN. */
export function derBoolean(v: boolean): Uint8Array {
  return derTlv(DER_TAG.BOOLEAN, new Uint8Array([v ? 0xff : 0]));
}

/** NULL. */
export function derNull(): Uint8Array {
  return derTlv(DER_TAG.NULL, new Uint8Array(0));
}

/** BIT STRING of whole octets. */
export function derBitString(bytes: Uint8Array): Uint8Array {
  const v = new Uint8Array(bytes.length + 1);
  v.set(bytes, 1);
  return derTlv(DER_TAG.BIT_STRING, v);
}

/** OCTET STRING. */
export function derOctetString(bytes: Uint8Array): Uint8Array {
  return derTlv(DER_TAG.OCTET_STRING, bytes);
}

/** OBJECT IDENTIFIER from dotted form; throws RangeError on a malformed OID (a programming error). */
export function derOid(oid: string): Uint8Array {
  const arcs = oid.split(".").map((a) => {
    if (!/^\d+$/.test(a)) throw new RangeError(`asn1-der: bad OID ${oid}`);
    return BigInt(a);
  });
  if (arcs.length < 2 || arcs[0]! > 2n || (arcs[0]! < 2n && arcs[1]! >= 40n))
    throw new RangeError(`asn1-der: bad OID ${oid}`);
  const out: number[] = [];
  for (const arc of [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)]) {
    const group: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) group.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...group);
  }
  return derTlv(DER_TAG.OID, Uint8Array.from(out));
}

/** A string of one of the directory string types (the caller picks one the text fits). */
export function derString(tag: number, text: string): Uint8Array {
  const bytes =
    tag === DER_TAG.UTF8_STRING ? new TextEncoder().encode(text) : Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  return derTlv(tag, bytes);
}

/** True when every character fits PrintableString (X.680 41.4). */
export function isPrintableString(text: string): boolean {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text);
}

/** A time as RFC 5280 4.1.2.5 wants it: UTCTime for 1950..2049, GeneralizedTime otherwise (seconds, Z). */
export function derTime(ms: number): Uint8Array {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const year = d.getUTCFullYear();
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  if (year >= 1950 && year <= 2049) return derString(DER_TAG.UTC_TIME, `${p(year % 100)}${rest}`);
  return derString(DER_TAG.GENERALIZED_TIME, `${p(year, 4)}${rest}`);
}
