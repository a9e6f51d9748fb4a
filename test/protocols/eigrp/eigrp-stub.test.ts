// eigrp stub, as IOS: R2 (`eigrp stub`, connected and summary by default)
// sits between R1 and R3. R2 advertises its connected networks but never a
// route it learned, so R1 has R2's loopback and R2-R3's network but not R3's
// loopback; R1 hears R2's stub TLV and never queries it: when R1's Loopback1
// goes (no feasible successor) R1 goes active, asks nobody and is passive at
// once, and R2 has received no query (R2, losing the route too, queries its
// own neighbours as any router does). The running config prints the line,
// and R1's `show ip eigrp neighbors detail` shows R2 as a stub peer.

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

function router(n: number, links: Array<[string, string]>, extra: string[] = []): string {
  const lines = [`hostname R${n}`, "interface Loopback0", ` ip address 10.255.0.${n} 255.255.255.255`];
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
    [" eigrp stub"],
  ),
  R3: router(3, [["GigabitEthernet0/0", "10.0.23.3"]]),
};

const snap: Record<string, string> = {};
beforeAll(async () => {
  const lab = await Lab.create(buildLabSpec("eigrp-stub", "eigrp-stub", TOPOLOGY, CONFIGS, 1), {
    workers: 0,
    factories: deviceFactories,
  });
  const cmd = async (d: string, line: string) => (await lab.command(d, line)).output;
  try {
    await lab.run(20 * SEC);
    snap.r1 = await cmd("R1", "show ip route eigrp");
    snap.r3 = await cmd("R3", "show ip route eigrp");
    snap.config = await cmd("R2", "show running-config | section router eigrp");
    snap.detail = await cmd("R1", "show ip eigrp neighbors detail");
    snap.r2detail = await cmd("R2", "show ip eigrp neighbors detail");
    for (const l of ["configure terminal", "interface Loopback1", "shutdown", "end"]) await cmd("R1", l);
    await lab.run(5 * SEC);
    snap.r1traffic = await cmd("R1", "show ip eigrp traffic");
    snap.r2traffic = await cmd("R2", "show ip eigrp traffic");
    snap.r3after = await cmd("R3", "show ip route eigrp");
  } finally {
    lab.close();
  }
}, 60_000);

describe("eigrp stub", () => {
  test("the stub advertises its connected networks, not what it learned; it learns everything", () => {
    expect(snap.r1).toMatch(/D\s+10\.255\.0\.2\/32 \[90\/130816\] via 10\.0\.12\.2/);
    expect(snap.r1).toMatch(/D\s+10\.0\.23\.0\/24 \[90\/3072\] via 10\.0\.12\.2/);
    expect(snap.r1).not.toContain("10.255.0.3");
    expect(snap.r3).toMatch(/D\s+10\.255\.0\.2\/32/);
    expect(snap.r3).not.toContain("10.255.0.1");
    expect(snap.config).toContain(" eigrp stub connected summary");
  });

  test("show ip eigrp neighbors detail names the stub peer and counts its prefixes", () => {
    expect(snap.detail).toMatch(
      /\n0 {3}10\.0\.12\.2 +Gi0\/0 +\d+ 00:00:\d\d +\d+ +\d+ {2}0 {2}\d+\n {3}Version 12\.4\/1\.2, Retrans: \d+, Retries: 0, Prefixes: 3\n {3}Topology-ids from peer - 0 \n {3}Stub Peer Advertising \(CONNECTED SUMMARY \) Routes\n {3}Suppressing queries\n$/,
    );
    // R2's neighbours are not stubs: R1 gives it paths to its two loopbacks and their link, R3 to its loopback and link.
    expect(snap.r2detail).toMatch(/10\.0\.12\.1 .*\n {3}Version 12\.4\/1\.2, Retrans: \d+, Retries: 0, Prefixes: 3\n/);
    expect(snap.r2detail).toMatch(/10\.0\.23\.3 .*\n {3}Version 12\.4\/1\.2, Retrans: \d+, Retries: 0, Prefixes: 2\n/);
    expect(snap.r2detail).not.toContain("Stub Peer");
  });

  test("the stub is never queried (it queries its own neighbours, as any router)", () => {
    expect(snap.r1traffic).toMatch(/Queries sent\/received: 0\//);
    expect(snap.r2traffic).toMatch(/Queries sent\/received: [1-9]\d*\/0\n/);
    expect(snap.r2traffic).toMatch(/Updates sent\/received: \d+\/[1-9]/);
  });
});
