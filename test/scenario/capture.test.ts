// Captures of whole labs decode cleanly in Wireshark: one pcap per wire,
// Ethernet wires as Ethernet, serial wires as Cisco HDLC, no malformed packet
// and no expert item at warning level or above.
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../src/scenario/run-scenario.ts";

const tshark = spawnSync("tshark", ["--version"]).status === 0;
if (!tshark) {
  if (process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");
  console.warn("note: tshark not installed, skipping the lab capture decode test");
}
const WARN_SEVERITY = 0x00600000;

function decode(path: string): string[][] {
  const r = spawnSync(
    "tshark",
    [
      "-r",
      path,
      "-n",
      "-o",
      "ip.check_checksum:TRUE",
      "-o",
      "udp.check_checksum:TRUE",
      "-T",
      "fields",
      "-E",
      "separator=|",
      "-e",
      "frame.number",
      "-e",
      "frame.protocols",
      "-e",
      "_ws.expert.severity",
      "-e",
      "_ws.expert.message",
    ],
    { encoding: "utf8" },
  );
  expect(r.status).toBe(0);
  return r.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split("|"));
}

describe.skipIf(!tshark)("lab captures in Wireshark", () => {
  for (const [name, expected] of [
    ["basic-ping", "chdlc:ip:icmp"],
    ["mtu-sweep", "eth:ethertype:arp"],
  ] as const) {
    test(`${name}: every frame of every wire decodes`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `wanlab-cap-${name}-`));
      const result = await runScenario(name, { workers: 2, captureDir: dir });
      expect(result.ok).toBe(true);
      const files = readdirSync(dir).filter((f) => f.endsWith(".pcap"));
      expect(files.length).toBeGreaterThanOrEqual(2);
      const stacks = new Set<string>();
      let frames = 0;
      for (const f of files) {
        for (const [num, stack, severities, messages] of decode(join(dir, f))) {
          const where = `${f} frame ${num}: ${stack} ${messages}`;
          expect(stack, where).not.toContain("malformed");
          for (const s of (severities ?? "").split(",").filter(Boolean))
            expect(Number(s), where).toBeLessThan(WARN_SEVERITY);
          stacks.add(stack!);
          frames++;
        }
      }
      expect(frames).toBeGreaterThan(10);
      expect([...stacks].some((s) => s.startsWith(expected))).toBe(true);
    });
  }
});
