// The nat-ipsec-exemption scenario (seed 002's branch router) with capture on,
// read by tshark with the exported esp_sa:
//  - every ESP frame decrypts with a good ICV to the branch host's own
//    192.168.1.10 <-> HQ's 10.10.10.1 ICMP: the VPN traffic was never
//    translated (the route map's deny entry), and its size is RFC 4303's
//    tunnel mode with esp-aes 256 esp-sha-hmac:
//      frame = 14 + 20 (outer IPv4) + 8 (SPI, sequence) + 16 (IV)
//              + ceil((inner + 2) / 16) * 16 (inner datagram, trailer, padding) + 12 (ICV)
//  - on the Internet side the branch host appears only as 198.51.100.2 in
//    clear frames (PAT on FastEthernet0/0), both to the Internet server and,
//    after the deny entry is removed, to HQ's LAN (translated, so no longer
//    matching the crypto ACL, so sent in the clear);
//  - the ESP header carries the inner ToS byte (seed 002's ToS byte
//    preservation: BR's echoes with ToS 184 are 0xb8 outside too);
//  - nothing is malformed, and the ESP frames carry no expert warning.

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

const root = mkdtempSync(join(tmpdir(), "wanlab-nat-ipsec-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

if (!hasTshark && process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");

const PI_WARN = 6291456;
const list = (s: string | undefined): string[] => (s ?? "").split(",").filter((x) => x !== "");

describe.skipIf(!hasTshark)("nat-ipsec-exemption capture", () => {
  test("VPN traffic is encrypted untranslated; Internet traffic and the broken VPN leave translated in the clear", async () => {
    const scenario = loadScenario("nat-ipsec-exemption");
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
    const pcaps = readdirSync(dir).filter((f) => f.endsWith(".pcap"));
    const prefs = ["esp.enable_encryption_decode:TRUE", "esp.enable_authentication_check:TRUE"];
    const fields = [
      "frame.len",
      "frame.protocols",
      "ip.len",
      "ip.src",
      "ip.dst",
      "ip.dsfield",
      "icmp.type",
      "esp.icv_good",
      "_ws.malformed",
      "_ws.expert.severity",
    ];
    const rows = pcaps.flatMap((f) =>
      tsharkFields(join(dir, f), fields, { configDir: dir, prefs }).map(
        (r): Record<string, string> => ({ ...r, wire: f }),
      ),
    );
    for (const r of rows) expect(r["_ws.malformed"]).toBe("");

    const esp = rows.filter((r) => r["frame.protocols"]!.includes(":esp"));
    // The host's 3 + 4 echoes and BR's 2 (from its LAN address, ToS 184), with their replies, on BR-ISP and ISP-HQ.
    expect(esp.length).toBe(36);
    for (const r of esp) {
      expect(r["esp.icv_good"]).toBe("1");
      expect(r["frame.protocols"]!.startsWith("eth:ethertype:ip:esp:ip:icmp")).toBe(true);
      for (const s of list(r["_ws.expert.severity"])) expect(Number(s)).toBeLessThan(PI_WARN);
      const [outerSrc, innerSrc] = list(r["ip.src"]);
      const [outerDst, innerDst] = list(r["ip.dst"]);
      const branch = outerSrc === "198.51.100.2" ? innerSrc : innerDst;
      expect(["192.168.1.10", "192.168.1.1"]).toContain(branch);
      expect([outerSrc, outerDst, innerSrc, innerDst].sort()).toEqual(
        outerSrc === "198.51.100.2" || outerDst === "198.51.100.2"
          ? [branch!, "10.10.10.1", "192.0.2.2", "198.51.100.2"].sort()
          : [],
      );
      // ToS byte preservation (seed 002): the ESP header carries the inner ToS.
      const [outerTos, innerTos] = list(r["ip.dsfield"]);
      expect(outerTos).toBe(innerTos);
      const inner = Number(list(r["ip.len"])[1]);
      expect(Number(r["frame.len"])).toBe(14 + 20 + 8 + 16 + Math.ceil((inner + 2) / 16) * 16 + 12);
    }
    const marked = esp.filter((r) => list(r["ip.dsfield"])[0] === "0xb8" && list(r["ip.src"])[1] === "192.168.1.1");
    expect(marked.length).toBe(4); // BR's 2 echoes on both wires

    // Outside the branch LAN the branch host never appears in the clear.
    const wan = rows.filter((r) => !r.wire!.startsWith("LAN") && !r["frame.protocols"]!.includes(":esp"));
    expect(wan.some((r) => list(r["ip.src"]).includes("192.168.1.10"))).toBe(false);
    const echoes = (dst: string) =>
      wan.filter(
        (r) => r["icmp.type"] === "8" && list(r["ip.src"])[0] === "198.51.100.2" && list(r["ip.dst"])[0] === dst,
      );
    expect(echoes("203.0.113.10").length).toBe(4);
    // The two echoes sent while the deny entry was gone: translated, in the clear, dropped by the ISP.
    expect(echoes("10.10.10.1").length).toBe(2);
    // On the LAN the host sends 4 + 2 + 4 echoes to HQ (the first one lost while IKE starts), all from its own address.
    const lan = rows.filter((r) => r.wire!.startsWith("LAN") && r["icmp.type"] === "8" && r["ip.dst"] === "10.10.10.1");
    expect(lan.length).toBe(10);
    for (const r of lan) expect(r["ip.src"]).toBe("192.168.1.10");
  }, 60000);
});
