// IOS route maps (`route-map NAME permit|deny SEQ`), the policy object shared
// by the routing protocols (redistribution, conditional default, distribute
// lists), and later BGP, policy routing and NAT. An entry matches when every
// kind of match clause it has matches (AND), a clause matching when any of
// its lists does (OR); an entry without match clauses matches everything. The
// first entry that matches decides: permit with its set clauses, or deny; a
// subject no entry matches is denied. What the set clauses mean is up to the
// consumer (a metric for RIP or EIGRP, an output interface for policy
// routing, a tag or OSPF metric type for redistribution): this module only
// says which entry decided.

import { type AccessList, type AclPacket, entryMatches } from "./acl.ts";
import { evaluatePrefixList, type PrefixList } from "./prefix-list.ts";

/** EIGRP's `set metric BANDWIDTH DELAY RELIABILITY LOADING MTU`. */
export interface CompositeMetric {
  readonly bandwidthKbps: number;
  readonly delayTensOfUs: number;
  readonly reliability: number;
  readonly load: number;
  readonly mtu: number;
}

/** The match clauses of an entry (each list is OR'ed; the kinds present are AND'ed). */
export interface RouteMapMatches {
  /** `match ip address ACL...` */
  ipAddressAcls: string[];
  /** `match ip address prefix-list NAME...` */
  ipAddressPrefixLists: string[];
  /** `match interface IF...` */
  interfaces: string[];
  /** `match tag N...`: the route's tag (0 when it has none). */
  tags: number[];
  /** `match route-type ...`: `internal`, `external`, `external type-1`, `nssa-external type-2`... */
  routeTypes: RouteType[];
}

/** The route types `match route-type` names: a bare `external` matches both metric types. */
export type RouteType =
  | "internal"
  | "external"
  | "external type-1"
  | "external type-2"
  | "nssa-external"
  | "nssa-external type-1"
  | "nssa-external type-2";

/** Whether a clause's route type covers a route's own (`external` covers `external type-2`). */
export function routeTypeCovers(clause: RouteType, route: RouteType): boolean {
  return clause === route || route.startsWith(`${clause} `);
}

/** The set clauses of an entry. */
export interface RouteMapSets {
  /** `set metric N` or the EIGRP five-value form. */
  metric?: number | CompositeMetric;
  /** `set interface IF...` */
  interfaces?: string[];
  /** `set metric-type type-1|type-2` (OSPF external metric type). */
  metricType?: 1 | 2;
  /** `set tag N`. */
  tag?: number;
}

/** One `route-map NAME permit|deny SEQ` entry. */
export interface RouteMapEntry {
  readonly sequence: number;
  action: "permit" | "deny";
  description?: string;
  readonly match: RouteMapMatches;
  readonly set: RouteMapSets;
  /** Packets and bytes policy routing matched with this entry (`Policy routing matches`). */
  policyPackets: number;
  policyBytes: number;
}

/** A route map: its entries in sequence order. */
export interface RouteMap {
  readonly name: string;
  readonly entries: RouteMapEntry[];
}

/** What is being evaluated: a route (prefix/length, its interface) or a packet (with its input interface). */
export interface RouteMapSubject {
  readonly route?: { readonly prefix: number; readonly length: number };
  readonly packet?: AclPacket;
  /** The route's outgoing interface, or the packet's input interface. */
  readonly interface?: string;
  /** The route's tag (`match tag`); a route without one has tag 0. */
  readonly tag?: number;
  /** The route's type (`match route-type`): OSPF intra/inter area and EIGRP internal are `internal`. */
  readonly routeType?: RouteType;
}

/** How names in match clauses are found. */
export interface RouteMapLookups {
  acl(name: string): AccessList | undefined;
  prefixList(name: string): PrefixList | undefined;
}

/** The entry that decided, or null when no entry matched (the implicit deny). */
export interface RouteMapResult {
  readonly permit: boolean;
  readonly entry: RouteMapEntry | null;
}

/** A new entry with no clauses. */
export function newRouteMapEntry(sequence: number, action: "permit" | "deny"): RouteMapEntry {
  return {
    sequence,
    action,
    match: { ipAddressAcls: [], ipAddressPrefixLists: [], interfaces: [], tags: [], routeTypes: [] },
    set: {},
    policyPackets: 0,
    policyBytes: 0,
  };
}

/** Whether an access list matches the subject: a route's network as the source (mask as destination), or the packet. */
function aclMatches(acl: AccessList, s: RouteMapSubject): boolean {
  const p: AclPacket | undefined =
    s.packet ??
    (s.route === undefined ? undefined : { src: s.route.prefix, dst: maskOf(s.route.length), protocol: 0, tos: 0 });
  if (p === undefined) return false;
  for (const e of acl.entries) if (entryMatches(e, p)) return e.action === "permit";
  return false;
}

const maskOf = (length: number): number => (length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0);

/** Whether one entry's match clauses all hold. A list that does not exist matches, as on IOS. */
export function routeMapEntryMatches(e: RouteMapEntry, s: RouteMapSubject, lookups: RouteMapLookups): boolean {
  const m = e.match;
  if (m.ipAddressAcls.length > 0) {
    const hit = m.ipAddressAcls.some((name) => {
      const acl = lookups.acl(name);
      return acl === undefined || aclMatches(acl, s);
    });
    if (!hit) return false;
  }
  if (m.ipAddressPrefixLists.length > 0) {
    const route = s.route;
    if (route === undefined) return false;
    const hit = m.ipAddressPrefixLists.some((name) => {
      const list = lookups.prefixList(name);
      return list === undefined || evaluatePrefixList(list, route.prefix, route.length)?.action === "permit";
    });
    if (!hit) return false;
  }
  if (m.interfaces.length > 0) {
    if (s.interface === undefined || !m.interfaces.includes(s.interface)) return false;
  }
  if (m.tags.length > 0) {
    if (s.route === undefined || !m.tags.includes(s.tag ?? 0)) return false;
  }
  if (m.routeTypes.length > 0) {
    const type = s.routeType;
    if (type === undefined || !m.routeTypes.some((c) => routeTypeCovers(c, type))) return false;
  }
  return true;
}

/** Runs a subject through a route map: the first entry whose clauses match decides. */
export function evaluateRouteMap(map: RouteMap, s: RouteMapSubject, lookups: RouteMapLookups): RouteMapResult {
  for (const e of map.entries) {
    if (routeMapEntryMatches(e, s, lookups)) return { permit: e.action === "permit", entry: e };
  }
  return { permit: false, entry: null };
}

/** The entry of a sequence number, created (in sequence order) when missing; an existing entry takes the new action. */
export function routeMapEntry(map: RouteMap, sequence: number, action: "permit" | "deny"): RouteMapEntry {
  const found = map.entries.find((e) => e.sequence === sequence);
  if (found !== undefined) {
    found.action = action;
    return found;
  }
  const e = newRouteMapEntry(sequence, action);
  const at = map.entries.findIndex((x) => x.sequence > sequence);
  if (at < 0) map.entries.push(e);
  else map.entries.splice(at, 0, e);
  return e;
}

/** The running-config lines of one route map (each entry followed by `!`). */
export function routeMapConfigLines(map: RouteMap): string[] {
  const lines: string[] = [];
  for (const e of map.entries) {
    lines.push(`route-map ${map.name} ${e.action} ${e.sequence}`);
    if (e.description !== undefined) lines.push(` description ${e.description}`);
    if (e.match.ipAddressAcls.length > 0) lines.push(` match ip address ${e.match.ipAddressAcls.join(" ")}`);
    if (e.match.ipAddressPrefixLists.length > 0)
      lines.push(` match ip address prefix-list ${e.match.ipAddressPrefixLists.join(" ")}`);
    if (e.match.interfaces.length > 0) lines.push(` match interface ${e.match.interfaces.join(" ")}`);
    if (e.match.tags.length > 0) lines.push(` match tag ${e.match.tags.join(" ")}`);
    for (const t of e.match.routeTypes) lines.push(` match route-type ${t}`);
    if (e.set.metric !== undefined) lines.push(` set metric ${formatMetric(e.set.metric)}`);
    if (e.set.metricType !== undefined) lines.push(` set metric-type type-${e.set.metricType}`);
    if (e.set.tag !== undefined) lines.push(` set tag ${e.set.tag}`);
    if (e.set.interfaces !== undefined) lines.push(` set interface ${e.set.interfaces.join(" ")}`);
    lines.push("!");
  }
  return lines;
}

/** `5` or `1544 2000 255 1 1500`. */
export function formatMetric(m: number | CompositeMetric): string {
  if (typeof m === "number") return String(m);
  return `${m.bandwidthKbps} ${m.delayTensOfUs} ${m.reliability} ${m.load} ${m.mtu}`;
}
