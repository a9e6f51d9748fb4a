// distribute-list under router eigrp, as IOS: R1-R2-R3 in a line, R1 with two
// loopbacks. On R2, `distribute-list 10 in GigabitEthernet0/0` (access list 10
// denies 10.1.1.0) keeps R1's Loopback1 out of R2's topology table, so R3
// never hears of it either; `distribute-list prefix NO-LO0 out
// GigabitEthernet0/1` keeps R1's Loopback0 in R2's table and RIB but out of
// what R2 tells R3. `show ip protocols` names the lists per interface,
// running-config keeps the lines, removing the inbound list lets the route
// in from what R1 already sent (no adjacency reset), and a new inbound list
// takes out the path it denies.

import { beforeAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const SEC = 1e9;
const TOPOLOGY = {
  devices: { R1: "router", R2: "router", R3: "router" },
  links: [
    { name: "R1-R2", a: "R1 GigabitEthernet0/0", b: "R2 GigabitEthernet0/0", latencyMs: 1 },
    { name: "R2-R3", a: "R2 GigabitEthernet0/1", b: "R3 GigabitEthernet0/0", latencyMs: 1 },
  ],
};

function router(n: number, links: Array<[string, string]>, before: string[] = [], extra: string[] = []): string {
  const lines = [`hostname R${n}`, ...before, "interface Loopback0", ` ip address 10.255.0.${n} 255.255.255.255`];
  for (const [ifc, a] of links) lines.push(`interface ${ifc}`, ` ip address ${a} 255.255.255.0`, " no shutdown");
  lines.push("router eigrp 1", " network 10.0.0.0", ...extra, "end", "");
  return lines.join("\n");
}

const CONFIGS = {
  R1: router(1, [
    ["GigabitEthernet0/0", "10.0.12.1"],
    ["Loopback1", "10.1.1.1"],
  ]),
  R2: router(
    2,
    [
      ["GigabitEthernet0/0", "10.0.12.2"],
      ["GigabitEthernet0/1", "10.0.23.2"],
    ],
    [
      "access-list 10 deny 10.1.1.0 0.0.0.255",
      "access-list 10 permit any",
      "ip prefix-list NO-LO0 seq 5 deny 10.255.0.1/32",
      "ip prefix-list NO-LO0 seq 10 permit 0.0.0.0/0 le 32",
    ],
    [" distribute-list 10 in GigabitEthernet0/0", " distribute-list prefix NO-LO0 out GigabitEthernet0/1"],
  ),
  R3: router(3, [["GigabitEthernet0/0", "10.0.23.3"]]),
};

const snap: Record<string, string> = {};
beforeAll(async () => {
  const lab = await Lab.create(buildLabSpec("eigrp-dl", "eigrp-dl", TOPOLOGY, CONFIGS, 1), {
    workers: 0,
    factories: deviceFactories,
  });
  const cmd = async (d: string, line: string) => (await lab.command(d, line)).output;
  try {
    await lab.run(20 * SEC);
    snap.r2 = await cmd("R2", "show ip route eigrp");
    snap.r2topo = await cmd("R2", "show ip eigrp topology");
    snap.r3 = await cmd("R3", "show ip route eigrp");
    snap.protocols = await cmd("R2", "show ip protocols");
    snap.config = await cmd("R2", "show running-config | section router eigrp");
    for (const l of ["configure terminal", "router eigrp 1", "no distribute-list 10 in GigabitEthernet0/0", "end"])
      await cmd("R2", l);
    await lab.run(2 * SEC);
    snap.r2after = await cmd("R2", "show ip route eigrp");
    snap.r3after = await cmd("R3", "show ip route eigrp");
    snap.neighbors = await cmd("R2", "show ip eigrp neighbors");
    for (const l of [
      "configure terminal",
      "router eigrp 1",
      "distribute-list prefix NO-LO0 in GigabitEthernet0/0",
      "end",
    ])
      await cmd("R2", l);
    await lab.run(2 * SEC);
    snap.r2denied = await cmd("R2", "show ip eigrp topology");
  } finally {
    lab.close();
  }
}, 60_000);

describe("eigrp distribute-list", () => {
  test("in: a denied route never enters the topology table, so it is not passed on", () => {
    expect(snap.r2).toMatch(/D\s+10\.255\.0\.1\/32 \[90\/130816\] via 10\.0\.12\.1/);
    expect(snap.r2).not.toContain("10.1.1.0");
    expect(snap.r2topo).not.toContain("10.1.1.0");
    expect(snap.r3).not.toContain("10.1.1.0");
  });

  test("out: the route stays on R2 but is not advertised through the filtered interface", () => {
    expect(snap.r2topo).toContain("10.255.0.1/32");
    expect(snap.r3).not.toContain("10.255.0.1");
    expect(snap.r3).toMatch(/D\s+10\.255\.0\.2\/32 \[90\/130816\] via 10\.0\.23\.2/);
    expect(snap.r3).toMatch(/D\s+10\.0\.12\.0\/24 \[90\/3072\] via 10\.0\.23\.2/);
  });

  test("show ip protocols and running-config name the lists", () => {
    expect(snap.protocols).toContain(
      [
        'Routing Protocol is "eigrp 1"',
        "  Outgoing update filter list for all interfaces is not set",
        "    GigabitEthernet0/1 filtered by (prefix-list) NO-LO0 (per-user), default is not set",
        "  Incoming update filter list for all interfaces is not set",
        "    GigabitEthernet0/0 filtered by 10 (per-user), default is not set",
      ].join("\n"),
    );
    expect(snap.config).toContain(" distribute-list 10 in GigabitEthernet0/0\n");
    expect(snap.config).toContain(" distribute-list prefix NO-LO0 out GigabitEthernet0/1\n");
  });

  test("removing the inbound list lets in what the neighbour already sent, without a reset", () => {
    expect(snap.r2after).toMatch(/D\s+10\.1\.1\.0\/24 \[90\/130816\] via 10\.0\.12\.1/);
    expect(snap.r3after).toMatch(/D\s+10\.1\.1\.0\/24 \[90\/131072\] via 10\.0\.23\.2/);
    expect(snap.r3after).not.toContain("10.255.0.1");
    expect(snap.neighbors).toMatch(/0\s+10\.0\.12\.1\s+Gi0\/0\s+\d+ 00:00:2\d/);
  });

  test("a new inbound list takes out the paths it denies", () => {
    expect(snap.r2denied).not.toContain("10.255.0.1/32");
    expect(snap.r2denied).toMatch(/P 10\.1\.1\.0\/24, 1 successors, FD is 130816\n\s+via 10\.0\.12\.1 /);
  });
});
