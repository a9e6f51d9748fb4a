// Generates an EIGRP lab for the `bench eigrp` command: N routers in a grid
// (each router to its right and lower neighbours) joined by Gigabit Ethernet
// links, every router running `router eigrp 1` with `network 0.0.0.0` and a
// Loopback0. Multi-hop paths with many equal and unequal alternatives give
// DUAL real work (feasible successors, queries when links fail). The
// generator also says how many EIGRP routes each router must end up with.

import type { LabSpec } from "../runtime/topology.ts";
import { buildLabSpec, type TopologyFile } from "../scenario/topology-file.ts";
import { deviceName, dottedQuad } from "./device-names.ts";

export interface EigrpLab {
  spec: LabSpec;
  names: string[];
  links: number;
  /** EIGRP routes each router must have once converged (other loopbacks and non-attached link subnets). */
  expectedRoutes: number[];
}

/** Builds the grid. Link k is 10.(k>>8).(k&255).0/24 (.1 and .2); router i's loopback is 172.16/16 + i + 1. */
export function eigrpLab(n: number, seed = 1): EigrpLab {
  if (!(Number.isInteger(n) && n >= 2 && n <= 65_000)) throw new Error("bench eigrp needs 2 to 65,000 routers");
  const names = Array.from({ length: n }, (_, i) => deviceName("R", i + 1, n));
  const w = Math.ceil(Math.sqrt(n));
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    if ((i + 1) % w !== 0 && i + 1 < n) pairs.push([i, i + 1]);
    if (i + w < n) pairs.push([i, i + w]);
  }
  const ports = Array.from({ length: n }, () => 0);
  const lines: string[][] = names.map((name, i) => [
    `hostname ${name}`,
    "interface Loopback0",
    ` ip address ${dottedQuad(0xac100000 + i + 1)} 255.255.255.255`,
  ]);
  const topo: TopologyFile = { description: `grid of ${n} EIGRP routers`, devices: {}, links: [] };
  for (const name of names) topo.devices[name] = "router";
  pairs.forEach(([a, b], k) => {
    const subnet = 0x0a000000 + k * 256;
    const pa = `GigabitEthernet0/${ports[a]!++}`;
    const pb = `GigabitEthernet0/${ports[b]!++}`;
    for (const [r, p, host] of [
      [a, pa, 1],
      [b, pb, 2],
    ] as const)
      lines[r]!.push(`interface ${p}`, ` ip address ${dottedQuad(subnet + host)} 255.255.255.0`, " no shutdown");
    topo.links!.push({ name: `L${k}`, a: `${names[a]} ${pa}`, b: `${names[b]} ${pb}` });
  });
  const configs: Record<string, string> = {};
  names.forEach((name, i) => {
    configs[name] = [...lines[i]!, "router eigrp 1", " network 0.0.0.0", "end", ""].join("\n");
  });
  return {
    spec: buildLabSpec(`eigrp-grid-${n}`, "<eigrp bench generator>", topo, configs, seed),
    names,
    links: pairs.length,
    expectedRoutes: ports.map((degree) => n - 1 + pairs.length - degree),
  };
}
