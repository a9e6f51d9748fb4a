// Virtual fragment reassembly in front of NAT, on a router (fake context,
// serial links, so every frame it sends is recorded at once): R1 PATs what
// comes in Serial0/0 (inside) onto Serial0/1 (outside). A UDP datagram,
// fragmented and delivered in any order (fast-check shuffles), leaves R1 as
// the same fragments, every one from the global address, and put back
// together its UDP checksum holds with the translated source: the later
// fragments that came before the first waited for it and followed it. The
// answer, fragmented and shuffled too, reaches the inside host translated. Bounds
// as IOS's defaults: 16 reassemblies per interface (the 17th datagram is
// dropped), 32 fragments per datagram (the whole datagram is dropped), 3 s on
// the virtual clock; the counts show in `show ip virtual-reassembly`, the
// overflows in the log as IOS's %IP_VFR messages.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { fragmentDatagram } from "../../../src/dataplane/fragment.ts";
import { emitHdlc, HDLC_ADDRESS_UNICAST, HDLC_PROTO_IPV4 } from "../../../src/wire/hdlc.ts";
import { emitIpv4, IP_PROTO_UDP, parseIpv4 } from "../../../src/wire/ipv4.ts";
import { parseUdp } from "../../../src/wire/udp.ts";
import { bringUp, runTimers } from "../../config/router/fake-context.ts";
import { routerSession } from "../../config/router/router-session.ts";
import { ip, udp } from "./nat-harness.ts";

const SERVER = "198.51.100.1";

function natRouter() {
  const r = routerSession("R1", [
    { name: "Serial0/0", kind: "serial" },
    { name: "Serial0/1", kind: "serial" },
  ]);
  bringUp(r.device, "Serial0/0", ip("10.0.0.1"), 24);
  bringUp(r.device, "Serial0/1", ip("203.0.113.1"), 24);
  expect(
    r.load([
      "interface Serial0/0",
      " ip nat inside",
      "interface Serial0/1",
      " ip nat outside",
      "ip route 0.0.0.0 0.0.0.0 Serial0/1",
      "access-list 1 permit 10.0.0.0 0.0.0.255",
      "ip nat inside source list 1 interface Serial0/1 overload",
    ]),
  ).toEqual([]);
  /** Hands a datagram to R1 as received on Serial0/0 (inside), or on Serial0/1 (outside) with port 1. */
  const inject = (d: Uint8Array, port = 0) =>
    r.device.stack.receive(port, emitHdlc({ address: HDLC_ADDRESS_UNICAST, protocol: HDLC_PROTO_IPV4, payload: d }));
  /** IPv4 datagrams sent out of Serial0/1 (or of port 0: Serial0/0) with this identification. */
  const sent = (id: number, port = 1) =>
    r.ctx.sent
      .filter((s) => s.port === port)
      .map((s) => parseIpv4(s.bytes.subarray(4)))
      .flatMap((p) => (p.ok && p.value.identification === id ? [p.value] : []));
  return { ...r, inject, sent };
}

/** A later fragment (at 8 * n bytes, more to come) of datagram `id` from the inside host. */
const laterFragment = (id: number, n: number): Uint8Array =>
  emitIpv4({
    dscp: 0,
    ecn: 0,
    identification: id,
    dontFragment: false,
    moreFragments: true,
    fragmentOffset: 8 * n,
    ttl: 64,
    protocol: IP_PROTO_UDP,
    src: ip("10.0.0.11"),
    dst: ip(SERVER),
    options: new Uint8Array(0),
    payload: new Uint8Array(8),
  });

const counts = (show: string): string => show.slice(show.indexOf("   Current reassembly count"));

describe("virtual reassembly in front of NAT", () => {
  test("shuffled fragments all leave translated and reassemble to a valid UDP datagram", () => {
    const r = natRouter();
    let id = 0x1000;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 700 }),
        fc.constantFrom(68, 100, 196, 300),
        fc.array(fc.integer(), { minLength: 64, maxLength: 64 }),
        (size, mtu, keys) => {
          id++;
          const sport = 20000 + (id & 0xfff);
          const data = Uint8Array.from({ length: size }, (_, i) => (i * 7 + id) & 0xff);
          const frags = fragmentDatagram(udp("10.0.0.11", sport, SERVER, 9, { id, data }), mtu);
          const order = frags.map((f, i) => ({ f, k: keys[i]! })).sort((a, b) => a.k - b.k);
          for (const { f } of order) r.inject(f);
          runTimers(r.device, r.ctx); // the held fragments follow the first
          const out = r.sent(id);
          expect(out.length).toBe(frags.length);
          for (const h of out) expect(h.src).toBe(ip("203.0.113.1"));
          const payload = new Uint8Array(8 + size);
          for (const h of out) payload.set(h.payload, h.fragmentOffset);
          const u = parseUdp(payload, { src: ip("203.0.113.1"), dst: ip(SERVER) });
          expect(u.ok).toBe(true);
          if (u.ok) expect([u.value.srcPort, u.value.payload]).toEqual([sport, data]);
          // The answer, fragmented and shuffled the other way, reaches the inside host.
          const answer = fragmentDatagram(udp(SERVER, 9, "203.0.113.1", sport, { id: id + 0x8000, data }), mtu);
          const back = answer.map((f, i) => ({ f, k: keys[63 - i]! })).sort((a, b) => a.k - b.k);
          for (const { f } of back) r.inject(f, 1);
          runTimers(r.device, r.ctx);
          const inside = r.sent(id + 0x8000, 0);
          expect(inside.length).toBe(answer.length);
          for (const h of inside) expect(h.dst).toBe(ip("10.0.0.11"));
          const whole = new Uint8Array(8 + size);
          for (const h of inside) whole.set(h.payload, h.fragmentOffset);
          const a = parseUdp(whole, { src: ip(SERVER), dst: ip("10.0.0.11") });
          expect(a.ok && a.value.dstPort === sport).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
    expect(counts(r.run("show ip virtual-reassembly Serial0/1"))).toMatch(/^ {3}Current reassembly count:0\n/);
    const show = r.run("show ip virtual-reassembly Serial0/0");
    expect(show).toContain("Serial0/0:\n   Virtual Fragment Reassembly (VFR) is ENABLED [in]\n");
    expect(show).toContain("   Concurrent reassemblies (max-reassemblies): 16\n");
    expect(counts(show)).toMatch(
      /^ {3}Current reassembly count:0\n {3}Current fragment count:0\n {3}Total reassembly count:\d+\n {3}Total reassembly timeout count:0\n {3}Total reassembly failures:0\n$/,
    );
    expect(r.device.nat!.stats.mappingDrops).toBe(0);
  });

  test("bounds: 16 reassemblies per interface, 32 fragments per datagram, 3 s; drops counted", () => {
    const r = natRouter();
    for (let i = 0; i < 17; i++) r.inject(laterFragment(0x100 + i, 1));
    expect(counts(r.run("show ip virtual-reassembly Serial0/0"))).toBe(
      "   Current reassembly count:16\n   Current fragment count:16\n   Total reassembly count:16\n   Total reassembly timeout count:0\n   Total reassembly failures:1\n",
    );
    expect(r.run("show ip virtual-reassembly")).toContain(
      "Serial0/1:\n   Virtual Fragment Reassembly (VFR) is ENABLED",
    );
    runTimers(r.device, r.ctx, 3.1e9);
    expect(counts(r.run("show ip virtual-reassembly Serial0/0"))).toBe(
      "   Current reassembly count:0\n   Current fragment count:0\n   Total reassembly count:16\n   Total reassembly timeout count:16\n   Total reassembly failures:1\n",
    );
    // 33 fragments of one datagram: the 33rd gives the whole datagram up, and what follows is dropped too.
    for (let n = 1; n <= 33; n++) r.inject(laterFragment(0x200, n));
    r.inject(laterFragment(0x200, 40));
    expect(counts(r.run("show ip virtual-reassembly Serial0/0"))).toContain(
      "   Current fragment count:0\n   Total reassembly count:17\n   Total reassembly timeout count:16\n   Total reassembly failures:35\n",
    );
    runTimers(r.device, r.ctx, 3.1e9);
    expect(r.sent(0x200).length + r.ctx.sent.filter((s) => s.port === 1).length).toBe(0);
    expect(r.run("show ip virtual-reassembly Loopback9")).toContain("% Invalid interface");
    const log = r.device.logging.entries().join("\n");
    expect(log).toContain(
      "%IP_VFR-4-FRAG_TABLE_OVERFLOW: Serial0/0: the fragment table has reached its maximum threshold 16",
    );
    expect(log).toContain(
      "%IP_VFR-4-TOO_MANY_FRAGMENTS: Serial0/0: Too many fragments per datagram (more than 32) - sent by 10.0.0.11, destined to 198.51.100.1",
    );
  });

  test("a fragment that is not NAT's business passes at once once its first has gone", () => {
    const r = natRouter();
    const frags = fragmentDatagram(udp("10.0.0.11", 5000, SERVER, 9, { id: 0x300, data: new Uint8Array(300) }), 100);
    r.inject(frags[0]!);
    expect(r.sent(0x300).length).toBe(1);
    for (const f of frags.slice(1)) r.inject(f);
    expect(r.sent(0x300).length).toBe(frags.length); // no wait: the first was seen
    expect(counts(r.run("show ip virtual-reassembly Serial0/0"))).toContain("   Current reassembly count:0\n");
  });
});
