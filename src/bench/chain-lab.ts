// Generates a chain of routers R1 - R2 - ... - RN joined by point-to-point
// links (Gigabit Ethernet or serial), with a loopback on each router and static
// routes so that every address answers from every router: towards the left a
// route per remote loopback and link, towards the right a default route. The
// configurations are IOS text, as a user would write them (see
// scenarios/basic-ping), and go through the normal topology loader.

import type { LabSpec } from "../runtime/topology.ts";
import { buildLabSpec, type TopologyFile } from "../scenario/topology-file.ts";
import { deviceName, dottedQuad } from "./device-names.ts";

/** Link type of the chain. */
export type ChainLinkKind = "gigabit" | "serial";

/** What chain to build. */
export interface ChainOptions {
  /** Routers in the chain (at least 2). */
  routers: number;
  /** Link type (default gigabit). */
  link?: ChainLinkKind;
  /** One-way latency of each link in ms (default: the loader's, 0.1 ms Ethernet, 1 ms serial). */
  latencyMs?: number;
  seed?: number;
}

/** A generated chain: its lab and the addresses a test or bench pings. */
export interface ChainLab {
  spec: LabSpec;
  /** Router names, left to right. */
  names: string[];
  /** Loopback0 address of each router, left to right. */
  loopbacks: string[];
  /** Configuration text of each router, by name. */
  configs: Record<string, string>;
}

/** Loopback0 of router n (1-based): 172.16.x.y/32. */
function loopbackOf(n: number): number {
  return (((172 << 24) | (16 << 16)) >>> 0) + n;
}

/** Subnet of link n (between router n and n+1): 10.x.y.0/24, router n is .1 and router n+1 is .2. */
function linkSubnet(n: number): number {
  return ((10 << 24) >>> 0) + n * 256;
}

function interfaceNames(link: ChainLinkKind): [left: string, right: string] {
  return link === "serial" ? ["Serial0/0", "Serial0/1"] : ["GigabitEthernet0/0", "GigabitEthernet0/1"];
}

/** IOS configuration of router n of a chain of `count`. */
function chainConfig(n: number, count: number, link: ChainLinkKind, name: string): string {
  const [leftIf, rightIf] = interfaceNames(link);
  const lines = [
    `hostname ${name}`,
    "!",
    "interface Loopback0",
    ` ip address ${dottedQuad(loopbackOf(n))} 255.255.255.255`,
    "!",
  ];
  if (n > 1) {
    lines.push(
      `interface ${leftIf}`,
      ` description to ${n - 1}`,
      ` ip address ${dottedQuad(linkSubnet(n - 1) + 2)} 255.255.255.0`,
      " no shutdown",
      "!",
    );
  }
  if (n < count) {
    lines.push(
      `interface ${rightIf}`,
      ` description to ${n + 1}`,
      ` ip address ${dottedQuad(linkSubnet(n) + 1)} 255.255.255.0`,
      " no shutdown",
      "!",
    );
  }
  if (n > 1) {
    const left = dottedQuad(linkSubnet(n - 1) + 1);
    for (let j = 1; j < n; j++) lines.push(`ip route ${dottedQuad(loopbackOf(j))} 255.255.255.255 ${left}`);
    for (let j = 1; j < n - 1; j++) lines.push(`ip route ${dottedQuad(linkSubnet(j))} 255.255.255.0 ${left}`);
  }
  if (n < count) lines.push(`ip route 0.0.0.0 0.0.0.0 ${dottedQuad(linkSubnet(n) + 2)}`);
  lines.push("!", "end", "");
  return lines.join("\n");
}

/** Builds a chain of routers with static routes end to end. */
export function chainLab(options: ChainOptions): ChainLab {
  const count = options.routers;
  if (!(Number.isInteger(count) && count >= 2)) throw new Error("a chain needs at least 2 routers");
  const link = options.link ?? "gigabit";
  const [leftIf, rightIf] = interfaceNames(link);
  const names = Array.from({ length: count }, (_, i) => deviceName("R", i + 1, count));
  const configs: Record<string, string> = {};
  const topo: TopologyFile = { description: `chain of ${count} routers over ${link} links`, devices: {}, links: [] };
  names.forEach((name, i) => {
    topo.devices[name] = "router";
    configs[name] = chainConfig(i + 1, count, link, name);
    if (i + 1 < count) {
      topo.links!.push({
        name: `${name}-${names[i + 1]}`,
        a: `${name} ${rightIf}`,
        b: `${names[i + 1]} ${leftIf}`,
        latencyMs: options.latencyMs,
      });
    }
  });
  const spec = buildLabSpec(`chain-${count}`, "<chain generator>", topo, configs, options.seed ?? 1);
  return { spec, names, loopbacks: names.map((_, i) => dottedQuad(loopbackOf(i + 1))), configs };
}
