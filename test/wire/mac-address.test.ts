import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  formatMacCisco,
  formatMacColon,
  isMulticastMac,
  MAC_BROADCAST,
  parseMacCisco,
  readMac,
  writeMac,
} from "../../src/wire/mac-address.ts";

describe("mac address helpers", () => {
  test("IOS dotted-hex as in `show ip arp`", () => {
    expect(formatMacCisco(0xaabbcc000100)).toBe("aabb.cc00.0100");
    expect(formatMacCisco(0x00000c07ac01)).toBe("0000.0c07.ac01");
    expect(parseMacCisco("AABB.CC00.0100")).toBe(0xaabbcc000100);
    expect(parseMacCisco("aabb.cc00.010")).toBeNull();
    expect(parseMacCisco("aa:bb:cc:00:01:00")).toBeNull();
    expect(formatMacColon(0xaabbcc000100)).toBe("aa:bb:cc:00:01:00");
  });

  test("group bit", () => {
    expect(isMulticastMac(MAC_BROADCAST)).toBe(true);
    expect(isMulticastMac(0x01005e000005)).toBe(true);
    expect(isMulticastMac(0xaabbcc000100)).toBe(false);
  });

  test("text and bytes round trip (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffffffff }), (m) => {
        expect(parseMacCisco(formatMacCisco(m))).toBe(m);
        const b = new Uint8Array(8);
        writeMac(b, 1, m);
        expect(readMac(b, 1)).toBe(m);
      }),
    );
  });
});
