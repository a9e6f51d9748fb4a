// getvpn-multicast-rekey's LAN in Wireshark: the key server's multicast
// GROUPKEY-PUSH (ISAKMP exchange 33 on UDP 848) goes to 239.192.1.190 from
// KS1's address, three times per rekey (the rekey and `rekey retransmit`'s two
// copies; the manual rekey and the one scheduled before the 300 s TEK expires),
// no member answers it with an acknowledgement (until the scenario goes back to
// unicast rekeys, which are acknowledged), and nothing is malformed.

import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../src/scenario/run-scenario.ts";
import { hasTshark } from "./pcap-read.ts";

const FIELDS = ["ip.src", "ip.dst", "ip.ttl", "isakmp.exchangetype", "_ws.malformed"];

function rows(file: string, dir: string): Array<Record<string, string>> {
  const args = ["-r", file, "-n", "-d", "udp.port==848,isakmp", "-Y", "udp.port==848", "-T", "fields"];
  args.push("-E", "separator=\t", "-E", "occurrence=f");
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

describe.skipIf(!hasTshark)("getvpn-multicast-rekey captures in Wireshark", () => {
  test("the multicast GROUPKEY-PUSH decodes, goes to 239.192.1.190 with TTL 1 and is never acknowledged", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wanlab-cap-getvpn-mcast-"));
    try {
      const result = await runScenario("getvpn-multicast-rekey", {
        workers: 0,
        seed: 1,
        captureDir: dir,
        print: () => {},
      });
      expect(result.ok).toBe(true);
      const lan = readdirSync(dir).find((f) => f.startsWith("LAN") && f.endsWith(".pcap"));
      expect(lan).toBeDefined();
      const all = rows(join(dir, lan!), dir);
      for (const r of all) expect(r["_ws.malformed"]).toBe("");
      const pushes = all.filter((r) => r["isakmp.exchangetype"] === "33");
      const multicast = pushes.filter((r) => r["ip.dst"] === "239.192.1.190");
      expect(multicast.length).toBeGreaterThanOrEqual(3);
      expect(multicast.length % 3).toBe(0);
      for (const r of multicast) {
        expect(r["ip.src"]).toBe("10.1.1.1");
        expect(r["ip.ttl"]).toBe("1");
      }
      // No acknowledgement (a GROUPKEY-PUSH from a member to the key server) while rekeys are multicast; the
      // scenario's last part goes back to unicast rekeys, and those are acknowledged.
      const firstUnicast = pushes.findIndex((r) => r["ip.src"] === "10.1.1.1" && r["ip.dst"] !== "239.192.1.190");
      expect(firstUnicast).toBeGreaterThan(0);
      expect(pushes.slice(0, firstUnicast).filter((r) => r["ip.dst"] === "10.1.1.1")).toEqual([]);
      expect(pushes.slice(firstUnicast).filter((r) => r["ip.dst"] === "10.1.1.1").length).toBeGreaterThan(0);
      // Nor did R1 forward it towards GM3.
      const far = readdirSync(dir).find((f) => f.startsWith("R1-GM3") && f.endsWith(".pcap"));
      expect(far).toBeDefined();
      expect(rows(join(dir, far!), dir).filter((r) => r["ip.dst"] === "239.192.1.190")).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
