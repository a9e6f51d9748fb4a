// OSPF on real routers of a lab, started directly with a configuration object
// (the IOS commands come separately): three routers on one Ethernet segment
// (R2 at priority 0) and R1-R4 over a serial point-to-point link. After a
// minute every adjacency is FULL, R3 is DR and R1 BDR, every router holds the
// same database (four router-LSAs and the DR's network-LSA), R4 routes to the
// loopbacks and the segment through R1 with the costs of the links, and a
// ping crosses. When R3 falls silent its neighbors declare it dead after the
// dead interval and R1 takes over as DR.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../../actors/index.ts";
import { createRouter, type IosDeviceActor } from "../../../actors/router.ts";
import { PcapDirectorySink } from "../../../src/capture/lab-capture.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import type { OspfEvent } from "../../../src/protocols/ospf/events.ts";
import { emptyOspfConfig, type OspfInterfaceSettings } from "../../../src/protocols/ospf/ospf-config.ts";
import type { OspfInstance } from "../../../src/protocols/ospf/ospf-instance.ts";
import { ospfProtocol } from "../../../src/protocols/ospf/ospf-protocol.ts";
import type { DeviceActor, DeviceContext } from "../../../src/runtime/device.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { formatIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { hasTshark } from "../../capture/pcap-read.ts";
import { checkOspfCapture } from "./ospf-capture-check.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-ospf-lab-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TOPOLOGY = {
  devices: { R1: "router", R2: "router", R3: "router", R4: "router" },
  links: [{ name: "R1-R4", a: "R1 Serial0/0", b: "R4 Serial0/0", latencyMs: 1 }],
  segments: [{ name: "LAN", ports: ["R1 GigabitEthernet0/0", "R2 GigabitEthernet0/0", "R3 GigabitEthernet0/0"] }],
};

function config(name: string, n: number, interfaces: Array<[string, string]>): string {
  const lines = [`hostname ${name}`, "interface Loopback0", ` ip address ${n}.${n}.${n}.${n} 255.255.255.255`];
  for (const [ifc, address] of interfaces)
    lines.push(`interface ${ifc}`, ` ip address ${address} 255.255.255.0`, " no shutdown");
  return `${lines.join("\n")}\nend\n`;
}

const CONFIGS = {
  R1: config("R1", 1, [
    ["GigabitEthernet0/0", "10.0.123.1"],
    ["Serial0/0", "10.0.14.1"],
  ]),
  R2: config("R2", 2, [["GigabitEthernet0/0", "10.0.123.2"]]),
  R3: config("R3", 3, [["GigabitEthernet0/0", "10.0.123.3"]]),
  R4: config("R4", 4, [["Serial0/0", "10.0.14.4"]]),
};

const events = new Map<string, OspfEvent[]>();
const devices = new Map<string, RouterDevice>();
const snap: Record<string, unknown> = {};

const ospf = (name: string) => devices.get(name)!.protocols.get("ospf 1") as OspfInstance;
const ip = formatIpv4Address;

function neighborTable(name: string): string[] {
  const o = ospf(name);
  return o
    .neighbors()
    .map((n) => {
      const oi = n.ospfInterface;
      const role =
        oi.networkType === "pointToPoint" ? "-" : n.address === oi.dr ? "DR" : n.address === oi.bdr ? "BDR" : "DROTHER";
      return `${ip(n.routerId)} ${n.state}/${role} ${ip(n.address)} ${oi.name}`;
    })
    .sort();
}

function database(name: string): string[] {
  return ospf(name)
    .areas.get(0)!
    .db.all()
    .map(
      (e) =>
        `${e.lsa.header.type} ${ip(e.lsa.header.linkStateId)} ${ip(e.lsa.header.advertisingRouter)} ${e.lsa.header.sequence}`,
    )
    .sort();
}

function routes(name: string): string[] {
  return devices
    .get(name)!
    .stack.rib.routesOf("ospf")
    .map(
      (r) =>
        `${ip(r.prefix)}/${r.length} [${r.distance}/${r.metric}] ${r.paths.map((p) => `${p.via === null ? "" : ip(p.via)}@${p.interface}`).join(",")}`,
    )
    .sort();
}

beforeAll(async () => {
  const spec = buildLabSpec("ospf-lab", "ospf-lab", TOPOLOGY, CONFIGS, 1);
  const factories = {
    ...deviceFactories,
    router: (name: string, text: string, privateConfig?: string): DeviceActor => {
      const actor = createRouter(name, text, privateConfig) as IosDeviceActor;
      const start = actor.start.bind(actor);
      actor.start = (ctx: DeviceContext) => {
        start(ctx);
        const list: OspfEvent[] = [];
        events.set(name, list);
        devices.set(name, actor.routerDevice);
        const settings = new Map<string, OspfInterfaceSettings>();
        if (name === "R2") settings.set("GigabitEthernet0/0", { priority: 0, md5Keys: new Map() });
        const cfg = {
          ...emptyOspfConfig(1),
          networks: [{ address: 0, wildcard: 0xffffffff, area: 0 }],
          interfaceSettings: (n: string) => settings.get(n),
        };
        actor.routerDevice.protocols.start(ospfProtocol(cfg), (e) => list.push(e), "ospf 1");
      };
      return actor;
    },
  };
  const lab = await Lab.create(spec, { workers: 0, factories, capture: new PcapDirectorySink(root) });
  try {
    await lab.run(60e9);
    for (const r of ["R1", "R2", "R3", "R4"]) {
      snap[`nbr ${r}`] = neighborTable(r);
      snap[`db ${r}`] = database(r);
      snap[`routes ${r}`] = routes(r);
    }
    snap.ping = (await lab.command("R4", "ping 3.3.3.3 source Loopback0 repeat 5")).output;
    // R3 falls silent on the segment (its neighbors are not told): they wait out the dead interval.
    await lab.command("R3", "configure terminal");
    await lab.command("R3", "interface GigabitEthernet0/0");
    await lab.command("R3", "shutdown");
    await lab.command("R3", "end");
    await lab.run(60e9);
    snap["nbr R1 after"] = neighborTable("R1");
    snap["routes R4 after"] = routes("R4");
  } finally {
    lab.close();
  }
});

describe("OSPF adjacencies, DR election, flooding and SPF in a lab", () => {
  test("every adjacency is FULL; R3 (highest router ID) is DR, R1 BDR, R2 at priority 0 a DROTHER", () => {
    expect(snap["nbr R1"]).toEqual([
      "2.2.2.2 FULL/DROTHER 10.0.123.2 GigabitEthernet0/0",
      "3.3.3.3 FULL/DR 10.0.123.3 GigabitEthernet0/0",
      "4.4.4.4 FULL/- 10.0.14.4 Serial0/0",
    ]);
    expect(snap["nbr R2"]).toEqual([
      "1.1.1.1 FULL/BDR 10.0.123.1 GigabitEthernet0/0",
      "3.3.3.3 FULL/DR 10.0.123.3 GigabitEthernet0/0",
    ]);
    expect(snap["nbr R4"]).toEqual(["1.1.1.1 FULL/- 10.0.14.1 Serial0/0"]);
  });

  test("every router holds the same database: four router-LSAs and R3's network-LSA", () => {
    const db = snap["db R1"] as string[];
    expect(db.map((l) => l.split(" ").slice(0, 3).join(" "))).toEqual([
      "1 1.1.1.1 1.1.1.1",
      "1 2.2.2.2 2.2.2.2",
      "1 3.3.3.3 3.3.3.3",
      "1 4.4.4.4 4.4.4.4",
      "2 10.0.123.3 3.3.3.3",
    ]);
    for (const r of ["R2", "R3", "R4"]) expect(snap[`db ${r}`]).toEqual(db);
  });

  test("R4 routes through R1 with the summed interface costs; R2 reaches R4 through the segment", () => {
    expect(snap["routes R4"]).toEqual([
      "1.1.1.1/32 [110/65] 10.0.14.1@Serial0/0",
      "10.0.123.0/24 [110/65] 10.0.14.1@Serial0/0",
      "2.2.2.2/32 [110/66] 10.0.14.1@Serial0/0",
      "3.3.3.3/32 [110/66] 10.0.14.1@Serial0/0",
    ]);
    expect(snap["routes R2"]).toEqual([
      "1.1.1.1/32 [110/2] 10.0.123.1@GigabitEthernet0/0",
      "10.0.14.0/24 [110/65] 10.0.123.1@GigabitEthernet0/0",
      "3.3.3.3/32 [110/2] 10.0.123.3@GigabitEthernet0/0",
      "4.4.4.4/32 [110/66] 10.0.123.1@GigabitEthernet0/0",
    ]);
    expect(snap.ping).toContain("Success rate is 100 percent (5/5)");
  });

  test("the adjacency events: DOWN to INIT to EXSTART to EXCHANGE to (LOADING) FULL, with reasons", () => {
    const r4 = (events.get("R4") ?? []).filter((e) => e.kind === "neighborState");
    const path = r4.map((e) => (e.kind === "neighborState" ? `${e.from}>${e.to}:${e.reason}` : ""));
    expect(path.slice(0, 3)).toEqual([
      "DOWN>INIT:helloReceived",
      "INIT>EXSTART:twoWayReceived",
      "EXSTART>EXCHANGE:negotiationDone",
    ]);
    expect(path.at(-1)).toMatch(/^(LOADING>FULL:loadingDone|EXCHANGE>FULL:exchangeDone)$/);
  });

  test("R3 silent: R1 declares it dead after 40 s and becomes DR; R4 loses 3.3.3.3", () => {
    expect(snap["nbr R1 after"]).toEqual([
      "2.2.2.2 FULL/DROTHER 10.0.123.2 GigabitEthernet0/0",
      "4.4.4.4 FULL/- 10.0.14.4 Serial0/0",
    ]);
    const dead = (events.get("R1") ?? []).filter((e) => e.kind === "neighborState" && e.to === "DOWN");
    expect(dead).toMatchObject([{ neighborId: 0x03030303, from: "FULL", reason: "deadTimerExpired" }]);
    expect(ospf("R1").interfaces.get("GigabitEthernet0/0")!.state).toBe("DR");
    expect((snap["routes R4 after"] as string[]).some((r) => r.startsWith("3.3.3.3/32"))).toBe(false);
  });

  test.skipIf(!hasTshark)("tshark decodes every captured OSPF packet cleanly, checksums and LSA checksums good", () => {
    for (const file of ["LAN.pcap", "R1-R4.pcap"]) {
      const r = checkOspfCapture(join(root, file));
      expect(r.problems).toEqual([]);
      expect(r.packets).toBeGreaterThan(10);
    }
  });
});
