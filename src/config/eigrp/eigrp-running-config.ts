// The running-config lines of EIGRP, in IOS's order: inside `interface X`,
// hello interval, hold time, next-hop-self, split horizon and summary
// addresses per AS; and each `router eigrp N` block (offset-list,
// redistribute, passive-interface, network, default-metric, auto-summary,
// eigrp router-id, maximum-paths, variance).

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import type { CompositeMetric } from "../../dataplane/route-map.ts";
import { formatRedistributionSource } from "../../protocols/redistribution.ts";
import { classfulNetwork } from "../../protocols/rip/rip-config.ts";
import { EIGRP_STUB } from "../../wire/eigrp.ts";
import { formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";
import { passiveInterfaceLines } from "../passive-interface.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { eigrpNamedRouterLines } from "./eigrp-named.ts";
import { eigrpConfigs, eigrpInterfaceAses } from "./eigrp-store.ts";

const ip = formatIpv4Address;

/** Lines inside `interface X` for EIGRP. */
export function eigrpInterfaceLines(ifc: RouterInterface): string[] {
  const out: string[] = [];
  const ases = [...eigrpInterfaceAses(ifc)].sort((a, b) => a[0] - b[0]);
  for (const [as, c] of ases) if (c.md5) out.push(` ip authentication mode eigrp ${as} md5`);
  for (const [as, c] of ases)
    if (c.keyChain !== undefined) out.push(` ip authentication key-chain eigrp ${as} ${c.keyChain}`);
  for (const [as, c] of ases)
    if (c.helloSeconds !== undefined) out.push(` ip hello-interval eigrp ${as} ${c.helloSeconds}`);
  for (const [as, c] of ases) if (c.holdSeconds !== undefined) out.push(` ip hold-time eigrp ${as} ${c.holdSeconds}`);
  for (const [as, c] of ases) if (!c.nextHopSelf) out.push(` no ip next-hop-self eigrp ${as}`);
  for (const [as, c] of ases) if (!c.splitHorizon) out.push(` no ip split-horizon eigrp ${as}`);
  for (const [as, c] of ases)
    for (const s of c.summaries)
      out.push(
        ` ip summary-address eigrp ${as} ${ip(s.prefix)} ${ip(maskFromLength(s.length))}${s.distance !== 5 ? ` ${s.distance}` : ""}`,
      );
  return out;
}

/** The stub flags as IOS writes them after `eigrp stub`. */
function stubWords(flags: number): string {
  const words: Array<[string, number]> = [
    ["connected", EIGRP_STUB.CONNECTED],
    ["summary", EIGRP_STUB.SUMMARY],
    ["static", EIGRP_STUB.STATIC],
    ["redistributed", EIGRP_STUB.REDISTRIBUTED],
    ["receive-only", EIGRP_STUB.RECEIVE_ONLY],
  ];
  return words
    .filter(([, f]) => (flags & f) !== 0)
    .map(([w]) => w)
    .join(" ");
}

const metricText = (m: CompositeMetric): string =>
  `${m.bandwidthKbps} ${m.delayTensOfUs} ${m.reliability} ${m.load} ${m.mtu}`;

/** The `router eigrp N` blocks, each ended by `!`. */
export function eigrpRouterLines(device: RouterDevice): string[] {
  const out: string[] = [];
  for (const [as, c] of [...eigrpConfigs(device)].sort((a, b) => a[0] - b[0])) {
    if (c.named !== undefined) continue; // written by its `router eigrp NAME` block below
    out.push(`router eigrp ${as}`);
    for (const o of c.offsetLists)
      out.push(` offset-list ${o.acl} ${o.direction} ${o.offset}${o.interface !== undefined ? ` ${o.interface}` : ""}`);
    for (const r of c.redistribute)
      out.push(
        ` redistribute ${formatRedistributionSource(r.source)}${r.metric !== undefined ? ` metric ${metricText(r.metric)}` : ""}${r.routeMap !== undefined ? ` route-map ${r.routeMap}` : ""}`,
      );
    out.push(...passiveInterfaceLines(c, device));
    for (const n of c.networks) {
      const classful =
        n.address === 0 && n.wildcard === 0xffffffff
          ? true
          : n.wildcard === ~((0xffffffff << (32 - classfulNetwork(n.address).length)) >>> 0) >>> 0;
      out.push(` network ${ip(n.address)}${classful ? "" : ` ${ip(n.wildcard)}`}`);
    }
    for (const d of c.distributeLists)
      out.push(
        ` distribute-list ${d.kind === "prefix" ? "prefix " : ""}${d.list} ${d.direction}${d.interface !== undefined ? ` ${d.interface}` : ""}`,
      );
    if (c.defaultMetric !== undefined) out.push(` default-metric ${metricText(c.defaultMetric)}`);
    if (c.autoSummary) out.push(" auto-summary");
    if (c.routerId !== undefined) out.push(` eigrp router-id ${ip(c.routerId)}`);
    if (c.stub !== undefined) out.push(` eigrp stub ${stubWords(c.stub)}`);
    if (c.maximumPaths !== 4) out.push(` maximum-paths ${c.maximumPaths}`);
    if (c.variance !== 1) out.push(` variance ${c.variance}`);
    out.push("!");
  }
  out.push(...eigrpNamedRouterLines(device));
  return out;
}
