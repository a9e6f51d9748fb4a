// The getvpn-coop lab's key server links in Wireshark, with the IKEv1 keys the
// capture writes: the COOP SA's main mode on UDP 848, then the ANNOUNCE
// messages (exchange type 240, wanlab's format: src/wire/gdoi-coop.ts), which
// tshark decrypts with the phase-1 keys and walks as HASH, ANNOUNCE (private
// use 128) and SYNC (129); both servers send them, and nothing is malformed
// or reaches warning severity.

import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../src/scenario/run-scenario.ts";
import { hasTshark } from "./pcap-read.ts";

const WARN_SEVERITY = 0x00600000;
const FIELDS = [
  "frame.number",
  "ip.src",
  "isakmp.exchangetype",
  "isakmp.typepayload",
  "_ws.malformed",
  "_ws.expert.severity",
];

function rows(dir: string, pcap: string): Array<Record<string, string>> {
  const args = ["-r", join(dir, pcap), "-n", "-d", "udp.port==848,isakmp", "-T", "fields"];
  args.push("-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,");
  for (const f of FIELDS) args.push("-e", f);
  const r = spawnSync("tshark", args, { encoding: "utf8", env: { ...process.env, WIRESHARK_CONFIG_DIR: dir } });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((line) => {
      const cols = line.split("\t");
      return Object.fromEntries(FIELDS.map((f, i) => [f, cols[i] ?? ""]));
    });
}

describe.skipIf(!hasTshark)("getvpn-coop captures in Wireshark", () => {
  test("COOP's SA and ANNOUNCE messages decrypt and decode; nothing malformed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wanlab-cap-getvpn-coop-"));
    try {
      const result = await runScenario("getvpn-coop", { workers: 0, seed: 1, captureDir: dir, print: () => {} });
      expect(result.ok).toBe(true);
      for (const link of ["P-KS1", "P-KS2"]) {
        const all = rows(dir, `${link}.pcap`);
        for (const r of all) {
          const where = `${link} frame ${r["frame.number"]}`;
          expect(r["_ws.malformed"], where).toBe("");
          for (const s of r["_ws.expert.severity"]!.split(",").filter(Boolean))
            expect(Number(s), where).toBeLessThan(WARN_SEVERITY);
        }
        const announces = all.filter((r) => r["isakmp.exchangetype"] === "240");
        // Decrypted with the phase-1 keys: HASH, ANNOUNCE, SYNC.
        for (const r of announces) expect(r["isakmp.typepayload"], link).toBe("8,128,129");
        const senders = new Set(announces.map((r) => r["ip.src"]));
        expect([...senders].sort(), link).toEqual(["192.168.111.111", "192.168.222.222"]);
        // Main mode between the servers came first (exchange 2 on 848, before the first ANNOUNCE).
        const first240 = all.findIndex((r) => r["isakmp.exchangetype"] === "240");
        expect(all.slice(0, first240).some((r) => r["isakmp.exchangetype"] === "2")).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
