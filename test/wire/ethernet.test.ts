import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  emitEthernet,
  ethernetBufferLen,
  ethernetDst,
  ethernetPayloadOffset,
  ethernetSrc,
  ethernetType,
  parseEthernet,
} from "../../src/wire/ethernet.ts";
import { ethernetFrame } from "./arbitraries.ts";
import { ARP_REQUEST, hex, ICMP_ECHO_REQUEST } from "./fixtures.ts";

describe("ethernet", () => {
  test("deconstructs a captured ARP broadcast", () => {
    const r = parseEthernet(ARP_REQUEST);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.dst).toBe(0xffffffffffff);
    expect(r.value.src).toBe(0xaaa702327693);
    expect(r.value.ethertype).toBe(ETHERTYPE_ARP);
    expect(r.value.vlan).toBeUndefined();
    expect(r.value.payload.length).toBe(28);
  });

  test("hot-path accessors agree with parse", () => {
    expect(ethernetDst(ICMP_ECHO_REQUEST)).toBe(0x12bcb0004225);
    expect(ethernetSrc(ICMP_ECHO_REQUEST)).toBe(0xaaa702327693);
    expect(ethernetType(ICMP_ECHO_REQUEST)).toBe(ETHERTYPE_IPV4);
    expect(ethernetPayloadOffset(ICMP_ECHO_REQUEST)).toBe(14);
  });

  test("802.1Q tag: VLAN 100, PCP 5 (IEEE 802.1Q TCI layout)", () => {
    const f = hex("ffffffffffff 00000c9ff001 8100 a064 0806");
    const full = new Uint8Array(60);
    full.set(f);
    const r = parseEthernet(full);
    expect(r.ok && r.value.vlan).toEqual({ pcp: 5, dei: false, vid: 100 });
    expect(r.ok && r.value.ethertype).toBe(ETHERTYPE_ARP);
    expect(ethernetType(full)).toBe(ETHERTYPE_ARP);
    expect(ethernetPayloadOffset(full)).toBe(18);
  });

  test("constructs the captured frame, padded to 60 bytes", () => {
    const b = emitEthernet({
      dst: 0xffffffffffff,
      src: 0xaaa702327693,
      ethertype: ETHERTYPE_ARP,
      payload: ARP_REQUEST.subarray(14),
    });
    expect(b.length).toBe(60);
    expect(b.subarray(0, 42)).toEqual(ARP_REQUEST);
    expect(b.subarray(42).every((x) => x === 0)).toBe(true);
  });

  test("truncated", () => {
    expect(parseEthernet(new Uint8Array(13))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    expect(parseEthernet(hex("ffffffffffff 00000c9ff001 8100 a0"))).toMatchObject({
      ok: false,
      error: { reason: "truncated" },
    });
  });

  test("parse(emit(x)) == x (property)", () => {
    fc.assert(
      fc.property(ethernetFrame, (f) => {
        const b = emitEthernet(f);
        expect(b.length).toBe(ethernetBufferLen(f));
        expect(parseEthernet(b)).toEqual({ ok: true, value: f });
      }),
    );
  });
});
