// GRE captures checked by Wireshark: the gre-tunnel, gre-ospf, gre-over-ipsec,
// gre-ipsec-profile, ipsec-vti, ipsec-over-gre and gre-keepalive scenarios run with capture on, then tshark reads every wire. Every GRE
// frame must decode as GRE with the inner IPv4 (the keepalives as GRE in
// IPv4 in GRE, protocol type 0 inside), with no Malformed layer and no expert
// item of warning severity or above, and every frame's size must be the RFC
// 2784 computation:
//   frame = 14 (Ethernet) + 20 (outer IPv4) + 4 (GRE) [+ 4 (key, RFC 2890)] + inner IPv4 total length
// which for the seed's numbers gives
//   100-byte echo:            14 + 20 + 4 + 100  = 138 (142 with a key)
//   1476-byte DF echo:        14 + 20 + 4 + 1476 = 1514, outer DF clear, inner DF set
//   keepalive:                14 + 20 + 4 + (20 + 4) = 62, and its reflection 14 + 20 + 4 = 38, padded to 60
// and the outer ToS byte equals the inner one (ping tos 184: 0xb8 outside too).

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import { PcapDirectorySink } from "../../src/capture/lab-capture.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";
import { runSteps } from "../../src/scenario/runner.ts";
import { hasTshark, tsharkFields } from "./pcap-read.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-gre-capture-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

if (!hasTshark && process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");

/** Runs a scenario with capture into a fresh folder; returns the pcap paths. */
async function capture(name: string): Promise<string[]> {
  const scenario = loadScenario(name);
  const dir = join(root, name);
  const lab = await Lab.create(scenario.lab, {
    workers: 0,
    factories: deviceFactories,
    capture: new PcapDirectorySink(dir),
  });
  try {
    const result = await runSteps(scenario.name, lab, scenario.steps, () => {});
    expect(result.failure).toBeUndefined();
  } finally {
    lab.close();
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith(".pcap"))
    .map((f) => join(dir, f));
}

const FIELDS = [
  "frame.len",
  "frame.protocols",
  "ip.len",
  "ip.flags.df",
  "ip.flags.mf",
  "ip.frag_offset",
  "ip.dsfield",
  "ip.proto",
  "gre.key",
  "gre.proto",
  "_ws.malformed",
  "_ws.expert.severity",
];
/** Wireshark's PI_WARN: expert items at or above it mean something is wrong. */
const PI_WARN = 6291456;

type Row = Record<string, string>;
const list = (s: string | undefined): string[] => (s ?? "").split(",").filter((x) => x !== "");

/** A fragment of a GRE packet (fragmented on the path because DF was clear outside). */
const outerFragment = (r: Row): boolean => list(r["ip.flags.mf"])[0] === "1" || list(r["ip.frag_offset"])[0] !== "0";

/** Reads every GRE frame of the captures and checks the decoding and the RFC 2784 size of each. */
function greRows(paths: string[]): Row[] {
  const rows = paths.flatMap((p) => tsharkFields(p, FIELDS, { filter: "gre" }));
  for (const r of rows) {
    expect(r["_ws.malformed"]).toBe("");
    for (const s of list(r["_ws.expert.severity"])) expect(Number(s)).toBeLessThan(PI_WARN);
    const ipLen = list(r["ip.len"]).map(Number);
    const greLen = 4 + (list(r["gre.key"]).length > 0 ? 4 : 0);
    const protocols = r["frame.protocols"]!;
    if (protocols.startsWith("eth:ethertype:ip:icmp")) continue; // an ICMP error quoting GRE (key mismatch)
    expect(protocols.startsWith("eth:ethertype:ip:gre")).toBe(true);
    const frame = Number(r["frame.len"]);
    // The last fragment of a GRE packet a router on the path fragmented (DF clear outside): tshark shows the
    // reassembled GRE there, not this frame's size.
    if (outerFragment(r)) continue;
    if (ipLen.length === 1) {
      // A keepalive's reflection: IPv4 + GRE of protocol type 0 and nothing inside, padded to Ethernet's minimum.
      expect(list(r["gre.proto"])).toEqual(["0x0000"]);
      expect(ipLen[0]).toBe(20 + greLen);
      expect(frame).toBe(Math.max(60, 14 + ipLen[0]!));
      continue;
    }
    expect(ipLen[0]).toBe(20 + greLen + ipLen[1]!);
    expect(frame).toBe(14 + 20 + greLen + ipLen[1]!);
    // The outer DF bit is set only as a copy of the inner one (tunnel path-mtu-discovery); ToS is always copied.
    const [outerDf, innerDf] = list(r["ip.flags.df"]);
    if (outerDf === "1") expect(innerDf).toBe("1");
    const tos = list(r["ip.dsfield"]);
    expect(tos[0]).toBe(tos[1]);
  }
  return rows;
}

/** Every ESP frame of a GRE-over-IPsec lab decrypts (ICV good) to GRE and has the RFC 2784 + RFC 4303 size. */
async function espChecks(name: string): Promise<void> {
  const paths = await capture(name);
  const dir = join(root, name);
  const prefs = ["esp.enable_encryption_decode:TRUE", "esp.enable_authentication_check:TRUE"];
  const fields = [
    "frame.len",
    "frame.protocols",
    "ip.len",
    "ip.frag_offset",
    "esp.icv_good",
    "_ws.malformed",
    "_ws.expert.severity",
  ];
  const rows = paths.flatMap((p) => tsharkFields(p, fields, { configDir: dir, prefs, filter: "esp" }));
  expect(rows.length).toBeGreaterThan(50);
  // Transport mode, esp-aes esp-sha-hmac: outer IPv4 (20) + SPI and sequence (8) + IV (16)
  // + GRE (4) and the inner datagram with the 2-byte trailer, padded to AES's 16 bytes + ICV (12).
  const espSize = (inner: number) => 14 + 20 + 8 + 16 + Math.ceil((4 + inner + 2) / 16) * 16 + 12;
  let whole = 0;
  for (const r of rows) {
    expect(r["_ws.malformed"]).toBe("");
    for (const s of list(r["_ws.expert.severity"])) expect(Number(s)).toBeLessThan(PI_WARN);
    expect(r["esp.icv_good"]).toBe("1");
    expect(r["frame.protocols"]!.startsWith("eth:ethertype:ip:esp:gre:ip:")).toBe(true);
    const inner = list(r["ip.len"]).map(Number)[1]!;
    if (list(r["ip.frag_offset"])[0] === "0") {
      // Not a fragment (the 1476-byte DF echoes are fragmented after encryption: DF was never copied).
      expect(Number(r["frame.len"])).toBe(espSize(inner));
      whole++;
    }
  }
  expect(whole).toBeGreaterThan(40);
  const sizes = new Set(rows.map((r) => Number(r["frame.len"])));
  expect(sizes.has(182)).toBe(true); // 100-byte echo: 14 + 20 + 8 + 16 + 112 + 12
  if (name === "gre-over-ipsec") expect(sizes.has(1478)).toBe(true); // 1400-byte echo after ip mtu 1400: 14 + 20 + 8 + 16 + 1408 + 12
}

describe.skipIf(!hasTshark)("GRE captures", () => {
  test("gre-tunnel: every GRE frame decodes with its inner IPv4 and has the RFC 2784 size", async () => {
    const rows = greRows(await capture("gre-tunnel"));
    const echoes = rows.filter(
      (r) => r["frame.protocols"] === "eth:ethertype:ip:gre:ip:icmp:data" && !outerFragment(r),
    );
    const sizes = new Set(echoes.map((r) => Number(r["frame.len"])));
    expect(sizes.has(138)).toBe(true); // 100-byte echo
    expect(sizes.has(142)).toBe(true); // 100-byte echo, tunnel key 5
    // DF echoes: 1476 bytes (1472 with the key) fill a 1514-byte frame; GRE clears DF outside until
    // tunnel path-mtu-discovery, which copies it.
    const df = echoes.filter((r) => list(r["ip.flags.df"])[1] === "1");
    for (const r of df) expect(Number(r["frame.len"])).toBeOneOf([1514, 14 + 20 + 8 + 1372]);
    const cleared = df.filter((r) => list(r["ip.flags.df"])[0] === "0");
    const copied = df.filter((r) => list(r["ip.flags.df"])[0] === "1");
    expect(cleared.length).toBeGreaterThanOrEqual(10); // the 1476-byte DF echoes, through R1-R2 and R2-R3
    expect(copied.length).toBeGreaterThanOrEqual(3); // after tunnel path-mtu-discovery
    // R2 fragmented the DF-clear GRE packets on its 1400-byte hop before path-mtu-discovery.
    expect(rows.some((r) => list(r["ip.frag_offset"])[0] !== "0")).toBe(true);
    // R2's fragmentation-needed about R1's GRE (DF copied, 1400-byte hop) quotes the GRE packet.
    expect(rows.some((r) => r["frame.protocols"].startsWith("eth:ethertype:ip:icmp:ip:gre"))).toBe(true);
    expect(echoes.some((r) => r["ip.dsfield"] === "0xb8,0xb8")).toBe(true);
    // The unfragmented 1500-byte echo went as two fragments, each in its own GRE packet.
    expect(rows.some((r) => r["frame.protocols"] === "eth:ethertype:ip:gre:ip:data")).toBe(true);
  }, 60000);

  test("gre-ospf: OSPF hellos and updates ride in GRE and decode as OSPF inside", async () => {
    const rows = greRows(await capture("gre-ospf"));
    const ospf = rows.filter((r) => r["frame.protocols"] === "eth:ethertype:ip:gre:ip:ospf");
    expect(ospf.length).toBeGreaterThan(10);
    // OSPF's own ToS (DSCP CS6, 0xc0) is carried to the outer header.
    for (const r of ospf) expect(r["ip.dsfield"]).toBe("0xc0,0xc0");
  }, 60000);

  test("gre-over-ipsec: the EIGRP underlay rides in the clear beside the ESP and decodes as EIGRP", async () => {
    const paths = await capture("gre-over-ipsec");
    const fields = ["frame.protocols", "eigrp.opcode", "_ws.malformed"];
    const rows = paths.flatMap((p) => tsharkFields(p, fields, { filter: "eigrp" }));
    expect(rows.some((r) => r["eigrp.opcode"] === "5")).toBe(true); // hellos
    expect(rows.some((r) => r["eigrp.opcode"] === "1")).toBe(true); // updates with the loopbacks
    for (const r of rows) {
      expect(r["frame.protocols"]).toBe("eth:ethertype:ip:eigrp");
      expect(r["_ws.malformed"]).toBe("");
    }
  }, 60000);

  for (const name of ["gre-over-ipsec", "gre-ipsec-profile"])
    test(`${name}: ESP (transport mode) decrypts to GRE with the inner IPv4; sizes per RFC 2784 and RFC 4303`, async () => {
      await espChecks(name);
    }, 60000);

  test("ipsec-vti: ESP tunnel mode decrypts to the inner IPv4 (no GRE), DF copied outside, sizes per RFC 4303", async () => {
    const paths = await capture("ipsec-vti");
    const dir = join(root, "ipsec-vti");
    const prefs = ["esp.enable_encryption_decode:TRUE", "esp.enable_authentication_check:TRUE"];
    const fields = ["frame.len", "frame.protocols", "ip.len", "ip.flags.df", "esp.icv_good", "_ws.malformed"];
    const rows = paths.flatMap((p) => tsharkFields(p, fields, { configDir: dir, prefs, filter: "esp" }));
    expect(rows.length).toBeGreaterThan(30);
    // Tunnel mode, esp-aes esp-sha-hmac: outer IPv4 (20) + SPI and sequence (8) + IV (16)
    // + the inner datagram with the 2-byte trailer, padded to AES's 16 bytes + ICV (12).
    const espSize = (inner: number) => 14 + 20 + 8 + 16 + Math.ceil((inner + 2) / 16) * 16 + 12;
    for (const r of rows) {
      expect(r["_ws.malformed"]).toBe("");
      expect(r["esp.icv_good"]).toBe("1");
      expect(r["frame.protocols"]!.startsWith("eth:ethertype:ip:esp:ip:")).toBe(true);
      const inner = list(r["ip.len"]).map(Number)[1]!;
      expect(Number(r["frame.len"])).toBe(espSize(inner));
      // ESP tunnel mode copies DF from the inner header (a VTI keeps path MTU discovery working).
      const [outerDf, innerDf] = list(r["ip.flags.df"]);
      expect(outerDf).toBe(innerDf);
    }
    // The 1438-byte DF echo, the largest that fits: 14 + 20 + 8 + 16 + 1440 + 12 = 1510 (the 4 bytes left of a
    // 1500-byte packet cannot hold another AES block), with DF set outside.
    const full = rows.filter((r) => Number(r["frame.len"]) === 1510 && list(r["ip.flags.df"])[0] === "1");
    expect(full.length).toBeGreaterThanOrEqual(10); // five echoes, on R1-R2 and on R2-R3
    for (const r of full) expect(list(r["ip.len"]).map(Number)).toEqual([1496, 1438]);
    expect(rows.some((r) => r["frame.protocols"].includes(":ospf"))).toBe(true);
  }, 60000);

  test("ipsec-over-gre: ESP inside GRE decrypts to the sites' IPv4; OSPF stays clear in GRE; sizes per RFC 2784 + 4303", async () => {
    const paths = await capture("ipsec-over-gre");
    const dir = join(root, "ipsec-over-gre");
    const prefs = ["esp.enable_encryption_decode:TRUE", "esp.enable_authentication_check:TRUE"];
    const fields = ["frame.len", "frame.protocols", "ip.len", "esp.icv_good", "_ws.malformed"];
    const rows = paths.flatMap((p) => tsharkFields(p, fields, { configDir: dir, prefs, filter: "gre" }));
    const esp = rows.filter((r) => r["frame.protocols"].startsWith("eth:ethertype:ip:gre:ip:esp"));
    expect(esp.length).toBeGreaterThanOrEqual(10);
    for (const r of esp) {
      expect(r["_ws.malformed"]).toBe("");
      expect(r["esp.icv_good"]).toBe("1");
      expect(r["frame.protocols"]).toBe("eth:ethertype:ip:gre:ip:esp:ip:icmp:data");
      // Ethernet + outer IPv4 + GRE, then ESP tunnel mode: IPv4 (20) + SPI/sequence (8) + IV (16)
      // + the site's datagram with the trailer padded to 16 + ICV (12).
      const [, espIp, inner] = list(r["ip.len"]).map(Number);
      expect(espIp).toBe(20 + 8 + 16 + Math.ceil((inner! + 2) / 16) * 16 + 12);
      expect(Number(r["frame.len"])).toBe(14 + 20 + 4 + espIp!);
    }
    expect(rows.some((r) => r["frame.protocols"] === "eth:ethertype:ip:gre:ip:ospf")).toBe(true);
  }, 60000);

  test("gre-keepalive: keepalives decode as GRE/IPv4/GRE with protocol type 0, 62 bytes, reflected as 60", async () => {
    const rows = greRows(await capture("gre-keepalive"));
    const keepalives = rows.filter((r) => r["frame.protocols"] === "eth:ethertype:ip:gre:ip:gre");
    expect(keepalives.length).toBeGreaterThan(10);
    for (const r of keepalives) {
      expect(r["gre.proto"]).toBe("0x0800,0x0000");
      expect(Number(r["frame.len"])).toBe(62);
    }
    const reflected = rows.filter((r) => r["frame.protocols"] === "eth:ethertype:ip:gre");
    expect(reflected.length).toBeGreaterThan(5);
    for (const r of reflected) expect(Number(r["frame.len"])).toBe(60);
  }, 60000);
});
