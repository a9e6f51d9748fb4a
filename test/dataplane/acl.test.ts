import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  AccessList,
  type AceSpec,
  type AclKind,
  type AclPacket,
  aclKindForNumber,
  formatAce,
  renderAccessList,
  renderAclConfig,
} from "../../src/dataplane/acl.ts";
import { parseAce, tokenize } from "../../src/dataplane/acl-parse.ts";
import { parseIpv4 } from "../../src/dataplane/addr.ts";

const ip = (s: string): number => parseIpv4(s)!;

function spec(kind: AclKind, line: string): AceSpec {
  const r = parseAce(kind, tokenize(line));
  if (!r.ok) throw new Error(`${line}: ${r.error.message} at ${r.error.index}`);
  return r.spec;
}

function list(name: string, kind: AclKind, lines: string[]): AccessList {
  const acl = new AccessList(name, kind);
  for (const l of lines) {
    const r = parseAce(kind, tokenize(l));
    if (!r.ok) throw new Error(l);
    const added = acl.add(r.spec, r.sequence);
    if ("message" in added) throw new Error(added.message);
  }
  return acl;
}

const pkt = (p: Partial<AclPacket>): AclPacket => ({
  src: ip("10.1.1.1"),
  dst: ip("10.2.2.2"),
  protocol: 6,
  tos: 0,
  ...p,
});

describe("acl parse", () => {
  test("numbered ranges", () => {
    expect([1, 99, 1300, 1999, 100, 199, 2000, 2699, 0, 200, 2700].map(aclKindForNumber)).toEqual([
      "standard",
      "standard",
      "standard",
      "standard",
      "extended",
      "extended",
      "extended",
      "extended",
      null,
      null,
      null,
    ]);
  });

  test("extended entries with names, ports, icmp and options", () => {
    const s = spec("extended", "permit udp host 10.1.1.1 eq isakmp any eq non500-isakmp");
    expect(s).toMatchObject({
      protocol: 17,
      source: { address: ip("10.1.1.1"), wildcard: 0 },
      sourcePort: { op: "eq", ports: [500] },
      destinationPort: { op: "eq", ports: [4500] },
    });
    expect(spec("extended", "deny icmp any any packet-too-big")).toMatchObject({ icmpType: 3, icmpCode: 4 });
    expect(spec("extended", "permit icmp any any echo-reply")).toMatchObject({ icmpType: 0 });
    expect(spec("extended", "permit icmp any any 3 13")).toMatchObject({ icmpType: 3, icmpCode: 13 });
    expect(spec("extended", "permit tcp 10.0.0.0 0.255.255.255 any range 1000 2000 established log")).toMatchObject({
      destinationPort: { op: "range", low: 1000, high: 2000 },
      established: true,
      log: "log",
    });
    expect(spec("extended", "permit esp any any").protocol).toBe(50);
    expect(spec("extended", "permit ahp any any").protocol).toBe(51);
    expect(spec("extended", "permit 112 any any").protocol).toBe(112);
    expect(spec("extended", "permit ip any any dscp ef").dscp).toBe(46);
    expect(spec("extended", "permit ip any any precedence critical tos max-throughput")).toMatchObject({
      precedence: 5,
      tos: 4,
    });
    expect(spec("extended", "perm tcp any any eq www 443")).toMatchObject({
      action: "permit",
      destinationPort: { op: "eq", ports: [80, 443] },
    });
    expect(parseAce("extended", tokenize("15 deny gre any any"))).toMatchObject({ ok: true, sequence: 15 });
    // Host bits under the wildcard are cleared as IOS does.
    expect(spec("extended", "permit ip 10.1.1.7 0.0.0.255 any").source.address).toBe(ip("10.1.1.0"));
  });

  test("standard entries", () => {
    expect(spec("standard", "permit 10.0.0.0 0.255.255.255").source).toEqual({
      address: ip("10.0.0.0"),
      wildcard: ip("0.255.255.255"),
    });
    expect(spec("standard", "deny 192.168.1.1").source).toEqual({ address: ip("192.168.1.1"), wildcard: 0 });
    expect(spec("standard", "permit any log").log).toBe("log");
  });

  test("errors carry the failing token index", () => {
    const cases: Array<[AclKind, string, number]> = [
      ["extended", "permit tcp any any eq bogus", 5],
      ["extended", "allow ip any any", 0],
      ["extended", "permit ip any", 3],
      ["extended", "permit ip any 10.0.0.300 0.0.0.0", 3],
      ["extended", "permit udp any any established", 4],
      ["extended", "permit tcp any any range 20 10", 6],
      ["standard", "permit any any", 2],
      ["extended", "permit ip any any dscp ef precedence 5", 6],
    ];
    for (const [kind, line, index] of cases) {
      const r = parseAce(kind, tokenize(line));
      expect(r.ok).toBe(false);
      if (!r.ok) expect([line, r.error.index]).toEqual([line, index]);
    }
    const incomplete = parseAce("extended", tokenize("permit tcp any"));
    expect(incomplete).toEqual({ ok: false, error: { index: 3, message: "% Incomplete command." } });
  });

  test("property: random tokens never throw", () => {
    const tok = fc.oneof(
      fc.constantFrom(
        "permit",
        "deny",
        "tcp",
        "udp",
        "icmp",
        "any",
        "host",
        "eq",
        "range",
        "10.0.0.1",
        "0.0.0.255",
        "www",
        "log",
        "dscp",
        "1",
        "99999",
        "",
        "constructor",
        "__proto__",
      ),
      fc.string(),
    );
    fc.assert(
      fc.property(
        fc.constantFrom<AclKind>("standard", "extended"),
        fc.array(tok, { maxLength: 12 }),
        (kind, tokens) => {
          const r = parseAce(kind, tokens);
          if (!r.ok) expect(r.error.index).toBeLessThanOrEqual(tokens.length);
        },
      ),
    );
  });
});

describe("acl match and counters", () => {
  test("first match wins, implicit deny, hit counts", () => {
    const acl = list("101", "extended", [
      "permit icmp host 10.1.1.1 any echo",
      "deny tcp any any eq telnet",
      "permit tcp any any established",
      "permit udp any any range 500 4500",
      "permit ip any host 10.9.9.9 dscp ef",
    ]);
    expect(acl.evaluate(pkt({ protocol: 1, icmpType: 8, icmpCode: 0 })).entry?.sequence).toBe(10);
    expect(acl.evaluate(pkt({ protocol: 1, icmpType: 0, icmpCode: 0 })).entry).toBeNull();
    expect(acl.evaluate(pkt({ protocol: 6, dstPort: 23, srcPort: 1025 }))).toMatchObject({
      action: "deny",
      entry: { sequence: 20 },
    });
    expect(acl.evaluate(pkt({ protocol: 6, dstPort: 80, srcPort: 1025, tcpFlags: 0x02 })).entry).toBeNull();
    expect(acl.evaluate(pkt({ protocol: 6, dstPort: 80, srcPort: 1025, tcpFlags: 0x12 })).entry?.sequence).toBe(30);
    expect(acl.evaluate(pkt({ protocol: 17, dstPort: 4500, srcPort: 4500 })).entry?.sequence).toBe(40);
    expect(acl.evaluate(pkt({ protocol: 17, dstPort: 501 })).action).toBe("permit");
    expect(acl.evaluate(pkt({ protocol: 47, dst: ip("10.9.9.9"), tos: 0xb8 })).entry?.sequence).toBe(50);
    expect(acl.evaluate(pkt({ protocol: 47, dst: ip("10.9.9.9"), tos: 0 })).action).toBe("deny");
    expect(acl.entries.map((e) => e.matches)).toEqual([1, 1, 1, 2, 1]);
    acl.clearCounters();
    expect(acl.entries.every((e) => e.matches === 0)).toBe(true);
  });

  test("sequence numbers: 10, 20 ...; insert between; no <seq>; resequence; duplicates rejected", () => {
    const acl = list("MGMT", "standard", ["permit 10.0.0.0 0.255.255.255", "deny any"]);
    expect(acl.entries.map((e) => e.sequence)).toEqual([10, 20]);
    expect("sequence" in acl.add(spec("standard", "permit host 192.168.1.1"), 15)).toBe(true);
    expect(acl.entries.map((e) => e.sequence)).toEqual([10, 15, 20]);
    expect(acl.add(spec("standard", "permit 172.16.0.0 0.0.255.255"), 15)).toEqual({
      message: "% Duplicate sequence number",
    });
    expect(acl.add(spec("standard", "deny any"))).toEqual({ message: "% Duplicate entry" });
    expect(acl.add(spec("extended", "permit ip any any"))).toMatchObject({ message: expect.any(String) });
    expect(acl.remove(15)).toBe(true);
    expect(acl.remove(15)).toBe(false);
    acl.resequence(100, 5);
    expect(acl.entries.map((e) => e.sequence)).toEqual([100, 105]);
  });
});

describe("acl render", () => {
  test("show access-lists layout", () => {
    const ext = list("101", "extended", [
      "permit icmp host 10.1.1.1 any",
      "permit tcp any host 10.2.2.2 eq www",
      "deny ip any any log",
    ]);
    for (let i = 0; i < 4; i++) ext.evaluate(pkt({ protocol: 1, icmpType: 8 }));
    ext.evaluate(pkt({ protocol: 6, dstPort: 80 }));
    expect(renderAccessList(ext)).toEqual([
      "Extended IP access list 101",
      "    10 permit icmp host 10.1.1.1 any (4 matches)",
      "    20 permit tcp any host 10.2.2.2 eq www (1 match)",
      "    30 deny ip any any log",
    ]);
    const std = list("1", "standard", ["permit 10.0.0.0 0.255.255.255", "permit 192.168.1.1", "deny any"]);
    expect(renderAccessList(std)).toEqual([
      "Standard IP access list 1",
      "    10 permit 10.0.0.0, wildcard bits 0.255.255.255",
      "    20 permit 192.168.1.1",
      "    30 deny   any",
    ]);
  });

  test("running-config lines, numbered and named", () => {
    const num = list("101", "extended", ["permit udp any any eq isakmp", "permit esp any any"]);
    expect(renderAclConfig(num)).toEqual([
      "access-list 101 permit udp any any eq isakmp",
      "access-list 101 permit esp any any",
    ]);
    const named = list("GRE", "extended", ["permit gre host 10.7.7.7 host 10.8.8.8"]);
    expect(renderAclConfig(named)).toEqual(["ip access-list extended GRE", " permit gre host 10.7.7.7 host 10.8.8.8"]);
    const std = list("1", "standard", ["permit 10.0.0.0 0.255.255.255", "deny any"]);
    expect(renderAclConfig(std)).toEqual(["access-list 1 permit 10.0.0.0 0.255.255.255", "access-list 1 deny any"]);
  });

  test("property: parse(format(entry)) gives the entry back", () => {
    const addr = fc.oneof(
      fc.constant({ address: 0, wildcard: 0xffffffff }),
      fc.nat(0xffffffff).map((a) => ({ address: a, wildcard: 0 })),
      fc
        .tuple(fc.nat(0xffffffff), fc.integer({ min: 1, max: 0xfffffffe }))
        .map(([a, w]) => ({ address: (a & ~w) >>> 0, wildcard: w })),
    );
    const port = fc.oneof(
      fc.record({
        op: fc.constantFrom("eq" as const, "neq" as const),
        ports: fc.array(fc.nat(65535), { minLength: 1, maxLength: 3 }).map((p) => [...new Set(p)]),
      }),
      fc.record({ op: fc.constantFrom("lt" as const, "gt" as const), port: fc.nat(65535) }),
      fc
        .tuple(fc.nat(65535), fc.nat(65535))
        .map(([a, b]) => ({ op: "range" as const, low: Math.min(a, b), high: Math.max(a, b) })),
    );
    const ext = fc
      .record({
        action: fc.constantFrom("permit" as const, "deny" as const),
        protocol: fc.constantFrom(null, 1, 6, 17, 47, 50, 51, 89, 112),
        source: addr,
        destination: addr,
        sp: fc.option(port, { nil: undefined }),
        dp: fc.option(port, { nil: undefined }),
        icmp: fc.option(fc.tuple(fc.nat(255), fc.option(fc.nat(255), { nil: undefined })), { nil: undefined }),
        established: fc.boolean(),
        qos: fc.oneof(
          fc.constant({}),
          fc.record({ dscp: fc.nat(63) }),
          fc.record({ precedence: fc.nat(7) }),
          fc.record({ precedence: fc.nat(7), tos: fc.nat(15) }),
        ),
        log: fc.option(fc.constantFrom("log" as const, "log-input" as const), { nil: undefined }),
      })
      .map((r) => {
        const s: AceSpec = {
          action: r.action,
          protocol: r.protocol,
          source: r.source,
          destination: r.destination,
          ...r.qos,
        };
        if (r.protocol === 6 || r.protocol === 17) {
          if (r.sp) s.sourcePort = r.sp;
          if (r.dp) s.destinationPort = r.dp;
        }
        if (r.protocol === 1 && r.icmp) {
          s.icmpType = r.icmp[0];
          if (r.icmp[1] !== undefined) s.icmpCode = r.icmp[1];
        }
        if (r.protocol === 6 && r.established) s.established = true;
        if (r.log) s.log = r.log;
        return s;
      });
    fc.assert(
      fc.property(ext, (s) => {
        const text = formatAce("extended", s, "config");
        const r = parseAce("extended", tokenize(text));
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.spec).toEqual(s);
      }),
      { numRuns: 500 },
    );
    const std = fc.record({
      action: fc.constantFrom("permit" as const, "deny" as const),
      protocol: fc.constant(null),
      source: addr,
    });
    fc.assert(
      fc.property(std, (s) => {
        const r = parseAce("standard", tokenize(formatAce("standard", s, "config")));
        expect(r.ok && r.spec).toEqual(s);
      }),
    );
  });
});
