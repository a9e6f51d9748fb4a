// TAP entries as a user writes them (topology.json "taps", the console's
// --tap): a good one becomes a one-ended Ethernet wire leading to the TAP;
// mistakes name their place and what is wrong. No root needed.

import { describe, expect, test } from "bun:test";
import { attachTap, parseTapOption } from "../../src/host-bridge/attach-tap.ts";
import { buildLabSpec, type TopologyFile } from "../../src/scenario/topology-file.ts";

const base = (taps: unknown): TopologyFile =>
  ({
    devices: { R1: "router", R2: "router" },
    links: [{ name: "R1-R2", a: "R1 Serial0/0", b: "R2 Serial0/0" }],
    taps,
  }) as TopologyFile;
const build = (taps: unknown) => buildLabSpec("t", "topology.json", base(taps), {}, 1);

describe("topology.json taps", () => {
  test("a TAP entry is a one-ended Ethernet wire named tap:NAME that leads to the TAP", () => {
    const spec = build([{ port: "R1 gi0/2", tap: "wl0", mtu: 1400 }]);
    const wire = spec.wires.find((w) => w.tap === "wl0")!;
    expect(wire).toMatchObject({ name: "tap:wl0", kind: "ethernet", segment: true, mtu: 1400 });
    expect(wire.ends).toHaveLength(1);
    expect(wire.ends[0]).toMatchObject({ deviceId: 0, port: 1 });
    expect(spec.devices[0]!.ports[1]!.name).toBe("GigabitEthernet0/2");
  });

  test("mistakes name the entry", () => {
    expect(() => build([{ port: "R1 Gi0/2", tap: "a/b" }])).toThrow(
      'topology.json: taps[0]: "tap" must be a Linux interface name of 1-15 letters, digits, _ . -',
    );
    expect(() => build([{ port: "R1 Gi0/2", tap: "a-very-long-tap-name" }])).toThrow("taps[0]");
    expect(() => build([{ port: "R1 Serial0/1", tap: "wl0" }])).toThrow("taps[0]: a TAP carries Ethernet only");
    expect(() => build([{ port: "R1 Serial0/0", tap: "wl0" }])).toThrow("taps[0]: R1 Serial0/0 is wired twice");
    expect(() => build([{ port: "R9 Gi0/0", tap: "wl0" }])).toThrow('taps[0]: unknown device "R9"');
    expect(() =>
      build([
        { port: "R1 Gi0/1", tap: "wl0" },
        { port: "R2 Gi0/1", tap: "wl0" },
      ]),
    ).toThrow("taps[1]: TAP wl0 is used twice");
    expect(() => build([null])).toThrow('taps[0]: needs "port" and "tap"');
  });
});

describe("console --tap", () => {
  test("parses port=tap pairs and attaches a free port", () => {
    expect(parseTapOption("R1 Gi0/2=wl0, R2 GigabitEthernet0/1 = wl1")).toEqual([
      { port: "R1 Gi0/2", tap: "wl0" },
      { port: "R2 GigabitEthernet0/1", tap: "wl1" },
    ]);
    const spec = build(undefined);
    attachTap(spec, "r2 gi0/1", "wl1");
    const wire = spec.wires.at(-1)!;
    expect(wire).toMatchObject({ name: "tap:wl1", tap: "wl1", ends: [{ deviceId: 1, port: 1 }] });
    expect(spec.devices[1]!.ports[1]).toMatchObject({ name: "GigabitEthernet0/1", kind: "ethernet", wireId: wire.id });
  });

  test("mistakes name the option", () => {
    expect(() => parseTapOption("R1 Gi0/2")).toThrow('--tap "R1 Gi0/2": write "<device> <interface>=<tap name>"');
    const spec = build(undefined);
    expect(() => attachTap(spec, "R1 Serial0/0", "wl0")).toThrow(
      '--tap "R1 Serial0/0=wl0": a TAP carries Ethernet only',
    );
    expect(() => attachTap(spec, "R3 Gi0/0", "wl0")).toThrow('no device named "R3"');
    attachTap(spec, "R1 Gi0/0", "wl0");
    expect(() => attachTap(spec, "R1 Gi0/0", "wl1")).toThrow("R1 GigabitEthernet0/0 is wired already");
    expect(() => attachTap(spec, "R2 Gi0/0", "wl0")).toThrow("TAP wl0 is used twice");
  });
});
