import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { emitUdp, parseUdp, udpBufferLen, udpDstPort, udpSrcPort } from "../../src/wire/udp.ts";
import { pseudo, udpDatagram } from "./arbitraries.ts";
import { hex, UDP_LOOPBACK, UDP_TTL_ONE } from "./fixtures.ts";

const lo = { src: 0x7f000001, dst: 0x7f000001 };
const payload = new TextEncoder().encode("wanlab");

describe("udp", () => {
  test("deconstructs a captured datagram", () => {
    const r = parseUdp(UDP_LOOPBACK.subarray(34));
    expect(r).toEqual({ ok: true, value: { srcPort: 0xc72c, dstPort: 9999, payload } });
    expect([udpSrcPort(UDP_LOOPBACK, 34), udpDstPort(UDP_LOOPBACK, 34)]).toEqual([0xc72c, 9999]);
  });

  test("the capture's offloaded (partial) checksum is rejected; the emitted one verifies", () => {
    expect(parseUdp(UDP_LOOPBACK.subarray(34), lo)).toMatchObject({ ok: false, error: { reason: "badChecksum" } });
    const b = emitUdp({ srcPort: 0xc72c, dstPort: 9999, payload }, lo);
    expect(b.subarray(0, 6)).toEqual(UDP_LOOPBACK.slice(34, 40));
    expect(parseUdp(b, lo)).toEqual({ ok: true, value: { srcPort: 0xc72c, dstPort: 9999, payload } });
  });

  test("checksum per RFC 768 worked by hand", () => {
    // 10.0.0.1:1 -> 10.0.0.2:2, payload 'hi': pseudo 0a00+0001+0a00+0002+0011+000a,
    // header 0001+0002+000a, data 6869 -> sum 0x7c94, checksum 0x836b.
    expect(emitUdp({ srcPort: 1, dstPort: 2, payload: hex("6869") }, { src: 0x0a000001, dst: 0x0a000002 })).toEqual(
      hex("0001 0002 000a 836b 6869"),
    );
  });

  test("zero checksum means none and is accepted", () => {
    const b = UDP_TTL_ONE.slice(34);
    b[6] = 0;
    b[7] = 0;
    expect(parseUdp(b, { src: 0x0a090901, dst: 0x0a080808 }).ok).toBe(true);
  });

  test("payload bounded by the length field", () => {
    const b = new Uint8Array(30);
    b.set(UDP_LOOPBACK.subarray(34));
    expect(parseUdp(b)).toMatchObject({ ok: true, value: { payload } });
  });

  test("truncated and bad length", () => {
    expect(parseUdp(new Uint8Array(7))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    expect(parseUdp(UDP_LOOPBACK.subarray(34, 40 + 4))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    expect(parseUdp(hex("0001 0002 0007 0000"))).toMatchObject({ ok: false, error: { reason: "badLength" } });
  });

  test("parse(emit(x)) == x (property)", () => {
    fc.assert(
      fc.property(udpDatagram, pseudo, (d, ph) => {
        const b = emitUdp(d, ph);
        expect(b.length).toBe(udpBufferLen(d));
        expect(parseUdp(b, ph)).toEqual({ ok: true, value: d });
      }),
    );
  });
});
