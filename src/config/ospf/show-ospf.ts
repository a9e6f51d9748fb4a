// The OSPF shows as IOS 15 prints them, each from the running process's
// state: `show ip ospf`, `show ip ospf neighbor [detail]`, `show ip ospf
// interface [IF] [brief]`, `show ip ospf database [type]` and `show ip
// protocols`. Lines IOS prints about features wanlab does not have (NSF,
// opaque LSAs, LLS, MPLS) are left out rather than printed as constants.

import type { LsdbEntry } from "../../protocols/ospf/lsdb.ts";
import { entryAge } from "../../protocols/ospf/lsdb.ts";
import { ospfDistance } from "../../protocols/ospf/ospf-config.ts";
import type { OspfInstance } from "../../protocols/ospf/ospf-instance.ts";
import type { OspfInterface, OspfNeighbor } from "../../protocols/ospf/ospf-interface.ts";
import { formatRedistributionSource } from "../../protocols/redistribution.ts";
import type { TimeNs } from "../../runtime/device.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import { LSA_TYPE, OSPF_OPTION, ROUTER_LSA_FLAG } from "../../wire/ospf/index.ts";
import { shortInterfaceName } from "../cli/interface-name.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { type OspfProcessState, ospfInstance, ospfState } from "./ospf-store.ts";

const ip = formatIpv4Address;
const hex = (n: number, width: number) => `0x${(n >>> 0).toString(16).toUpperCase().padStart(width, "0")}`;

/** hh:mm:ss of a duration. */
function hms(ns: number): string {
  const s = Math.max(0, Math.floor(ns / 1e9));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

/** hh:mm:ss.mmm of a duration. */
function hmsMs(ns: number): string {
  return `${hms(ns)}.${String(Math.floor(ns / 1e6) % 1000).padStart(3, "0")}`;
}

/** The processes to show: one, or all in id order. */
function processes(device: RouterDevice, pid?: number): Array<{ state: OspfProcessState; o: OspfInstance }> {
  const all = ospfState(device).processes;
  const ids = pid !== undefined ? [pid] : [...all.keys()].sort((a, b) => a - b);
  return ids.flatMap((id) => {
    const state = all.get(id);
    const o = ospfInstance(device, id);
    return state !== undefined && o !== undefined && o.routerId !== 0 ? [{ state, o }] : [];
  });
}

const areaName = (p: OspfProcessState, id: number): string => p.areaText.get(id) ?? String(id);

/** The neighbor's role on its segment, as the State column shows it. */
function role(n: OspfNeighbor): string {
  const oi = n.ospfInterface;
  if (oi.networkType === "pointToPoint" || oi.networkType === "pointToMultipoint") return "  -";
  return n.address === oi.dr ? "DR" : n.address === oi.bdr ? "BDR" : "DROTHER";
}

function deadTime(n: OspfNeighbor, now: TimeNs): string {
  return n.inactivity === undefined ? "-" : hms(n.deadAt - now + 999_999_999);
}

/** `show ip ospf neighbor [detail]`. */
export function renderShowIpOspfNeighbor(device: RouterDevice, pid: number | undefined, detail: boolean): string {
  const now = device.now();
  const out: string[] = [];
  const list = processes(device, pid).flatMap(({ o }) => o.neighbors());
  if (!detail) {
    if (list.length === 0) return "";
    out.push("", "Neighbor ID     Pri   State           Dead Time   Address         Interface");
    for (const n of list)
      out.push(
        `${(n.routerId === 0 ? "N/A" : ip(n.routerId)).padEnd(15)} ${String(n.priority).padStart(3)}   ${`${n.state}/${role(n)}`.padEnd(15)} ${deadTime(n, now).padEnd(11)} ${ip(n.address).padEnd(15)} ${n.ospfInterface.name}`,
      );
    return `${out.join("\n")}\n`;
  }
  for (const n of list) {
    const oi = n.ospfInterface;
    const area = processes(device, pid).find(({ o }) => o.interfaces.get(oi.name) === oi);
    out.push(
      ` Neighbor ${ip(n.routerId)}, interface address ${ip(n.address)}`,
      `    In the area ${area ? areaName(area.state, oi.area) : oi.area} via interface ${oi.name}`,
      `    Neighbor priority is ${n.priority}, State is ${n.state}, ${n.stateChanges} state changes`,
      `    DR is ${ip(n.dr)} BDR is ${ip(n.bdr)}`,
      `    Options is ${hex(n.options, 2)}`,
      `    Dead timer due in ${deadTime(n, now)}`,
      `    Neighbor is up for ${hms(now - n.stateChangedAt)}`,
      `    Retransmission queue length ${n.retransmitList.size}, number of retransmission ${n.retransmissions}`,
      `    Link State retransmission due in ${n.retransmitTimer === undefined ? 0 : Math.max(0, Math.round((n.retransmitDueAt - now) / 1e6))} msec`,
    );
    if (n.mtuMismatches > 0)
      out.push(`    ${n.mtuMismatches} database description packets dropped: neighbor MTU larger than ours`);
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

const INTERFACE_STATE_BRIEF: Readonly<Record<string, string>> = {
  DOWN: "DOWN",
  LOOPBACK: "LOOP",
  WAITING: "WAIT",
  POINT_TO_POINT: "P2P",
  DROTHER: "DROTH",
  BDR: "BDR",
  DR: "DR",
};

const NETWORK_TYPE_TEXT: Readonly<Record<string, string>> = {
  broadcast: "BROADCAST",
  nonBroadcast: "NON_BROADCAST",
  pointToPoint: "POINT_TO_POINT",
  pointToMultipoint: "POINT_TO_MULTIPOINT",
  loopback: "LOOPBACK",
};

function ospfInterfaces(o: OspfInstance, name?: string): OspfInterface[] {
  return [...o.interfaces.values()].filter((oi) => name === undefined || oi.name === name);
}

/** `show ip ospf interface brief`. */
export function renderShowIpOspfInterfaceBrief(device: RouterDevice, pid?: number, name?: string): string {
  const out = ["Interface    PID   Area            IP Address/Mask    Cost  State Nbrs F/C"];
  for (const { state, o } of processes(device, pid))
    for (const oi of ospfInterfaces(o, name)) {
      const short = shortInterfaceName(oi.name) ?? oi.name;
      const nbrs = [...oi.neighbors.values()];
      out.push(
        `${short.padEnd(12)} ${String(o.processId).padEnd(5)} ${areaName(state, oi.area).padEnd(15)} ${`${ip(oi.address)}/${oi.maskLength}`.padEnd(18)} ${String(oi.cost).padEnd(5)} ${INTERFACE_STATE_BRIEF[oi.state]!.padEnd(5)} ${nbrs.filter((n) => n.state === "FULL").length}/${nbrs.length}`,
      );
    }
  return `${out.join("\n")}\n`;
}

/** `show ip ospf interface [IF]`. */
export function renderShowIpOspfInterface(device: RouterDevice, pid?: number, name?: string): string {
  const now = device.now();
  const out: string[] = [];
  for (const { state, o } of processes(device, pid))
    for (const oi of ospfInterfaces(o, name)) {
      const ifc = oi.ifc;
      const how =
        state.config.interfaceSettings(oi.name)?.area !== undefined ? "Interface Enable" : "Network Statement";
      out.push(
        `${oi.name} is ${ifc.status}, line protocol is ${ifc.lineProtocolUp ? "up" : "down"} `,
        `  Internet Address ${ip(oi.address)}/${oi.maskLength}, Area ${areaName(state, oi.area)}, Attached via ${how}`,
        `  Process ID ${o.processId}, Router ID ${ip(o.routerId)}, Network Type ${NETWORK_TYPE_TEXT[oi.networkType]}, Cost: ${oi.cost}`,
      );
      if (oi.state === "LOOPBACK") {
        out.push("  Loopback interface is treated as a stub Host");
        continue;
      }
      // IOS prints the priority only where it elects a DR (not on point-to-point or point-to-multipoint).
      const elects = oi.networkType === "broadcast" || oi.networkType === "nonBroadcast";
      out.push(`  Transmit Delay is 1 sec, State ${oi.state}${elects ? `, Priority ${oi.priority}` : ""}`);
      const byAddress = (a: number) => [...oi.neighbors.values()].find((n) => n.address === a);
      const idOf = (a: number) => (a === oi.address ? o.routerId : (byAddress(a)?.routerId ?? a));
      if (oi.dr !== 0) out.push(`  Designated Router (ID) ${ip(idOf(oi.dr))}, Interface address ${ip(oi.dr)}`);
      else if (oi.networkType === "broadcast" || oi.networkType === "nonBroadcast")
        out.push("  No designated router on this network");
      if (oi.bdr !== 0)
        out.push(`  Backup Designated router (ID) ${ip(idOf(oi.bdr))}, Interface address ${ip(oi.bdr)}`);
      else if (oi.networkType === "broadcast" || oi.networkType === "nonBroadcast")
        out.push("  No backup designated router on this network");
      out.push(
        `  Timer intervals configured, Hello ${oi.helloSec}, Dead ${oi.deadSec}, Wait ${oi.deadSec}, Retransmit ${oi.retransmitSec}`,
      );
      if (oi.passive) out.push("    No Hellos (Passive interface) ");
      else if (oi.helloTimer !== undefined) out.push(`    Hello due in ${hms(oi.helloDueAt - now + 999_999_999)}`);
      const nbrs = [...oi.neighbors.values()];
      const adjacent = nbrs.filter((n) => n.state === "FULL");
      out.push(`  Neighbor Count is ${nbrs.length}, Adjacent neighbor count is ${adjacent.length} `);
      for (const n of adjacent) {
        const tag =
          n.address === oi.dr ? "  (Designated Router)" : n.address === oi.bdr ? "  (Backup Designated Router)" : "";
        out.push(`    Adjacent with neighbor ${ip(n.routerId)}${tag}`);
      }
      if (oi.auth === "simple") out.push("  Simple password authentication enabled");
      else if (oi.auth === "md5") {
        out.push("  Cryptographic authentication enabled");
        const ids = [...oi.md5Keys.keys()].sort((a, b) => b - a);
        if (ids.length > 0) out.push(`    Youngest key id is ${ids[0]}`);
      }
    }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

const DB_TITLES: ReadonlyArray<{ type: number; title: string; keyword: string; tag?: boolean; count?: boolean }> = [
  { type: LSA_TYPE.ROUTER, title: "Router Link States", keyword: "router", count: true },
  { type: LSA_TYPE.NETWORK, title: "Net Link States", keyword: "network" },
  { type: LSA_TYPE.SUMMARY, title: "Summary Net Link States", keyword: "summary" },
  { type: LSA_TYPE.ASBR_SUMMARY, title: "Summary ASB Link States", keyword: "asbr-summary" },
  { type: LSA_TYPE.NSSA_EXTERNAL, title: "Type-7 AS External Link States", keyword: "nssa-external", tag: true },
  { type: LSA_TYPE.AS_EXTERNAL, title: "Type-5 AS External Link States", keyword: "external", tag: true },
];

const byKey = (a: LsdbEntry, b: LsdbEntry) =>
  (a.lsa.header.linkStateId >>> 0) - (b.lsa.header.linkStateId >>> 0) ||
  (a.lsa.header.advertisingRouter >>> 0) - (b.lsa.header.advertisingRouter >>> 0);

/** `show ip ospf database [type]`. */
export function renderShowIpOspfDatabase(device: RouterDevice, pid?: number, type?: string): string {
  const now = device.now();
  const out: string[] = [];
  for (const { state, o } of processes(device, pid)) {
    out.push("", `            OSPF Router with ID (${ip(o.routerId)}) (Process ID ${o.processId})`);
    const areas = [...o.areas.values()].sort((a, b) => a.id - b.id);
    const sections: Array<{ title: string; entries: LsdbEntry[]; def: (typeof DB_TITLES)[number]; order: number }> = [];
    for (const def of DB_TITLES) {
      if (type !== undefined && def.keyword !== type) continue;
      if (def.type === LSA_TYPE.AS_EXTERNAL) {
        const entries = o.external.all();
        if (entries.length > 0) sections.push({ title: def.title, entries, def, order: 1e9 });
        continue;
      }
      areas.forEach((a, i) => {
        const entries = a.db.ofType(def.type);
        const title = `${def.title} (Area ${areaName(state, a.id)})`;
        if (entries.length > 0) sections.push({ title, entries, def, order: i * 100 + DB_TITLES.indexOf(def) });
      });
    }
    // IOS groups the sections by area, areas in order, then the AS-wide type 5s.
    sections.sort((x, y) => x.order - y.order);
    for (const s of sections) {
      out.push("", `\t\t${s.title}`, "");
      if (type !== undefined) {
        for (const e of [...s.entries].sort(byKey)) out.push(...lsaDetail(e, now), "");
        out.pop();
        continue;
      }
      out.push(
        `Link ID         ADV Router      Age         Seq#       Checksum${s.def.count ? " Link count" : s.def.tag ? " Tag" : ""}`,
      );
      for (const e of [...s.entries].sort(byKey)) {
        const h = e.lsa.header;
        const b = e.lsa.body;
        const extra =
          b.kind === "router"
            ? ` ${b.links.length}`
            : b.kind === "external" || b.kind === "nssa"
              ? ` ${b.routeTag}`
              : "";
        out.push(
          `${ip(h.linkStateId).padEnd(15)} ${ip(h.advertisingRouter).padEnd(15)} ${String(entryAge(e, now)).padEnd(11)} ${hex(h.sequence, 8)} ${hex(h.checksum, 6)}${extra}`,
        );
      }
    }
  }
  return `${out.join("\n")}\n`;
}

const LINK_TYPE_TEXT = ["", "another Router (point-to-point)", "a Transit Network", "a Stub Network", "a Virtual Link"];
const LINK_ID_TEXT = [
  "",
  "Neighboring Router ID",
  "Designated Router address",
  "Network/subnet number",
  "Neighboring Router ID",
];
const LINK_DATA_TEXT = [
  "",
  "Router Interface address",
  "Router Interface address",
  "Network Mask",
  "Router Interface address",
];

/** The Options of an LSA as IOS words them. */
function optionsText(options: number): string {
  const words = ["No TOS-capability"];
  if (options & OSPF_OPTION.NP) words.push("Type 7/5 translation");
  if (options & OSPF_OPTION.DC) words.push("DC");
  if ((options & (OSPF_OPTION.E | OSPF_OPTION.NP)) === 0 && !(options & OSPF_OPTION.DC))
    return "No TOS-capability, No DC";
  return words.join(", ");
}

/** The detail of one LSA, as `show ip ospf database <type>` prints it. */
function lsaDetail(e: LsdbEntry, now: TimeNs): string[] {
  const h = e.lsa.header;
  const b = e.lsa.body;
  const typeText: Record<number, string> = {
    1: "Router Links",
    2: "Network Links",
    3: "Summary Links(Network)",
    4: "Summary Links(AS Boundary Router)",
    5: "AS External Link",
    7: "AS External Link",
  };
  const out = [
    `  LS age: ${entryAge(e, now)}`,
    `  Options: (${optionsText(h.options)})`,
    `  LS Type: ${typeText[h.type] ?? h.type}`,
    `  Link State ID: ${ip(h.linkStateId)}${h.type === 1 ? "" : h.type === 2 ? " (address of Designated Router)" : h.type === 4 ? " (AS Boundary Router address)" : h.type === 3 ? " (summary Network Number)" : " (External Network Number )"}`,
    `  Advertising Router: ${ip(h.advertisingRouter)}`,
    `  LS Seq Number: ${(h.sequence >>> 0).toString(16).toUpperCase()}`,
    `  Checksum: ${hex(h.checksum, 0)}`,
    `  Length: ${h.length}`,
  ];
  switch (b.kind) {
    case "router": {
      if (b.flags & ROUTER_LSA_FLAG.B) out.push("  Area Border Router");
      if (b.flags & ROUTER_LSA_FLAG.E) out.push("  AS Boundary Router");
      out.push(`  Number of Links: ${b.links.length}`, "");
      for (const l of b.links)
        out.push(
          `    Link connected to: ${LINK_TYPE_TEXT[l.type]}`,
          `     (Link ID) ${LINK_ID_TEXT[l.type]}: ${ip(l.linkId)}`,
          `     (Link Data) ${LINK_DATA_TEXT[l.type]}: ${ip(l.linkData)}`,
          "      Number of MTID metrics: 0",
          `       TOS 0 Metrics: ${l.metric}`,
          "",
        );
      out.pop();
      break;
    }
    case "network":
      out.push(`  Network Mask: /${maskLen(b.mask)}`);
      for (const r of b.attachedRouters) out.push(`\tAttached Router: ${ip(r)}`);
      break;
    case "summary":
    case "asbrSummary":
      out.push(`  Network Mask: /${maskLen(b.mask)}`, `\tMTID: 0 \tMetric: ${b.metric}`);
      break;
    case "external":
    case "nssa":
      out.push(
        `  Network Mask: /${maskLen(b.mask)}`,
        `\tMetric Type: ${b.type2 ? "2 (Larger than any link state path)" : "1 (Comparable directly to link state metric)"}`,
        "\tMTID: 0 ",
        `\tMetric: ${b.metric} `,
        `\tForward Address: ${ip(b.forwardingAddress)}`,
        `\tExternal Route Tag: ${b.routeTag}`,
      );
      break;
    case "unknown":
      break;
  }
  return out;
}

function maskLen(mask: number): number {
  let n = 0;
  for (let m = mask >>> 0; m & 0x80000000; m = (m << 1) >>> 0) n++;
  return n;
}

function areaCounts(o: OspfInstance): string {
  const areas = [...o.areas.values()];
  const n = (t: string) => areas.filter((a) => a.settings.type === t).length;
  return `Number of areas in this router is ${areas.length}. ${n("normal")} normal ${n("stub")} stub ${n("nssa")} nssa`;
}

function routerKind(o: OspfInstance, state: OspfProcessState): string | null {
  const abr = o.isAbr();
  const asbr = state.config.redistribute.length > 0 || state.config.defaultInformation !== undefined;
  if (abr && asbr) return "It is an area border and autonomous system boundary router";
  if (abr) return "It is an area border router";
  if (asbr) return "It is an autonomous system boundary router";
  return null;
}

/** `show ip ospf [pid]`. */
export function renderShowIpOspf(device: RouterDevice, pid?: number): string {
  const now = device.now();
  const out: string[] = [];
  for (const { state, o } of processes(device, pid)) {
    out.push(
      ` Routing Process "ospf ${o.processId}" with ID ${ip(o.routerId)}`,
      ` Start time: ${hmsMs(o.startedAt)}, Time elapsed: ${hmsMs(now - o.startedAt)}`,
      " Supports only single TOS(TOS0) routes",
    );
    const kind = routerKind(o, state);
    if (kind !== null) out.push(` ${kind}`);
    if (state.config.redistribute.length > 0 || state.config.defaultInformation !== undefined)
      out.push(" Redistributing External Routes from,", ...redistributionLines(state).map((l) => `    ${l}`));
    const spf = state.config.spfThrottle;
    const lsa = state.config.lsaThrottle;
    out.push(
      ` Initial SPF schedule delay ${spf.startMs} msecs`,
      ` Minimum hold time between two consecutive SPFs ${spf.holdMs} msecs`,
      ` Maximum wait time between two consecutive SPFs ${spf.maxMs} msecs`,
      // IOS names MinLSInterval until `timers throttle lsa` is configured, then the throttle's three values.
      ...(lsa === undefined
        ? [" Minimum LSA interval 5 secs"]
        : [
            ` Initial LSA throttle delay ${lsa.startMs} msecs`,
            ` Minimum hold time for LSA throttle ${lsa.holdMs} msecs`,
            ` Maximum wait time for LSA throttle ${lsa.maxMs} msecs`,
          ]),
      " Minimum LSA arrival 1000 msecs",
      ` Number of external LSA ${o.external.size}. Checksum Sum ${hex(o.external.checksumSum(), 6)}`,
      ` ${areaCounts(o)}`,
      ` Reference bandwidth unit is ${state.config.referenceBandwidthMbps} mbps`,
    );
    for (const a of [...o.areas.values()].sort((x, y) => x.id - y.id)) {
      const ifcs = [...o.interfaces.values()].filter((oi) => oi.area === a.id);
      const loops = ifcs.filter((oi) => oi.networkType === "loopback").length;
      const name = a.id === 0 ? `BACKBONE(${areaName(state, 0)})` : areaName(state, a.id);
      out.push(`    Area ${name}`);
      const typeText =
        a.settings.type === "stub"
          ? `    It is a stub area${a.settings.noSummary ? ", no summary LSA in this area" : ""}`
          : a.settings.type === "nssa"
            ? `    It is a NSSA area${a.settings.noSummary ? ", no summary LSA in this area" : ""}`
            : null;
      out.push(`        Number of interfaces in this area is ${ifcs.length}${loops > 0 ? ` (${loops} loopback)` : ""}`);
      if (typeText !== null) out.push(typeText);
      const auth = a.settings.authentication;
      out.push(
        `\tArea has ${auth === "md5" ? "message digest authentication" : auth === "simple" ? "simple password authentication" : "no authentication"}`,
        `\tSPF algorithm last executed ${o.lastSpfAt === undefined ? "never" : `${hmsMs(now - o.lastSpfAt)} ago`}`,
        `\tSPF algorithm executed ${a.spfRuns} times`,
        "\tArea ranges are",
        ...a.settings.ranges.map(
          (r) =>
            `\t   ${ip(r.prefix)}/${r.length} ${r.advertise ? "Active" : "Passive"}(${r.advertise ? "Advertise" : "DoNotAdvertise"}) `,
        ),
        `\tNumber of LSA ${a.db.size}. Checksum Sum ${hex(a.db.checksumSum(), 6)}`,
      );
    }
    out.push("");
  }
  return `${out.join("\n")}\n`;
}

function redistributionLines(state: OspfProcessState): string[] {
  const out: string[] = [];
  for (const r of state.config.redistribute)
    out.push(`${formatRedistributionSource(r.source)}${r.subnets ? ", includes subnets in redistribution" : ""}`);
  return out;
}

/** `show ip protocols`: the OSPF processes (IKE is no routing protocol). */
export function renderShowIpProtocols(device: RouterDevice): string {
  const now = device.now();
  const out: string[] = [];
  for (const { state, o } of processes(device)) {
    out.push(
      `Routing Protocol is "ospf ${o.processId}"`,
      "  Outgoing update filter list for all interfaces is not set",
      `  Incoming update filter list for all interfaces is ${state.distributeList ?? "not set"}`,
      `  Router ID ${ip(o.routerId)}`,
    );
    const kind = routerKind(o, state);
    if (kind !== null) out.push(`  ${kind}`);
    if (state.config.redistribute.length > 0)
      out.push("  Redistributing External Routes from,", ...redistributionLines(state).map((l) => `    ${l}`));
    out.push(`  ${areaCounts(o)}`, `  Maximum path: ${state.config.maximumPaths}`, "  Routing for Networks:");
    for (const n of state.config.networks)
      out.push(`    ${ip(n.address)} ${ip(n.wildcard)} area ${areaName(state, n.area)}`);
    const explicit = new Map<number, string[]>();
    for (const oi of o.interfaces.values()) {
      if (state.config.interfaceSettings(oi.name)?.area === undefined) continue;
      explicit.set(oi.area, [...(explicit.get(oi.area) ?? []), oi.name]);
    }
    for (const [area, names] of explicit)
      out.push(
        `  Routing on Interfaces Configured Explicitly (Area ${areaName(state, area)}):`,
        ...names.map((n) => `    ${n}`),
      );
    const passive = [...o.interfaces.values()].filter((oi) => oi.passive).map((oi) => oi.name);
    if (passive.length > 0) out.push("  Passive Interface(s):", ...passive.map((n) => `    ${n}`));
    const dist = state.config.distance;
    out.push("  Routing Information Sources:", "    Gateway         Distance      Last Update");
    // The routers whose LSAs this router used, with when their newest LSA arrived.
    const latest = new Map<number, TimeNs>();
    const note = (e: LsdbEntry) => {
      const r = e.lsa.header.advertisingRouter >>> 0;
      if (r === o.routerId) return;
      latest.set(r, Math.max(latest.get(r) ?? 0, e.installedAt));
    };
    for (const a of o.areas.values()) for (const e of a.db.all()) note(e);
    for (const e of o.external.all()) note(e);
    for (const [r, at] of [...latest].sort((x, y) => y[0] - x[0]))
      out.push(`    ${ip(r).padEnd(15)} ${String(dist.default ?? 110).padStart(8)}      ${hms(now - at)}`);
    // With per-type distances IOS lists the three; otherwise the process's default.
    out.push(
      dist.intraArea === undefined && dist.interArea === undefined && dist.external === undefined
        ? `  Distance: (default is ${dist.default ?? 110})`
        : `  Distance: intra-area ${ospfDistance(dist, "intra")} inter-area ${ospfDistance(dist, "inter")} external ${ospfDistance(dist, "external")}`,
      "",
    );
  }
  return `${out.join("\n")}\n`;
}

/** `show ip ospf traffic`: packets received and sent by type, per process. */
export function renderShowIpOspfTraffic(device: RouterDevice, pid?: number): string {
  const out: string[] = [];
  for (const { o } of processes(device, pid)) {
    const line = (c: readonly number[]) => [
      `        ${c[1]} hello, ${c[2]} database desc, ${c[3]} link state req`,
      `        ${c[4]} link state updates, ${c[5]} link state acks`,
    ];
    const total = (c: readonly number[]) => c.reduce((a, b) => a + b, 0);
    out.push(
      "",
      `OSPF statistics (Process ID ${o.processId}):`,
      `  Rcvd: ${total(o.received) + o.badPackets} total, ${o.badPackets} checksum errors`,
      ...line(o.received),
      `  Sent: ${total(o.sent)} total`,
      ...line(o.sent),
      `  LSAs sent in updates: ${o.lsasFlooded}`,
    );
  }
  return `${out.join("\n")}\n`;
}
