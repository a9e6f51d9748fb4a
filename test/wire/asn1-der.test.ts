// ASN.1 DER: X.690 examples, the DER rules parse enforces (shortest length,
// no indefinite length, no high tag form, minimal INTEGER), a round trip
// of every emitter through its reader, and random bytes that never throw.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  DER_TAG,
  derBitString,
  derBoolean,
  derContext,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  derSet,
  derString,
  derTime,
  parseDer,
  parseDerAt,
  parseDerChildren,
  readDerBitString,
  readDerBoolean,
  readDerInteger,
  readDerNull,
  readDerOctetString,
  readDerOid,
  readDerString,
  readDerTime,
} from "../../src/wire/asn1-der.ts";

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ""), "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const el = (b: Uint8Array) => {
  const r = parseDer(b);
  if (!r.ok) throw new Error(r.error.detail);
  return r.value;
};

describe("known encodings", () => {
  test("rsaEncryption OID, NULL, integers", () => {
    expect(toHex(derOid("1.2.840.113549.1.1.1"))).toBe("06092a864886f70d010101");
    expect(toHex(derOid("2.5.4.3"))).toBe("0603550403");
    expect(toHex(derNull())).toBe("0500");
    expect(toHex(derInteger(0n))).toBe("020100");
    expect(toHex(derInteger(127n))).toBe("02017f");
    expect(toHex(derInteger(128n))).toBe("02020080");
    expect(toHex(derInteger(65537n))).toBe("0203010001");
    expect(toHex(derInteger(-1n))).toBe("0201ff");
    expect(toHex(derInteger(-129n))).toBe("0202ff7f");
    expect(toHex(derBoolean(true))).toBe("0101ff");
  });
  test("long lengths use the shortest long form", () => {
    expect(toHex(derOctetString(new Uint8Array(127)).subarray(0, 2))).toBe("047f");
    expect(toHex(derOctetString(new Uint8Array(128)).subarray(0, 3))).toBe("048180");
    expect(toHex(derOctetString(new Uint8Array(300)).subarray(0, 4))).toBe("0482012c");
  });
  test("times: UTCTime until 2049, GeneralizedTime from 2050", () => {
    expect(
      Buffer.from(derTime(Date.UTC(1993, 2, 1, 0, 0, 5)))
        .subarray(2)
        .toString(),
    ).toBe("930301000005Z");
    expect(derTime(Date.UTC(2049, 11, 31))[0]).toBe(DER_TAG.UTC_TIME);
    expect(
      Buffer.from(derTime(Date.UTC(2050, 0, 1)))
        .subarray(2)
        .toString(),
    ).toBe("20500101000000Z");
  });
  test("SET sorts its elements", () => {
    expect(toHex(derSet(derInteger(2n), derInteger(1n)))).toBe("3106020101020102");
  });
});

describe("DER rules", () => {
  const refuses = (h: string, reason: string) => {
    const r = parseDer(hex(h));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.format).toBe("asn1-der");
      expect(r.error.reason).toBe(reason as never);
    }
  };
  test("framing", () => {
    refuses("3080 0000", "badLength"); // indefinite length
    refuses("04 8105 0102030405", "badLength"); // long form for a short length
    refuses("04 820005 0102030405", "badLength"); // leading zero length octet
    refuses("04 85 0102030405", "badLength"); // more than 4 length octets
    refuses("1f 01 00", "unsupported"); // high tag number form
    refuses("04 05 0102", "truncated");
    refuses("04", "truncated");
    refuses("0400 00", "badLength"); // bytes after the element
  });
  test("values", () => {
    expect(readDerInteger(el(hex("02020001"))).ok).toBe(false); // not minimal
    expect(readDerInteger(el(hex("0202ff80"))).ok).toBe(false);
    expect(readDerInteger(el(hex("0200"))).ok).toBe(false);
    expect(readDerBoolean(el(hex("010101"))).ok).toBe(false);
    expect(readDerBitString(el(hex("03020100"))).ok).toBe(false); // unused bits where whole octets are wanted
    expect(readDerBitString(el(hex("030108"))).ok).toBe(false);
    expect(readDerOid(el(hex("06028001"))).ok).toBe(false); // 0x80 padding
    expect(readDerOid(el(hex("0602 5581"))).ok).toBe(false); // ends inside an arc
    expect(readDerNull(el(hex("050100"))).ok).toBe(false);
    expect(readDerTime(el(hex("170d 3933303330313030303030355a")))).toEqual({
      ok: true,
      value: Date.UTC(1993, 2, 1, 0, 0, 5),
    });
    expect(readDerTime(el(derString(DER_TAG.UTC_TIME, "9313010000Z"))).ok).toBe(false);
    expect(readDerTime(el(derString(DER_TAG.UTC_TIME, "931301000000Z"))).ok).toBe(false);
    expect(readDerString(el(hex("0c02c328"))).ok).toBe(false); // bad UTF-8
    expect(readDerString(el(hex("020100"))).ok).toBe(false);
  });
  test("children must cover a constructed element exactly", () => {
    expect(parseDerChildren(el(hex("3003 020101")), DER_TAG.SEQUENCE).ok).toBe(true);
    expect(parseDerChildren(el(hex("3003 020201")), DER_TAG.SEQUENCE).ok).toBe(false);
    expect(parseDerChildren(el(hex("0403 020101"))).ok).toBe(false); // primitive
    expect(parseDerChildren(el(hex("3100")), DER_TAG.SEQUENCE).ok).toBe(false); // wrong tag
  });
});

describe("round trips", () => {
  test("integers", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 600n), max: 1n << 600n }), (n) => {
        const r = readDerInteger(el(derInteger(n)));
        return r.ok && r.value === n;
      }),
    );
  });
  test("OIDs", () => {
    const oid = fc
      .tuple(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        fc.array(fc.bigInt({ min: 0n, max: 1n << 70n }), { maxLength: 8 }),
      )
      .map(([a, b, rest]) => [a, b, ...rest].join("."));
    fc.assert(
      fc.property(oid, (o) => {
        const r = readDerOid(el(derOid(o)));
        return r.ok && r.value === o;
      }),
    );
  });
  test("strings, octets, bits, times, context tags", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const r = readDerString(el(derString(DER_TAG.UTF8_STRING, s)));
        return r.ok && r.value === s;
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70000 }), (b) => {
        const o = readDerOctetString(el(derOctetString(b)));
        const bits = readDerBitString(el(derBitString(b)));
        return o.ok && toHex(o.value) === toHex(b) && bits.ok && toHex(bits.value.bytes) === toHex(b);
      }),
      { numRuns: 30 },
    );
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        const t = Math.floor(ms / 1000) * 1000;
        const r = readDerTime(el(derTime(t)));
        return r.ok && r.value === t;
      }),
    );
    const ctx = el(derContext(3, derNull()));
    expect(ctx.tag).toBe(0xa3);
    expect(parseDerChildren(ctx).ok).toBe(true);
  });
  test("nested sequences", () => {
    const s = derSequence(derInteger(1n), derSequence(derOid("2.5.4.3"), derString(DER_TAG.PRINTABLE_STRING, "R1")));
    const top = parseDerChildren(el(s), DER_TAG.SEQUENCE);
    expect(top.ok && top.value.length).toBe(2);
  });
});

describe("random input never throws", () => {
  test("parseDer, children and every reader", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const r = parseDer(b);
        for (let off = 0; off < Math.min(b.length, 8); off++) parseDerAt(b, off);
        if (!r.ok) return r.error.detail.length > 0;
        const e = r.value;
        parseDerChildren(e);
        for (const read of [
          readDerInteger,
          readDerBoolean,
          readDerOid,
          readDerNull,
          readDerString,
          readDerTime,
          readDerOctetString,
        ])
          read(e);
        readDerBitString(e, false);
        return true;
      }),
      { numRuns: 3000 },
    );
  });
});
