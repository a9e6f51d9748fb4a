// EIGRP named mode end to end, on seed 003's BGP NHT path: R1 reaches R4's
// loopback 4.4.4.4 across GigabitEthernet0/0.124 (1 Gbit/s, 10 µs). Named
// mode gives the loopback (8 Gbit/s, no bandwidth or delay configured) a
// delay of 10^13 / 8·10^6 kbit/s = 1.25 µs, so R4's reported distance is
// 65536·10^7/8·10^6 + 65536·1.25 = 163840, R1's wide metric is
// 65536·10^7/10^6 + 65536·11.25 = 1392640, and the RIB gets 1392640 / 128 =
// 10880: the IGP metric the seed's BGP NHT section prints. `metric rib-scale
// 64` doubles the RIB metric and leaves DUAL's alone; the running-config
// prints the named blocks, and typing them in again after `no router eigrp
// NAME` gives the same text and the same adjacency and route.

import { beforeAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const SEC = 1e9;
const TOPOLOGY = {
  devices: { R1: "router", R4: "router" },
  links: [{ name: "R1-R4", a: "R1 GigabitEthernet0/0", b: "R4 GigabitEthernet0/0", latencyMs: 1 }],
};

function router(n: number, af: string[]): string {
  return [
    `hostname R${n}`,
    "interface Loopback0",
    ` ip address ${n}.${n}.${n}.${n} 255.255.255.255`,
    "interface GigabitEthernet0/0",
    " no shutdown",
    "interface GigabitEthernet0/0.124",
    " encapsulation dot1Q 124",
    ` ip address 10.0.124.${n} 255.255.255.0`,
    "router eigrp NHT",
    " address-family ipv4 unicast autonomous-system 1",
    ...af,
    "  network 10.0.124.0 0.0.0.255",
    `  network ${n}.${n}.${n}.${n} 0.0.0.0`,
    " exit-address-family",
    "end",
    "",
  ].join("\n");
}

const CONFIGS = {
  R1: router(1, ["  af-interface Loopback0", "   passive-interface", "  exit-af-interface"]),
  R4: router(4, ["  af-interface default", "   hello-interval 2", "   hold-time 6", "  exit-af-interface"]),
};

const snap: Record<string, string> = {};
beforeAll(async () => {
  const lab = await Lab.create(buildLabSpec("eigrp-named", "eigrp-named", TOPOLOGY, CONFIGS, 1), {
    workers: 0,
    factories: deviceFactories,
  });
  const cmd = async (d: string, line: string) => (await lab.command(d, line)).output;
  try {
    await lab.run(20 * SEC);
    snap.route = await cmd("R1", "show ip route 4.4.4.4");
    snap.routes = await cmd("R1", "show ip route eigrp");
    snap.topology = await cmd("R1", "show ip eigrp topology");
    snap.protocols = await cmd("R1", "show ip protocols");
    snap.neighbors = await cmd("R1", "show ip eigrp neighbors");
    snap.r4config = await cmd("R4", "show running-config | section router eigrp");
    snap.r1config = await cmd("R1", "show running-config | section router eigrp");
    for (const l of ["configure terminal", "router eigrp NHT", " address-family ipv4 unicast autonomous-system 1"])
      await cmd("R1", l);
    snap.prompt = (await lab.command("R1", " topology base")).prompt ?? "";
    for (const l of ["  metric rib-scale 64", "  exit-af-topology", "  af-interface GigabitEthernet0/0.124"])
      await cmd("R1", l);
    snap.ifPrompt = (await lab.command("R1", "   exit-af-interface")).prompt ?? "";
    snap.classic = await cmd("R1", "router eigrp 1");
    await cmd("R1", "end");
    await lab.run(2 * SEC);
    snap.scaled = await cmd("R1", "show ip route eigrp");
    snap.scaledTopology = await cmd("R1", "show ip eigrp topology");
    snap.scaledConfig = await cmd("R1", "show running-config | section router eigrp");
    // Round trip: R4's block removed and typed back from its own running-config.
    await cmd("R4", "configure terminal");
    await cmd("R4", "no router eigrp NHT");
    snap.r4gone = await cmd("R4", "do show running-config | section router eigrp");
    for (const l of snap.r4config.split("\n").filter((x) => x.trim() !== "")) await cmd("R4", l);
    await cmd("R4", "end");
    snap.r4again = await cmd("R4", "show running-config | section router eigrp");
    await lab.run(20 * SEC);
    snap.rescaled = await cmd("R1", "show ip route eigrp");
    // R4 summarises its loopback toward R1: R1 gets the /24 at the component's metric, R4 a Null0 discard route.
    for (const l of ["configure terminal", "router eigrp NHT", " address-family ipv4 unicast autonomous-system 1"])
      await cmd("R4", l);
    for (const l of ["  af-interface GigabitEthernet0/0.124", "   summary-address 4.4.4.0 255.255.255.0", "end"])
      snap.summaryErrors = (snap.summaryErrors ?? "") + (await cmd("R4", l));
    await lab.run(5 * SEC);
    snap.summaryR1 = await cmd("R1", "show ip route eigrp");
    snap.summaryR4 = await cmd("R4", "show ip route 4.4.4.0 255.255.255.0");
    snap.summaryConfig = await cmd("R4", "show running-config | section router eigrp");
  } finally {
    lab.close();
  }
}, 60_000);

describe("eigrp named mode", () => {
  test("seed 003's 10880: R1 -> Gi0/0.124 -> R4's loopback, wide metric 1392640 / rib-scale 128", () => {
    expect(snap.routes).toMatch(/D\s+4\.4\.4\.4 \[90\/10880\] via 10\.0\.124\.4, GigabitEthernet0\/0\.124/);
    expect(snap.route).toContain('Known via "eigrp 1", distance 90, metric 10880');
  });

  test("show ip eigrp topology prints the wide metrics under the VR's name", () => {
    expect(snap.topology).toContain("EIGRP-IPv4 VR(NHT) Topology Table for AS(1)/ID(");
    expect(snap.topology).toContain("P 4.4.4.4/32, 1 successors, FD is 1392640");
    expect(snap.topology).toContain("via 10.0.124.4 (1392640/163840), GigabitEthernet0/0.124");
    // R1's own loopback: 8 Gbit/s and 1.25 µs, 81920 + 81920.
    expect(snap.topology).toMatch(/P 1\.1\.1\.1\/32, 1 successors, FD is 163840\n\s+via Connected, Loopback0/);
    expect(snap.neighbors).toContain("EIGRP-IPv4 VR(NHT) Address-Family Neighbors for AS(1)");
    expect(snap.neighbors).toContain("10.0.124.4");
  });

  test("show ip protocols has named mode's section", () => {
    expect(snap.protocols).toContain('Routing Protocol is "eigrp 1"');
    expect(snap.protocols).toContain("  EIGRP-IPv4 VR(NHT) Address-Family Protocol for AS(1)");
    expect(snap.protocols).toContain("    Metric weight K1=1, K2=0, K3=1, K4=0, K5=0 K6=0");
    expect(snap.protocols).toContain("    Metric rib-scale 128\n    Metric version 64bit");
    expect(snap.protocols).toContain("  Passive Interface(s):\n    Loopback0");
  });

  test("running-config writes the named blocks as IOS 15 does", () => {
    expect(snap.r4config).toBe(
      [
        "router eigrp NHT",
        " !",
        " address-family ipv4 unicast autonomous-system 1",
        "  !",
        "  af-interface default",
        "   hello-interval 2",
        "   hold-time 6",
        "  exit-af-interface",
        "  !",
        "  topology base",
        "  exit-af-topology",
        "  network 10.0.124.0 0.0.0.255",
        "  network 4.4.4.4 0.0.0.0",
        " exit-address-family",
        "",
      ].join("\n"),
    );
    expect(snap.r4gone).toBe("");
    expect(snap.r4again).toBe(snap.r4config);
    expect(snap.rescaled).toMatch(/D\s+4\.4\.4\.4 \[90\/21760\] via 10\.0\.124\.4/);
    expect(snap.r1config).toContain("  af-interface Loopback0\n   passive-interface\n  exit-af-interface");
  });

  test("af-interface summary-address: the neighbour gets the summary only, the router a Null0 discard route", () => {
    expect(snap.summaryErrors).toBe("");
    expect(snap.summaryR1).toMatch(/D\s+4\.4\.4\.0 \[90\/21760\] via 10\.0\.124\.4/);
    expect(snap.summaryR1).not.toContain("4.4.4.4");
    expect(snap.summaryR4).toContain('Known via "eigrp 1", distance 5, metric 1280');
    expect(snap.summaryR4).toContain("Null0");
    expect(snap.summaryConfig).toContain(
      "  af-interface GigabitEthernet0/0.124\n   summary-address 4.4.4.0 255.255.255.0\n  exit-af-interface",
    );
  });

  test("the sub-modes have IOS's prompts; a classic process cannot take the named AS", () => {
    expect(snap.prompt).toContain("(config-router-af-topology)#");
    expect(snap.ifPrompt).toContain("(config-router-af)#");
    expect(snap.classic).toContain("already used by another EIGRP process");
  });

  test("metric rib-scale 64 doubles the RIB metric; DUAL's wide metric stays", () => {
    expect(snap.scaled).toMatch(/D\s+4\.4\.4\.4 \[90\/21760\] via 10\.0\.124\.4/);
    expect(snap.scaledTopology).toContain("FD is 1392640");
    expect(snap.scaledConfig).toContain("  topology base\n   metric rib-scale 64\n  exit-af-topology");
  });
});
