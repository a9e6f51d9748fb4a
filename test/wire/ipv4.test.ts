import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  checkIpv4,
  emitIpv4,
  type Ipv4Packet,
  ipv4BufferLen,
  ipv4ChecksumOk,
  ipv4DecrementTtl,
  ipv4Dst,
  ipv4HeaderLen,
  ipv4IsFragment,
  ipv4Protocol,
  ipv4SetDst,
  ipv4SetSrc,
  ipv4Src,
  ipv4TotalLength,
  ipv4Ttl,
  parseIpv4,
} from "../../src/wire/ipv4.ts";
import { ipv4Packet } from "./arbitraries.ts";
import { hex, ICMP_ECHO_REQUEST, IPV4_LAST_FRAGMENT, UDP_DF_1400 } from "./fixtures.ts";

const echo = ICMP_ECHO_REQUEST.subarray(14);

describe("ipv4", () => {
  test("deconstructs a captured echo request", () => {
    const r = parseIpv4(echo);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      dscp: 0,
      ecn: 0,
      identification: 0x1be7,
      dontFragment: true,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 64,
      protocol: 1,
      src: 0x0a090901,
      dst: 0x0a090902,
    });
    expect(r.value.options.length).toBe(0);
    expect(r.value.payload.length).toBe(24);
  });

  test("deconstructs a captured last fragment: offset in bytes", () => {
    const r = parseIpv4(IPV4_LAST_FRAGMENT.subarray(14));
    expect(r.ok && [r.value.fragmentOffset, r.value.moreFragments, r.value.identification]).toEqual([
      1480,
      false,
      0x1bb0,
    ]);
    expect(ipv4IsFragment(IPV4_LAST_FRAGMENT, 14)).toBe(true);
    expect(ipv4IsFragment(UDP_DF_1400, 14)).toBe(false);
  });

  test("constructs the captured echo request bytes", () => {
    const r = parseIpv4(echo);
    if (!r.ok) throw new Error("fixture");
    expect(emitIpv4(r.value)).toEqual(echo.slice());
  });

  test("payload is bounded by total length, not by Ethernet padding", () => {
    const padded = new Uint8Array(60);
    padded.set(ICMP_ECHO_REQUEST);
    const r = parseIpv4(padded.subarray(14));
    expect(r.ok && r.value.payload.length).toBe(24);
  });

  test("options are kept raw (RFC 791 record route)", () => {
    const p: Ipv4Packet = {
      dscp: 46,
      ecn: 0,
      identification: 1,
      dontFragment: false,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 255,
      protocol: 1,
      src: 0x0a000001,
      dst: 0x0a000002,
      options: hex("07 07 04 00000000 00"), // record route, one slot, EOL
      payload: new Uint8Array(8),
    };
    const b = emitIpv4(p);
    expect(ipv4HeaderLen(b)).toBe(28);
    expect(parseIpv4(b)).toEqual({ ok: true, value: p });
  });

  test("hot-path accessors", () => {
    expect([ipv4Src(ICMP_ECHO_REQUEST, 14), ipv4Dst(ICMP_ECHO_REQUEST, 14)]).toEqual([0x0a090901, 0x0a090902]);
    expect([
      ipv4Ttl(ICMP_ECHO_REQUEST, 14),
      ipv4Protocol(ICMP_ECHO_REQUEST, 14),
      ipv4TotalLength(ICMP_ECHO_REQUEST, 14),
    ]).toEqual([64, 1, 44]);
  });

  test("TTL decrement and NAT rewrite keep the checksum valid (RFC 1624)", () => {
    const f = ICMP_ECHO_REQUEST.slice();
    for (let ttl = 63; ttl >= 0; ttl--) {
      expect(ipv4DecrementTtl(f, 14)).toBe(ttl);
      expect(ipv4ChecksumOk(f, 14)).toBe(true);
    }
    ipv4SetSrc(f, 0xc0a80001, 14);
    ipv4SetDst(f, 0xffffffff, 14);
    expect(checkIpv4(f, 14)).toEqual({ ok: true, value: 20 });
    expect(ipv4Src(f, 14)).toBe(0xc0a80001);
  });

  test("TTL decrement equals a full recompute (property)", () => {
    fc.assert(
      fc.property(ipv4Packet, (p) => {
        const b = emitIpv4({ ...p, ttl: Math.max(1, p.ttl) });
        ipv4DecrementTtl(b);
        expect(ipv4ChecksumOk(b)).toBe(true);
      }),
    );
  });

  test("truncated", () => {
    expect(parseIpv4(echo.subarray(0, 19))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    expect(parseIpv4(echo.subarray(0, 40))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    const b = echo.slice();
    b[0] = 0x4f; // IHL 15 = 60 bytes of header, only 44 present
    expect(parseIpv4(b.subarray(0, 44))).toMatchObject({ ok: false, error: { reason: "truncated" } });
  });

  test("bad length", () => {
    const small = echo.slice();
    small[0] = 0x44;
    expect(parseIpv4(small)).toMatchObject({ ok: false, error: { reason: "badLength" } });
    const total = echo.slice();
    total[2] = 0;
    total[3] = 19;
    expect(parseIpv4(total, { verifyChecksum: false })).toMatchObject({ ok: false, error: { reason: "badLength" } });
  });

  test("bad version", () => {
    const b = echo.slice();
    b[0] = 0x65;
    expect(parseIpv4(b)).toMatchObject({ ok: false, error: { reason: "badVersion" } });
  });

  test("bad checksum, unless verification is off", () => {
    const b = echo.slice();
    b[8] = 1; // TTL changed without fixing the checksum
    expect(parseIpv4(b)).toMatchObject({ ok: false, error: { reason: "badChecksum" } });
    expect(parseIpv4(b, { verifyChecksum: false }).ok).toBe(true);
  });

  test("parse(emit(x)) == x (property)", () => {
    fc.assert(
      fc.property(ipv4Packet, (p) => {
        const b = emitIpv4(p);
        expect(b.length).toBe(ipv4BufferLen(p));
        expect(parseIpv4(b)).toEqual({ ok: true, value: p });
      }),
    );
  });

  test("emit refuses records no wire can carry", () => {
    const p = { ...(parseIpv4(echo) as { ok: true; value: Ipv4Packet }).value };
    expect(() => emitIpv4({ ...p, options: new Uint8Array(44) })).toThrow(RangeError);
    expect(() => emitIpv4({ ...p, fragmentOffset: 3 })).toThrow(RangeError);
    expect(() => emitIpv4({ ...p, payload: new Uint8Array(65516) })).toThrow(RangeError);
  });
});
