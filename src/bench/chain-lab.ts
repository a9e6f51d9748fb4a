// Generates a chain of routers R1 - R2 - ... - RN joined by point-to-point
// links (Gigabit Ethernet or serial), with a loopback on each router and static
// routes so that every address answers from every router: towards the left a
// route per remote loopback and link, towards the right a default route. With
// several chains the lab holds independent copies (A1..AN, B1..BN, same
// addresses, no router or wire shared). The configurations are IOS text, as a
// user would write them (see scenarios/basic-ping), and go through the normal
// topology loader.

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
  /** Independent chains in the lab (default 1; with more, routers are named A1.., B1.., ...). */
  chains?: number;
}

/** One chain of a lab: its routers left to right and their Loopback0 addresses. */
export interface Chain {
  names: string[];
  loopbacks: string[];
}

/** A generated chain: its lab and the addresses a test or bench pings. */
export interface ChainLab {
  spec: LabSpec;
  /** Router names of the first chain, left to right. */
  names: string[];
  /** Loopback0 address of each router of the first chain, left to right. */
  loopbacks: string[];
  /** Every chain (the first is names/loopbacks). */
  chains: Chain[];
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

/** Builds a chain of routers (or several independent ones) with static routes end to end. */
export function chainLab(options: ChainOptions): ChainLab {
  const count = options.routers;
  if (!(Number.isInteger(count) && count >= 2)) throw new Error("a chain needs at least 2 routers");
  const chainCount = options.chains ?? 1;
  if (!(Number.isInteger(chainCount) && chainCount >= 1 && chainCount <= 26)) throw new Error("1 to 26 chains");
  const link = options.link ?? "gigabit";
  const [leftIf, rightIf] = interfaceNames(link);
  const configs: Record<string, string> = {};
  const what = chainCount === 1 ? `chain of ${count} routers` : `${chainCount} chains of ${count} routers`;
  const topo: TopologyFile = { description: `${what} over ${link} links`, devices: {}, links: [] };
  const chains: Chain[] = [];
  for (let c = 0; c < chainCount; c++) {
    const prefix = chainCount === 1 ? "R" : String.fromCharCode(65 + c);
    const names = Array.from({ length: count }, (_, i) => deviceName(prefix, i + 1, count));
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
    chains.push({ names, loopbacks: names.map((_, i) => dottedQuad(loopbackOf(i + 1))) });
  }
  const name = chainCount === 1 ? `chain-${count}` : `chains-${chainCount}x${count}`;
  const spec = buildLabSpec(name, "<chain generator>", topo, configs, options.seed ?? 1);
  return { spec, names: chains[0]!.names, loopbacks: chains[0]!.loopbacks, chains, configs };
}
