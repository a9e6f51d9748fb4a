// Properties of the NAT data plane: whatever bytes reach it (random,
// truncated, mangled) it never throws; and for any set of inside flows,
// PAT gives distinct inside ends distinct global ends, every rewritten
// datagram passes the wire parsers' checksum checks, and the reply to a
// translated datagram comes back to the inside end that sent it.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { emitIpv4 } from "../../../src/wire/ipv4.ts";
import { ipv4Packet } from "../../wire/arbitraries.ts";
import { echo, harness, tcp, udp, verify } from "./nat-harness.ts";

/** A PAT harness with a static mapping and a pool mapping too, so every lookup path is live. */
function busyHarness() {
  const h = harness();
  h.acl("1", "permit 10.0.0.0 0.0.0.127");
  h.acl("2", "permit 10.0.0.128 0.0.0.127");
  h.nat.config.pools.set("P", { name: "P", start: 0xcb007164, end: 0xcb007165, prefixLength: 24, maskForm: "netmask" });
  h.nat.config.setDynamic({ kind: "list", name: "1" }, { kind: "interface", interface: "GigabitEthernet0/1" }, true);
  h.nat.config.setDynamic({ kind: "list", name: "2" }, { kind: "pool", pool: "P" }, false);
  h.nat.addStatic({
    protocol: null,
    local: 0x0a0000c8,
    global: 0xcb0071c8,
    localPort: 0,
    globalPort: 0,
    extendable: false,
  });
  return h;
}

const insideHost = fc.integer({ min: 1, max: 254 }).map((n) => `10.0.0.${n}`);
const outsideHost = fc.constantFrom("198.51.100.2", "198.51.100.3", "192.0.2.50", "203.0.113.200");
const port = fc.integer({ min: 0, max: 65535 });

/** A datagram an inside host might send. */
const insideDatagram = fc.oneof(
  fc.record({
    p: fc.constant("udp" as const),
    src: insideHost,
    sport: port,
    dst: outsideHost,
    dport: port,
    zero: fc.boolean(),
  }),
  fc.record({
    p: fc.constant("tcp" as const),
    src: insideHost,
    sport: port,
    dst: outsideHost,
    dport: port,
    zero: fc.constant(false),
  }),
  fc.record({
    p: fc.constant("icmp" as const),
    src: insideHost,
    sport: port,
    dst: outsideHost,
    dport: fc.constant(0),
    zero: fc.constant(false),
  }),
);

type Spec = { p: "udp" | "tcp" | "icmp"; src: string; sport: number; dst: string; dport: number; zero: boolean };

function build(s: Spec): Uint8Array {
  if (s.p === "udp") return udp(s.src, s.sport, s.dst, s.dport, { zeroChecksum: s.zero });
  if (s.p === "tcp") return tcp(s.src, s.sport, s.dst, s.dport, 0x10);
  return echo(s.src, s.dst, s.sport);
}

/** Bytes with some of them changed and maybe the end cut off. */
const mangled = fc
  .tuple(
    fc.oneof(
      ipv4Packet.map((p) => emitIpv4({ ...p, fragmentOffset: p.fragmentOffset & 0xfff8 })),
      insideDatagram.map(build),
    ),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
    fc.option(fc.nat(), { nil: undefined }),
  )
  .map(([bytes, flips, cut]) => {
    const b = bytes.slice();
    for (const [at, v] of flips) if (b.length > 0) b[at % b.length] = v;
    return cut === undefined || b.length === 0 ? b : b.slice(0, cut % (b.length + 1));
  });

describe("NAT properties", () => {
  test("random, truncated and mangled datagrams never make NAT throw, in either direction", () => {
    fc.assert(
      fc.property(fc.array(mangled, { minLength: 1, maxLength: 12 }), (list) => {
        const h = busyHarness();
        for (const d of list) {
          h.out(d.slice());
          h.in(d.slice());
          h.nat.original(d.slice(), h.inside);
          h.advance(20e9);
        }
      }),
      { numRuns: 400 },
    );
  });

  test("translations are one-to-one, checksums stay right, and replies find the inside end", () => {
    fc.assert(
      fc.property(fc.array(insideDatagram, { minLength: 1, maxLength: 25 }), (specs) => {
        const h = busyHarness();
        const globalOf = new Map<string, string>();
        const insideOf = new Map<string, string>();
        for (const s of specs) {
          const d = build(s);
          if (!h.out(d)) continue; // a pool with no address left
          const after = verify(d);
          expect(after.dst).toBe(s.dst);
          if (s.p !== "icmp") expect(after.dport).toBe(s.dport);
          const inside = `${s.p} ${s.src}:${s.sport}`;
          const global = `${s.p} ${after.src}:${after.sport}`;
          // Each inside end keeps one global end (per global address), and no two inside ends share one.
          expect(insideOf.get(global) ?? inside).toBe(inside);
          insideOf.set(global, inside);
          globalOf.set(inside, global);
          const reply =
            s.p === "udp"
              ? udp(s.dst, s.dport, after.src, after.sport, { zeroChecksum: s.zero })
              : s.p === "tcp"
                ? tcp(s.dst, s.dport, after.src, after.sport, 0x12)
                : echo(s.dst, after.src, after.sport, "echoReply");
          expect(h.in(reply)).toBe(true);
          const back = verify(reply);
          expect(back.dst).toBe(s.src);
          expect(back.dport).toBe(s.sport);
          expect(back.src).toBe(s.dst);
        }
      }),
      { numRuns: 300 },
    );
  });
});
