// OSPFv2 wire format: hand-checked bytes (the hello's Internet checksum and
// the router-LSA's Fletcher checksum were found independently, the latter by
// searching all 255x255 check octets for the pair that zeroes both ISO 8473
// sums), round trips for every packet type and authentication, MD5 digests
// checked against the key, and bad input answered with a reason, never a throw.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  buildLsa,
  emitLsa,
  emitOspf,
  lsaChecksum,
  lsaChecksumOk,
  type OspfPacket,
  ospfMd5Ok,
  ospfSimplePassword,
  parseLsa,
  parseOspf,
} from "../../src/wire/index.ts";
import { hex } from "./fixtures.ts";
import { lsa, md5Key, ospfPacket } from "./ospf-arbitraries.ts";

const HELLO_HEX = "020100300101010100000000ec9300000000000000000000ffffff00000a0201000000280a0000010000000002020202";
const HELLO: OspfPacket = {
  routerId: 0x01010101,
  areaId: 0,
  auth: { type: "null" },
  body: {
    type: "hello",
    networkMask: 0xffffff00,
    helloInterval: 10,
    options: 0x02,
    priority: 1,
    deadInterval: 40,
    dr: 0x0a000001,
    bdr: 0,
    neighbors: [0x02020202],
  },
};
const ROUTER_LSA_HEX = "00012201010101010101010180000001977f0024000000010a000000ffffff000300000a";
const ROUTER_LSA = {
  header: {
    age: 1,
    options: 0x22,
    type: 1,
    linkStateId: 0x01010101,
    advertisingRouter: 0x01010101,
    sequence: -0x7fffffff,
  },
  body: {
    kind: "router" as const,
    flags: 0,
    links: [{ linkId: 0x0a000000, linkData: 0xffffff00, type: 3 as const, metric: 10, tos: [] }],
  },
};

describe("fixed bytes", () => {
  test("a hello with one neighbor, checksum over the packet without the auth field", () => {
    expect(Buffer.from(emitOspf(HELLO)).toString("hex")).toBe(HELLO_HEX);
    const r = parseOspf(hex(HELLO_HEX));
    expect(r.ok && r.value.packet).toEqual(HELLO);
  });

  test("a router-LSA with its Fletcher checksum 0x977f", () => {
    const b = emitLsa(ROUTER_LSA);
    expect(Buffer.from(b).toString("hex")).toBe(ROUTER_LSA_HEX);
    expect(lsaChecksum(b, 0, b.length)).toBe(0x977f);
    expect(lsaChecksumOk(b, 0, b.length)).toBe(true);
    const r = parseLsa(b);
    expect(r.ok && r.value).toEqual(buildLsa(ROUTER_LSA));
    expect(r.ok && r.value.header.checksum).toBe(0x977f);
  });

  test("a body the caller holds is taken for a checksummed LSA instead of a new parse; a bad checksum still fails", () => {
    const b = emitLsa(ROUTER_LSA);
    const held = { kind: "router" as const, flags: 0, links: [] };
    const asked: number[] = [];
    const known = (h: { checksum: number }) => {
      asked.push(h.checksum);
      return held;
    };
    const r = parseLsa(b, 0, true, known);
    expect(r.ok && r.value.body).toBe(held);
    expect(r.ok && r.value.header).toEqual(buildLsa(ROUTER_LSA).header);
    expect(asked).toEqual([0x977f]);
    // Nothing held: parsed as without the hook.
    const none = parseLsa(b, 0, true, () => undefined);
    expect(none.ok && none.value).toEqual(buildLsa(ROUTER_LSA));
    // A corrupted byte fails the Fletcher check before the hook is asked.
    const bad = emitLsa(ROUTER_LSA);
    bad[25] = bad[25]! ^ 0x40;
    expect(parseLsa(bad, 0, true, known)).toMatchObject({ ok: false, error: { reason: "badChecksum" } });
    expect(asked.length).toBe(1);
    // Unverified parses never take a held body.
    const unverified = parseLsa(b, 0, false, known);
    expect(unverified.ok && unverified.value.body).not.toBe(held);
  });

  test("LS age is outside the checksum; any other byte is inside", () => {
    const b = emitLsa(ROUTER_LSA);
    b[0] = 0x0e;
    b[1] = 0x10; // MaxAge
    expect(lsaChecksumOk(b, 0, b.length)).toBe(true);
    for (let i = 2; i < b.length; i++) {
      const c = b.slice();
      c[i]! ^= 0x01;
      expect(lsaChecksumOk(c, 0, c.length)).toBe(false);
      const r = parseLsa(c);
      expect(r.ok).toBe(false);
    }
  });

  test("a corrupted hello fails its checksum; a bad version, type or length is named", () => {
    const b = hex(HELLO_HEX);
    b[30] ^= 0xff;
    expect(parseOspf(b)).toMatchObject({ ok: false, error: { reason: "badChecksum" } });
    const v = hex(HELLO_HEX);
    v[0] = 3;
    expect(parseOspf(v)).toMatchObject({ ok: false, error: { reason: "badVersion" } });
    const t = hex(HELLO_HEX);
    t[1] = 6;
    expect(parseOspf(t)).toMatchObject({ ok: false, error: { reason: "badValue" } });
    expect(parseOspf(hex(HELLO_HEX).subarray(0, 40))).toMatchObject({ ok: false, error: { reason: "truncated" } });
  });

  test("simple password: 8 bytes in the auth field, not covered by the checksum", () => {
    const p: OspfPacket = { ...HELLO, auth: { type: "simple", password: ospfSimplePassword("cisco") } };
    const b = emitOspf(p);
    expect(Buffer.from(b.subarray(16, 24)).toString()).toBe("cisco\0\0\0");
    expect(b[12]! * 256 + b[13]!).toBe(0xec93 - 1); // AuType 1 is in the sum; the password is not
    expect(parseOspf(b)).toMatchObject({ ok: true, value: { packet: p } });
  });

  test("MD5: key id, sequence and a 16-byte digest after Packet length; checksum left zero", () => {
    const key = new TextEncoder().encode("cisco");
    const p: OspfPacket = { ...HELLO, auth: { type: "md5", keyId: 1, sequence: 0x5f000001 } };
    const b = emitOspf(p, key);
    expect(b.length).toBe(48 + 16);
    expect(b[12]! | b[13]!).toBe(0);
    const r = parseOspf(b);
    if (!r.ok) throw new Error(r.error.detail);
    expect(r.value.packet).toEqual(p);
    expect(ospfMd5Ok(b, r.value, key)).toBe(true);
    expect(ospfMd5Ok(b, r.value, new TextEncoder().encode("cisc0"))).toBe(false);
    const tampered = b.slice();
    tampered[40] ^= 1;
    const t = parseOspf(tampered);
    expect(t.ok && ospfMd5Ok(tampered, t.value, key)).toBe(false);
    expect(parseOspf(b.subarray(0, 60))).toMatchObject({ ok: false, error: { reason: "truncated" } });
  });
});

describe("round trips", () => {
  test("parse(emit(lsa)) == lsa for every LSA type", () => {
    fc.assert(
      fc.property(lsa, (l) => {
        const b = emitLsa(l);
        expect(b.length).toBe(l.header.length);
        expect(parseLsa(b)).toEqual({ ok: true, value: l });
      }),
      { numRuns: 500 },
    );
  });

  test("parse(emit(packet)) == packet for every packet type and authentication", () => {
    fc.assert(
      fc.property(ospfPacket, md5Key, (p, key) => {
        const b = emitOspf(p, key);
        const r = parseOspf(b);
        if (!r.ok) throw new Error(r.error.detail);
        expect(r.value.packet).toEqual(p);
        if (p.auth.type === "md5") expect(ospfMd5Ok(b, r.value, key)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test("trailing bytes (an LLS block) are ignored", () => {
    const b = new Uint8Array([...hex(HELLO_HEX), 0xff, 0xf6, 0x00, 0x03]);
    expect(parseOspf(b)).toMatchObject({ ok: true, value: { packet: HELLO, length: 48 } });
  });
});

describe("bad input never throws", () => {
  const noThrow = (b: Uint8Array) => {
    const r = parseOspf(b);
    expect(typeof r.ok).toBe("boolean");
    const l = parseLsa(b);
    expect(typeof l.ok).toBe("boolean");
    const u = parseLsa(b, 0, false);
    expect(typeof u.ok).toBe("boolean");
  };

  test("random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), noThrow), { numRuns: 2000 });
  });

  test("every truncation and single-byte change of valid packets", () => {
    fc.assert(
      fc.property(ospfPacket, md5Key, fc.nat(), u8(), (p, key, at, v) => {
        const b = emitOspf(p, key);
        for (let n = 0; n < b.length; n++) noThrow(b.subarray(0, n));
        const c = b.slice();
        c[at % c.length] = v;
        noThrow(c);
        // Headers claiming lengths past the end: the body parser must not read beyond the bytes.
        const d = b.slice();
        d[2] = 0xff;
        noThrow(d);
      }),
      { numRuns: 200 },
    );
  });

  test("LSAs with a changed byte and no checksum check still parse or fail cleanly", () => {
    fc.assert(
      fc.property(lsa, fc.nat(), u8(), (l, at, v) => {
        const b = emitLsa(l);
        b[at % b.length] = v;
        noThrow(b);
        for (let n = 0; n < b.length; n++) noThrow(b.subarray(0, n));
      }),
      { numRuns: 300 },
    );
  });
});

function u8() {
  return fc.integer({ min: 0, max: 255 });
}
