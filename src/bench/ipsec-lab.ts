// Generates IPsec labs for `bench ipsec`, every router configured from the
// same IOS crypto map template (scenarios/ipsec-crypto-map syntax): an ISAKMP
// policy (AES-256, SHA-256, pre-shared key, the chosen DH group), a key per
// peer address, an ESP AES-256/SHA-1 tunnel-mode transform set and a crypto
// map on the WAN interface matching loopback-to-loopback traffic.
//  - pairs: pair i is routers Ai and Bi on their own Gigabit Ethernet link
//    (10.x.y.z/30, A is .1, B is .2), each with a Loopback0 host address
//    behind it (172.16/12) and a static route to the other's. Each IKE daemon
//    has one peer. Without crypto the same lab forwards in the clear.
//  - hub: spokes S1..SN, each on its own link to an ISP router (10.x.y.z/30,
//    ISP .1, spoke .2), and a HUB behind the ISP (100.64.0.0/30) whose one
//    crypto map holds an entry, a key and an ACL per spoke: one IKE daemon
//    with N peers.

import type { DhGroup } from "../protocols/ike/dh-groups.ts";
import type { LabSpec } from "../runtime/topology.ts";
import { buildLabSpec, type TopologyFile } from "../scenario/topology-file.ts";
import { deviceName, dottedQuad } from "./device-names.ts";

/** WAN interface of every crypto router (towards its peer, or the ISP). */
export const IPSEC_LINK_INTERFACE = "GigabitEthernet0/0";

/** How the tunnels are laid out. */
export type IpsecLayout = "pairs" | "hub";

/** What lab to build. */
export interface IpsecLabOptions {
  /** Tunnels: peer pairs, or spokes of the hub (at least 1). */
  tunnels: number;
  layout?: IpsecLayout;
  /** DH group of the ISAKMP policies (default 14). */
  group?: DhGroup;
  /** With the crypto maps (default true); false gives the clear-text baseline. */
  crypto?: boolean;
  /** One-way latency of each link in ms (default the loader's 0.1 ms). */
  latencyMs?: number;
  seed?: number;
}

/** One tunnel: its routers and the addresses a bench pings. */
export interface IpsecPair {
  /** Router that sends the interesting traffic (and so initiates IKE). */
  initiator: string;
  responder: string;
  /** Loopback0 host addresses (the protected traffic runs between them). */
  initiatorLan: string;
  responderLan: string;
  /** Crypto endpoints (WAN interface addresses). */
  initiatorLink: string;
  responderLink: string;
}

/** A generated lab. */
export interface IpsecLab {
  spec: LabSpec;
  layout: IpsecLayout;
  tunnels: IpsecPair[];
  /** Echoes to send before any measurement so every next hop is in the ARP tables (IOS drops the packet that asks). */
  arp: Array<{ device: string; address: string }>;
  /** Configuration text of each router, by name. */
  configs: Record<string, string>;
}

/** Pre-shared key of every tunnel. */
const PSK = "wanlab-bench-psk";

/** Largest number of tunnels the address plan holds (10.0.0.0/8 in /30s, 172.16.0.0/12 for loopbacks). */
const MAX_TUNNELS = 1 << 19;

/** Link subnet i (0-based): a /30 in 10.0.0.0/8. */
function linkSubnet(i: number): number {
  return ((10 << 24) >>> 0) + 4 * i;
}

/** Loopback n (0-based) in 172.16.0.0/12. */
function loopback(n: number): number {
  return (((172 << 24) | (16 << 16)) >>> 0) + n + 1;
}

/** One crypto map entry of the template. */
interface Peer {
  link: string;
  /** Protected address behind the peer. */
  lan: string;
}

/** The crypto part of a router's configuration: one policy, and a key, ACL and map entry per peer. */
function cryptoLines(ownLan: string, peers: Peer[], group: DhGroup): string[] {
  const lines = [
    "crypto isakmp policy 10",
    " encr aes 256",
    " hash sha256",
    " authentication pre-share",
    ` group ${group}`,
  ];
  for (const p of peers) lines.push(`crypto isakmp key ${PSK} address ${p.link}`);
  lines.push("!", "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac", " mode tunnel", "!");
  peers.forEach((p, i) =>
    lines.push(
      `crypto map VPN ${10 * (i + 1)} ipsec-isakmp`,
      ` set peer ${p.link}`,
      " set transform-set TS",
      ` match address VPN${i + 1}`,
    ),
  );
  lines.push("!");
  peers.forEach((p, i) => lines.push(`ip access-list extended VPN${i + 1}`, ` permit ip host ${ownLan} host ${p.lan}`));
  lines.push("!");
  return lines;
}

/** A crypto router: Loopback0, the WAN interface (with the map when crypto is on), routes and the crypto template. */
function cryptoRouterConfig(
  name: string,
  own: { lan: string; link: string; mask: string },
  peers: Peer[],
  routes: string[],
  group: DhGroup,
  crypto: boolean,
): string {
  const lines = [`hostname ${name}`, "!"];
  if (crypto) lines.push(...cryptoLines(own.lan, peers, group));
  lines.push("interface Loopback0", ` ip address ${own.lan} 255.255.255.255`, "!");
  lines.push(`interface ${IPSEC_LINK_INTERFACE}`, ` ip address ${own.link} ${own.mask}`, " no shutdown");
  if (crypto) lines.push(" crypto map VPN");
  lines.push("!", ...routes, "!", "end", "");
  return lines.join("\n");
}

function checkCount(count: number): void {
  if (!(Number.isInteger(count) && count >= 1 && count <= MAX_TUNNELS))
    throw new Error(`an IPsec lab holds 1..${MAX_TUNNELS} tunnels`);
}

/** `tunnels` independent pairs of routers, each pair protecting loopback-to-loopback traffic. */
function pairsLab(options: IpsecLabOptions): IpsecLab {
  const count = options.tunnels;
  const group = options.group ?? 14;
  const crypto = options.crypto ?? true;
  const topo: TopologyFile = {
    description: `${count} IPsec peer pairs (group ${group}${crypto ? "" : ", no crypto"})`,
    devices: {},
    links: [],
  };
  const configs: Record<string, string> = {};
  const tunnels: IpsecPair[] = [];
  const arp: IpsecLab["arp"] = [];
  for (let i = 0; i < count; i++) {
    const a = deviceName("A", i + 1, count);
    const b = deviceName("B", i + 1, count);
    const ea = { lan: dottedQuad(loopback(2 * i)), link: dottedQuad(linkSubnet(i) + 1), mask: "255.255.255.252" };
    const eb = { lan: dottedQuad(loopback(2 * i + 1)), link: dottedQuad(linkSubnet(i) + 2), mask: "255.255.255.252" };
    topo.devices[a] = "router";
    topo.devices[b] = "router";
    configs[a] = cryptoRouterConfig(a, ea, [eb], [`ip route ${eb.lan} 255.255.255.255 ${eb.link}`], group, crypto);
    configs[b] = cryptoRouterConfig(b, eb, [ea], [`ip route ${ea.lan} 255.255.255.255 ${ea.link}`], group, crypto);
    topo.links!.push({
      name: `${a}-${b}`,
      a: `${a} ${IPSEC_LINK_INTERFACE}`,
      b: `${b} ${IPSEC_LINK_INTERFACE}`,
      latencyMs: options.latencyMs,
    });
    tunnels.push({
      initiator: a,
      responder: b,
      initiatorLan: ea.lan,
      responderLan: eb.lan,
      initiatorLink: ea.link,
      responderLink: eb.link,
    });
    arp.push({ device: a, address: eb.link }, { device: b, address: ea.link });
  }
  const spec = buildLabSpec(`ipsec-pairs-${count}`, "<ipsec lab generator>", topo, configs, options.seed ?? 1);
  return { spec, layout: "pairs", tunnels, arp, configs };
}

/** A hub with `tunnels` spokes behind an ISP router; the hub's one crypto map has an entry per spoke. */
function hubLab(options: IpsecLabOptions): IpsecLab {
  const count = options.tunnels;
  const group = options.group ?? 14;
  const crypto = options.crypto ?? true;
  const hub = { lan: "192.168.255.1", link: "100.64.0.1", mask: "255.255.255.252" };
  const ispToHub = "100.64.0.2";
  const topo: TopologyFile = {
    description: `IPsec hub with ${count} spokes (group ${group}${crypto ? "" : ", no crypto"})`,
    devices: { HUB: "router", ISP: "router" },
    links: [],
  };
  topo.links!.push({
    name: "HUB-ISP",
    a: `HUB ${IPSEC_LINK_INTERFACE}`,
    b: "ISP GigabitEthernet0/0",
    latencyMs: options.latencyMs,
  });
  const configs: Record<string, string> = {};
  const tunnels: IpsecPair[] = [];
  const arp: IpsecLab["arp"] = [
    { device: "HUB", address: ispToHub },
    { device: "ISP", address: hub.link },
  ];
  const isp = [
    "hostname ISP",
    "!",
    "interface GigabitEthernet0/0",
    ` ip address ${ispToHub} 255.255.255.252`,
    " no shutdown",
    "!",
  ];
  const ispRoutes = [`ip route ${hub.lan} 255.255.255.255 ${hub.link}`];
  const spokes: Peer[] = [];
  for (let i = 0; i < count; i++) {
    const s = deviceName("S", i + 1, count);
    const ispIf = `GigabitEthernet0/${i + 1}`;
    const gateway = dottedQuad(linkSubnet(i) + 1);
    const own = { lan: dottedQuad(loopback(i)), link: dottedQuad(linkSubnet(i) + 2), mask: "255.255.255.252" };
    topo.devices[s] = "router";
    configs[s] = cryptoRouterConfig(s, own, [hub], [`ip route 0.0.0.0 0.0.0.0 ${gateway}`], group, crypto);
    topo.links!.push({
      name: `ISP-${s}`,
      a: `ISP ${ispIf}`,
      b: `${s} ${IPSEC_LINK_INTERFACE}`,
      latencyMs: options.latencyMs,
    });
    isp.push(`interface ${ispIf}`, ` ip address ${gateway} 255.255.255.252`, " no shutdown", "!");
    ispRoutes.push(`ip route ${own.lan} 255.255.255.255 ${own.link}`);
    spokes.push(own);
    tunnels.push({
      initiator: s,
      responder: "HUB",
      initiatorLan: own.lan,
      responderLan: hub.lan,
      initiatorLink: own.link,
      responderLink: hub.link,
    });
    arp.push({ device: s, address: gateway }, { device: "ISP", address: own.link });
  }
  configs.ISP = [...isp, ...ispRoutes, "!", "end", ""].join("\n");
  configs.HUB = cryptoRouterConfig("HUB", hub, spokes, [`ip route 0.0.0.0 0.0.0.0 ${ispToHub}`], group, crypto);
  const spec = buildLabSpec(`ipsec-hub-${count}`, "<ipsec lab generator>", topo, configs, options.seed ?? 1);
  return { spec, layout: "hub", tunnels, arp, configs };
}

/** Builds an IPsec lab: independent peer pairs (default) or a hub with spokes. */
export function ipsecLab(options: IpsecLabOptions): IpsecLab {
  checkCount(options.tunnels);
  return (options.layout ?? "pairs") === "hub" ? hubLab(options) : pairsLab(options);
}
