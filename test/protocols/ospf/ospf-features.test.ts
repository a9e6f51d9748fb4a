// OSPF behaviours configured through IOS lines, on one lab: a hello-interval
// mismatch (no neighbor), an MTU mismatch (the smaller-MTU side stuck in
// EXSTART, the other in EXCHANGE), MD5 authentication (the same key forms an
// adjacency, a different key none), an ABR's `area 1 range`, an ASBR's
// `summary-address` and `default-information originate always`, and
// `distribute-list in` keeping a route out of the RIB but not out of the
// database.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { createRouter, type IosDeviceActor } from "../../../actors/router.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import type { OspfInstance } from "../../../src/protocols/ospf/ospf-instance.ts";
import type { DeviceActor, DeviceContext } from "../../../src/runtime/device.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const TOPOLOGY = {
  devices: { R1: "router", R2: "router", R3: "router", R4: "router", R5: "router", R6: "router" },
  links: [
    { name: "R1-R2", a: "R1 Serial0/0", b: "R2 Serial0/0" },
    { name: "R1-R3", a: "R1 GigabitEthernet0/0", b: "R3 GigabitEthernet0/0" },
    { name: "R1-R4", a: "R1 Serial0/1", b: "R4 Serial0/0" },
    { name: "R1-R5", a: "R1 Serial0/2", b: "R5 Serial0/0" },
    { name: "R4-R6", a: "R4 GigabitEthernet0/0", b: "R6 GigabitEthernet0/0" },
  ],
};

const ifc = (name: string, address: string, ...extra: string[]) =>
  [`interface ${name}`, ` ip address ${address} 255.255.255.0`, ...extra.map((l) => ` ${l}`), " no shutdown"].join(
    "\n",
  );
const loop = (n: string, address: string) => `interface ${n}\n ip address ${address} 255.255.255.255`;

const CONFIGS: Record<string, string> = {
  R1: [
    "hostname R1",
    loop("Loopback0", "1.1.1.1"),
    ifc("Serial0/0", "10.0.12.1"),
    ifc("GigabitEthernet0/0", "10.0.13.1"),
    ifc("Serial0/1", "10.0.14.1", "ip ospf authentication message-digest", "ip ospf message-digest-key 1 md5 cisco"),
    ifc("Serial0/2", "10.0.15.1", "ip ospf authentication message-digest", "ip ospf message-digest-key 1 md5 cisco"),
    "ip route 192.168.1.0 255.255.255.0 Null0",
    "ip route 192.168.2.0 255.255.255.0 Null0",
    "router ospf 1",
    " redistribute static subnets",
    " summary-address 192.168.0.0 255.255.0.0",
    " default-information originate always",
    " network 0.0.0.0 255.255.255.255 area 0",
    "end",
  ].join("\n"),
  R2: [
    "hostname R2",
    ifc("Serial0/0", "10.0.12.2", "ip ospf hello-interval 5"),
    "router ospf 1",
    " network 0.0.0.0 255.255.255.255 area 0",
    "end",
  ].join("\n"),
  R3: [
    "hostname R3",
    ifc("GigabitEthernet0/0", "10.0.13.3", "ip mtu 1400"),
    "router ospf 1",
    " network 0.0.0.0 255.255.255.255 area 0",
    "end",
  ].join("\n"),
  R4: [
    "hostname R4",
    loop("Loopback0", "4.4.4.4"),
    ifc("Serial0/0", "10.0.14.4", "ip ospf authentication message-digest", "ip ospf message-digest-key 1 md5 cisco"),
    ifc("GigabitEthernet0/0", "10.0.46.4"),
    "access-list 20 deny   192.168.0.0 0.0.255.255",
    "access-list 20 permit any",
    "router ospf 1",
    " area 1 range 172.20.0.0 255.255.0.0",
    " network 10.0.14.0 0.0.0.255 area 0",
    " network 4.4.4.4 0.0.0.0 area 0",
    " network 10.0.46.0 0.0.0.255 area 1",
    " distribute-list 20 in",
    "end",
  ].join("\n"),
  R5: [
    "hostname R5",
    ifc("Serial0/0", "10.0.15.5", "ip ospf authentication message-digest", "ip ospf message-digest-key 1 md5 cisc0"),
    "router ospf 1",
    " network 0.0.0.0 255.255.255.255 area 0",
    "end",
  ].join("\n"),
  R6: [
    "hostname R6",
    loop("Loopback1", "172.20.1.1"),
    loop("Loopback2", "172.20.2.1"),
    ifc("GigabitEthernet0/0", "10.0.46.6"),
    "router ospf 1",
    " network 0.0.0.0 255.255.255.255 area 1",
    "end",
  ].join("\n"),
};

const devices = new Map<string, RouterDevice>();
const out: Record<string, string> = {};
const ospf = (r: string) => devices.get(r)!.protocols.get("ospf 1") as OspfInstance;
const states = (r: string) =>
  ospf(r)
    .neighbors()
    .map((n) => `${n.ospfInterface.name} ${n.state}`)
    .sort();

let lab: Lab;
beforeAll(async () => {
  const spec = buildLabSpec("ospf-features", "ospf-features", TOPOLOGY, CONFIGS, 1);
  const factories = {
    ...deviceFactories,
    router: (name: string, text: string, privateConfig?: string): DeviceActor => {
      const actor = createRouter(name, text, privateConfig) as IosDeviceActor;
      const start = actor.start.bind(actor);
      actor.start = (ctx: DeviceContext) => {
        start(ctx);
        devices.set(name, actor.routerDevice);
      };
      return actor;
    },
  };
  lab = await Lab.create(spec, { workers: 0, factories });
  await lab.run(90e9);
  for (const [r, cmd] of [
    ["R4", "show ip route ospf"],
    ["R6", "show ip route ospf"],
    ["R1", "show ip route ospf"],
    ["R4", "show ip ospf database external"],
    ["R3", "show ip ospf neighbor detail"],
  ] as const)
    out[`${r} ${cmd}`] = (await lab.command(r, cmd)).output;
});
afterAll(() => lab.close());

describe("mismatches and authentication", () => {
  test("hello-interval mismatch: no neighbor on either side", () => {
    expect(states("R1").filter((s) => s.startsWith("Serial0/0"))).toEqual([]);
    expect(states("R2")).toEqual([]);
  });
  test("MTU mismatch: the 1400-byte side drops the 1500-byte DBDs and stays in EXSTART; the other waits in EXCHANGE", () => {
    expect(states("R3")).toEqual(["GigabitEthernet0/0 EXSTART"]);
    expect(states("R1").filter((s) => s.startsWith("GigabitEthernet0/0"))).toEqual(["GigabitEthernet0/0 EXCHANGE"]);
    expect(out["R3 show ip ospf neighbor detail"]).toMatch(
      /\d+ database description packets dropped: neighbor MTU larger than ours/,
    );
  });
  test("MD5: the same key forms a FULL adjacency; another key forms none", () => {
    expect(states("R4")).toContain("Serial0/0 FULL");
    expect(states("R5")).toEqual([]);
    expect(states("R1").filter((s) => s.startsWith("Serial0/2"))).toEqual([]);
  });
});

describe("summaries, defaults and filters", () => {
  test("area 1 range: the backbone sees one O IA 172.20.0.0/16 instead of the two /32s", () => {
    expect(out["R1 show ip route ospf"]).toMatch(/O IA +172\.20\.0\.0\/16 \[110\/66\] via 10\.0\.14\.4, Serial0\/1/);
    expect(out["R1 show ip route ospf"]).not.toContain("172.20.1.1");
  });
  test("summary-address and default-information originate always at the ASBR", () => {
    expect(out["R6 show ip route ospf"]).toMatch(/O E2 +192\.168\.0\.0\/16 \[110\/20\] via 10\.0\.46\.4/);
    expect(out["R6 show ip route ospf"]).toMatch(/O\*E2 +0\.0\.0\.0\/0 \[110\/1\] via 10\.0\.46\.4/);
    expect(out["R6 show ip route ospf"]).not.toContain("192.168.1.0");
  });
  test("distribute-list in: the route stays out of R4's RIB but its LSA is in the database (and R6 still has it)", () => {
    expect(out["R4 show ip route ospf"]).not.toContain("192.168.0.0");
    expect(out["R4 show ip route ospf"]).toContain("0.0.0.0/0");
    expect(out["R4 show ip ospf database external"]).toContain("Link State ID: 192.168.0.0 (External Network Number )");
  });
});

describe("point-to-point with several routers on the link (seed 001)", () => {
  test("each hello from another router replaces the neighbor: the hub's adjacencies keep resetting", async () => {
    const topo = {
      devices: { H: "router", S1: "router", S2: "router" },
      segments: [{ name: "MGRE", ports: ["H GigabitEthernet0/0", "S1 GigabitEthernet0/0", "S2 GigabitEthernet0/0"] }],
    };
    const c = (name: string, n: number) =>
      [
        `hostname ${name}`,
        ifc("GigabitEthernet0/0", `10.0.0.${n}`, "ip ospf network point-to-point"),
        "router ospf 1",
        " network 0.0.0.0 255.255.255.255 area 0",
        "end",
      ].join("\n");
    const l = await Lab.create(
      buildLabSpec("p2p-multi", "p2p-multi", topo, { H: c("H", 1), S1: c("S1", 2), S2: c("S2", 3) }, 1),
      {
        workers: 0,
        factories: deviceFactories,
      },
    );
    try {
      await l.run(120e9);
      const resets = l.syslog.filter(
        (e) => e.text.startsWith("H: ") && e.text.includes("Adjacency forced to reset"),
      ).length;
      if (process.env.OSPF_DEBUG) console.log(l.syslog.filter((e) => e.text.includes("OSPF")).map((e) => e.text));
      expect(resets).toBeGreaterThan(3);
      const nbrs = (await l.command("H", "show ip ospf neighbor")).output;
      expect(nbrs.split("\n").filter((x) => /GigabitEthernet0\/0$/.test(x)).length).toBeLessThanOrEqual(1);
    } finally {
      l.close();
    }
  });
});
