// NHRP (RFC 2332 + Cisco's traffic indication, NAT and cleartext
// authentication extensions): a registration request byte for byte,
// parse(emit(x)) == x for every packet shape, refusals of malformed input
// (checksum, lengths, extension list), parse never throws on random or
// mutated bytes, and tshark's nhrp dissector on one packet of each type inside
// GRE: decoded with our fields, "[correct]" checksum, no Malformed layer and
// no expert item of warning severity or above.

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
  IP_PROTO_GRE,
  IP_PROTO_ICMP,
} from "../../src/wire/index.ts";
import {
  emitNhrp,
  GRE_PROTO_NHRP,
  NHRP_ERROR_CODE,
  NHRP_EXT,
  NHRP_FLAG,
  NHRP_TYPE,
  type NhrpCie,
  type NhrpExtension,
  type NhrpPacket,
  nhrpLength,
  parseNhrp,
} from "../../src/wire/nhrp.ts";
import { hasTshark, tsharkFields } from "../capture/pcap-read.ts";
import { bytes, u8, u16, u32 } from "./arbitraries.ts";
import { hex } from "./fixtures.ts";

const SPOKE_NBMA = 0x0a010101; // 10.1.1.1
const SPOKE = 0xac100001; // 172.16.0.1
const HUB_NBMA = 0x0a050505; // 10.5.5.5
const HUB = 0xac100005; // 172.16.0.5

const REG_CIE: NhrpCie = {
  code: 0,
  prefixLength: 32,
  mtu: 1514,
  holdingTime: 7200,
  clientNbma: null,
  clientProtocol: null,
  preference: 0,
};
const HUB_CIE: NhrpCie = { ...REG_CIE, clientNbma: HUB_NBMA, clientProtocol: HUB };
const password = new TextEncoder().encode("cisco");

/** A spoke's registration request to its NHS as IOS builds it. */
const REGISTRATION: NhrpPacket = {
  type: NHRP_TYPE.registrationRequest,
  hopCount: 255,
  srcNbma: SPOKE_NBMA,
  srcProtocol: SPOKE,
  dstProtocol: HUB,
  body: { kind: "common", flags: NHRP_FLAG.registrationUnique | NHRP_FLAG.nat, requestId: 7, cies: [REG_CIE] },
  extensions: [
    { compulsory: true, kind: "responderAddress", cies: [] },
    { compulsory: true, kind: "forwardTransit", cies: [] },
    { compulsory: true, kind: "reverseTransit", cies: [] },
    { compulsory: true, kind: "authentication", spi: 1, data: password },
    { compulsory: false, kind: "natAddress", cies: [] },
  ],
};

// ---- generators --------------------------------------------------------------

const addr = fc.option(u32, { nil: null });
const cie: fc.Arbitrary<NhrpCie> = fc.record({
  code: u8,
  prefixLength: u8,
  mtu: u16,
  holdingTime: u16,
  clientNbma: addr,
  clientProtocol: addr,
  preference: u8,
});
const cies = fc.array(cie, { maxLength: 3 });
const known = new Set<number>(Object.values(NHRP_EXT));
const extension: fc.Arbitrary<NhrpExtension> = fc.oneof(
  fc.record({
    compulsory: fc.boolean(),
    kind: fc.constantFrom("responderAddress", "forwardTransit", "reverseTransit", "natAddress") as fc.Arbitrary<
      "responderAddress" | "forwardTransit" | "reverseTransit" | "natAddress"
    >,
    cies,
  }),
  fc.record({ compulsory: fc.boolean(), kind: fc.constant("authentication" as const), spi: u32, data: bytes(16) }),
  fc.record({
    compulsory: fc.boolean(),
    kind: fc.constant("other" as const),
    type: fc.integer({ min: 1, max: 0x3fff }).filter((t) => !known.has(t)),
    value: bytes(12),
  }),
);
const nhrpPacket: fc.Arbitrary<NhrpPacket> = fc
  .record({
    type: u8,
    hopCount: u8,
    srcNbma: addr,
    srcProtocol: addr,
    dstProtocol: addr,
    flags: u16,
    requestId: u32,
    code: u16,
    offset: u16,
    cies,
    packet: bytes(40),
    extensions: fc.option(fc.array(extension, { maxLength: 4 }), { nil: null }),
  })
  .map((r) => ({
    type: r.type,
    hopCount: r.hopCount,
    srcNbma: r.srcNbma,
    srcProtocol: r.srcProtocol,
    dstProtocol: r.dstProtocol,
    body:
      r.type === NHRP_TYPE.errorIndication
        ? { kind: "error" as const, code: r.code, offset: r.offset, packet: r.packet }
        : r.type === NHRP_TYPE.trafficIndication
          ? { kind: "traffic" as const, code: r.code, packet: r.packet }
          : { kind: "common" as const, flags: r.flags, requestId: r.requestId, cies: r.cies },
    extensions: r.extensions,
  }));

// ---- format ------------------------------------------------------------------

describe("nhrp", () => {
  test("a registration request byte for byte: fixed header, mandatory part, CIE, extensions and End", () => {
    const b = emitNhrp(REGISTRATION);
    expect(b.length).toBe(85);
    expect(nhrpLength(REGISTRATION)).toBe(85);
    expect(b.subarray(0, 20)).toEqual(hex("0001 0800 0000000000 ff 0055 98a6 0034 01 03 04 00"));
    // src/dst proto len, flags (U, NAT), request id, NBMA 10.1.1.1, 172.16.0.1, 172.16.0.5.
    expect(b.subarray(20, 40)).toEqual(hex("04 04 8002 00000007 0a010101 ac100001 ac100005"));
    // CIE: code 0, prefix 32, unused, MTU 1514, holding time 7200, no client addresses.
    expect(b.subarray(40, 52)).toEqual(hex("00 20 0000 05ea 1c20 00 00 00 00"));
    expect(b.subarray(52)).toEqual(
      hex("8003 0000 8004 0000 8005 0000 8007 0009 00000001 636973636f 0009 0000 8000 0000"),
    );
    expect(parseNhrp(b)).toEqual({ ok: true, value: REGISTRATION });
  });

  test("error and traffic indications carry the offending packet after the addresses", () => {
    const err: NhrpPacket = {
      type: NHRP_TYPE.errorIndication,
      hopCount: 255,
      srcNbma: HUB_NBMA,
      srcProtocol: HUB,
      dstProtocol: SPOKE,
      body: { kind: "error", code: NHRP_ERROR_CODE.authenticationFailure, offset: 0, packet: emitNhrp(REGISTRATION) },
      extensions: null,
    };
    const b = emitNhrp(err);
    expect(b.subarray(14, 16)).toEqual(hex("0000")); // no extensions
    expect(b.subarray(20, 28)).toEqual(hex("04 04 0000 000b 0000"));
    const back = parseNhrp(b);
    expect(back).toEqual({ ok: true, value: err });
    if (back.ok && back.value.body.kind === "error") expect(parseNhrp(back.value.body.packet).ok).toBe(true);
  });

  test("parse(emit(x)) == x (property)", () => {
    fc.assert(fc.property(nhrpPacket, (p) => expect(parseNhrp(emitNhrp(p))).toEqual({ ok: true, value: p })));
  });

  test("a bad checksum, version, lengths, address sizes and a missing End extension are refused", () => {
    const b = emitNhrp(REGISTRATION);
    const flip = (i: number, v: number) => {
      const c = b.slice();
      c[i] = v;
      return parseNhrp(c);
    };
    expect(flip(84, 1)).toMatchObject({ ok: false, error: { reason: "badValue" } }); // checksum
    expect(parseNhrp(b.subarray(0, 20))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    expect(parseNhrp(b.subarray(0, 84))).toMatchObject({ ok: false, error: { reason: "badLength" } });
    // Re-checksummed mutations: the checksum is right, the content is not.
    const mutate = (edit: (c: Uint8Array) => void) => {
      const c = b.slice();
      edit(c);
      c[12] = 0;
      c[13] = 0;
      let s = 0;
      for (let i = 0; i < c.length; i += 2) s += (c[i]! << 8) | (c[i + 1] ?? 0);
      while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
      c[12] = (~s >>> 8) & 0xff;
      c[13] = ~s & 0xff;
      return parseNhrp(c);
    };
    expect(mutate((c) => (c[16] = 2))).toMatchObject({ ok: false, error: { reason: "badVersion" } });
    expect(mutate((c) => (c[18] = 6))).toMatchObject({ ok: false, error: { reason: "unsupported" } });
    expect(mutate((c) => (c[1] = 2))).toMatchObject({ ok: false, error: { reason: "unsupported" } });
    expect(mutate((c) => (c[21] = 16))).toMatchObject({ ok: false, error: { reason: "unsupported" } });
    expect(mutate((c) => (c[15] = 200))).toMatchObject({ ok: false, error: { reason: "badLength" } });
    // The End extension becomes a 4-byte NAT extension running past the packet.
    expect(mutate((c) => (c[81] = 9))).toMatchObject({ ok: false, error: { reason: "truncated" } });
  });

  test("parse never throws on random bytes or on mutations of a valid packet (property)", () => {
    fc.assert(
      fc.property(bytes(120), (b) => {
        const r = parseNhrp(b);
        if (r.ok) expect(parseNhrp(emitNhrp(r.value)).ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
    const valid = emitNhrp(REGISTRATION);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length - 1 }), u8, fc.nat(valid.length), (i, v, cut) => {
        const c = valid.slice(0, Math.max(cut, i + 1));
        c[i] = v;
        parseNhrp(c);
      }),
      { numRuns: 2000 },
    );
  });
});

// ---- tshark ------------------------------------------------------------------

function ipv4(src: number, dst: number, protocol: number, payload: Uint8Array): Uint8Array {
  return emitIpv4({
    dscp: 0,
    ecn: 0,
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

function frame(p: NhrpPacket): Uint8Array {
  const gre = emitGre({ checksum: false, key: 100, sequence: null, protocol: GRE_PROTO_NHRP, payload: emitNhrp(p) });
  const ip = ipv4(SPOKE_NBMA, HUB_NBMA, IP_PROTO_GRE, gre);
  return emitEthernet({ dst: 0xaabbcc000500, src: 0xaabbcc000100, ethertype: ETHERTYPE_IPV4, payload: ip });
}

describe.skipIf(!hasTshark)("nhrp: tshark", () => {
  const dir = mkdtempSync(join(tmpdir(), "wanlab-nhrp-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("tshark decodes each packet type with our fields and a correct checksum", () => {
    const reply: NhrpPacket = {
      ...REGISTRATION,
      type: NHRP_TYPE.registrationReply,
      extensions: [
        { compulsory: true, kind: "responderAddress", cies: [HUB_CIE] },
        { compulsory: true, kind: "forwardTransit", cies: [] },
        { compulsory: true, kind: "reverseTransit", cies: [] },
        {
          compulsory: false,
          kind: "natAddress",
          cies: [{ ...REG_CIE, clientNbma: 0x0a090909, clientProtocol: SPOKE }],
        },
      ],
    };
    const resolution: NhrpPacket = {
      ...REGISTRATION,
      type: NHRP_TYPE.resolutionRequest,
      dstProtocol: 0xac100002,
      body: { kind: "common", flags: NHRP_FLAG.router | NHRP_FLAG.nat, requestId: 9, cies: [REG_CIE] },
    };
    const resReply: NhrpPacket = {
      ...resolution,
      type: NHRP_TYPE.resolutionReply,
      body: {
        kind: "common",
        flags: NHRP_FLAG.router | NHRP_FLAG.authoritative | NHRP_FLAG.nat,
        requestId: 9,
        cies: [{ ...REG_CIE, clientNbma: 0x0a020202, clientProtocol: 0xac100002 }],
      },
    };
    const purge: NhrpPacket = {
      ...REGISTRATION,
      type: NHRP_TYPE.purgeRequest,
      body: { kind: "common", flags: 0, requestId: 3, cies: [{ ...REG_CIE, clientProtocol: 0xac100002 }] },
    };
    const echo = ipv4(
      0x01010101,
      0x02020202,
      IP_PROTO_ICMP,
      emitIcmp({ kind: "echoRequest", id: 1, seq: 1, data: new Uint8Array(8) }),
    );
    const traffic: NhrpPacket = {
      type: NHRP_TYPE.trafficIndication,
      hopCount: 255,
      srcNbma: HUB_NBMA,
      srcProtocol: HUB,
      dstProtocol: 0x01010101,
      body: { kind: "traffic", code: 0, packet: echo },
      extensions: [],
    };
    const error: NhrpPacket = {
      type: NHRP_TYPE.errorIndication,
      hopCount: 255,
      srcNbma: HUB_NBMA,
      srcProtocol: HUB,
      dstProtocol: SPOKE,
      body: { kind: "error", code: NHRP_ERROR_CODE.authenticationFailure, offset: 0, packet: emitNhrp(REGISTRATION) },
      extensions: null,
    };
    const packets = [REGISTRATION, reply, resolution, resReply, purge, traffic, error];
    const w = new MemoryPcapWriter({ linktype: LINKTYPE_ETHERNET });
    packets.forEach((p, i) => void w.writePacket(i * 1000, frame(p)));
    const path = join(dir, "nhrp.pcap");
    writeFileSync(path, w.bytes());
    const rows = tsharkFields(path, [
      "frame.protocols",
      "nhrp.hdr.op.type",
      "nhrp.hdr.pktsz",
      "nhrp.hdr.chksum.status",
      "nhrp.src.nbma.addr",
      "nhrp.src.prot.addr",
      "nhrp.dst.prot.addr",
      "nhrp.client.nbma.addr",
      "nhrp.ext.type",
      "_ws.malformed",
      "_ws.expert.severity",
    ]);
    expect(rows.length).toBe(packets.length);
    for (const r of rows) {
      expect(r["_ws.malformed"]).toBe("");
      for (const s of r["_ws.expert.severity"]!.split(",").filter((x) => x !== ""))
        expect(Number(s)).toBeLessThan(6291456);
    }
    expect(rows.map((r) => r["nhrp.hdr.op.type"]!.split(",")[0])).toEqual(["3", "4", "1", "2", "5", "8", "7"]);
    expect(rows.map((r) => Number(r["nhrp.hdr.pktsz"]!.split(",")[0]))).toEqual(packets.map((p) => nhrpLength(p)));
    expect(rows.every((r) => r["nhrp.hdr.chksum.status"]!.split(",")[0] === "1")).toBe(true);
    expect(rows[0]!["nhrp.src.nbma.addr"]).toBe("10.1.1.1");
    expect(rows[0]!["nhrp.dst.prot.addr"]).toBe("172.16.0.5");
    expect(rows[0]!["nhrp.ext.type"]).toBe("0x0003,0x0004,0x0005,0x0007,0x0009,0x0000");
    expect(rows[1]!["nhrp.client.nbma.addr"]).toBe("10.5.5.5,10.9.9.9");
    expect(rows[3]!["nhrp.client.nbma.addr"]).toBe("10.2.2.2");
    expect(rows[5]!["frame.protocols"]).toBe("eth:ethertype:ip:gre:nhrp:ip:icmp");
    // The error indication nests the registration it refuses.
    expect(rows[6]!["nhrp.hdr.op.type"]).toBe("7,3");
  });
});
