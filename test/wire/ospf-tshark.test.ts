// Second opinion from Wireshark on the OSPFv2 wire format: a hello with each
// authentication type, Database Descriptions (the initial empty one and one
// with LSA headers), a Link State Request, a Link State Update carrying one
// LSA of each type 1, 2, 3, 4, 5 and 7, and an acknowledgment, built with our
// emitters inside IPv4/Ethernet. tshark must decode each as OSPF with the
// fields we set, no Malformed layer, no expert item of warning severity or
// above, and print "[correct]" for the packet checksum (null and simple
// authentication). Wireshark 4.0 shows but does not verify LSA checksums, so
// each LSA tshark finds is checked here with an independent Fletcher check.

import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LINKTYPE_ETHERNET, MemoryPcapWriter } from "../../src/capture/pcap-writer.ts";
import {
  ALL_SPF_ROUTERS,
  buildLsa,
  DBD_FLAG,
  ETHERTYPE_IPV4,
  emitEthernet,
  emitIpv4,
  emitOspf,
  IP_PROTO_OSPF,
  type Lsa,
  type OspfAuth,
  type OspfBody,
  ospfSimplePassword,
} from "../../src/wire/index.ts";
import { hasTshark, tsharkFields } from "../capture/pcap-read.ts";

const RID = 0x01010101;
const SRC = 0x0a000001;

function frame(body: OspfBody, auth: OspfAuth = { type: "null" }, key?: Uint8Array): Uint8Array {
  const ospf = emitOspf({ routerId: RID, areaId: 0, auth, body }, key);
  const ip = emitIpv4({
    dscp: 48,
    ecn: 0,
    identification: 7,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 1,
    protocol: IP_PROTO_OSPF,
    src: SRC,
    dst: ALL_SPF_ROUTERS,
    options: new Uint8Array(0),
    payload: ospf,
  });
  return emitEthernet({ dst: 0x01005e000005, src: 0xaabbcc000100, ethertype: ETHERTYPE_IPV4, payload: ip });
}

const h = (type: number, id: number, seq = -0x7fffffff) => ({
  age: 1,
  options: 0x22,
  type,
  linkStateId: id,
  advertisingRouter: RID,
  sequence: seq,
});
const LSAS: Lsa[] = [
  buildLsa({
    header: h(1, RID),
    body: {
      kind: "router",
      flags: 0x03,
      links: [
        { linkId: 0x0a000002, linkData: SRC, type: 2, metric: 1, tos: [] },
        { linkId: 0x02020202, linkData: 0x0a0c0001, type: 1, metric: 64, tos: [] },
        { linkId: 0x0a0c0000, linkData: 0xfffffffc, type: 3, metric: 64, tos: [] },
      ],
    },
  }),
  buildLsa({ header: h(2, SRC), body: { kind: "network", mask: 0xffffff00, attachedRouters: [RID, 0x02020202] } }),
  buildLsa({ header: h(3, 0xac100000), body: { kind: "summary", mask: 0xffff0000, metric: 74, tos: [] } }),
  buildLsa({ header: h(4, 0x05050505), body: { kind: "asbrSummary", mask: 0, metric: 65, tos: [] } }),
  buildLsa({
    header: { ...h(5, 0xc0a80000), options: 0x20 },
    body: { kind: "external", mask: 0xffffff00, type2: true, metric: 20, forwardingAddress: 0, routeTag: 0, tos: [] },
  }),
  buildLsa({
    header: { ...h(7, 0xc0a86400), options: 0x28 },
    body: {
      kind: "nssa",
      mask: 0xffffff00,
      type2: false,
      metric: 30,
      forwardingAddress: 0x0a070001,
      routeTag: 0,
      tos: [],
    },
  }),
];

const HELLO: OspfBody = {
  type: "hello",
  networkMask: 0xffffff00,
  helloInterval: 10,
  options: 0x02,
  priority: 1,
  deadInterval: 40,
  dr: SRC,
  bdr: 0x0a000002,
  neighbors: [0x02020202],
};

interface Case {
  bytes: Uint8Array;
  fields: Record<string, string>;
  /** The header checksum is verified by tshark (not for MD5, which has none). */
  checksum: boolean;
}

const CASES: Case[] = [
  {
    bytes: frame(HELLO),
    checksum: true,
    fields: {
      "ospf.msg": "1",
      "ospf.srcrouter": "1.1.1.1",
      "ospf.hello.network_mask": "255.255.255.0",
      "ospf.hello.hello_interval": "10",
      "ospf.hello.router_dead_interval": "40",
      "ospf.hello.designated_router": "10.0.0.1",
      "ospf.hello.backup_designated_router": "10.0.0.2",
      "ospf.hello.active_neighbor": "2.2.2.2",
      "ospf.auth.type": "0",
    },
  },
  {
    bytes: frame(HELLO, { type: "simple", password: ospfSimplePassword("cisco") }),
    checksum: true,
    fields: { "ospf.auth.type": "1", "ospf.auth.simple": "cisco" },
  },
  {
    bytes: frame(HELLO, { type: "md5", keyId: 1, sequence: 0x5f000001 }, new TextEncoder().encode("cisco")),
    checksum: false,
    fields: {
      "ospf.auth.type": "2",
      "ospf.auth.crypt.key_id": "1",
      "ospf.auth.crypt.data_length": "16",
      "ospf.auth.crypt.seq_nbr": "1593835521",
    },
  },
  {
    bytes: frame({
      type: "dbd",
      mtu: 1500,
      options: 0x42,
      flags: DBD_FLAG.I | DBD_FLAG.M | DBD_FLAG.MS,
      sequence: 0x1234,
      lsaHeaders: [],
    }),
    checksum: true,
    fields: { "ospf.msg": "2", "ospf.dbd.i": "1", "ospf.dbd.m": "1", "ospf.dbd.ms": "1" },
  },
  {
    bytes: frame({
      type: "dbd",
      mtu: 1500,
      options: 0x42,
      flags: DBD_FLAG.MS,
      sequence: 0x1235,
      lsaHeaders: LSAS.map((l) => l.header),
    }),
    checksum: true,
    fields: { "ospf.msg": "2", "ospf.dbd.i": "0", "ospf.lsa.chksum": LSAS.map((l) => hex4(l.header.checksum)).join() },
  },
  {
    bytes: frame({
      type: "lsr",
      requests: LSAS.map((l) => ({ type: l.header.type, linkStateId: l.header.linkStateId, advertisingRouter: RID })),
    }),
    checksum: true,
    fields: { "ospf.msg": "3", "ospf.link_state_id": "1.1.1.1,10.0.0.1,172.16.0.0,5.5.5.5,192.168.0.0,192.168.100.0" },
  },
  {
    bytes: frame({ type: "lsu", lsas: LSAS }),
    checksum: true,
    fields: {
      "ospf.msg": "4",
      "ospf.lsa": "1,2,3,4,5,7",
      "ospf.lsa.router.nummetrics": "0,0,0",
      "ospf.v2.router.lsa.flags.b": "1",
      "ospf.v2.router.lsa.flags.e": "1",
      "ospf.lsa.network.attchrtr": "1.1.1.1,2.2.2.2",
      "ospf.lsa.asext.fwdaddr": "0.0.0.0,10.7.0.1",
      "ospf.lsa.seqnum": LSAS.map(() => "0x80000001").join(),
    },
  },
  {
    bytes: frame({ type: "lsack", lsaHeaders: LSAS.map((l) => l.header) }),
    checksum: true,
    fields: { "ospf.msg": "5", "ospf.lsa": "1,2,3,4,5,7" },
  },
];

function hex4(n: number): string {
  return `0x${n.toString(16).padStart(4, "0")}`;
}

/** ISO 8473 check over an LSA's bytes after LS age: both running sums must be 0 mod 255 (RFC 2328 12.1.7). */
function fletcherHolds(lsa: Uint8Array): boolean {
  let c0 = 0;
  let c1 = 0;
  for (let i = 2; i < lsa.length; i++) {
    c0 = (c0 + lsa[i]!) % 255;
    c1 = (c1 + c0) % 255;
  }
  return c0 === 0 && c1 === 0;
}

const dir = mkdtempSync(join(tmpdir(), "wanlab-ospf-tshark-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
if (!hasTshark) {
  if (process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");
  console.warn("note: tshark not installed, skipping the Wireshark OSPF decode test");
}

describe.skipIf(!hasTshark)("wireshark decodes wanlab's OSPFv2", () => {
  const path = join(dir, "ospf.pcap");
  const w = new MemoryPcapWriter({ linktype: LINKTYPE_ETHERNET });
  CASES.forEach((c, i) => w.writePacket(1e9 + i * 1e6, c.bytes));
  writeFileSync(path, w.bytes());

  test("every packet type and LSA type decodes with the fields we set", () => {
    const names = [...new Set(CASES.flatMap((c) => Object.keys(c.fields)))];
    const rows = tsharkFields(path, ["frame.protocols", "_ws.malformed", "_ws.expert.severity", ...names]);
    expect(rows.length).toBe(CASES.length);
    rows.forEach((row, i) => {
      const where = `frame ${i + 1}`;
      expect(row["frame.protocols"], where).toBe("eth:ethertype:ip:ospf");
      expect(row["_ws.malformed"], where).toBe("");
      for (const s of (row["_ws.expert.severity"] ?? "").split(",").filter((x) => x !== ""))
        expect(Number(s), where).toBeLessThan(0x00600000);
      for (const [name, want] of Object.entries(CASES[i]!.fields)) expect(row[name], `${where} ${name}`).toBe(want);
    });
  });

  test("tshark finds every packet checksum correct, and every LSA passes the Fletcher check", () => {
    const r = spawnSync("tshark", ["-r", path, "-n", "-V"], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    expect(r.status, r.stderr).toBe(0);
    const frames = r.stdout.split(/^Frame \d+:/m).slice(1);
    expect(frames.length).toBe(CASES.length);
    frames.forEach((text, i) => {
      const ospf = text.slice(text.indexOf("Open Shortest Path First"));
      const line = ospf.split("\n").find((l) => /^\s+Checksum: 0x/.test(l)) ?? "";
      if (CASES[i]!.checksum) expect(line, `frame ${i + 1}`).toMatch(/\[correct\]/);
      expect(ospf, `frame ${i + 1}`).not.toMatch(/incorrect/);
    });
    // The LSAs inside the update (IPv4 and OSPF headers and the LSA count skipped), walked by their Length fields.
    const lsu = CASES[6]!.bytes.subarray(14 + 20 + 24 + 4);
    let o = 0;
    for (const l of LSAS) {
      expect(fletcherHolds(lsu.subarray(o, o + l.header.length))).toBe(true);
      o += l.header.length;
    }
    expect(o).toBe(lsu.length);
  });
});
