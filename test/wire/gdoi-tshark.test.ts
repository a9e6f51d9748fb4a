// Second opinion from Wireshark on the GDOI wire format: the four
// GROUPKEY-PULL messages of a registration (HASH, NONCE and the group's ID;
// the policy SA with its SA KEK and SA TEK; the KD with TEK and KEK keys and
// a SEQ) sent in the clear on UDP 848, decoded by tshark's isakmp dissector
// (848 is not its default port: -d udp.port==848,isakmp). No Malformed layer,
// no expert item of warning severity or above, and the fields we set read
// back as we set them.

import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LINKTYPE_ETHERNET, MemoryPcapWriter } from "../../src/capture/pcap-writer.ts";
import {
  ETHERTYPE_IPV4,
  emitEthernet,
  emitGdoiPayloads,
  emitIpv4,
  emitIsakmp,
  emitUdp,
  GDOI_EXCHANGE,
  GDOI_PORT,
  type GdoiPayloadInput,
  ID_TYPE,
  IP_PROTO_UDP,
} from "../../src/wire/index.ts";
import { fill, KEYS, POLICY } from "./gdoi-fixtures.ts";

const GM = 0xc0a80b03; // 192.168.11.3
const KS = 0xc0a86f6f; // 192.168.111.111

function frame(src: number, dst: number, payloads: GdoiPayloadInput[]): Uint8Array {
  const { firstPayload, bytes } = emitGdoiPayloads(payloads);
  const m = emitIsakmp(
    {
      initiatorCookie: fill(8, 0x5f),
      responderCookie: fill(8, 0xc4),
      exchangeType: GDOI_EXCHANGE.GROUPKEY_PULL,
      flags: 0,
      messageId: 0x2c3d4e5f,
    },
    bytes,
    firstPayload,
  );
  const udp = emitUdp({ srcPort: GDOI_PORT, dstPort: GDOI_PORT, payload: m }, { src, dst });
  const ip = emitIpv4({
    dscp: 0,
    ecn: 0,
    identification: 7,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 255,
    protocol: IP_PROTO_UDP,
    src,
    dst,
    options: new Uint8Array(0),
    payload: udp,
  });
  return emitEthernet({ dst: 0xaabbcc000200, src: 0xaabbcc000100, ethertype: ETHERTYPE_IPV4, payload: ip });
}

const tshark = spawnSync("tshark", ["--version"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "wanlab-gdoi-tshark-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fields(node: unknown, out: Map<string, string[]> = new Map()): Map<string, string[]> {
  if (Array.isArray(node)) for (const x of node) fields(x, out);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (!out.has(k)) out.set(k, []);
      for (const x of Array.isArray(v) ? v : [v]) {
        if (typeof x === "string") out.get(k)!.push(x);
        else fields(x, out);
      }
    }
  }
  return out;
}

describe.skipIf(!tshark)("wireshark decodes wanlab's GDOI", () => {
  test("GROUPKEY-PULL 1-4 on UDP 848", () => {
    const group: GdoiPayloadInput = { type: "id", idType: ID_TYPE.KEY_ID, protocolId: 0, port: 0, data: fill(4, 0) };
    const msgs: Array<{ bytes: Uint8Array; want: Record<string, string[]> }> = [
      {
        bytes: frame(GM, KS, [{ type: "hash", data: fill(20, 1) }, { type: "nonce", data: fill(16, 2) }, group]),
        want: { "isakmp.exchangetype": ["32"], "isakmp.id.type": ["11"] },
      },
      {
        bytes: frame(KS, GM, [{ type: "hash", data: fill(20, 3) }, { type: "nonce", data: fill(16, 4) }, POLICY]),
        want: {
          "isakmp.sa.doi": ["2"],
          "isakmp.sa.next_attribute_payload": ["00:0f"],
          "isakmp.sak.protoid": ["17"],
          "isakmp.sak.src_id_port": ["848"],
          "isakmp.sak.spi": [Array.from({ length: 16 }, (_, i) => (0xa0 + i).toString(16)).join(":")],
          "isakmp.sat.protocol_id": ["1"],
          "isakmp.sat.transform_id": ["12"],
          "isakmp.sat.spi": ["6b:af:d3:ab"],
          // Wireshark names SA KEK attributes with the IPsec DOI's table: KEK_KEY_LIFETIME (4) reads as encap_mode.
          "isakmp.ipsec.attr.encap_mode": ["86400", "1"],
          "isakmp.ipsec.attr.addr_preservation": ["4"],
          "isakmp.ipsec.attr.sa_direction": ["3"],
        },
      },
      {
        bytes: frame(GM, KS, [{ type: "hash", data: fill(20, 5) }]),
        want: { "isakmp.hash": [Array(20).fill("05").join(":")] },
      },
      {
        bytes: frame(KS, GM, [{ type: "hash", data: fill(20, 6) }, { type: "seq", sequence: 23 }, KEYS]),
        want: {
          "isakmp.seq.seq": ["23"],
          "isakmp.kd.num_pkt": ["2"],
          "isakmp.kd.payload.type": ["1", "2"],
          "isakmp.kd.payload.spi_size": ["4", "16"],
        },
      },
    ];
    const w = new MemoryPcapWriter({ linktype: LINKTYPE_ETHERNET });
    msgs.forEach((m, i) => w.writePacket(1_000_000_000 + i * 1_000_000, m.bytes));
    const path = join(dir, "gdoi.pcap");
    writeFileSync(path, w.bytes());
    const r = spawnSync(
      "tshark",
      [
        "-r",
        path,
        "-n",
        "-d",
        "udp.port==848,isakmp",
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
    expect(packets.length).toBe(msgs.length);
    packets.forEach((p, i) => {
      const f = fields(p._source.layers);
      const where = `GROUPKEY-PULL message ${i + 1}`;
      if (process.env.TSHARK_DEBUG)
        console.log(where, Object.fromEntries([...f].filter(([k]) => /^(isakmp|_ws)/.test(k))));
      expect(f.get("frame.protocols")?.[0], where).toEndWith(":isakmp");
      expect(f.has("_ws.malformed"), where).toBe(false);
      for (const s of f.get("_ws.expert.severity") ?? [])
        expect(Number(s), `${where}: ${f.get("_ws.expert.message")}`).toBeLessThan(0x00600000);
      for (const [name, want] of Object.entries(msgs[i]!.want)) expect(f.get(name), `${where} ${name}`).toEqual(want);
    });
  });
});
