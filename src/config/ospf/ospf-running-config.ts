// The OSPF lines of `show running-config` in IOS's order: an interface's `ip
// ospf ...` lines inside its block, and each `router ospf N` section after the
// interfaces. Loading them back gives the same configuration.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { formatRedistributionSource } from "../../protocols/redistribution.ts";
import { formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { interfaceSettingsOf, ospfState } from "./ospf-store.ts";

const ip = formatIpv4Address;
const mask = (length: number) => ip(maskFromLength(length));
const NETWORK_TYPE_WORDS: Readonly<Record<string, string>> = {
  broadcast: "broadcast",
  nonBroadcast: "non-broadcast",
  pointToPoint: "point-to-point",
  pointToMultipoint: "point-to-multipoint",
};

/** The `ip ospf` lines of one interface block. */
export function ospfInterfaceLines(ifc: RouterInterface): string[] {
  const s = interfaceSettingsOf(ifc);
  if (s === undefined) return [];
  const out: string[] = [];
  if (s.authentication !== undefined)
    out.push(
      ` ip ospf authentication${s.authentication === "md5" ? " message-digest" : s.authentication === "null" ? " null" : ""}`,
    );
  if (s.authenticationKey !== undefined) out.push(` ip ospf authentication-key ${s.authenticationKey}`);
  for (const [id, key] of [...s.md5Keys].sort((a, b) => a[0] - b[0]))
    out.push(` ip ospf message-digest-key ${id} md5 ${key}`);
  if (s.networkType !== undefined) out.push(` ip ospf network ${NETWORK_TYPE_WORDS[s.networkType]}`);
  if (s.helloSec !== undefined) out.push(` ip ospf hello-interval ${s.helloSec}`);
  if (s.deadSec !== undefined) out.push(` ip ospf dead-interval ${s.deadSec}`);
  if (s.retransmitSec !== undefined) out.push(` ip ospf retransmit-interval ${s.retransmitSec}`);
  if (s.priority !== undefined) out.push(` ip ospf priority ${s.priority}`);
  if (s.cost !== undefined) out.push(` ip ospf cost ${s.cost}`);
  if (s.area !== undefined && s.processId !== undefined)
    out.push(` ip ospf ${s.processId} area ${s.areaText ?? String(s.area)}`);
  return out;
}

/** The `router ospf N` sections, each followed by `!`. */
export function ospfRouterLines(device: RouterDevice): string[] {
  const processes = ospfState(device).processes;
  const out: string[] = [];
  for (const [pid, p] of [...processes].sort((a, b) => a[0] - b[0])) {
    const c = p.config;
    const area = (id: number) => p.areaText.get(id) ?? String(id);
    out.push(`router ospf ${pid}`);
    if (c.routerId !== undefined) out.push(` router-id ${ip(c.routerId)}`);
    if (p.logAdjacency === "detail") out.push(" log-adjacency-changes detail");
    if (p.logAdjacency === "off") out.push(" no log-adjacency-changes");
    if (c.referenceBandwidthMbps !== 100) out.push(` auto-cost reference-bandwidth ${c.referenceBandwidthMbps}`);
    for (const [id, s] of [...c.areas].sort((x, y) => x[0] - y[0])) {
      if (s.authentication !== undefined)
        out.push(` area ${area(id)} authentication${s.authentication === "md5" ? " message-digest" : ""}`);
      if (s.type === "stub") out.push(` area ${area(id)} stub${s.noSummary ? " no-summary" : ""}`);
      if (s.type === "nssa")
        out.push(
          ` area ${area(id)} nssa${s.nssaDefaultOriginate ? " default-information-originate" : ""}${s.noSummary ? " no-summary" : ""}`,
        );
      if (s.defaultCost !== 1) out.push(` area ${area(id)} default-cost ${s.defaultCost}`);
      for (const r of s.ranges)
        out.push(` area ${area(id)} range ${ip(r.prefix)} ${mask(r.length)}${r.advertise ? "" : " not-advertise"}`);
    }
    const spf = c.spfThrottle;
    if (spf.startMs !== 5000 || spf.holdMs !== 10000 || spf.maxMs !== 10000)
      out.push(` timers throttle spf ${spf.startMs} ${spf.holdMs} ${spf.maxMs}`);
    const lsa = c.lsaThrottle;
    if (lsa !== undefined) out.push(` timers throttle lsa ${lsa.startMs} ${lsa.holdMs} ${lsa.maxMs}`);
    for (const s of c.summaryAddresses) out.push(` summary-address ${ip(s.prefix)} ${mask(s.length)}`);
    // IOS's order: metric, metric-type, subnets, tag, route-map.
    for (const r of c.redistribute)
      out.push(
        ` redistribute ${formatRedistributionSource(r.source)}${r.metric !== undefined ? ` metric ${r.metric}` : ""}${r.metricType === 1 ? " metric-type 1" : ""}${r.subnets ? " subnets" : ""}${r.tag !== undefined ? ` tag ${r.tag}` : ""}${r.routeMap !== undefined ? ` route-map ${r.routeMap}` : ""}`,
      );
    if (c.passiveDefault) {
      out.push(" passive-interface default");
      for (const name of [...c.passiveExceptions].sort()) out.push(` no passive-interface ${name}`);
    } else for (const name of [...c.passiveExceptions].sort()) out.push(` passive-interface ${name}`);
    for (const n of c.networks) out.push(` network ${ip(n.address)} ${ip(n.wildcard)} area ${area(n.area)}`);
    for (const n of c.neighbors)
      out.push(` neighbor ${ip(n.address)}${n.priority !== undefined ? ` priority ${n.priority}` : ""}`);
    const d = c.defaultInformation;
    if (d !== undefined)
      out.push(
        ` default-information originate${d.always ? " always" : ""}${d.metric !== 1 ? ` metric ${d.metric}` : ""}${d.metricType === 1 ? " metric-type 1" : ""}`,
      );
    if (c.defaultMetric !== undefined) out.push(` default-metric ${c.defaultMetric}`);
    const dist = c.distance;
    if (dist.default !== undefined) out.push(` distance ${dist.default}`);
    const types = [
      dist.intraArea !== undefined ? ` intra-area ${dist.intraArea}` : "",
      dist.interArea !== undefined ? ` inter-area ${dist.interArea}` : "",
      dist.external !== undefined ? ` external ${dist.external}` : "",
    ].join("");
    if (types !== "") out.push(` distance ospf${types}`);
    if (p.distributeList !== undefined) out.push(` distribute-list ${p.distributeList} in`);
    if (c.maximumPaths !== 4) out.push(` maximum-paths ${c.maximumPaths}`);
    out.push("!");
  }
  return out;
}
