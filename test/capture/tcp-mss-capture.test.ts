// `ip tcp adjust-mss` as Wireshark sees it: the gre-over-ipsec scenario ends
// with an iperf transfer from H1 (behind R1) to H3 (behind R3) after
// `ip tcp adjust-mss 1360` on R1's Tunnel0. tshark reads both host LANs:
//   H1's LAN (before R1's rewrite of the SYN, after its rewrite of the SYN-ACK):
//     SYN MSS 1460 (H1's 1500-byte MTU less 40), SYN-ACK MSS 1360
//   H3's LAN (after the SYN's rewrite, before the SYN-ACK's):
//     SYN MSS 1360, SYN-ACK MSS 1460
// and every data segment carries at most 1360 bytes (IP total length 1400:
// 20 + 20 + 1360, the tunnel's ip mtu 1400), with no malformed frame and no
// expert item of warning severity (no retransmission, no lost segment, no bad
// checksum: the rewrite updated it).

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import { PcapDirectorySink } from "../../src/capture/lab-capture.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";
import { runSteps } from "../../src/scenario/runner.ts";
import { hasTshark, tsharkFields } from "./pcap-read.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-tcp-mss-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FIELDS = [
  "tcp.srcport",
  "tcp.dstport",
  "tcp.flags.syn",
  "tcp.flags.ack",
  "tcp.options.mss_val",
  "tcp.len",
  "ip.len",
  "tcp.checksum.status",
  "_ws.malformed",
  "_ws.expert.severity",
];
/** Wireshark's PI_WARN. */
const PI_WARN = 6291456;

describe.skipIf(!hasTshark)("TCP MSS through ip tcp adjust-mss (gre-over-ipsec)", () => {
  test("the SYN and SYN-ACK carry the rewritten MSS on the far side of R1, and data fits it", async () => {
    const scenario = loadScenario("gre-over-ipsec", 2);
    const dir = join(root, "gre-over-ipsec");
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
    const read = (wire: string) =>
      tsharkFields(join(dir, `${wire}.pcap`), FIELDS, { filter: "tcp", prefs: ["tcp.check_checksum:TRUE"] });
    const mss = (rows: Record<string, string>[], synAck: boolean) =>
      rows
        .filter((r) => r["tcp.flags.syn"] === "1" && r["tcp.flags.ack"] === (synAck ? "1" : "0"))
        .map((r) => Number(r["tcp.options.mss_val"]));
    const h1 = read("R1-H1");
    const h3 = read("R3-H3");
    expect(mss(h1, false)).toEqual([1460]);
    expect(mss(h1, true)).toEqual([1360]);
    expect(mss(h3, false)).toEqual([1360]);
    expect(mss(h3, true)).toEqual([1460]);
    for (const rows of [h1, h3]) {
      const data = rows.filter((r) => r["tcp.dstport"] === "5001" && Number(r["tcp.len"]) > 0);
      expect(data.reduce((n, r) => n + Number(r["tcp.len"]), 0)).toBe(100 * 1024);
      expect(Math.max(...data.map((r) => Number(r["tcp.len"])))).toBe(1360);
      expect(Math.max(...data.map((r) => Number(r["ip.len"])))).toBe(1400);
      for (const r of rows) {
        expect(r["_ws.malformed"]).toBe("");
        expect(r["tcp.checksum.status"]).toBe("1"); // verified good (0 would be bad, 2 unverified)
        for (const s of (r["_ws.expert.severity"] ?? "").split(",").filter(Boolean))
          expect(Number(s)).toBeLessThan(PI_WARN);
      }
    }
  }, 120000);
});
