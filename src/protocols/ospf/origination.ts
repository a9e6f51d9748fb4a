// The contents of the LSAs a router originates for itself (RFC 2328 12.4.1
// router-LSA links per interface state and network type, 12.4.2 network-LSA),
// as pure functions of what its interfaces and neighbors are now. Loopbacks
// are advertised as host routes (IOS's loopback network type); a
// point-to-multipoint interface advertises its own address as a /32 stub
// and a point-to-point link per neighbor (C.3).

import { ROUTER_LINK_TYPE, type RouterLink } from "../../wire/ospf/index.ts";
import type { InterfaceState } from "./interface-state.ts";
import type { OspfNetworkType } from "./network-type.ts";

/** One interface as the router-LSA sees it. */
export interface LinkSource {
  state: InterfaceState;
  networkType: OspfNetworkType;
  passive: boolean;
  address: number;
  maskLength: number;
  cost: number;
  /** The DR's address (broadcast/NBMA), 0 for none. */
  dr: number;
  /** Neighbors in state FULL: router ID and address. */
  full: Array<{ routerId: number; address: number }>;
}

const maskOf = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);
const stub = (address: number, len: number, metric: number): RouterLink => ({
  linkId: (address & maskOf(len)) >>> 0,
  linkData: maskOf(len),
  type: ROUTER_LINK_TYPE.STUB,
  metric,
  tos: [],
});

/** The links of one interface in this router's router-LSA. */
export function routerLinks(s: LinkSource): RouterLink[] {
  if (s.state === "DOWN") return [];
  if (s.state === "LOOPBACK" || s.networkType === "loopback") return [stub(s.address, 32, 1)];
  const subnet = stub(s.address, s.maskLength, s.cost);
  if (s.passive) return [subnet];
  switch (s.networkType) {
    case "pointToPoint": {
      const links: RouterLink[] = s.full.map((n) => ({
        linkId: n.routerId >>> 0,
        linkData: s.address >>> 0,
        type: ROUTER_LINK_TYPE.POINT_TO_POINT,
        metric: s.cost,
        tos: [],
      }));
      return [...links, subnet];
    }
    case "pointToMultipoint": {
      const links: RouterLink[] = s.full.map((n) => ({
        linkId: n.routerId >>> 0,
        linkData: s.address >>> 0,
        type: ROUTER_LINK_TYPE.POINT_TO_POINT,
        metric: s.cost,
        tos: [],
      }));
      return [...links, stub(s.address, 32, 0)];
    }
    default: {
      // Broadcast and NBMA: a transit link once fully adjacent to the DR (or DR with a full neighbor).
      if (s.state === "WAITING" || s.dr === 0) return [subnet];
      const isDr = s.dr === s.address;
      const transit = isDr ? s.full.length > 0 : s.full.some((n) => n.address === s.dr);
      if (!transit) return [subnet];
      return [
        { linkId: s.dr >>> 0, linkData: s.address >>> 0, type: ROUTER_LINK_TYPE.TRANSIT, metric: s.cost, tos: [] },
      ];
    }
  }
}

/** The attached routers of the network-LSA this router originates as DR, or null when it should have none. */
export function networkLsaRouters(s: LinkSource, routerId: number): number[] | null {
  if (s.state !== "DR" || s.full.length === 0) return null;
  return [routerId >>> 0, ...s.full.map((n) => n.routerId >>> 0)];
}
