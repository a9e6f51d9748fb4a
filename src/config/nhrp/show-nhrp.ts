// `show dmvpn`, `show ip nhrp [brief]`, `show ip nhrp nhs [detail]` and
// `show ip nhrp traffic` in IOS 15's layout, printed from the NHRP process's
// cache, NHS clients and counters.

import type { NhrpCacheEntry } from "../../protocols/nhrp/nhrp-cache.ts";
import type { NhrpInterface } from "../../protocols/nhrp/nhrp-interface.ts";
import type { NhrpTypeCounts } from "../../protocols/nhrp/nhrp-traffic.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import { uptimeText } from "../ios-clock.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { dmvpnCryptoState } from "./dmvpn-crypto-state.ts";
import { nhrpProcess } from "./nhrp-store.ts";

const ip = formatIpv4Address;

function interfaces(device: RouterDevice): NhrpInterface[] {
  return nhrpProcess(device)?.all() ?? [];
}

const DMVPN_LEGEND = [
  "Legend: Attrb --> S - Static, D - Dynamic, I - Incomplete",
  "\tN - NATed, L - Local, X - No Socket",
  "\tT1 - Route Installed, T2 - Nexthop-override",
  "\tC - CTS Capable, I2 - Temporary",
  "\t# Ent --> Number of NHRP entries with same NBMA peer",
  "\tNHS Status: E --> Expecting Replies, R --> Responding, W --> Waiting",
  "\tUpDn Time --> Up or Down Time for a Tunnel",
  "==========================================================================",
];

/**
 * A peer row's attribute letters: N for a peer behind a NAT (its post-NAT address shown), T1 while the
 * entry's NHRP route is in the RIB, T2 while it overrides a next hop.
 */
function attributes(n: NhrpInterface, e: NhrpCacheEntry): string {
  if (e.type === "incomplete") return "I2";
  const route = e.flags.rib ? (n.routeInstalled(e) ? "T1" : "T2") : "";
  return (e.type === "static" ? "S" : "D") + (e.flags.nat ? "N" : "") + route;
}

/** `show dmvpn [detail]`: the peers of each NHRP interface, grouped by NBMA address. */
export function renderShowDmvpn(device: RouterDevice, detail = false): string {
  const list = interfaces(device);
  if (list.length === 0) return "";
  const now = device.now();
  const out = [...DMVPN_LEGEND, ""];
  for (const n of list) {
    if (detail) {
      out.push(...dmvpnDetail(device, n, now));
      continue;
    }
    const groups = peerGroups(n);
    const type = n.servers.length === 0 ? "Hub" : "Spoke";
    out.push(`Interface: ${n.ifc.name}, IPv4 NHRP Details `, `Type:${type}, NHRP Peers:${groups.length}, `, "");
    out.push(" # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb");
    out.push(" ----- --------------- --------------- ----- -------- -----");
    for (const group of groups) {
      group.forEach((e, i) => {
        const server = n.servers.find((s) => s.config.protocol === e.prefix);
        const up = e.type === "incomplete" ? false : server === undefined || server.up;
        const state = dmvpnCryptoState(device, n, e.nbma) ?? (up ? "UP" : "NHRP");
        const since = e.type === "incomplete" ? "never" : uptimeText(now - (server?.stateSince ?? e.createdAt));
        const count = i === 0 ? String(group.length) : "";
        const nbma = i === 0 ? (e.nbma === null ? "UNKNOWN" : ip(e.nbma)) : "";
        const tunnel = ip(e.nextHop);
        out.push(
          `${count.padStart(6)} ${nbma.padEnd(15)} ${tunnel.padStart(15)} ${state.padStart(5)} ${since.padStart(8)} ${attributes(n, e).padStart(5)}`,
        );
      });
    }
    out.push("");
  }
  return `${out.join("\n")}\n`;
}

/** Peer rows grouped by NBMA address: count and NBMA address on the first row of a group. */
function peerGroups(n: NhrpInterface): NhrpCacheEntry[][] {
  const byNbma = new Map<string, NhrpCacheEntry[]>();
  for (const e of n.cache.sorted()) {
    if (e.prefix === n.protocolAddress()) continue;
    const k = e.nbma === null ? `?${e.prefix}` : String(e.nbma);
    const group = byNbma.get(k);
    if (group === undefined) byNbma.set(k, [e]);
    else group.push(e);
  }
  return [...byNbma.values()];
}

/** One interface of `show dmvpn detail`: the tunnel, its NHSs, then each peer with its target network. */
function dmvpnDetail(device: RouterDevice, n: NhrpInterface, now: number): string[] {
  const ifc = n.ifc;
  const address = ifc.config.address?.address;
  const nbma = n.nbmaAddress();
  const multipoint = n.tunnel.isMultipoint();
  const dest = multipoint ? "Multipoint" : ip(ifc.config.tunnel?.destination ?? 0);
  const protect = ifc.config.tunnel?.protection?.profile ?? "";
  const out = [
    `Interface ${ifc.name} is ${ifc.status === "up" ? "up" : "down"}/${ifc.lineProtocolUp ? "up" : "down"}, Addr. is ${address === undefined ? "0.0.0.0" : ip(address)}, VRF "" `,
    `   Tunnel Src./Dest. addr: ${nbma === undefined ? "0.0.0.0" : ip(nbma)}/${dest}, Tunnel VRF ""`,
    `   Protocol/Transport: "${multipoint ? "multi-GRE/IP" : "GRE/IP"}", Protect "${protect}" `,
    "   Interface State Control: Disabled",
    "   nhrp event-publisher : Disabled",
    "",
  ];
  if (n.servers.length > 0) {
    out.push("IPv4 NHS: ");
    for (const s of n.servers) out.push(`${ip(s.config.protocol)}  ${s.up ? "RE" : s.state} priority = 0 cluster = 0`);
  }
  const groups = peerGroups(n);
  out.push(`Type:${n.servers.length === 0 ? "Hub" : "Spoke"}, Total NBMA Peers (v4/v6): ${groups.length}`, "");
  out.push("# Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb    Target Network");
  out.push("----- --------------- --------------- ----- -------- ----- -----------------");
  for (const group of groups) {
    group.forEach((e, i) => {
      const server = n.servers.find((s) => s.config.protocol === e.prefix);
      const up = e.type !== "incomplete" && (server === undefined || server.up);
      const since = e.type === "incomplete" ? "never" : uptimeText(now - (server?.stateSince ?? e.createdAt));
      const count = i === 0 ? String(group.length) : "";
      const peer = i === 0 ? (e.nbma === null ? "UNKNOWN" : ip(e.nbma)) : "";
      out.push(
        `${count.padStart(5)} ${peer.padEnd(15)} ${ip(e.nextHop).padStart(15)} ${(dmvpnCryptoState(device, n, e.nbma) ?? (up ? "UP" : "NHRP")).padStart(5)} ${since.padStart(8)} ${attributes(n, e).padStart(5)} ${`${ip(e.prefix)}/${e.length}`.padStart(17)}`,
      );
    });
  }
  out.push("", "");
  return out;
}

function flagWords(e: NhrpCacheEntry): string {
  const f = e.flags;
  const words: string[] = [];
  if (f.router) words.push("router");
  if (f.implicit) words.push("implicit");
  if (f.unique) words.push("unique");
  if (f.nat) words.push("nat");
  if (f.registered) words.push("registered");
  if (f.used) words.push("used");
  if (f.nhop) words.push("nhop");
  if (f.rib) words.push("rib");
  if (f.nho) words.push("nho");
  if (e.type === "incomplete") words.push("negative");
  return words.join(" ");
}

/**
 * `show ip nhrp [detail]`: every cache entry with its age, expiry, type, flags and NBMA address (an
 * incomplete one with the datagrams that found it so); `show ip nhrp shortcut`: the shortcuts only.
 */
export function renderShowIpNhrp(device: RouterDevice, only: "all" | "shortcut" = "all"): string {
  const now = device.now();
  const out: string[] = [];
  for (const n of interfaces(device)) {
    for (const e of n.cache.sorted()) {
      if (only === "shortcut" && !e.flags.rib) continue;
      const head = `${ip(e.prefix)}/${e.length}`;
      out.push(e.type === "incomplete" ? head : `${head} via ${ip(e.nextHop)}`);
      const expire = e.expiresAt === null ? "never expire" : `expire ${uptimeText(Math.max(0, e.expiresAt - now))}`;
      out.push(`   ${n.ifc.name} created ${uptimeText(now - e.createdAt)}, ${expire}`);
      const flags = flagWords(e);
      out.push(`   Type: ${e.type}, Flags: ${flags}`.trimEnd());
      if (e.nbma !== null) out.push(`   NBMA address: ${ip(e.nbma)}`);
      if (e.claimedNbma !== undefined) out.push(`    (Claimed NBMA address: ${ip(e.claimedNbma)})`);
      if (e.type === "incomplete") out.push(`   Cache hits: ${e.hits}`);
    }
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

/** `show ip nhrp brief`: one pair of lines per complete entry. */
export function renderShowIpNhrpBrief(device: RouterDevice): string {
  const out = [
    "****************************************************************************",
    "    NOTE: Link-Local, No-socket and Incomplete entries are not displayed",
    "****************************************************************************",
    "Legend: Type --> S - Static, D - Dynamic",
    "        Flags --> u - unique, r - registered, e - temporary, c - claimed",
    "        a - authoritative, t - route",
    "============================================================================",
    "",
    "Intf     NextHop Address                                    NBMA Address",
    "         Target Network                              T/Flag",
    "-------- ------------------------------------------- ------ ----------------",
  ];
  for (const n of interfaces(device)) {
    const short = n.ifc.name.replace(/^Tunnel/, "Tu");
    for (const e of n.cache.sorted()) {
      if (e.type === "incomplete" || e.nbma === null) continue;
      const flags = `${e.flags.unique ? "u" : ""}${e.flags.registered ? "r" : ""}${e.flags.router ? "a" : ""}${e.flags.rib ? "t" : ""}`;
      out.push(`${short.padEnd(8)} ${ip(e.nextHop).padEnd(50)} ${ip(e.nbma)}`);
      out.push(
        `${"".padEnd(8)} ${`${ip(e.prefix)}/${e.length}`.padEnd(43)} ${`${e.type === "static" ? "S" : "D"}/${flags}`}`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}

/** `show ip nhrp nhs [detail]`: the servers we register with and their state. */
export function renderShowIpNhrpNhs(device: RouterDevice, detail: boolean): string {
  const now = device.now();
  const out = ["Legend: E=Expecting replies, R=Responding, W=Waiting"];
  for (const n of interfaces(device)) {
    if (n.servers.length === 0) continue;
    out.push(`${n.ifc.name}:`);
    for (const s of n.servers) {
      const state = s.up ? "RE" : s.state;
      const nbma = s.config.nbma ?? n.config.maps.get(s.config.protocol);
      let line = `${ip(s.config.protocol)}  ${state}`;
      if (detail && nbma !== undefined) line += ` NBMA Address: ${ip(nbma)}`;
      line += " priority = 0 cluster = 0";
      if (detail) {
        line += `  req-sent ${s.requestsSent}  req-failed ${s.requestsFailed}  repl-recv ${s.repliesReceived}`;
        if (s.lastReplyAt !== null) line += ` (${uptimeText(now - s.lastReplyAt)} ago)`;
      }
      out.push(line);
    }
  }
  return `${out.join("\n")}\n`;
}

function countLines(c: NhrpTypeCounts): string[] {
  return [
    `         ${c.resolutionRequest} Resolution Request  ${c.resolutionReply} Resolution Reply  ${c.registrationRequest} Registration Request  `,
    `         ${c.registrationReply} Registration Reply  ${c.purgeRequest} Purge Request  ${c.purgeReply} Purge Reply  `,
    `         ${c.errorIndication} Error Indication  ${c.trafficIndication} Traffic Indication  ${c.redirectSuppress} Redirect Suppress  `,
  ];
}

/** `show ip nhrp traffic`: packets sent and received per type on each NHRP interface. */
export function renderShowIpNhrpTraffic(device: RouterDevice): string {
  const out: string[] = [];
  for (const n of interfaces(device)) {
    out.push(`${n.ifc.name}:`);
    out.push(`   Sent: Total ${n.traffic.sent.total()}`, ...countLines(n.traffic.sent));
    out.push(`   Rcvd: Total ${n.traffic.rcvd.total()}`, ...countLines(n.traffic.rcvd));
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
