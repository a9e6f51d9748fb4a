// The follow view's one-line summaries, against tshark on a real capture: the
// IKE main mode and quick mode that ipsec-crypto-map's first interesting ping
// brings up on its switch, the ESP after it, ICMP and ARP. Each frame's
// protocol as we name it must be the one tshark names, main mode messages are
// numbered by sender (MM1..MM6), and random bytes never make it throw.

import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { DashboardLab } from "../../src/web/dashboard-lab.ts";
import { FrameSummarizer } from "../../src/web/frame-summary.ts";
import { hasTshark, readPcap, tsharkFields } from "../capture/pcap-read.ts";

test("a capture of IKE, ESP, ICMP and ARP on ipsec-crypto-map's switch, summarized as tshark reads it", async () => {
  const lab = await DashboardLab.start("ipsec-crypto-map", { wallClock: false });
  try {
    const wire = lab.wire("SW1")!;
    lab.captures.start(wire);
    for (const [device, line] of [
      ["R7", "ping 10.0.58.8 source Loopback0"],
      ["R7", "ping 10.0.58.8 source Loopback0"],
      ["R9", "ping 10.0.79.7"],
      ["R10", "ping 10.0.108.8"],
      ["R9", "ping 10.10.10.10 source Loopback0"],
    ] as const)
      await lab.exec(device, line);
    await lab.lab.run(1.5e9);
    const pcap = lab.captures.pcap(wire)!;
    // One summarizer over the whole capture numbers main mode by sender.
    const s = new FrameSummarizer();
    const lines = readPcap(pcap).packets.map((p) => s.summarize("ethernet", p.bytes));
    const mm = lines.filter((l) => l.includes("ISAKMP MM")).map((l) => /MM\d/.exec(l)![0]);
    expect([...new Set(mm)]).toEqual(["MM1", "MM2", "MM3", "MM4", "MM5", "MM6"]);
    expect(lines.find((l) => l.includes("ISAKMP MM1"))).toMatch(/^vlan \d+ ISAKMP MM1 150\.1\.7\.7 > 10\.0\.58\.8$/);
    expect(lines.some((l) => /ISAKMP QM/.test(l))).toBe(true);
    expect(lines.some((l) => /ESP spi 0x[0-9a-f]{8} seq 1 /.test(l))).toBe(true);
    expect(lines).toContainEqual(
      expect.stringMatching(/ICMP echo request 150\.1\.7\.7 > 10\.0\.58\.8 id \d+ seq \d+$/),
    );
    expect(lines.some((l) => /ARP who-has/.test(l))).toBe(true);
    // The follow view holds the last frames, as summarized when they arrived.
    const follow = lab.captures.follow(wire)!;
    expect(follow.map((f) => f.summary)).toEqual(lines.slice(-follow.length));
    if (!hasTshark) return;
    const file = join(mkdtempSync(join(tmpdir(), "wanlab-follow-")), "SW1.pcap");
    writeFileSync(file, pcap);
    const theirs = tsharkFields(file, ["_ws.col.Protocol"]).map((r) => r["_ws.col.Protocol"]!);
    expect(theirs.length).toBe(lines.length);
    lines.forEach((l, i) => {
      const proto = /^(?:vlan \d+ )?(\S+)/.exec(l)![1]!;
      expect(`${i}: ${proto}`).toBe(`${i}: ${theirs[i]}`);
    });
  } finally {
    lab.close();
  }
}, 30_000);

test("random bytes get a line, never an exception", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (bytes, serial) => {
      const line = new FrameSummarizer().summarize(serial ? "serial" : "ethernet", bytes);
      expect(typeof line).toBe("string");
      expect(line.length).toBeGreaterThan(0);
    }),
  );
});
