// GRE (RFC 2784, RFC 2890): known layouts, refusals, parse(emit(x)) == x for
// every combination of checksum, key and sequence number, parse never throws
// on random bytes, and tshark's decoding of GRE frames built with emitGre
// (plain, keyed, with checksum and sequence, and an IOS keepalive) inside
// IPv4/Ethernet: each decodes as GRE carrying the inner IPv4/ICMP, with no
// Malformed layer and no expert item of warning severity or above.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { LINKTYPE_ETHERNET, MemoryPcapWriter } from "../../src/capture/pcap-writer.ts";
import {
  ETHERTYPE_IPV4,
  emitEthernet,
  emitGre,
  emitIcmp,
  emitIpv4,
  GRE_PROTO_IPV4,
  GRE_PROTO_KEEPALIVE,
  type GrePacket,
  greHeaderLen,
  IP_PROTO_GRE,
  IP_PROTO_ICMP,
  parseGre,
} from "../../src/wire/index.ts";
import { hasTshark, tsharkFields } from "../capture/pcap-read.ts";
import { bytes, u16, u32 } from "./arbitraries.ts";
import { hex } from "./fixtures.ts";

const grePacket: fc.Arbitrary<GrePacket> = fc.record({
  checksum: fc.boolean(),
  key: fc.option(u32, { nil: null }),
  sequence: fc.option(u32, { nil: null }),
  protocol: u16,
  payload: bytes(300),
});

describe("gre", () => {
  test("the 4-byte header of plain GRE over IPv4 (RFC 2784)", () => {
    const p = emitGre({ checksum: false, key: null, sequence: null, protocol: GRE_PROTO_IPV4, payload: hex("4500") });
    expect(p).toEqual(hex("0000 0800 4500"));
    expect(parseGre(p)).toEqual({
      ok: true,
      value: { checksum: false, key: null, sequence: null, protocol: 0x0800, payload: hex("4500") },
    });
  });

  test("key and sequence number follow the base header in that order (RFC 2890)", () => {
    const p = emitGre({ checksum: false, key: 0x1234, sequence: 7, protocol: GRE_PROTO_IPV4, payload: hex("45") });
    expect(p).toEqual(hex("3000 0800 00001234 00000007 45"));
    expect(greHeaderLen({ checksum: true, key: 1, sequence: 1 })).toBe(16);
  });

  test("the checksum covers header and payload, and a corrupted packet is refused", () => {
    const p = emitGre({ checksum: true, key: 5, sequence: null, protocol: GRE_PROTO_IPV4, payload: hex("4500 0014") });
    // Words: a000 0800 sum 0000 0000 0005 4500 0014 -> ones' complement sum 0xed19, checksum 0x12e6.
    expect(p).toEqual(hex("a000 0800 12e6 0000 00000005 4500 0014"));
    expect(parseGre(p).ok).toBe(true);
    const bad = p.slice();
    bad[bad.length - 1] ^= 1;
    expect(parseGre(bad)).toMatchObject({ ok: false, error: { reason: "badChecksum" } });
  });

  test("truncated headers, version 1 (PPTP) and RFC 1701 fields are refused", () => {
    expect(parseGre(hex("0000 08"))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    expect(parseGre(hex("2000 0800 0000"))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    expect(parseGre(hex("3001 880b 0000 0000"))).toMatchObject({ ok: false, error: { reason: "badVersion" } });
    expect(parseGre(hex("4000 0800 0000 0000"))).toMatchObject({ ok: false, error: { reason: "unsupported" } });
    expect(parseGre(hex("0100 0800"))).toMatchObject({ ok: false, error: { reason: "unsupported" } });
  });

  test("parse(emit(x)) == x (property)", () => {
    fc.assert(fc.property(grePacket, (p) => expect(parseGre(emitGre(p))).toEqual({ ok: true, value: p })));
  });

  test("parse never throws on arbitrary bytes (property)", () => {
    fc.assert(
      fc.property(bytes(40), (b) => {
        const r = parseGre(b);
        if (r.ok) expect(emitGre(r.value)).toEqual(b);
      }),
      { numRuns: 2000 },
    );
  });
});

// ---- tshark ----------------------------------------------------------------

const R1 = 0x01010101;
const R2 = 0x02020202;

function ipv4(src: number, dst: number, protocol: number, payload: Uint8Array, tos = 0): Uint8Array {
  return emitIpv4({
    dscp: tos >>> 2,
    ecn: tos & 3,
    identification: 1,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 255,
    protocol,
    src,
    dst,
    options: new Uint8Array(0),
    payload,
  });
}

function frame(gre: Omit<GrePacket, "payload">, inner: Uint8Array): Uint8Array {
  const outer = ipv4(R1, R2, IP_PROTO_GRE, emitGre({ ...gre, payload: inner }));
  return emitEthernet({ dst: 0xaabbcc000200, src: 0xaabbcc000100, ethertype: ETHERTYPE_IPV4, payload: outer });
}

const ECHO = ipv4(
  0x0a000001,
  0x0a000002,
  IP_PROTO_ICMP,
  emitIcmp({ kind: "echoRequest", id: 1, seq: 2, data: new Uint8Array(72) }),
  0xb8,
);
const KEEPALIVE_INNER = ipv4(
  R2,
  R1,
  IP_PROTO_GRE,
  emitGre({ checksum: false, key: null, sequence: null, protocol: GRE_PROTO_KEEPALIVE, payload: new Uint8Array(0) }),
);

describe.skipIf(!hasTshark)("gre: tshark", () => {
  const dir = mkdtempSync(join(tmpdir(), "wanlab-gre-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("tshark decodes GRE with the inner IPv4, keys, checksums, sequence numbers and a keepalive", () => {
    const frames = [
      frame({ checksum: false, key: null, sequence: null, protocol: GRE_PROTO_IPV4 }, ECHO),
      frame({ checksum: false, key: 1000, sequence: null, protocol: GRE_PROTO_IPV4 }, ECHO),
      frame({ checksum: true, key: 7, sequence: 42, protocol: GRE_PROTO_IPV4 }, ECHO),
      frame({ checksum: false, key: null, sequence: null, protocol: GRE_PROTO_IPV4 }, KEEPALIVE_INNER),
    ];
    const w = new MemoryPcapWriter({ linktype: LINKTYPE_ETHERNET });
    frames.forEach((f, i) => void w.writePacket(i * 1000, f));
    const path = join(dir, "gre.pcap");
    writeFileSync(path, w.bytes());
    const rows = tsharkFields(path, [
      "frame.protocols",
      "frame.len",
      "gre.flags.checksum",
      "gre.flags.key",
      "gre.flags.sequence_number",
      "gre.key",
      "gre.sequence_number",
      "gre.checksum.status",
      "gre.proto",
      "ip.dst",
      "icmp.type",
      "_ws.malformed",
      "_ws.expert.severity",
    ]);
    expect(rows.length).toBe(4);
    for (const r of rows) {
      expect(r["_ws.malformed"]).toBe("");
      // Expert severities at warning (6291456) or above would mean tshark found something wrong.
      for (const s of r["_ws.expert.severity"]!.split(",").filter((x) => x !== ""))
        expect(Number(s)).toBeLessThan(6291456);
    }
    expect(rows.slice(0, 3).map((r) => r["frame.protocols"])).toEqual(
      Array(3).fill("eth:ethertype:ip:gre:ip:icmp:data"),
    );
    // 14 Ethernet + 20 outer IP + GRE (4, 8, 16) + 20 inner IP + 8 ICMP + 72 data.
    expect(rows.map((r) => Number(r["frame.len"]))).toEqual([138, 142, 150, 62]);
    expect(rows.map((r) => r["gre.flags.key"])).toEqual(["0", "1", "1", "0,0"]);
    expect(rows[1]!["gre.key"]).toBe("0x000003e8");
    expect(rows[2]!["gre.sequence_number"]).toBe("42");
    expect(rows[2]!["gre.checksum.status"]).toBe("1"); // PROTO_CHECKSUM_E_GOOD
    expect(rows.slice(0, 3).map((r) => r["ip.dst"])).toEqual(Array(3).fill("2.2.2.2,10.0.0.2"));
    expect(rows.slice(0, 3).map((r) => r["icmp.type"])).toEqual(["8", "8", "8"]);
    // The keepalive: GRE carrying IPv4 back to the sender, carrying GRE with protocol type 0.
    expect(rows[3]!["frame.protocols"]).toBe("eth:ethertype:ip:gre:ip:gre");
    expect(rows[3]!["gre.proto"]).toBe("0x0800,0x0000");
    expect(rows[3]!["ip.dst"]).toBe("2.2.2.2,1.1.1.1");
  });
});
