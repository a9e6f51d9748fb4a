// The dmvpn-ipsec lab's captures in Wireshark, with the key tables the
// capture writes (esp_sa, ikev1_decryption_table) as tshark's configuration:
// on the hub's and R1's access links nothing is malformed and no expert item
// reaches warning level; GRE never travels in the clear (crypto first: NHRP
// and EIGRP only ever leave inside ESP); every ESP frame's ICV checks with
// its esp-md5-hmac key and the payload decrypts (3DES) to GRE directly, as
// transport mode carries it, holding NHRP registrations and EIGRP; R1's link
// carries the on-demand R1-R3 SA's ESP with the pings inside, which the hub's
// link never sees. R4's main mode under its wrong key is the one thing that
// does not decode (tshark holds the hub's keys for it).

import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../src/scenario/run-scenario.ts";
import { hasTshark, tsharkFields } from "./pcap-read.ts";

// tshark prints expert severities as numbers (epan/proto.h): warn 0x600000.
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
  "nhrp.hdr.op.type",
];
const R1 = "169.254.101.1";
const R3 = "169.254.103.3";
const R4 = "169.254.104.4";

describe.skipIf(!hasTshark)("dmvpn-ipsec captures in Wireshark", () => {
  test("no clear GRE; ESP checks and decrypts to GRE (transport mode) with NHRP, EIGRP and the spoke-to-spoke pings", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wanlab-cap-dmvpn-ipsec-"));
    try {
      const result = await runScenario("dmvpn-ipsec", { workers: 0, seed: 1, captureDir: dir, print: () => {} });
      expect(result.ok).toBe(true);
      const stacks = new Map<string, Array<Record<string, string>>>();
      let wrongKey = 0;
      for (const link of ["R5-PE1", "R1-PE1"]) {
        const rows = tsharkFields(join(dir, `${link}.pcap`), FIELDS, { configDir: dir, prefs: PREFS });
        expect(rows.length, link).toBeGreaterThan(50);
        for (const r of rows) {
          const where = `${link} frame ${r["frame.number"]}: ${r["frame.protocols"]}`;
          const stack = r["frame.protocols"]!;
          // R4's main mode 5 under its wrong key: the table holds the hub's keys for that exchange, so the
          // hub's view of it (garbage after decryption) is all an observer gets, as the hub itself got.
          if (r["ip.src"] === R4 && stack.endsWith(":isakmp") && r["_ws.malformed"] !== "") {
            wrongKey++;
            continue;
          }
          expect(r["_ws.malformed"], where).toBe("");
          for (const s of r["_ws.expert.severity"]!.split(",").filter(Boolean))
            expect(Number(s), where).toBeLessThan(WARN_SEVERITY);
          if (stack.includes(":gre")) expect(stack, where).toContain(":esp:gre");
          if (stack.includes(":esp")) {
            expect(r["esp.icv_good"], where).toBe("1");
            expect(stack, where).toContain(":esp:gre:");
          }
        }
        stacks.set(link, rows);
      }
      expect(wrongKey).toBeGreaterThan(0);
      const hub = stacks.get("R5-PE1")!;
      const registrations = hub.filter(
        (r) => r["frame.protocols"]!.includes(":esp:gre:nhrp") && r["nhrp.hdr.op.type"] === "3",
      );
      // Each spoke registers; R4 only after its key is fixed.
      const registered = new Set(registrations.map((r) => r["ip.src"]!.split(",")[0]));
      expect([...registered].sort()).toEqual(["169.254.101.1", "169.254.102.2", "169.254.103.3", "169.254.104.4"]);
      expect(hub.some((r) => r["frame.protocols"]!.includes(":esp:gre:ip:eigrp"))).toBe(true);
      // The outer header is the first of ip.src/ip.dst (the overlay's comes after, inside GRE).
      const spokeToSpoke = (r: Record<string, string>) => {
        const [src, dst] = [r["ip.src"]!.split(",")[0], r["ip.dst"]!.split(",")[0]];
        return r["frame.protocols"]!.includes(":esp:") && ((src === R1 && dst === R3) || (src === R3 && dst === R1));
      };
      expect(hub.filter(spokeToSpoke)).toEqual([]);
      const direct = stacks.get("R1-PE1")!.filter(spokeToSpoke);
      expect(direct.filter((r) => r["frame.protocols"]!.includes(":esp:gre:ip:icmp")).length).toBeGreaterThanOrEqual(
        10,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
