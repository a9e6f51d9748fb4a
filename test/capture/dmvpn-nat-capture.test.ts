// The dmvpn-nat lab's captures in Wireshark (esp_sa and the IKEv1 table as
// tshark's configuration): nothing malformed, no expert item at warning level;
// GRE never in the clear and ESP never bare (NAT-T: always in UDP 4500); the
// outside links never show a private address; on every link every ESP
// frame's ICV checks and decrypts straight to GRE
// (UDP-encapsulated transport mode) with NHRP and EIGRP, and R1's link carries
// the pings of the direct R1-R3 tunnel. The key table names NAT-T SAs by SPI
// alone (their addresses differ on the two sides of a NAT), so the frames
// between the NATs decrypt too.

import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../src/scenario/run-scenario.ts";
import { hasTshark, tsharkFields } from "./pcap-read.ts";

const WARN_SEVERITY = 0x00600000;
const PREFS = ["esp.enable_encryption_decode:TRUE", "esp.enable_authentication_check:TRUE"];
const FIELDS = [
  "frame.number",
  "frame.protocols",
  "_ws.malformed",
  "_ws.expert.severity",
  "ip.src",
  "ip.dst",
  "esp.icv_good",
];
const OUTSIDE = ["R5-PE1", "NAT1-PE1", "NAT3-PE1"];
const DECRYPTED = ["R5-PE1", "R1-NAT1", "NAT1-PE1", "NAT3-PE1", "R3-NAT3"];

describe.skipIf(!hasTshark)("dmvpn-nat captures in Wireshark", () => {
  test("ESP only in UDP 4500, transport mode to GRE, no private address outside, R1-R3 pings direct", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wanlab-cap-dmvpn-nat-"));
    try {
      const result = await runScenario("dmvpn-nat", { workers: 0, seed: 1, captureDir: dir, print: () => {} });
      expect(result.ok).toBe(true);
      const rowsOf = new Map<string, Array<Record<string, string>>>();
      for (const link of [...OUTSIDE, "R1-NAT1", "R3-NAT3"]) {
        const rows = tsharkFields(join(dir, `${link}.pcap`), FIELDS, { configDir: dir, prefs: PREFS });
        expect(rows.length, link).toBeGreaterThan(20);
        for (const r of rows) {
          const where = `${link} frame ${r["frame.number"]}: ${r["frame.protocols"]}`;
          const stack = r["frame.protocols"]!;
          expect(r["_ws.malformed"], where).toBe("");
          for (const s of r["_ws.expert.severity"]!.split(",").filter(Boolean))
            expect(Number(s), where).toBeLessThan(WARN_SEVERITY);
          if (stack.includes(":esp")) expect(stack, where).toContain(":udp:udpencap:esp");
          if (stack.includes(":gre")) expect(stack, where).toContain(":esp:gre:");
          if (OUTSIDE.includes(link) && stack.includes(":ip"))
            for (const a of [r["ip.src"]!.split(",")[0], r["ip.dst"]!.split(",")[0]])
              expect(a, where).toStartWith("169.254.");
          if (stack.includes(":esp")) expect(r["esp.icv_good"], where).toBe("1");
        }
        rowsOf.set(link, rows);
      }
      const count = (link: string, part: string) =>
        rowsOf.get(link)!.filter((r) => r["frame.protocols"]!.includes(part)).length;
      for (const link of DECRYPTED) {
        expect(count(link, ":udpencap:esp:gre:nhrp"), link).toBeGreaterThan(0);
        expect(count(link, ":udpencap:esp:gre:ip:eigrp"), link).toBeGreaterThan(0);
      }
      // R1 <-> R3 pings on R1's private link, GRE between R1 and R3's NAT (never the hub).
      const direct = rowsOf.get("R1-NAT1")!.filter((r) => {
        const [src, dst] = [r["ip.src"]!.split(",")[0], r["ip.dst"]!.split(",")[0]];
        return r["frame.protocols"]!.includes(":esp:gre:ip:icmp") && [src, dst].includes("169.254.103.3");
      });
      expect(direct.length).toBeGreaterThanOrEqual(10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
