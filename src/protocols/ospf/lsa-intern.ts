// One shared, immutable copy of each LSA body per process (a flyweight): every
// router of a lab holds every LSA of its area, so N routers would otherwise keep
// N equal copies of the same parsed body (a 1000-router area: a million). An LSA
// instance is named by its key, sequence number, checksum and length (the
// Fletcher checksum covers the body), so equal names mean equal bodies. Bodies
// are never mutated after parsing, so sharing them between routers changes
// nothing a router can observe; the table forgets everything past a bound.
// The parser asks the table first (knownLsaBody): an update's LSA whose body is
// held is checksummed and takes the held body, so each instance's body is built
// once per process instead of once per router that receives it.

import type { Lsa, LsaBody, LsaHeader } from "../../wire/ospf/index.ts";
import { keyOfHeader, type LsaKey } from "./lsdb.ts";

const MAX_ENTRIES = 250_000;
const bodies = new Map<string, LsaBody>();

/** LSA bodies the parser took from the table and built anew, since the process started (for the bench). */
export const lsaBodyCounts = { reused: 0, parsed: 0 };

function nameOf(h: LsaHeader, key: LsaKey): string {
  return `${key}${String.fromCharCode(h.sequence >>> 16, h.sequence & 0xffff, h.checksum, h.length)}`;
}

/** The LSA with its body replaced by the shared copy of an equal instance, if one was seen. */
export function internLsa(lsa: Lsa, key: LsaKey = keyOfHeader(lsa.header)): Lsa {
  const h = lsa.header;
  const name = nameOf(h, key);
  const shared = bodies.get(name);
  if (shared !== undefined) return shared === lsa.body ? lsa : { header: h, body: shared };
  if (bodies.size >= MAX_ENTRIES) bodies.clear();
  bodies.set(name, lsa.body);
  return lsa;
}

/** The shared body of an instance, for the parser (undefined: parse it). */
export function knownLsaBody(h: LsaHeader): LsaBody | undefined {
  const body = bodies.get(nameOf(h, keyOfHeader(h)));
  if (body === undefined) lsaBodyCounts.parsed++;
  else lsaBodyCounts.reused++;
  return body;
}
