// The shared redistribution watch over a RIB: which installed routes a
// `redistribute SOURCE [route-map]` takes (by source and process, the source
// process's connected networks, route-map match/set), and the deltas it
// reports as the RIB changes (only what entered, changed or left the set).

import { describe, expect, test } from "bun:test";
import { Rib } from "../../src/dataplane/rib.ts";
import { evaluateRouteMap, type RouteMap, type RouteMapSubject, routeMapEntry } from "../../src/dataplane/route-map.ts";
import {
  announceRedistributionSource,
  type RedistributionDelta,
  type RedistributionRule,
  RedistributionWatch,
} from "../../src/protocols/redistribution.ts";
import { parseIpv4Address } from "../../src/wire/ipv4-address.ts";

const ip = (s: string): number => parseIpv4Address(s)! >>> 0;
const names = (d: RedistributionDelta, k: keyof RedistributionDelta) =>
  d[k].map(
    (r) =>
      `${(r.prefix >>> 24) & 255}.${(r.prefix >>> 16) & 255}.${(r.prefix >>> 8) & 255}.${r.prefix & 255}/${r.length}`,
  );

function lab(rules: RedistributionRule[], maps = new Map<string, RouteMap>()) {
  const rib = new Rib();
  rib.setInterface("Ethernet0/0", true, [{ address: ip("10.0.12.1"), length: 24 }]);
  rib.setInterface("Ethernet0/1", true, [{ address: ip("172.16.1.1"), length: 24 }]);
  rib.commit();
  const deltas: RedistributionDelta[] = [];
  const watch = new RedistributionWatch({
    rib,
    rules: () => rules,
    name: "ospf 1",
    routeMap: (name: string, subject: RouteMapSubject) => {
      const m = maps.get(name);
      return m === undefined
        ? undefined
        : evaluateRouteMap(m, subject, { acl: () => undefined, prefixList: () => undefined });
    },
    changed: (d) => deltas.push(d),
  });
  return { rib, watch, deltas };
}

describe("redistribution watch", () => {
  test("takes only the named process's installed routes, and follows the RIB by delta", () => {
    const { rib, watch, deltas } = lab([{ source: { protocol: "ospf", process: 1 } }]);
    rib.setCandidates("ospf", ip("10.4.4.0"), 24, [{ metric: 2, nextHop: ip("10.0.12.2") }], "ospf 1");
    rib.setCandidates("ospf", ip("10.5.5.0"), 24, [{ metric: 3, nextHop: ip("10.0.12.2") }], "ospf 2");
    rib.setCandidates("rip", ip("10.6.6.0"), 24, [{ metric: 1, nextHop: ip("10.0.12.2") }], "rip");
    rib.commit();
    expect(watch.routes().map((r) => r.prefix)).toEqual([ip("10.4.4.0")]);
    expect(names(deltas.at(-1)!, "added")).toEqual(["10.4.4.0/24"]);
    expect(watch.route(ip("10.4.4.0"), 24)?.metric).toBe(2);

    // A better source hides it from OSPF: it leaves the set; back when that goes.
    const n = deltas.length;
    rib.addStatic({ prefix: ip("10.4.4.0"), length: 24, nextHop: ip("10.0.12.3") });
    rib.commit();
    expect(watch.routes()).toEqual([]);
    expect(names(deltas.at(-1)!, "removed")).toEqual(["10.4.4.0/24"]);
    rib.removeStatic({ prefix: ip("10.4.4.0"), length: 24, nextHop: ip("10.0.12.3") });
    rib.commit();
    expect(names(deltas.at(-1)!, "added")).toEqual(["10.4.4.0/24"]);
    expect(deltas.length).toBe(n + 2);

    // A change elsewhere in the RIB reports nothing; a metric change reports the route as changed.
    rib.setCandidates("rip", ip("10.7.7.0"), 24, [{ metric: 1, nextHop: ip("10.0.12.2") }], "rip");
    rib.commit();
    expect(deltas.length).toBe(n + 2);
    rib.setCandidates("ospf", ip("10.4.4.0"), 24, [{ metric: 9, nextHop: ip("10.0.12.2") }], "ospf 1");
    rib.commit();
    expect(names(deltas.at(-1)!, "changed")).toEqual(["10.4.4.0/24"]);
    expect(watch.route(ip("10.4.4.0"), 24)?.metric).toBe(9);

    watch.stop();
    rib.setCandidates("ospf", ip("10.4.4.0"), 24, [], "ospf 1");
    rib.commit();
    expect(deltas.length).toBe(n + 3);
  });

  test("a routing process's own interfaces' connected networks come with it, as on IOS", () => {
    const { rib, watch } = lab([{ source: { protocol: "rip" } }]);
    expect(watch.routes()).toEqual([]);
    const handle = announceRedistributionSource(rib, "rip");
    handle.setInterfaces(["Ethernet0/1"]);
    expect(watch.routes().map((r) => [r.prefix, r.source])).toEqual([[ip("172.16.1.0"), "connected"]]);
    handle.withdraw();
    expect(watch.routes()).toEqual([]);
  });

  test("connected and static name their sources; the first matching rule decides", () => {
    const { rib, watch } = lab([{ source: { protocol: "connected" } }, { source: { protocol: "static" } }]);
    rib.addStatic({ prefix: ip("192.168.9.0"), length: 24, interface: "Ethernet0/0", tag: 7 });
    rib.commit();
    expect(watch.routes().map((r) => [r.length, r.source, r.rule, r.tag])).toEqual([
      [24, "connected", 0, undefined],
      [24, "connected", 0, undefined],
      [24, "static", 1, 7],
    ]);
  });

  test("match route-type sees OSPF's and EIGRP's route kinds", () => {
    const maps = new Map<string, RouteMap>();
    const rm: RouteMap = { name: "E1-AND-EX", entries: [] };
    routeMapEntry(rm, 10, "permit").match.routeTypes.push("external type-1");
    routeMapEntry(rm, 20, "permit").match.routeTypes.push("external");
    maps.set(rm.name, rm);
    const rules: RedistributionRule[] = [
      { source: { protocol: "ospf", process: 1 }, routeMap: "E1-AND-EX" },
      { source: { protocol: "eigrp", process: 10 }, routeMap: "E1-AND-EX" },
    ];
    const { rib, watch } = lab(rules, maps);
    const hop = { nextHop: ip("10.0.12.2") };
    rib.setCandidates("ospf", ip("10.1.0.0"), 16, [{ ...hop, subtype: "E1" }], "ospf 1");
    rib.setCandidates("ospf", ip("10.2.0.0"), 16, [{ ...hop, subtype: "E2" }], "ospf 1");
    rib.setCandidates("ospf", ip("10.3.0.0"), 16, [{ ...hop, subtype: "IA" }], "ospf 1");
    rib.setCandidates("ospf", ip("10.4.0.0"), 16, [{ ...hop }], "ospf 1");
    rib.setCandidates("eigrp", ip("10.5.0.0"), 16, [{ ...hop, subtype: "EX" }], "eigrp 10");
    rib.setCandidates("eigrp", ip("10.6.0.0"), 16, [{ ...hop }], "eigrp 10");
    rib.commit();
    // E2 is external too: entry 20 takes it; internal routes match neither entry.
    expect(watch.routes().map((r) => [r.prefix >>> 16, r.subtype])).toEqual([
      [0x0a01, "E1"],
      [0x0a02, "E2"],
      [0x0a05, "EX"],
    ]);
  });

  test("route maps: deny by tag, set tag/metric/metric-type, a missing map redistributes nothing", () => {
    const maps = new Map<string, RouteMap>();
    const rm: RouteMap = { name: "RIP-TO-OSPF", entries: [] };
    routeMapEntry(rm, 10, "deny").match.tags.push(110);
    const e20 = routeMapEntry(rm, 20, "permit");
    Object.assign(e20.set, { tag: 120, metric: 50, metricType: 1 });
    maps.set(rm.name, rm);
    const rules: RedistributionRule[] = [{ source: { protocol: "rip" }, routeMap: "RIP-TO-OSPF" }];
    const { rib, watch } = lab(rules, maps);
    rib.setCandidates("rip", ip("10.1.0.0"), 16, [{ metric: 1, nextHop: ip("10.0.12.2") }], "rip");
    rib.setCandidates("rip", ip("10.2.0.0"), 16, [{ metric: 2, nextHop: ip("10.0.12.2"), tag: 110 }], "rip");
    rib.commit();
    expect(watch.routes().map((r) => [r.prefix, r.set])).toEqual([
      [ip("10.1.0.0"), { tag: 120, metric: 50, metricType: 1 }],
    ]);
    // The tag the route carries changes: it now matches the deny entry.
    rib.setCandidates("rip", ip("10.1.0.0"), 16, [{ metric: 1, nextHop: ip("10.0.12.2"), tag: 110 }], "rip");
    rib.commit();
    expect(watch.routes()).toEqual([]);
    maps.delete(rm.name);
    rib.setCandidates("rip", ip("10.1.0.0"), 16, [{ metric: 1, nextHop: ip("10.0.12.2") }], "rip");
    rib.commit();
    expect(watch.routes()).toEqual([]);
  });
});
