// EIGRP's shows in IOS 15's layout, from the running process's state:
// `show ip eigrp neighbors [detail]` (handle, address, short interface name,
// hold time left, uptime, SRTT, RTO, queue count, last sequence number
// received; detail adds version, retransmissions, prefixes and stub flags),
// `show ip eigrp topology [all-links]` (P/A, successors, FD; the successors
// and feasible successors, or every path with all-links, as
// `via NH (distance/reported), Interface`, `via Connected`, `via Summary`,
// `via Rstatic`/`via Rconnected`...), `show ip eigrp interfaces` and the
// process's block of `show ip protocols`.

import type { TopologyEntry, TopologyPath } from "../../protocols/eigrp/dual.ts";
import type { EigrpConfig, EigrpDistributeList } from "../../protocols/eigrp/eigrp-config.ts";
import type { EigrpInstance } from "../../protocols/eigrp/eigrp-instance.ts";
import { EIGRP_INFINITY } from "../../protocols/eigrp/metric.ts";
import type { EigrpNeighbor } from "../../protocols/eigrp/neighbor.ts";
import { formatRedistributionSource } from "../../protocols/redistribution.ts";
import { classfulNetwork } from "../../protocols/rip/rip-config.ts";
import { EIGRP_STUB } from "../../wire/eigrp.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import { shortInterfaceName } from "../cli/interface-name.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { eigrpInstances } from "./eigrp-store.ts";

const SEC = 1_000_000_000;
const ip = formatIpv4Address;

function hms(ns: number): string {
  const s = Math.max(0, Math.floor(ns / SEC));
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

const short = (name: string): string => shortInterfaceName(name) ?? name;

/** A show's title: classic `EIGRP-IPv4 WHAT for AS(N)`, named mode `EIGRP-IPv4 VR(NAME) Address-Family WHAT for AS(N)`. */
function title(c: EigrpConfig, what: string): string {
  return c.named === undefined
    ? `EIGRP-IPv4 ${what} for AS(${c.as})`
    : `EIGRP-IPv4 VR(${c.named.name}) Address-Family ${what} for AS(${c.as})`;
}

/** What a stub neighbour advertises, in IOS's words and order (each word followed by a space). */
const STUB_WORDS: ReadonlyArray<[number, string]> = [
  [EIGRP_STUB.CONNECTED, "CONNECTED"],
  [EIGRP_STUB.STATIC, "STATIC"],
  [EIGRP_STUB.SUMMARY, "SUMMARY"],
  [EIGRP_STUB.REDISTRIBUTED, "REDISTRIBUTED"],
];

/**
 * The lines `detail` adds under a neighbour: the software and TLV versions from its hello, retransmissions in
 * total and of the packet now outstanding, how many destinations it gives us a path to, and the stub flags.
 */
function neighborDetail(e: EigrpInstance, n: EigrpNeighbor): string[] {
  const v = n.version ?? [0, 0, 0, 0];
  let prefixes = 0;
  for (const entry of e.dual.entries.values()) if (entry.paths.has(n.key)) prefixes++;
  const out = [
    `   Version ${v[0]}.${v[1]}/${v[2]}.${v[3]}, Retrans: ${n.retransmitCount}, Retries: ${n.retransmissions}, Prefixes: ${prefixes}`,
    "   Topology-ids from peer - 0 ",
  ];
  if (n.stubFlags !== undefined) {
    const words = STUB_WORDS.filter(([bit]) => (n.stubFlags! & bit) !== 0).map(([, w]) => `${w} `);
    const who = (n.stubFlags & EIGRP_STUB.RECEIVE_ONLY) !== 0 ? "Receive-Only" : "Stub";
    out.push(
      `   ${who} Peer Advertising (${words.length === 0 ? " " : words.join("")}) Routes`,
      "   Suppressing queries",
    );
  }
  return out;
}

/** `show ip eigrp neighbors [detail]` for one process. */
export function renderShowIpEigrpNeighbors(e: EigrpInstance, detail = false): string {
  const now = e.now();
  const out = [
    title(e.config, "Neighbors"),
    "H   Address                 Interface              Hold Uptime   SRTT   RTO  Q  Seq",
    "                                                   (sec)         (ms)       Cnt Num",
  ];
  for (const n of e.neighborList()) {
    const hold = Math.max(0, Math.floor((n.lastHeard + n.holdSeconds * SEC - now) / SEC));
    out.push(
      `${String(n.handle).padEnd(4)}${ip(n.address).padEnd(24)}${short(n.ifc.name).padEnd(23)}${String(hold).padStart(4)} ` +
        `${hms(now - n.upSince)}${String(n.srttMs).padStart(5)}${String(n.rtoMs).padStart(6)}${String(n.queue.length).padStart(3)}  ${n.lastSequence}`,
    );
    if (detail) out.push(...neighborDetail(e, n));
  }
  return `${out.join("\n")}\n`;
}

/** How a path is named after `via`. */
function viaText(p: TopologyPath): string {
  if (p.from === "local") {
    if (p.origin === "connected") return `Connected, ${p.interface}`;
    if (p.origin === "summary") return `Summary (${p.distance}/0), ${p.interface}`;
    const proto = p.external?.protocol === 11 ? "connected" : p.external?.protocol === 3 ? "static" : "edistributed";
    return `R${proto} (${p.distance}/0)`;
  }
  return `${ip(p.nextHop)} (${p.distance}/${p.reported}), ${p.interface}`;
}

function entryLines(e: EigrpInstance, t: TopologyEntry, allLinks: boolean): string[] {
  const code = t.state === "active" ? "A" : "P";
  const fd = t.fd >= EIGRP_INFINITY ? "Inaccessible" : String(t.fd);
  const head = `${code} ${ip(t.prefix)}/${t.length}, ${t.successors.length} successors, FD is ${fd}`;
  const withSerno = allLinks ? `${head}, serno ${t.serno}` : head;
  const out = [t.state === "active" ? `${withSerno}, Q` : withSerno];
  if (t.state === "active") {
    const since = Math.max(0, e.now() - (t.active?.since ?? 0));
    out.push(
      `    ${t.active?.awaiting.size ?? 0} replies, active ${hms(since)}, query-origin: ${(t.active?.replyTo.size ?? 0) > 0 ? "Successor Origin" : "Local origin"}`,
    );
  }
  const paths = [...t.paths.values()].sort((a, b) => a.distance - b.distance || a.nextHop - b.nextHop);
  for (const p of paths) {
    const used = t.successors.includes(p);
    const feasible = p.from === "local" || p.reported < t.fd;
    if (!allLinks && !used && !feasible) continue;
    const mark = t.active?.awaiting.has(p.from) === true ? "r" : "";
    out.push(`        via ${viaText(p)}${mark !== "" ? `, ${mark}` : ""}`);
  }
  return out;
}

/** `show ip eigrp topology [all-links]` for one process. */
export function renderShowIpEigrpTopology(e: EigrpInstance, allLinks: boolean): string {
  const out = [
    `${e.config.named === undefined ? "EIGRP-IPv4" : `EIGRP-IPv4 VR(${e.config.named.name})`} Topology Table for AS(${e.config.as})/ID(${ip(e.routerId)})`,
    "Codes: P - Passive, A - Active, U - Update, Q - Query, R - Reply,",
    "       r - reply Status, s - sia Status ",
    "",
  ];
  const entries = [...e.dual.entries.values()]
    .filter((t) => t.paths.size > 0 || t.state === "active")
    .sort((a, b) => a.prefix - b.prefix || a.length - b.length);
  for (const t of entries) out.push(...entryLines(e, t, allLinks));
  return `${out.join("\n")}\n\n`;
}

/** `show ip eigrp interfaces` for one process. */
export function renderShowIpEigrpInterfaces(e: EigrpInstance): string {
  const out = [
    title(e.config, "Interfaces"),
    "                              Xmit Queue   PeerQ        Mean   Pacing Time   Multicast    Pending",
    "Interface              Peers  Un/Reliable  Un/Reliable  SRTT   Un/Reliable   Flow Timer   Routes",
  ];
  for (const st of e.eigrpInterfaces()) {
    const peers = [...st.neighbors.values()];
    const srtt = peers.length === 0 ? 0 : Math.round(peers.reduce((s, n) => s + n.srttMs, 0) / peers.length);
    const queued = peers.reduce((s, n) => s + n.queue.length, 0);
    out.push(
      `${short(st.ifc.name).padEnd(23)}${String(peers.length).padStart(5)}${`0/${queued}`.padStart(12)}${"0/0".padStart(11)}` +
        `${String(srtt).padStart(8)}${"0/0".padStart(12)}${"0".padStart(13)}${String(queued).padStart(12)}`,
    );
  }
  return `${out.join("\n")}\n`;
}

/** `show ip protocols`' filter lines of a direction: the global distribute list, then each interface's. */
function filterLines(c: EigrpConfig, direction: "in" | "out"): string[] {
  const name = (d: EigrpDistributeList): string => (d.kind === "prefix" ? `(prefix-list) ${d.list}` : d.list);
  const all = c.distributeLists.find((d) => d.direction === direction && d.interface === undefined);
  return [
    `  ${direction === "out" ? "Outgoing" : "Incoming"} update filter list for all interfaces is ${all === undefined ? "not set" : name(all)}`,
    ...c.distributeLists
      .filter((d) => d.direction === direction && d.interface !== undefined)
      .map((d) => `    ${d.interface} filtered by ${name(d)} (per-user), default is not set`),
  ];
}

/** The EIGRP processes' blocks of `show ip protocols`. */
export function renderShowIpProtocolsEigrp(device: RouterDevice): string {
  const out: string[] = [];
  for (const e of eigrpInstances(device)) {
    const c = e.config;
    const [k1, k2, k3, k4, k5] = c.kValues;
    out.push(
      `Routing Protocol is "eigrp ${c.as}"`,
      ...filterLines(c, "out"),
      ...filterLines(c, "in"),
      "  Default networks flagged in outgoing updates",
      "  Default networks accepted from incoming updates",
    );
    if (c.redistribute.length > 0)
      out.push(
        `  Redistributing: ${[`eigrp ${c.as}`, ...c.redistribute.map((r) => formatRedistributionSource(r.source))].join(", ")}`,
      );
    out.push(
      `  ${title(c, "Protocol")}`,
      ...(c.named === undefined
        ? [`    Metric weight K1=${k1}, K2=${k2}, K3=${k3}, K4=${k4}, K5=${k5}`]
        : [
            `    Metric weight K1=${k1}, K2=${k2}, K3=${k3}, K4=${k4}, K5=${k5} K6=0`,
            `    Metric rib-scale ${c.named.ribScale}`,
            "    Metric version 64bit",
          ]),
      `    Router-ID: ${ip(e.routerId)}`,
      "    Topology : 0 (base) ",
      "      Active Timer: 3 min",
      `      Distance: internal ${c.distanceInternal} external ${c.distanceExternal}`,
      `      Maximum path: ${c.maximumPaths}`,
      "      Maximum hopcount 100",
      `      Maximum metric variance ${c.variance}`,
      "",
      `  Automatic Summarization: ${c.autoSummary ? "enabled" : "disabled"}`,
      `  Maximum path: ${c.maximumPaths}`,
      "  Routing for Networks:",
    );
    for (const n of c.networks) out.push(`    ${networkText(n.address, n.wildcard)}`);
    const passives = device
      .interfaces()
      .filter((i) => e.covered(i) && e.isPassive(i.name))
      .map((i) => i.name);
    if (passives.length > 0) out.push("  Passive Interface(s):", ...passives.map((n) => `    ${n}`));
    out.push("  Routing Information Sources:", "    Gateway         Distance      Last Update");
    const now = device.now();
    for (const n of e.neighborList().sort((a, b) => a.address - b.address))
      if (n.lastRoutesAt !== undefined)
        out.push(
          `    ${ip(n.address).padEnd(16)}${String(c.distanceInternal).padStart(8)}      ${hms(now - n.lastRoutesAt)}`,
        );
    out.push(`  Distance: internal ${c.distanceInternal} external ${c.distanceExternal}`, "");
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

/** A network statement as show ip protocols lists it: classful ones bare, others with their length. */
export function networkText(address: number, wildcard: number): string {
  if (address === 0 && wildcard === 0xffffffff) return "0.0.0.0";
  const classfulWildcard = ~((0xffffffff << (32 - classfulNetwork(address).length)) >>> 0) >>> 0;
  return wildcard === classfulWildcard ? ip(address) : `${ip(address)}/${32 - popcount(wildcard)}`;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v >>>= 1) n += v & 1;
  return n;
}

/** `show ip eigrp traffic` for one process: the packet counters. */
export function renderShowIpEigrpTraffic(e: EigrpInstance): string {
  const c = e.counters;
  return `${[
    title(e.config, "Traffic Statistics"),
    `  Hellos sent/received: ${c.hellosSent}/${c.hellosReceived}`,
    `  Updates sent/received: ${c.updatesSent}/${c.updatesReceived}`,
    `  Queries sent/received: ${c.queriesSent}/${c.queriesReceived}`,
    `  Replies sent/received: ${c.repliesSent}/${c.repliesReceived}`,
    `  Acks sent/received: ${c.acksSent}/${c.acksReceived}`,
  ].join("\n")}\n`;
}
