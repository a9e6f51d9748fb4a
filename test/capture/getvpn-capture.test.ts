// The getvpn-basic scenario with capture on, read by tshark with the keys the
// lab exported (esp_sa with the group SA under wildcard addresses, and the
// members' IKEv1 phase-1 keys):
//  - every ESP frame decrypts with a good ICV; the group uses time-based
//    anti-replay, so the payload is Cisco metadata (ESP next header 99, which
//    Wireshark shows as data) carrying the sender's pseudotime, then the
//    sites' ICMP datagram, whose header the outer one copies (IP header
//    preservation: same source, destination and ToS), on every member's link;
//  - the registrations on UDP 848 decode as ISAKMP: main mode, then the
//    encrypted GROUPKEY-PULL (exchange 32), which Wireshark decrypts and
//    dissects down to the SA TEK and KD payloads; the TEK's SPI is the one
//    every ESP frame carries;
//  - the unicast rekeys and their acknowledgements are GROUPKEY-PUSH (33);
//    the sealing SPI changes at the replace-now rekey and when the TEK a
//    scheduled rekey replaced expires;
//  - nothing is malformed and no expert item reaches warning severity (ESP
//    sequence analysis off: the members share one SPI, each with its own counter).

import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import { PcapDirectorySink } from "../../src/capture/lab-capture.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";
import { runSteps } from "../../src/scenario/runner.ts";
import { hasTshark } from "./pcap-read.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-getvpn-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

if (!hasTshark && process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");

const PI_WARN = 6291456;
const list = (s: string | undefined): string[] => (s ?? "").split(",").filter((x) => x !== "");

const FIELDS = [
  "frame.protocols",
  "ip.src",
  "ip.dst",
  "ip.dsfield",
  "esp.spi",
  "esp.icv_good",
  "data.data",
  "isakmp.exchangetype",
  "isakmp.sa.doi",
  "isakmp.sat.spi",
  "isakmp.kd.payload.type",
  "_ws.malformed",
  "_ws.expert.severity",
  "_ws.expert.message",
];

/** tshark's fields per frame, UDP 848 decoded as ISAKMP, keys from the capture folder. */
function rows(dir: string, pcap: string): Array<Record<string, string>> {
  const args = ["-r", join(dir, pcap), "-n", "-d", "udp.port==848,isakmp", "-T", "fields"];
  args.push("-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,");
  args.push("-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE");
  // Every member sends on the one group SPI with its own sequence counter, so Wireshark's per-SPI
  // sequence analysis would flag each member's numbers as repeats of another's (why GETVPN uses TBAR).
  args.push("-o", "esp.do_esp_sequence_analysis:FALSE");
  for (const f of FIELDS) args.push("-e", f);
  const r = spawnSync("tshark", args, { encoding: "utf8", env: { ...process.env, WIRESHARK_CONFIG_DIR: dir } });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((line) => {
      const cols = line.split("\t");
      return Object.fromEntries([...FIELDS.map((f, i) => [f, cols[i] ?? ""]), ["wire", pcap]]);
    });
}

describe.skipIf(!hasTshark)("getvpn-basic capture", () => {
  test("group ESP decrypts with header preservation; GROUPKEY-PULL decodes to the TEK", async () => {
    const scenario = loadScenario("getvpn-basic");
    const dir = join(root, "run");
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
    const all = readdirSync(dir)
      .filter((f) => f.endsWith(".pcap"))
      .flatMap((f) => rows(dir, f));
    for (const r of all) {
      expect(r["_ws.malformed"], `${r.wire} ${r["frame.protocols"]}`).toBe("");
      for (const s of list(r["_ws.expert.severity"]))
        expect(Number(s), `${r.wire} ${r["frame.protocols"]} ${r["_ws.expert.message"]}`).toBeLessThan(PI_WARN);
    }

    const esp = all.filter((r) => r["frame.protocols"]!.includes(":esp"));
    // HOST1 <-> HOST3: 10 + 20 + 10 + 10 echoes and replies on P-CE1 and P-CE3; CE2 <-> CE4: 5 and 5 on P-CE2 and P-CE4.
    expect(esp.filter((r) => r.wire!.startsWith("P-CE1")).length).toBe(100);
    expect(esp.filter((r) => r.wire!.startsWith("P-CE3")).length).toBe(100);
    expect(esp.filter((r) => r.wire!.startsWith("P-CE2")).length).toBe(10);
    expect(esp.filter((r) => r.wire!.startsWith("P-CE4")).length).toBe(10);
    // The first TEK seals until replace-now (the plain rekey's new TEK waits for the old one to expire), then the
    // third, then after the scheduled rekey and the third's expiry the fourth.
    const spis = [...new Set(esp.map((r) => r["esp.spi"]))];
    expect(spis.length).toBe(3);
    const onCe1 = esp.filter((r) => r.wire!.startsWith("P-CE1")).map((r) => r["esp.spi"]);
    expect(onCe1.slice(0, 60).every((x) => x === spis[0])).toBe(true);
    expect(onCe1.slice(60, 80).every((x) => x === spis[1])).toBe(true);
    expect(onCe1.slice(80).every((x) => x === spis[2])).toBe(true);
    const stamps = new Map<string, number[]>();
    for (const r of esp) {
      expect(r["esp.icv_good"]).toBe("1");
      expect(r["frame.protocols"]).toBe("eth:ethertype:ip:esp:data");
      // With no dissector for protocol 99 Wireshark shows the whole decrypted block as data, ESP's trailer
      // included: its last byte is the next header (99, metadata follows).
      const data = Buffer.from(r["data.data"]!, "hex");
      expect(data[data.length - 1]).toBe(99);
      // Metadata: next header IPv4, 12 bytes, version 1, the TBAR option with the pseudotime; then the datagram.
      expect([...data.subarray(0, 8)]).toEqual([4, 12, 1, 0, 0, 2, 0, 4]);
      const inner = data.subarray(12);
      expect(inner[0]).toBe(0x45);
      expect(inner[9]).toBe(1);
      const dotted = (at: number) => [...inner.subarray(at, at + 4)].join(".");
      const [outerSrc] = list(r["ip.src"]);
      const [outerDst] = list(r["ip.dst"]);
      const [outerTos] = list(r["ip.dsfield"]);
      const innerSrc = dotted(12);
      const innerDst = dotted(16);
      expect(outerSrc).toBe(innerSrc);
      expect(outerDst).toBe(innerDst);
      expect(Number(outerTos)).toBe(inner[1]!);
      const senders = stamps.get(`${r.wire}/${innerSrc}`) ?? [];
      senders.push(data.readUInt32BE(8));
      stamps.set(`${r.wire}/${innerSrc}`, senders);
      expect([innerSrc, innerDst].sort()).toEqual(
        innerSrc!.startsWith("10.0.111") || innerSrc!.startsWith("10.0.33")
          ? ["10.0.111.2", "10.0.33.2"]
          : ["10.0.222.1", "10.0.44.1"],
      );
    }

    // Each sender's pseudotime never goes back within a wire's capture except when a rekey resyncs it (by little).
    for (const [key, pts] of stamps)
      for (let i = 1; i < pts.length; i++) expect(pts[i]! - pts[i - 1]!, key).toBeGreaterThan(-1000);

    // Registration, as CE1's link saw it: main mode, then GROUPKEY-PULL decrypted with CE1's phase-1 key.
    const ce1 = all.filter((r) => r.wire!.startsWith("P-CE1") && r["isakmp.exchangetype"] !== "");
    expect(ce1.filter((r) => r["isakmp.exchangetype"] === "2").length).toBeGreaterThanOrEqual(6);
    const pull = ce1.filter((r) => r["isakmp.exchangetype"] === "32");
    expect(pull.length).toBe(4);
    const policy = pull.find((r) => r["isakmp.sa.doi"] === "2");
    expect(policy).toBeDefined();
    // One SA TEK per downloaded ACL entry: four denies (SPI 0) and the permit on the group SA.
    const tekSpis = list(policy!["isakmp.sat.spi"]);
    expect(tekSpis.length).toBe(5);
    expect(tekSpis.slice(0, 4)).toEqual(["00000000", "00000000", "00000000", "00000000"]);
    expect(`0x${tekSpis[4]}`).toBe(spis[0]!);
    expect(pull.some((r) => list(r["isakmp.kd.payload.type"]).join() === "1,2")).toBe(true);
    // The three unicast rekeys (GROUPKEY-PUSH, encrypted with the KEK) and CE1's three acknowledgements.
    expect(ce1.filter((r) => r["isakmp.exchangetype"] === "33").length).toBe(6);
  }, 120000);
});
