// The dmvpn-odr scenario with capture on: every CDP frame on the NBMA segment
// (CDP in GRE protocol type 0x2000, with the tunnel key, between the spokes'
// point-to-point tunnels and the hub's mGRE) decodes in tshark as GRE carrying
// CDP with a good checksum, no Malformed layer and no expert warning; the
// spokes' advertisements carry their connected prefixes (IP Prefix item) and
// the hub's carry the ODR default gateway 10.1.1.5.

import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import { PcapDirectorySink } from "../../src/capture/lab-capture.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";
import { runSteps } from "../../src/scenario/runner.ts";
import { hasTshark, tsharkFields } from "./pcap-read.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-dmvpn-odr-capture-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
if (!hasTshark && process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");

test.skipIf(!hasTshark)(
  "dmvpn-odr: CDP in GRE decodes cleanly, with the stubs' prefixes and the hub's default gateway",
  async () => {
    const scenario = loadScenario("dmvpn-odr");
    const lab = await Lab.create(scenario.lab, {
      workers: 0,
      factories: deviceFactories,
      capture: new PcapDirectorySink(root),
    });
    try {
      const result = await runSteps(scenario.name, lab, scenario.steps, () => {});
      expect(result.failure).toBeUndefined();
    } finally {
      lab.close();
    }
    const files = readdirSync(root).filter((f) => f.endsWith(".pcap"));
    const rows = files.flatMap((f) =>
      tsharkFields(
        join(root, f),
        ["frame.protocols", "gre.key", "cdp.checksum.status", "cdp.deviceid", "_ws.malformed", "_ws.expert.severity"],
        { filter: "cdp" },
      ),
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      expect(r["frame.protocols"]).toBe("eth:ethertype:ip:gre:cdp");
      expect(Number(r["gre.key"])).toBe(100000);
      expect(r["cdp.checksum.status"]).toBe("1");
      expect(r["_ws.malformed"]).toBe("");
      for (const s of (r["_ws.expert.severity"] ?? "").split(",").filter((x) => x !== ""))
        expect(Number(s)).toBeLessThan(6291456);
    }
    const ids = new Set(rows.map((r) => r["cdp.deviceid"]));
    expect([...ids].sort()).toEqual(["R1", "R2", "R3", "R4", "R5"]);
    const verbose = files
      .map((f) => new TextDecoder().decode(Bun.spawnSync(["tshark", "-r", join(root, f), "-n", "-V", "cdp"]).stdout))
      .join("");
    expect(verbose).toContain("IP Prefix: 150.1.1.0/24");
    expect(verbose).toContain("ODR Default gateway: 10.1.1.5");
  },
  60_000,
);
