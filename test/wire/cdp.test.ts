// CDP (src/wire/cdp.ts): parse(emit(x)) == x, Cisco's odd-length checksum, bad
// frames refused (checksum, TLV running past the end, bad prefix length),
// parse never throws on random bytes, and tshark decodes CDP we emit on
// Ethernet (802.3 LLC/SNAP), Cisco HDLC and inside GRE with a correct checksum,
// every TLV, the ODR prefixes and the ODR default gateway, and nothing malformed.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { LINKTYPE_C_HDLC, LINKTYPE_ETHERNET, MemoryPcapWriter } from "../../src/capture/pcap-writer.ts";
import {
  CDP_PROTOCOL,
  type CdpPacket,
  cdpChecksum,
  cdpFromSnap,
  emitCdp,
  emitCdpEthernetFrame,
  parseCdp,
} from "../../src/wire/cdp.ts";
import { ETHERTYPE_IPV4, emitEthernet, emitGre, emitHdlc, emitIpv4, IP_PROTO_GRE } from "../../src/wire/index.ts";
import { hasTshark, tsharkFields } from "../capture/pcap-read.ts";

const base: Omit<CdpPacket, "unknownTypes"> = {
  version: 2,
  ttl: 180,
  deviceId: "R1",
  addresses: [0x0a000101],
  portId: "GigabitEthernet0/0",
  capabilities: 0x01,
  softwareVersion: "Cisco IOS Software, 7200 Software (C7200-ADVENTERPRISEK9-M), Version 15.2(4)M11",
  platform: "Cisco 7206VXR",
};

describe("CDP wire format", () => {
  test("round trip with prefixes, with a default gateway, with odd and even lengths", () => {
    for (const extra of [
      {},
      {
        prefixes: [
          { prefix: 0xc0a80100, length: 24 },
          { prefix: 0x01010101, length: 32 },
        ],
      },
      { defaultGateway: 0x0a010105 },
      { deviceId: "R12" },
    ]) {
      const p = { ...base, ...extra };
      const b = emitCdp(p);
      const r = parseCdp(b);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value).toEqual({ ...p, unknownTypes: [] });
    }
  });

  test("odd length: Cisco's checksum rule (last byte low in its word, 0x0101 less when its top bit is set)", () => {
    const odd = emitCdp({ ...base, platform: "Cisco 7206VX\x80" });
    expect(odd.length % 2).toBe(1);
    expect(cdpChecksum(odd)).toBe(0);
    expect(parseCdp(odd).ok).toBe(true);
  });

  test("bad frames are refused with a reason", () => {
    const b = emitCdp(base);
    const flipped = b.slice();
    flipped[10]! ^= 0x40;
    expect(parseCdp(flipped)).toMatchObject({ ok: false, error: { reason: "badChecksum" } });
    const short = b.subarray(0, 3);
    expect(parseCdp(short)).toMatchObject({ ok: false, error: { reason: "truncated" } });
    const badPrefix = emitCdp({ ...base, prefixes: [{ prefix: 1, length: 40 }] });
    expect(parseCdp(badPrefix)).toMatchObject({ ok: false, error: { reason: "badValue" } });
    // A TLV claiming more than is there (checksum fixed up so the length is what fails).
    const long = b.slice();
    long[7] = 0xff;
    long[2] = 0;
    long[3] = 0;
    const c = cdpChecksum(long);
    long[2] = c >> 8;
    long[3] = c & 0xff;
    expect(parseCdp(long)).toMatchObject({ ok: false, error: { reason: "badLength" } });
  });

  test("parse never throws on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        parseCdp(b);
        const fixed = b.slice();
        if (fixed.length >= 4) {
          fixed[0] = 2;
          fixed[2] = 0;
          fixed[3] = 0;
          const c = cdpChecksum(fixed);
          fixed[2] = c >> 8;
          fixed[3] = c & 0xff;
          parseCdp(fixed);
        }
      }),
      { numRuns: 300 },
    );
  });

  test("SNAP framing: the payload comes back from the LLC body, padding excluded", () => {
    const payload = emitCdp(base);
    const frame = emitCdpEthernetFrame(0x00000c123456, payload);
    const length = (frame[12]! << 8) | frame[13]!;
    expect(cdpFromSnap(frame.subarray(14), length)).toEqual(payload);
  });
});

const root = mkdtempSync(join(tmpdir(), "wanlab-cdp-wire-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!hasTshark)("tshark decodes our CDP", () => {
  const FIELDS = [
    "frame.protocols",
    "cdp.checksum.status",
    "cdp.deviceid",
    "cdp.portid",
    "cdp.platform",
    "cdp.ttl",
    "ip.addr",
    "_ws.malformed",
    "_ws.expert.severity",
  ];
  const odr = { ...base, deviceId: "SPOKE1", prefixes: [{ prefix: 0xc0a80100, length: 24 }] };
  const hub = { ...base, deviceId: "HUB", defaultGateway: 0x0a010105 };
  const odd = { ...base, platform: "Cisco 7206VX\x80" };

  test("Ethernet 802.3 SNAP, tagged too", () => {
    const w = new MemoryPcapWriter({ linktype: LINKTYPE_ETHERNET });
    for (const p of [base, odr, hub, odd]) w.writePacket(0, emitCdpEthernetFrame(0x00000c123456, emitCdp(p)));
    w.writePacket(0, emitCdpEthernetFrame(0x00000c123456, emitCdp(base), 100));
    const path = join(root, "eth.pcap");
    writeFileSync(path, w.bytes());
    const rows = tsharkFields(path, FIELDS);
    expect(rows.length).toBe(5);
    for (const r of rows) {
      expect(r["frame.protocols"]).toMatch(/llc:cdp$/);
      expect(r["cdp.checksum.status"]).toBe("1");
      expect(r["cdp.portid"]).toBe("GigabitEthernet0/0");
      expect(r["cdp.platform"]).toMatch(/^Cisco 7206VX/);
      expect(r["_ws.malformed"]).toBe("");
      for (const s of (r["_ws.expert.severity"] ?? "").split(",").filter((x) => x !== ""))
        expect(Number(s)).toBeLessThan(6291456);
    }
    expect(rows.map((r) => r["cdp.deviceid"])).toEqual(["R1", "SPOKE1", "HUB", "R1", "R1"]);
    const verbose = tsharkVerbose(path);
    expect(verbose).toContain("IP Prefix: 192.168.1.0/24");
    expect(verbose).toContain("ODR Default gateway: 10.1.1.5");
  }, 30_000);

  test("Cisco HDLC protocol 0x2000 and GRE protocol type 0x2000", () => {
    const h = new MemoryPcapWriter({ linktype: LINKTYPE_C_HDLC });
    h.writePacket(0, emitHdlc({ address: 0x8f, protocol: CDP_PROTOCOL, payload: emitCdp(odr) }));
    const hp = join(root, "hdlc.pcap");
    writeFileSync(hp, h.bytes());
    const e = new MemoryPcapWriter({ linktype: LINKTYPE_ETHERNET });
    const gre = emitGre({
      checksum: false,
      key: 100000,
      sequence: null,
      protocol: CDP_PROTOCOL,
      payload: emitCdp(odd),
    });
    const ip = emitIpv4({
      dscp: 48,
      ecn: 0,
      identification: 1,
      dontFragment: false,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 255,
      protocol: IP_PROTO_GRE,
      src: 0xc0000201,
      dst: 0xc0000205,
      options: new Uint8Array(0),
      payload: gre,
    });
    e.writePacket(
      0,
      emitEthernet({ dst: 0x00000c000002, src: 0x00000c000001, ethertype: ETHERTYPE_IPV4, payload: ip }),
    );
    const gp = join(root, "gre.pcap");
    writeFileSync(gp, e.bytes());
    for (const path of [hp, gp]) {
      const [r] = tsharkFields(path, FIELDS);
      expect(r!["frame.protocols"]).toMatch(/cdp$/);
      expect(r!["cdp.checksum.status"]).toBe("1");
      expect(r!["_ws.malformed"]).toBe("");
    }
  }, 30_000);
});

function tsharkVerbose(path: string): string {
  const r = Bun.spawnSync(["tshark", "-r", path, "-n", "-V"]);
  return new TextDecoder().decode(r.stdout);
}
