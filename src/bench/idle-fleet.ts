// Generates a large idle lab: N routers in a ring of serial links, each with
// four interfaces (Serial0/0 to the previous router, Serial0/1 to the next,
// Loopback0 and Loopback1) and a few static routes (both neighbours' loopbacks
// and a default route onwards). Used to measure start-up time and memory of a
// lab that is mostly idle.

import type { LabSpec } from "../runtime/topology.ts";
import { buildLabSpec, type TopologyFile } from "../scenario/topology-file.ts";
import { deviceName, dottedQuad } from "./device-names.ts";

/** What fleet to build. */
export interface IdleFleetOptions {
  /** Routers in the ring (at least 3). */
  devices: number;
  seed?: number;
}

/** A generated fleet. */
export interface IdleFleet {
  spec: LabSpec;
  names: string[];
  /** Loopback0 address of each router, in ring order. */
  loopbacks: string[];
}

/** Loopback0 of router n (0-based): 172.16.x.y; Loopback1 is the same host in 172.17/16. */
function loopback(n: number, which: 0 | 1): number {
  return (((172 << 24) | ((16 + which) << 16)) >>> 0) + n + 1;
}

/** Subnet of ring link n (router n to router n+1): 10.x.y.0/24, router n is .1, router n+1 is .2. */
function linkSubnet(n: number): number {
  return ((10 << 24) >>> 0) + n * 256;
}

function fleetConfig(n: number, count: number, name: string): string {
  const prev = (n + count - 1) % count;
  const next = (n + 1) % count;
  const toPrev = dottedQuad(linkSubnet(prev) + 1);
  const toNext = dottedQuad(linkSubnet(n) + 2);
  return [
    `hostname ${name}`,
    "!",
    "interface Loopback0",
    ` ip address ${dottedQuad(loopback(n, 0))} 255.255.255.255`,
    "!",
    "interface Loopback1",
    ` ip address ${dottedQuad(loopback(n, 1))} 255.255.255.255`,
    "!",
    "interface Serial0/0",
    " description ring previous",
    ` ip address ${dottedQuad(linkSubnet(prev) + 2)} 255.255.255.0`,
    " no shutdown",
    "!",
    "interface Serial0/1",
    " description ring next",
    ` ip address ${dottedQuad(linkSubnet(n) + 1)} 255.255.255.0`,
    " no shutdown",
    "!",
    `ip route ${dottedQuad(loopback(prev, 0))} 255.255.255.255 ${toPrev}`,
    `ip route ${dottedQuad(loopback(prev, 1))} 255.255.255.255 ${toPrev}`,
    `ip route ${dottedQuad(loopback(next, 0))} 255.255.255.255 ${toNext}`,
    `ip route ${dottedQuad(loopback(next, 1))} 255.255.255.255 ${toNext}`,
    `ip route 0.0.0.0 0.0.0.0 ${toNext}`,
    "!",
    "end",
    "",
  ].join("\n");
}

/** Builds a ring of `devices` routers over serial links. */
export function idleFleet(options: IdleFleetOptions): IdleFleet {
  const count = options.devices;
  if (!(Number.isInteger(count) && count >= 3)) throw new Error("an idle fleet needs at least 3 routers");
  if (count > 65_535) throw new Error("an idle fleet holds at most 65,535 routers");
  const names = Array.from({ length: count }, (_, i) => deviceName("R", i + 1, count));
  const configs: Record<string, string> = {};
  const topo: TopologyFile = { description: `ring of ${count} routers`, devices: {}, links: [] };
  names.forEach((name, n) => {
    const next = names[(n + 1) % count]!;
    topo.devices[name] = "router";
    configs[name] = fleetConfig(n, count, name);
    topo.links!.push({ name: `${name}-${next}`, a: `${name} Serial0/1`, b: `${next} Serial0/0` });
  });
  const spec = buildLabSpec(`fleet-${count}`, "<idle fleet generator>", topo, configs, options.seed ?? 1);
  return { spec, names, loopbacks: names.map((_, n) => dottedQuad(loopback(n, 0))) };
}
