// Stuck in active, as IOS: R1 and R2 share a link; R2 acknowledges
// everything but never answers a query (its replies are withheld here, as if
// its own diffusing computation never finished). When R1's Loopback1 goes,
// R1 has no feasible successor, goes active and queries R2; the route stays
// active, waiting on R2 ('r'), for the active time (3 minutes), then R1 gives
// up on R2: the neighbour is reset ("stuck in active"), the route goes
// passive and leaves the table, and the adjacency comes back.

import { beforeAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { createRouter, type IosDeviceActor } from "../../../actors/router.ts";
import { eigrpInstance } from "../../../src/config/eigrp/eigrp-store.ts";
import type { EigrpInstance } from "../../../src/protocols/eigrp/eigrp-instance.ts";
import type { DeviceActor } from "../../../src/runtime/device.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const SEC = 1e9;
const TOPOLOGY = {
  devices: { R1: "router", R2: "router" },
  links: [{ name: "R1-R2", a: "R1 GigabitEthernet0/0", b: "R2 GigabitEthernet0/0", latencyMs: 1 }],
};
const CONFIGS = {
  R1: [
    "hostname R1",
    "interface Loopback1",
    " ip address 10.1.1.1 255.255.255.0",
    "interface GigabitEthernet0/0",
    " ip address 10.0.12.1 255.255.255.0",
    " no shutdown",
    "router eigrp 1",
    " network 10.0.0.0",
    "end",
    "",
  ].join("\n"),
  R2: [
    "hostname R2",
    "interface GigabitEthernet0/0",
    " ip address 10.0.12.2 255.255.255.0",
    " no shutdown",
    "router eigrp 1",
    " network 10.0.0.0",
    "end",
    "",
  ].join("\n"),
};

/** Withholds R2's replies: queueRoute (private) builds every query and reply; replies are dropped before the queue. */
function neverReply(e: EigrpInstance): void {
  const target = e as unknown as { queueRoute(key: string, opcode: string, ...rest: unknown[]): void };
  const queue = target.queueRoute.bind(e);
  target.queueRoute = (key, opcode, ...rest) => {
    if (opcode !== "reply") queue(key, opcode, ...rest);
  };
}

const snap: Record<string, string> = {};
beforeAll(async () => {
  let r2: IosDeviceActor | undefined;
  const factories = {
    ...deviceFactories,
    router: (name: string, text: string, privateConfig?: string): DeviceActor => {
      const actor = createRouter(name, text, privateConfig) as IosDeviceActor;
      if (name === "R2") r2 = actor;
      return actor;
    },
  };
  const lab = await Lab.create(buildLabSpec("eigrp-sia", "eigrp-sia", TOPOLOGY, CONFIGS, 1), {
    workers: 0,
    factories,
  });
  const cmd = async (d: string, line: string) => (await lab.command(d, line)).output;
  try {
    await lab.run(20 * SEC);
    snap.before = await cmd("R2", "show ip route eigrp");
    neverReply(eigrpInstance(r2!.routerDevice, 1)!);
    for (const l of ["configure terminal", "interface Loopback1", "shutdown", "end"]) await cmd("R1", l);
    await lab.run(60 * SEC);
    snap.active = await cmd("R1", "show ip eigrp topology");
    snap.neighborsWaiting = await cmd("R1", "show ip eigrp neighbors");
    await lab.run(125 * SEC);
    snap.after = await cmd("R1", "show ip eigrp topology");
    snap.log = await cmd("R1", "show logging");
    snap.neighborsAfter = await cmd("R1", "show ip eigrp neighbors");
  } finally {
    lab.close();
  }
}, 60_000);

describe("eigrp stuck in active", () => {
  test("a query nobody answers keeps the route active, waiting on the neighbour, which stays up meanwhile", () => {
    expect(snap.before).toMatch(/D\s+10\.1\.1\.0\/24 \[90\/130816\] via 10\.0\.12\.1/);
    expect(snap.active).toMatch(/A 10\.1\.1\.0\/24, 0 successors, FD is \d+, Q\n\s+1 replies, active 00:01:00/);
    // Up since the start: the neighbour was not reset while the query was outstanding.
    expect(snap.neighborsWaiting).toMatch(/0\s+10\.0\.12\.2\s+Gi0\/0\s+\d+ 00:01:20/);
  });

  test("after the active time the neighbour is reset as stuck in active and the route goes passive", () => {
    expect(snap.after).not.toContain("10.1.1.0/24");
    // Loopback1 went down at 00:00:20; the active time is 180 seconds.
    expect(snap.log).toMatch(
      /00:03:20\.\d{3}: %DUAL-5-NBRCHANGE: EIGRP-IPv4 1: Neighbor 10\.0\.12\.2 \(GigabitEthernet0\/0\) is down: stuck in active\n/,
    );
    // The adjacency comes back (hellos still flow) after the reset.
    const ups = snap.log!.match(/Neighbor 10\.0\.12\.2 \(GigabitEthernet0\/0\) is up: new adjacency/g) ?? [];
    expect(ups.length).toBe(2);
    expect(snap.neighborsAfter).toMatch(/10\.0\.12\.2\s+Gi0\/0/);
  });
});
