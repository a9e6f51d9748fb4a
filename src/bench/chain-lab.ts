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

/**
 * An overlay between the chain's two ends: a GRE tunnel between the first and
 * last routers' Loopback0, or the same GRE flow protected by crypto maps on
 * their chain interfaces (ESP transport mode, esp-aes esp-sha-hmac); the
 * first router reaches the last one's Loopback1 through the tunnel.
 */
export type ChainTunnel = "gre" | "gre-ipsec";

/**
 * Output queueing on every chain interface: `no fair-queue` (FIFO, the 40-packet
 * hold queue) or `fair-queue` (WFQ, CDT 64, hold queue 1000); unset leaves IOS's
 * default (FIFO on Gigabit Ethernet, WFQ on a T1).
 */
export type ChainQueueing = "fifo" | "fair-queue";

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
  /** A tunnel between the two ends (default none). */
  tunnel?: ChainTunnel;
  /** Queueing on every chain interface (default: IOS's default for the link). */
  queueing?: ChainQueueing;
}

/** One chain of a lab: its routers left to right and their Loopback0 addresses. */
export interface Chain {
  names: string[];
  loopbacks: string[];
  /** What the first router sends to: the last Loopback0, or with a tunnel the last Loopback1 behind it. */
  target: string;
}

/** The last router's Loopback1 (with a tunnel): only the tunnel leads there. */
const TUNNEL_TARGET = "192.168.255.1";

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

/** The tunnel lines of an end router: crypto (gre-ipsec); Tunnel0, Loopback1 on the last one (after Loopback0); the route in. */
function tunnelConfig(
  n: number,
  count: number,
  tunnel: ChainTunnel,
): { head: string[]; interfaces: string[]; tail: string[] } {
  const first = n === 1;
  const me = dottedQuad(loopbackOf(n));
  const peer = dottedQuad(loopbackOf(first ? count : 1));
  const head: string[] = [];
  if (tunnel === "gre-ipsec") {
    head.push(
      "crypto isakmp policy 10",
      " encr aes",
      " hash sha",
      " authentication pre-share",
      " group 14",
      `crypto isakmp key bench123 address ${peer}`,
      "!",
      "crypto ipsec transform-set TS esp-aes esp-sha-hmac",
      " mode transport",
      "!",
      "crypto map VPN local-address Loopback0",
      "crypto map VPN 10 ipsec-isakmp",
      ` set peer ${peer}`,
      " set transform-set TS",
      " match address GRE",
      "!",
    );
  }
  const interfaces = [
    "interface Tunnel0",
    ` ip address 10.255.0.${first ? 1 : 2} 255.255.255.252`,
    " tunnel source Loopback0",
    ` tunnel destination ${peer}`,
    "!",
  ];
  if (!first) interfaces.push("interface Loopback1", ` ip address ${TUNNEL_TARGET} 255.255.255.255`, "!");
  const tail = first ? [`ip route ${TUNNEL_TARGET} 255.255.255.255 Tunnel0`] : [];
  if (tunnel === "gre-ipsec") tail.push("ip access-list extended GRE", ` permit gre host ${me} host ${peer}`);
  return { head, interfaces, tail };
}

/** IOS configuration of router n of a chain of `count`. */
function chainConfig(
  n: number,
  count: number,
  link: ChainLinkKind,
  name: string,
  tunnel?: ChainTunnel,
  queueing?: ChainQueueing,
): string {
  const [leftIf, rightIf] = interfaceNames(link);
  const end = tunnel !== undefined && (n === 1 || n === count);
  const extra = end ? tunnelConfig(n, count, tunnel) : { head: [], interfaces: [], tail: [] };
  const cryptoMap = end && tunnel === "gre-ipsec" ? [" crypto map VPN"] : [];
  const queue = queueing === undefined ? [] : [queueing === "fifo" ? " no fair-queue" : " fair-queue"];
  const lines = [
    `hostname ${name}`,
    "!",
    ...extra.head,
    "interface Loopback0",
    ` ip address ${dottedQuad(loopbackOf(n))} 255.255.255.255`,
    "!",
    ...extra.interfaces,
  ];
  if (n > 1) {
    lines.push(
      `interface ${leftIf}`,
      ` description to ${n - 1}`,
      ` ip address ${dottedQuad(linkSubnet(n - 1) + 2)} 255.255.255.0`,
      ...cryptoMap,
      ...queue,
      " no shutdown",
      "!",
    );
  }
  if (n < count) {
    lines.push(
      `interface ${rightIf}`,
      ` description to ${n + 1}`,
      ` ip address ${dottedQuad(linkSubnet(n) + 1)} 255.255.255.0`,
      ...cryptoMap,
      ...queue,
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
  lines.push(...extra.tail);
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
  const over = options.tunnel === undefined ? "" : `, a ${options.tunnel} tunnel end to end`;
  const topo: TopologyFile = { description: `${what} over ${link} links${over}`, devices: {}, links: [] };
  const chains: Chain[] = [];
  for (let c = 0; c < chainCount; c++) {
    const prefix = chainCount === 1 ? "R" : String.fromCharCode(65 + c);
    const names = Array.from({ length: count }, (_, i) => deviceName(prefix, i + 1, count));
    names.forEach((name, i) => {
      topo.devices[name] = "router";
      configs[name] = chainConfig(i + 1, count, link, name, options.tunnel, options.queueing);
      if (i + 1 < count) {
        topo.links!.push({
          name: `${name}-${names[i + 1]}`,
          a: `${name} ${rightIf}`,
          b: `${names[i + 1]} ${leftIf}`,
          latencyMs: options.latencyMs,
        });
      }
    });
    const loopbacks = names.map((_, i) => dottedQuad(loopbackOf(i + 1)));
    chains.push({ names, loopbacks, target: options.tunnel === undefined ? loopbacks[count - 1]! : TUNNEL_TARGET });
  }
  const name = chainCount === 1 ? `chain-${count}` : `chains-${chainCount}x${count}`;
  const spec = buildLabSpec(name, "<chain generator>", topo, configs, options.seed ?? 1);
  return { spec, names: chains[0]!.names, loopbacks: chains[0]!.loopbacks, chains, configs };
}
