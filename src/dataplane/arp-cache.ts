// The ARP table of one router (RFC 826): dynamic entries aged out after the
// interface's `arp timeout` (IOS default 4 hours), incomplete entries while a
// request is outstanding, static and interface (own address) entries. An aged
// dynamic entry is refreshed rather than dropped, as IOS does: the old MAC
// stays in use while requests go out (one a second) for a short grace time,
// and only an unanswered entry goes away. The
// pending-packet policy is IOS's: the packet that triggers resolution is
// dropped (hence the first `.` of a ping) and requests for one address go out
// at most once per second. Renders `show ip arp`.

import { formatIpv4 } from "./addr.ts";

const NS_PER_SEC = 1_000_000_000;

/** IOS default `arp timeout`: 14400 s. */
export const DEFAULT_ARP_TIMEOUT_SEC = 14400;
/** Minimum gap between two requests for one address. */
export const ARP_REQUEST_INTERVAL_NS = 1 * NS_PER_SEC;
/** How long an aged entry keeps its MAC while its refresh requests go unanswered. */
export const ARP_REFRESH_GRACE_NS = 5 * NS_PER_SEC;
/** How long an unanswered incomplete entry stays (assumption: IOS keeps it briefly; 60 s here). */
export const INCOMPLETE_HOLD_NS = 60 * NS_PER_SEC;

/** Kind of ARP entry. */
export type ArpEntryType = "interface" | "static" | "dynamic" | "incomplete";

/** One ARP entry; mac is null while incomplete. */
export interface ArpEntry {
  address: number;
  mac: Uint8Array | null;
  interface: string | null;
  type: ArpEntryType;
  /** When the entry was learned or refreshed (dynamic) or created (incomplete). */
  updatedAt: number;
  /** When a dynamic or incomplete entry goes away. */
  expiresAt: number | null;
  lastRequestAt: number | null;
}

/** What to do with a packet whose next hop needs resolving. */
export type ArpResolution =
  /** Use the MAC; when refresh, also send a request to refresh the aged entry. */
  | { kind: "hit"; mac: Uint8Array; refresh?: boolean }
  /** Drop the packet; send an ARP request on the interface when sendRequest. */
  | { kind: "miss"; sendRequest: boolean };

/** One row of `show ip arp`. */
export interface ArpRow {
  protocol: "Internet";
  address: string;
  age: string;
  hardware: string;
  type: "ARPA";
  interface: string;
}

/** Formats a MAC as IOS does (`aabb.cc00.0100`). */
export function formatMac(mac: Uint8Array): string {
  const h = Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 4)}.${h.slice(4, 8)}.${h.slice(8, 12)}`;
}

/** ARP table of one router. */
export class ArpCache {
  private readonly entries = new Map<number, ArpEntry>();
  private readonly timeouts = new Map<string, number>();

  /** Sets `arp timeout <seconds>` of an interface. */
  setInterfaceTimeout(iface: string, seconds: number): void {
    this.timeouts.set(iface, seconds);
  }

  /** Adds an own address of an interface (shown with age `-`). */
  addInterface(address: number, mac: Uint8Array, iface: string): void {
    this.entries.set(address >>> 0, {
      address: address >>> 0,
      mac: mac.slice(),
      interface: iface,
      type: "interface",
      updatedAt: 0,
      expiresAt: null,
      lastRequestAt: null,
    });
  }

  /** `arp A H arpa`: a static entry. */
  addStatic(address: number, mac: Uint8Array, iface: string | null = null): void {
    this.entries.set(address >>> 0, {
      address: address >>> 0,
      mac: mac.slice(),
      interface: iface,
      type: "static",
      updatedAt: 0,
      expiresAt: null,
      lastRequestAt: null,
    });
  }

  /** Removes an entry of any kind (`no arp`, interface address removed, `clear arp` for one). */
  remove(address: number): boolean {
    return this.entries.delete(address >>> 0);
  }

  /** Drops every dynamic and incomplete entry (`clear arp-cache`). */
  clearDynamic(): void {
    for (const [k, e] of this.entries) if (e.type === "dynamic" || e.type === "incomplete") this.entries.delete(k);
  }

  /** Learns or refreshes a mapping from a received ARP packet; own and static entries are kept. */
  learn(address: number, mac: Uint8Array, iface: string, now: number): void {
    const a = address >>> 0;
    const old = this.entries.get(a);
    if (old && (old.type === "interface" || old.type === "static")) return;
    const timeoutNs = (this.timeouts.get(iface) ?? DEFAULT_ARP_TIMEOUT_SEC) * NS_PER_SEC;
    this.entries.set(a, {
      address: a,
      mac: mac.slice(),
      interface: iface,
      type: "dynamic",
      updatedAt: now,
      expiresAt: now + timeoutNs,
      lastRequestAt: null,
    });
  }

  /** Whether a received request should refresh an existing entry only (RFC 826 merge flag). */
  has(address: number): boolean {
    return this.entries.has(address >>> 0);
  }

  /** Resolution for a packet to next hop address out of iface at time now. */
  resolve(address: number, iface: string, now: number): ArpResolution {
    const a = address >>> 0;
    const e = this.entries.get(a);
    if (e?.mac && (e.expiresAt === null || now < e.expiresAt)) return { kind: "hit", mac: e.mac };
    if (e?.mac && e.type === "dynamic" && e.expiresAt !== null && now < e.expiresAt + ARP_REFRESH_GRACE_NS) {
      const refresh = e.lastRequestAt === null || now - e.lastRequestAt >= ARP_REQUEST_INTERVAL_NS;
      if (refresh) e.lastRequestAt = now;
      return { kind: "hit", mac: e.mac, refresh };
    }
    if (e && e.type === "incomplete" && e.expiresAt !== null && now < e.expiresAt) {
      if (e.lastRequestAt !== null && now - e.lastRequestAt < ARP_REQUEST_INTERVAL_NS)
        return { kind: "miss", sendRequest: false };
      e.lastRequestAt = now;
      return { kind: "miss", sendRequest: true };
    }
    this.entries.set(a, {
      address: a,
      mac: null,
      interface: iface,
      type: "incomplete",
      updatedAt: now,
      expiresAt: now + INCOMPLETE_HOLD_NS,
      lastRequestAt: now,
    });
    return { kind: "miss", sendRequest: true };
  }

  /** Removes dynamic and incomplete entries whose time has passed; returns them. */
  expire(now: number): ArpEntry[] {
    const gone: ArpEntry[] = [];
    for (const [k, e] of this.entries) {
      const grace = e.type === "dynamic" ? ARP_REFRESH_GRACE_NS : 0;
      if (e.expiresAt !== null && now >= e.expiresAt + grace) {
        this.entries.delete(k);
        gone.push(e);
      }
    }
    return gone;
  }

  /** Earliest expiry among entries, for the owner to arm one timer; null when none. */
  nextExpiryAt(): number | null {
    let next: number | null = null;
    for (const e of this.entries.values())
      if (e.expiresAt !== null && (next === null || e.expiresAt < next)) next = e.expiresAt;
    return next;
  }

  /** Entry for an address, if any. */
  get(address: number): ArpEntry | undefined {
    return this.entries.get(address >>> 0);
  }

  /** `show ip arp` rows ordered by address. */
  rows(now: number): ArpRow[] {
    return [...this.entries.values()]
      .sort((a, b) => a.address - b.address)
      .map((e) => ({
        protocol: "Internet" as const,
        address: formatIpv4(e.address),
        age:
          e.type === "dynamic" || e.type === "incomplete"
            ? String(Math.floor((now - e.updatedAt) / (60 * NS_PER_SEC)))
            : "-",
        hardware: e.mac ? formatMac(e.mac) : "Incomplete",
        type: "ARPA" as const,
        interface: e.type === "incomplete" ? "" : (e.interface ?? ""),
      }));
  }

  /** `show ip arp` text. */
  render(now: number): string {
    const lines = ["Protocol  Address          Age (min)  Hardware Addr   Type   Interface"];
    for (const r of this.rows(now)) {
      lines.push(
        `${r.protocol}  ${r.address.padEnd(16)}${r.age.padStart(9)}   ${r.hardware.padEnd(14)}  ${r.type}   ${r.interface}`.trimEnd(),
      );
    }
    return lines.join("\n");
  }
}
