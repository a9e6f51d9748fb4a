// Generates a single-area OSPF lab for the `bench ospf` command: N routers
// joined by Gigabit Ethernet links run as OSPF point-to-point (no DR election,
// no 40 s wait; serial T1s would spend the run serializing database copies), either as a grid (each router to its
// right and lower neighbors) or as a random connected graph of average degree
// 3 (a random spanning tree plus random extra links, from a seeded generator
// local to the bench). Every router runs `router ospf 1` over all its
// interfaces in area 0 with its Loopback0 as router ID. The generator also
// says how many OSPF routes each router must end up with.

import type { LabSpec } from "../runtime/topology.ts";
import { buildLabSpec, type TopologyFile } from "../scenario/topology-file.ts";
import { deviceName, dottedQuad } from "./device-names.ts";

export type OspfBenchShape = "grid" | "random";

export interface OspfLab {
  spec: LabSpec;
  names: string[];
  links: number;
  /** OSPF routes each router must have once converged (other loopbacks and non-attached link subnets). */
  expectedRoutes: number[];
}

/** A small deterministic generator (mulberry32) so the random graph is the same for a seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The router pairs of a shape. */
function edges(n: number, shape: OspfBenchShape, seed: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (shape === "grid") {
    const w = Math.ceil(Math.sqrt(n));
    for (let i = 0; i < n; i++) {
      if ((i + 1) % w !== 0 && i + 1 < n) out.push([i, i + 1]);
      if (i + w < n) out.push([i, i + w]);
    }
    return out;
  }
  const rnd = random(seed);
  const seen = new Set<string>();
  const add = (a: number, b: number) => {
    const k = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (a === b || seen.has(k)) return false;
    seen.add(k);
    out.push([a, b]);
    return true;
  };
  for (let i = 1; i < n; i++) add(i, Math.floor(rnd() * i));
  const target = Math.round((3 * n) / 2);
  while (out.length < target) add(Math.floor(rnd() * n), Math.floor(rnd() * n));
  return out;
}

/** Builds the lab. Link k is 10.(k>>8).(k&255).0/24 (addresses .1 and .2); router i's loopback is 172.16/16 + i + 1. */
export function ospfLab(n: number, shape: OspfBenchShape, seed = 1): OspfLab {
  if (!(Number.isInteger(n) && n >= 2 && n <= 65_000)) throw new Error("bench ospf needs 2 to 65,000 routers");
  const names = Array.from({ length: n }, (_, i) => deviceName("R", i + 1, n));
  const pairs = edges(n, shape, seed);
  const ports = Array.from({ length: n }, () => 0);
  const lines: string[][] = names.map((name, i) => [
    `hostname ${name}`,
    "interface Loopback0",
    ` ip address ${dottedQuad(0xac100000 + i + 1)} 255.255.255.255`,
  ]);
  const topo: TopologyFile = { description: `${shape} of ${n} OSPF routers`, devices: {}, links: [] };
  for (const name of names) topo.devices[name] = "router";
  pairs.forEach(([a, b], k) => {
    const subnet = 0x0a000000 + k * 256;
    const pa = `GigabitEthernet0/${ports[a]!++}`;
    const pb = `GigabitEthernet0/${ports[b]!++}`;
    for (const [r, p, host] of [
      [a, pa, 1],
      [b, pb, 2],
    ] as const)
      lines[r]!.push(
        `interface ${p}`,
        ` ip address ${dottedQuad(subnet + host)} 255.255.255.0`,
        " ip ospf network point-to-point",
        " no shutdown",
      );
    topo.links!.push({ name: `L${k}`, a: `${names[a]} ${pa}`, b: `${names[b]} ${pb}` });
  });
  const configs: Record<string, string> = {};
  names.forEach((name, i) => {
    configs[name] = [...lines[i]!, "router ospf 1", " network 0.0.0.0 255.255.255.255 area 0", "end", ""].join("\n");
  });
  return {
    spec: buildLabSpec(`ospf-${shape}-${n}`, "<ospf bench generator>", topo, configs, seed),
    names,
    links: pairs.length,
    // Every other router's loopback, and every link subnet this router is not on (its own are connected).
    expectedRoutes: ports.map((degree) => n - 1 + pairs.length - degree),
  };
}
