// OSPF areas and LSA types on real routers, started with configuration
// objects: a backbone with an ASBR (R0, static 172.16.0.0/16 redistributed)
// and four ABRs, each with one internal router behind it in a standard area
// (1), a stub area (2), a totally stubby area (3) and an NSSA (4) whose
// internal router R14 redistributes 192.168.14.0/24. Each area's database
// holds exactly the LSA types RFC 2328 and RFC 3101 (and seed 000) give its
// area type, and the routing tables follow: O IA, O E2, O N2, O*IA defaults.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../../actors/index.ts";
import { createRouter, type IosDeviceActor } from "../../../actors/router.ts";
import { PcapDirectorySink } from "../../../src/capture/lab-capture.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import {
  emptyOspfConfig,
  type OspfAreaSettings,
  type OspfProcessConfig,
} from "../../../src/protocols/ospf/ospf-config.ts";
import type { OspfInstance } from "../../../src/protocols/ospf/ospf-instance.ts";
import { ospfProtocol } from "../../../src/protocols/ospf/ospf-protocol.ts";
import type { DeviceActor, DeviceContext } from "../../../src/runtime/device.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { formatIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { hasTshark } from "../../capture/pcap-read.ts";
import { checkOspfCapture } from "./ospf-capture-check.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-ospf-areas-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TOPOLOGY = {
  devices: Object.fromEntries(["R0", "R1", "R2", "R3", "R4", "R11", "R12", "R13", "R14"].map((r) => [r, "router"])),
  links: [
    { name: "R0-R1", a: "R0 Serial0/0", b: "R1 Serial0/0", latencyMs: 1 },
    { name: "R0-R2", a: "R0 Serial0/1", b: "R2 Serial0/0", latencyMs: 1 },
    { name: "R0-R3", a: "R0 Serial0/2", b: "R3 Serial0/0", latencyMs: 1 },
    { name: "R0-R4", a: "R0 Serial0/3", b: "R4 Serial0/0", latencyMs: 1 },
    { name: "R1-R11", a: "R1 GigabitEthernet0/0", b: "R11 GigabitEthernet0/0", latencyMs: 1 },
    { name: "R2-R12", a: "R2 GigabitEthernet0/0", b: "R12 GigabitEthernet0/0", latencyMs: 1 },
    { name: "R3-R13", a: "R3 GigabitEthernet0/0", b: "R13 GigabitEthernet0/0", latencyMs: 1 },
    { name: "R4-R14", a: "R4 GigabitEthernet0/0", b: "R14 GigabitEthernet0/0", latencyMs: 1 },
  ],
};

const ifcLines = (name: string, address: string, mask = "255.255.255.0") => [
  `interface ${name}`,
  ` ip address ${address} ${mask}`,
  " no shutdown",
];
const loop = (n: number) => ifcLines("Loopback0", `${n}.${n}.${n}.${n}`, "255.255.255.255");
const cfg = (name: string, lines: string[]) => `${[`hostname ${name}`, ...lines].join("\n")}\nend\n`;

const CONFIGS: Record<string, string> = {
  R0: cfg("R0", [
    ...loop(100),
    ...ifcLines("Serial0/0", "10.0.1.100"),
    ...ifcLines("Serial0/1", "10.0.2.100"),
    ...ifcLines("Serial0/2", "10.0.3.100"),
    ...ifcLines("Serial0/3", "10.0.4.100"),
    "ip route 172.16.0.0 255.255.0.0 Null0",
  ]),
  R14: cfg("R14", [
    ...loop(14),
    ...ifcLines("GigabitEthernet0/0", "10.4.14.14"),
    "ip route 192.168.14.0 255.255.255.0 Null0",
  ]),
};
for (const n of [1, 2, 3, 4]) {
  CONFIGS[`R${n}`] = cfg(`R${n}`, [
    ...loop(n),
    ...ifcLines("Serial0/0", `10.0.${n}.${n}`),
    ...ifcLines("GigabitEthernet0/0", `10.${n}.${n}.${n}`),
  ]);
  if (n < 4)
    CONFIGS[`R1${n}`] = cfg(`R1${n}`, [...loop(10 + n), ...ifcLines("GigabitEthernet0/0", `10.${n}.${n}.1${n}`)]);
}

const AREA: Record<number, Partial<OspfAreaSettings>> = {
  2: { type: "stub" },
  3: { type: "stub", noSummary: true },
  4: { type: "nssa" },
};

function processConfig(name: string): OspfProcessConfig {
  const n = Number(name.slice(1));
  const base = emptyOspfConfig(1);
  const area = n === 0 ? 0 : n < 10 ? n : n - 10;
  const networks =
    n === 0
      ? [{ address: 0, wildcard: 0xffffffff, area: 0 }]
      : n < 10
        ? [
            { address: 0x0a000000, wildcard: 0x0000ffff, area: 0 }, // 10.0.0.0/16: the backbone links
            { address: (n * 0x01010101) >>> 0, wildcard: 0, area: 0 }, // the ABR's loopback
            { address: 0x0a000000 + (n << 16), wildcard: 0x0000ffff, area: n },
          ]
        : [{ address: 0, wildcard: 0xffffffff, area }];
  const areas = new Map<number, OspfAreaSettings>();
  for (const a of n === 0 ? [] : [area])
    if (AREA[a] !== undefined)
      areas.set(a, {
        type: "normal",
        noSummary: false,
        nssaDefaultOriginate: false,
        defaultCost: 1,
        ranges: [],
        ...AREA[a],
      });
  // Only the ABR's copy of `no-summary` matters; internal routers just need the stub flag.
  if (n > 10 && areas.has(area)) areas.get(area)!.noSummary = false;
  const redistribute =
    name === "R0" || name === "R14"
      ? [{ source: { protocol: "static" as const }, subnets: true, metricType: 2 as const }]
      : [];
  return { ...base, networks, areas, redistribute };
}

const devices = new Map<string, RouterDevice>();
const snap: Record<string, string[]> = {};
const ip = formatIpv4Address;
const ospf = (name: string) => devices.get(name)!.protocols.get("ospf 1") as OspfInstance;

/** LS types present in each of a router's areas (and type 5 when it has a normal area). */
function types(name: string): string[] {
  const o = ospf(name);
  const out: string[] = [];
  for (const a of [...o.areas.values()].sort((x, y) => x.id - y.id)) {
    const ts = new Set(a.db.all().map((e) => e.lsa.header.type));
    if (a.settings.type === "normal" && o.external.size > 0) ts.add(5);
    out.push(`area ${a.id}: ${[...ts].sort().join(",")}`);
  }
  return out;
}

function summaries(name: string, area: number): string[] {
  return ospf(name)
    .areas.get(area)!
    .db.ofType(3)
    .map((e) => `${ip(e.lsa.header.linkStateId)} from ${ip(e.lsa.header.advertisingRouter)}`)
    .sort();
}

function routes(name: string): string[] {
  return devices
    .get(name)!
    .stack.rib.routesOf("ospf")
    .map((r) => `${r.code} ${ip(r.prefix)}/${r.length} [${r.distance}/${r.metric}]`)
    .sort();
}

beforeAll(async () => {
  const spec = buildLabSpec("ospf-areas", "ospf-areas", TOPOLOGY, CONFIGS, 1);
  const factories = {
    ...deviceFactories,
    router: (name: string, text: string, privateConfig?: string): DeviceActor => {
      const actor = createRouter(name, text, privateConfig) as IosDeviceActor;
      const start = actor.start.bind(actor);
      actor.start = (ctx: DeviceContext) => {
        start(ctx);
        devices.set(name, actor.routerDevice);
        actor.routerDevice.protocols.start(ospfProtocol(processConfig(name)), () => {}, "ospf 1");
      };
      return actor;
    },
  };
  const lab = await Lab.create(spec, { workers: 0, factories, capture: new PcapDirectorySink(root) });
  try {
    await lab.run(120e9);
    for (const r of Object.keys(TOPOLOGY.devices)) {
      snap[`types ${r}`] = types(r);
      snap[`routes ${r}`] = routes(r);
    }
    snap["sum R12"] = summaries("R12", 2);
    snap["sum R13"] = summaries("R13", 3);
    snap["ping R11"] = [(await lab.command("R11", "ping 14.14.14.14 source Loopback0 repeat 3")).output];
    snap["ping R13"] = [(await lab.command("R13", "ping 11.11.11.11 source Loopback0 repeat 3")).output];
  } finally {
    lab.close();
  }
}, 120_000);

describe("LSA types per area type", () => {
  test("backbone: router, summary and external LSAs (no network-LSA on serial links; its ASBRs are in it, so no type 4)", () => {
    expect(snap["types R0"]).toEqual(["area 0: 1,3,5"]);
  });
  test("standard area: types 1, 2, 3, 4 and 5", () => {
    expect(snap["types R11"]).toEqual(["area 1: 1,2,3,4,5"]);
    expect(snap["types R1"]).toEqual(["area 0: 1,3,5", "area 1: 1,2,3,4,5"]);
  });
  test("stub area: types 1, 2 and 3 with the ABR's default; no 4 or 5", () => {
    expect(snap["types R12"]).toEqual(["area 2: 1,2,3"]);
    expect(snap["sum R12"]).toContain("0.0.0.0 from 2.2.2.2");
    expect(snap["sum R12"].length).toBeGreaterThan(5);
  });
  test("totally stubby area: types 1 and 2 and one type 3, the default", () => {
    expect(snap["types R13"]).toEqual(["area 3: 1,2,3"]);
    expect(snap["sum R13"]).toEqual(["0.0.0.0 from 3.3.3.3"]);
  });
  test("NSSA: types 1, 2, 3 and 7; no 4 or 5; the ABR translates the type 7 into a type 5", () => {
    expect(snap["types R14"]).toEqual(["area 4: 1,2,3,7"]);
    expect(snap["types R4"]).toEqual(["area 0: 1,3,5", "area 4: 1,2,3,7"]);
  });
});

describe("routing tables", () => {
  test("the standard area sees inter-area routes and both externals as E2", () => {
    const r = snap["routes R11"];
    expect(r).toContain("O E2 172.16.0.0/16 [110/20]");
    expect(r).toContain("O E2 192.168.14.0/24 [110/20]");
    expect(r).toContain("O IA 14.14.14.14/32 [110/131]");
    expect(r).toContain("O IA 1.1.1.1/32 [110/2]");
    // Nothing intra-area: R11's only OSPF neighbor is on its one attached network.
    expect(r.filter((x) => /^O \d/.test(x))).toEqual([]);
  });
  test("the stub area has a default and inter-area routes, no externals", () => {
    const r = snap["routes R12"];
    expect(r).toContain("O*IA 0.0.0.0/0 [110/2]");
    expect(r.some((x) => x.includes("E2"))).toBe(false);
    expect(r.some((x) => x.startsWith("O IA 11.11.11.11/32"))).toBe(true);
  });
  test("the totally stubby area has only the default", () => {
    expect(snap["routes R13"]).toEqual(["O*IA 0.0.0.0/0 [110/2]"]);
    expect(snap["ping R13"][0]).toContain("Success rate is 100 percent");
  });
  test("the NSSA ABR routes to the type 7 as N2; the NSSA has no default by default", () => {
    expect(snap["routes R4"]).toContain("O N2 192.168.14.0/24 [110/20]");
    expect(snap["routes R14"].some((x) => x.includes("0.0.0.0/0"))).toBe(false);
    expect(snap["ping R11"][0]).toContain("Success rate is 100 percent");
  });
  test.skipIf(!hasTshark)("tshark decodes every OSPF packet on every link", () => {
    for (const l of TOPOLOGY.links) expect(checkOspfCapture(join(root, `${l.name}.pcap`)).problems).toEqual([]);
  });
});
