// The NAT translation table of one router, as `show ip nat translations`
// lists it: address-only entries (static one-to-one, or dynamic from a pool
// without overload: `--- G L --- ---`), static port entries (`tcp G:p L:p ---
// ---`) and extended entries, one per flow, with the outside end (`udp G:p
// L:p OL:p OG:p`), made by overload (PAT) or under an address entry; the
// outside end has its local address (as the inside sees it) and its global
// one (as it really is), which differ under `ip nat outside source static`.
// Indexed both ways: by the flow as the inside sees it and as the outside
// sees it.
// PAT port allocation follows IOS: keep the inside port when it is free on
// the global address, else take the first free port of its group (1-511,
// 512-1023, 1024-65535; ICMP identifiers from 1024), else try the next
// address of the pool. Deterministic: no clock, no randomness here.

import type { TimeNs } from "../../runtime/device.ts";
import { IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP } from "../../wire/ipv4.ts";
import type { DynamicMapping, NatTimeouts, StaticMapping } from "./nat-config.ts";

/** One translation. Ports are 0 for an address-only entry. */
export interface NatEntry {
  /** IOS's entry-id (show ip nat translations verbose). */
  readonly id: number;
  /** IP protocol of an extended or static port entry; 0 for an address-only entry. */
  readonly protocol: number;
  /** True for entries with ports or identifiers (IOS's "extended"). */
  readonly extended: boolean;
  readonly origin: "static" | "dynamic";
  readonly insideLocal: number;
  readonly insideLocalPort: number;
  readonly insideGlobal: number;
  readonly insideGlobalPort: number;
  /** The outside host of a flow entry as the inside sees it (outside local); null on address-only and static entries. */
  readonly outsideLocal: number | null;
  /** The outside host as it is on the outside (outside global); null when outsideLocal is. */
  readonly outsideGlobal: number | null;
  /** The outside port as the inside sees it (ICMP: the inside identifier). */
  readonly outsideLocalPort: number;
  /** The outside port as the outside sees it (ICMP: the translated identifier). */
  readonly outsideGlobalPort: number;
  /** The dynamic mapping that made it (null for static entries and their flows). */
  readonly mapping: DynamicMapping | null;
  /** The address or static port entry a flow entry was made under. */
  readonly parent: NatEntry | null;
  /** The static mapping behind a static entry. */
  readonly staticMapping: StaticMapping | null;
  readonly createdAt: TimeNs;
  lastUsedAt: TimeNs;
  /** Flow entries made under this one. */
  children: number;
  /** A TCP FIN or RST went through: the entry times out after finrst-timeout. */
  timingOut: boolean;
  /** Made by a datagram from the outside (a static mapping's inbound flow). */
  readonly inbound: boolean;
  /** Traffic went both ways (a TCP flow past its SYN gets tcp-timeout instead of syn-timeout). */
  answered: boolean;
}

/** What a new entry is made of (the table assigns its id and indexes it). */
export type NewEntry = Omit<NatEntry, "id" | "lastUsedAt" | "children" | "timingOut" | "answered">;

/** Port groups PAT allocates from (the original port's group first). */
const PORT_GROUPS: ReadonlyArray<readonly [number, number]> = [
  [1, 511],
  [512, 1023],
  [1024, 65535],
];
/** ICMP identifiers that collide are renumbered from 1024 up, as IOS does. */
const ICMP_GROUPS: ReadonlyArray<readonly [number, number]> = [
  [1024, 65535],
  [1, 1023],
];

const flowKey = (protocol: number, a: number, aPort: number, b: number, bPort: number): string =>
  `${protocol}/${a}:${aPort}/${b}:${bPort}`;
const portKey = (protocol: number, address: number, port: number): string => `${protocol}/${address}:${port}`;

/** Seconds an entry lives after its last use (null: never), from the configured timeouts. */
export function entryTimeoutSec(e: NatEntry, t: NatTimeouts): number | null {
  if (e.origin === "static" && e.outsideLocal === null) return null;
  if (e.timingOut) return t.finrst;
  switch (e.protocol) {
    case 0:
      return t.timeout;
    case IP_PROTO_TCP:
      return e.answered ? t.tcp : t.syn;
    case IP_PROTO_UDP:
      return e.insideLocalPort === 53 || e.outsideLocalPort === 53 ? t.dns : t.udp;
    case IP_PROTO_ICMP:
      return t.icmp;
    default:
      return t.timeout;
  }
}

/** The translation table. */
export class NatTable {
  private readonly entries = new Set<NatEntry>();
  /** Address-only entries by inside local and by inside global address. */
  private readonly addrByLocal = new Map<number, NatEntry>();
  private readonly addrByGlobal = new Map<number, NatEntry>();
  /** Static port entries by (protocol, inside local:port) and (protocol, inside global:port). */
  private readonly staticPortByLocal = new Map<string, NatEntry>();
  private readonly staticPortByGlobal = new Map<string, NatEntry>();
  /** Flow entries by (protocol, inside local:port, outside local:port). */
  private readonly byInside = new Map<string, NatEntry>();
  /** Flow entries by (protocol, inside global:port, outside global:port). */
  private readonly byOutside = new Map<string, NatEntry>();
  /** Global ports in use: which inside local:port holds (protocol, global:port), and how many entries use it. */
  private readonly ports = new Map<string, { owner: string; refs: number }>();
  /** The global port each inside local:port got on a global address (one mapping per inside end). */
  private readonly portOf = new Map<string, number>();
  private nextId = 1;

  /** Number of entries. */
  get size(): number {
    return this.entries.size;
  }

  /** Every entry, in creation order. */
  all(): NatEntry[] {
    return [...this.entries];
  }

  /** Adds an entry (indexed both ways; a flow entry holds its global port). */
  add(fields: NewEntry): NatEntry {
    const e: NatEntry = {
      ...fields,
      id: this.nextId++,
      lastUsedAt: fields.createdAt,
      children: 0,
      timingOut: false,
      answered: false,
    };
    this.entries.add(e);
    if (e.parent !== null) e.parent.children++;
    if (!e.extended) {
      this.addrByLocal.set(e.insideLocal, e);
      this.addrByGlobal.set(e.insideGlobal, e);
    } else if (e.outsideLocal === null || e.outsideGlobal === null) {
      this.staticPortByLocal.set(portKey(e.protocol, e.insideLocal, e.insideLocalPort), e);
      this.staticPortByGlobal.set(portKey(e.protocol, e.insideGlobal, e.insideGlobalPort), e);
      this.holdPort(e);
    } else {
      this.byInside.set(flowKey(e.protocol, e.insideLocal, e.insideLocalPort, e.outsideLocal, e.outsideLocalPort), e);
      this.byOutside.set(
        flowKey(e.protocol, e.insideGlobal, e.insideGlobalPort, e.outsideGlobal, e.outsideGlobalPort),
        e,
      );
      this.holdPort(e);
    }
    return e;
  }

  /** Removes an entry and releases what it held. */
  remove(e: NatEntry): void {
    if (!this.entries.delete(e)) return;
    if (e.parent !== null) e.parent.children--;
    if (!e.extended) {
      if (this.addrByLocal.get(e.insideLocal) === e) this.addrByLocal.delete(e.insideLocal);
      if (this.addrByGlobal.get(e.insideGlobal) === e) this.addrByGlobal.delete(e.insideGlobal);
      return;
    }
    if (e.outsideLocal === null || e.outsideGlobal === null) {
      this.staticPortByLocal.delete(portKey(e.protocol, e.insideLocal, e.insideLocalPort));
      this.staticPortByGlobal.delete(portKey(e.protocol, e.insideGlobal, e.insideGlobalPort));
    } else {
      this.byInside.delete(flowKey(e.protocol, e.insideLocal, e.insideLocalPort, e.outsideLocal, e.outsideLocalPort));
      this.byOutside.delete(
        flowKey(e.protocol, e.insideGlobal, e.insideGlobalPort, e.outsideGlobal, e.outsideGlobalPort),
      );
    }
    this.releasePort(e);
  }

  /** The flow entry of a datagram leaving from the inside (`outside`: the outside local address). */
  flowFromInside(
    protocol: number,
    local: number,
    localPort: number,
    outside: number,
    outsidePort: number,
  ): NatEntry | undefined {
    return this.byInside.get(flowKey(protocol, local, localPort, outside, outsidePort));
  }

  /** The flow entry of a datagram arriving from the outside (`outside`: the outside global address). */
  flowFromOutside(
    protocol: number,
    global: number,
    globalPort: number,
    outside: number,
    outsidePort: number,
  ): NatEntry | undefined {
    return this.byOutside.get(flowKey(protocol, global, globalPort, outside, outsidePort));
  }

  /** The address-only entry of an inside local address. */
  addressByLocal(local: number): NatEntry | undefined {
    return this.addrByLocal.get(local);
  }

  /** The address-only entry of an inside global address. */
  addressByGlobal(global: number): NatEntry | undefined {
    return this.addrByGlobal.get(global);
  }

  /** The static port entry of an inside local address and port. */
  staticPortByLocalEnd(protocol: number, local: number, port: number): NatEntry | undefined {
    return this.staticPortByLocal.get(portKey(protocol, local, port));
  }

  /** The static port entry of an inside global address and port. */
  staticPortByGlobalEnd(protocol: number, global: number, port: number): NatEntry | undefined {
    return this.staticPortByGlobal.get(portKey(protocol, global, port));
  }

  /** True when some entry holds a global address (pools without overload hand out free ones). */
  globalInUse(global: number): boolean {
    return this.addrByGlobal.has(global);
  }

  /**
   * PAT: the global address and port for an inside local end, trying the
   * addresses in order. Protocols without ports (port 0) get port 0 when no
   * other inside host uses that address towards the same outside host.
   */
  allocate(
    protocol: number,
    addresses: readonly number[],
    local: number,
    localPort: number,
    outside: number,
  ): { address: number; port: number } | null {
    const owner = `${local}:${localPort}`;
    if (protocol !== IP_PROTO_TCP && protocol !== IP_PROTO_UDP && protocol !== IP_PROTO_ICMP) {
      for (const address of addresses) {
        const other = this.byOutside.get(flowKey(protocol, address, 0, outside, 0));
        if (other === undefined || other.insideLocal === local) return { address, port: 0 };
      }
      return null;
    }
    // One inside end keeps one global port per global address, whatever it talks to.
    for (const address of addresses) {
      const held = this.portOf.get(`${protocol}/${owner}@${address}`);
      if (held !== undefined) return { address, port: held };
    }
    const groups = protocol === IP_PROTO_ICMP ? ICMP_GROUPS : groupsFrom(localPort);
    for (const address of addresses) {
      if ((localPort !== 0 || protocol === IP_PROTO_ICMP) && this.portFree(protocol, address, localPort))
        return { address, port: localPort };
      for (const [lo, hi] of groups) {
        for (let port = lo; port <= hi; port++) if (this.portFree(protocol, address, port)) return { address, port };
        if (protocol !== IP_PROTO_ICMP) break; // TCP/UDP stay in the original port's group
      }
    }
    return null;
  }

  /** True when nobody holds (protocol, address:port). */
  portFree(protocol: number, address: number, port: number): boolean {
    return !this.ports.has(portKey(protocol, address, port));
  }

  /** Entries whose timeout has passed at `now` (address entries with flows under them live on). */
  expired(now: TimeNs, timeouts: NatTimeouts): NatEntry[] {
    const out: NatEntry[] = [];
    for (const e of this.entries) {
      const sec = entryTimeoutSec(e, timeouts);
      if (sec !== null && e.children === 0 && e.lastUsedAt + sec * 1e9 <= now) out.push(e);
    }
    return out;
  }

  /** The earliest time an entry may expire, or null when none will. */
  nextExpiryAt(timeouts: NatTimeouts): TimeNs | null {
    let at: TimeNs | null = null;
    for (const e of this.entries) {
      const sec = entryTimeoutSec(e, timeouts);
      if (sec === null || e.children > 0) continue;
      const t = e.lastUsedAt + sec * 1e9;
      if (at === null || t < at) at = t;
    }
    return at;
  }

  private holdPort(e: NatEntry): void {
    if (e.protocol !== IP_PROTO_TCP && e.protocol !== IP_PROTO_UDP && e.protocol !== IP_PROTO_ICMP) return;
    const key = portKey(e.protocol, e.insideGlobal, e.insideGlobalPort);
    const owner = `${e.insideLocal}:${e.insideLocalPort}`;
    const held = this.ports.get(key);
    if (held !== undefined) held.refs++;
    else this.ports.set(key, { owner, refs: 1 });
    this.portOf.set(`${e.protocol}/${owner}@${e.insideGlobal}`, e.insideGlobalPort);
  }

  private releasePort(e: NatEntry): void {
    const key = portKey(e.protocol, e.insideGlobal, e.insideGlobalPort);
    const held = this.ports.get(key);
    if (held === undefined || --held.refs > 0) return;
    this.ports.delete(key);
    this.portOf.delete(`${e.protocol}/${held.owner}@${e.insideGlobal}`);
  }
}

/** The PAT port groups to search for an inside port: its own group only (IOS). */
function groupsFrom(port: number): ReadonlyArray<readonly [number, number]> {
  const own = PORT_GROUPS.find(([lo, hi]) => port >= lo && port <= hi) ?? PORT_GROUPS[0]!;
  return [own];
}
