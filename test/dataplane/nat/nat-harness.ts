// NAT data plane on its own, for unit and property tests: a NatDataplane on
// fake deps (a clock the test moves, timers that fire in time order, access
// lists built from IOS lines), an inside and an outside interface, datagram
// builders from the wire emitters, and a checker that re-parses a datagram
// with the wire parsers and verifies every checksum.

import { AccessList, type AclKind, aclKindForNumber } from "../../../src/dataplane/acl.ts";
import { parseAce } from "../../../src/dataplane/acl-parse.ts";
import { NatDataplane } from "../../../src/dataplane/nat/index.ts";
import { RouterInterface } from "../../../src/dataplane/pipeline/router-interface.ts";
import type { RouteMap } from "../../../src/dataplane/route-map.ts";
import type { TimeNs } from "../../../src/runtime/device.ts";
import { internetChecksum } from "../../../src/wire/checksum.ts";
import { emitIcmp, type IcmpMessage, icmpQuote, parseIcmp } from "../../../src/wire/icmp.ts";
import { emitIpv4, IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP, parseIpv4 } from "../../../src/wire/ipv4.ts";
import { formatIpv4Address, parseIpv4Address, readIpv4 } from "../../../src/wire/ipv4-address.ts";
import { emitTcp, parseTcp, TCP_SYN } from "../../../src/wire/tcp.ts";
import { emitUdp, parseUdp } from "../../../src/wire/udp.ts";

/** Dotted quad to number (test shorthand). */
export const ip = (text: string): number => parseIpv4Address(text)!;

/** A NAT data plane with its fake surroundings. */
export interface Harness {
  nat: NatDataplane;
  inside: RouterInterface;
  outside: RouterInterface;
  /** Debug lines written so far. */
  debug: string[];
  acls: Map<string, AccessList>;
  /** Route maps the NAT mappings find by name (entries built with routeMapEntry). */
  routeMaps: Map<string, RouteMap>;
  /** Adds an access-list line: `acl("1", "permit 10.0.0.0 0.0.0.255")`. */
  acl(name: string, line: string, kind?: AclKind): void;
  /** Current virtual time. */
  now(): TimeNs;
  /** Moves the clock, firing due timers in order. */
  advance(ns: TimeNs): void;
  /** Sends a datagram inside->outside; returns whether it went on. */
  out(dgram: Uint8Array): boolean;
  /** Receives a datagram on the outside interface; returns whether it went on. */
  in(dgram: Uint8Array): boolean;
}

/** Builds a harness; the outside interface is 203.0.113.1/24. */
export function harness(): Harness {
  let nowNs = 0;
  const timers: Array<{ at: TimeNs; fn: () => void; live: boolean }> = [];
  const acls = new Map<string, AccessList>();
  const routeMaps = new Map<string, RouteMap>();
  const debug: string[] = [];
  const inside = new RouterInterface("GigabitEthernet0/0", "ethernet", 0, 0xaabbcc000100, 1e9);
  const outside = new RouterInterface("GigabitEthernet0/1", "ethernet", 1, 0xaabbcc000110, 1e9);
  inside.config.address = { address: ip("10.0.0.1"), length: 24 };
  outside.config.address = { address: ip("203.0.113.1"), length: 24 };
  inside.config.nat = "inside";
  outside.config.nat = "outside";
  const nat = new NatDataplane({
    now: () => nowNs,
    after(delayNs, _name, fn) {
      const t = { at: nowNs + delayNs, fn, live: true };
      timers.push(t);
      return { cancel: () => void (t.live = false) };
    },
    acl: (name) => acls.get(name),
    routeMap: (name) => routeMaps.get(name),
    interfaceAddress: (name) => (name === outside.name ? outside.config.address?.address : undefined),
    debug: (_detailed, line) => void debug.push(line()),
  });
  return {
    nat,
    inside,
    outside,
    debug,
    acls,
    routeMaps,
    acl(name, line, kind) {
      const k = kind ?? aclKindForNumber(Number(name)) ?? "extended";
      const parsed = parseAce(k, line.split(/\s+/));
      if (!parsed.ok) throw new Error(`bad ACE ${line}`);
      let list = acls.get(name);
      if (list === undefined) acls.set(name, (list = new AccessList(name, k)));
      list.add(parsed.spec);
    },
    now: () => nowNs,
    advance(ns) {
      const until = nowNs + ns;
      for (;;) {
        const due = timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (due === undefined) break;
        due.live = false;
        nowNs = due.at;
        due.fn();
      }
      nowNs = until;
    },
    out: (dgram) => nat.output(outside, inside, dgram),
    in: (dgram) => nat.input(outside, dgram),
  };
}

/** Options of a test datagram. */
export interface DgramOptions {
  id?: number;
  moreFragments?: boolean;
  fragmentOffset?: number;
  ttl?: number;
}

function ipv4(protocol: number, src: number, dst: number, payload: Uint8Array, o: DgramOptions = {}): Uint8Array {
  return emitIpv4({
    dscp: 0,
    ecn: 0,
    identification: o.id ?? 0x1234,
    dontFragment: false,
    moreFragments: o.moreFragments ?? false,
    fragmentOffset: o.fragmentOffset ?? 0,
    ttl: o.ttl ?? 64,
    protocol,
    src,
    dst,
    options: new Uint8Array(0),
    payload,
  });
}

/** A UDP datagram; `zeroChecksum` sends it without a checksum. */
export function udp(
  src: string,
  sport: number,
  dst: string,
  dport: number,
  o: DgramOptions & { zeroChecksum?: boolean; data?: Uint8Array } = {},
): Uint8Array {
  const payload = emitUdp(
    { srcPort: sport, dstPort: dport, payload: o.data ?? new Uint8Array([1, 2, 3, 4, 5]) },
    { src: ip(src), dst: ip(dst) },
  );
  if (o.zeroChecksum) payload[6] = payload[7] = 0;
  return ipv4(IP_PROTO_UDP, ip(src), ip(dst), payload, o);
}

/** A TCP segment (SYN unless flags say otherwise). */
export function tcp(
  src: string,
  sport: number,
  dst: string,
  dport: number,
  flags = TCP_SYN,
  o: DgramOptions = {},
): Uint8Array {
  const seg = emitTcp(
    {
      srcPort: sport,
      dstPort: dport,
      seq: 1000,
      ack: 0,
      flags,
      window: 8192,
      urgent: 0,
      options: [{ kind: "mss", mss: 1460 }],
      payload: new Uint8Array([9, 8, 7]),
    },
    { src: ip(src), dst: ip(dst) },
  );
  return ipv4(IP_PROTO_TCP, ip(src), ip(dst), seg, o);
}

/** An ICMP echo request (or reply). */
export function echo(
  src: string,
  dst: string,
  id: number,
  kind: "echoRequest" | "echoReply" = "echoRequest",
  o: DgramOptions = {},
): Uint8Array {
  return ipv4(
    IP_PROTO_ICMP,
    ip(src),
    ip(dst),
    emitIcmp({ kind, id, seq: 7, data: new Uint8Array([0xab, 0xcd, 0xab, 0xcd]) }),
    o,
  );
}

/** An ICMP error from `src` to `dst` quoting `about`. */
export function icmpError(
  src: string,
  dst: string,
  about: Uint8Array,
  kind: "timeExceeded" | "portUnreachable" = "timeExceeded",
): Uint8Array {
  const original = icmpQuote(about);
  const m: IcmpMessage =
    kind === "timeExceeded"
      ? { kind: "timeExceeded", code: 0, original }
      : { kind: "destUnreachable", code: 3, nextHopMtu: 0, original };
  return ipv4(IP_PROTO_ICMP, ip(src), ip(dst), emitIcmp(m));
}

/** The endpoints of a datagram as text, after checking every checksum with the wire parsers (throws when one is wrong). */
export function verify(dgram: Uint8Array): { src: string; dst: string; sport: number; dport: number } {
  const p = parseIpv4(dgram);
  if (!p.ok) throw new Error(`ipv4: ${p.error.reason}`);
  const h = p.value;
  const addr = formatIpv4Address;
  const later = h.fragmentOffset !== 0;
  let sport = 0;
  let dport = 0;
  if (!later && !h.moreFragments && h.protocol === IP_PROTO_UDP) {
    const u = parseUdp(h.payload, { src: h.src, dst: h.dst });
    if (!u.ok) throw new Error(`udp: ${u.error.reason}`);
    sport = u.value.srcPort;
    dport = u.value.dstPort;
  } else if (!later && !h.moreFragments && h.protocol === IP_PROTO_TCP) {
    const t = parseTcp(h.payload, { src: h.src, dst: h.dst });
    if (!t.ok) throw new Error(`tcp: ${t.error.reason}`);
    sport = t.value.srcPort;
    dport = t.value.dstPort;
  } else if (!later && !h.moreFragments && h.protocol === IP_PROTO_ICMP) {
    const m = parseIcmp(h.payload);
    if (!m.ok) throw new Error(`icmp: ${m.error.reason}`);
    if (m.value.kind === "echoRequest" || m.value.kind === "echoReply") sport = dport = m.value.id;
  }
  return { src: addr(h.src), dst: addr(h.dst), sport, dport };
}

/** The datagram quoted by an ICMP error (whose own checksums must hold), and whether the quoted IP header's checksum holds. */
export function quoted(dgram: Uint8Array): {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  headerOk: boolean;
} {
  const p = parseIpv4(dgram);
  if (!p.ok) throw new Error(`ipv4: ${p.error.reason}`);
  const m = parseIcmp(p.value.payload);
  if (!m.ok || !("original" in m.value)) throw new Error("not an ICMP error with a valid checksum");
  const q = m.value.original;
  const hl = (q[0]! & 15) * 4;
  const icmp = q[9] === IP_PROTO_ICMP;
  const sport = icmp ? (q[hl + 4]! << 8) | q[hl + 5]! : (q[hl]! << 8) | q[hl + 1]!;
  const dport = icmp ? sport : (q[hl + 2]! << 8) | q[hl + 3]!;
  return {
    src: formatIpv4Address(readIpv4(q, 12)),
    dst: formatIpv4Address(readIpv4(q, 16)),
    sport,
    dport,
    headerOk: internetChecksum(q, 0, hl) === 0,
  };
}
