// Redistribution between RIP and OSPF on real routers, configured with IOS
// lines and read back from the routing tables:
//
//   R1 (RIP) ---- 172.16.12.0/24 ---- B (RIP + OSPF) ---- 10.0.23.0/24 ---- R3 (OSPF)
//
// R1 has Loopback0 172.16.1.1/24 and Loopback1 192.168.1.1/24; R3 has
// Loopback0 10.3.3.3/24; B has a static 192.0.2.0/24 to Null0. Into RIP:
// OSPF without a metric goes nowhere (IOS's seed metric is infinity), with
// default-metric it does, with the OSPF process's own connected network;
// a route map filters it and its tag crosses in the RIPv2 entry; statics take
// the route map's metric and tag; `distance` moves RIP's AD. Into OSPF:
// without `subnets` only classful networks (with IOS's warning), then subnets
// with the line's metric, metric type and tag, a route map's set clauses
// over them, default-metric for a line without a metric.

import { beforeAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const SEC = 1e9;

const TOPOLOGY = {
  devices: { R1: "router", B: "router", R3: "router" },
  links: [
    { name: "R1-B", a: "R1 GigabitEthernet0/0", b: "B GigabitEthernet0/0" },
    { name: "B-R3", a: "B GigabitEthernet0/1", b: "R3 GigabitEthernet0/0" },
  ],
};

const CONFIGS = {
  R1: [
    "hostname R1",
    "interface Loopback0",
    " ip address 172.16.1.1 255.255.255.0",
    "interface Loopback1",
    " ip address 192.168.1.1 255.255.255.0",
    "interface GigabitEthernet0/0",
    " ip address 172.16.12.1 255.255.255.0",
    " no shutdown",
    "router rip",
    " version 2",
    " no auto-summary",
    " network 172.16.0.0",
    " network 192.168.1.0",
    "end",
  ].join("\n"),
  B: [
    "hostname B",
    "interface GigabitEthernet0/0",
    " ip address 172.16.12.2 255.255.255.0",
    " no shutdown",
    "interface GigabitEthernet0/1",
    " ip address 10.0.23.2 255.255.255.0",
    " no shutdown",
    "ip route 192.0.2.0 255.255.255.0 Null0",
    "ip prefix-list R3-LINK seq 5 permit 10.0.23.0/24",
    "route-map STATIC-IN permit 10",
    " set metric 4",
    " set tag 55",
    "route-map OSPF-TO-RIP deny 10",
    " match ip address prefix-list R3-LINK",
    "route-map OSPF-TO-RIP permit 20",
    " set tag 110",
    "ip prefix-list R1-LO seq 5 permit 172.16.1.0/24",
    "route-map RIP-TO-OSPF permit 10",
    " match ip address prefix-list R1-LO",
    " set metric 70",
    " set metric-type type-2",
    " set tag 7",
    "route-map RIP-TO-OSPF permit 20",
    "router ospf 1",
    " router-id 2.2.2.2",
    " redistribute rip",
    " network 10.0.23.0 0.0.0.255 area 0",
    "router rip",
    " version 2",
    " no auto-summary",
    " network 172.16.0.0",
    " redistribute ospf 1",
    " redistribute static route-map STATIC-IN",
    "end",
  ].join("\n"),
  R3: [
    "hostname R3",
    "interface Loopback0",
    " ip address 10.3.3.3 255.255.255.0",
    "interface GigabitEthernet0/0",
    " ip address 10.0.23.3 255.255.255.0",
    " no shutdown",
    "router ospf 1",
    " router-id 3.3.3.3",
    " network 10.0.0.0 0.255.255.255 area 0",
    "end",
  ].join("\n"),
};

const snap: Record<string, string> = {};

/** The lines of a `show ip route` with the given code, e.g. R or O E2, without the legend. */
const routeLines = (show: string, code: string): string[] =>
  show
    .split("\n")
    .filter((l) => l.startsWith(`${code} `))
    .map((l) =>
      l
        .slice(code.length)
        .trim()
        .replace(/, \S+$/, ""),
    );

beforeAll(async () => {
  const lab = await Lab.create(buildLabSpec("redistribution-lab", "redistribution-lab", TOPOLOGY, CONFIGS, 1), {
    workers: 0,
    factories: deviceFactories,
  });
  const cmd = async (d: string, line: string) => (await lab.command(d, line)).output;
  const config = async (d: string, ...lines: string[]) => {
    let out = "";
    for (const l of ["configure terminal", ...lines, "end"]) out += await cmd(d, l);
    return out;
  };
  try {
    await lab.run(70 * SEC);
    snap["R1 rip no metric"] = await cmd("R1", "show ip route rip");
    snap["R1 static"] = await cmd("R1", "show ip route 192.0.2.0");
    snap["B db no metric"] = await cmd("B", "show ip rip database");
    await config("B", "router rip", " default-metric 2");
    await lab.run(10 * SEC);
    snap["R1 rip default-metric"] = await cmd("R1", "show ip route rip");
    await config("B", "router rip", " redistribute ospf 1 metric 5 route-map OSPF-TO-RIP", " distance 109");
    await lab.run(10 * SEC);
    snap["R1 rip route-map"] = await cmd("R1", "show ip route rip");
    snap["R1 tagged"] = await cmd("R1", "show ip route 10.3.3.3");
    snap["R1 db route-map"] = await cmd("R1", "show ip rip database");
    snap["B rip distance"] = await cmd("B", "show ip route rip");
    snap["B running rip"] = await cmd("B", "show running-config | section router rip");
    snap["B protocols"] = await cmd("B", "show ip protocols");
    snap["R3 classful"] = await cmd("R3", "show ip route ospf");
    snap["B subnets"] = await config("B", "router ospf 1", " redistribute rip subnets metric 50 metric-type 1 tag 9");
    await lab.run(15 * SEC);
    snap["R3 subnets"] = await cmd("R3", "show ip route ospf");
    snap["R3 tag 9"] = await cmd("R3", "show ip route 172.16.12.0");
    snap["B static"] = await config("B", "router ospf 1", " redistribute static", " default-metric 33");
    snap["B static"] += await config("B", "router ospf 1", " redistribute rip route-map RIP-TO-OSPF");
    // MinLSInterval on B, then R3's SPF hold.
    await lab.run(30 * SEC);
    snap["R3 route-map"] = await cmd("R3", "show ip route ospf");
    snap["R3 tag 7"] = await cmd("R3", "show ip route 172.16.1.0");
    snap["R3 database"] = await cmd("R3", "show ip ospf database");
    snap["B running ospf"] = await cmd("B", "show running-config | section router ospf");
    snap["B detail ospf"] = await cmd("B", "show ip route 10.3.3.3");
    snap["B detail rip"] = await cmd("B", "show ip route 172.16.1.0");
  } finally {
    lab.close();
  }
}, 60_000);

describe("redistribution into RIP", () => {
  test("OSPF without a metric is not advertised (IOS's seed metric for it is infinity); a static takes the route map's", () => {
    expect(snap["R1 rip no metric"]).not.toContain("10.3.3.3");
    expect(snap["R1 rip no metric"]).not.toContain("10.0.23.0");
    expect(snap["B db no metric"]).not.toContain("10.3.3.3");
    expect(routeLines(snap["R1 rip no metric"]!, "R")).toContain("192.0.2.0/24 [120/4] via 172.16.12.2");
    expect(snap["R1 static"]).toContain("  Tag 55\n");
  });

  test("default-metric seeds OSPF's routes, with the connected network of the OSPF interface, as IOS does", () => {
    const r = routeLines(snap["R1 rip default-metric"]!, "R");
    expect(r).toContain("10.3.3.3/32 [120/2] via 172.16.12.2");
    expect(r).toContain("10.0.23.0/24 [120/2] via 172.16.12.2");
  });

  test("the line's metric beats default-metric; the route map filters and its tag crosses the wire", () => {
    const r = routeLines(snap["R1 rip route-map"]!, "R");
    // Alone in 10.0.0.0/8 now, so printed without its length.
    expect(r).toContain("10.3.3.3 [120/5] via 172.16.12.2");
    expect(snap["R1 rip route-map"]).not.toContain("10.0.23.0/24 [");
    expect(snap["R1 db route-map"]).toContain("10.0.23.0/24    is possibly down");
    expect(snap["R1 tagged"]).toContain("  Tag 110\n");
  });

  test("distance, running config and show ip protocols", () => {
    expect(routeLines(snap["B rip distance"]!, "R")).toContain("172.16.1.0/24 [109/1] via 172.16.12.1");
    expect(snap["B running rip"]).toContain(
      [
        " redistribute ospf 1 metric 5 route-map OSPF-TO-RIP",
        " redistribute static route-map STATIC-IN",
        " network 172.16.0.0",
        " default-metric 2",
        " distance 109",
      ].join("\n"),
    );
    expect(snap["B protocols"]).toContain(
      "  Redistributing: ospf 1, static, rip\n  Default redistribution metric is 2\n",
    );
    expect(snap["B protocols"]).toContain("  Distance: (default is 109)\n");
  });
});

describe("redistribution into OSPF", () => {
  test("without subnets only classful networks go, as IOS warns", () => {
    expect(routeLines(snap["R3 classful"]!, "O E2")).toEqual(["192.168.1.0/24 [110/20] via 10.0.23.2"]);
    expect(snap["B static"]).toContain("% Only classful networks will be redistributed");
  });

  test("subnets with the line's metric, metric type and tag: E1 adds the cost to the ASBR; RIP's interfaces come too", () => {
    const e1 = routeLines(snap["R3 subnets"]!, "O E1");
    expect(e1).toContain("172.16.1.0 [110/51] via 10.0.23.2");
    expect(e1).toContain("172.16.12.0 [110/51] via 10.0.23.2");
    expect(e1).toContain("192.168.1.0/24 [110/51] via 10.0.23.2");
    expect(snap["R3 tag 9"]).toContain("  Tag 9\n");
  });

  test("a route map's metric, metric-type and tag win over the line's; default-metric for a line without metric", () => {
    const r = snap["R3 route-map"]!;
    expect(routeLines(r, "O E2")).toEqual(["172.16.1.0 [110/70] via 10.0.23.2", "192.0.2.0/24 [110/33] via 10.0.23.2"]);
    expect(routeLines(r, "O E1")).toContain("172.16.12.0 [110/51] via 10.0.23.2");
    expect(snap["R3 tag 7"]).toContain("  Tag 7\n");
    expect(snap["R3 database"]).toMatch(/172\.16\.1\.0\s+2\.2\.2\.2\s+\d+\s+0x8000000\w\s+0x00\w{4}\s+7\n/);
    expect(snap["B running ospf"]).toContain(
      [
        " redistribute rip metric 50 metric-type 1 subnets tag 9 route-map RIP-TO-OSPF",
        " redistribute static",
        " network 10.0.23.0 0.0.0.255 area 0",
        " default-metric 33",
      ].join("\n"),
    );
  });
});

describe("show ip route detail", () => {
  test("the process a route is known via and those redistributing it, with their lines' options", () => {
    expect(snap["B detail ospf"]).toBe(
      [
        "Routing entry for 10.3.3.3/32",
        '  Known via "ospf 1", distance 110, metric 2, type intra area',
        "  Redistributing via rip",
        "  Advertised by rip metric 5 route-map OSPF-TO-RIP",
        "  Routing Descriptor Blocks:",
        "  * 10.0.23.3, via GigabitEthernet0/1",
        "      Route metric is 2, traffic share count is 1",
        "",
      ].join("\n"),
    );
    expect(snap["B detail rip"]).toContain(
      '  Known via "rip", distance 109, metric 1\n  Redistributing via ospf 1\n' +
        "  Advertised by ospf 1 metric 50 metric-type 1 subnets tag 9 route-map RIP-TO-OSPF\n",
    );
    expect(snap["R3 tag 7"]).toContain('  Known via "ospf 1", distance 110, metric 70\n  Tag 7\n');
  });
});
