import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { emitIcmp, icmpBufferLen, icmpQuote, parseIcmp, UNREACH } from "../../src/wire/icmp.ts";
import { emitIpv4, parseIpv4 } from "../../src/wire/ipv4.ts";
import { icmpMessage } from "./arbitraries.ts";
import {
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  ICMP_FRAG_NEEDED,
  ICMP_PORT_UNREACHABLE,
  ICMP_TIME_EXCEEDED,
  UDP_DF_1400,
  UDP_LOOPBACK,
  UDP_TTL_ONE,
} from "./fixtures.ts";

/** The ICMP message inside a captured Ethernet/IPv4 frame. */
function icmpOf(frame: Uint8Array): Uint8Array {
  const ip = parseIpv4(frame.subarray(14));
  if (!ip.ok) throw new Error(ip.error.detail);
  return ip.value.payload;
}

const data = new TextEncoder().encode("abcdefghijklmnop");

describe("icmp", () => {
  test("deconstructs captured echo request and reply", () => {
    expect(parseIcmp(icmpOf(ICMP_ECHO_REQUEST))).toEqual({
      ok: true,
      value: { kind: "echoRequest", id: 0x4242, seq: 7, data },
    });
    expect(parseIcmp(icmpOf(ICMP_ECHO_REPLY))).toEqual({
      ok: true,
      value: { kind: "echoReply", id: 0x4242, seq: 7, data },
    });
  });

  test("constructs the captured echo bytes", () => {
    expect(emitIcmp({ kind: "echoRequest", id: 0x4242, seq: 7, data })).toEqual(icmpOf(ICMP_ECHO_REQUEST).slice());
    expect(emitIcmp({ kind: "echoReply", id: 0x4242, seq: 7, data })).toEqual(icmpOf(ICMP_ECHO_REPLY).slice());
  });

  test("deconstructs a captured fragmentation-needed with next-hop MTU (RFC 1191)", () => {
    const r = parseIcmp(icmpOf(ICMP_FRAG_NEEDED));
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.kind !== "destUnreachable") throw new Error("kind");
    expect([r.value.code, r.value.nextHopMtu]).toEqual([UNREACH.FRAG_NEEDED, 1280]);
    // Linux quotes as much of the datagram as fits in 576 bytes.
    expect(r.value.original).toEqual(UDP_DF_1400.slice(14, 14 + 548));
  });

  test("deconstructs captured port unreachable and time exceeded with the quoted datagram", () => {
    const u = parseIcmp(icmpOf(ICMP_PORT_UNREACHABLE));
    expect(u.ok && u.value).toMatchObject({ kind: "destUnreachable", code: UNREACH.PORT, nextHopMtu: 0 });
    expect(u.ok && u.value.kind === "destUnreachable" && u.value.original).toEqual(UDP_LOOPBACK.slice(14));
    const t = parseIcmp(icmpOf(ICMP_TIME_EXCEEDED));
    expect(t.ok && t.value).toMatchObject({ kind: "timeExceeded", code: 0 });
    expect(t.ok && t.value.kind === "timeExceeded" && t.value.original).toEqual(UDP_TTL_ONE.slice(14));
  });

  test("constructs the captured time exceeded from the offending datagram", () => {
    expect(emitIcmp({ kind: "timeExceeded", code: 0, original: UDP_TTL_ONE.slice(14) })).toEqual(
      icmpOf(ICMP_TIME_EXCEEDED).slice(),
    );
  });

  test("icmpQuote takes the IP header + 8 bytes (RFC 792)", () => {
    expect(icmpQuote(UDP_DF_1400, 14)).toEqual(UDP_DF_1400.slice(14, 42));
    expect(icmpQuote(new Uint8Array(3))).toEqual(new Uint8Array(0));
  });

  test("administratively prohibited (code 13), what IOS answers for an ACL deny", () => {
    const b = emitIcmp({
      kind: "destUnreachable",
      code: UNREACH.ADMIN_PROHIBITED,
      nextHopMtu: 0,
      original: icmpQuote(UDP_DF_1400, 14),
    });
    expect(b.length).toBe(8 + 28);
    expect(parseIcmp(b)).toMatchObject({ ok: true, value: { kind: "destUnreachable", code: 13 } });
  });

  test("truncated and bad checksum", () => {
    expect(parseIcmp(new Uint8Array(7))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    const b = icmpOf(ICMP_ECHO_REQUEST).slice();
    b[8] ^= 1;
    expect(parseIcmp(b)).toMatchObject({ ok: false, error: { reason: "badChecksum" } });
  });

  test("an ICMP echo inside IPv4 round-trips", () => {
    const payload = emitIcmp({ kind: "echoRequest", id: 1, seq: 2, data: new Uint8Array(72) });
    const ip = emitIpv4({
      dscp: 0,
      ecn: 0,
      identification: 5,
      dontFragment: false,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 255,
      protocol: 1,
      src: 1,
      dst: 2,
      options: new Uint8Array(0),
      payload,
    });
    const r = parseIpv4(ip);
    expect(r.ok && parseIcmp(r.value.payload)).toMatchObject({
      ok: true,
      value: { kind: "echoRequest", id: 1, seq: 2 },
    });
  });

  test("parse(emit(x)) == x (property)", () => {
    fc.assert(
      fc.property(icmpMessage, (m) => {
        const b = emitIcmp(m);
        expect(b.length).toBe(icmpBufferLen(m));
        expect(parseIcmp(b)).toEqual({ ok: true, value: m });
      }),
    );
  });
});
