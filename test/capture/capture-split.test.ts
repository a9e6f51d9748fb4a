// --capture-split vlan: a trunk segment's tagged frames go to one pcap per
// VLAN, so the IKE messages the trunk carries on three VLANs appear once per
// file and Wireshark's IKEv1 decryption reads them all (the whole-wire
// capture shows 18 of them as [Malformed Packet]).

import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { frameVlan } from "../../src/capture/lab-capture.ts";
import { runScenario } from "../../src/scenario/run-scenario.ts";
import { hasTshark, readPcap } from "./pcap-read.ts";

describe("capture split by VLAN", () => {
  test("one pcap per VLAN of the trunk, each holding only its VLAN; IKEv1 decrypts without malformed packets", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wanlab-split-"));
    try {
      const result = await runScenario("ipsec-crypto-map", { captureDir: dir, captureSplit: "vlan" });
      expect(result.ok).toBe(true);
      const files = readdirSync(dir).filter((f) => f.startsWith("SW1"));
      expect(files).not.toContain("SW1.pcap");
      expect(files.length).toBeGreaterThanOrEqual(3);
      for (const f of files) {
        const vid = Number(/\.vlan(\d+)\.pcap$/.exec(f)?.[1]);
        const { packets } = readPcap(readFileSync(join(dir, f)));
        expect(packets.length).toBeGreaterThan(0);
        for (const p of packets) expect(frameVlan(p.bytes)).toBe(vid);
      }
      if (hasTshark) {
        let isakmp = 0;
        for (const f of files) {
          const out = spawnSync("tshark", ["-r", join(dir, f), "-n"], {
            env: { ...process.env, WIRESHARK_CONFIG_DIR: dir },
          }).stdout.toString();
          expect(out).not.toContain("Malformed");
          isakmp += out.split("\n").filter((l) => l.includes("ISAKMP")).length;
        }
        expect(isakmp).toBeGreaterThan(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
