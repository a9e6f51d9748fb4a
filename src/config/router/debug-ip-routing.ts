// `debug ip routing`: IOS's `RT:` lines for what the routing table gains and
// loses, from the RIB's change deltas. It keeps the last installed version
// of every route so a deletion can say what went (`RT: del 9.9.9.0 via
// 10.0.12.2, static metric [1/0]`, then `RT: delete subnet route to
// 9.9.9.0/24`); a changed route logs the paths it lost and gained.

import { NumberMap } from "../../dataplane/number-map.ts";
import { classfulLength, type InstalledRoute, type Rib, type RouteSource } from "../../dataplane/rib.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";

/** How IOS names a route's source in RT: lines. */
const SOURCE_NAME: Readonly<Record<RouteSource, string>> = {
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

/** prefix * 64 + length: a number key (this table holds every route of the router, debug on or off). */
const key = (prefix: number, length: number): number => (prefix >>> 0) * 64 + length;

/** The `via` of each path: the next hop, or 0.0.0.0 for an attached route, as IOS prints it. */
function vias(r: InstalledRoute): string[] {
  return r.paths.map((p) => formatIpv4Address(p.via ?? 0));
}

function tail(r: InstalledRoute): string {
  return `${SOURCE_NAME[r.source]} metric [${r.distance}/${r.metric}]`;
}

/** Watches the RIB; `debug(line)` is called only while `debug ip routing` is on (the line is built lazily). */
export function watchRoutingTable(rib: Rib, debug: (line: () => string) => void): void {
  const known = new NumberMap<InstalledRoute>();
  for (const r of rib.routes()) known.set(key(r.prefix, r.length), r);
  rib.onChange((delta) => {
    for (const { prefix, length } of delta.removed) {
      const old = known.get(key(prefix, length));
      known.delete(key(prefix, length));
      if (old === undefined) continue;
      const net = formatIpv4Address(prefix);
      for (const via of vias(old)) debug(() => `RT: del ${net} via ${via}, ${tail(old)}`);
      const kind = length > classfulLength(prefix) ? "subnet" : "network";
      debug(() => `RT: delete ${kind} route to ${net}/${length}`);
    }
    for (const { prefix, length } of [...delta.added, ...delta.changed]) {
      const now = rib.route(prefix, length);
      if (now === undefined) continue;
      const old = known.get(key(prefix, length));
      known.set(key(prefix, length), now);
      const net = formatIpv4Address(prefix);
      const before = old === undefined ? [] : vias(old);
      const after = vias(now);
      if (old !== undefined)
        for (const via of before.filter((v) => !after.includes(v)))
          debug(() => `RT: del ${net} via ${via}, ${tail(old)}`);
      for (const via of after.filter((v) => old === undefined || !before.includes(v) || tail(old) !== tail(now)))
        debug(() => `RT: add ${net}/${length} via ${via}, ${tail(now)}`);
    }
  });
}
