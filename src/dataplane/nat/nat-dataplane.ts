// IOS NAT at packet level, behind the IP stack's `nat` hook (IpNatHooks).
// Inside->outside: a datagram that came in an `ip nat inside` interface and
// leaves an `ip nat outside` one (after routing, before the output ACL and
// the crypto map) gets its source translated: an existing flow entry, a
// static port or address mapping, or the first dynamic mapping whose access
// list permits it, or whose route map permits it (the datagram as the
// subject, `match interface` naming the output interface), to a pool address
// (by route map: a fully extended entry per flow, as IOS makes them) or, with
// overload, to a PAT address and port. A deny (an access-list deny,
// a route-map deny entry, no route-map entry matching) is "do not translate":
// NAT exemption for IPsec. Outside->inside: a datagram arriving on an outside
// interface (after the input ACL and decryption, before routing) gets its
// destination translated back when a translation exists, and is left alone
// otherwise. An outside source static mapping rewrites the outside end as
// well: the source of what comes in (outside global -> outside local) and the
// destination of what goes out (outside local -> outside global), recorded in
// the flow entries it takes part in. ICMP errors have the datagram they quote
// translated too; fragments after the first take the translation of their
// first fragment, and one that comes before its first fragment waits for it
// (virtual reassembly, virtual-reassembly.ts). Datagrams NAT cannot translate
// (no address or port left, cut short) are dropped and counted. Entries
// expire on the device's virtual clock. Router-originated datagrams are never
// translated, as in IOS.

import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import { icmpQuote } from "../../wire/icmp.ts";
import { formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";
import { type AccessList, type AclPacket, entryMatches, PROTOCOL_NAMES } from "../acl.ts";
import type { IpNatHooks } from "../pipeline/ip-stack.ts";
import { aclFields } from "../pipeline/ip-stack.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";
import { evaluateRouteMap, type RouteMap } from "../route-map.ts";
import {
  type DynamicMapping,
  NatConfig,
  type OutsideStaticMapping,
  poolAddresses,
  type StaticMapping,
} from "./nat-config.ts";
import { type Flow, icmpChecksumAt, readFlow, rewriteEnd, type Side } from "./nat-packet.ts";
import { type NatEntry, NatTable, type NewEntry } from "./nat-table.ts";
import { type VfrEvent, VirtualReassembly } from "./virtual-reassembly.ts";

/** A translation for a datagram: the entry (found, or just made) and the address and port to write. */
type Found = { entry: NatEntry; created: boolean; address: number; port: number | null };

/** What NAT needs from its router. */
export interface NatDeps {
  now(): TimeNs;
  /** A virtual-clock timer. */
  after(delayNs: TimeNs, name: string, fn: () => void): TimerHandle;
  /** Access list by name (numbered lists by their number). */
  acl(name: string): AccessList | undefined;
  /** Route map by name (`ip nat inside source route-map`). */
  routeMap(name: string): RouteMap | undefined;
  /** Primary address of an interface (`... interface IF overload`), if it has one. */
  interfaceAddress(name: string): number | undefined;
  /** A virtual reassembly event (the router logs IOS's %IP_VFR message). */
  vfrEvent?(e: VfrEvent): void;
  /** A `debug ip nat` line (`detailed` ones only with `debug ip nat detailed`); the text is built only when on. */
  debug(detailed: boolean, line: () => string): void;
}

/** Counters of `show ip nat statistics`. */
export interface NatStats {
  /** Datagrams translated with an entry that was already there. */
  hits: number;
  /** Datagrams that needed a new entry (made or not). */
  misses: number;
  /** Entries removed by their timeout. */
  expired: number;
  /** Datagrams dropped on their way out, and on their way in. */
  inToOutDrops: number;
  outToInDrops: number;
  /** Drops because no address or port was left. */
  poolDrops: number;
  /** Drops of datagrams NAT could not read (cut short, bad header) or place (a later fragment before its first). */
  mappingDrops: number;
  /** Most entries at once, and when. */
  peak: number;
  peakAt: TimeNs;
}

/** Pool address allocation failures, per pool (the pool line's `misses`). */
export type PoolMisses = Map<string, number>;

/** How long the translation of a first fragment waits for the rest (IOS virtual reassembly: 3 s default, kept generous). */
const FRAGMENT_STATE_NS = 30e9;
const FRAGMENT_STATE_MAX = 4096;

/** One router's NAT: configuration, translation table, counters, expiry timer. */
export class NatDataplane implements IpNatHooks {
  readonly config = new NatConfig();
  readonly table = new NatTable();
  readonly stats: NatStats = {
    hits: 0,
    misses: 0,
    expired: 0,
    inToOutDrops: 0,
    outToInDrops: 0,
    poolDrops: 0,
    mappingDrops: 0,
    peak: 0,
    peakAt: 0,
  };
  readonly poolMisses: PoolMisses = new Map();
  /** Translated address of the fragments that follow a first fragment, by direction and (src, dst, protocol, id). */
  private readonly fragments = new Map<string, { address: number; atNs: TimeNs }>();
  private timer: TimerHandle | null = null;
  private timerAt: TimeNs | null = null;
  /** Virtual fragment reassembly in front of NAT. */
  readonly vfr: VirtualReassembly;

  constructor(private readonly deps: NatDeps) {
    this.vfr = new VirtualReassembly(deps);
  }

  // ---- the IP stack's hooks ---------------------------------------------------

  /** Outside->inside translation of a datagram received on an outside interface. */
  input(ingress: RouterInterface, dgram: Uint8Array): boolean {
    if (ingress.config.nat !== "outside") return true;
    const flow = readFlow(dgram);
    if (flow === null) return this.dropMalformed("in");
    if (flow.kind === "laterFragment") return this.laterFragment(dgram, flow, "dst");
    if (flow.kind === "icmpError") return this.icmpError(dgram, flow, true);
    const found = this.fromOutside(flow);
    const outsideLocal = found?.entry.outsideLocal ?? this.outsideLocalOf(flow.src);
    if (found !== null) {
      this.use(found.entry, found.created, true);
      this.translate(dgram, flow, "dst", found.address, found.port);
      if (flow.finOrRst) found.entry.timingOut = true;
    }
    // No translation at all: IOS routes it as it is.
    if (outsideLocal !== null && outsideLocal !== flow.src) this.translate(dgram, flow, "src", outsideLocal, null);
    return true;
  }

  /** Inside->outside translation of a datagram from an inside interface leaving an outside one. */
  output(egress: RouterInterface, ingress: RouterInterface, dgram: Uint8Array): boolean {
    if (egress.config.nat !== "outside" || ingress.config.nat !== "inside") return true;
    const flow = readFlow(dgram);
    if (flow === null) return this.dropMalformed("out");
    if (flow.kind === "laterFragment") return this.laterFragment(dgram, flow, "src", egress.name);
    if (flow.kind === "icmpError") return this.icmpError(dgram, flow, false);
    const found = this.fromInside(flow, dgram, egress.name);
    if (found === "drop") return false;
    const outsideGlobal = (found === null ? null : found.entry.outsideGlobal) ?? this.outsideGlobalOf(flow.dst);
    // found === null: not for inside NAT (no mapping, or the access list or route map denies it).
    if (found !== null) {
      this.use(found.entry, found.created, false);
      this.translate(dgram, flow, "src", found.address, found.port);
      if (flow.finOrRst) found.entry.timingOut = true;
    }
    if (outsideGlobal !== null && outsideGlobal !== flow.dst) this.translate(dgram, flow, "dst", outsideGlobal, null);
    return true;
  }

  /** The outside local address an outside global one is shown as (`ip nat outside source static`), or null. */
  outsideLocalOf(global: number): number | null {
    for (const m of this.config.outsideStatics) if (m.global === global) return m.local;
    return null;
  }

  /** The outside global address behind an outside local one, or null. */
  outsideGlobalOf(local: number): number | null {
    for (const m of this.config.outsideStatics) if (m.local === local) return m.global;
    return null;
  }

  /** The pre-NAT header and first 8 bytes of a datagram translated on its way out, for an ICMP error about it. */
  original(dgram: Uint8Array, ingress: RouterInterface | null): Uint8Array | null {
    if (ingress?.config.nat !== "inside" || this.table.size === 0) return null;
    const flow = readFlow(dgram);
    if (flow === null || flow.kind === "icmpError") return null;
    const entry =
      flow.kind === "laterFragment"
        ? undefined
        : this.table.flowFromOutside(flow.protocol, flow.src, flow.srcPort, flow.dst, flow.dstPort);
    const address = entry?.insideLocal ?? this.table.addressByGlobal(flow.src)?.insideLocal;
    if (address === undefined) return null;
    const copy = icmpQuote(dgram);
    rewriteEnd(copy, 0, copy.length, "src", address, entry?.insideLocalPort ?? null);
    const outsideLocal = entry?.outsideLocal ?? this.outsideLocalOf(flow.dst);
    if (outsideLocal !== null) rewriteEnd(copy, 0, copy.length, "dst", outsideLocal, null);
    return copy;
  }

  /** Virtual fragment reassembly on a NAT interface (IOS enables it with NAT): a later fragment waits for its first. */
  virtualReassembly(ingress: RouterInterface, dgram: Uint8Array, resume: (dgram: Uint8Array) => void): boolean {
    if (ingress.config.nat === undefined) return false;
    return this.vfr.offer(ingress.name, dgram, resume);
  }

  /** IOS's IP aliases: an outside interface answers ARP for static inside globals and pool addresses on its subnet. */
  alias(ifc: RouterInterface, address: number): boolean {
    if (ifc.config.nat !== "outside") return false;
    if (!ifc.addresses().some((a) => ((a.address ^ address) & maskFromLength(a.length)) === 0)) return false;
    if (this.config.statics.some((m) => m.global === address)) return true;
    for (const pool of this.config.pools.values()) if (address >= pool.start && address <= pool.end) return true;
    return false;
  }

  // ---- lookups ------------------------------------------------------------------

  /** The translation for a datagram from the inside: an entry (found or made), null for none, "drop" when it cannot be made. */
  private fromInside(flow: Flow, dgram: Uint8Array, egress: string): Found | "drop" | null {
    const ports = flow.kind === "ports" || flow.kind === "icmpQuery";
    const existing = this.table.flowFromInside(flow.protocol, flow.src, flow.srcPort, flow.dst, flow.dstPort);
    if (existing !== undefined)
      return { entry: existing, created: false, address: existing.insideGlobal, port: existing.insideGlobalPort };
    if (flow.kind === "ports") {
      const port = this.table.staticPortByLocalEnd(flow.protocol, flow.src, flow.srcPort);
      if (port !== undefined) return this.child(port, flow, false);
    }
    let parent = this.table.addressByLocal(flow.src);
    let created = false;
    if (parent === undefined) {
      const made = this.fromMappings(flow, dgram, egress);
      if (made === null || made === "drop" || made.entry.extended) return made;
      parent = made.entry;
      created = true;
    }
    if (ports) return this.child(parent, flow, false);
    return { entry: parent, created, address: parent.insideGlobal, port: null };
  }

  /** The translation for a datagram from the outside, or null when there is none (left as it is). */
  private fromOutside(flow: Flow): Found | null {
    const existing = this.table.flowFromOutside(flow.protocol, flow.dst, flow.dstPort, flow.src, flow.srcPort);
    if (existing !== undefined)
      return { entry: existing, created: false, address: existing.insideLocal, port: existing.insideLocalPort };
    if (flow.kind === "ports") {
      const port = this.table.staticPortByGlobalEnd(flow.protocol, flow.dst, flow.dstPort);
      if (port !== undefined) return this.child(port, flow, true);
    }
    const parent = this.table.addressByGlobal(flow.dst);
    if (parent === undefined) return null;
    if (flow.kind === "ports" || flow.kind === "icmpQuery") return this.child(parent, flow, true);
    return { entry: parent, created: false, address: parent.insideLocal, port: null };
  }

  /** A flow entry under an address or static port entry (same ports, the parent's addresses). */
  private child(parent: NatEntry, flow: Flow, inbound: boolean): Found & { port: number } {
    const portMapping = parent.extended;
    const localPort = inbound ? (portMapping ? parent.insideLocalPort : flow.dstPort) : flow.srcPort;
    const globalPort = inbound ? flow.dstPort : portMapping ? parent.insideGlobalPort : flow.srcPort;
    const entry = this.addFlow(flow, inbound, {
      origin: parent.origin,
      insideLocal: parent.insideLocal,
      insideLocalPort: localPort,
      insideGlobal: parent.insideGlobal,
      insideGlobalPort: globalPort,
      mapping: parent.mapping,
      parent,
    });
    return {
      entry,
      created: true,
      address: inbound ? entry.insideLocal : entry.insideGlobal,
      port: inbound ? localPort : globalPort,
    };
  }

  /** Tries the dynamic mappings in order; the first whose list or route map permits the datagram makes the entry. */
  private fromMappings(flow: Flow, dgram: Uint8Array, egress: string): Found | "drop" | null {
    const fields = aclFields(dgram);
    for (const mapping of this.config.dynamic) {
      if (!this.selects(mapping, fields, egress, true)) continue;
      const addresses = this.addressesOf(mapping);
      const made = mapping.overload
        ? this.overload(mapping, flow, addresses)
        : mapping.source.kind === "route-map"
          ? this.fullyExtended(mapping, flow, addresses)
          : this.oneToOne(mapping, flow, addresses);
      if (made !== null) return made;
      this.stats.misses++;
      this.stats.poolDrops++;
      this.stats.inToOutDrops++;
      if (mapping.target.kind === "pool")
        this.poolMisses.set(mapping.target.pool, (this.poolMisses.get(mapping.target.pool) ?? 0) + 1);
      this.deps.debug(
        false,
        () =>
          `NAT: translation failed (A), dropping packet s=${formatIpv4Address(flow.src)} d=${formatIpv4Address(flow.dst)}`,
      );
      return "drop";
    }
    return null;
  }

  /** PAT: a flow entry on a global address and port. */
  private overload(mapping: DynamicMapping, flow: Flow, addresses: readonly number[]): Found | null {
    const ports = flow.kind === "ports" || flow.kind === "icmpQuery";
    const got = this.table.allocate(
      flow.protocol,
      addresses,
      flow.src,
      ports ? flow.srcPort : 0,
      this.outsideGlobalOf(flow.dst) ?? flow.dst,
    );
    if (got === null) return null;
    const entry = this.addFlow(flow, false, {
      origin: "dynamic",
      insideLocal: flow.src,
      insideLocalPort: ports ? flow.srcPort : 0,
      insideGlobal: got.address,
      insideGlobalPort: got.port,
      mapping,
      parent: null,
    });
    return { entry, created: true, address: got.address, port: ports ? got.port : null };
  }

  /** Dynamic NAT without overload: the first free address becomes this inside host's. */
  private oneToOne(mapping: DynamicMapping, flow: Flow, addresses: readonly number[]): Found | null {
    const address = addresses.find((a) => !this.table.globalInUse(a));
    if (address === undefined) return null;
    const entry = this.add({
      protocol: 0,
      extended: false,
      origin: "dynamic",
      insideLocal: flow.src,
      insideGlobal: address,
      mapping,
    });
    return { entry, created: true, address, port: null };
  }

  /**
   * Whether a mapping takes a datagram: its access list permits it (counted
   * in the list when `count`), or its route map permits it, the datagram
   * being the subject and the output interface what `match interface` sees.
   * A list or route map that does not exist takes nothing, as on IOS.
   */
  private selects(mapping: DynamicMapping, fields: AclPacket, egress: string, count: boolean): boolean {
    if (mapping.source.kind === "list") {
      const acl = this.deps.acl(mapping.source.name);
      if (acl === undefined) return false;
      if (count) return acl.evaluate(fields).action === "permit";
      return acl.entries.find((e) => entryMatches(e, fields))?.action === "permit";
    }
    const map = this.deps.routeMap(mapping.source.name);
    if (map === undefined) return false;
    // A packet is never matched by a prefix list (they match routes), so none is looked up.
    const lookups = { acl: (name: string) => this.deps.acl(name), prefixList: () => undefined };
    return evaluateRouteMap(map, { packet: fields, interface: egress }, lookups).permit;
  }

  /**
   * Dynamic NAT by route map without overload: as IOS, a fully extended
   * entry per flow (inside and outside ends, ports kept), the inside host
   * keeping the global address its other entries of this mapping have, or
   * taking the first one no other inside host holds.
   */
  private fullyExtended(mapping: DynamicMapping, flow: Flow, addresses: readonly number[]): Found | null {
    const ports = flow.kind === "ports" || flow.kind === "icmpQuery";
    const all = this.table.all();
    let address = all.find((e) => e.mapping === mapping && e.insideLocal === flow.src)?.insideGlobal;
    if (address === undefined) {
      const held = new Set(all.filter((e) => e.insideLocal !== flow.src).map((e) => e.insideGlobal));
      address = addresses.find((a) => !held.has(a));
    }
    if (address === undefined) return null;
    const port = ports ? flow.srcPort : 0;
    const entry = this.addFlow(flow, false, {
      origin: "dynamic",
      insideLocal: flow.src,
      insideLocalPort: port,
      insideGlobal: address,
      insideGlobalPort: port,
      mapping,
      parent: null,
    });
    return { entry, created: true, address, port: ports ? port : null };
  }

  /** The global addresses a mapping hands out (a pool's range, or its interface's address). */
  addressesOf(mapping: DynamicMapping): number[] {
    if (mapping.target.kind === "interface") {
      const a = this.deps.interfaceAddress(mapping.target.interface);
      return a === undefined ? [] : [a];
    }
    const pool = this.config.pools.get(mapping.target.pool);
    return pool === undefined ? [] : poolAddresses(pool);
  }

  // ---- ICMP errors and fragments ---------------------------------------------------

  /**
   * An ICMP error: the datagram it quotes went the other way through NAT
   * (out from the inside end for an error from the outside, in to it for an
   * error from an inside host), so the quote and the error's own address are
   * translated with that datagram's entry, or an address entry.
   */
  private icmpError(dgram: Uint8Array, flow: Flow, inbound: boolean): boolean {
    const q = flow.quoted!;
    const inner = q.flow;
    const ports = inner.kind === "ports" || inner.kind === "icmpQuery";
    let entry: NatEntry | undefined;
    if (ports && inbound)
      entry = this.table.flowFromOutside(inner.protocol, inner.src, inner.srcPort, inner.dst, inner.dstPort);
    if (ports && !inbound)
      entry = this.table.flowFromInside(inner.protocol, inner.dst, inner.dstPort, inner.src, inner.srcPort);
    const target = entry ?? (inbound ? this.table.addressByGlobal(inner.src) : this.table.addressByLocal(inner.dst));
    if (target !== undefined) {
      this.use(target, false, inbound);
      const from = inbound ? target.insideGlobal : target.insideLocal;
      const to = inbound ? target.insideLocal : target.insideGlobal;
      const port = entry === undefined ? null : inbound ? entry.insideLocalPort : entry.insideGlobalPort;
      rewriteEnd(dgram, q.offset, dgram.length, inbound ? "src" : "dst", to, port, icmpChecksumAt(dgram, 0));
      if ((inbound ? flow.dst : flow.src) === from) this.translate(dgram, flow, inbound ? "dst" : "src", to, null);
    }
    // The outside end of the quote (and the error's own outside address) under an outside static mapping.
    const quotedOutside = inbound
      ? (entry?.outsideLocal ?? this.outsideLocalOf(inner.dst))
      : (entry?.outsideGlobal ?? this.outsideGlobalOf(inner.src));
    const quotedSide = inbound ? "dst" : "src";
    if (quotedOutside !== null && quotedOutside !== (inbound ? inner.dst : inner.src))
      rewriteEnd(dgram, q.offset, dgram.length, quotedSide, quotedOutside, null, icmpChecksumAt(dgram, 0));
    const own = inbound ? this.outsideLocalOf(flow.src) : this.outsideGlobalOf(flow.dst);
    if (own !== null) this.translate(dgram, flow, inbound ? "src" : "dst", own, null);
    return true;
  }

  /**
   * A fragment after the first: the address its first fragment was given,
   * else an address-only entry's. With neither (it came before its first
   * fragment), one NAT would have translated is dropped and counted; any
   * other goes as it is.
   */
  private laterFragment(dgram: Uint8Array, flow: Flow, side: Side, egress = ""): boolean {
    const state = this.fragments.get(fragmentKey(side, flow));
    const entry = side === "src" ? this.table.addressByLocal(flow.src) : this.table.addressByGlobal(flow.dst);
    const address =
      state?.address ?? (entry === undefined ? undefined : side === "src" ? entry.insideGlobal : entry.insideLocal);
    // The outside end follows the outside static mappings alone (flows take theirs from them too).
    const outside = side === "src" ? this.outsideGlobalOf(flow.dst) : this.outsideLocalOf(flow.src);
    if (outside !== null) this.translate(dgram, flow, side === "src" ? "dst" : "src", outside, null);
    if (address !== undefined) {
      this.translate(dgram, flow, side, address, null);
      return true;
    }
    if (side === "dst") return true;
    const fields = aclFields(dgram);
    if (!this.config.dynamic.some((m) => this.selects(m, fields, egress, false))) return true;
    return this.dropMalformed("out");
  }

  // ---- translation, entries, expiry --------------------------------------------------

  /** Rewrites one end of the datagram and writes the debug lines. */
  private translate(dgram: Uint8Array, flow: Flow, side: Side, address: number, port: number | null): void {
    const before = side === "src" ? flow.src : flow.dst;
    this.deps.debug(
      true,
      () =>
        `NAT: ${side === "src" ? "i" : "o"}: ${protocolName(flow.protocol)} (${formatIpv4Address(flow.src)}, ${flow.srcPort}) -> (${formatIpv4Address(flow.dst)}, ${flow.dstPort}) [${flow.ipId}]`,
    );
    rewriteEnd(dgram, 0, dgram.length, side, address, port);
    this.deps.debug(false, () =>
      side === "src"
        ? `NAT: s=${formatIpv4Address(before)}->${formatIpv4Address(address)}, d=${formatIpv4Address(flow.dst)} [${flow.ipId}]`
        : `NAT: s=${formatIpv4Address(flow.src)}, d=${formatIpv4Address(before)}->${formatIpv4Address(address)} [${flow.ipId}]`,
    );
    if (flow.moreFragments && flow.kind !== "laterFragment") this.rememberFragment(side, flow, address);
  }

  /** Counts a use of an entry and refreshes it (and the entry it was made under). */
  private use(entry: NatEntry, created: boolean, inbound: boolean): void {
    if (created) this.stats.misses++;
    else this.stats.hits++;
    const now = this.deps.now();
    entry.lastUsedAt = now;
    if (entry.parent !== null) entry.parent.lastUsedAt = now;
    if (inbound !== entry.inbound) entry.answered = true;
  }

  /** A flow entry for a datagram: its outside end, and for an ICMP query the identifiers as the outside ports (as IOS shows them). */
  private addFlow(
    flow: Flow,
    inbound: boolean,
    e: Pick<
      NewEntry,
      "origin" | "insideLocal" | "insideLocalPort" | "insideGlobal" | "insideGlobalPort" | "mapping" | "parent"
    >,
  ): NatEntry {
    const outsidePort = inbound ? flow.srcPort : flow.dstPort;
    const icmp = flow.kind === "icmpQuery";
    // The datagram carries the outside end as its side sees it; an outside static mapping gives the other.
    const outsideLocal = inbound ? (this.outsideLocalOf(flow.src) ?? flow.src) : flow.dst;
    const outsideGlobal = inbound ? flow.src : (this.outsideGlobalOf(flow.dst) ?? flow.dst);
    return this.add({
      ...e,
      protocol: flow.protocol,
      extended: true,
      outsideLocal,
      outsideGlobal,
      outsideLocalPort: icmp ? e.insideLocalPort : outsidePort,
      outsideGlobalPort: icmp ? e.insideGlobalPort : outsidePort,
      inbound,
    });
  }

  /** Adds an entry (ports 0, no outside end, no mapping or parent unless given), keeping the peak and the expiry timer. */
  private add(
    given: Pick<NewEntry, "protocol" | "extended" | "origin" | "insideLocal" | "insideGlobal"> & Partial<NewEntry>,
  ): NatEntry {
    const fields: NewEntry = {
      insideLocalPort: 0,
      insideGlobalPort: 0,
      outsideLocal: null,
      outsideGlobal: null,
      outsideLocalPort: 0,
      outsideGlobalPort: 0,
      mapping: null,
      parent: null,
      staticMapping: null,
      createdAt: this.deps.now(),
      inbound: false,
      ...given,
    };
    const entry = this.table.add(fields);
    if (this.table.size > this.stats.peak) {
      this.stats.peak = this.table.size;
      this.stats.peakAt = this.deps.now();
    }
    this.armExpiry();
    return entry;
  }

  private dropMalformed(direction: "in" | "out"): boolean {
    this.stats.mappingDrops++;
    if (direction === "in") this.stats.outToInDrops++;
    else this.stats.inToOutDrops++;
    return false;
  }

  private rememberFragment(side: Side, flow: Flow, address: number): void {
    if (this.fragments.size >= FRAGMENT_STATE_MAX) this.fragments.delete(this.fragments.keys().next().value!);
    this.fragments.set(fragmentKey(side, flow), { address, atNs: this.deps.now() });
  }

  /** Keeps one timer armed at the earliest expiry. */
  private armExpiry(): void {
    const at = this.table.nextExpiryAt(this.config.timeouts);
    if (at === null || (this.timerAt !== null && this.timerAt <= at)) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.deps.after(Math.max(0, at - this.deps.now()), "nat-expiry", () => {
      this.timer = null;
      this.timerAt = null;
      this.expire();
      this.armExpiry();
    });
  }

  /** Removes the entries whose timeout has passed (an address entry goes once its flows have). */
  expire(): void {
    const now = this.deps.now();
    for (
      let list = this.table.expired(now, this.config.timeouts);
      list.length > 0;
      list = this.table.expired(now, this.config.timeouts)
    ) {
      for (const e of list) {
        this.table.remove(e);
        this.stats.expired++;
        this.deps.debug(
          false,
          () =>
            `NAT: expiring ${formatIpv4Address(e.insideGlobal)} (${formatIpv4Address(e.insideLocal)})${e.extended ? ` ${protocolName(e.protocol)} ${e.insideGlobalPort} (${e.insideLocalPort})` : ""}`,
        );
      }
    }
    for (const [key, f] of this.fragments) if (f.atNs + FRAGMENT_STATE_NS <= now) this.fragments.delete(key);
  }

  /** Re-plans expiry after a timeout changed. */
  timeoutsChanged(): void {
    this.timer?.cancel();
    this.timer = null;
    this.timerAt = null;
    this.expire();
    this.armExpiry();
  }

  // ---- configuration and exec --------------------------------------------------------

  /** Installs the entry of a new static mapping. */
  addStatic(m: StaticMapping): void {
    const port = m.protocol !== null;
    this.config.statics.push(m);
    this.add({
      protocol: m.protocol ?? 0,
      extended: port,
      origin: "static",
      insideLocal: m.local,
      insideLocalPort: m.localPort,
      insideGlobal: m.global,
      insideGlobalPort: m.globalPort,
      staticMapping: m,
    });
  }

  /** Removes a static mapping, its entry and the flows made under it. */
  removeStatic(m: StaticMapping): void {
    const i = this.config.statics.indexOf(m);
    if (i >= 0) this.config.statics.splice(i, 1);
    for (const e of this.table.all()) if (e.staticMapping === m || e.parent?.staticMapping === m) this.table.remove(e);
  }

  /** After an outside static mapping went: the flows that used it go too (their outside end no longer exists). */
  outsideStaticRemoved(m: OutsideStaticMapping): void {
    for (const e of this.table.all())
      if (e.outsideLocal === m.local && e.outsideGlobal === m.global && m.local !== m.global) this.table.remove(e);
  }

  /** Entries made through a dynamic mapping (IOS's refcount). */
  refcount(mapping: DynamicMapping): number {
    let n = 0;
    for (const e of this.table.all()) if (e.mapping === mapping) n++;
    return n;
  }

  /** `clear ip nat translation *`: every dynamic entry and every flow made under a static one. */
  clearDynamic(): void {
    this.clear((e) => e.origin === "dynamic" || e.outsideLocal !== null);
  }

  /** `clear ip nat translation ...`: removes the entries `selects` names, and the flows made under them. */
  clear(selects: (e: NatEntry) => boolean): void {
    const chosen = new Set(this.table.all().filter(selects));
    for (const e of this.table.all()) if (e.parent !== null && chosen.has(e.parent)) chosen.add(e);
    for (const e of chosen) this.table.remove(e);
    this.fragments.clear();
  }

  /** `clear ip nat statistics`. */
  clearStatistics(): void {
    Object.assign(this.stats, {
      hits: 0,
      misses: 0,
      expired: 0,
      inToOutDrops: 0,
      outToInDrops: 0,
      poolDrops: 0,
      mappingDrops: 0,
      peak: this.table.size,
      peakAt: this.deps.now(),
    });
    this.poolMisses.clear();
  }
}

function fragmentKey(side: Side, f: Flow): string {
  return `${side}/${f.src}/${f.dst}/${f.protocol}/${f.ipId}`;
}

const PROTOCOL_BY_NUMBER = new Map(Object.entries(PROTOCOL_NAMES).map(([name, n]) => [n, name]));

/** How IOS names a protocol in NAT output (`tcp`, `udp`, `icmp`, `gre`, else the number). */
export function protocolName(protocol: number): string {
  return PROTOCOL_BY_NUMBER.get(protocol) ?? String(protocol);
}
