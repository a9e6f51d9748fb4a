// COOP's ANNOUNCE and SYNC payloads (src/wire/gdoi-coop.ts): parse(emit(x)) == x
// for any announcement and any set of keys and members, and malformed bodies
// (cut anywhere, a role or priority out of range, a reserved SPI, lengths that
// disagree) are refused with a reason, never thrown.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  COOP_PAYLOAD,
  type CoopAnnounce,
  type CoopSync,
  emitCoopAnnounce,
  emitCoopBody,
  emitCoopSync,
  parseCoopAnnounce,
  parseCoopBody,
  parseCoopSync,
} from "../../src/wire/gdoi-coop.ts";

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const announceArb: fc.Arbitrary<CoopAnnounce> = fc.record({
  version: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)),
  groupIdentity: u32,
  priority: fc.integer({ min: 1, max: 255 }),
  role: fc.constantFrom("Primary" as const, "Secondary" as const),
  alive: fc.boolean(),
  replyRequest: fc.boolean(),
  antiReplaySequence: u32,
  rekeySequence: u32,
  address: u32,
});
const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const syncArb: fc.Arbitrary<CoopSync> = fc.record({
  pseudotimeMs: fc.option(fc.nat({ max: Number.MAX_SAFE_INTEGER }), { nil: null }),
  kek: fc.option(fc.record({ spi: bytes(16, 16), key: bytes(0, 32), ageSec: u32 }), { nil: null }),
  teks: fc.array(
    fc.record({
      saNumber: fc.integer({ min: 0, max: 0xffff }),
      spi: fc.integer({ min: 256, max: 0xffffffff }),
      ageSec: u32,
      lifetimeSec: u32,
      encryptionKey: bytes(0, 32),
      integrityKey: bytes(0, 32),
    }),
    { maxLength: 4 },
  ),
  members: fc.array(u32, { maxLength: 20 }),
});

describe("COOP wire format", () => {
  test("ANNOUNCE and SYNC round-trip", () => {
    fc.assert(
      fc.property(announceArb, syncArb, (a, s) => {
        expect(parseCoopAnnounce(emitCoopAnnounce(a))).toEqual({ ok: true, value: a });
        expect(parseCoopSync(emitCoopSync(s))).toEqual({ ok: true, value: s });
      }),
    );
  });

  test("a message body (ANNOUNCE, then SYNC or not) round-trips; cipher padding after it is ignored", () => {
    fc.assert(
      fc.property(announceArb, fc.option(syncArb, { nil: null }), bytes(0, 15), (announce, sync, pad) => {
        const body = emitCoopBody({ announce, sync });
        const padded = new Uint8Array(body.length + pad.length);
        padded.set(body);
        padded.set(pad, body.length);
        expect(parseCoopBody(COOP_PAYLOAD.ANNOUNCE, padded)).toEqual({
          ok: true,
          value: { announce, sync, end: body.length },
        });
      }),
    );
  });

  test("every truncation and random bytes are refused, never thrown", () => {
    fc.assert(
      fc.property(announceArb, syncArb, fc.nat(), (announce, sync, cut) => {
        const body = emitCoopBody({ announce, sync });
        const at = cut % body.length;
        const r = parseCoopBody(COOP_PAYLOAD.ANNOUNCE, body.subarray(0, at));
        expect(r.ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(255), (b, first) => {
        expect(() => parseCoopBody(first, b)).not.toThrow();
        expect(() => parseCoopSync(b)).not.toThrow();
      }),
    );
  });

  test("values out of range are named", () => {
    const a: CoopAnnounce = {
      version: [1, 0, 16],
      groupIdentity: 1234,
      priority: 100,
      role: "Primary",
      alive: true,
      replyRequest: false,
      antiReplaySequence: 7,
      rekeySequence: 0,
      address: 0xc0a86f6f,
    };
    const bad = emitCoopAnnounce(a);
    bad[9] = 3;
    const role = parseCoopAnnounce(bad);
    expect(role.ok || role.error.detail).toContain("role 3");
    bad[9] = 1;
    bad[8] = 0;
    const prio = parseCoopAnnounce(bad);
    expect(prio.ok || prio.error.detail).toContain("priority 0");
    const sync = emitCoopSync({
      pseudotimeMs: null,
      kek: null,
      teks: [
        {
          saNumber: 1,
          spi: 300,
          ageSec: 0,
          lifetimeSec: 3600,
          encryptionKey: new Uint8Array(16),
          integrityKey: new Uint8Array(20),
        },
      ],
      members: [1],
    });
    sync[4 + 4 + 4 + 2] = 0; // SPI 300 becomes 44: reserved
    sync[4 + 4 + 4 + 3] = 44;
    const spi = parseCoopSync(sync);
    expect(spi.ok || spi.error.detail).toContain("reserved");
    // A member count that does not match the bytes after it.
    const members = emitCoopSync({ pseudotimeMs: null, kek: null, teks: [], members: [1, 2] });
    members[9] = 3;
    const count = parseCoopSync(members);
    expect(count.ok || count.error.reason).toBe("badLength");
    // A pseudotime past 2^53 ms cannot be held exactly: refused.
    const far = emitCoopSync({ pseudotimeMs: 1, kek: null, teks: [], members: [] });
    far.fill(0xff, 4, 12);
    const tbar = parseCoopSync(far);
    expect(tbar.ok || tbar.error.detail).toContain("pseudotime");
    // Two ANNOUNCEs, or SYNC first, are not a COOP message.
    expect(
      parseCoopBody(COOP_PAYLOAD.SYNC, emitCoopSync({ pseudotimeMs: 5, kek: null, teks: [], members: [] })).ok,
    ).toBe(false);
  });
});
