import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { arpReply, arpRequest, emitArp, gratuitousArp, isGratuitousArp, parseArp } from "../../src/wire/arp.ts";
import { arpPacket } from "./arbitraries.ts";
import { ARP_REPLY, ARP_REQUEST } from "./fixtures.ts";

const request = {
  operation: 1,
  senderMac: 0xaaa702327693,
  senderIp: 0x0a090901,
  targetMac: 0,
  targetIp: 0x0a090902,
} as const;

describe("arp", () => {
  test("deconstructs a captured request and reply", () => {
    expect(parseArp(ARP_REQUEST.subarray(14))).toEqual({ ok: true, value: request });
    expect(parseArp(ARP_REPLY.subarray(14))).toEqual({
      ok: true,
      value: {
        operation: 2,
        senderMac: 0x12bcb0004225,
        senderIp: 0x0a090902,
        targetMac: 0xaaa702327693,
        targetIp: 0x0a090901,
      },
    });
  });

  test("constructs the captured bytes", () => {
    expect(emitArp(arpRequest(0xaaa702327693, 0x0a090901, 0x0a090902))).toEqual(ARP_REQUEST.slice(14));
    expect(emitArp(arpReply(request, 0x12bcb0004225))).toEqual(ARP_REPLY.slice(14));
  });

  test("gratuitous", () => {
    const g = gratuitousArp(0xaabbcc000100, 0x0a000001);
    expect(isGratuitousArp(g)).toBe(true);
    expect(isGratuitousArp(request)).toBe(false);
  });

  test("truncated, bad lengths, unsupported types and opcodes", () => {
    const b = ARP_REQUEST.slice(14);
    expect(parseArp(b.subarray(0, 27))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    const badHlen = b.slice();
    badHlen[4] = 8;
    expect(parseArp(badHlen)).toMatchObject({ ok: false, error: { reason: "badLength" } });
    const ieee802 = b.slice();
    ieee802[1] = 6;
    expect(parseArp(ieee802)).toMatchObject({ ok: false, error: { reason: "unsupported" } });
    const rarp = b.slice();
    rarp[7] = 3;
    expect(parseArp(rarp)).toMatchObject({ ok: false, error: { reason: "unsupported" } });
  });

  test("parse(emit(x)) == x (property)", () => {
    fc.assert(fc.property(arpPacket, (p) => expect(parseArp(emitArp(p))).toEqual({ ok: true, value: p })));
  });
});
