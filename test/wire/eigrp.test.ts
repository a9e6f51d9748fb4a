// EIGRP packets (RFC 7868 6): a hello laid out byte for byte, parse(emit(p))
// == p for random packets, bad packets refused with a reason and random bytes
// never throwing, and Wireshark's `eigrp` dissector decoding a hello, a
// goodbye, an update with internal and external routes (a /0, a /32, a /20)
// and an acknowledgment with our fields and no malformed or warning items;
// MD5 authentication digests as Cisco and FRR compute them, against node:crypto.

import { afterAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { LINKTYPE_ETHERNET, MemoryPcapWriter } from "../../src/capture/pcap-writer.ts";
import {
  EIGRP_FLAG,
  EIGRP_GROUP,
  type EigrpMetric,
  type EigrpPacket,
  type EigrpTlv,
  eigrpMd5Verifies,
  emitEigrp,
  IP_PROTO_EIGRP,
  isGoodbye,
  parseEigrp,
} from "../../src/wire/eigrp.ts";
import { ETHERTYPE_IPV4, emitEthernet } from "../../src/wire/ethernet.ts";
import { emitIpv4 } from "../../src/wire/ipv4.ts";
import { hasTshark, tsharkFields } from "../capture/pcap-read.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

const HELLO: EigrpPacket = {
  opcode: "hello",
  flags: 0,
  sequence: 0,
  ack: 0,
  as: 100,
  tlvs: [
    { type: "parameters", k: [1, 0, 1, 0, 0, 0], holdTime: 15 },
    { type: "softwareVersion", ios: [12, 4], eigrp: [1, 2] },
  ],
};

const T1_METRIC: EigrpMetric = {
  delay: 2510 * 256,
  bandwidth: 6476 * 256,
  mtu: 1500,
  hopCount: 2,
  reliability: 255,
  load: 1,
  internalTag: 0,
  flags: 0,
};

const UPDATE: EigrpPacket = {
  opcode: "update",
  flags: EIGRP_FLAG.EOT,
  sequence: 7,
  ack: 3,
  as: 100,
  tlvs: [
    { type: "internal", route: { nextHop: 0, metric: T1_METRIC, prefix: 0x09090909, length: 32 } },
    { type: "internal", route: { nextHop: 0, metric: T1_METRIC, prefix: 0, length: 0 } },
    {
      type: "external",
      route: {
        nextHop: 0x0a000003,
        metric: { ...T1_METRIC, delay: 0xffffffff },
        prefix: 0xac100000,
        length: 20,
        external: {
          originatingRouter: 0x03030303,
          originatingAs: 0,
          tag: 0,
          externalMetric: 0,
          protocol: 3,
          flags: 0,
        },
      },
    },
  ],
};

describe("EIGRP wire format", () => {
  test("a hello is laid out as RFC 7868 6.4 and 6.6 draw it", () => {
    const b = emitEigrp(HELLO);
    // version 2, opcode 5, checksum, flags 0, seq 0, ack 0, vrid 0, AS 100; parameters; software version.
    expect(hex(b.subarray(0, 2))).toBe("0205");
    expect(hex(b.subarray(4))).toBe(
      "00000000" +
        "00000000" +
        "00000000" +
        "0000" +
        "0064" +
        "0001000c" +
        "010001000000" +
        "000f" +
        "00040008" +
        "0c040102",
    );
    expect(parseEigrp(b).ok).toBe(true);
  });

  test("an internal /32 route takes 4 destination bytes, a /0 one byte, a /20 three", () => {
    const b = emitEigrp(UPDATE);
    // TLV lengths: 4 + 4 + 16 + 1 + 4 = 29, 4 + 4 + 16 + 1 + 1 = 26, 4 + 24 + 16 + 1 + 3 = 48.
    expect(b.length).toBe(20 + 29 + 26 + 48);
    expect(hex(b.subarray(20, 24))).toBe("0102001d");
    expect(hex(b.subarray(20 + 24, 20 + 29))).toBe("2009090909");
    expect(hex(b.subarray(49 + 24, 49 + 26))).toBe("0000");
    expect(hex(b.subarray(75 + 44, 75 + 48))).toBe("14ac1000");
  });

  test("parse(emit(p)) == p", () => {
    const u8 = fc.integer({ min: 0, max: 255 });
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const metric = fc.record({
      delay: u32,
      bandwidth: u32,
      mtu: fc.integer({ min: 0, max: 0xffffff }),
      hopCount: u8,
      reliability: u8,
      load: u8,
      internalTag: u8,
      flags: u8,
    });
    const dest = fc
      .integer({ min: 0, max: 32 })
      .chain((length) =>
        u32.map((a) => ({ length, prefix: length === 0 ? 0 : (a & ((0xffffffff << (32 - length)) >>> 0)) >>> 0 })),
      );
    const tlv: fc.Arbitrary<EigrpTlv> = fc.oneof(
      fc.record({
        type: fc.constant("parameters" as const),
        k: fc.tuple(u8, u8, u8, u8, u8, u8),
        holdTime: fc.integer({ min: 0, max: 0xffff }),
      }),
      fc.record({ type: fc.constant("sequence" as const), addresses: fc.array(u32, { maxLength: 4 }) }),
      fc.record({ type: fc.constant("softwareVersion" as const), ios: fc.tuple(u8, u8), eigrp: fc.tuple(u8, u8) }),
      fc.record({ type: fc.constant("nextMulticastSequence" as const), sequence: u32 }),
      fc.record({ type: fc.constant("stub" as const), flags: fc.integer({ min: 0, max: 0xffff }) }),
      fc
        .tuple(u32, metric, dest)
        .map(([nextHop, m, d]) => ({ type: "internal" as const, route: { nextHop, metric: m, ...d } })),
      fc.tuple(u32, metric, dest, u32, u32, u32, u32, u8, u8).map(([nextHop, m, d, r, as, tag, em, proto, fl]) => ({
        type: "external" as const,
        route: {
          nextHop,
          metric: m,
          ...d,
          external: {
            originatingRouter: r,
            originatingAs: as,
            tag,
            externalMetric: em,
            protocol: proto,
            flags: fl,
          },
        },
      })),
    );
    fc.assert(
      fc.property(
        fc.constantFrom("update", "query", "reply", "hello", "siaQuery", "siaReply" as const),
        u32,
        u32,
        u32,
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(tlv, { maxLength: 6 }),
        (opcode, flags, sequence, ack, as, tlvs) => {
          const p: EigrpPacket = { opcode, flags, sequence, ack, as, tlvs };
          expect(parseEigrp(emitEigrp(p))).toEqual({ ok: true, value: p });
        },
      ),
    );
  });

  test("a goodbye is parameters with K1-K5 at 255", () => {
    const bye = emitEigrp({ ...HELLO, tlvs: [{ type: "parameters", k: [255, 255, 255, 255, 255, 0], holdTime: 15 }] });
    const p = parseEigrp(bye);
    expect(p.ok && isGoodbye(p.value.tlvs[0]!)).toBe(true);
    expect(isGoodbye(HELLO.tlvs[0]!)).toBe(false);
  });

  test("bad packets are refused with a reason, random bytes never throw", () => {
    const good = emitEigrp(UPDATE);
    expect(parseEigrp(good.subarray(0, 19))).toMatchObject({ ok: false, error: { reason: "truncated" } });
    const ver = good.slice();
    ver[0] = 1;
    expect(parseEigrp(ver)).toMatchObject({ ok: false, error: { reason: "badVersion" } });
    const op = good.slice();
    op[1] = 2;
    expect(parseEigrp(op)).toMatchObject({ ok: false, error: { reason: "unsupported" } });
    const sum = good.slice();
    sum[30] = sum[30]! ^ 0x40;
    expect(parseEigrp(sum)).toMatchObject({ ok: false, error: { reason: "badChecksum" } });
    // A TLV running past the end (checksum fixed up so the length is what fails).
    const cut = emitEigrp(UPDATE).subarray(0, 40);
    expect(parseEigrp(fixChecksum(cut))).toMatchObject({ ok: false, error: { reason: "badLength" } });
    // Prefix length 33.
    const wide = good.slice();
    wide[20 + 24] = 33;
    expect(parseEigrp(fixChecksum(wide))).toMatchObject({ ok: false, error: { reason: "badValue" } });
    // A /32 destination claiming /8: the TLV length no longer matches the destination.
    const mism = good.slice();
    mism[20 + 24] = 8;
    expect(parseEigrp(fixChecksum(mism))).toMatchObject({ ok: false, error: { reason: "badLength" } });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => typeof parseEigrp(b).ok === "boolean"));
    // Random bytes behind a valid header, checksum fixed, so the TLV walk is exercised.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (tail) => {
        const b = new Uint8Array(20 + tail.length);
        b.set(good.subarray(0, 20));
        b.set(tail, 20);
        return typeof parseEigrp(fixChecksum(b)).ok === "boolean";
      }),
    );
  });
});

function fixChecksum(b: Uint8Array): Uint8Array {
  const c = b.slice();
  c[2] = 0;
  c[3] = 0;
  let s = 0;
  for (let i = 0; i < c.length; i += 2) s += (c[i]! << 8) | (c[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  const v = ~s & 0xffff;
  c[2] = v >>> 8;
  c[3] = v & 0xff;
  return c;
}

const dir = mkdtempSync(join(tmpdir(), "wanlab-eigrp-tshark-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function frame(p: EigrpPacket, dst = EIGRP_GROUP): Uint8Array {
  const src = 0x0a000001;
  const ip = emitIpv4({
    dscp: 48,
    ecn: 0,
    identification: 1,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 2,
    protocol: IP_PROTO_EIGRP,
    src,
    dst,
    options: new Uint8Array(0),
    payload: emitEigrp(p),
  });
  return emitEthernet({ dst: 0x01005e00000a, src: 0xaabbcc000100, ethertype: ETHERTYPE_IPV4, payload: ip });
}

describe.skipIf(!hasTshark)("wireshark decodes wanlab's EIGRP", () => {
  test("hello, goodbye, update with routes and an ack decode with our fields, nothing malformed", () => {
    const path = join(dir, "eigrp.pcap");
    const w = new MemoryPcapWriter({ linktype: LINKTYPE_ETHERNET });
    const packets = [
      HELLO,
      {
        ...HELLO,
        tlvs: [
          { type: "parameters", k: [255, 255, 255, 255, 255, 255], holdTime: 15 },
          { type: "stub", flags: 0x05 },
        ],
      } as EigrpPacket,
      UPDATE,
      { opcode: "hello", flags: 0, sequence: 0, ack: 7, as: 100, tlvs: [] } as EigrpPacket,
      { ...UPDATE, opcode: "update", flags: EIGRP_FLAG.INIT, sequence: 1, ack: 0, tlvs: [] } as EigrpPacket,
    ];
    packets.forEach((p, i) => w.writePacket(1e9 + i * 1e6, frame(p)));
    writeFileSync(path, w.bytes());
    const rows = tsharkFields(path, [
      "frame.protocols",
      "_ws.malformed",
      "_ws.expert.severity",
      "eigrp.opcode",
      "eigrp.as",
      "eigrp.seq",
      "eigrp.ack",
      "eigrp.flags.init",
      "eigrp.flags.eot",
      "eigrp.par.k1",
      "eigrp.par.holdtime",
      "eigrp.ipv4.destination",
      "eigrp.ipv4.prefixlen",
      "eigrp.old_metric.delay",
      "eigrp.old_metric.bw",
      "eigrp.extdata.origrid",
      "eigrp.stub_options.connected",
      "eigrp.stub_options.summary",
      "eigrp.stub_options.static",
    ]);
    expect(rows.length).toBe(packets.length);
    rows.forEach((row, i) => {
      const where = `frame ${i + 1}`;
      expect(row["frame.protocols"], where).toBe("eth:ethertype:ip:eigrp");
      expect(row["_ws.malformed"], where).toBe("");
      for (const s of (row["_ws.expert.severity"] ?? "").split(",").filter((x) => x !== ""))
        expect(Number(s), where).toBeLessThan(0x00600000);
      expect(row["eigrp.as"], where).toBe("100");
    });
    expect(rows.map((r) => r["eigrp.opcode"])).toEqual(["5", "5", "1", "5", "1"]);
    expect(rows[0]!["eigrp.par.k1"]).toBe("1");
    expect(rows[0]!["eigrp.par.holdtime"]).toBe("15");
    expect(rows[1]!["eigrp.par.k1"]).toBe("255");
    // A stub TLV with connected and summary (the goodbye carries one here only to have it decoded).
    expect([
      rows[1]!["eigrp.stub_options.connected"],
      rows[1]!["eigrp.stub_options.summary"],
      rows[1]!["eigrp.stub_options.static"],
    ]).toEqual(["1", "1", "0"]);
    expect(rows[2]!["eigrp.seq"]).toBe("7");
    expect(rows[2]!["eigrp.ack"]).toBe("3");
    expect(rows[2]!["eigrp.flags.eot"]).toBe("1");
    expect(rows[2]!["eigrp.ipv4.destination"]).toBe("9.9.9.9,0.0.0.0,172.16.0.0");
    expect(rows[2]!["eigrp.ipv4.prefixlen"]).toBe("32,0,20");
    expect(rows[2]!["eigrp.old_metric.delay"]).toBe(`${2510 * 256},${2510 * 256},4294967295`);
    expect(rows[2]!["eigrp.extdata.origrid"]).toBe("3.3.3.3");
    expect(rows[3]!["eigrp.ack"]).toBe("7");
    expect(rows[4]!["eigrp.flags.init"]).toBe("1");
  });
});

describe("EIGRP MD5 authentication (Cisco's and FRR's digest), checked with node:crypto", () => {
  const key = new TextEncoder().encode("cisco");
  const auth: EigrpTlv = { type: "authentication", authType: 2, keyId: 1, keySequence: 0, digest: new Uint8Array(16) };
  const md5 = (...parts: Uint8Array[]) => {
    const h = createHash("md5");
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  };
  const padded = new Uint8Array(16);
  padded.set(key);
  const zeroSum = (b: Uint8Array) => {
    const c = b.slice();
    c[2] = 0;
    c[3] = 0;
    return c;
  };

  test("a hello signs its header and the TLV up to the digest, then the key padded to 16 bytes", () => {
    const b = emitEigrp({ ...HELLO, tlvs: [auth, ...HELLO.tlvs] }, key);
    expect(parseEigrp(b).ok).toBe(true);
    expect([...b.subarray(44, 60)]).toEqual([...md5(zeroSum(b).subarray(0, 44), padded)]);
    expect(eigrpMd5Verifies(b, key)).toBe(true);
    expect(eigrpMd5Verifies(b, new TextEncoder().encode("cisc0"))).toBe(false);
  });

  test("an update adds everything after the authentication TLV; an INIT update only its first 40 bytes", () => {
    const b = emitEigrp({ ...UPDATE, tlvs: [auth, ...UPDATE.tlvs] }, key);
    expect([...b.subarray(44, 60)]).toEqual([...md5(zeroSum(b).subarray(0, 44), padded, b.subarray(60))]);
    const tampered = b.slice();
    tampered[70] = tampered[70]! ^ 1;
    expect(eigrpMd5Verifies(tampered, key)).toBe(false);
    const init = emitEigrp({ ...UPDATE, flags: EIGRP_FLAG.INIT, tlvs: [auth] }, key);
    expect([...init.subarray(44, 60)]).toEqual([...md5(zeroSum(init).subarray(0, 40))]);
  });

  test.skipIf(!hasTshark)("tshark decodes the authentication TLV", () => {
    const path = join(dir, "eigrp-md5.pcap");
    const w = new MemoryPcapWriter({ linktype: LINKTYPE_ETHERNET });
    const ip = emitIpv4({
      dscp: 48,
      ecn: 0,
      identification: 1,
      dontFragment: false,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 2,
      protocol: IP_PROTO_EIGRP,
      src: 0x0a000001,
      dst: EIGRP_GROUP,
      options: new Uint8Array(0),
      payload: emitEigrp({ ...HELLO, tlvs: [auth, ...HELLO.tlvs] }, key),
    });
    w.writePacket(
      1e9,
      emitEthernet({ dst: 0x01005e00000a, src: 0xaabbcc000100, ethertype: ETHERTYPE_IPV4, payload: ip }),
    );
    writeFileSync(path, w.bytes());
    const [row] = tsharkFields(path, ["_ws.malformed", "eigrp.auth.type", "eigrp.auth.keyid", "eigrp.par.holdtime"]);
    expect(row).toEqual({
      "_ws.malformed": "",
      "eigrp.auth.type": "2",
      "eigrp.auth.keyid": "1",
      "eigrp.par.holdtime": "15",
    });
  });
});
