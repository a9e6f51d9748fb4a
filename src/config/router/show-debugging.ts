// `show debugging`: every debug switch that is on, under the heading of its
// IOS subsystem, each in the words its `debug` command answered with, e.g.
//   IP routing:
//     RIP protocol debugging is on
//   OSPF:
//     OSPF adjacency debugging is on
// Nothing at all when every switch is off, as IOS prints.

import type { DebugFlags, RouterDevice } from "./router-device.ts";

/** Each switch's subsystem heading and line (null: shown with another switch's line). */
const DEBUG_LINES: Readonly<Record<keyof DebugFlags, readonly [string, string] | null>> = {
  ipIcmp: ["Generic IP", "ICMP packet debugging is on"],
  ipPacket: ["Generic IP", "IP packet debugging is on"],
  ipPacketDetail: null,
  arp: ["Generic IP", "ARP packet debugging is on"],
  ipRouting: ["IP routing", "IP routing debugging is on"],
  ipRip: ["IP routing", "RIP protocol debugging is on"],
  cryptoIsakmp: ["Cryptographic Subsystem", "Crypto ISAKMP debugging is on"],
  cryptoIpsec: ["Cryptographic Subsystem", "Crypto IPSEC debugging is on"],
  cryptoGdoi: ["Cryptographic Subsystem", "Crypto GDOI debugging is on"],
  ipNat: ["IP NAT", "IP NAT debugging is on"],
  ipNatDetailed: ["IP NAT", "IP NAT detailed debugging is on"],
  nhrp: ["NHRP", "NHRP protocol debugging is on"],
  ospfAdj: ["OSPF", "OSPF adjacency debugging is on"],
  ospfHello: ["OSPF", "OSPF hello debugging is on"],
  ospfEvents: ["OSPF", "OSPF events debugging is on"],
};

/** The switches that are on, grouped by heading in the order the table lists them. */
export function renderShowDebugging(device: RouterDevice): string {
  const groups = new Map<string, string[]>();
  for (const key of Object.keys(DEBUG_LINES) as (keyof DebugFlags)[]) {
    const entry = DEBUG_LINES[key];
    if (entry === null || !device.debug[key]) continue;
    const line = key === "ipPacket" && device.debug.ipPacketDetail ? `${entry[1]} (detailed)` : entry[1];
    const lines = groups.get(entry[0]) ?? [];
    lines.push(line);
    groups.set(entry[0], lines);
  }
  return [...groups].map(([heading, lines]) => `${heading}:\n${lines.map((l) => `  ${l}\n`).join("")}`).join("");
}
