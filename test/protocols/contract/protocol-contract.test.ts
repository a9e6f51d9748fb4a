// The router's protocol contract, exercised by a toy protocol that lives only
// in test/ (toy-protocol.ts): IP protocol 253 bound by key, group 224.0.0.250
// joined per interface, link-local multicast out of one interface (TTL 1,
// 01:00:5e MAC on Ethernet, HDLC broadcast address on serial), unicast
// answers out of the ingress interface, interface events, stop(). A router
// that does not run the toy neither delivers its hellos nor forwards them,
// and tshark decodes every captured hello.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../../actors/index.ts";
import { createRouter, type IosDeviceActor } from "../../../actors/router.ts";
import { PcapDirectorySink } from "../../../src/capture/lab-capture.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import type { DeviceActor, DeviceContext } from "../../../src/runtime/device.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { formatIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { hasTshark, readPcap, tsharkFields } from "../../capture/pcap-read.ts";
import { TOY_GROUP, type ToyEvent, toyProtocol } from "./toy-protocol.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-contract-"));
if (!hasTshark && process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");

/** R1, R2 and R4 share a LAN; R1-R3 is serial; R4-R5 is Ethernet. The toy runs everywhere but on R4. */
const TOPOLOGY = {
  devices: { R1: "router", R2: "router", R3: "router", R4: "router", R5: "router" },
  links: [
    { name: "R1-R3", a: "R1 Serial0/0", b: "R3 Serial0/0", latencyMs: 1 },
    { name: "R4-R5", a: "R4 GigabitEthernet0/1", b: "R5 GigabitEthernet0/0", latencyMs: 1 },
  ],
  segments: [{ name: "LAN", ports: ["R1 GigabitEthernet0/0", "R2 GigabitEthernet0/0", "R4 GigabitEthernet0/0"] }],
};

function config(name: string, interfaces: Array<[string, string]>): string {
  const lines = [`hostname ${name}`];
  for (const [ifc, address] of interfaces)
    lines.push(`interface ${ifc}`, ` ip address ${address} 255.255.255.0`, " no shutdown");
  return `${lines.join("\n")}\nend\n`;
}

const CONFIGS = {
  R1: config("R1", [
    ["GigabitEthernet0/0", "10.0.1.1"],
    ["Serial0/0", "10.0.13.1"],
  ]),
  R2: config("R2", [["GigabitEthernet0/0", "10.0.1.2"]]),
  R3: config("R3", [["Serial0/0", "10.0.13.3"]]),
  R4: config("R4", [
    ["GigabitEthernet0/0", "10.0.1.4"],
    ["GigabitEthernet0/1", "10.0.45.4"],
  ]),
  R5: config("R5", [["GigabitEthernet0/0", "10.0.45.5"]]),
};

const events = new Map<string, ToyEvent[]>();
const devices = new Map<string, RouterDevice>();
/** What R3 showed around stopping its toy. */
const r3Stop = {
  stopped: false,
  heardBefore: 0,
  heardAfter: 0,
  unknownBefore: 0,
  unknownAfter: 0,
  groupsAfter: [] as number[],
  multicastAfter: 0,
};

function heard(router: string, kind: ToyEvent["kind"]): ToyEvent[] {
  return (events.get(router) ?? []).filter((e) => e.kind === kind);
}

function sources(router: string, kind: "hello" | "ack"): string[] {
  const set = new Set(
    heard(router, kind).map(
      (e) => `${formatIpv4Address((e as { from: number }).from)} ${(e as { ingress: string }).ingress}`,
    ),
  );
  return [...set].sort();
}

/** Hellos and acks heard during the first 12 s, before anything is shut or stopped. */
const firstRound = new Map<string, ToyEvent[]>();

function first(router: string, kind: ToyEvent["kind"]): ToyEvent[] {
  return (firstRound.get(router) ?? []).filter((e) => e.kind === kind);
}

// The whole lab runs here (the captures are complete once it is closed); the tests read what it left.
beforeAll(async () => {
  const spec = buildLabSpec("contract", "contract", TOPOLOGY, CONFIGS, 1);
  const factories = {
    ...deviceFactories,
    router: (name: string, text: string, privateConfig?: string): DeviceActor => {
      const actor = createRouter(name, text, privateConfig) as IosDeviceActor;
      if (name === "R4") return actor;
      // The toy starts with the router, on its own event loop, as a configured protocol would.
      const start = actor.start.bind(actor);
      actor.start = (ctx: DeviceContext) => {
        start(ctx);
        const list: ToyEvent[] = [];
        events.set(name, list);
        devices.set(name, actor.routerDevice);
        actor.routerDevice.protocols.start(toyProtocol, (e) => list.push(e));
      };
      return actor;
    },
  };
  const lab = await Lab.create(spec, { workers: 0, factories, capture: new PcapDirectorySink(root) });
  try {
    await lab.run(12e9);
    for (const [name, list] of events) firstRound.set(name, [...list]);
    // R2 shuts and reopens its LAN interface.
    await lab.command("R2", "configure terminal");
    await lab.command("R2", "interface GigabitEthernet0/0");
    await lab.command("R2", "shutdown");
    await lab.run(1e9);
    await lab.command("R2", "no shutdown");
    await lab.command("R2", "end");
    await lab.run(1e9);
    // R3 stops its toy, then R1 keeps sending hellos for 11 s.
    const r3 = devices.get("R3")!;
    r3Stop.heardBefore = heard("R3", "hello").length;
    r3Stop.unknownBefore = r3.stack.counters.unknownProtocol;
    r3Stop.stopped = r3.protocols.stop("toy");
    const multicastBefore = r3.stack.counters.multicastReceived;
    await lab.run(11e9);
    r3Stop.heardAfter = heard("R3", "hello").length;
    r3Stop.unknownAfter = r3.stack.counters.unknownProtocol;
    r3Stop.groupsAfter = r3.stack.joinedGroups(r3.findInterface("Serial0/0")!);
    r3Stop.multicastAfter = r3.stack.counters.multicastReceived - multicastBefore;
  } finally {
    lab.close();
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("link-local multicast between neighbours", () => {
  test("each router hears the hellos of its neighbours, on the interface they came in on, with TTL 1 to 224.0.0.250", () => {
    expect(sources("R1", "hello")).toEqual(["10.0.1.2 GigabitEthernet0/0", "10.0.13.3 Serial0/0"]);
    expect(sources("R2", "hello")).toEqual(["10.0.1.1 GigabitEthernet0/0"]);
    expect(sources("R3", "hello")).toEqual(["10.0.13.1 Serial0/0"]);
    for (const e of first("R1", "hello") as Array<Extract<ToyEvent, { kind: "hello" }>>) {
      expect(e.ttl).toBe(1);
      expect(e.dst).toBe(TOY_GROUP);
    }
    const names = (first("R1", "hello") as Array<Extract<ToyEvent, { kind: "hello" }>>).map((e) => e.name);
    expect(new Set(names)).toEqual(new Set(["R2", "R3"]));
  });

  test("unicast answers out of the ingress interface (sendVia) reach the sender", () => {
    expect(sources("R1", "ack")).toEqual(["10.0.1.2 GigabitEthernet0/0", "10.0.13.3 Serial0/0"]);
    expect(sources("R3", "ack")).toEqual(["10.0.13.1 Serial0/0"]);
  });

  test("a router that has not joined the group neither delivers nor forwards it, and sends no ICMP about it", () => {
    // R4 does not run the toy: R1's and R2's hellos reach its Gi0/0 and stop there.
    expect(sources("R5", "hello")).toEqual([]);
    const beyond = readPcap(readFileSync(join(root, "R4-R5.pcap"))).packets;
    // Only R5's own hellos cross R4-R5 (source 10.0.45.5), none from the LAN (10.0.1.0/24).
    const toy = beyond.filter((p) => p.bytes[23] === 253);
    expect(toy.length).toBeGreaterThan(0);
    for (const p of toy) expect([...p.bytes.subarray(26, 30)]).toEqual([10, 0, 45, 5]);
    // And no ICMP at all on the LAN: nobody answered a hello with an unreachable.
    const lan = readPcap(readFileSync(join(root, "LAN.pcap"))).packets;
    expect(lan.filter((p) => p.bytes[12] === 0x08 && p.bytes[13] === 0x00 && p.bytes[23] === 1)).toEqual([]);
  });

  test("the hellos are Ethernet multicast and HDLC broadcast frames, as IOS frames link-local groups", () => {
    const lan = readPcap(readFileSync(join(root, "LAN.pcap"))).packets.filter((p) => p.bytes[23] === 253);
    const hellos = lan.filter((p) => p.bytes[14 + 16] === 224);
    expect(hellos.length).toBeGreaterThan(0);
    for (const p of hellos) expect([...p.bytes.subarray(0, 6)]).toEqual([0x01, 0x00, 0x5e, 0x00, 0x00, 0xfa]);
    const serial = readPcap(readFileSync(join(root, "R1-R3.pcap"))).packets.filter((p) => p.bytes[4 + 9] === 253);
    const serialHellos = serial.filter((p) => p.bytes[4 + 16] === 224);
    expect(serialHellos.length).toBeGreaterThan(0);
    for (const p of serialHellos) expect(p.bytes[0]).toBe(0x8f);
  });

  test.skipIf(!hasTshark)("tshark decodes every captured toy datagram cleanly", () => {
    for (const file of ["LAN.pcap", "R1-R3.pcap"]) {
      const rows = tsharkFields(
        join(root, file),
        ["ip.proto", "ip.dst", "ip.ttl", "_ws.malformed", "_ws.expert.severity"],
        {
          filter: "ip.proto == 253",
          prefs: ["ip.check_checksum:TRUE"],
        },
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r["_ws.malformed"]).toBe("");
        expect(r["_ws.expert.severity"]).toBe("");
      }
      const multicast = rows.filter((r) => r["ip.dst"] === "224.0.0.250");
      expect(multicast.length).toBeGreaterThan(0);
      for (const r of multicast) expect(r["ip.ttl"]).toBe("1");
    }
  });
});

describe("interface events and stop", () => {
  test("a protocol hears line protocol come up at boot, then go down and up with shutdown / no shutdown", () => {
    expect(heard("R2", "lineProtocol")).toEqual([
      { kind: "lineProtocol", ifc: "GigabitEthernet0/0", up: true },
      { kind: "lineProtocol", ifc: "GigabitEthernet0/0", up: false },
      { kind: "lineProtocol", ifc: "GigabitEthernet0/0", up: true },
    ]);
  });

  test("a stopped protocol's key and group are released: the hellos that still arrive are neither delivered nor handled", () => {
    expect(r3Stop.stopped).toBe(true);
    expect(r3Stop.heardAfter).toBe(r3Stop.heardBefore);
    expect(r3Stop.groupsAfter).toEqual([]);
    // R1 kept sending to 224.0.0.250 on the serial link: R3 received them and dropped them unjoined.
    expect(r3Stop.multicastAfter).toBeGreaterThan(0);
    expect(r3Stop.unknownAfter).toBe(r3Stop.unknownBefore);
  });
});
