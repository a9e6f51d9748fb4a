import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  formatIpv4Address,
  lengthFromMask,
  maskFromLength,
  parseIpv4Address,
  readIpv4,
  writeIpv4,
} from "../../src/wire/ipv4-address.ts";

describe("ipv4 address helpers", () => {
  test("parse and format", () => {
    expect(parseIpv4Address("10.0.0.1")).toBe(0x0a000001);
    expect(parseIpv4Address("255.255.255.255")).toBe(0xffffffff);
    expect(parseIpv4Address("0.0.0.0")).toBe(0);
    expect(formatIpv4Address(0xc0a80101)).toBe("192.168.1.1");
    expect(formatIpv4Address(0xffffffff)).toBe("255.255.255.255");
  });

  test("rejects malformed text", () => {
    for (const s of [
      "",
      "10.0.0",
      "10.0.0.1.2",
      "256.0.0.1",
      "10.0.0.-1",
      "01.0.0.1",
      "a.b.c.d",
      " 10.0.0.1",
      "10..0.1",
      "1e1.0.0.1",
    ]) {
      expect(parseIpv4Address(s)).toBeNull();
    }
  });

  test("masks", () => {
    expect(maskFromLength(0)).toBe(0);
    expect(maskFromLength(8)).toBe(0xff000000);
    expect(maskFromLength(24)).toBe(0xffffff00);
    expect(maskFromLength(32)).toBe(0xffffffff);
    expect(lengthFromMask(0xffffff00)).toBe(24);
    expect(lengthFromMask(0)).toBe(0);
    expect(lengthFromMask(0xffffffff)).toBe(32);
    expect(lengthFromMask(0xff00ff00)).toBeNull();
    expect(lengthFromMask(0x000000ff)).toBeNull();
  });

  test("mask length round trip (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 32 }), (n) => lengthFromMask(maskFromLength(n)) === n));
  });

  test("text and bytes round trip (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (a) => {
        expect(parseIpv4Address(formatIpv4Address(a))).toBe(a);
        const b = new Uint8Array(6);
        writeIpv4(b, 1, a);
        expect(readIpv4(b, 1)).toBe(a);
      }),
    );
  });
});
