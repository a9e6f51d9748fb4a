// NAT traversal on the wire: the ipsec-nat-t scenario runs with capture on;
// then tshark, with the capture folder as its configuration folder, reads
// both links of the PAT router. While NAT-T is on, every ESP frame travels in
// UDP 4500 (RFC 3948), decrypts with a good ICV and carries the echo between
// the two LANs; IKE starts on UDP 500 (main mode 1-4) and goes on behind the
// non-ESP marker on UDP 4500 (main mode 5-6, quick mode), decrypted. Once the
// scenario turns NAT-T off, the second tunnel's ESP is plain IP protocol 50,
// which the PAT router translates as IPsec passthrough. The outside link
// never shows the branch's private address; R1 sends NAT keepalives (one
// byte 0xff) while idle; nothing is malformed.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import { PcapDirectorySink } from "../../src/capture/lab-capture.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";
import { runSteps } from "../../src/scenario/runner.ts";
import { parseEthernet } from "../../src/wire/ethernet.ts";
import { IP_PROTO_ESP, IP_PROTO_UDP, parseIpv4 } from "../../src/wire/ipv4.ts";
import { formatIpv4Address } from "../../src/wire/ipv4-address.ts";
import { parseUdp } from "../../src/wire/udp.ts";
import { hasTshark, readPcap, tsharkFields } from "./pcap-read.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-nat-t-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

if (!hasTshark && process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");

const INSIDE = "R1-R2.pcap";
const OUTSIDE = "R2-R3.pcap";
const BRANCH_PRIVATE = "192.168.1.1";
const PAT_ADDRESS = "198.51.100.2";
const HQ = "198.51.100.3";

beforeAll(async () => {
  const scenario = loadScenario("ipsec-nat-t");
  const lab = await Lab.create(scenario.lab, {
    workers: 0,
    factories: deviceFactories,
    capture: new PcapDirectorySink(root),
  });
  try {
    const result = await runSteps(scenario.name, lab, scenario.steps, () => {});
    expect(result.failure).toBeUndefined();
  } finally {
    lab.close();
  }
});

/** IPv4 datagrams of a capture with their UDP ports (when UDP). */
function datagrams(
  file: string,
): Array<{ src: string; dst: string; protocol: number; sport?: number; dport?: number; udpPayload?: Uint8Array }> {
  const out = [];
  for (const { bytes } of readPcap(readFileSync(join(root, file))).packets) {
    const eth = parseEthernet(bytes);
    if (!eth.ok || eth.value.ethertype !== 0x0800) continue;
    const ip = parseIpv4(eth.value.payload);
    if (!ip.ok) continue;
    const d = {
      src: formatIpv4Address(ip.value.src),
      dst: formatIpv4Address(ip.value.dst),
      protocol: ip.value.protocol,
    };
    const udp = ip.value.protocol === IP_PROTO_UDP ? parseUdp(ip.value.payload) : undefined;
    out.push(udp?.ok ? { ...d, sport: udp.value.srcPort, dport: udp.value.dstPort, udpPayload: udp.value.payload } : d);
  }
  return out;
}

describe("NAT traversal on the wire (node)", () => {
  test("plain ESP only for the tunnel without NAT-T (9 echoes each way); the outside never sees the private address", () => {
    for (const file of [INSIDE, OUTSIDE])
      expect(datagrams(file).filter((d) => d.protocol === IP_PROTO_ESP).length, file).toBe(18);
    const outside = datagrams(OUTSIDE);
    expect(outside.length).toBeGreaterThan(40);
    for (const d of outside)
      expect(
        [d.src, d.dst].every((a) => a === PAT_ADDRESS || a === HQ),
        `${d.src} > ${d.dst}`,
      ).toBe(true);
  });

  test("R1 sends NAT keepalives (UDP 4500, the one byte 0xff) and the PAT router passes them", () => {
    const keepalives = (file: string, src: string): number =>
      datagrams(file).filter(
        (d) =>
          d.src === src &&
          d.sport === 4500 &&
          d.dport === 4500 &&
          d.udpPayload?.length === 1 &&
          d.udpPayload[0] === 0xff,
      ).length;
    expect(keepalives(INSIDE, BRANCH_PRIVATE)).toBeGreaterThanOrEqual(1);
    expect(keepalives(OUTSIDE, PAT_ADDRESS)).toBe(keepalives(INSIDE, BRANCH_PRIVATE));
  });
});

// tshark prints expert severities as numbers (epan/proto.h): warn 0x600000.
const WARN_SEVERITY = 0x00600000;
const PREFS = [
  "esp.enable_encryption_decode:TRUE",
  "esp.enable_authentication_check:TRUE",
  "ip.check_checksum:TRUE",
  "udp.check_checksum:TRUE",
];
const FIELDS = [
  "frame.number",
  "frame.protocols",
  "_ws.expert.severity",
  "_ws.expert.message",
  "udp.srcport",
  "udp.dstport",
  "esp.icv_good",
  "ip.src",
  "ip.dst",
  "icmp.type",
  "isakmp.exchangetype",
  "isakmp.flag_e",
  "isakmp.hash",
];

describe.skipIf(!hasTshark)("tshark decodes and decrypts both sides of the NAT", () => {
  for (const [file, branch] of [
    [INSIDE, BRANCH_PRIVATE],
    [OUTSIDE, PAT_ADDRESS],
  ] as const) {
    test(`${file}: ESP in UDP 4500 with good ICVs and the inner echo; IKE floats from 500 to 4500 and decrypts`, () => {
      const rows = tsharkFields(join(root, file), FIELDS, { configDir: root, prefs: PREFS });
      for (const r of rows) {
        const where = `${file} frame ${r["frame.number"]}: ${r["frame.protocols"]} ${r["_ws.expert.message"]}`;
        expect(r["frame.protocols"], where).not.toContain("malformed");
        for (const s of r["_ws.expert.severity"]!.split(",").filter(Boolean))
          expect(Number(s), where).toBeLessThan(WARN_SEVERITY);
      }
      const esp = rows.filter((r) => r["frame.protocols"]!.includes(":esp"));
      const encapsulated = esp.filter((r) => r["frame.protocols"]!.endsWith(":udp:udpencap:esp:ip:icmp:data"));
      const plain = esp.filter((r) => r["frame.protocols"]!.endsWith(":ip:esp:ip:icmp:data"));
      // With NAT-T: 14 echoes each way from the branch, then 5 each way from HQ. Without: 9 each way.
      expect([encapsulated.length, plain.length]).toEqual([38, 18]);
      // Every encapsulated frame comes before the first plain one.
      expect(Math.max(...encapsulated.map((r) => Number(r["frame.number"])))).toBeLessThan(
        Math.min(...plain.map((r) => Number(r["frame.number"]))),
      );
      for (const r of esp) {
        const where = `${file} frame ${r["frame.number"]}`;
        expect(r["esp.icv_good"], where).toBe("1");
        const flow = `${r["ip.src"]}>${r["ip.dst"]}`;
        expect([`${branch},10.1.1.1>${HQ},10.3.3.3`, `${HQ},10.3.3.3>${branch},10.1.1.1`], where).toContain(flow);
      }
      const ike = rows.filter((r) => r["isakmp.exchangetype"] !== "");
      const onPort = (port: string): Array<Record<string, string>> =>
        ike.filter((r) => r["udp.dstport"] === port || r["udp.srcport"] === port);
      // First tunnel: main mode 1-4 on UDP 500 (in the clear), main mode 5-6 and quick mode behind the marker
      // on 4500, then the DELETEs of `clear crypto sa` and `clear crypto isakmp`. Second tunnel: all on 500.
      expect(onPort("4500").map((r) => r["isakmp.exchangetype"])).toEqual(["2", "2", "32", "32", "32", "5", "5"]);
      expect(onPort("500").map((r) => r["isakmp.exchangetype"])).toEqual([
        "2",
        "2",
        "2",
        "2",
        "2",
        "2",
        "2",
        "2",
        "2",
        "2",
        "32",
        "32",
        "32",
      ]);
      for (const r of onPort("4500")) {
        expect(r["frame.protocols"]).toContain(":udpencap:isakmp");
        expect(r["isakmp.flag_e"]).toBe("1");
        // The HASH payload is only visible once decrypted with the IKEv1 table (SHA-256: 32 bytes).
        expect(r["isakmp.hash"], `${file} frame ${r["frame.number"]}`).toMatch(/^[0-9a-f]{64}$/);
      }
    });
  }
});
