// Generated device groups in topology.json: names, configs from the template,
// links and segments by range, and clear errors for bad ranges.
import { describe, expect, test } from "bun:test";
import { loadScenario } from "../../src/scenario/load.ts";
import type { TopologyFile } from "../../src/scenario/topology-file.ts";
import { expandGroups } from "../../src/scenario/topology-groups.ts";

const files: Record<string, string> = {
  "spoke.cfg": 'hostname SPOKE{{index}}\ninterface Gi0/0\n ip address {{ip "172.16.0.0/16" index}} 255.255.0.0\n',
  "named.cfg": "hostname {{NAME}}\n",
  "names.csv": "NAME\nalpha\nbeta\n",
};
const read = (f: string): string => {
  const text = files[f];
  if (text === undefined) throw new Error(`ENOENT: no such file ${f}`);
  return text;
};

function topo(extra: Partial<TopologyFile>): TopologyFile {
  return {
    devices: { PE1: "router", PE2: "router" },
    groups: { SPOKE: { count: 4, kind: "router", template: "spoke.cfg" } },
    ...extra,
  };
}

describe("topology groups", () => {
  test("devices SPOKE1..n configured from the template, links by range paired with an expression or a range", () => {
    const { topo: t, configs } = expandGroups(
      "topology.json",
      topo({
        links: [
          { name: "PE1-S", a: "SPOKE[1-2] GigabitEthernet0/0", b: "PE1 GigabitEthernet{{index}}/0" },
          { a: "PE2 Gi{{sub index 2}}/0", b: "SPOKE[3-4] Gi0/0" },
          { a: "PE1 Serial0/0", b: "PE2 Serial0/0" },
        ],
        segments: [{ name: "LAN", ports: ["PE1 Gi0/1", "SPOKE[1-4] Gi0/1"] }],
      }),
      read,
    );
    expect(Object.keys(t.devices)).toEqual(["PE1", "PE2", "SPOKE1", "SPOKE2", "SPOKE3", "SPOKE4"]);
    expect(configs.SPOKE3).toBe("hostname SPOKE3\ninterface Gi0/0\n ip address 172.16.0.3 255.255.0.0\n");
    expect(t.links).toEqual([
      { name: "PE1-S-1", a: "SPOKE1 GigabitEthernet0/0", b: "PE1 GigabitEthernet1/0" },
      { name: "PE1-S-2", a: "SPOKE2 GigabitEthernet0/0", b: "PE1 GigabitEthernet2/0" },
      { a: "PE2 Gi1/0", b: "SPOKE3 Gi0/0" },
      { a: "PE2 Gi2/0", b: "SPOKE4 Gi0/0" },
      { a: "PE1 Serial0/0", b: "PE2 Serial0/0" },
    ]);
    expect(t.segments![0]!.ports).toEqual([
      "PE1 Gi0/1",
      "SPOKE1 Gi0/1",
      "SPOKE2 Gi0/1",
      "SPOKE3 Gi0/1",
      "SPOKE4 Gi0/1",
    ]);
    const paired = expandGroups(
      "topology.json",
      {
        devices: {},
        groups: {
          A: { count: 2, kind: "router", template: "named.cfg", data: "names.csv" },
          B: { count: 3, kind: "router", template: "spoke.cfg" },
        },
        links: [{ a: "A[1-2] Gi0/0", b: "B[2-3] Gi0/0" }],
      },
      read,
    );
    expect(paired.topo.links).toEqual([
      { a: "A1 Gi0/0", b: "B2 Gi0/0" },
      { a: "A2 Gi0/0", b: "B3 Gi0/0" },
    ]);
    expect(paired.configs.A2).toBe("hostname beta\n");
  });

  test("a count override (--scale) changes the group's size; [*] and [n-*] follow it", () => {
    const scaled = (count: number) =>
      expandGroups(
        "topology.json",
        topo({
          links: [
            { a: "SPOKE[*] Gi0/0", b: "PE{{add (div (sub index 1) 10) 1}} Gi{{add (mod (sub index 1) 10) 1}}/0" },
          ],
          segments: [{ name: "TAIL", ports: ["PE1 Gi0/1", "SPOKE[3-*] Gi0/1"] }],
        }),
        read,
        { SPOKE: count },
      ).topo;
    const t = scaled(50);
    expect(Object.keys(t.devices).length).toBe(52);
    expect(t.links!.length).toBe(50);
    expect(t.links![10]).toEqual({ a: "SPOKE11 Gi0/0", b: "PE2 Gi1/0" });
    expect(t.links![49]).toEqual({ a: "SPOKE50 Gi0/0", b: "PE5 Gi10/0" });
    expect(t.segments![0]!.ports.length).toBe(1 + 48);
    expect(scaled(4).links!.length).toBe(4);
    expect(() => expandGroups("topology.json", topo({}), read, { HUB: 2 })).toThrow(
      "topology.json: --scale: no group named HUB",
    );
  });

  test("bad groups and ranges are errors naming their place", () => {
    const bad =
      (extra: Partial<TopologyFile>, scale = {}) =>
      () =>
        expandGroups("topology.json", topo(extra), read, scale);
    expect(bad({ links: [{ a: "SPOKE[0-2] Gi0/0", b: "PE1 Gi{{index}}/0" }] })).toThrow(
      'topology.json: links[0]: "SPOKE[0-2] Gi0/0": the range must be within SPOKE[1-4], first <= last',
    );
    expect(bad({ links: [{ a: "SPOKE[3-9] Gi0/0", b: "PE1 Gi{{index}}/0" }] })).toThrow("within SPOKE[1-4]");
    expect(bad({ links: [{ a: "SPOKE[2-1] Gi0/0", b: "PE1 Gi{{index}}/0" }] })).toThrow("first <= last");
    expect(bad({ links: [{ a: "HUBS[1-2] Gi0/0", b: "PE1 Gi{{index}}/0" }] })).toThrow("no group named HUBS");
    expect(bad({ links: [{ a: "SPOKE[1-2] Gi0/0", b: "SPOKE[2-4] Gi0/1" }] })).toThrow(
      "the two ranges have 2 and 3 devices",
    );
    expect(bad({ links: [{ a: "SPOKE[1..2] Gi0/0", b: "PE1 Gi0/0" }] })).toThrow(
      "a range is written GROUP[first-last], GROUP[first-*] or GROUP[*]",
    );
    expect(bad({ links: [{ a: "SPOKE[*-2] Gi0/0", b: "PE1 Gi0/0" }] })).toThrow("a range is written");
    expect(bad({ links: [{ a: "SPOKE[5-*] Gi0/0", b: "PE1 Gi0/0" }] })).toThrow("within SPOKE[1-4]");
    expect(bad({ links: [{ a: "SPOKE[1-2] Gi0/0", b: "PE1 Gi{{sub index}}/0" }] })).toThrow("sub takes 2 arguments");
    expect(bad({ groups: { SPOKE: { count: 0, kind: "router", template: "spoke.cfg" } } })).toThrow(
      "topology.json: groups.SPOKE: count must be a whole number 1..10000",
    );
    expect(bad({ groups: { SPOKE: { count: 2, kind: "router", template: "missing.cfg" } } })).toThrow(
      "groups.SPOKE: ENOENT",
    );
    expect(bad({ groups: { S1: { count: 2, kind: "router", template: "spoke.cfg" } } })).toThrow(
      "not ending in a digit",
    );
    expect(bad({ groups: { PE: { count: 2, kind: "router", template: "spoke.cfg" } } })).toThrow(
      "PE1 is also declared under devices",
    );
    expect(bad({ groups: { SPOKE: { count: 3, kind: "router", template: "named.cfg", data: "names.csv" } } })).toThrow(
      "names.csv: has 2 rows for 3 devices of SPOKE",
    );
    expect(bad({ groups: { SPOKE: { count: 2, kind: "router", template: "named.cfg" } } })).toThrow(
      "groups.SPOKE (SPOKE1): named.cfg, column NAME: no value for {{NAME}}",
    );
  });

  test("generated-fleet loads at its own size and scaled up", () => {
    const base = loadScenario("generated-fleet");
    expect(base.lab.devices.length).toBe(1 + 2 + 20);
    expect(base.warnings).toEqual([]);
    const big = loadScenario("generated-fleet", 1, undefined, undefined, { SPOKE: 30, PE: 3 });
    expect(big.lab.devices.length).toBe(1 + 3 + 30);
    const spoke30 = big.lab.devices.find((d) => d.name === "SPOKE30")!;
    expect(spoke30.config).toContain("hostname SPOKE30\n");
    expect(spoke30.config).toContain(" ip address 172.19.10.2 255.255.255.252\n");
    // SPOKE30 is wired to PE3's tenth access port; the core segment holds the hub and the three PEs.
    const access = big.lab.wires.find((w) => w.name === "ACCESS-30")!;
    expect(
      access.ends.map(
        (e) => `${big.lab.devices[e.deviceId]!.name} ${big.lab.devices[e.deviceId]!.ports[e.port]!.name}`,
      ),
    ).toEqual(["SPOKE30 GigabitEthernet0/0", "PE3 GigabitEthernet10/0"]);
    expect(big.lab.wires.find((w) => w.name === "CORE")!.ends.length).toBe(4);
    expect(() => loadScenario("generated-fleet", 1, undefined, undefined, { SPOKE: 0 })).toThrow(
      "groups.SPOKE: count must be a whole number 1..10000",
    );
  });
});
