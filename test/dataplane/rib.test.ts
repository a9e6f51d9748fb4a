import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { formatIpv4, parseIpv4 } from "../../src/dataplane/addr.ts";
import { Rib, type RouteSource } from "../../src/dataplane/rib.ts";

const ip = (s: string): number => parseIpv4(s)!;

function lab(): Rib {
  const rib = new Rib();
  rib.setInterface("Ethernet0/0", true, [{ address: ip("10.1.1.1"), length: 24 }]);
  rib.setInterface("Ethernet0/1", true, [{ address: ip("10.2.2.1"), length: 24 }]);
  rib.setInterface("Serial1/0", true, [{ address: ip("192.168.12.1"), length: 30 }]);
  return rib;
}

describe("rib", () => {
  test("connected and local routes, receive path list for own address", () => {
    const rib = lab();
    rib.commit();
    const c = rib.route(ip("10.1.1.0"), 24)!;
    expect(c.code).toBe("C");
    const l = rib.route(ip("10.1.1.1"), 32)!;
    expect(l.code).toBe("L");
    expect(rib.forward(ip("10.1.1.1"))!.kind).toBe("receive");
    expect(rib.forward(ip("10.1.1.7"))).toEqual({
      index: c.pathList,
      kind: "forward",
      paths: [{ nextHop: null, interface: "Ethernet0/0" }],
    });
    // No route: the FIB's default entry says so (IOS CEF's 0.0.0.0/0 "no route").
    expect(rib.forward(ip("8.8.8.8"))?.kind).toBe("noRoute");
    expect(rib.gatewayOfLastResort()).toBe("Gateway of last resort is not set");
  });

  test("interface down removes connected routes and dependent statics", () => {
    const rib = lab();
    rib.addStatic({ prefix: ip("172.16.0.0"), length: 16, nextHop: ip("10.1.1.2") });
    rib.addStatic({ prefix: ip("172.17.0.0"), length: 16, interface: "Ethernet0/0" });
    rib.commit();
    expect(rib.route(ip("172.16.0.0"), 16)!.paths[0]!.resolved).toEqual([
      { nextHop: ip("10.1.1.2"), interface: "Ethernet0/0" },
    ]);
    expect(rib.route(ip("172.17.0.0"), 16)!.paths[0]!.resolved).toEqual([{ nextHop: null, interface: "Ethernet0/0" }]);
    rib.setInterface("Ethernet0/0", false, [{ address: ip("10.1.1.1"), length: 24 }]);
    const delta = rib.commit();
    expect(delta.removed.map((r) => formatIpv4(r.prefix)).sort()).toEqual([
      "10.1.1.0",
      "10.1.1.1",
      "172.16.0.0",
      "172.17.0.0",
    ]);
    expect(rib.size).toBe(4);
  });

  test("floating static hides behind a better source and returns when it goes", () => {
    const rib = lab();
    rib.addStatic({ prefix: ip("172.16.0.0"), length: 16, nextHop: ip("192.168.12.2"), distance: 200 });
    rib.setCandidates("ospf", ip("172.16.0.0"), 16, [
      { nextHop: ip("10.1.1.2"), interface: "Ethernet0/0", metric: 20 },
    ]);
    rib.commit();
    let r = rib.route(ip("172.16.0.0"), 16)!;
    expect([r.code, r.distance, r.metric]).toEqual(["O", 110, 20]);
    rib.setCandidates("ospf", ip("172.16.0.0"), 16, []);
    const delta = rib.commit();
    expect(delta.changed).toEqual([{ prefix: ip("172.16.0.0"), length: 16 }]);
    r = rib.route(ip("172.16.0.0"), 16)!;
    expect([r.code, r.distance]).toEqual(["S", 200]);
    expect(rib.forward(ip("172.16.9.9"))!.paths).toEqual([{ nextHop: ip("192.168.12.2"), interface: "Serial1/0" }]);
  });

  test("equal statics become ECMP; protocol ECMP only at equal metric", () => {
    const rib = lab();
    rib.addStatic({ prefix: 0, length: 0, nextHop: ip("10.1.1.2") });
    rib.addStatic({ prefix: 0, length: 0, nextHop: ip("10.2.2.2") });
    rib.setCandidates("eigrp", ip("172.20.0.0"), 16, [
      { nextHop: ip("10.1.1.3"), interface: "Ethernet0/0", metric: 100 },
      { nextHop: ip("10.2.2.3"), interface: "Ethernet0/1", metric: 100 },
      { nextHop: ip("192.168.12.2"), interface: "Serial1/0", metric: 900 },
    ]);
    rib.commit();
    const d = rib.route(0, 0)!;
    expect(d.code).toBe("S*");
    expect(rib.pathList(d.pathList)!.paths).toHaveLength(2);
    expect(rib.gatewayOfLastResort()).toBe("Gateway of last resort is 10.1.1.2 to network 0.0.0.0");
    expect(rib.route(ip("172.20.0.0"), 16)!.paths).toHaveLength(2);
    expect(rib.route(ip("172.20.0.0"), 16)!.code).toBe("D");
  });

  test("recursive static resolves through another static; loops and self-resolution rejected", () => {
    const rib = lab();
    rib.addStatic({ prefix: ip("3.3.3.3"), length: 32, nextHop: ip("10.1.1.2") });
    rib.addStatic({ prefix: ip("33.0.0.0"), length: 8, nextHop: ip("3.3.3.3") });
    rib.addStatic({ prefix: ip("44.0.0.0"), length: 8, nextHop: ip("44.1.1.1") });
    rib.addStatic({ prefix: ip("55.0.0.0"), length: 8, nextHop: ip("66.0.0.1") });
    rib.addStatic({ prefix: ip("66.0.0.0"), length: 8, nextHop: ip("55.0.0.1") });
    rib.addStatic({ prefix: ip("77.0.0.0"), length: 8, nextHop: ip("10.1.1.1") }); // own address
    rib.commit();
    expect(rib.route(ip("33.0.0.0"), 8)!.paths[0]).toEqual({
      via: ip("3.3.3.3"),
      interface: null,
      resolved: [{ nextHop: ip("10.1.1.2"), interface: "Ethernet0/0" }],
    });
    expect(rib.route(ip("44.0.0.0"), 8)).toBeUndefined();
    expect(rib.route(ip("55.0.0.0"), 8)).toBeUndefined();
    expect(rib.route(ip("66.0.0.0"), 8)).toBeUndefined();
    expect(rib.route(ip("77.0.0.0"), 8)).toBeUndefined();
    // A default route lets 44/8 resolve (not through itself).
    rib.addStatic({ prefix: 0, length: 0, interface: "Serial1/0" });
    rib.commit();
    expect(rib.route(ip("44.0.0.0"), 8)!.paths[0]!.resolved).toEqual([
      { nextHop: ip("44.1.1.1"), interface: "Serial1/0" },
    ]);
    expect(rib.gatewayOfLastResort()).toBe("Gateway of last resort is 0.0.0.0 to network 0.0.0.0");
  });

  test("Null0 static drops; path lists are shared and freed", () => {
    const rib = lab();
    rib.addStatic({ prefix: ip("10.0.0.0"), length: 8, interface: "Null0" });
    rib.addStatic({ prefix: ip("20.0.0.0"), length: 8, nextHop: ip("10.2.2.9") });
    rib.addStatic({ prefix: ip("21.0.0.0"), length: 8, nextHop: ip("10.2.2.9") });
    rib.commit();
    expect(rib.forward(ip("10.9.9.9"))!.kind).toBe("drop");
    expect(rib.route(ip("20.0.0.0"), 8)!.pathList).toBe(rib.route(ip("21.0.0.0"), 8)!.pathList);
    rib.removeStatic({ prefix: ip("20.0.0.0"), length: 8, nextHop: ip("10.2.2.9") });
    rib.removeStatic({ prefix: ip("21.0.0.0"), length: 8, nextHop: ip("10.2.2.9") });
    rib.commit();
    expect(rib.route(ip("20.0.0.0"), 8)).toBeUndefined();
    expect(rib.forward(ip("20.1.1.1"))?.kind).toBe("noRoute");
  });

  test("codes, lookup and classful groups for show ip route", () => {
    const rib = lab();
    rib.setCandidates("ospf", 0, 0, [{ nextHop: ip("10.1.1.2"), interface: "Ethernet0/0", metric: 1, subtype: "E2" }]);
    rib.setCandidates("ospf", ip("172.16.1.0"), 24, [
      { nextHop: ip("10.1.1.2"), interface: "Ethernet0/0", metric: 11, subtype: "IA" },
    ]);
    rib.commit();
    expect(rib.route(0, 0)!.code).toBe("O*E2");
    expect(rib.route(ip("172.16.1.0"), 24)!.code).toBe("O IA");
    expect(rib.lookup(ip("10.1.1.200"))!.length).toBe(24);
    expect(rib.lookup(ip("10.1.1.1"))!.code).toBe("L");
    const headers = rib.classfulGroups().map((g) => g.header);
    expect(headers).toEqual([
      null,
      "10.0.0.0/8 is variably subnetted, 4 subnets, 2 masks",
      "172.16.0.0/24 is subnetted, 1 subnets",
      "192.168.12.0/24 is variably subnetted, 2 subnets, 2 masks",
    ]);
  });

  test("1000 chained statics commit quickly", () => {
    const rib = lab();
    for (let i = 0; i < 1000; i++)
      rib.addStatic({
        prefix: ip("100.0.0.0") + i * 256,
        length: 24,
        nextHop: i === 0 ? ip("10.1.1.2") : ip("100.0.0.1") + (i - 1) * 256,
      });
    const t = performance.now();
    rib.commit();
    expect(performance.now() - t).toBeLessThan(2000);
    expect(rib.forward(ip("100.3.231.5"))!.paths).toEqual([{ nextHop: ip("10.1.1.2"), interface: "Ethernet0/0" }]);
  });

  test("property: installed source per prefix is the best valid distance (reference)", () => {
    const sources: RouteSource[] = ["static", "eigrp", "ospf", "rip", "ebgp", "ibgp"];
    const ifaces = ["Ethernet0/0", "Ethernet0/1", "Serial1/0"];
    const cand = fc.record({
      p: fc.integer({ min: 0, max: 5 }),
      source: fc.constantFrom(...sources),
      distance: fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined }),
      iface: fc.constantFrom(...ifaces),
    });
    fc.assert(
      fc.property(
        fc.array(cand, { maxLength: 25 }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        (cands, ups) => {
          const rib = new Rib();
          ifaces.forEach((n, i) => rib.setInterface(n, ups[i]!, [{ address: ip("10.0.0.1") + i * 256, length: 24 }]));
          const prefixes = [0, 8, 16, 24]
            .map((l, i) => [ip("50.0.0.0") + i * 0x10000, l])
            .concat([
              [ip("60.0.0.0"), 8],
              [ip("70.1.0.0"), 16],
            ]);
          const groups = new Map<string, typeof cands>();
          cands.forEach((c, i) => {
            const [prefix, length] = prefixes[c.p]!;
            if (c.source === "static")
              rib.addStatic({
                prefix: prefix!,
                length: length!,
                interface: c.iface,
                nextHop: ip("10.0.0.100") + i,
                ...(c.distance ? { distance: c.distance } : {}),
              });
            else {
              const list = groups.get(`${c.source}|${c.p}`) ?? [];
              list.push(c);
              groups.set(`${c.source}|${c.p}`, list);
            }
          });
          for (const [k, list] of groups) {
            const [source, pi] = k.split("|");
            const [prefix, length] = prefixes[Number(pi)]!;
            rib.setCandidates(
              source as RouteSource,
              prefix!,
              length!,
              list.map((c, i) => ({
                interface: c.iface,
                nextHop: 7 + i,
                metric: 1,
                ...(c.distance ? { distance: c.distance } : {}),
              })),
            );
          }
          rib.commit();
          const def: Record<string, number> = { static: 1, ebgp: 20, eigrp: 90, ospf: 110, rip: 120, ibgp: 200 };
          prefixes.forEach(([prefix, length], pi) => {
            const valid = cands.filter((c) => c.p === pi && ups[ifaces.indexOf(c.iface)]);
            const bestD = Math.min(...valid.map((c) => c.distance ?? def[c.source]!));
            const r = rib.route(prefix!, length!);
            if (valid.length === 0) expect(r).toBeUndefined();
            else {
              expect(r!.distance).toBe(bestD);
              const winners = valid.filter((c) => (c.distance ?? def[c.source]!) === bestD).map((c) => c.source);
              expect(winners).toContain(r!.source);
              expect(rib.pathList(r!.pathList)!.paths.length).toBeGreaterThan(0);
            }
          });
        },
      ),
      { numRuns: 200 },
    );
  });
  test("offering the same candidates again changes nothing; another owner's in between still moves them last", () => {
    const rib = lab();
    const net = ip("172.20.0.0");
    const a = [{ distance: 110, metric: 20, nextHop: ip("10.1.1.2"), interface: "Ethernet0/0" }];
    const b = [{ distance: 110, metric: 20, nextHop: ip("10.2.2.2"), interface: "Ethernet0/1" }];
    rib.setCandidates("ospf", net, 16, a, "A");
    rib.setCandidates("ospf", net, 16, b, "B");
    rib.commit();
    const vias = () => rib.route(net, 16)!.paths.map((p) => formatIpv4(p.via!));
    expect(vias()).toEqual(["10.1.1.2", "10.2.2.2"]);
    const before = JSON.stringify(rib.routes());
    // B's are last: offered again they stay where they are, and the commit reports nothing.
    rib.setCandidates("ospf", net, 16, b, "B");
    expect(rib.commit()).toEqual({ added: [], changed: [], removed: [] });
    expect(JSON.stringify(rib.routes())).toBe(before);
    // A's are not last: replacing them puts them after B's, as a replacement always did.
    rib.setCandidates("ospf", net, 16, a, "A");
    rib.commit();
    expect(vias()).toEqual(["10.2.2.2", "10.1.1.2"]);
    // A different metric is a different candidate.
    rib.setCandidates("ospf", net, 16, [{ ...a[0]!, metric: 10 }], "A");
    expect(rib.commit().changed).toEqual([{ prefix: net, length: 16 }]);
    expect(vias()).toEqual(["10.1.1.2"]);
  });

  test("property: re-offering what is there keeps the table; a commit after any offers equals a fresh RIB's", () => {
    const offer = fc.record({
      owner: fc.constantFrom("A", "B"),
      p: fc.integer({ min: 0, max: 3 }),
      hops: fc.array(
        fc.record({ ifc: fc.integer({ min: 0, max: 2 }), metric: fc.integer({ min: 1, max: 3 }), tag: fc.boolean() }),
        { maxLength: 3 },
      ),
    });
    const ifaces = ["Ethernet0/0", "Ethernet0/1", "Serial1/0"];
    const build = (o: { hops: Array<{ ifc: number; metric: number; tag: boolean }> }) =>
      o.hops.map((h) => ({
        distance: 110,
        metric: h.metric,
        nextHop: ip("10.1.1.9") + h.ifc * 256,
        interface: ifaces[h.ifc]!,
        ...(h.tag ? { subtype: "IA", tag: 7 } : {}),
      }));
    // Path list numbers depend on history; what the routes and CEF say does not.
    const show = (rib: Rib) =>
      JSON.stringify([
        rib.routes().map(({ pathList: _, ...r }) => r),
        rib.fibEntries().map((e) => [e.prefix, e.length, e.pathList.kind, e.pathList.paths]),
      ]);
    fc.assert(
      fc.property(fc.array(offer, { maxLength: 20 }), (offers) => {
        const rib = lab();
        rib.commit();
        const log: Array<[string, number, ReturnType<typeof build>]> = [];
        for (const o of offers) {
          rib.setCandidates("ospf", ip("172.20.0.0") + o.p * 256, 24, build(o), o.owner);
          log.push([o.owner, o.p, build(o)]);
          rib.commit();
        }
        // The same offers replayed into a new RIB, committed once, give the same table.
        const fresh = lab();
        for (const [owner, p, c] of log) fresh.setCandidates("ospf", ip("172.20.0.0") + p * 256, 24, c, owner);
        fresh.commit();
        expect(show(rib)).toBe(show(fresh));
        // Offering each prefix's current candidates again, in the order they were last offered, changes nothing.
        const last = new Map<string, (typeof log)[number]>();
        for (const e of log) last.set(`${e[0]}|${e[1]}`, e);
        const before = show(rib);
        for (const [owner, p, c] of [...last.values()].filter((e) => e[0] === "B"))
          rib.setCandidates("ospf", ip("172.20.0.0") + p * 256, 24, c, owner);
        const delta = rib.commit();
        const aAfterB = [...last.values()].some((e) => e[0] === "A");
        if (!aAfterB) {
          expect(delta).toEqual({ added: [], changed: [], removed: [] });
          expect(show(rib)).toBe(before);
        }
      }),
      { numRuns: 200 },
    );
  });
});
