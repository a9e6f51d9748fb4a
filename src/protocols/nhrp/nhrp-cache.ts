// The NHRP cache of one interface (RFC 2332 5.1 and IOS's `show ip nhrp`):
// protocol prefix → NBMA address, static (`ip nhrp map`), dynamic (learned
// from a registration, a resolution or a request we answered) or incomplete
// (a resolution is out; IOS's negative entry that stops a request storm).
// Entries are kept in a Map keyed by prefix and length, so a hub with a
// thousand spokes finds a next hop with one lookup; dynamic entries expire on
// the virtual clock at their holding time.

import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";

export type NhrpEntryType = "static" | "dynamic" | "incomplete";

/** IOS's flags of an entry, as `show ip nhrp` lists them. */
export interface NhrpEntryFlags {
  /** Registered with the unique bit: another NBMA address may not take the address. */
  unique: boolean;
  /** Learned from a registration request (we are the NHS). */
  registered: boolean;
  /** Data went through it since it was last refreshed. */
  used: boolean;
  /** Learned from a resolution reply. */
  router: boolean;
  /** Learned from a request we received (the requester's own mapping). */
  implicit: boolean;
  /** An NHRP route (`H`) was installed from it. */
  rib: boolean;
  /** The entry is a next hop's mapping (a /32 tunnel address). */
  nhop: boolean;
  /** A shortcut whose NHRP route lost to a better route: traffic routed to the hub is sent to it anyway (NHO). */
  nho: boolean;
  /** The peer is behind a NAT: its NBMA address came from the NAT extension or the packet, not its claim. */
  nat: boolean;
}

/** One cache entry. */
export interface NhrpCacheEntry {
  prefix: number;
  length: number;
  /** The overlay next hop the prefix is reached through (the prefix itself for a tunnel address). */
  nextHop: number;
  /** The NBMA address, or null while incomplete. */
  nbma: number | null;
  type: NhrpEntryType;
  flags: NhrpEntryFlags;
  createdAt: TimeNs;
  /** Datagrams that found the entry incomplete (`Cache hits` in show ip nhrp). */
  hits: number;
  /** When a dynamic or incomplete entry goes (null: never, static). */
  expiresAt: TimeNs | null;
  timer: TimerHandle | null;
  /** Behind a NAT: the NBMA address the peer claims (its own, pre-NAT), when `nbma` (post-NAT) differs. */
  claimedNbma?: number;
}

const key = (prefix: number, length: number) => prefix * 64 + length;

/** The entries of one interface. */
export class NhrpCache {
  private readonly entries = new Map<number, NhrpCacheEntry>();

  get(prefix: number, length = 32): NhrpCacheEntry | undefined {
    return this.entries.get(key(prefix, length));
  }

  set(entry: NhrpCacheEntry): void {
    const k = key(entry.prefix, entry.length);
    const old = this.entries.get(k);
    if (old !== undefined && old !== entry) old.timer?.cancel();
    this.entries.set(k, entry);
  }

  delete(entry: NhrpCacheEntry): void {
    entry.timer?.cancel();
    entry.timer = null;
    if (this.entries.get(key(entry.prefix, entry.length)) === entry)
      this.entries.delete(key(entry.prefix, entry.length));
  }

  /** Every entry, in IOS's display order (by address, then prefix length). */
  sorted(): NhrpCacheEntry[] {
    return [...this.entries.values()].sort((a, b) => a.prefix - b.prefix || a.length - b.length);
  }

  get size(): number {
    return this.entries.size;
  }

  values(): IterableIterator<NhrpCacheEntry> {
    return this.entries.values();
  }
}

/** Flags all off. */
export function noFlags(): NhrpEntryFlags {
  return {
    unique: false,
    registered: false,
    used: false,
    router: false,
    implicit: false,
    rib: false,
    nhop: false,
    nho: false,
    nat: false,
  };
}
