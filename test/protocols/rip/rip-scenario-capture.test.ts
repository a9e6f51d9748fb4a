// Every RIP packet of the rip-basic scenario's captures, checked by tshark's
// rip dissector: version 2 from UDP 520, to 224.0.0.9 but for the answers to requests,
// no Malformed layer, no expert item at warning level or above, and no more
// than the timers explain (a regular update per interface every 25.5-30 s,
// triggered updates on changes).

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../../src/scenario/run-scenario.ts";
import { hasTshark, tsharkFields } from "../../capture/pcap-read.ts";

if (!hasTshark && process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");
const dir = mkdtempSync(join(tmpdir(), "wanlab-rip-basic-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasTshark)("rip-basic captures in Wireshark", () => {
  test("every RIP packet on every wire decodes as version 2 from port 520, nothing malformed or warned", async () => {
    const result = await runScenario("rip-basic", { workers: 0, seed: 1, captureDir: dir, print: () => {} });
    expect(result.ok).toBe(true);
    const files = readdirSync(dir).filter((f) => f.endsWith(".pcap"));
    expect(files.sort()).toEqual(["LAN1.pcap", "R1-R2.pcap", "R1-R3.pcap", "R2-R3.pcap"]);
    let packets = 0;
    let unicastAnswers = 0;
    const commands = new Set<string>();
    for (const f of files) {
      const rows = tsharkFields(
        join(dir, f),
        ["frame.number", "rip.version", "rip.command", "ip.dst", "udp.srcport", "_ws.malformed", "_ws.expert.severity"],
        { filter: "rip" },
      );
      for (const r of rows) {
        const where = `${f} frame ${r["frame.number"]}`;
        expect(r["_ws.malformed"], where).toBe("");
        for (const s of (r["_ws.expert.severity"] ?? "").split(",").filter((x) => x !== ""))
          expect(Number(s), where).toBeLessThan(0x00600000);
        expect([r["rip.version"], r["udp.srcport"]], where).toEqual(["2", "520"]);
        // Requests and updates go to 224.0.0.9; the answer to a request goes to whoever asked (RFC 2453 3.9.1).
        if (r["ip.dst"] !== "224.0.0.9") {
          expect(r["rip.command"], where).toBe("2");
          unicastAnswers++;
        }
        commands.add(r["rip.command"]!);
      }
      // The passive LAN hears nothing from R1; the others carry about 2 updates a minute each way.
      if (f === "LAN1.pcap") expect(rows).toEqual([]);
      else expect(rows.length, f).toBeLessThan(80);
      packets += rows.length;
    }
    expect(packets).toBeGreaterThan(40);
    expect(unicastAnswers).toBeGreaterThan(0);
    expect([...commands].sort()).toEqual(["1", "2"]);
  }, 120_000);
});
