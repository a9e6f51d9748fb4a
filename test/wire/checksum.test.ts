import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  checksumAdd,
  checksumFinish,
  checksumUpdate16,
  checksumUpdate32,
  internetChecksum,
  pseudoHeaderSum,
} from "../../src/wire/checksum.ts";
import { hex, UDP_LOOPBACK } from "./fixtures.ts";

describe("internet checksum (RFC 1071)", () => {
  test("RFC 1071 section 3 example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2", () => {
    const b = hex("0001f203f4f5f6f7");
    expect(checksumFinish(checksumAdd(0, b))).toBe(~0xddf2 & 0xffff);
  });

  test("IPv4 header example from Wikipedia 'Internet checksum': b861", () => {
    const h = hex("450000730000400040110000c0a80001c0a800c7");
    expect(internetChecksum(h)).toBe(0xb861);
    h[10] = 0xb8;
    h[11] = 0x61;
    expect(internetChecksum(h)).toBe(0);
  });

  test("odd length pads a zero byte", () => {
    expect(internetChecksum(hex("0102 03"))).toBe(~(0x0102 + 0x0300) & 0xffff);
  });

  test("ranges sum the same as a copy", () => {
    const b = hex("ffff 0001 1234 abcd 99");
    expect(internetChecksum(b, 2, 8)).toBe(internetChecksum(b.slice(2, 8)));
  });

  test("pseudo-header sum matches the partial checksum Linux leaves with offload", () => {
    // On lo the UDP checksum field holds only the folded pseudo-header sum (CHECKSUM_PARTIAL).
    const udp = UDP_LOOPBACK.subarray(34);
    const partial = (udp[6]! << 8) | udp[7]!;
    expect(~checksumFinish(pseudoHeaderSum(0x7f000001, 0x7f000001, 17, udp.length)) & 0xffff).toBe(partial);
  });

  test("RFC 1624 update equals a full recompute (property)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 0xffff }),
        (b, word, value) => {
          b[10] = 0;
          b[11] = 0;
          const c = internetChecksum(b);
          b[10] = c >>> 8;
          b[11] = c;
          if (word === 5) return; // the checksum word itself
          const old = (b[word * 2]! << 8) | b[word * 2 + 1]!;
          b[word * 2] = value >>> 8;
          b[word * 2 + 1] = value;
          const updated = checksumUpdate16(c, old, value);
          b[10] = updated >>> 8;
          b[11] = updated;
          expect(internetChecksum(b)).toBe(0);
        },
      ),
    );
  });

  test("RFC 1624 32-bit update keeps the header valid", () => {
    const h = hex("4500007300004000401100000a0000010a000002");
    const c = internetChecksum(h);
    const c2 = checksumUpdate32(c, 0x0a000001, 0xc0a80101);
    h.set([0xc0, 0xa8, 1, 1], 12);
    h[10] = c2 >>> 8;
    h[11] = c2;
    expect(internetChecksum(h)).toBe(0);
  });
});
