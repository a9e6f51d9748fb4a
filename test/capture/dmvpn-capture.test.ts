// The dmvpn-phase2 lab's captures in Wireshark: every frame of every wire
// decodes with no malformed packet and no expert item at warning level or
// above; NHRP rides in GRE (protocol 0x2001) with the tunnel key, as
// registration requests and replies between each spoke and the hub and one
// resolution request (forwarded by the hub to R3) and its reply from R3
// straight to R1, each carrying the cleartext password; OSPF rides in GRE to
// unicast NBMA addresses only (pseudo-multicast), never spoke to spoke.
// dmvpn-phase1: the same for RIP in GRE between the hub's mGRE and the
// spokes' point-to-point tunnels; the spokes' registrations decode as NHRP.
// dmvpn-phase3: the hub's traffic indications decode with the datagram that
// caused them (an ICMP or UDP probe from one spoke's network to another's).

import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../src/scenario/run-scenario.ts";
import { hasTshark, tsharkFields } from "./pcap-read.ts";

const WARN_SEVERITY = 0x00600000;

describe.skipIf(!hasTshark)("dmvpn-phase2 captures in Wireshark", () => {
  test("GRE, NHRP and OSPF decode cleanly; NHRP registrations, one resolution and pseudo-multicast OSPF", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wanlab-cap-dmvpn-"));
    try {
      const result = await runScenario("dmvpn-phase2", { workers: 0, seed: 1, captureDir: dir, print: () => {} });
      expect(result.ok).toBe(true);
      const files = readdirSync(dir).filter((f) => f.endsWith(".pcap"));
      const types = new Map<string, number>();
      let ospfOverGre = 0;
      for (const f of files) {
        const rows = tsharkFields(join(dir, f), [
          "frame.number",
          "frame.protocols",
          "_ws.malformed",
          "_ws.expert.severity",
          "ip.src",
          "ip.dst",
          "gre.key",
          "nhrp.hdr.op.type",
          "nhrp.hdr.chksum.status",
          "nhrp.src.prot.addr",
          "nhrp.dst.prot.addr",
        ]);
        for (const r of rows) {
          const where = `${f} frame ${r["frame.number"]}: ${r["frame.protocols"]}`;
          expect(r["_ws.malformed"], where).toBe("");
          for (const s of r["_ws.expert.severity"]!.split(",").filter(Boolean))
            expect(Number(s), where).toBeLessThan(WARN_SEVERITY);
          const stack = r["frame.protocols"]!;
          if (stack.includes("gre")) expect(r["gre.key"], where).toBe("0x000186a0"); // 100000
          if (stack.includes(":gre:nhrp")) {
            expect(r["nhrp.hdr.chksum.status"], where).toBe("1");
            const t = r["nhrp.hdr.op.type"]!;
            types.set(t, (types.get(t) ?? 0) + 1);
          }
          if (stack.includes(":gre:ip:ospf")) {
            ospfOverGre++;
            const [outerSrc] = r["ip.src"]!.split(",");
            const [outerDst, innerDst] = r["ip.dst"]!.split(",");
            // Outer addresses are NBMA (169.254/16) unicast; one end is always the hub (169.254.105.5).
            expect(outerDst, where).toMatch(/^169\.254\.\d+\.\d+$/);
            expect([outerSrc, outerDst].includes("169.254.105.5"), where).toBe(true);
            expect(innerDst, where).toMatch(/^(224\.0\.0\.[56]|10\.1\.1\.\d+)$/);
          }
        }
      }
      expect(types.get("3")).toBeGreaterThanOrEqual(4); // a registration request per spoke (at least)
      expect(types.get("4")).toBeGreaterThanOrEqual(4);
      expect(types.get("1")).toBeGreaterThanOrEqual(2); // R1 -> hub, hub -> R3 (forwarded)
      expect(types.get("2")).toBeGreaterThanOrEqual(1); // R3 -> R1 directly
      expect(ospfOverGre).toBeGreaterThan(20);
      // The password rides in the authentication extension (SPI 1, "donttell").
      const auth = spawnSync("tshark", ["-r", join(dir, "R1-PE1.pcap"), "-Y", "nhrp.hdr.op.type == 3", "-x"], {
        encoding: "utf8",
      });
      expect(auth.stdout).toContain("donttell");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test("dmvpn-phase1: RIP and NHRP in GRE decode cleanly, hub to spokes only", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wanlab-cap-dmvpn1-"));
    try {
      const result = await runScenario("dmvpn-phase1", { workers: 0, seed: 2, captureDir: dir, print: () => {} });
      expect(result.ok).toBe(true);
      let rip = 0;
      let registrations = 0;
      for (const f of readdirSync(dir).filter((x) => x.endsWith(".pcap"))) {
        const rows = tsharkFields(join(dir, f), [
          "frame.number",
          "frame.protocols",
          "_ws.malformed",
          "_ws.expert.severity",
          "ip.src",
          "ip.dst",
          "nhrp.hdr.op.type",
        ]);
        for (const r of rows) {
          const where = `${f} frame ${r["frame.number"]}: ${r["frame.protocols"]}`;
          expect(r["_ws.malformed"], where).toBe("");
          for (const s of r["_ws.expert.severity"]!.split(",").filter(Boolean))
            expect(Number(s), where).toBeLessThan(WARN_SEVERITY);
          if (r["frame.protocols"]!.endsWith(":gre:ip:udp:rip")) {
            rip++;
            const [outerSrc] = r["ip.src"]!.split(",");
            const [outerDst] = r["ip.dst"]!.split(",");
            expect([outerSrc, outerDst].includes("169.254.105.5"), where).toBe(true);
          }
          if (r["nhrp.hdr.op.type"] === "3") registrations++;
        }
      }
      expect(rip).toBeGreaterThan(20);
      expect(registrations).toBeGreaterThanOrEqual(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test("dmvpn-phase3: traffic indications decode with the offending datagram inside", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wanlab-cap-dmvpn3-"));
    try {
      const result = await runScenario("dmvpn-phase3", { workers: 0, seed: 4, captureDir: dir, print: () => {} });
      expect(result.ok).toBe(true);
      let indications = 0;
      for (const f of readdirSync(dir).filter((x) => x.endsWith(".pcap"))) {
        const rows = tsharkFields(join(dir, f), [
          "frame.number",
          "frame.protocols",
          "_ws.malformed",
          "_ws.expert.severity",
          "nhrp.hdr.op.type",
          "ip.src",
          "ip.dst",
        ]);
        for (const r of rows) {
          const where = `${f} frame ${r["frame.number"]}: ${r["frame.protocols"]}`;
          expect(r["_ws.malformed"], where).toBe("");
          for (const s of r["_ws.expert.severity"]!.split(",").filter(Boolean))
            expect(Number(s), where).toBeLessThan(WARN_SEVERITY);
          if (r["nhrp.hdr.op.type"] !== "8") continue;
          indications++;
          // Outer: hub to spoke; inside the indication, a datagram between two spokes' networks.
          expect(r["frame.protocols"], where).toMatch(/:gre:nhrp:ip:(icmp|udp)/);
          const dsts = r["ip.dst"]!.split(",");
          expect(r["ip.src"]!.split(",")[0], where).toBe("169.254.105.5");
          expect(dsts[1], where).toMatch(/^150\.1\.[1-4]\.[1-4]$/);
        }
      }
      expect(indications).toBeGreaterThanOrEqual(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
