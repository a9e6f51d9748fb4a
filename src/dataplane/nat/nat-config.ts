// IOS NAT configuration as the user set it (kept apart from the translation
// table, which is state): address pools, inside source mappings (static
// one-to-one, static TCP/UDP port forwarding, dynamic mappings chosen by an
// access list or a route map, to a pool or to an interface's address, with or
// without overload), outside source static mappings (an outside host's real
// address shown to the inside as another) and the translation timeouts with
// IOS's defaults. Validation gives IOS's messages.

import { IP_PROTO_TCP, IP_PROTO_UDP } from "../../wire/ipv4.ts";
import { formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";

/** `ip nat pool NAME START END {netmask M | prefix-length N}`. */
export interface NatPool {
  name: string;
  start: number;
  end: number;
  prefixLength: number;
  /** How the user wrote the mask (the running config gives it back the same way). */
  maskForm: "netmask" | "prefix-length";
}

/** `ip nat inside source static [tcp|udp] LOCAL [LPORT] GLOBAL [GPORT] [extendable]`. */
export interface StaticMapping {
  /** IP protocol of a port mapping (TCP or UDP); null for a one-to-one address mapping. */
  protocol: number | null;
  local: number;
  global: number;
  /** Ports of a port mapping (0 for an address mapping). */
  localPort: number;
  globalPort: number;
  extendable: boolean;
}

/**
 * `ip nat outside source static GLOBAL LOCAL [add-route]`: the outside host
 * whose real (outside global) address is GLOBAL appears to the inside as
 * LOCAL: its source is rewritten GLOBAL -> LOCAL on the way in, and the
 * destination LOCAL -> GLOBAL on the way out.
 */
export interface OutsideStaticMapping {
  global: number;
  local: number;
  /** `add-route`: a static host route to LOCAL through GLOBAL, so the inside's traffic to LOCAL is routed out. */
  addRoute: boolean;
}

/** Where a dynamic mapping takes its inside global addresses from. */
export type NatTarget = { kind: "pool"; pool: string } | { kind: "interface"; interface: string };

/**
 * What picks the datagrams of a dynamic mapping: an access list (`list ACL`,
 * a deny is "not translated") or a route map (`route-map RM`: a deny entry or
 * no matching entry is "not translated").
 */
export interface NatSource {
  readonly kind: "list" | "route-map";
  readonly name: string;
}

/** `ip nat inside source {list ACL | route-map RM} {pool NAME | interface IF} [overload]`. */
export interface DynamicMapping {
  /** IOS's mapping id (`[Id: 1]` in show ip nat statistics). */
  id: number;
  readonly source: NatSource;
  target: NatTarget;
  overload: boolean;
}

/** Translation timeouts in seconds; null is `never`. */
export interface NatTimeouts {
  /** `ip nat translation timeout`: address-only dynamic entries and protocols without ports. */
  timeout: number | null;
  udp: number | null;
  tcp: number | null;
  icmp: number | null;
  /** After a TCP FIN or RST. */
  finrst: number | null;
  /** UDP to or from port 53. */
  dns: number | null;
  /** A TCP entry that has seen only a SYN. */
  syn: number | null;
}

/** The `ip nat translation` keywords, in the order the running config prints them. */
export const NAT_TIMEOUT_KEYWORDS = {
  timeout: "timeout",
  tcp: "tcp-timeout",
  udp: "udp-timeout",
  finrst: "finrst-timeout",
  syn: "syn-timeout",
  dns: "dns-timeout",
  icmp: "icmp-timeout",
} as const satisfies Record<keyof NatTimeouts, string>;

/** IOS defaults: 24 hours, UDP 5 minutes, TCP 24 hours, ICMP, FIN/RST, DNS and SYN 1 minute. */
export const DEFAULT_NAT_TIMEOUTS: Readonly<NatTimeouts> = {
  timeout: 86400,
  udp: 300,
  tcp: 86400,
  icmp: 60,
  finrst: 60,
  dns: 60,
  syn: 60,
};

/** Every NAT setting of one router. */
export class NatConfig {
  readonly pools = new Map<string, NatPool>();
  readonly statics: StaticMapping[] = [];
  readonly outsideStatics: OutsideStaticMapping[] = [];
  readonly dynamic: DynamicMapping[] = [];
  readonly timeouts: NatTimeouts = { ...DEFAULT_NAT_TIMEOUTS };
  private nextMappingId = 1;

  /** The mapping of an access list or route map, if configured. */
  findDynamic(source: NatSource): DynamicMapping | undefined {
    return this.dynamic.find((m) => m.source.kind === source.kind && m.source.name === source.name);
  }

  /** Adds or replaces the mapping of an access list or route map (IOS keys dynamic mappings by them). */
  setDynamic(source: NatSource, target: NatTarget, overload: boolean): DynamicMapping {
    const existing = this.findDynamic(source);
    if (existing !== undefined) {
      existing.target = target;
      existing.overload = overload;
      return existing;
    }
    const mapping: DynamicMapping = { id: this.nextMappingId++, source, target, overload };
    this.dynamic.push(mapping);
    return mapping;
  }

  /** Removes a dynamic mapping. */
  removeDynamic(mapping: DynamicMapping): void {
    const i = this.dynamic.indexOf(mapping);
    if (i >= 0) this.dynamic.splice(i, 1);
  }

  /** The static mapping a `no` line names, if configured. */
  findStatic(m: StaticMapping): StaticMapping | undefined {
    return this.statics.find(
      (s) =>
        s.protocol === m.protocol &&
        s.local === m.local &&
        s.global === m.global &&
        s.localPort === m.localPort &&
        s.globalPort === m.globalPort,
    );
  }
}

/** IOS's objection to a new outside static mapping next to the configured ones, or null. */
export function checkOutsideStatic(config: NatConfig, m: OutsideStaticMapping): string | null {
  for (const s of config.outsideStatics) {
    if (s.local === m.local)
      return `% ${formatIpv4Address(m.local)} already mapped (${formatIpv4Address(s.global)} -> ${formatIpv4Address(s.local)})`;
    if (s.global === m.global)
      return `% similar static entry (${formatIpv4Address(s.global)} -> ${formatIpv4Address(s.local)}) already exists`;
  }
  return null;
}

/** Addresses of a pool, in order. */
export function poolAddresses(pool: NatPool): number[] {
  const out: number[] = [];
  for (let a = pool.start; a <= pool.end && out.length < 65536; a++) out.push(a >>> 0);
  return out;
}

/** IOS's objection to a pool definition, or null. */
export function checkPool(pool: NatPool): string | null {
  if (pool.start > pool.end) return "%End address less than starting address";
  const mask = maskFromLength(pool.prefixLength);
  if (((pool.start ^ pool.end) & mask) >>> 0 !== 0) return "%Start and end addresses on different subnets";
  return null;
}

/** IOS's objection to a new static mapping next to the configured ones, or null. */
export function checkStatic(config: NatConfig, m: StaticMapping): string | null {
  for (const s of config.statics) {
    if (s.protocol !== m.protocol || (m.extendable && s.extendable)) continue;
    if (s.global === m.global && s.globalPort === m.globalPort) {
      return `% ${formatIpv4Address(m.global)} already mapped (${formatIpv4Address(s.local)} -> ${formatIpv4Address(s.global)})`;
    }
    if (s.local === m.local && s.localPort === m.localPort) {
      return `% similar static entry (${formatIpv4Address(s.local)} -> ${formatIpv4Address(s.global)}) already exists`;
    }
  }
  return null;
}

/** The protocol keyword of a static port mapping. */
export function staticProtocolName(protocol: number): "tcp" | "udp" {
  return protocol === IP_PROTO_TCP ? "tcp" : "udp";
}

/** The protocol number of a `tcp`/`udp` keyword. */
export function staticProtocolNumber(name: string): number {
  return name === "tcp" ? IP_PROTO_TCP : IP_PROTO_UDP;
}
