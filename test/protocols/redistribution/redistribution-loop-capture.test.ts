// The redistribution-loop scenario's captures read by tshark's rip and ospf
// dissectors: nothing malformed or warned; the feedback on the wire (B2
// sending R3's LAN into RIP at metric 1 before the fix, nothing usable after
// it), RIP route tags 110 on what the borders take from OSPF after the fix,
// and both borders' AS-external LSAs for R3's LAN with tag 120, type 2.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../../src/scenario/run-scenario.ts";
import { hasTshark, tsharkFields } from "../../capture/pcap-read.ts";

if (!hasTshark && process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");
const dir = mkdtempSync(join(tmpdir(), "wanlab-redistribution-loop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One RIP entry as seen on a wire: when, from whom, prefix, metric, tag. */
interface Entry {
  t: number;
  src: string;
  prefix: string;
  metric: number;
  tag: number;
}

function ripEntries(file: string): Entry[] {
  const out: Entry[] = [];
  for (const r of tsharkFields(file, ["frame.time_relative", "ip.src", "rip.ip", "rip.metric", "rip.route_tag"], {
    filter: "rip.command == 2",
  })) {
    const ips = r["rip.ip"]!.split(",");
    const metrics = r["rip.metric"]!.split(",");
    const tags = r["rip.route_tag"]!.split(",");
    ips.forEach((prefix, i) =>
      out.push({
        t: Number(r["frame.time_relative"]),
        src: r["ip.src"]!,
        prefix,
        metric: Number(metrics[i]),
        tag: Number(tags[i]),
      }),
    );
  }
  return out;
}

describe.skipIf(!hasTshark)("redistribution-loop captures in Wireshark", () => {
  test("RIP and OSPF decode cleanly; the feedback, the tags and the fix are on the wire", async () => {
    const result = await runScenario("redistribution-loop", { workers: 0, seed: 1, captureDir: dir, print: () => {} });
    expect(result.ok).toBe(true);
    const files = readdirSync(dir).filter((f) => f.endsWith(".pcap"));
    expect(files.sort()).toEqual(["B1-R1.pcap", "B1-R4.pcap", "B2-R1.pcap", "B2-R4.pcap", "R1-R2.pcap", "R2-R3.pcap"]);
    let rip = 0;
    let ospf = 0;
    for (const f of files) {
      const rows = tsharkFields(
        join(dir, f),
        ["frame.number", "frame.protocols", "_ws.malformed", "_ws.expert.severity"],
        {
          filter: "rip || ospf",
        },
      );
      for (const r of rows) {
        const where = `${f} frame ${r["frame.number"]}`;
        expect(r["_ws.malformed"], where).toBe("");
        for (const s of (r["_ws.expert.severity"] ?? "").split(",").filter((x) => x !== ""))
          expect(Number(s), where).toBeLessThan(0x00600000);
        if (r["frame.protocols"]!.endsWith(":rip")) rip++;
        else ospf++;
      }
    }
    expect(rip).toBeGreaterThan(50);
    expect(ospf).toBeGreaterThan(50);

    // B2 to R1: R3's LAN at metric 1 (the E2 route fed back) only between its redistribution and the fix;
    // after the fix it is only ever withdrawn (16); OSPF's routes go with tag 110.
    const fromB2 = ripEntries(join(dir, "B2-R1.pcap")).filter((e) => e.src === "172.16.21.2");
    const lan = fromB2.filter((e) => e.prefix === "172.16.3.0");
    const fedBack = lan.filter((e) => e.metric === 1);
    expect(fedBack.length).toBeGreaterThan(0);
    const lastFed = Math.max(...fedBack.map((e) => e.t));
    const after = lan.filter((e) => e.t > lastFed);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((e) => e.metric === 16)).toBe(true);
    const ospfRoutes = fromB2.filter((e) => e.prefix === "10.4.4.4" && e.t > lastFed && e.metric < 16);
    expect(ospfRoutes.length).toBeGreaterThan(0);
    expect(ospfRoutes.every((e) => e.tag === 110)).toBe(true);

    // R4 hears R3's LAN from both borders at the end: type-5, E2 (E bit), tag 120.
    const lsas = tsharkFields(
      join(dir, "B2-R4.pcap"),
      ["ospf.advrouter", "ospf.lsa.id", "ospf.lsa.asext.extrttag", "ospf.lsa.asext.type"],
      { filter: "ospf.lsa == 5" },
    );
    const tagged = new Set<string>();
    for (const l of lsas) {
      const ids = l["ospf.lsa.id"]!.split(",");
      const advs = l["ospf.advrouter"]!.split(",");
      const tags = l["ospf.lsa.asext.extrttag"]!.split(",");
      const types = l["ospf.lsa.asext.type"]!.split(",");
      ids.forEach((id, i) => {
        if (id === "172.16.3.0" && tags[i] === "120" && types[i] === "1") tagged.add(advs[i]!);
      });
    }
    expect([...tagged].sort()).toEqual(["1.1.1.1", "2.2.2.2"]);
  }, 120_000);
});
