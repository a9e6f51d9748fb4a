// Dynamic NAT chosen by a route map (`ip nat inside source route-map RM ...`),
// seed 002's form of the IPsec exemption: a deny entry matching the VPN list
// leaves the datagram untranslated, a permit entry matching the NAT list
// translates it, a datagram no entry matches (the implicit deny) or a route
// map that does not exist translates nothing, and `match interface` names the
// output interface; a pool without overload makes fully extended entries.

import { describe, expect, test } from "bun:test";
import { translationLine } from "../../../src/config/nat/show-nat.ts";
import { type RouteMap, routeMapEntry } from "../../../src/dataplane/route-map.ts";
import { echo, type Harness, harness, ip, udp, verify } from "./nat-harness.ts";

/** Seed 002: route-map NAT deny 10 match VPN, permit 20 match NAT, PAT on the outside interface. */
function seed002(): Harness {
  const h = harness();
  h.acl("VPN", "permit ip 10.0.0.0 0.0.0.255 172.16.1.0 0.0.0.255");
  h.acl("NAT", "permit ip 10.0.0.0 0.0.0.255 any");
  const map: RouteMap = { name: "NAT", entries: [] };
  routeMapEntry(map, 10, "deny").match.ipAddressAcls.push("VPN");
  routeMapEntry(map, 20, "permit").match.ipAddressAcls.push("NAT");
  h.routeMaps.set("NAT", map);
  h.nat.config.setDynamic(
    { kind: "route-map", name: "NAT" },
    { kind: "interface", interface: "GigabitEthernet0/1" },
    true,
  );
  return h;
}

describe("route-map mappings", () => {
  test("the deny entry exempts VPN traffic; the permit entry translates the rest", () => {
    const h = seed002();
    const vpn = echo("10.0.0.5", "172.16.1.1", 5);
    const web = udp("10.0.0.5", 4000, "198.51.100.2", 53);
    expect(h.out(vpn)).toBe(true);
    expect(h.out(web)).toBe(true);
    expect(verify(vpn)).toMatchObject({ src: "10.0.0.5", dst: "172.16.1.1" });
    expect(verify(web)).toMatchObject({ src: "203.0.113.1", sport: 4000 });
    expect(h.nat.table.all().map((e) => e.insideLocal)).toEqual([ip("10.0.0.5")]);
    expect(h.nat.refcount(h.nat.config.dynamic[0]!)).toBe(1);
    // The VPN peer's replies are not NAT's business either.
    const reply = echo("172.16.1.1", "10.0.0.5", 5, "echoReply");
    expect(h.in(reply)).toBe(true);
    expect(verify(reply).dst).toBe("10.0.0.5");
  });

  test("without the deny entry the VPN traffic is translated like the rest (seed 002: it no longer matches the crypto list)", () => {
    const h = seed002();
    h.routeMaps.get("NAT")!.entries.shift();
    const vpn = echo("10.0.0.5", "172.16.1.1", 5);
    h.out(vpn);
    expect(verify(vpn).src).toBe("203.0.113.1");
  });

  test("a datagram no entry matches, or a route map that does not exist, is not translated", () => {
    const h = seed002();
    const other = echo("10.9.9.9", "198.51.100.2", 1); // outside both lists: the implicit deny
    h.out(other);
    expect(verify(other).src).toBe("10.9.9.9");
    h.routeMaps.delete("NAT");
    const web = echo("10.0.0.5", "198.51.100.2", 2);
    h.out(web);
    expect(verify(web).src).toBe("10.0.0.5");
    expect(h.nat.table.size).toBe(0);
  });

  test("match interface names the output interface", () => {
    const h = seed002();
    const map = h.routeMaps.get("NAT")!;
    map.entries[1]!.match.interfaces.push("GigabitEthernet0/2");
    const web = echo("10.0.0.5", "198.51.100.2", 2);
    h.out(web); // leaves Gi0/1: entry 20 does not match
    expect(verify(web).src).toBe("10.0.0.5");
    map.entries[1]!.match.interfaces.push("GigabitEthernet0/1");
    h.out(web);
    expect(verify(web).src).toBe("203.0.113.1");
  });

  test("a pool mapping by route map makes fully extended entries (IOS): one per flow, the host keeping its address", () => {
    const h = seed002();
    h.nat.config.pools.set("P", {
      name: "P",
      start: ip("203.0.113.110"),
      end: ip("203.0.113.110"),
      prefixLength: 24,
      maskForm: "netmask",
    });
    h.nat.config.dynamic.length = 0;
    h.nat.config.setDynamic({ kind: "route-map", name: "NAT" }, { kind: "pool", pool: "P" }, false);
    const a = echo("10.0.0.5", "198.51.100.2", 1);
    const a2 = udp("10.0.0.5", 4000, "198.51.100.3", 53);
    const b = echo("10.0.0.6", "198.51.100.2", 1);
    expect([h.out(a), h.out(a2), h.out(b)]).toEqual([true, true, false]);
    expect(verify(a).src).toBe("203.0.113.110");
    expect(verify(a2)).toMatchObject({ src: "203.0.113.110", sport: 4000 });
    expect(h.nat.stats.poolDrops).toBe(1);
    expect(h.nat.table.all().map(translationLine)).toEqual([
      "icmp 203.0.113.110:1   10.0.0.5:1         198.51.100.2:1     198.51.100.2:1",
      "udp 203.0.113.110:4000 10.0.0.5:4000      198.51.100.3:53    198.51.100.3:53",
    ]);
    const back = udp("198.51.100.3", 53, "203.0.113.110", 4000);
    h.in(back);
    expect(verify(back)).toMatchObject({ dst: "10.0.0.5", dport: 4000 });
    // Once the host's entries are gone, the address is free for another.
    h.nat.clearDynamic();
    expect(h.out(echo("10.0.0.6", "198.51.100.2", 1))).toBe(true);
  });
});
