// The `capture` step: a scenario that asks for captures gets one pcap per wire.
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../src/scenario/run-scenario.ts";
import { parseSteps, StepsError } from "../../src/scenario/steps.ts";

describe("capture step", () => {
  test("writes a pcap for each wire that carried frames", async () => {
    const root = mkdtempSync(join(tmpdir(), "wanlab-capstep-"));
    const folder = join(root, "two-routers");
    mkdirSync(folder);
    writeFileSync(
      join(folder, "topology.json"),
      JSON.stringify({
        description: "two routers",
        devices: { A: "router", B: "router" },
        links: [{ name: "A-B", a: "A Serial0/0", b: "B Serial0/0" }],
      }),
    );
    writeFileSync(join(folder, "A.cfg"), "interface Serial0/0\n ip address 10.0.0.1 255.255.255.0\n");
    writeFileSync(join(folder, "B.cfg"), "interface Serial0/0\n ip address 10.0.0.2 255.255.255.0\n");
    writeFileSync(
      join(folder, "steps.txt"),
      "capture\nwait 1s\nA# ping 10.0.0.2\nexpect Success rate is 100 percent\n",
    );
    const out = join(root, "out");
    let transcript = "";
    const result = await runScenario(folder, { workers: 0, captureDir: out, print: (t) => (transcript += t) });
    expect(result.ok).toBe(true);
    expect(transcript).toContain(`capture: every wire of this lab is written to ${out}`);
    expect(readdirSync(out)).toEqual(["A-B.pcap"]);
    // 24-byte header + 10 ICMP frames of 104 bytes with 16-byte record headers.
    expect(statSync(join(out, "A-B.pcap")).size).toBe(24 + 10 * (16 + 104));
  });
  test("takes no argument", () => {
    expect(() => parseSteps("steps.txt", "capture here\n")).toThrow(StepsError);
  });
});
