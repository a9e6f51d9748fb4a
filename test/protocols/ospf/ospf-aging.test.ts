// LSA aging on the virtual clock (RFC 2328 12.4, 14): every router refreshes
// its own LSAs each LSRefreshTime (30 min) with a higher sequence number; an
// LSA whose originator can no longer flood it ages in the other routers'
// databases until MaxAge (1 h), is flooded at MaxAge and removed everywhere.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const TOPOLOGY = {
  devices: { R1: "router", R2: "router", R3: "router" },
  links: [
    { name: "R1-R2", a: "R1 Serial0/0", b: "R2 Serial0/0" },
    { name: "R2-R3", a: "R2 Serial0/1", b: "R3 Serial0/0" },
  ],
};
const cfg = (n: number, ifcs: Array<[string, string]>) =>
  [
    `hostname R${n}`,
    "interface Loopback0",
    ` ip address ${n}.${n}.${n}.${n} 255.255.255.255`,
    ...ifcs.flatMap(([i, a]) => [`interface ${i}`, ` ip address ${a} 255.255.255.0`, " no shutdown"]),
    "router ospf 1",
    " network 0.0.0.0 255.255.255.255 area 0",
    "end",
  ].join("\n");
const CONFIGS = {
  R1: cfg(1, [["Serial0/0", "10.0.12.1"]]),
  R2: cfg(2, [
    ["Serial0/0", "10.0.12.2"],
    ["Serial0/1", "10.0.23.2"],
  ]),
  R3: cfg(3, [["Serial0/0", "10.0.23.3"]]),
};

/** (age, seq) of each router-LSA in a router's `show ip ospf database`. */
function routerLsas(text: string): Map<string, { age: number; seq: number }> {
  const out = new Map<string, { age: number; seq: number }>();
  for (const m of text.matchAll(/^(\d+\.\d+\.\d+\.\d+) +\1 +(\d+) +0x([0-9A-F]{8}) /gm))
    out.set(m[1]!, { age: Number(m[2]), seq: Number.parseInt(m[3]!, 16) });
  return out;
}

let lab: Lab;
const seen: Record<string, Map<string, { age: number; seq: number }>> = {};
beforeAll(async () => {
  lab = await Lab.create(buildLabSpec("ospf-aging", "ospf-aging", TOPOLOGY, CONFIGS, 1), {
    workers: 0,
    factories: deviceFactories,
  });
  await lab.run(60e9);
  seen.start = routerLsas((await lab.command("R1", "show ip ospf database")).output);
  // R3 is cut off: R2 shuts its side, so R3's LSA can only age in R1's and R2's databases.
  for (const l of ["configure terminal", "interface Serial0/1", "shutdown", "end"]) await lab.command("R2", l);
  await lab.run(1800e9);
  seen.refreshed = routerLsas((await lab.command("R1", "show ip ospf database")).output);
  await lab.run(1800e9);
  seen.aged = routerLsas((await lab.command("R1", "show ip ospf database")).output);
  seen.agedR2 = routerLsas((await lab.command("R2", "show ip ospf database")).output);
}, 120_000);
afterAll(() => lab.close());

describe("aging, refresh and MaxAge", () => {
  test("after a minute R1 holds all three router-LSAs", () => {
    expect([...seen.start!.keys()].sort()).toEqual(["1.1.1.1", "2.2.2.2", "3.3.3.3"]);
  });
  test("after 30 minutes the reachable routers' LSAs were refreshed with higher sequence numbers and young ages", () => {
    for (const r of ["1.1.1.1", "2.2.2.2"]) {
      expect(seen.refreshed!.get(r)!.seq).toBeGreaterThan(seen.start!.get(r)!.seq);
      expect(seen.refreshed!.get(r)!.age).toBeLessThan(1800);
    }
    // R3's copy has only aged.
    expect(seen.refreshed!.get("3.3.3.3")!.seq).toBe(seen.start!.get("3.3.3.3")!.seq);
    expect(seen.refreshed!.get("3.3.3.3")!.age).toBeGreaterThan(1800);
  });
  test("after an hour R3's LSA reached MaxAge and is gone from both databases", () => {
    expect([...seen.aged!.keys()].sort()).toEqual(["1.1.1.1", "2.2.2.2"]);
    expect([...seen.agedR2!.keys()].sort()).toEqual(["1.1.1.1", "2.2.2.2"]);
  });
});
