// RIP version 1 (RFC 2453 3.6 and RFC 1058: no masks, classful) between two
// routers left at IOS's default version (send 1, receive 1 and 2): a subnet
// of the link's major network with the link's mask is sent as is and the
// receiver applies its interface's mask; one with another mask is not sent;
// another major network goes out as its classful network. The capture holds
// only version 1 responses, broadcast to 255.255.255.255.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../../actors/index.ts";
import { PcapDirectorySink } from "../../../src/capture/lab-capture.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { formatIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { parseRip } from "../../../src/wire/rip.ts";
import { readPcap } from "../../capture/pcap-read.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-rip-v1-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TOPOLOGY = {
  devices: { R6: "router", R7: "router" },
  links: [{ name: "R6-R7", a: "R6 GigabitEthernet0/0", b: "R7 GigabitEthernet0/0", latencyMs: 1 }],
};

const CONFIGS = {
  R6: `hostname R6
interface Loopback0
 ip address 10.6.6.1 255.255.255.0
interface Loopback1
 ip address 10.6.7.1 255.255.255.128
interface Loopback2
 ip address 172.16.6.1 255.255.255.0
interface GigabitEthernet0/0
 ip address 10.0.67.6 255.255.255.0
 no shutdown
router rip
 network 10.0.0.0
 network 172.16.0.0
end
`,
  R7: `hostname R7
interface GigabitEthernet0/0
 ip address 10.0.67.7 255.255.255.0
 no shutdown
router rip
 network 10.0.0.0
end
`,
};

let routes = "";
const seen: Array<{ dst: string; version: number; entries: string[] }> = [];

beforeAll(async () => {
  const spec = buildLabSpec("rip-v1", "rip-v1", TOPOLOGY, CONFIGS, 1);
  const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories, capture: new PcapDirectorySink(root) });
  try {
    await lab.run(60e9);
    routes = (await lab.command("R7", "show ip route rip")).output;
  } finally {
    lab.close();
  }
  for (const p of readPcap(readFileSync(join(root, "R6-R7.pcap"))).packets) {
    if (p.bytes[12] !== 0x08 || p.bytes[13] !== 0x00 || p.bytes[23] !== 17) continue;
    const dst = formatIpv4Address(
      ((p.bytes[30]! << 24) | (p.bytes[31]! << 16) | (p.bytes[32]! << 8) | p.bytes[33]!) >>> 0,
    );
    const m = parseRip(p.bytes.subarray(14 + (p.bytes[14]! & 0x0f) * 4 + 8));
    if (!m.ok || m.value.command !== "response") continue;
    seen.push({
      dst,
      version: m.value.version,
      entries: m.value.entries.map((e) => `${formatIpv4Address(e.address)} ${formatIpv4Address(e.mask)} ${e.metric}`),
    });
  }
}, 60_000);

describe("RIP version 1", () => {
  test("classful: the link's mask for its major network's subnets, the classful mask for other networks", () => {
    expect(routes).toMatch(/R\s+10\.6\.6\.0\/24 \[120\/1\] via 10\.0\.67\.6/);
    expect(routes).toMatch(/R\s+172\.16\.0\.0\/16 \[120\/1\] via 10\.0\.67\.6/);
    // A /25 of the link's major network cannot be told apart without a mask: v1 leaves it out.
    expect(routes).not.toContain("10.6.7.");
  });

  test("on the wire: version 1 responses broadcast, zero masks", () => {
    const fromR6 = seen.filter((s) => s.entries.some((e) => e.startsWith("10.6.6.0")));
    expect(fromR6.length).toBeGreaterThan(1);
    for (const s of seen) {
      expect(s.version).toBe(1);
      if (s.dst !== "255.255.255.255") expect(s.dst).toMatch(/^10\.0\.67\.[67]$/); // answers to requests
      for (const e of s.entries) expect(e).toMatch(/ 0\.0\.0\.0 \d+$/);
    }
    expect(seen.some((s) => s.dst === "255.255.255.255")).toBe(true);
    expect(fromR6[0]!.entries).toContain("172.16.0.0 0.0.0.0 1");
  });
});
