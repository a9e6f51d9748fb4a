// The link state database of one flooding scope (an area, or the AS for
// type-5 LSAs): LSAs keyed by (LS type, Link State ID, Advertising Router)
// (RFC 2328 12.1), each with the virtual time it was installed so its age
// grows with the clock without rewriting it (age = installed age + elapsed
// seconds, capped at MaxAge), and the comparison of two instances (13.1).

import type { TimeNs } from "../../runtime/device.ts";
import { type Lsa, type LsaHeader, OSPF_MAX_AGE, OSPF_MAX_AGE_DIFF } from "../../wire/ospf/index.ts";

/** The key of an LSA: type, Link State ID, Advertising Router. */
export type LsaKey = string;

export function lsaKey(type: number, linkStateId: number, advertisingRouter: number): LsaKey {
  // Five UTF-16 code units: a map key built without number formatting (this runs for every LSA handled).
  return String.fromCharCode(
    type,
    linkStateId >>> 16,
    linkStateId & 0xffff,
    advertisingRouter >>> 16,
    advertisingRouter & 0xffff,
  );
}

export const keyOfHeader = (h: Pick<LsaHeader, "type" | "linkStateId" | "advertisingRouter">): LsaKey =>
  lsaKey(h.type, h.linkStateId, h.advertisingRouter);

/** One installed LSA. */
export interface LsdbEntry {
  lsa: Lsa;
  installedAt: TimeNs;
  /** LS age when installed (seconds). */
  installedAge: number;
  /** When this router last sent it in reply to an older copy (13 step 8, MinLSArrival). */
  lastReplyAt?: TimeNs;
}

/** Age of an entry now, in seconds, capped at MaxAge. */
export function entryAge(e: LsdbEntry, now: TimeNs): number {
  if (e.installedAge >= OSPF_MAX_AGE) return OSPF_MAX_AGE;
  return Math.min(OSPF_MAX_AGE, e.installedAge + Math.floor((now - e.installedAt) / 1e9));
}

/** The header of an entry with its current age. */
export function headerNow(e: LsdbEntry, now: TimeNs): LsaHeader {
  return { ...e.lsa.header, age: entryAge(e, now) };
}

/**
 * Which instance is newer (13.1): 1 if `a` is, -1 if `b` is, 0 if they are the same instance.
 * Higher sequence, then higher checksum, then MaxAge, then an age smaller by more than MaxAgeDiff.
 */
export function compareInstances(a: LsaHeader, b: LsaHeader): number {
  if (a.sequence !== b.sequence) return a.sequence > b.sequence ? 1 : -1;
  if (a.checksum !== b.checksum) return a.checksum > b.checksum ? 1 : -1;
  const aMax = a.age >= OSPF_MAX_AGE;
  const bMax = b.age >= OSPF_MAX_AGE;
  if (aMax !== bMax) return aMax ? 1 : -1;
  if (Math.abs(a.age - b.age) > OSPF_MAX_AGE_DIFF) return a.age < b.age ? 1 : -1;
  return 0;
}

/** LSAs of one scope. */
export class Lsdb {
  private readonly entries = new Map<LsaKey, LsdbEntry>();

  get(key: LsaKey): LsdbEntry | undefined {
    return this.entries.get(key);
  }

  /** Installs (or replaces) an LSA with the age it carries. */
  install(lsa: Lsa, now: TimeNs): LsdbEntry {
    const e: LsdbEntry = { lsa, installedAt: now, installedAge: lsa.header.age };
    this.entries.set(keyOfHeader(lsa.header), e);
    return e;
  }

  delete(key: LsaKey): boolean {
    return this.entries.delete(key);
  }

  /** Every entry, in key order of insertion. */
  all(): LsdbEntry[] {
    return [...this.entries.values()];
  }

  /** Entries of one LS type. */
  ofType(type: number): LsdbEntry[] {
    return this.all().filter((e) => e.lsa.header.type === type);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Sum of the checksums, as `show ip ospf` prints per area. */
  checksumSum(): number {
    let s = 0;
    for (const e of this.entries.values()) s += e.lsa.header.checksum;
    return s;
  }
}
