// A named-mode router next to a classic one (as during a migration): they
// form an adjacency, since both send the classic metric TLVs, and each ranks
// what it hears with its own formula. R2 (classic `router eigrp 1`) hears
// R1's loopback with named mode's 1.25 µs (32 units of 10 µs / 256) and
// 8 Gbit/s (scaled bandwidth 320): reported distance 256 + 32 = 288 (classic
// keeps whole multiples of 256 of the bandwidth), plus its Gig's 2560 + 256:
// 2848. R1 (named) hears R2's loopback with classic's 5000 µs (128000 units):
// reported 256 × 320 + 2560 × 128000 = 327761920; over the Gig the throughput
// becomes 256 × 2560 = 655360 and the latency 2560 × 128256 = 328335360, wide
// 328990720, RIB 328990720 / 128 = 2570240.

import { beforeAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const SEC = 1e9;
const TOPOLOGY = {
  devices: { R1: "router", R2: "router" },
  links: [{ name: "R1-R2", a: "R1 GigabitEthernet0/0", b: "R2 GigabitEthernet0/0", latencyMs: 1 }],
};

const base = (n: number): string[] => [
  `hostname R${n}`,
  "interface Loopback0",
  ` ip address 10.255.0.${n} 255.255.255.255`,
  "interface GigabitEthernet0/0",
  ` ip address 10.0.12.${n} 255.255.255.0`,
  " no shutdown",
];

const CONFIGS = {
  R1: [
    ...base(1),
    "router eigrp MIGRATE",
    " address-family ipv4 unicast autonomous-system 1",
    "  network 10.0.0.0",
    "  eigrp router-id 1.1.1.1",
    "end",
    "",
  ].join("\n"),
  R2: [...base(2), "router eigrp 1", " network 10.0.0.0", "end", ""].join("\n"),
};

const snap: Record<string, string> = {};
beforeAll(async () => {
  const lab = await Lab.create(buildLabSpec("eigrp-mixed", "eigrp-mixed", TOPOLOGY, CONFIGS, 1), {
    workers: 0,
    factories: deviceFactories,
  });
  const cmd = async (d: string, line: string) => (await lab.command(d, line)).output;
  try {
    await lab.run(20 * SEC);
    snap.r1 = await cmd("R1", "show ip route eigrp");
    snap.r1topo = await cmd("R1", "show ip eigrp topology");
    snap.r2 = await cmd("R2", "show ip route eigrp");
    snap.r2topo = await cmd("R2", "show ip eigrp topology");
    snap.r2nbr = await cmd("R2", "show ip eigrp neighbors");
  } finally {
    lab.close();
  }
}, 60_000);

describe("eigrp named mode next to classic", () => {
  test("the adjacency forms both ways", () => {
    expect(snap.r2nbr).toContain("EIGRP-IPv4 Neighbors for AS(1)");
    expect(snap.r2nbr).toContain("10.0.12.1");
    expect(snap.r1topo).toContain("EIGRP-IPv4 VR(MIGRATE) Topology Table for AS(1)/ID(1.1.1.1)");
  });

  test("the classic router ranks the named router's loopback classically", () => {
    expect(snap.r2).toMatch(/D\s+10\.255\.0\.1\/32 \[90\/2848\] via 10\.0\.12\.1/);
    expect(snap.r2topo).toContain("via 10.0.12.1 (2848/288), GigabitEthernet0/0");
  });

  test("the named router ranks the classic router's loopback with wide metrics and scales it into the RIB", () => {
    expect(snap.r1topo).toContain("FD is 328990720");
    expect(snap.r1topo).toContain("via 10.0.12.2 (328990720/327761920), GigabitEthernet0/0");
    expect(snap.r1).toMatch(/D\s+10\.255\.0\.2\/32 \[90\/2570240\] via 10\.0\.12\.2/);
  });
});
