// The rip-hub-spoke lab's captures in Wireshark: every frame decodes with no
// Malformed layer and no expert item at warning level or above; RIP travels
// only inside GRE between a spoke and the hub's NBMA address (spokes never
// talk RIP to each other); when the hub stops split horizon it sends a spoke's
// network back into the tunnel with that spoke as the RIPv2 next hop; R8
// never hears a reachable default; and the hub's last updates to a spoke carry the
// default alone (distribute-list prefix DEFAULT-ONLY out Tunnel0).

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../../src/scenario/run-scenario.ts";
import { hasTshark, tsharkFields } from "../../capture/pcap-read.ts";

const HUB_NBMA = "169.254.105.5";
const WARN_SEVERITY = 0x00600000;
const dir = mkdtempSync(join(tmpdir(), "wanlab-rip-hub-spoke-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasTshark)("rip-hub-spoke captures in Wireshark", () => {
  test("RIP in GRE, hub to spokes only, spoke next hops kept, the default alone at the end", async () => {
    const result = await runScenario("rip-hub-spoke", { workers: 0, seed: 3, captureDir: dir, print: () => {} });
    expect(result.ok).toBe(true);
    const files = readdirSync(dir).filter((f) => f.endsWith(".pcap"));
    expect(files.sort()).toEqual(["R1-PE1.pcap", "R2-PE1.pcap", "R3-PE1.pcap", "R5-PE1.pcap", "R5-R8.pcap"]);
    let tunnelled = 0;
    let spokeNextHops = 0;
    for (const f of files) {
      const rows = tsharkFields(join(dir, f), [
        "frame.number",
        "frame.protocols",
        "_ws.malformed",
        "_ws.expert.severity",
        "ip.src",
        "ip.dst",
        "rip.ip",
        "rip.next_hop",
        "rip.metric",
      ]);
      let lastFromHub: string | undefined;
      for (const r of rows) {
        const where = `${f} frame ${r["frame.number"]}: ${r["frame.protocols"]}`;
        expect(r["_ws.malformed"], where).toBe("");
        for (const s of r["_ws.expert.severity"]!.split(",").filter(Boolean))
          expect(Number(s), where).toBeLessThan(WARN_SEVERITY);
        if (!r["frame.protocols"]!.endsWith(":udp:rip")) continue;
        const prefixes = r["rip.ip"]!.split(",");
        const metrics = r["rip.metric"]!.split(",");
        if (f === "R5-R8.pcap") {
          expect(r["frame.protocols"], where).not.toContain(":gre:");
          // Only the withdrawal when the hub stops originating may name it (metric 16, as to every interface).
          prefixes.forEach((p, i) => {
            if (p === "0.0.0.0") expect(metrics[i], where).toBe("16");
          });
          continue;
        }
        expect(r["frame.protocols"], where).toContain(":gre:ip:udp:rip");
        tunnelled++;
        const [outerSrc] = r["ip.src"]!.split(",");
        const [outerDst] = r["ip.dst"]!.split(",");
        expect([outerSrc, outerDst], where).toContain(HUB_NBMA);
        if (outerSrc !== HUB_NBMA) continue;
        lastFromHub = r["rip.ip"];
        // A reachable spoke network the hub passes on keeps its spoke as next hop, never the hub.
        const hops = r["rip.next_hop"]!.split(",");
        prefixes.forEach((p, i) => {
          const spoke = /^150\.1\.([123])\.0$/.exec(p);
          if (spoke === null || metrics[i] === "16") return;
          expect(hops[i], `${where} ${p}`).toBe(`10.1.1.${spoke[1]}`);
          spokeNextHops++;
        });
      }
      if (f !== "R5-R8.pcap" && f !== "R5-PE1.pcap") expect(lastFromHub, f).toBe("0.0.0.0");
    }
    expect(tunnelled).toBeGreaterThan(30);
    expect(spokeNextHops).toBeGreaterThan(0);
  }, 120_000);
});
