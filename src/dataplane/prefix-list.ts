// IOS IP prefix lists (`ip prefix-list NAME [seq N] permit|deny A.B.C.D/LEN
// [ge N] [le N]`): ordered entries, each matching a route whose first LEN bits
// equal the entry's prefix and whose length is LEN exactly, or within
// [ge, le] (ge alone: up to 32; le alone: from LEN). The first entry that
// matches decides; a route no entry matches is denied (implicit deny). Hit
// counts per entry, as `show ip prefix-list detail` prints them. Used by the
// routing protocols' distribute-lists and route-maps (later BGP, PBR, NAT).

import { formatIpv4Address, maskFromLength } from "../wire/ipv4-address.ts";

/** One `seq N` line of a prefix list. */
export interface PrefixListEntry {
  readonly sequence: number;
  readonly action: "permit" | "deny";
  readonly prefix: number;
  readonly length: number;
  readonly ge?: number;
  readonly le?: number;
  /** Routes this entry decided (`hit count`). */
  hits: number;
}

/** A named prefix list, entries in sequence order. */
export interface PrefixList {
  readonly name: string;
  description?: string;
  readonly entries: PrefixListEntry[];
}

/** IOS's range rule for ge/le: `len < ge-value <= le-value <= 32`. */
export function prefixRangeValid(length: number, ge: number | undefined, le: number | undefined): boolean {
  if (ge !== undefined && !(ge > length && ge <= 32)) return false;
  if (le !== undefined && !(le > length && le <= 32)) return false;
  if (ge !== undefined && le !== undefined && ge > le) return false;
  return true;
}

/** Whether one entry matches a route (prefix/length). */
export function prefixEntryMatches(e: PrefixListEntry, prefix: number, length: number): boolean {
  if (length < e.length) return false;
  const mask = maskFromLength(e.length);
  if ((prefix & mask) >>> 0 !== e.prefix) return false;
  if (e.ge === undefined && e.le === undefined) return length === e.length;
  const lo = e.ge ?? e.length;
  const hi = e.le ?? 32;
  return length >= lo && length <= hi;
}

/** The first entry that matches, or null (the implicit deny). Counts the hit. */
export function evaluatePrefixList(list: PrefixList, prefix: number, length: number): PrefixListEntry | null {
  for (const e of list.entries) {
    if (prefixEntryMatches(e, prefix, length)) {
      e.hits++;
      return e;
    }
  }
  return null;
}

/** Whether a list permits a route (implicit deny when nothing matches). */
export function prefixListPermits(list: PrefixList, prefix: number, length: number): boolean {
  return evaluatePrefixList(list, prefix, length)?.action === "permit";
}

/** Adds or replaces the entry of its sequence number, keeping sequence order. */
export function putPrefixListEntry(list: PrefixList, entry: PrefixListEntry): void {
  const i = list.entries.findIndex((e) => e.sequence === entry.sequence);
  if (i >= 0) list.entries.splice(i, 1);
  const at = list.entries.findIndex((e) => e.sequence > entry.sequence);
  if (at < 0) list.entries.push(entry);
  else list.entries.splice(at, 0, entry);
}

/** The sequence number IOS gives an entry typed without one: 5 above the highest, 5 for the first. */
export function nextPrefixListSequence(list: PrefixList): number {
  const last = list.entries[list.entries.length - 1];
  return last === undefined ? 5 : last.sequence + 5;
}

/** `permit 10.0.0.0/8 ge 16 le 24`: the entry as IOS prints it after `seq N`. */
export function formatPrefixListEntry(e: PrefixListEntry): string {
  let s = `${e.action} ${formatIpv4Address(e.prefix)}/${e.length}`;
  if (e.ge !== undefined) s += ` ge ${e.ge}`;
  if (e.le !== undefined) s += ` le ${e.le}`;
  return s;
}

/** The running-config lines of a list. */
export function prefixListConfigLines(list: PrefixList): string[] {
  const lines: string[] = [];
  if (list.description !== undefined) lines.push(`ip prefix-list ${list.name} description ${list.description}`);
  for (const e of list.entries) lines.push(`ip prefix-list ${list.name} seq ${e.sequence} ${formatPrefixListEntry(e)}`);
  return lines;
}
