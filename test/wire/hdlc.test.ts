import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  emitHdlc,
  emitSlarp,
  HDLC_ADDRESS_BROADCAST,
  HDLC_PROTO_IPV4,
  HDLC_PROTO_SLARP,
  hdlcProtocol,
  parseHdlc,
  parseSlarp,
  slarpKeepalive,
} from "../../src/wire/hdlc.ts";
import { hdlcFrame, slarpPacket } from "./arbitraries.ts";
import { hex } from "./fixtures.ts";

// A keepalive laid out as Linux hdlc_cisco.c sends it (struct cisco_packet:
// type, par1, par2, rel 0xffff, time), inside a broadcast Cisco HDLC frame.
const KEEPALIVE = hex("8f00 8035 00000002 0000002a 00000029 ffff 0001d4c0");

describe("cisco hdlc", () => {
  test("deconstructs a SLARP keepalive frame", () => {
    const f = parseHdlc(KEEPALIVE);
    expect(f.ok && [f.value.address, f.value.protocol, f.value.payload.length]).toEqual([0x8f, HDLC_PROTO_SLARP, 18]);
    expect(hdlcProtocol(KEEPALIVE)).toBe(HDLC_PROTO_SLARP);
    const s = f.ok ? parseSlarp(f.value.payload) : null;
    expect(s).toEqual({
      ok: true,
      value: { kind: "keepalive", mySeq: 42, yourSeq: 41, reliability: 0xffff, timeMs: 120000 },
    });
  });

  test("constructs the keepalive frame", () => {
    const payload = emitSlarp(slarpKeepalive(42, 41, 120000));
    expect(emitHdlc({ address: HDLC_ADDRESS_BROADCAST, protocol: HDLC_PROTO_SLARP, payload })).toEqual(KEEPALIVE);
  });

  test("SLARP request/reply carry address and mask; 14-byte packets are accepted", () => {
    const reply = hex("00000001 0a000001 fffffffc ffff");
    expect(parseSlarp(reply)).toEqual({
      ok: true,
      value: { kind: "reply", address: 0x0a000001, mask: 0xfffffffc, reliability: 0xffff, timeMs: 0 },
    });
  });

  test("truncated and bad values", () => {
    expect(parseHdlc(hex("0f0008"))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    expect(parseHdlc(hex("ff03 0021"))).toMatchObject({ ok: false, error: { reason: "badValue" } }); // PPP, not Cisco HDLC
    expect(parseHdlc(hex("0f01 0800"))).toMatchObject({ ok: false, error: { reason: "badValue" } });
    expect(parseSlarp(KEEPALIVE.subarray(4, 17))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    expect(parseSlarp(hex("00000007 00000000 00000000 ffff"))).toMatchObject({
      ok: false,
      error: { reason: "badValue" },
    });
  });

  test("IPv4 frames", () => {
    const f = emitHdlc({ address: 0x0f, protocol: HDLC_PROTO_IPV4, payload: hex("4500") });
    expect(f).toEqual(hex("0f00 0800 4500"));
  });

  test("parse(emit(x)) == x (property)", () => {
    fc.assert(fc.property(hdlcFrame, (f) => expect(parseHdlc(emitHdlc(f))).toEqual({ ok: true, value: f })));
    fc.assert(fc.property(slarpPacket, (p) => expect(parseSlarp(emitSlarp(p))).toEqual({ ok: true, value: p })));
  });
});
