// The eigrp-metrics scenario's captures, read twice: by tshark's eigrp
// dissector (every EIGRP frame decodes, nothing malformed or warned; hellos
// multicast to 224.0.0.10 with K-values 1 0 1 0 0 and hold time 15, reliable
// packets unicast), and by our parser for the protocol's behaviour on the
// wire: every update, query and reply is acknowledged by a hello carrying its
// sequence number; when R2's Serial4/0 is shut R2 sends no query for
// 9.9.9.9 (its feasible successor through R4 takes over), while the R4-R9
// failure makes R4 query R2 for it and R2 reply.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../../src/scenario/run-scenario.ts";
import { type EigrpPacket, parseEigrp } from "../../../src/wire/eigrp.ts";
import { formatIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { hasTshark, readPcap, tsharkFields } from "../../capture/pcap-read.ts";

if (!hasTshark && process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");
const dir = mkdtempSync(join(tmpdir(), "wanlab-eigrp-metrics-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Seen {
  src: string;
  dst: string;
  p: EigrpPacket;
}

/** EIGRP packets of a capture (Ethernet or HDLC framing), parsed by src/wire/eigrp.ts. */
function eigrpOnWire(file: string): Seen[] {
  const { linktype, packets } = readPcap(readFileSync(join(dir, file)));
  const out: Seen[] = [];
  for (const f of packets) {
    const o = linktype === 1 ? 14 : 4;
    const b = f.bytes;
    if (linktype === 1 && (b[12] !== 0x08 || b[13] !== 0x00)) continue;
    if (b[o + 9] !== 88) continue;
    const ihl = (b[o]! & 0x0f) * 4;
    const addr = (at: number) =>
      formatIpv4Address(((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0);
    // The IP total length, not the frame: Ethernet pads short frames.
    const total = (b[o + 2]! << 8) | b[o + 3]!;
    const p = parseEigrp(b.subarray(o + ihl, o + total));
    if (!p.ok) throw new Error(`${file}: ${p.error.detail}`);
    out.push({ src: addr(o + 12), dst: addr(o + 16), p: p.value });
  }
  return out;
}

const routes = (p: EigrpPacket): string[] =>
  p.tlvs.flatMap((t) => (t.type === "internal" || t.type === "external" ? [formatIpv4Address(t.route.prefix)] : []));

describe.skipIf(!hasTshark)("eigrp-metrics on the wire", () => {
  let files: string[] = [];

  test("the scenario passes and every EIGRP frame decodes in tshark", async () => {
    const result = await runScenario("eigrp-metrics", { workers: 0, seed: 1, captureDir: dir, print: () => {} });
    expect(result.ok).toBe(true);
    files = readdirSync(dir).filter((f) => f.endsWith(".pcap"));
    expect(files.length).toBe(6);
    let hellos = 0;
    for (const f of files) {
      const rows = tsharkFields(
        join(dir, f),
        [
          "frame.number",
          "eigrp.opcode",
          "eigrp.ack",
          "eigrp.par.k1",
          "eigrp.par.k3",
          "eigrp.par.holdtime",
          "ip.dst",
          "_ws.malformed",
          "_ws.expert.severity",
        ],
        { filter: "ip.proto == 88" },
      );
      expect(rows.length, f).toBeGreaterThan(20);
      for (const r of rows) {
        const where = `${f} frame ${r["frame.number"]}`;
        expect(r["_ws.malformed"], where).toBe("");
        for (const s of (r["_ws.expert.severity"] ?? "").split(",").filter((x) => x !== ""))
          expect(Number(s), where).toBeLessThan(0x00600000);
        if (r["eigrp.opcode"] === "5" && r["eigrp.par.holdtime"] !== "") {
          expect([r["ip.dst"], r["eigrp.par.k1"], r["eigrp.par.k3"], r["eigrp.par.holdtime"]], where).toEqual([
            "224.0.0.10",
            "1",
            "1",
            "15",
          ]);
          hellos++;
        } else expect(r["ip.dst"], where).not.toBe("224.0.0.10");
      }
    }
    expect(hellos).toBeGreaterThan(100);
  }, 120_000);

  test("every reliable packet is acknowledged with its sequence number", () => {
    for (const f of files) {
      const seen = eigrpOnWire(f);
      const acks = new Set(seen.filter((s) => s.p.ack !== 0).map((s) => `${s.dst}>${s.src}:${s.p.ack}`));
      const reliable = seen.filter((s) => s.p.opcode !== "hello");
      expect(reliable.length, f).toBeGreaterThan(0);
      for (const s of reliable)
        expect(acks.has(`${s.src}>${s.dst}:${s.p.sequence}`), `${f} seq ${s.p.sequence}`).toBe(true);
    }
  });

  test("no query for 9.9.9.9 when the feasible successor takes over; R4 queries for it when it has none", () => {
    const r2r4 = eigrpOnWire("R2-R4.pcap");
    const queries = r2r4.filter((s) => s.p.opcode === "query");
    // R2 queries only for its own lost connected network when Serial4/0 goes down.
    const fromR2 = queries.filter((s) => s.src === "192.168.24.2").flatMap((s) => routes(s.p));
    expect(fromR2).not.toContain("9.9.9.9");
    expect(fromR2).toContain("192.168.23.0");
    const fromR4 = queries.filter((s) => s.src === "192.168.24.4").flatMap((s) => routes(s.p));
    expect(fromR4).toContain("9.9.9.9");
    const replies = r2r4.filter((s) => s.p.opcode === "reply" && s.src === "192.168.24.2").flatMap((s) => routes(s.p));
    expect(replies).toContain("9.9.9.9");
  });
});

describe.skipIf(!hasTshark)("eigrp-next-hop on the wire", () => {
  test("EIGRP inside GRE decodes; after no ip next-hop-self the hub sends 150.1.3.0/24 with next hop 10.1.1.3", async () => {
    const out = join(dir, "next-hop");
    const result = await runScenario("eigrp-next-hop", { workers: 0, seed: 2, captureDir: out, print: () => {} });
    expect(result.ok).toBe(true);
    const rows = tsharkFields(
      join(out, "R1-PE1.pcap"),
      [
        "frame.number",
        "ip.src",
        "eigrp.opcode",
        "eigrp.ipv4.destination",
        "eigrp.ipv4.nexthop",
        "_ws.malformed",
        "_ws.expert.severity",
      ],
      { filter: "eigrp" },
    );
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) {
      expect(r["_ws.malformed"], `frame ${r["frame.number"]}`).toBe("");
      for (const s of (r["_ws.expert.severity"] ?? "").split(",").filter((x) => x !== ""))
        expect(Number(s), `frame ${r["frame.number"]}`).toBeLessThan(0x00600000);
    }
    // Updates from the hub (inner source 10.1.1.5) naming R3's loopback: first with next hop 0 (the hub itself), then 10.1.1.3.
    const hops = rows
      .filter((r) => r["eigrp.opcode"] === "1" && r["eigrp.ipv4.destination"]?.split(",").includes("150.1.3.0"))
      .map((r) => {
        const dests = r["eigrp.ipv4.destination"]!.split(",");
        return r["eigrp.ipv4.nexthop"]!.split(",")[dests.indexOf("150.1.3.0")];
      });
    expect(hops).toEqual(["0.0.0.0", "10.1.1.3"]);
  }, 120_000);
});
