import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  ahHeaderLen,
  ESP_HEADER_LEN,
  emitAhHeader,
  emitEspHeader,
  parseAhHeader,
  parseEspHeader,
} from "../../src/wire/index.ts";
import { bytes, u8, u32 } from "./arbitraries.ts";
import { hex } from "./fixtures.ts";

// AH with HMAC-SHA1-96 (RFC 2404): 12-byte fixed part + 12-byte ICV, Payload Len 4; tunnel mode (next header 4).
const AH_SHA1 = hex("04 04 0000 00001001 0000002a 0102030405060708090a0b0c 4500");

describe("esp", () => {
  test("deconstructs SPI and sequence", () => {
    expect(parseEspHeader(hex("c0ffee01 00000007 aabbccdd"))).toEqual({
      ok: true,
      value: { spi: 0xc0ffee01, sequence: 7 },
    });
    expect(parseEspHeader(hex("ffffffff ffffffff"))).toEqual({
      ok: true,
      value: { spi: 0xffffffff, sequence: 0xffffffff },
    });
  });

  test("constructs", () => {
    expect(emitEspHeader({ spi: 0xc0ffee01, sequence: 7 })).toEqual(hex("c0ffee01 00000007"));
  });

  test("truncated and the reserved SPI 0", () => {
    expect(parseEspHeader(new Uint8Array(7))).toMatchObject({
      ok: false,
      error: { format: "esp", reason: "truncated" },
    });
    expect(parseEspHeader(hex("00000000 00000001"))).toMatchObject({
      ok: false,
      error: { reason: "badValue", detail: "SPI 0 is reserved" },
    });
  });

  test("parse(emit(x)) == x (property)", () => {
    fc.assert(
      fc.property(
        u32.filter((s) => s !== 0),
        u32,
        (spi, sequence) => {
          const b = emitEspHeader({ spi, sequence });
          expect(b.length).toBe(ESP_HEADER_LEN);
          expect(parseEspHeader(b)).toEqual({ ok: true, value: { spi, sequence } });
        },
      ),
    );
  });
});

describe("ah", () => {
  test("deconstructs an HMAC-SHA1-96 header", () => {
    expect(parseAhHeader(AH_SHA1)).toEqual({
      ok: true,
      value: {
        nextHeader: 4,
        payloadLength: 4,
        spi: 0x1001,
        sequence: 42,
        icv: hex("0102030405060708090a0b0c"),
        headerLength: 24,
      },
    });
  });

  test("constructs", () => {
    expect(emitAhHeader({ nextHeader: 4, spi: 0x1001, sequence: 42, icv: hex("0102030405060708090a0b0c") })).toEqual(
      AH_SHA1.subarray(0, 24),
    );
  });

  test("reserved is ignored on receipt (RFC 4302 2.3)", () => {
    const b = AH_SHA1.slice();
    b[2] = 0xff;
    expect(parseAhHeader(b).ok).toBe(true);
  });

  test("truncated, bad length, SPI 0", () => {
    expect(parseAhHeader(AH_SHA1.subarray(0, 11))).toMatchObject({
      ok: false,
      error: { format: "ah", reason: "truncated" },
    });
    expect(parseAhHeader(AH_SHA1.subarray(0, 23))).toMatchObject({
      ok: false,
      error: { reason: "truncated", detail: "header length 24, 23 available" },
    });
    const zero = AH_SHA1.slice();
    zero[1] = 0;
    expect(parseAhHeader(zero)).toMatchObject({ ok: false, error: { reason: "badLength" } });
    zero[1] = 1; // the null-authentication case: no ICV
    expect(parseAhHeader(zero)).toMatchObject({ ok: true, value: { headerLength: 12, icv: new Uint8Array(0) } });
    const spi = AH_SHA1.slice();
    spi.fill(0, 4, 8);
    expect(parseAhHeader(spi)).toMatchObject({ ok: false, error: { reason: "badValue" } });
  });

  test("emit refuses an ICV that breaks 32-bit alignment", () => {
    expect(() => emitAhHeader({ nextHeader: 4, spi: 1, sequence: 1, icv: new Uint8Array(10) })).toThrow(RangeError);
  });

  test("parse(emit(x)) == x (property)", () => {
    fc.assert(
      fc.property(
        u8,
        u32.filter((s) => s !== 0),
        u32,
        fc.integer({ min: 0, max: 16 }).chain((w) => bytes(w * 4, w * 4)),
        (nextHeader, spi, sequence, icv) => {
          const h = { nextHeader, spi, sequence, icv };
          const b = emitAhHeader(h);
          expect(b.length).toBe(ahHeaderLen(h));
          expect(parseAhHeader(b)).toEqual({
            ok: true,
            value: { ...h, payloadLength: b.length / 4 - 2, headerLength: b.length },
          });
        },
      ),
    );
  });
});
