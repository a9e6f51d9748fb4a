// The OSPF routing table (RFC 2328 16): intra-area routes from each area's
// SPF, then inter-area routes from summary-LSAs (16.2: only the backbone's
// when this router is an ABR), AS boundary routers from router-LSA E bits and
// ASBR-summary-LSAs, then AS-external routes (16.4, E1 before E2, E2 by
// metric then distance to the forwarding point) and NSSA-external routes
// (RFC 3101 2.5, N1/N2, only within their NSSA). Intra-area beats inter-area
// beats external for the same prefix. A pure function of the databases.

import type { TimeNs } from "../../runtime/device.ts";
import { LSA_TYPE, OSPF_LS_INFINITY, OSPF_MAX_AGE, ROUTER_LSA_FLAG } from "../../wire/ospf/index.ts";
import { entryAge, type Lsdb } from "./lsdb.ts";
import type { OspfAreaSettings } from "./ospf-config.ts";
import type { NextHop, SpfResult } from "./spf.ts";

export type OspfRouteType = "intra" | "inter" | "E1" | "E2" | "N1" | "N2";

/** An OSPF route. */
export interface OspfRoute {
  prefix: number;
  length: number;
  type: OspfRouteType;
  /** Total cost (for E2/N2: the external metric). */
  cost: number;
  /** E2/N2 tie-break: the distance to the ASBR or forwarding address. */
  forwardCost: number;
  nextHops: NextHop[];
  /** The area of intra- and inter-area routes, and of N1/N2. */
  area?: number;
  /** The external route tag. */
  tag?: number;
  /** A network on one of this router's own interfaces: summarized, never installed. */
  attached?: boolean;
}

/** A border router this router can reach. */
export interface BorderRouter {
  routerId: number;
  cost: number;
  nextHops: NextHop[];
  area: number;
  abr: boolean;
  asbr: boolean;
  interArea: boolean;
}

export interface AreaInput {
  id: number;
  settings: OspfAreaSettings;
  db: Lsdb;
  spf: SpfResult;
}

export interface RoutingTable {
  routes: OspfRoute[];
  borderRouters: BorderRouter[];
}

const RANK: Readonly<Record<OspfRouteType, number>> = { intra: 0, inter: 1, E1: 2, N1: 2, E2: 3, N2: 3 };

export const maskLength = (mask: number): number => {
  let n = 0;
  for (let m = mask >>> 0; m & 0x80000000; m = (m << 1) >>> 0) n++;
  return n;
};
const maskOf = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);

function mergeHops(a: NextHop[], b: NextHop[]): NextHop[] {
  const out = [...a];
  for (const h of b) if (!out.some((x) => x.ifc === h.ifc && x.address === h.address)) out.push(h);
  return out;
}

/** Whether `a` is preferred over `b` (-1), equal (0) or worse (1). */
function compare(a: OspfRoute, b: OspfRoute): number {
  if (RANK[a.type] !== RANK[b.type]) return RANK[a.type] - RANK[b.type];
  if (a.cost !== b.cost) return a.cost - b.cost;
  if (a.type === "E2" || a.type === "N2") {
    if (a.forwardCost !== b.forwardCost) return a.forwardCost - b.forwardCost;
    // RFC 3101 2.5 (e): a type-5 is preferred over a type-7 of equal cost.
    if (a.type !== b.type) return a.type === "E2" ? -1 : 1;
  }
  if (a.type === "E1" && b.type === "N1") return -1;
  if (a.type === "N1" && b.type === "E1") return 1;
  return 0;
}

/** Computes the routing table from each area's SPF and the databases. */
export function buildRoutingTable(
  routerId: number,
  areas: AreaInput[],
  external: Lsdb,
  isAbr: boolean,
  now: TimeNs,
): RoutingTable {
  const table = new Map<string, OspfRoute>();
  const offer = (r: OspfRoute) => {
    const k = `${r.prefix >>> 0}/${r.length}`;
    const cur = table.get(k);
    if (cur === undefined) table.set(k, r);
    else {
      const c = compare(r, cur);
      if (c < 0 || (c === 0 && r.attached && !cur.attached)) table.set(k, r);
      else if (c === 0 && !cur.attached) cur.nextHops = mergeHops(cur.nextHops, r.nextHops);
    }
  };
  const live = (db: Lsdb, type: number) =>
    db.ofType(type).filter((e) => entryAge(e, now) < OSPF_MAX_AGE && e.lsa.header.advertisingRouter !== routerId);

  // Intra-area (16.1).
  const border: BorderRouter[] = [];
  for (const a of areas) {
    for (const n of a.spf.networks)
      offer({
        prefix: n.prefix,
        length: n.length,
        type: "intra",
        cost: n.cost,
        forwardCost: 0,
        nextHops: n.nextHops,
        area: a.id,
        ...(n.attached ? { attached: true } : {}),
      });
    for (const [id, r] of a.spf.routers) {
      const abr = (r.flags & ROUTER_LSA_FLAG.B) !== 0;
      const asbr = (r.flags & ROUTER_LSA_FLAG.E) !== 0;
      if (abr || asbr)
        border.push({ routerId: id, cost: r.cost, nextHops: r.nextHops, area: a.id, abr, asbr, interArea: false });
    }
  }

  // Inter-area (16.2): an ABR looks at the backbone's summaries only.
  const examined = isAbr ? areas.filter((a) => a.id === 0) : areas;
  for (const a of examined) {
    for (const e of live(a.db, LSA_TYPE.SUMMARY)) {
      const b = e.lsa.body;
      if (b.kind !== "summary" || b.metric >= OSPF_LS_INFINITY) continue;
      const abr = a.spf.routers.get(e.lsa.header.advertisingRouter);
      if (abr === undefined || (abr.flags & ROUTER_LSA_FLAG.B) === 0) continue;
      const length = maskLength(b.mask);
      const prefix = (e.lsa.header.linkStateId & maskOf(length)) >>> 0;
      const intra = table.get(`${prefix}/${length}`);
      if (intra !== undefined && intra.type === "intra") continue;
      offer({
        prefix,
        length,
        type: "inter",
        cost: abr.cost + b.metric,
        forwardCost: 0,
        nextHops: abr.nextHops,
        area: a.id,
      });
    }
    for (const e of live(a.db, LSA_TYPE.ASBR_SUMMARY)) {
      const b = e.lsa.body;
      if (b.kind !== "asbrSummary" || b.metric >= OSPF_LS_INFINITY) continue;
      const abr = a.spf.routers.get(e.lsa.header.advertisingRouter);
      if (abr === undefined || (abr.flags & ROUTER_LSA_FLAG.B) === 0) continue;
      const asbr = e.lsa.header.linkStateId >>> 0;
      if (asbr === routerId || border.some((r) => r.routerId === asbr && r.asbr && !r.interArea)) continue;
      const cost = abr.cost + b.metric;
      const cur = border.find((r) => r.routerId === asbr && r.interArea);
      if (cur === undefined)
        border.push({
          routerId: asbr,
          cost,
          nextHops: abr.nextHops,
          area: a.id,
          abr: false,
          asbr: true,
          interArea: true,
        });
      else if (cost < cur.cost) Object.assign(cur, { cost, nextHops: abr.nextHops, area: a.id });
      else if (cost === cur.cost) cur.nextHops = mergeHops(cur.nextHops, abr.nextHops);
    }
  }

  const internal = [...table.values()];
  const covered = (prefix: number, length: number) => {
    const r = table.get(`${prefix}/${length}`);
    return r !== undefined && (r.type === "intra" || r.type === "inter");
  };
  /** The OSPF route to a forwarding address: the longest intra- or inter-area match. */
  const toForwardingAddress = (fa: number, area?: number): OspfRoute | undefined => {
    let best: OspfRoute | undefined;
    for (const r of internal) {
      if (area !== undefined && r.area !== area) continue;
      if (((fa ^ r.prefix) & maskOf(r.length)) >>> 0 !== 0) continue;
      if (best === undefined || r.length > best.length) best = r;
    }
    return best;
  };
  /** The best path to an ASBR (intra-area entries before inter-area ones). */
  const toAsbr = (id: number, area?: number): BorderRouter | undefined => {
    const cands = border.filter(
      (r) => r.routerId === id && r.asbr && (area === undefined || (r.area === area && !r.interArea)),
    );
    cands.sort((x, y) => Number(x.interArea) - Number(y.interArea) || x.cost - y.cost);
    return cands[0];
  };

  // AS-external (16.4) and NSSA-external (RFC 3101 2.5).
  const externals = (db: Lsdb, type: number, nssaArea?: number) => {
    for (const e of live(db, type)) {
      const b = e.lsa.body;
      if ((b.kind !== "external" && b.kind !== "nssa") || b.metric >= OSPF_LS_INFINITY) continue;
      const asbr = toAsbr(e.lsa.header.advertisingRouter, nssaArea);
      if (asbr === undefined) continue;
      let nextHops = asbr.nextHops;
      let forwardCost = asbr.cost;
      if (b.forwardingAddress !== 0) {
        const via = toForwardingAddress(b.forwardingAddress, nssaArea);
        if (via === undefined) continue;
        nextHops = via.nextHops;
        forwardCost = via.cost;
      }
      const length = maskLength(b.mask);
      const prefix = (e.lsa.header.linkStateId & maskOf(length)) >>> 0;
      if (covered(prefix, length)) continue;
      const kind = nssaArea === undefined ? (b.type2 ? "E2" : "E1") : b.type2 ? "N2" : "N1";
      offer({
        prefix,
        length,
        type: kind,
        cost: b.type2 ? b.metric : forwardCost + b.metric,
        forwardCost,
        nextHops,
        ...(nssaArea !== undefined ? { area: nssaArea } : {}),
        ...(b.routeTag !== 0 ? { tag: b.routeTag } : {}),
      });
    }
  };
  if (areas.some((a) => a.settings.type === "normal")) externals(external, LSA_TYPE.AS_EXTERNAL);
  for (const a of areas) if (a.settings.type === "nssa") externals(a.db, LSA_TYPE.NSSA_EXTERNAL, a.id);

  return { routes: [...table.values()], borderRouters: border };
}
