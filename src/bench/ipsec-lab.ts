// Generates a lab of IPsec peer pairs for `bench ipsec`: pair i is routers
// Ai and Bi joined by their own Gigabit Ethernet link (10.x.y.z/30, A is .1,
// B is .2), each with a Loopback0 host address behind it (172.16/12, A odd,
// B even) and a static route to the other's loopback. With crypto, both
// routers carry the same IOS crypto map template (scenarios/ipsec-crypto-map
// syntax): an ISAKMP policy (AES-256, SHA-256, pre-shared key, the chosen DH
// group), a key for the peer's link address, an ESP AES-256/SHA-1 tunnel-mode
// transform set and a crypto map on the link matching loopback-to-loopback
// traffic. Without crypto the same lab forwards that traffic in the clear.

import { buildLabSpec, type TopologyFile } from "../scenario/topology-file.ts";
import type { LabSpec } from "../runtime/topology.ts";
import type { DhGroup } from "../protocols/ike/dh-groups.ts";
import { deviceName, dottedQuad } from "./device-names.ts";

/** Interface of every router that faces its peer. */
export const IPSEC_LINK_INTERFACE = "GigabitEthernet0/0";

/** What lab to build. */
export interface IpsecPairsOptions {
  /** Peer pairs (at least 1). */
  pairs: number;
  /** DH group of the ISAKMP policy (default 14). */
  group?: DhGroup;
  /** With the crypto map (default true); false gives the clear-text baseline. */
  crypto?: boolean;
  /** One-way latency of each link in ms (default the loader's 0.1 ms). */
  latencyMs?: number;
  seed?: number;
}

/** One pair: router names and the addresses a bench pings. */
export interface IpsecPair {
  /** Router that sends the interesting traffic (and so initiates IKE). */
  initiator: string;
  responder: string;
  /** Loopback0 host addresses (the protected traffic runs between them). */
  initiatorLan: string;
  responderLan: string;
  /** Link addresses (the crypto endpoints). */
  initiatorLink: string;
  responderLink: string;
}

/** A generated lab of pairs. */
export interface IpsecPairsLab {
  spec: LabSpec;
  pairs: IpsecPair[];
  /** Configuration text of each router, by name. */
  configs: Record<string, string>;
}

/** Pre-shared key every pair uses. */
const PSK = "wanlab-bench-psk";

/** Largest number of pairs the address plan holds (10.0.0.0/8 in /30s, 172.16.0.0/12 for loopbacks). */
const MAX_PAIRS = 1 << 19;

/** Link subnet of pair i (0-based): a /30 in 10.0.0.0/8. */
function linkSubnet(i: number): number {
  return ((10 << 24) >>> 0) + 4 * i;
}

/** Loopback0 of pair i's router: 172.16.0.0 + 2i + 1 (A) or + 2 (B). */
function loopbackOf(i: number, side: "A" | "B"): number {
  return (((172 << 24) | (16 << 16)) >>> 0) + 2 * i + (side === "A" ? 1 : 2);
}

/** IOS configuration of one side of a pair. */
function pairConfig(name: string, own: { lan: string; link: string }, peer: { lan: string; link: string }, group: DhGroup, crypto: boolean): string {
  const lines = [`hostname ${name}`, "!"];
  if (crypto) {
    lines.push(
      "crypto isakmp policy 10", " encr aes 256", " hash sha256", " authentication pre-share", ` group ${group}`,
      `crypto isakmp key ${PSK} address ${peer.link}`, "!",
      "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac", " mode tunnel", "!",
      "crypto map VPN 10 ipsec-isakmp", ` set peer ${peer.link}`, " set transform-set TS", " match address VPN_ACL", "!",
    );
  }
  lines.push("interface Loopback0", ` ip address ${own.lan} 255.255.255.255`, "!");
  lines.push(`interface ${IPSEC_LINK_INTERFACE}`, ` ip address ${own.link} 255.255.255.252`, " no shutdown");
  if (crypto) lines.push(" crypto map VPN");
  lines.push("!", `ip route ${peer.lan} 255.255.255.255 ${peer.link}`, "!");
  if (crypto) lines.push("ip access-list extended VPN_ACL", ` permit ip host ${own.lan} host ${peer.lan}`, "!");
  lines.push("end", "");
  return lines.join("\n");
}

/** Builds `pairs` independent pairs of routers, each protecting loopback-to-loopback traffic with a crypto map. */
export function ipsecPairsLab(options: IpsecPairsOptions): IpsecPairsLab {
  const count = options.pairs;
  if (!(Number.isInteger(count) && count >= 1 && count <= MAX_PAIRS)) throw new Error(`an IPsec pairs lab holds 1..${MAX_PAIRS} pairs`);
  const group = options.group ?? 14;
  const crypto = options.crypto ?? true;
  const topo: TopologyFile = { description: `${count} IPsec peer pairs (group ${group}${crypto ? "" : ", no crypto"})`, devices: {}, links: [] };
  const configs: Record<string, string> = {};
  const pairs: IpsecPair[] = [];
  for (let i = 0; i < count; i++) {
    const a = deviceName("A", i + 1, count);
    const b = deviceName("B", i + 1, count);
    const ends = {
      a: { lan: dottedQuad(loopbackOf(i, "A")), link: dottedQuad(linkSubnet(i) + 1) },
      b: { lan: dottedQuad(loopbackOf(i, "B")), link: dottedQuad(linkSubnet(i) + 2) },
    };
    topo.devices[a] = "router";
    topo.devices[b] = "router";
    configs[a] = pairConfig(a, ends.a, ends.b, group, crypto);
    configs[b] = pairConfig(b, ends.b, ends.a, group, crypto);
    topo.links!.push({ name: `${a}-${b}`, a: `${a} ${IPSEC_LINK_INTERFACE}`, b: `${b} ${IPSEC_LINK_INTERFACE}`, latencyMs: options.latencyMs });
    pairs.push({ initiator: a, responder: b, initiatorLan: ends.a.lan, responderLan: ends.b.lan, initiatorLink: ends.a.link, responderLink: ends.b.link });
  }
  const spec = buildLabSpec(`ipsec-pairs-${count}`, "<ipsec pairs generator>", topo, configs, options.seed ?? 1);
  return { spec, pairs, configs };
}
