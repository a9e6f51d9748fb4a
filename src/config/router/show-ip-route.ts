// `show ip route` and `show ip route <address> [<mask>]` as IOS 15.x prints
// them (7200 / IOSv layout): the codes legend, the gateway of last resort,
// classful headers (`is subnetted` / `is variably subnetted`), one line per
// installed route with ECMP paths on continuation lines aligned under the
// first `[`, and the `Routing entry for` detail view. Pure: device in, text out.

import {
  classfulLength,
  formatPrefix,
  type InstalledRoute,
  NULL0,
  type RoutePathView,
  type RouteSource,
} from "../../dataplane/rib.ts";
import { type RedistributionRule, redistributionsOf } from "../../protocols/redistribution.ts";
import { formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";
import { nhrpOverridesRoute } from "../nhrp/nhrp-override.ts";
import type { RouterDevice } from "./router-device.ts";

/** The IOS 15.2 codes legend printed above every `show ip route`. */
export const ROUTE_CODES_LEGEND = [
  "Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP",
  "       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area",
  "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2",
  "       E1 - OSPF external type 1, E2 - OSPF external type 2",
  "       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2",
  "       ia - IS-IS inter area, * - candidate default, U - per-user static route",
  "       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP",
  "       + - replicated route, % - next hop override",
];

/** Options of `show ip route`: a source filter (`show ip route static`). */
export interface ShowIpRouteOptions {
  source?: RouteSource;
  /** `longer-prefixes`: only routes inside this prefix (the prefix itself included). */
  within?: { prefix: number; length: number };
}

/** Name IOS gives a source after `Known via`. */
const KNOWN_VIA: Readonly<Record<RouteSource, string>> = {
  connected: "connected",
  local: "connected",
  static: "static",
  eigrp: "eigrp",
  ospf: "ospf",
  rip: "rip",
  ebgp: "bgp",
  ibgp: "bgp",
  odr: "odr",
  nhrp: "nhrp",
};

/** `show ip route [source]`. */
export function renderShowIpRoute(device: RouterDevice, opts: ShowIpRouteOptions = {}): string {
  const rib = device.stack.rib;
  const within = opts.within;
  const wanted = (r: InstalledRoute): boolean => {
    if (within !== undefined) {
      if (r.length < within.length) return false;
      if (((r.prefix ^ within.prefix) & maskFromLength(within.length)) !== 0) return false;
    }
    const f = opts.source;
    if (f === undefined) return true;
    if (f === "connected") return r.source === "connected" || r.source === "local";
    if (f === "ebgp" || f === "ibgp") return r.source === "ebgp" || r.source === "ibgp";
    return r.source === f;
  };
  const out = [...ROUTE_CODES_LEGEND, "", rib.gatewayOfLastResort(), ""];
  for (const group of rib.classfulGroups()) {
    const routes = group.routes.filter(wanted);
    if (routes.length === 0) continue;
    if (group.header === null) {
      for (const r of routes) out.push(...routeLines(device, r, 6, true));
      continue;
    }
    out.push(`      ${group.header}`);
    // In a group of one mask IOS prints bare addresses; a variably subnetted one keeps /len.
    const withLength = !group.header.includes(" is subnetted");
    for (const r of routes) out.push(...routeLines(device, r, 9, withLength));
  }
  return `${out.join("\n")}\n`;
}

/** The line(s) of one route: code padded to `codeWidth`, then prefix and paths. */
function routeLines(device: RouterDevice, r: InstalledRoute, codeWidth: number, withLength: boolean): string[] {
  const prefix = withLength ? formatPrefix(r.prefix, r.length) : formatIpv4Address(r.prefix);
  const base = isHostInterfaceRoute(device, r) ? "C" : r.code;
  // `%`: an NHRP shortcut overrides this route's next hop (DMVPN phase 3).
  const code = nhrpOverridesRoute(device, r.prefix, r.length) ? `${base.padEnd(4)}%` : base;
  const head = `${code.padEnd(codeWidth - 1)} ${prefix} `;
  const indent = " ".repeat(head.length);
  return r.paths.map((p, i) => (i === 0 ? head : indent) + pathText(r, p));
}

/**
 * An interface configured with a /32 (a loopback) gets only a local route in
 * the RIB, but IOS lists it as connected (`C        1.1.1.1 is directly connected`).
 */
function isHostInterfaceRoute(device: RouterDevice, r: InstalledRoute): boolean {
  if (r.source !== "local" || r.length !== 32) return false;
  const name = r.paths[0]?.interface;
  const ifc = name ? device.stack.interface(name) : undefined;
  return ifc?.addresses().some((a) => a.length === 32 && a.address >>> 0 === r.prefix >>> 0) ?? false;
}

/** `[1/0] via 10.0.12.2`, `[1/0] via 10.0.12.2, Serial0/0` or `is directly connected, Serial0/0`. */
function pathText(r: InstalledRoute, p: RoutePathView): string {
  // An EIGRP summary's discard route (`ip summary-address eigrp`): `is a summary, Null0`.
  if (p.via === null && r.source === "eigrp" && p.interface === NULL0) return `is a summary, ${NULL0}`;
  if (p.via === null) return `is directly connected, ${p.interface ?? p.resolved[0]?.interface ?? ""}`;
  const dynamic = r.source !== "static";
  const exit = p.interface ?? (dynamic ? (p.resolved[0]?.interface ?? null) : null);
  return `[${r.distance}/${r.metric}] via ${formatIpv4Address(p.via)}${exit !== null ? `, ${exit}` : ""}`;
}

/**
 * `show ip route <address> [<mask>]`: the `Routing entry for` block of the
 * longest match (the default route only when asked for 0.0.0.0), or of the
 * exact prefix when a length is given; `% Network not in table` /
 * `% Subnet not in table` otherwise.
 */
export function renderShowIpRouteEntry(device: RouterDevice, address: number, length?: number): string {
  const rib = device.stack.rib;
  const addr = address >>> 0;
  let route: InstalledRoute | undefined;
  if (length !== undefined) route = rib.route(addr, length);
  else {
    for (const r of rib.routes()) {
      if (r.length === 0 && addr !== 0) continue;
      if (((addr ^ r.prefix) & maskFromLength(r.length)) !== 0) continue;
      if (route === undefined || r.length > route.length) route = r;
    }
  }
  if (route === undefined) return notInTable(device, addr);
  const r = route;
  const supernet = r.length < classfulLength(r.prefix) ? ", supernet" : "";
  const lines = [`Routing entry for ${formatPrefix(r.prefix, r.length)}${supernet}`];
  const allDirect = r.paths.every((p) => p.via === null);
  // EIGRP names its AS (`eigrp 100`) and OSPF its process (`ospf 1`), with the route's type, as IOS does.
  const via = (r.source === "eigrp" || r.source === "ospf") && r.owner !== undefined ? r.owner : KNOWN_VIA[r.source];
  let known = `  Known via "${via}", distance ${r.distance}, metric ${r.metric}`;
  if (r.source === "eigrp") known += r.code.endsWith("EX") ? ", type external" : ", type internal";
  if (r.source === "ospf" && (r.code === "O" || r.code === "O IA"))
    known += r.code === "O" ? ", type intra area" : ", type inter area";
  if (r.length === 0) known += ", candidate default path";
  if (r.source === "connected" || isHostInterfaceRoute(device, r)) known += " (connected, via interface)";
  else if (allDirect) known += " (connected)";
  lines.push(known);
  if (r.tag !== undefined) lines.push(`  Tag ${r.tag}`);
  // The processes that redistribute this route, and with which `redistribute` line's options.
  const redistributed = redistributionsOf(device.stack.rib, r.prefix, r.length);
  if (redistributed.length > 0) {
    lines.push(`  Redistributing via ${redistributed.map((x) => x.name).join(", ")}`);
    for (const x of redistributed) lines.push(`  Advertised by ${x.name}${advertisedOptions(x.rule)}`);
  }
  lines.push("  Routing Descriptor Blocks:");
  r.paths.forEach((p, i) => {
    const mark = i === 0 ? "*" : " ";
    const where =
      p.via === null
        ? `directly connected, via ${p.interface ?? p.resolved[0]?.interface ?? ""}`
        : `${formatIpv4Address(p.via)}${p.interface !== null ? `, via ${p.interface}` : ""}`;
    lines.push(`  ${mark} ${where}`);
    lines.push(`      Route metric is ${r.metric}, traffic share count is 1`);
    if (r.tag !== undefined) lines.push(`      Route tag ${r.tag}`);
  });
  return `${lines.join("\n")}\n`;
}

/** A `redistribute` line's options as IOS prints them after `Advertised by NAME` (metric, metric-type, subnets, tag, route-map). */
function advertisedOptions(line: RedistributionRule): string {
  // RIP's and OSPF's lines share these field names (RipRedistribution, OspfRedistribution).
  const rule = line as RedistributionRule & Record<string, unknown>;
  let s = "";
  if (typeof rule.metric === "number") s += ` metric ${rule.metric}`;
  if (rule.metricType === 1) s += " metric-type 1";
  if (rule.subnets === true) s += " subnets";
  if (typeof rule.tag === "number") s += ` tag ${rule.tag}`;
  if (rule.routeMap !== undefined) s += ` route-map ${rule.routeMap}`;
  return s;
}

/** `% Subnet not in table` when the address's classful network has subnets installed, else `% Network not in table`. */
function notInTable(device: RouterDevice, address: number): string {
  const ml = classfulLength(address);
  const major = (address & maskFromLength(ml)) >>> 0;
  const hasSubnets = device.stack.rib
    .routes()
    .some((r) => r.length >= ml && (r.prefix & maskFromLength(ml)) >>> 0 === major);
  return hasSubnets ? "% Subnet not in table\n" : "% Network not in table\n";
}
