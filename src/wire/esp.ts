// Header views of ESP (RFC 4303) and AH (RFC 4302): just the clear fields
// a router reads before it has an SA in hand (SPI to find the SA, sequence
// number for anti-replay, AH's next header and ICV). Sealing and opening are
// the fast path's job (src/fastpath/esp). Parse checks the header fits, the
// SPI is not the reserved zero and AH's Payload Length covers its fixed part.

import { put32, u32 } from "./bytes.ts";
import { fail, ok, type Parsed } from "./result.ts";

/*
   ESP (RFC 4303 2):
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |               Security Parameters Index (SPI)                 |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                      Sequence Number                          |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                    IV, Payload Data, Padding ... ICV          ~
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

   AH (RFC 4302 2):
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   | Next Header   |  Payload Len  |          RESERVED             |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                 Security Parameters Index (SPI)               |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                    Sequence Number Field                      |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                Integrity Check Value-ICV (variable)           |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   Payload Len is the AH length in 32-bit words minus 2. RESERVED is sent as
   zero and ignored on receipt (it is covered by the ICV).
*/

export const ESP_FIELD = { SPI: [0, 4], SEQUENCE: [4, 8], PAYLOAD: 8 } as const;
export const AH_FIELD = {
  NEXT_HEADER: 0,
  PAYLOAD_LEN: 1,
  RESERVED: [2, 4],
  SPI: [4, 8],
  SEQUENCE: [8, 12],
  ICV: 12,
} as const;

/** ESP header length (SPI + sequence number). */
export const ESP_HEADER_LEN = 8;
/** AH fixed part before the ICV. */
export const AH_FIXED_LEN = 12;

/** The clear part of an ESP packet. */
export interface EspHeader {
  /** Unsigned; never 0 on the wire. */
  spi: number;
  /** Unsigned 32-bit sequence number (low half when ESN is in use). */
  sequence: number;
}

/** An AH header; `headerLength` = (payloadLength + 2) * 4, where the protected payload starts. */
export interface AhHeader {
  nextHeader: number;
  payloadLength: number;
  spi: number;
  sequence: number;
  /** View of the ICV bytes. */
  icv: Uint8Array;
  headerLength: number;
}

/** Reads SPI and sequence number of an ESP packet starting at `b[0]`. */
export function parseEspHeader(b: Uint8Array): Parsed<EspHeader> {
  if (b.length < ESP_HEADER_LEN) return fail("esp", "truncated", `${b.length} bytes, header needs 8`);
  const spi = u32(b, 0);
  if (spi === 0) return fail("esp", "badValue", "SPI 0 is reserved");
  return ok({ spi, sequence: u32(b, 4) });
}

/** Writes SPI and sequence number (8 bytes) at `off`; returns 8. */
export function emitEspHeaderInto(h: EspHeader, b: Uint8Array, off = 0): number {
  put32(b, off, h.spi);
  put32(b, off + 4, h.sequence);
  return ESP_HEADER_LEN;
}

/** The 8-byte ESP header. */
export function emitEspHeader(h: EspHeader): Uint8Array {
  const b = new Uint8Array(ESP_HEADER_LEN);
  emitEspHeaderInto(h, b);
  return b;
}

/** Parses the AH header at `b[0]`; the ICV is a view. */
export function parseAhHeader(b: Uint8Array): Parsed<AhHeader> {
  if (b.length < AH_FIXED_LEN) return fail("ah", "truncated", `${b.length} bytes, header needs 12`);
  const payloadLength = b[1]!;
  const headerLength = (payloadLength + 2) * 4;
  if (headerLength < AH_FIXED_LEN)
    return fail("ah", "badLength", `payload length ${payloadLength} gives ${headerLength} bytes, below 12`);
  if (headerLength > b.length) return fail("ah", "truncated", `header length ${headerLength}, ${b.length} available`);
  const spi = u32(b, 4);
  if (spi === 0) return fail("ah", "badValue", "SPI 0 is reserved");
  return ok({
    nextHeader: b[0]!,
    payloadLength,
    spi,
    sequence: u32(b, 8),
    icv: b.subarray(AH_FIXED_LEN, headerLength),
    headerLength,
  });
}

/** The AH header fields a sender chooses; Payload Len follows from the ICV length. */
export type AhHeaderInput = Omit<AhHeader, "payloadLength" | "headerLength">;

/** Bytes `emitAhHeader` produces. */
export function ahHeaderLen(h: Pick<AhHeaderInput, "icv">): number {
  return AH_FIXED_LEN + h.icv.length;
}

/**
 * Builds the AH header with the given ICV bytes (zeros while the ICV is
 * being computed). Throws RangeError unless the ICV keeps the header a
 * multiple of 4 bytes (IPv4) and Payload Len fits in a byte.
 */
export function emitAhHeader(h: AhHeaderInput): Uint8Array {
  const len = ahHeaderLen(h);
  if (len % 4 !== 0 || len / 4 - 2 > 0xff)
    throw new RangeError(`ah: ICV of ${h.icv.length} bytes does not give a header of whole 32-bit words`);
  const b = new Uint8Array(len);
  b[0] = h.nextHeader;
  b[1] = len / 4 - 2;
  put32(b, 4, h.spi);
  put32(b, 8, h.sequence);
  b.set(h.icv, AH_FIXED_LEN);
  return b;
}
