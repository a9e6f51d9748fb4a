// Second opinion from Wireshark on the IKEv1 wire format: build the messages
// of a main mode and quick mode negotiation, an informational with NOTIFY and
// DELETE, NAT-T traffic on UDP/4500 and ESP/AH headers with our emitters,
// wrap them in UDP/IPv4/Ethernet, write a pcap and ask tshark (checksum
// validation on) how it decodes each frame. Every frame must decode as the
// expected protocol with the field values we set, no Malformed layer, and no
// expert item of warning severity or above. Set TSHARK_DEBUG=1 to print the
// decoded fields.

import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LINKTYPE_ETHERNET, MemoryPcapWriter } from "../../src/capture/pcap-writer.ts";
import {
  DOI_IPSEC,
  ETHERTYPE_IPV4,
  emitAhHeader,
  emitEspHeader,
  emitEthernet,
  emitIcmp,
  emitIpv4,
  emitIsakmp,
  emitIsakmpMessage,
  emitUdp,
  encapIsakmp4500,
  IP_PROTO_AH,
  IP_PROTO_ESP,
  IP_PROTO_UDP,
  ISAKMP_EXCHANGE,
  ISAKMP_FLAG,
  ISAKMP_NATT_PORT,
  ISAKMP_PAYLOAD,
  ISAKMP_PORT,
  type IsakmpHeaderInput,
  type IsakmpPayloadInput,
  NOTIFY,
  natKeepalive,
  PROTO,
  VID_CISCO_UNITY,
  VID_DPD,
  VID_NAT_T_RFC3947,
  VID_XAUTH,
} from "../../src/wire/index.ts";
import { hex } from "./fixtures.ts";
import { I_COOKIE, MM1, MM1_PAYLOADS, quickMode1, R_COOKIE } from "./isakmp-fixtures.ts";

const R1 = 0xaabbcc000100;
const R2 = 0xaabbcc000200;
const A = 0x0a000001; // 10.0.0.1, the initiator
const B = 0x0a000002; // 10.0.0.2, the responder

function ip(src: number, dst: number, protocol: number, payload: Uint8Array): Uint8Array {
  return emitIpv4({
    dscp: 0,
    ecn: 0,
    identification: 0x2a2a,
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
function udpFrame(src: number, dst: number, sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const [dmac, smac] = src === A ? [R2, R1] : [R1, R2];
  return emitEthernet({
    dst: dmac,
    src: smac,
    ethertype: ETHERTYPE_IPV4,
    payload: ip(src, dst, IP_PROTO_UDP, emitUdp({ srcPort: sport, dstPort: dport, payload }, { src, dst })),
  });
}
const ike = (src: number, dst: number, m: Uint8Array) => udpFrame(src, dst, ISAKMP_PORT, ISAKMP_PORT, m);
const ipFrame = (protocol: number, payload: Uint8Array) =>
  emitEthernet({ dst: R2, src: R1, ethertype: ETHERTYPE_IPV4, payload: ip(A, B, protocol, payload) });

const fill = (n: number, v: number) => new Uint8Array(n).fill(v);
const h = (over: Partial<IsakmpHeaderInput>): IsakmpHeaderInput => ({
  initiatorCookie: I_COOKIE,
  responderCookie: R_COOKIE,
  exchangeType: ISAKMP_EXCHANGE.MAIN,
  flags: 0,
  messageId: 0,
  ...over,
});

const MM2_SA: IsakmpPayloadInput =
  MM1_PAYLOADS[0]!.type === "sa"
    ? {
        ...MM1_PAYLOADS[0]!,
        proposals: [{ ...MM1_PAYLOADS[0]!.proposals[0]!, transforms: [MM1_PAYLOADS[0]!.proposals[0]!.transforms[0]!] }],
      }
    : MM1_PAYLOADS[0]!;

interface Frame {
  bytes: Uint8Array;
  /** Protocol column tshark must show. */
  proto: string;
  /** Fields that must have exactly these values, in order (tshark's text for each occurrence); undefined: must be absent. */
  fields?: Record<string, string[] | undefined>;
}

function frames(): Frame[] {
  const qm = emitIsakmpMessage(
    h({ exchangeType: ISAKMP_EXCHANGE.QUICK, messageId: 0x7c1f2e3d }),
    quickMode1(hex("1a2b3c4d"), fill(20, 0x11), fill(20, 0x22)),
  );
  const info = emitIsakmpMessage(h({ exchangeType: ISAKMP_EXCHANGE.INFORMATIONAL, messageId: 0x0badcafe }), [
    {
      type: "notify",
      doi: DOI_IPSEC,
      protocolId: PROTO.ISAKMP,
      spi: new Uint8Array([...I_COOKIE, ...R_COOKIE]),
      messageType: NOTIFY.R_U_THERE,
      data: hex("0000001f"),
    },
    {
      type: "delete",
      doi: DOI_IPSEC,
      protocolId: PROTO.IPSEC_ESP,
      spiSize: 4,
      spis: [hex("1a2b3c4d"), hex("5e6f7081")],
    },
  ]);
  const noProposal = emitIsakmpMessage(
    h({ responderCookie: new Uint8Array(8), exchangeType: ISAKMP_EXCHANGE.INFORMATIONAL, messageId: 0x01020304 }),
    [
      {
        type: "notify",
        doi: DOI_IPSEC,
        protocolId: PROTO.ISAKMP,
        spi: new Uint8Array(0),
        messageType: NOTIFY.NO_PROPOSAL_CHOSEN,
        data: new Uint8Array(0),
      },
    ],
  );
  const mm5 = emitIsakmp(
    h({ flags: ISAKMP_FLAG.ENCRYPTION }),
    Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff),
    ISAKMP_PAYLOAD.ID,
  );
  // Wireshark tracks sequence numbers per SPI: the second packet carries 2, as a sender would.
  const esp = (sequence: number) =>
    new Uint8Array([...emitEspHeader({ spi: 0x1a2b3c4d, sequence }), ...fill(48, 0x5c)]);
  const inner = ip(0xc0a80101, 0xc0a80201, 1, emitIcmp({ kind: "echoRequest", id: 1, seq: 1, data: fill(16, 0xab) }));
  const ah = new Uint8Array([
    ...emitAhHeader({ nextHeader: 4, spi: 0x2001, sequence: 3, icv: fill(12, 0xee) }),
    ...inner,
  ]);
  return [
    {
      bytes: ike(A, B, MM1),
      proto: "ISAKMP",
      fields: {
        "isakmp.ispi": ["5f:0a:c3:e1:b2:d4:9a:07"],
        "isakmp.rspi": ["00:00:00:00:00:00:00:00"],
        "isakmp.exchangetype": ["2"],
        "isakmp.length": ["164"],
        "isakmp.sa.doi": ["1"],
        "isakmp.prop.protoid": ["1"],
        "isakmp.prop.transforms": ["2"],
        "isakmp.trans.id": ["1", "1"],
        "isakmp.ike.attr.encryption_algorithm": ["7", "5"],
        "isakmp.ike.attr.key_length": ["256"],
        "isakmp.ike.attr.hash_algorithm": ["2", "1"],
        "isakmp.ike.attr.authentication_method": ["1", "1"],
        "isakmp.ike.attr.group_description": ["5", "2"],
        "isakmp.ike.attr.life_type": ["1", "1"],
        "isakmp.ike.attr.life_duration": ["86400", "86400"],
        "isakmp.vid_bytes": [
          "4a:13:1c:81:07:03:58:45:5c:57:28:f2:0e:95:45:2f",
          "af:ca:d7:13:68:a1:f1:c9:6b:86:96:fc:77:57:01:00",
        ],
      },
    },
    {
      bytes: ike(
        B,
        A,
        emitIsakmpMessage(h({}), [
          MM2_SA,
          { type: "vendorId", data: VID_CISCO_UNITY },
          { type: "vendorId", data: VID_DPD },
          { type: "vendorId", data: VID_XAUTH },
          { type: "vendorId", data: VID_NAT_T_RFC3947 },
        ]),
      ),
      proto: "ISAKMP",
      fields: {
        "isakmp.rspi": ["c4:d1:e2:f3:0a:1b:2c:3d"],
        "isakmp.ike.attr.encryption_algorithm": ["7"],
        "isakmp.vid.cisco_unity.major": ["1"],
        "isakmp.vid.cisco_unity.minor": ["0"],
      },
    },
    {
      bytes: ike(
        A,
        B,
        emitIsakmpMessage(h({}), [
          { type: "ke", data: fill(192, 0x33) },
          { type: "nonce", data: fill(20, 0x44) },
          { type: "natD", data: fill(20, 0x55) },
          { type: "natD", data: fill(20, 0x66) },
        ]),
      ),
      proto: "ISAKMP",
      fields: {
        "isakmp.key_exchange.data": [Array(192).fill("33").join(":")],
        "isakmp.nonce": [Array(20).fill("44").join(":")],
        "isakmp.ike.nat_hash": [Array(20).fill("55").join(":"), Array(20).fill("66").join(":")],
      },
    },
    {
      bytes: ike(A, B, qm),
      proto: "ISAKMP",
      fields: {
        "isakmp.exchangetype": ["32"],
        "isakmp.messageid": ["0x7c1f2e3d"],
        "isakmp.hash": [Array(20).fill("22").join(":")],
        "isakmp.prop.protoid": ["3"],
        "isakmp.spi": ["1a:2b:3c:4d"],
        "isakmp.trans.id": ["12"],
        "isakmp.ipsec.attr.life_type": ["1", "2"],
        "isakmp.ipsec.attr.life_duration": ["3600", "4608000"],
        "isakmp.ipsec.attr.encap_mode": ["1"],
        "isakmp.ipsec.attr.auth_algorithm": ["2"],
        "isakmp.ipsec.attr.key_length": ["256"],
        "isakmp.id.type": ["4", "4"],
        "isakmp.id.data.ipv4_addr": ["10.1.1.0", "10.2.2.0"],
        "isakmp.id.data.ipv4_subnet": ["255.255.255.0", "255.255.255.0"],
      },
    },
    {
      bytes: ike(B, A, info),
      proto: "ISAKMP",
      fields: {
        "isakmp.exchangetype": ["5"],
        "isakmp.notify.msgtype": ["36136"],
        "isakmp.notify.data.dpd.are_you_there": ["31"],
        "isakmp.delete.protoid": ["3"],
        "isakmp.spinum": ["2"],
        "isakmp.delete.spi": ["1a:2b:3c:4d", "5e:6f:70:81"],
      },
    },
    { bytes: ike(B, A, noProposal), proto: "ISAKMP", fields: { "isakmp.notify.msgtype": ["14"] } },
    {
      bytes: udpFrame(A, B, ISAKMP_NATT_PORT, ISAKMP_NATT_PORT, encapIsakmp4500(mm5)),
      proto: "ISAKMP",
      fields: {
        "udpencap.non_esp_marker": [""],
        "isakmp.flag_e": ["1"],
        "isakmp.nextpayload": ["5"],
        "isakmp.length": ["92"],
      },
    },
    {
      bytes: udpFrame(A, B, ISAKMP_NATT_PORT, ISAKMP_NATT_PORT, natKeepalive()),
      proto: "UDPENCAP",
      fields: { "udpencap.nat_keepalive": [""] },
    },
    {
      bytes: udpFrame(A, B, ISAKMP_NATT_PORT, ISAKMP_NATT_PORT, esp(1)),
      proto: "ESP",
      fields: { "udpencap.non_esp_marker": undefined, "esp.spi": ["0x1a2b3c4d"], "esp.sequence": ["1"] },
    },
    {
      bytes: ipFrame(IP_PROTO_ESP, esp(2)),
      proto: "ESP",
      fields: { "esp.spi": ["0x1a2b3c4d"], "esp.sequence": ["2"] },
    },
    {
      bytes: ipFrame(IP_PROTO_AH, ah),
      proto: "ICMP",
      fields: {
        "ah.spi": ["0x00002001"],
        "ah.sequence": ["3"],
        "ah.length": ["4"],
        "ah.icv": [Array(12).fill("ee").join(":")],
      },
    },
  ];
}

const tshark = spawnSync("tshark", ["--version"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "wanlab-isakmp-tshark-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

if (!tshark) {
  if (process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");
  console.warn("note: tshark not installed, skipping the Wireshark ISAKMP decode test");
}

/** Every field of a tshark JSON packet, flattened: name -> values in dissection order. */
function flatten(node: unknown, out: Map<string, string[]> = new Map()): Map<string, string[]> {
  if (Array.isArray(node)) {
    for (const x of node) flatten(x, out);
  } else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      const values = Array.isArray(v) ? v : [v];
      if (!out.has(k)) out.set(k, []); // subtrees too, so "_ws.malformed" is seen in either form
      for (const x of values) {
        if (typeof x === "string") out.get(k)!.push(x);
        else flatten(x, out);
      }
    }
  }
  return out;
}

// Expert severities as tshark prints them (epan/proto.h): warn 0x600000, error 0x800000.
const WARN_SEVERITY = 0x00600000;

describe.skipIf(!tshark)("wireshark decodes wanlab's IKEv1, NAT-T, ESP and AH", () => {
  test("main mode 1-3, quick mode, informational, UDP/4500, ESP, AH", () => {
    const fs = frames();
    const w = new MemoryPcapWriter({ linktype: LINKTYPE_ETHERNET });
    fs.forEach((f, i) => w.writePacket(1_000_000_000 + i * 1_000_000, f.bytes));
    const path = join(dir, "ikev1.pcap");
    writeFileSync(path, w.bytes());
    const r = spawnSync(
      "tshark",
      [
        "-r",
        path,
        "-n",
        "-o",
        "ip.check_checksum:TRUE",
        "-o",
        "udp.check_checksum:TRUE",
        "-T",
        "json",
        "--no-duplicate-keys",
      ],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    expect(r.status, r.stderr).toBe(0);
    const packets = JSON.parse(r.stdout) as Array<{ _source: { layers: Record<string, unknown> } }>;
    expect(packets.length).toBe(fs.length);
    packets.forEach((p, i) => {
      const f = flatten(p._source.layers);
      const stack = f.get("frame.protocols")?.[0] ?? "";
      const where = `frame ${i + 1} (${stack})`;
      if (process.env.TSHARK_DEBUG)
        console.log(where, Object.fromEntries([...f].filter(([k]) => /^(isakmp|esp|ah|udpencap|_ws)/.test(k))));
      expect(f.get("_ws.col.protocol")?.[0] ?? protoColumn(stack), where).toBe(fs[i]!.proto);
      expect(stack, where).not.toContain("_ws.malformed");
      expect(f.has("_ws.malformed"), where).toBe(false);
      for (const s of f.get("_ws.expert.severity") ?? []) {
        expect(Number(s), `${where}: ${f.get("_ws.expert.message")}`).toBeLessThan(WARN_SEVERITY);
      }
      for (const [name, want] of Object.entries(fs[i]!.fields ?? {}))
        expect(f.get(name), `${where} ${name}`).toEqual(want);
    });
  });
});

/** The protocol column is not in JSON output; the last protocol of the stack stands for it. */
function protoColumn(stack: string): string {
  return (
    stack
      .split(":")
      .filter((p) => p !== "data")
      .pop() ?? ""
  ).toUpperCase();
}
