// Proxy identities: the traffic an IPsec SA protects, as phase 2 carries it
// (address/mask/protocol/port, IOS's "local ident (addr/mask/prot/port)").
// A crypto map's ACL entry becomes one pair of them; the responder accepts a
// proposal whose identities fall inside one of its own entries, mirrored.

import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { AceSpec, AddressMatch } from "../acl.ts";

/** One side of the protected traffic. */
export interface ProxyId {
  address: number;
  /** Contiguous mask (0xffffffff for a host). */
  mask: number;
  /** IP protocol, 0 for any. */
  protocol: number;
  /** TCP/UDP port, 0 for any. */
  port: number;
}

/** A proxy identity from an ACL address match; null when the wildcard is not contiguous (IOS refuses those). */
function fromMatch(m: AddressMatch, protocol: number, port: number): ProxyId | null {
  const mask = ~m.wildcard >>> 0;
  // Contiguous: the mask's inverse plus one is a power of two.
  const inverse = m.wildcard >>> 0;
  if (((inverse + 1) & inverse) !== 0) return null;
  return { address: (m.address & mask) >>> 0, mask, protocol, port };
}

/** The local and remote identities of a permit entry of a crypto ACL (source is local). */
export function proxiesFromAce(e: AceSpec): { local: ProxyId; remote: ProxyId } | null {
  const protocol = e.protocol ?? 0;
  const port = (m: AceSpec["sourcePort"]): number =>
    m !== undefined && m.op === "eq" && m.ports.length === 1 ? m.ports[0]! : 0;
  const local = fromMatch(e.source, protocol, port(e.sourcePort));
  const remote = e.destination === undefined ? null : fromMatch(e.destination, protocol, port(e.destinationPort));
  if (local === null || remote === null) return null;
  return { local, remote };
}

/** Whether `inner` lies within `outer` (addresses, protocol and port). */
export function proxyWithin(inner: ProxyId, outer: ProxyId): boolean {
  if ((inner.mask & outer.mask) >>> 0 !== outer.mask >>> 0) return false;
  if (((inner.address ^ outer.address) & outer.mask) >>> 0 !== 0) return false;
  if (outer.protocol !== 0 && inner.protocol !== outer.protocol) return false;
  if (outer.port !== 0 && inner.port !== outer.port) return false;
  return true;
}

/** Whether two identities are the same. */
export function proxyEquals(a: ProxyId, b: ProxyId): boolean {
  return a.address === b.address && a.mask === b.mask && a.protocol === b.protocol && a.port === b.port;
}

/** Whether a packet's address, protocol and port fall inside an identity. */
export function proxyMatchesPacket(p: ProxyId, address: number, protocol: number, port: number | undefined): boolean {
  if (((address ^ p.address) & p.mask) >>> 0 !== 0) return false;
  if (p.protocol !== 0 && protocol !== p.protocol) return false;
  if (p.port !== 0 && port !== p.port) return false;
  return true;
}

/** IOS's `(10.0.9.0/255.255.255.0/0/0)` form. */
export function formatProxyId(p: ProxyId): string {
  return `(${formatIpv4Address(p.address)}/${formatIpv4Address(p.mask)}/${p.protocol}/${p.port})`;
}

/** A stable key for maps. */
export function proxyKey(p: ProxyId): string {
  return `${p.address}/${p.mask}/${p.protocol}/${p.port}`;
}
