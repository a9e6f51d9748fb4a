// The NAT data plane on its own: static NAT both ways, PAT for UDP, TCP and
// ICMP with IOS's port choice, access-list denies as exemption, pool
// exhaustion, ICMP errors, fragments, expiry on the virtual clock, and
// checksums that the wire parsers accept after every rewrite.

import { describe, expect, test } from "bun:test";
import { NatConfig } from "../../../src/dataplane/nat/index.ts";
import { TCP_ACK, TCP_FIN } from "../../../src/wire/tcp.ts";
import { echo, type Harness, harness, icmpError, ip, quoted, tcp, udp, verify } from "./nat-harness.ts";

/** PAT of 10.0.0.0/24 on the outside interface's address. */
function pat(): Harness {
  const h = harness();
  h.acl("1", "permit 10.0.0.0 0.0.0.255");
  h.nat.config.setDynamic({ kind: "list", name: "1" }, { kind: "interface", interface: "GigabitEthernet0/1" }, true);
  return h;
}

describe("static NAT", () => {
  test("translates the source on the way out and the destination on the way in, with flows under the address entry", () => {
    const h = harness();
    h.nat.addStatic({
      protocol: null,
      local: ip("10.0.0.10"),
      global: ip("203.0.113.10"),
      localPort: 0,
      globalPort: 0,
      extendable: false,
    });
    const d = udp("10.0.0.10", 5000, "198.51.100.2", 53);
    expect(h.out(d)).toBe(true);
    expect(verify(d)).toEqual({ src: "203.0.113.10", dst: "198.51.100.2", sport: 5000, dport: 53 });
    const back = udp("198.51.100.2", 53, "203.0.113.10", 5000);
    expect(h.in(back)).toBe(true);
    expect(verify(back)).toEqual({ src: "198.51.100.2", dst: "10.0.0.10", sport: 53, dport: 5000 });
    // Unsolicited traffic from the outside reaches the inside host too (that is what static NAT is for).
    const ping = echo("198.51.100.9", "203.0.113.10", 77);
    expect(h.in(ping)).toBe(true);
    expect(verify(ping).dst).toBe("10.0.0.10");
    expect(h.nat.table.size).toBe(3);
    expect(h.nat.stats).toMatchObject({ hits: 1, misses: 2 });
  });

  test("a static port mapping forwards one port of a global address", () => {
    const h = harness();
    h.nat.addStatic({
      protocol: 6,
      local: ip("10.0.0.5"),
      global: ip("203.0.113.1"),
      localPort: 80,
      globalPort: 8080,
      extendable: false,
    });
    const syn = tcp("198.51.100.2", 40000, "203.0.113.1", 8080);
    expect(h.in(syn)).toBe(true);
    expect(verify(syn)).toEqual({ src: "198.51.100.2", dst: "10.0.0.5", sport: 40000, dport: 80 });
    const synAck = tcp("10.0.0.5", 80, "198.51.100.2", 40000, 0x12);
    expect(h.out(synAck)).toBe(true);
    expect(verify(synAck)).toEqual({ src: "203.0.113.1", dst: "198.51.100.2", sport: 8080, dport: 40000 });
    // Another port of the same global address is not forwarded.
    const other = tcp("198.51.100.2", 40001, "203.0.113.1", 22);
    expect(h.in(other)).toBe(true);
    expect(verify(other).dst).toBe("203.0.113.1");
  });
});

describe("PAT (overload)", () => {
  test("UDP 500 and 4500 keep their ports; a second host's 500 gets the first free port of its group", () => {
    const h = pat();
    const a500 = udp("10.0.0.1", 500, "198.51.100.2", 500);
    const a4500 = udp("10.0.0.1", 4500, "198.51.100.2", 4500);
    const b500 = udp("10.0.0.2", 500, "198.51.100.2", 500);
    for (const d of [a500, a4500, b500]) expect(h.out(d)).toBe(true);
    expect(verify(a500)).toMatchObject({ src: "203.0.113.1", sport: 500 });
    expect(verify(a4500)).toMatchObject({ src: "203.0.113.1", sport: 4500 });
    expect(verify(b500)).toMatchObject({ src: "203.0.113.1", sport: 1 });
    // The same inside end keeps its global port towards another peer.
    const a500b = udp("10.0.0.1", 500, "198.51.100.3", 500);
    h.out(a500b);
    expect(verify(a500b).sport).toBe(500);
    // Replies find their way back to the right host and port.
    const toB = udp("198.51.100.2", 500, "203.0.113.1", 1);
    const toA = udp("198.51.100.2", 4500, "203.0.113.1", 4500);
    h.in(toB);
    h.in(toA);
    expect(verify(toB)).toMatchObject({ dst: "10.0.0.2", dport: 500 });
    expect(verify(toA)).toMatchObject({ dst: "10.0.0.1", dport: 4500 });
  });

  test("ports above 1023 search from 1024; TCP and UDP ports are separate", () => {
    const h = pat();
    const a = tcp("10.0.0.1", 1024, "198.51.100.2", 80);
    const b = tcp("10.0.0.2", 1024, "198.51.100.2", 80);
    const c = tcp("10.0.0.3", 1024, "198.51.100.2", 80);
    const u = udp("10.0.0.4", 1024, "198.51.100.2", 53);
    for (const d of [a, b, c, u]) h.out(d);
    expect([a, b, c, u].map((d) => verify(d).sport)).toEqual([1024, 1025, 1026, 1024]);
    const reply = tcp("198.51.100.2", 80, "203.0.113.1", 1026, 0x12);
    h.in(reply);
    expect(verify(reply)).toMatchObject({ dst: "10.0.0.3", dport: 1024 });
  });

  test("ICMP echo identifiers: kept when free, renumbered from 1024 on a collision; replies come back", () => {
    const h = pat();
    const a = echo("10.0.0.1", "198.51.100.2", 17);
    const b = echo("10.0.0.2", "198.51.100.2", 17);
    h.out(a);
    h.out(b);
    expect(verify(a).sport).toBe(17);
    expect(verify(b).sport).toBe(1024);
    const replyB = echo("198.51.100.2", "203.0.113.1", 1024, "echoReply");
    h.in(replyB);
    expect(verify(replyB)).toMatchObject({ dst: "10.0.0.2", sport: 17 });
  });

  test("a zero UDP checksum stays zero", () => {
    const h = pat();
    h.out(udp("10.0.0.2", 7, "198.51.100.2", 7));
    const d = udp("10.0.0.1", 7, "198.51.100.2", 7, { zeroChecksum: true });
    h.out(d);
    expect(d[20 + 6]).toBe(0);
    expect(d[20 + 7]).toBe(0);
    expect(verify(d)).toMatchObject({ src: "203.0.113.1", sport: 1 });
  });

  test("a protocol without ports is translated by address, one inside host per outside host", () => {
    const h = pat();
    const gre = (src: string, dst: string) => {
      const d = udp(src, 1, dst, 1);
      d[9] = 47;
      d[10] = d[11] = 0;
      let sum = 0;
      for (let i = 0; i < 20; i += 2) sum += (d[i]! << 8) | d[i + 1]!;
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      d[10] = (~sum >>> 8) & 0xff;
      d[11] = ~sum & 0xff;
      return d;
    };
    const a = gre("10.0.0.1", "198.51.100.2");
    expect(h.out(a)).toBe(true);
    expect(verify(a).src).toBe("203.0.113.1");
    expect(h.out(gre("10.0.0.2", "198.51.100.2"))).toBe(false);
    expect(h.out(gre("10.0.0.2", "198.51.100.3"))).toBe(true);
    const back = gre("198.51.100.2", "203.0.113.1");
    h.in(back);
    expect(verify(back).dst).toBe("10.0.0.1");
  });
});

describe("dynamic mappings", () => {
  test("a deny in the access list is NAT exemption: the datagram goes untranslated", () => {
    const h = pat();
    h.acls.delete("1");
    h.acl("NAT", "deny ip 10.0.0.0 0.0.0.255 172.16.0.0 0.0.255.255");
    h.acl("NAT", "permit ip 10.0.0.0 0.0.0.255 any");
    h.nat.config.dynamic.length = 0;
    h.nat.config.setDynamic(
      { kind: "list", name: "NAT" },
      { kind: "interface", interface: "GigabitEthernet0/1" },
      true,
    );
    const vpn = echo("10.0.0.1", "172.16.1.1", 5);
    const web = echo("10.0.0.1", "198.51.100.2", 6);
    h.out(vpn);
    h.out(web);
    expect(verify(vpn).src).toBe("10.0.0.1");
    expect(verify(web).src).toBe("203.0.113.1");
    expect(h.acls.get("NAT")!.entries.map((e) => e.matches)).toEqual([1, 1]);
    expect(h.nat.table.size).toBe(1);
  });

  test("a pool without overload gives each host an address; when none is left the datagram is dropped and counted", () => {
    const h = harness();
    h.acl("1", "permit 10.0.0.0 0.0.0.255");
    h.nat.config.pools.set("P", {
      name: "P",
      start: ip("203.0.113.100"),
      end: ip("203.0.113.101"),
      prefixLength: 24,
      maskForm: "netmask",
    });
    h.nat.config.setDynamic({ kind: "list", name: "1" }, { kind: "pool", pool: "P" }, false);
    const a = echo("10.0.0.1", "198.51.100.2", 1);
    const b = udp("10.0.0.2", 53, "198.51.100.2", 53);
    const c = echo("10.0.0.3", "198.51.100.2", 1);
    expect([h.out(a), h.out(b), h.out(c)]).toEqual([true, true, false]);
    expect(verify(a).src).toBe("203.0.113.100");
    expect(verify(b)).toMatchObject({ src: "203.0.113.101", sport: 53 });
    expect(h.nat.stats).toMatchObject({ misses: 3, poolDrops: 1, inToOutDrops: 1 });
    expect(h.nat.poolMisses.get("P")).toBe(1);
    expect(h.debug).toContain("NAT: translation failed (A), dropping packet s=10.0.0.3 d=198.51.100.2");
  });

  test("datagrams from the outside with no translation go on untouched", () => {
    const h = pat();
    const d = udp("198.51.100.2", 53, "203.0.113.1", 3333);
    const copy = d.slice();
    expect(h.in(d)).toBe(true);
    expect(d).toEqual(copy);
    expect(h.nat.stats.hits + h.nat.stats.misses).toBe(0);
  });

  test("only traffic from an inside interface is translated", () => {
    const h = pat();
    const d = echo("10.0.0.1", "198.51.100.2", 1);
    const copy = d.slice();
    h.inside.config.nat = undefined;
    expect(h.nat.output(h.outside, h.inside, d)).toBe(true);
    expect(d).toEqual(copy);
  });
});

describe("ICMP errors and fragments", () => {
  test("a time exceeded from the outside about a translated datagram goes back to the inside host, quote translated", () => {
    const h = pat();
    h.out(udp("10.0.0.9", 33434, "198.51.100.2", 33434));
    const probe = udp("10.0.0.1", 33434, "198.51.100.2", 33434);
    h.out(probe);
    expect(verify(probe).sport).toBe(1024);
    const err = icmpError("192.0.2.254", "203.0.113.1", probe);
    expect(h.in(err)).toBe(true);
    expect(verify(err)).toMatchObject({ src: "192.0.2.254", dst: "10.0.0.1" });
    expect(quoted(err)).toEqual({ src: "10.0.0.1", dst: "198.51.100.2", sport: 33434, dport: 33434, headerOk: true });
  });

  test("an ICMP error about an echo carries the identifier back", () => {
    const h = pat();
    h.out(echo("10.0.0.9", "198.51.100.2", 3));
    const ping = echo("10.0.0.1", "198.51.100.2", 3);
    h.out(ping);
    const err = icmpError("198.51.100.2", "203.0.113.1", ping, "portUnreachable");
    h.in(err);
    expect(verify(err).dst).toBe("10.0.0.1");
    expect(quoted(err)).toMatchObject({ src: "10.0.0.1", sport: 3, headerOk: true });
  });

  test("an inside host's ICMP error about a datagram that came through a static mapping leaves with the global address", () => {
    const h = harness();
    h.nat.addStatic({
      protocol: null,
      local: ip("10.0.0.10"),
      global: ip("203.0.113.10"),
      localPort: 0,
      globalPort: 0,
      extendable: false,
    });
    const req = udp("198.51.100.2", 999, "203.0.113.10", 7);
    h.in(req);
    const err = icmpError("10.0.0.10", "198.51.100.2", req, "portUnreachable");
    h.out(err);
    expect(verify(err).src).toBe("203.0.113.10");
    expect(quoted(err)).toMatchObject({
      src: "198.51.100.2",
      dst: "203.0.113.10",
      sport: 999,
      dport: 7,
      headerOk: true,
    });
  });

  test("fragments after the first take the first one's translation; one that comes first is dropped", () => {
    const h = pat();
    h.out(udp("10.0.0.9", 4000, "198.51.100.2", 9));
    const first = udp("10.0.0.1", 4000, "198.51.100.2", 9, { id: 77, moreFragments: true, data: new Uint8Array(24) });
    const later = udp("10.0.0.1", 0, "198.51.100.2", 0, { id: 77, fragmentOffset: 32 });
    expect(h.out(first)).toBe(true);
    expect(h.out(later)).toBe(true);
    expect(verify(later).src).toBe("203.0.113.1");
    const early = udp("10.0.0.1", 0, "198.51.100.2", 0, { id: 78, fragmentOffset: 32 });
    expect(h.out(early)).toBe(false);
    expect(h.nat.stats.mappingDrops).toBe(1);
  });

  test("for an error the router raises about a translated datagram, NAT gives back what the inside host sent", () => {
    const h = pat();
    h.out(udp("10.0.0.9", 5000, "198.51.100.2", 9));
    const d = udp("10.0.0.1", 5000, "198.51.100.2", 9);
    h.out(d);
    const original = h.nat.original(d, h.inside)!;
    expect(original.length).toBe(28);
    expect(quoted(icmpError("203.0.113.1", "10.0.0.1", original))).toMatchObject({
      src: "10.0.0.1",
      sport: 5000,
      headerOk: true,
    });
    expect(h.nat.original(d, h.outside)).toBeNull();
  });
});

describe("expiry on the virtual clock", () => {
  test("UDP entries go after udp-timeout, ICMP after icmp-timeout, TCP after tcp-timeout; use keeps them", () => {
    const h = pat();
    h.out(udp("10.0.0.1", 500, "198.51.100.2", 500));
    h.out(echo("10.0.0.1", "198.51.100.2", 1));
    const syn = tcp("10.0.0.1", 2000, "198.51.100.2", 22);
    h.out(syn);
    h.in(tcp("198.51.100.2", 22, "203.0.113.1", 2000, 0x12));
    h.advance(59e9);
    expect(h.nat.table.size).toBe(3);
    h.advance(2e9);
    expect(
      h.nat.table
        .all()
        .map((e) => e.protocol)
        .sort(),
    ).toEqual([17, 6].sort());
    h.advance(200e9);
    h.out(udp("10.0.0.1", 500, "198.51.100.2", 500)); // refreshed at 261 s
    h.advance(299e9);
    expect(h.nat.table.size).toBe(2);
    h.advance(2e9);
    expect(h.nat.table.size).toBe(1);
    expect(h.nat.stats.expired).toBe(2);
    h.advance(86400e9);
    expect(h.nat.table.size).toBe(0);
    expect(h.debug).toContain("NAT: expiring 203.0.113.1 (10.0.0.1) icmp 1 (1)");
  });

  test("configured timeouts apply, a FIN starts finrst-timeout, static entries never expire", () => {
    const h = pat();
    h.nat.addStatic({
      protocol: null,
      local: ip("10.0.0.10"),
      global: ip("203.0.113.10"),
      localPort: 0,
      globalPort: 0,
      extendable: false,
    });
    h.nat.config.timeouts.udp = 10;
    h.nat.timeoutsChanged();
    h.out(udp("10.0.0.1", 500, "198.51.100.2", 500));
    h.out(tcp("10.0.0.1", 2000, "198.51.100.2", 22, TCP_ACK));
    h.in(tcp("198.51.100.2", 22, "203.0.113.1", 2000, TCP_ACK));
    h.out(tcp("10.0.0.1", 2000, "198.51.100.2", 22, TCP_FIN | TCP_ACK));
    h.advance(11e9);
    expect(
      h.nat.table
        .all()
        .map((e) => e.protocol)
        .sort(),
    ).toEqual([0, 6]);
    h.advance(50e9);
    expect(h.nat.table.all().map((e) => e.protocol)).toEqual([0]);
    h.advance(1e15);
    expect(h.nat.table.size).toBe(1);
  });

  test("clear ip nat translation * keeps the static entries only", () => {
    const h = pat();
    h.nat.addStatic({
      protocol: null,
      local: ip("10.0.0.10"),
      global: ip("203.0.113.10"),
      localPort: 0,
      globalPort: 0,
      extendable: false,
    });
    h.out(udp("10.0.0.10", 1, "198.51.100.2", 1));
    h.out(udp("10.0.0.1", 1, "198.51.100.2", 1));
    expect(h.nat.table.size).toBe(3);
    h.nat.clearDynamic();
    expect(h.nat.table.all().map((e) => [e.origin, e.outsideLocal])).toEqual([["static", null]]);
  });
});

describe("malformed datagrams", () => {
  test("cut short or mangled: dropped and counted, never thrown", () => {
    const h = pat();
    const short = udp("10.0.0.1", 500, "198.51.100.2", 500).slice(0, 24);
    expect(h.out(short)).toBe(false);
    const badVersion = echo("10.0.0.1", "198.51.100.2", 1);
    badVersion[0] = 0x65;
    expect(h.in(badVersion)).toBe(false);
    const cutError = icmpError("198.51.100.2", "203.0.113.1", udp("203.0.113.1", 1, "198.51.100.2", 1)).slice(
      0,
      20 + 8 + 12,
    );
    expect(h.in(cutError)).toBe(false);
    expect(h.nat.stats).toMatchObject({ mappingDrops: 3, inToOutDrops: 1, outToInDrops: 2 });
  });

  test("the config model keys dynamic mappings by access list and numbers them as IOS does", () => {
    const c = new NatConfig();
    const a = c.setDynamic({ kind: "list", name: "1" }, { kind: "pool", pool: "P" }, false);
    const b = c.setDynamic({ kind: "list", name: "NAT" }, { kind: "interface", interface: "Gi0/1" }, true);
    expect(c.setDynamic({ kind: "list", name: "1" }, { kind: "pool", pool: "Q" }, true)).toBe(a);
    expect([a.id, b.id, a.target]).toEqual([1, 2, { kind: "pool", pool: "Q" }]);
  });
});
