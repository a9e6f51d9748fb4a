// fast-check generators of ISAKMP records in canonical form (see the header of
// src/wire/isakmp.ts), so that parse(emit(x)) must give back exactly x once
// the parsed `body` fields are set aside.

import fc from "fast-check";
import {
  DOI_IPSEC,
  ISAKMP_PAYLOAD,
  type IsakmpAttribute,
  type IsakmpHeaderInput,
  type IsakmpPayload,
  type IsakmpPayloadInput,
  type IsakmpProposal,
  type IsakmpTransform,
} from "../../src/wire/index.ts";
import { bytes, u8, u16, u32 } from "./arbitraries.ts";

/** TV numbers, 4-byte TLV numbers, and byte strings of a length that stays bytes (0, or 5 and up). */
export const isakmpAttribute: fc.Arbitrary<IsakmpAttribute> = fc.record({
  type: fc.integer({ min: 0, max: 0x7fff }),
  value: fc.oneof(
    u16,
    fc.integer({ min: 0x10000, max: 0xffffffff }),
    fc.oneof(fc.constant(new Uint8Array(0)), bytes(40, 5)),
  ),
});

export const isakmpTransform: fc.Arbitrary<IsakmpTransform> = fc.record({
  number: u8,
  transformId: u8,
  attributes: fc.array(isakmpAttribute, { maxLength: 8 }),
});

export const isakmpProposal: fc.Arbitrary<IsakmpProposal> = fc.record({
  number: u8,
  protocolId: u8,
  spi: bytes(16),
  transforms: fc.array(isakmpTransform, { minLength: 1, maxLength: 4 }),
});

// Under the IPsec DOI the secrecy and integrity situation bits are refused.
const doiSituation = fc.oneof(
  fc.record({ doi: fc.constant(DOI_IPSEC), situation: u32.map((s) => (s & ~6) >>> 0) }),
  fc.record({ doi: u32.filter((d) => d !== DOI_IPSEC), situation: u32 }),
);

const dataKind = fc.constantFrom(
  "ke" as const,
  "nonce" as const,
  "hash" as const,
  "sig" as const,
  "vendorId" as const,
  "natD" as const,
);

const KNOWN_TYPES: readonly number[] = [
  ISAKMP_PAYLOAD.SA,
  ISAKMP_PAYLOAD.KE,
  ISAKMP_PAYLOAD.ID,
  ISAKMP_PAYLOAD.CERT,
  ISAKMP_PAYLOAD.CERTREQ,
  ISAKMP_PAYLOAD.HASH,
  ISAKMP_PAYLOAD.SIG,
  ISAKMP_PAYLOAD.NONCE,
  ISAKMP_PAYLOAD.NOTIFY,
  ISAKMP_PAYLOAD.DELETE,
  ISAKMP_PAYLOAD.VENDOR_ID,
  ISAKMP_PAYLOAD.NAT_D,
  ISAKMP_PAYLOAD.NAT_OA,
];

const deletePayload = fc.oneof(
  fc.integer({ min: 1, max: 16 }).chain((spiSize) =>
    fc.record({
      type: fc.constant("delete" as const),
      doi: u32,
      protocolId: u8,
      spiSize: fc.constant(spiSize),
      spis: fc.array(bytes(spiSize, spiSize), { maxLength: 5 }),
    }),
  ),
  fc.record({
    type: fc.constant("delete" as const),
    doi: u32,
    protocolId: u8,
    spiSize: fc.constant(0),
    spis: fc.constant([] as Uint8Array[]),
  }),
);

/** One payload of any kind. */
export const isakmpPayload: fc.Arbitrary<IsakmpPayloadInput> = fc.oneof(
  doiSituation.chain(({ doi, situation }) =>
    fc.record({
      type: fc.constant("sa" as const),
      doi: fc.constant(doi),
      situation: fc.constant(situation),
      proposals: fc.array(isakmpProposal, { minLength: 1, maxLength: 3 }),
    }),
  ),
  fc.record({ type: dataKind, data: bytes(64) }),
  fc.record({ type: fc.constant("id" as const), idType: u8, protocolId: u8, port: u16, data: bytes(40) }),
  fc.record({ type: fc.constantFrom("cert" as const, "certreq" as const), encoding: u8, data: bytes(60) }),
  fc.record({
    type: fc.constant("notify" as const),
    doi: u32,
    protocolId: u8,
    spi: bytes(16),
    messageType: u16,
    data: bytes(20),
  }),
  deletePayload,
  fc.record({ type: fc.constant("natOa" as const), idType: u8, data: bytes(16) }),
  fc.record({
    type: fc.constant("unknown" as const),
    payloadType: fc.integer({ min: 1, max: 255 }).filter((t) => !KNOWN_TYPES.includes(t)),
    data: bytes(30),
  }),
);

export const isakmpPayloads = fc.array(isakmpPayload, { maxLength: 6 });

export const isakmpHeader: fc.Arbitrary<IsakmpHeaderInput> = fc.record({
  initiatorCookie: bytes(8, 8),
  responderCookie: bytes(8, 8),
  exchangeType: u8,
  flags: u8,
  messageId: u32,
});

/** A parsed payload without its `body`, to compare with what was emitted. */
export function withoutBody(p: IsakmpPayload): IsakmpPayloadInput {
  const { body: _body, ...rest } = p;
  return rest as IsakmpPayloadInput;
}
