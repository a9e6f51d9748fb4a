// RIP features beyond the basic lab, on real routers:
//
//   R5 --- R1 ---Serial--- R2 --- LAN (10.0.234.0/24) --- R3, R4
//
// R1 runs version 2 with IOS's default auto-summary: R2 hears 172.16.0.0/16,
// not R1's /24 loopbacks (a different major network than the serial link's
// 10.0.0.0); after `no auto-summary` it hears the /24s, less 172.16.11.0/24,
// which R2's `distribute-list prefix ... in Serial0/0` refuses. R1 has
// `passive-interface default` with `no passive-interface Serial0/0`: R5 hears
// nothing. R2 has `no ip split-horizon` on the LAN: it repeats R4's loopback
// onto the LAN with R4 as the next hop (RFC 2453 4.4), which it would not do
// with split horizon on.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../../actors/index.ts";
import { PcapDirectorySink } from "../../../src/capture/lab-capture.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { formatIpv4Address, lengthFromMask } from "../../../src/wire/ipv4-address.ts";
import { parseRip } from "../../../src/wire/rip.ts";
import { readPcap } from "../../capture/pcap-read.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-rip-policy-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const SEC = 1e9;

const TOPOLOGY = {
  devices: { R1: "router", R2: "router", R3: "router", R4: "router", R5: "router" },
  links: [
    { name: "R1-R2", a: "R1 Serial0/0", b: "R2 Serial0/0", latencyMs: 1 },
    { name: "R1-R5", a: "R1 GigabitEthernet0/1", b: "R5 GigabitEthernet0/0", latencyMs: 1 },
  ],
  segments: [{ name: "LAN", ports: ["R2 GigabitEthernet0/0", "R3 GigabitEthernet0/0", "R4 GigabitEthernet0/0"] }],
};

const lines = (...l: string[]): string => `${l.join("\n")}\nend\n`;
const ifc = (name: string, address: string, ...extra: string[]): string[] => [
  `interface ${name}`,
  ` ip address ${address} 255.255.255.0`,
  ...extra,
  " no shutdown",
];

const CONFIGS = {
  R1: lines(
    "hostname R1",
    ...ifc("Loopback0", "172.16.1.1"),
    ...ifc("Loopback1", "172.16.11.1"),
    ...ifc("Serial0/0", "10.0.12.1"),
    ...ifc("GigabitEthernet0/1", "10.0.15.1"),
    "router rip",
    " version 2",
    " passive-interface default",
    " no passive-interface Serial0/0",
    " network 10.0.0.0",
    " network 172.16.0.0",
  ),
  R2: lines(
    "hostname R2",
    ...ifc("Serial0/0", "10.0.12.2"),
    ...ifc("GigabitEthernet0/0", "10.0.234.2", " no ip split-horizon"),
    "ip prefix-list NOT-11 seq 5 deny 172.16.11.0/24",
    "ip prefix-list NOT-11 seq 10 permit 0.0.0.0/0 le 32",
    "router rip",
    " version 2",
    " network 10.0.0.0",
    " distribute-list prefix NOT-11 in Serial0/0",
    " no auto-summary",
  ),
  R3: lines(
    "hostname R3",
    ...ifc("GigabitEthernet0/0", "10.0.234.3"),
    "router rip",
    " version 2",
    " network 10.0.0.0",
    " no auto-summary",
  ),
  R4: lines(
    "hostname R4",
    ...ifc("Loopback0", "10.4.4.4"),
    ...ifc("GigabitEthernet0/0", "10.0.234.4"),
    "router rip",
    " version 2",
    " network 10.0.0.0",
    " no auto-summary",
  ),
  R5: lines(
    "hostname R5",
    ...ifc("GigabitEthernet0/0", "10.0.15.5"),
    "router rip",
    " version 2",
    " network 10.0.0.0",
    " no auto-summary",
  ),
};

const snap: Record<string, string> = {};
const routes = (show: string): string[] =>
  show
    .split("\n")
    .filter((l) => /^R/.test(l))
    .map((l) => l.replace(/^R\*?\s+/, "").replace(/, \S+$/, ""));

/** R2's updates on the LAN: "prefix/len nexthop metric" per entry. */
const r2OnLan: string[][] = [];

beforeAll(async () => {
  const spec = buildLabSpec("rip-policy", "rip-policy", TOPOLOGY, CONFIGS, 1);
  const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories, capture: new PcapDirectorySink(root) });
  const cmd = async (d: string, line: string) => (await lab.command(d, line)).output;
  try {
    await lab.run(60 * SEC);
    snap["R2 summary"] = await cmd("R2", "show ip route rip");
    snap.R5 = await cmd("R5", "show ip route rip");
    snap.R3 = await cmd("R3", "show ip route rip");
    for (const l of ["configure terminal", "router rip", "no auto-summary", "end"]) await cmd("R1", l);
    await lab.run(35 * SEC);
    snap["R2 subnets"] = await cmd("R2", "show ip route rip");
  } finally {
    lab.close();
  }
  const { packets } = readPcap(readFileSync(join(root, "LAN.pcap")));
  for (const p of packets) {
    if (p.bytes[12] !== 0x08 || p.bytes[13] !== 0x00 || p.bytes[14 + 9] !== 17) continue;
    const src = formatIpv4Address(
      ((p.bytes[26]! << 24) | (p.bytes[27]! << 16) | (p.bytes[28]! << 8) | p.bytes[29]!) >>> 0,
    );
    const udp = p.bytes.subarray(14 + (p.bytes[14]! & 0x0f) * 4);
    const m = parseRip(udp.subarray(8));
    if (src !== "10.0.234.2" || !m.ok || m.value.command !== "response") continue;
    r2OnLan.push(
      m.value.entries.map(
        (e) => `${formatIpv4Address(e.address)}/${lengthFromMask(e.mask)} ${formatIpv4Address(e.nextHop)} ${e.metric}`,
      ),
    );
  }
}, 60_000);

describe("RIP policy and summarization", () => {
  test("auto-summary (IOS's default): another major network goes out as its classful network", () => {
    expect(routes(snap["R2 summary"]!)).toContain("172.16.0.0/16 [120/1] via 10.0.12.1");
    expect(snap["R2 summary"]).not.toContain("172.16.1.0");
  });

  test("no auto-summary: the subnets, less the one distribute-list prefix in refuses", () => {
    expect(routes(snap["R2 subnets"]!)).toContain("172.16.1.0/24 [120/1] via 10.0.12.1");
    expect(snap["R2 subnets"]).not.toContain("172.16.11.0");
  });

  test("passive-interface default with an exception: only the exception sends", () => {
    expect(routes(snap.R5!)).toEqual([]);
    expect(routes(snap["R2 summary"]!)).toContain("10.0.15.0/24 [120/1] via 10.0.12.1");
  });

  test("no ip split-horizon: R4's loopback goes back onto the LAN it came from, with R4 as the next hop", () => {
    expect(r2OnLan.length).toBeGreaterThan(2);
    expect(r2OnLan.some((u) => u.includes("10.4.4.0/24 10.0.234.4 2"))).toBe(true);
    // R3 still routes straight to R4.
    expect(routes(snap.R3!)).toContain("10.4.4.0/24 [120/1] via 10.0.234.4");
  });
});
