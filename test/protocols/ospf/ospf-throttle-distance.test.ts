// OSPF's timers and route knobs as IOS configures them, on a square of four
// routers (R1 reaches R4 through R2 and through R3 at equal cost):
// `timers throttle spf` (IOS's exponential backoff on the virtual clock: the
// backoff arithmetic alone, then a router with a 100 ms start learning a new
// network within a second while its default-timer neighbour waits its 5 s),
// `timers throttle lsa` (a second change originated within the hold instead of
// MinLSInterval's 5 s), `maximum-paths` (the two equal-cost paths, then one),
// `distance` and `distance ospf` (the [AD/metric] installed, a floating static
// winning against a raised OSPF distance), with show ip ospf, show ip
// protocols and the running config.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { createRouter, type IosDeviceActor } from "../../../actors/router.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import type { OspfInstance } from "../../../src/protocols/ospf/ospf-instance.ts";
import { SPF_THROTTLE_DEFAULT, Throttle } from "../../../src/protocols/ospf/throttle.ts";
import type { DeviceActor, DeviceContext } from "../../../src/runtime/device.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { cryptoRouter } from "../../config/crypto/crypto-router.ts";

const MS = 1e6;

describe("the throttle's backoff", () => {
  test("start after a quiet spell, then the hold doubling to the max, back to the start after twice the max", () => {
    const t = new Throttle(() => ({ startMs: 100, holdMs: 1000, maxMs: 4000 }));
    // Each change asks for a run; the run happens after the delay returned.
    const runs: number[] = [];
    const change = (atMs: number) => {
      const runAt = atMs + t.delay(atMs * MS) / MS;
      t.ran(runAt * MS);
      runs.push(runAt);
    };
    change(0); // quiet: start
    change(200); // within the hold of 1000 after the run at 100
    change(1200); // hold now 2000 after the run at 1100
    change(3200); // hold now 4000 (the max) after 3100
    change(7200); // still 4000 after 7100
    change(7100 + 8001); // more than twice the max since the last run: the start again
    expect(runs).toEqual([100, 1100, 3100, 7100, 11100, 15201]);
  });

  test("a change long after its hold waits only the start; IOS's defaults are 5000 10000 10000", () => {
    const t = new Throttle(() => SPF_THROTTLE_DEFAULT);
    expect(t.delay(0)).toBe(5000 * MS);
    t.ran(5000 * MS);
    expect(t.delay(6000 * MS)).toBe(9000 * MS); // the run at 15 s: 10 s after the last
    t.ran(15000 * MS);
    expect(t.delay(15000 * MS + 1)).toBe(10000 * MS - 1); // the hold stays at the 10 s max
    expect(t.delay(40000 * MS)).toBe(5000 * MS);
  });
});

const TOPOLOGY = {
  devices: { R1: "router", R2: "router", R3: "router", R4: "router" },
  links: [
    { name: "R1-R2", a: "R1 GigabitEthernet0/0", b: "R2 GigabitEthernet0/0" },
    { name: "R1-R3", a: "R1 GigabitEthernet0/1", b: "R3 GigabitEthernet0/0" },
    { name: "R2-R4", a: "R2 GigabitEthernet0/1", b: "R4 GigabitEthernet0/0" },
    { name: "R3-R4", a: "R3 GigabitEthernet0/1", b: "R4 GigabitEthernet0/1" },
  ],
};

const ifc = (name: string, address: string) =>
  `interface ${name}\n ip address ${address} 255.255.255.0\n ip ospf network point-to-point\n no shutdown`;
const router = (n: number, links: string[], ...ospf: string[]) =>
  [
    `hostname R${n}`,
    `interface Loopback0\n ip address ${n}.${n}.${n}.${n} 255.255.255.255`,
    ...links,
    "router ospf 1",
    ...ospf.map((l) => ` ${l}`),
    " network 0.0.0.0 255.255.255.255 area 0",
    "end",
  ].join("\n");

const CONFIGS: Record<string, string> = {
  R1: router(
    1,
    [ifc("GigabitEthernet0/0", "10.0.12.1"), ifc("GigabitEthernet0/1", "10.0.13.1")],
    "timers throttle spf 100 1000 4000",
  ),
  R2: router(2, [ifc("GigabitEthernet0/0", "10.0.12.2"), ifc("GigabitEthernet0/1", "10.0.24.2")]),
  R3: router(3, [ifc("GigabitEthernet0/0", "10.0.13.3"), ifc("GigabitEthernet0/1", "10.0.34.3")]),
  R4: router(4, [ifc("GigabitEthernet0/0", "10.0.24.4"), ifc("GigabitEthernet0/1", "10.0.34.4")]),
};

const devices = new Map<string, RouterDevice>();
const ospf = (r: string) => devices.get(r)!.protocols.get("ospf 1") as OspfInstance;
let lab: Lab;
const cmd = async (r: string, line: string) => (await lab.command(r, line)).output;
const configure = async (r: string, ...lines: string[]) => {
  for (const l of ["configure terminal", ...lines, "end"]) await cmd(r, l);
};
const has = (r: string, prefix: string) =>
  devices
    .get(r)!
    .stack.rib.routes()
    .some((x) => x.prefix === ip(prefix));
const ip = (s: string) => s.split(".").reduce((a, o) => a * 256 + Number(o), 0);

beforeAll(async () => {
  const spec = buildLabSpec("ospf-throttle", "ospf-throttle", TOPOLOGY, CONFIGS, 1);
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
  await lab.run(60e9);
});
afterAll(() => lab.close());

describe("timers throttle spf and lsa in a lab", () => {
  test("show ip ospf prints the configured SPF throttle and IOS's MinLSInterval while no LSA throttle is set", async () => {
    const r1 = await cmd("R1", "show ip ospf");
    expect(r1).toContain(" Initial SPF schedule delay 100 msecs\n");
    expect(r1).toContain(" Minimum hold time between two consecutive SPFs 1000 msecs\n");
    expect(r1).toContain(" Maximum wait time between two consecutive SPFs 4000 msecs\n");
    expect(r1).toContain(" Minimum LSA interval 5 secs\n");
    expect(await cmd("R2", "show ip ospf")).toContain(" Initial SPF schedule delay 5000 msecs\n");
  });

  test("a new network: R1 (100 ms start) has it within a second, R2 (IOS's 5 s) only after its start", async () => {
    expect(has("R1", "4.4.4.4")).toBe(true);
    const runsBefore = ospf("R1").spfRuns;
    await configure("R4", "interface Loopback5", "ip address 5.5.5.5 255.255.255.255");
    await lab.run(1e9);
    expect(has("R1", "5.5.5.5")).toBe(true);
    expect(ospf("R1").spfRuns).toBe(runsBefore + 1);
    expect(has("R2", "5.5.5.5")).toBe(false);
    await lab.run(5e9);
    expect(has("R2", "5.5.5.5")).toBe(true);
  });

  test("a change every 300 ms: R1's runs spaced by the hold, doubling to the max", async () => {
    await lab.run(20e9); // quiet: more than twice R1's max since its last SPF
    // R4 originates each change at once (an LSA throttle of 0 10 20 ms), so R1 sees one change every 300 ms.
    await configure("R4", "router ospf 1", "timers throttle lsa 0 10 20");
    await lab.run(30e9);
    const runs: number[] = [];
    let last = ospf("R1").lastSpfAt;
    for (let i = 0; i < 40; i++) {
      await configure("R4", `interface Loopback${20 + i}`, `ip address 20.0.${i}.1 255.255.255.255`);
      for (let s = 0; s < 6; s++) {
        await lab.run(50e6);
        const at = ospf("R1").lastSpfAt;
        if (at !== last && at !== undefined) runs.push(at);
        last = at;
      }
    }
    const gaps = runs.slice(1).map((t, i) => Math.round((t - runs[i]!) / 1e8) / 10);
    // R1 takes a new instance of R4's router-LSA at most once a second (MinLSArrival): the second, at 1.1 s, is past
    // the first hold (1 s) and waits only the 100 ms start; from then on the hold doubles to the max: 2 s, 4 s, 4 s.
    expect(gaps.slice(0, 4)).toEqual([1.2, 2, 4, 4]);
  });

  test("timers throttle lsa shows as IOS 15 prints it; without it a second change waits MinLSInterval's 5 s", async () => {
    const r4 = await cmd("R4", "show ip ospf");
    expect(r4).toContain(" Initial LSA throttle delay 0 msecs\n");
    expect(r4).toContain(" Minimum hold time for LSA throttle 10 msecs\n");
    expect(r4).toContain(" Maximum wait time for LSA throttle 20 msecs\n");
    expect(r4).not.toContain("Minimum LSA interval");
    // Back to the 5 s interval: a change right after another waits for it.
    await configure("R4", "router ospf 1", "no timers throttle lsa");
    await lab.run(30e9);
    await configure("R4", "interface Loopback6", "ip address 6.6.6.6 255.255.255.255");
    await lab.run(500e6);
    await configure("R4", "interface Loopback7", "ip address 7.7.7.7 255.255.255.255");
    await lab.run(2e9);
    expect(has("R1", "6.6.6.6")).toBe(true);
    expect(has("R1", "7.7.7.7")).toBe(false);
    await lab.run(5e9);
    expect(has("R1", "7.7.7.7")).toBe(true);
  });
});

describe("point-to-point neighbors as IOS shows them", () => {
  test("priority 0 in show ip ospf neighbor (and detail), no Priority in show ip ospf interface", async () => {
    const nbrs = await cmd("R1", "show ip ospf neighbor");
    expect(nbrs).toMatch(/^2\.2\.2\.2 +0 +FULL\/ {2}- +\d\d:\d\d:\d\d +10\.0\.12\.2 +GigabitEthernet0\/0$/m);
    expect(nbrs).toMatch(/^3\.3\.3\.3 +0 +FULL\/ {2}- /m);
    expect(await cmd("R1", "show ip ospf neighbor detail")).toContain("    Neighbor priority is 0, State is FULL,");
    const ifc = await cmd("R1", "show ip ospf interface GigabitEthernet0/0");
    expect(ifc).toContain("  Transmit Delay is 1 sec, State POINT_TO_POINT\n");
  });
});

describe("maximum-paths and distance", () => {
  const route4 = () => devices.get("R1")!.stack.rib.route(ip("4.4.4.4"), 32)!;

  test("R1 installs both equal-cost paths to R4, one under maximum-paths 1, both again after the no form", async () => {
    expect(
      route4()
        .paths.map((p) => p.interface)
        .sort(),
    ).toEqual(["GigabitEthernet0/0", "GigabitEthernet0/1"]);
    await configure("R1", "router ospf 1", "maximum-paths 1");
    expect(route4().paths.length).toBe(1);
    expect(await cmd("R1", "show ip protocols")).toContain("  Maximum path: 1\n");
    await configure("R1", "router ospf 1", "no maximum-paths");
    expect(route4().paths.length).toBe(2);
    expect(await cmd("R1", "show ip protocols")).toContain("  Maximum path: 4\n");
  });

  test("distance ospf intra-area sets the installed distance; external applies to E2 routes only", async () => {
    await configure("R4", "router ospf 1", "default-information originate always");
    await configure("R1", "router ospf 1", "distance ospf intra-area 90 external 170");
    await lab.run(15e9);
    const rt = await cmd("R1", "show ip route ospf");
    expect(rt).toMatch(/O\*E2\s+0\.0\.0\.0\/0 \[170\/1\] via/);
    expect(rt).toMatch(/O\s+4\.4\.4\.4 \[90\/3\] via/);
    const protocols = await cmd("R1", "show ip protocols");
    expect(protocols).toContain("  Distance: intra-area 90 inter-area 110 external 170\n");
  });

  test("distance N below a floating static hides it; raised above it, the static takes the route", async () => {
    await configure("R1", "router ospf 1", "no distance ospf", "ip route 4.4.4.4 255.255.255.255 Null0 150");
    expect(route4().source).toBe("ospf");
    expect(route4().distance).toBe(110);
    await configure("R1", "router ospf 1", "distance 200");
    expect(route4().source).toBe("static");
    expect(await cmd("R1", "show ip protocols")).toContain("  Distance: (default is 200)\n");
    await configure("R1", "router ospf 1", "distance 255");
    // 255: OSPF's routes are not installed at all (3.3.3.3 has no other source).
    expect(has("R1", "3.3.3.3")).toBe(false);
    await configure("R1", "router ospf 1", "no distance 255", "no ip route 4.4.4.4 255.255.255.255 Null0 150");
    expect(route4().source).toBe("ospf");
    expect(has("R1", "3.3.3.3")).toBe(true);
  });

  test("the running config prints the lines as IOS does and they load back the same", async () => {
    await configure(
      "R1",
      "router ospf 1",
      "timers throttle lsa all 10 200 3000",
      "maximum-paths 2",
      "distance 100",
      "distance ospf inter-area 120",
    );
    const rc = await cmd("R1", "show running-config");
    const section = rc.slice(rc.indexOf("router ospf 1"), rc.indexOf("!", rc.indexOf("router ospf 1")));
    expect(section.split("\n").filter((l) => /timers|distance|maximum-paths/.test(l))).toEqual([
      " timers throttle spf 100 1000 4000",
      " timers throttle lsa 10 200 3000",
      " distance 100",
      " distance ospf inter-area 120",
      " maximum-paths 2",
    ]);
    // Loaded into another router, the section prints the same.
    const other = cryptoRouter("R9", [{ name: "GigabitEthernet0/0", kind: "ethernet" }]);
    expect(other.load(section)).toEqual([]);
    const again = other.runningConfig();
    expect(again.slice(again.indexOf("router ospf 1"), again.indexOf("!", again.indexOf("router ospf 1")))).toBe(
      section,
    );
  });

  test("distance ospf with no type is incomplete; bad values get the caret; no forms return to IOS's defaults", async () => {
    await cmd("R1", "configure terminal");
    await cmd("R1", "router ospf 1");
    expect(await cmd("R1", "distance ospf")).toContain("% Incomplete command.");
    for (const bad of ["maximum-paths 33", "timers throttle spf 0 10 10", "distance 0", "distance ospf external 256"])
      expect(await cmd("R1", bad)).toContain("% Invalid input detected at '^' marker.");
    for (const l of [
      "no timers throttle spf",
      "no timers throttle lsa",
      "no distance",
      "no distance ospf",
      "no maximum-paths",
    ])
      await cmd("R1", l);
    await cmd("R1", "end");
    const rc = await cmd("R1", "show running-config");
    expect(rc.slice(rc.indexOf("router ospf 1"))).not.toMatch(/timers throttle|distance|maximum-paths/);
    expect(await cmd("R1", "show ip ospf")).toContain(" Initial SPF schedule delay 5000 msecs\n");
  });
});
