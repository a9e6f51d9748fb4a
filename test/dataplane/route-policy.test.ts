// Prefix lists and route maps evaluated as IOS does: exact length without
// ge/le, the ge/le ranges, first match wins, the implicit deny, hit counts;
// route-map entries AND their kinds of clause and OR the lists of one clause,
// an entry without clauses matches all, lists that do not exist match.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { AccessList } from "../../src/dataplane/acl.ts";
import { parseAce } from "../../src/dataplane/acl-parse.ts";
import {
  evaluatePrefixList,
  type PrefixList,
  prefixEntryMatches,
  prefixListPermits,
  prefixRangeValid,
} from "../../src/dataplane/prefix-list.ts";
import { evaluateRouteMap, newRouteMapEntry, type RouteMap } from "../../src/dataplane/route-map.ts";
import { parseIpv4Address } from "../../src/wire/ipv4-address.ts";

const ip = (s: string): number => parseIpv4Address(s)! >>> 0;

function list(...entries: Array<[number, "permit" | "deny", string, number, number?, number?]>): PrefixList {
  return {
    name: "L",
    entries: entries.map(([sequence, action, prefix, length, ge, le]) => ({
      sequence,
      action,
      prefix: ip(prefix),
      length,
      ...(ge !== undefined ? { ge } : {}),
      ...(le !== undefined ? { le } : {}),
      hits: 0,
    })),
  };
}

describe("prefix lists", () => {
  test("without ge/le an entry matches its own length only", () => {
    const l = list([5, "permit", "10.0.0.0", 8]);
    expect(prefixListPermits(l, ip("10.0.0.0"), 8)).toBe(true);
    expect(prefixListPermits(l, ip("10.1.0.0"), 16)).toBe(false);
    expect(prefixListPermits(l, ip("11.0.0.0"), 8)).toBe(false);
  });

  test("ge, le and both bound the length; 0.0.0.0/0 le 32 is everything", () => {
    const ge = list([5, "permit", "10.0.0.0", 8, 24]);
    expect(prefixListPermits(ge, ip("10.1.2.0"), 24)).toBe(true);
    expect(prefixListPermits(ge, ip("10.1.2.4"), 32)).toBe(true);
    expect(prefixListPermits(ge, ip("10.1.0.0"), 16)).toBe(false);
    const le = list([5, "permit", "10.0.0.0", 8, undefined, 16]);
    expect(prefixListPermits(le, ip("10.0.0.0"), 8)).toBe(true);
    expect(prefixListPermits(le, ip("10.1.0.0"), 16)).toBe(true);
    expect(prefixListPermits(le, ip("10.1.2.0"), 24)).toBe(false);
    const both = list([5, "permit", "10.0.0.0", 8, 16, 24]);
    expect(prefixListPermits(both, ip("10.0.0.0"), 8)).toBe(false);
    expect(prefixListPermits(both, ip("10.9.9.0"), 24)).toBe(true);
    const all = list([5, "permit", "0.0.0.0", 0, undefined, 32]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (a, len) =>
        prefixListPermits(all, a >>> 0, len),
      ),
    );
  });

  test("first match decides, nothing matching is denied, hits are counted on the deciding entry", () => {
    const l = list([5, "deny", "0.0.0.0", 0], [10, "permit", "0.0.0.0", 0, undefined, 32]);
    expect(prefixListPermits(l, 0, 0)).toBe(false);
    expect(prefixListPermits(l, ip("192.168.1.0"), 24)).toBe(true);
    expect(l.entries.map((e) => e.hits)).toEqual([1, 1]);
    expect(evaluatePrefixList(list([5, "permit", "10.0.0.0", 8]), ip("172.16.0.0"), 12)).toBeNull();
  });

  test("the range rule is len < ge <= le <= 32", () => {
    expect(prefixRangeValid(8, 16, 24)).toBe(true);
    expect(prefixRangeValid(8, 8, undefined)).toBe(false);
    expect(prefixRangeValid(8, undefined, 8)).toBe(false);
    expect(prefixRangeValid(8, 24, 16)).toBe(false);
    expect(prefixRangeValid(0, undefined, 32)).toBe(true);
  });

  test("an entry never matches a shorter route than its own, and matches iff the leading bits agree", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 32 }),
        (a, len, routeLen) => {
          const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
          const e = { sequence: 5, action: "permit" as const, prefix: (a & mask) >>> 0, length: len, le: 32, hits: 0 };
          const rmask = routeLen === 0 ? 0 : (0xffffffff << (32 - routeLen)) >>> 0;
          const route = (a & rmask) >>> 0;
          return prefixEntryMatches(e, route, routeLen) === routeLen >= len;
        },
      ),
    );
  });
});

describe("route maps", () => {
  const prefixLists = new Map<string, PrefixList>([["DEFAULT", list([5, "permit", "0.0.0.0", 0])]]);
  const acl = new AccessList("1", "standard");
  const parsed = parseAce("standard", ["permit", "10.0.0.0", "0.255.255.255"]);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const added = acl.add(parsed.spec);
  const lookups = { acl: (n: string) => (n === "1" ? acl : undefined), prefixList: (n: string) => prefixLists.get(n) };

  test("a prefix-list clause permits what the list permits; the implicit deny drops the rest", () => {
    const e = newRouteMapEntry(10, "permit");
    e.match.ipAddressPrefixLists.push("DEFAULT");
    e.set.metric = 5;
    const map: RouteMap = { name: "RM", entries: [e] };
    const hit = evaluateRouteMap(map, { route: { prefix: 0, length: 0 } }, lookups);
    expect(hit.permit).toBe(true);
    expect(hit.entry?.set.metric).toBe(5);
    expect(evaluateRouteMap(map, { route: { prefix: ip("10.0.0.0"), length: 8 } }, lookups)).toEqual({
      permit: false,
      entry: null,
    });
  });

  test("clause kinds are AND'ed, lists of a clause OR'ed; a deny entry denies; an empty entry matches all", () => {
    expect("sequence" in added).toBe(true);
    const deny = newRouteMapEntry(10, "deny");
    deny.match.ipAddressAcls.push("1");
    deny.match.interfaces.push("Serial0/0");
    const either = newRouteMapEntry(20, "permit");
    either.match.ipAddressPrefixLists.push("NOPE-MISSING", "DEFAULT");
    const rest = newRouteMapEntry(30, "permit");
    rest.set.metric = 7;
    const map: RouteMap = { name: "RM", entries: [deny, either, rest] };
    const ten = { prefix: ip("10.1.0.0"), length: 16 };
    expect(evaluateRouteMap(map, { route: ten, interface: "Serial0/0" }, lookups).entry).toBe(deny);
    // Serial0/1 fails the interface clause: the deny entry does not match, the missing list in 20 matches.
    expect(evaluateRouteMap(map, { route: ten, interface: "Serial0/1" }, lookups).entry).toBe(either);
    const strict = newRouteMapEntry(20, "permit");
    strict.match.ipAddressPrefixLists.push("DEFAULT");
    const map2: RouteMap = { name: "RM2", entries: [deny, strict, rest] };
    const r = evaluateRouteMap(map2, { route: ten, interface: "Serial0/1" }, lookups);
    expect(r.entry).toBe(rest);
    expect(r.permit).toBe(true);
  });

  test("a packet is matched against the access list as a packet", () => {
    const e = newRouteMapEntry(10, "permit");
    e.match.ipAddressAcls.push("1");
    const map: RouteMap = { name: "PBR", entries: [e] };
    const pkt = (src: string) => ({ src: ip(src), dst: ip("8.8.8.8"), protocol: 1, tos: 0 });
    expect(evaluateRouteMap(map, { packet: pkt("10.9.9.9") }, lookups).permit).toBe(true);
    expect(evaluateRouteMap(map, { packet: pkt("192.168.0.1") }, lookups).permit).toBe(false);
  });
});
