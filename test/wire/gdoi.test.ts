// GDOI payloads (RFC 6407): the group policy and keys round-trip, the SA
// payload nests its SA KEK and SA TEK inside its own length with the RFC's
// fixed offsets, nested lengths that disagree are refused with a reason, and
// random bytes or mutated messages never make the parser throw.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  DOI_GDOI,
  emitGdoiPayloads,
  emitIsakmp,
  GDOI_EXCHANGE,
  GDOI_PAYLOAD,
  type GdoiPayload,
  type GdoiPayloadInput,
  ISAKMP_PAYLOAD,
  type IsakmpParsed,
  parseGdoiMessage,
  parseGdoiPayloadBody,
  parseGdoiPayloads,
} from "../../src/wire/index.ts";
import { fill, KEK_SPI, KEYS, POLICY, TEK_SPI } from "./gdoi-fixtures.ts";
import { isakmpAttribute } from "./isakmp-arbitraries.ts";

function strip(p: GdoiPayload): GdoiPayloadInput {
  const { body: _b, ...rest } = p;
  return rest as GdoiPayloadInput;
}

function roundTrip(ps: GdoiPayloadInput[]): GdoiPayloadInput[] {
  const { firstPayload, bytes } = emitGdoiPayloads(ps);
  const r = parseGdoiPayloads(firstPayload, bytes);
  if (!r.ok) throw new Error(r.error.detail);
  return r.value.map(strip);
}

const MSG2: GdoiPayloadInput[] = [
  { type: "hash", data: fill(20, 0x55) },
  { type: "nonce", data: fill(16, 0x66) },
  POLICY,
];
const MSG4: GdoiPayloadInput[] = [{ type: "hash", data: fill(20, 0x77) }, { type: "seq", sequence: 23 }, KEYS];

describe("GDOI payloads", () => {
  test("registration answers round-trip", () => {
    expect(roundTrip(MSG2)).toEqual(MSG2);
    expect(roundTrip(MSG4)).toEqual(MSG4);
  });

  test("the SA payload's layout: DOI 2, SA attribute chain KEK -> TEK, both inside the SA length", () => {
    const { firstPayload, bytes } = emitGdoiPayloads([POLICY]);
    expect(firstPayload).toBe(ISAKMP_PAYLOAD.SA);
    const saLen = (bytes[2]! << 8) | bytes[3]!;
    expect(saLen).toBe(bytes.length);
    expect([...bytes.subarray(4, 8)]).toEqual([0, 0, 0, DOI_GDOI]);
    expect((bytes[12]! << 8) | bytes[13]!).toBe(GDOI_PAYLOAD.SA_KEK);
    // SA KEK: generic header at 16, Next Payload SA TEK; protocol 17, src ID IPv4 port 848 length 4.
    expect(bytes[16]).toBe(GDOI_PAYLOAD.SA_TEK);
    expect([...bytes.subarray(20, 25)]).toEqual([17, 1, 0x03, 0x50, 4]);
    const kekLen = (bytes[18]! << 8) | bytes[19]!;
    // The KEK SPI follows both identities (1 + 4+4 + 4+4 bytes after the header).
    expect([...bytes.subarray(20 + 17, 20 + 33)]).toEqual([...KEK_SPI]);
    // SA TEK: last in the chain; Protocol-ID ESP, any protocol, IPv4 subnet identities with 2-byte lengths.
    const tek = 16 + kekLen;
    expect(bytes[tek]).toBe(ISAKMP_PAYLOAD.NONE);
    expect([...bytes.subarray(tek + 4, tek + 11)]).toEqual([1, 0, 4, 0, 0, 0, 8]);
    const spiAt = tek + 4 + 2 + 13 + 13 + 1;
    expect([...bytes.subarray(spiAt, spiAt + 4)]).toEqual([...TEK_SPI]);
  });

  test("KD key packets carry their own length, SPI size and attributes", () => {
    const { bytes } = emitGdoiPayloads([KEYS]);
    expect([...bytes.subarray(4, 8)]).toEqual([0, 2, 0, 0]);
    // TEK packet: type 1, length 5 + 4 + (4+16) + (4+20) = 53.
    expect([...bytes.subarray(8, 13)]).toEqual([1, 0, 0, 53, 4]);
  });

  test("a whole GROUPKEY-PULL message parses", () => {
    const { firstPayload, bytes } = emitGdoiPayloads(MSG4);
    const m = emitIsakmp(
      {
        initiatorCookie: fill(8, 1),
        responderCookie: fill(8, 2),
        exchangeType: GDOI_EXCHANGE.GROUPKEY_PULL,
        flags: 0,
        messageId: 0x1234,
      },
      bytes,
      firstPayload,
    );
    const r = parseGdoiMessage(m);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.payloads.map(strip)).toEqual(MSG4);
  });

  test("bad nesting is refused with a reason", () => {
    const sa = emitGdoiPayloads([POLICY]).bytes.subarray(4);
    const cases: Array<[string, Uint8Array, number, RegExp]> = [
      ["IPsec DOI", Uint8Array.from(sa).fill(1, 3, 4), ISAKMP_PAYLOAD.SA, /DOI 1/],
      ["short SA", sa.subarray(0, 10), ISAKMP_PAYLOAD.SA, /needs 12/],
      ["truncated TEK", sa.subarray(0, sa.length - 3), ISAKMP_PAYLOAD.SA, /runs past/],
      ["SEQ of 3 bytes", Uint8Array.of(0, 0, 1), GDOI_PAYLOAD.SEQ, /must be 4/],
      ["KD claims 3 packets", Uint8Array.of(0, 3, 0, 0, 1, 0, 0, 5, 0), GDOI_PAYLOAD.KD, /packet 2/],
    ];
    for (const [what, b, type, why] of cases) {
      const r = parseGdoiPayloadBody(type, b);
      expect(r.ok, what).toBe(false);
      if (!r.ok) expect(r.error.detail, what).toMatch(why);
    }
    // An SA TEK whose destination length runs past the TEK payload.
    const bad = Uint8Array.from(sa);
    const kekLen = (bad[14]! << 8) | bad[15]!;
    bad[12 + kekLen + 4 + 2 + 13 + 4] = 0xff;
    expect(parseGdoiPayloadBody(ISAKMP_PAYLOAD.SA, bad).ok).toBe(false);
  });
});

function typed<T>(r: IsakmpParsed<T>): void {
  if (!r.ok) {
    expect(r.error.notify).toBeGreaterThan(0);
    expect(r.error.detail.length).toBeGreaterThan(0);
  }
}

const identity = fc.record({
  idType: fc.integer({ min: 0, max: 255 }),
  port: fc.integer({ min: 0, max: 0xffff }),
  data: fc.uint8Array({ maxLength: 16 }),
});
const tek = fc.record({
  protocolId: fc.constantFrom(1, 2),
  protocol: fc.integer({ min: 0, max: 255 }),
  src: identity,
  dst: identity,
  transformId: fc.integer({ min: 0, max: 255 }),
  spi: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  attributes: fc.array(isakmpAttribute, { maxLength: 5 }),
});
const kek = fc.record({
  protocol: fc.integer({ min: 0, max: 255 }),
  src: identity,
  dst: identity,
  spi: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  attributes: fc.array(isakmpAttribute, { maxLength: 5 }),
});
const payload: fc.Arbitrary<GdoiPayloadInput> = fc.oneof(
  fc.record({
    type: fc.constant("gdoiSa" as const),
    situation: fc.integer({ min: 0, max: 0xffffffff }),
    kek: fc.option(kek, { nil: null }),
    teks: fc.array(tek, { maxLength: 3 }),
    gap: fc.option(fc.array(isakmpAttribute, { maxLength: 3 }), { nil: null }),
  }),
  fc.record({
    type: fc.constant("kd" as const),
    packets: fc.array(
      fc.record({
        kdType: fc.integer({ min: 0, max: 255 }),
        spi: fc.uint8Array({ maxLength: 16 }),
        attributes: fc.array(isakmpAttribute, { maxLength: 4 }),
      }),
      { maxLength: 3 },
    ),
  }),
  fc.record({ type: fc.constant("seq" as const), sequence: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({ type: fc.constant("hash" as const), data: fc.uint8Array({ maxLength: 32 }) }),
);

describe("GDOI parsers never throw", () => {
  test("parse(emit(x)) == x for random policies and keys", () => {
    fc.assert(
      fc.property(fc.array(payload, { maxLength: 4 }), (ps) => {
        expect(roundTrip(ps)).toEqual(ps);
      }),
      { numRuns: 500 },
    );
  });

  test("random bytes and mutated messages give a typed result", () => {
    const good = emitGdoiPayloads([...MSG2, ...MSG4.slice(1)]).bytes;
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom(1, 8, 10, 15, 16, 17, 18, 22, 200),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        (b, type, flips) => {
          typed(parseGdoiPayloadBody(type, b));
          typed(parseGdoiPayloads(type, b));
          typed(parseGdoiMessage(b));
          const m = Uint8Array.from(good);
          for (const [at, v] of flips) m[at % m.length] = v;
          typed(parseGdoiPayloads(ISAKMP_PAYLOAD.HASH, m));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
