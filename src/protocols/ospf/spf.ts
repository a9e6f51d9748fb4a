// The intra-area shortest-path calculation (RFC 2328 16.1): Dijkstra over the
// router- and network-LSAs of one area from this router, with the two-way
// check on every edge, transit networks preferred on equal cost (16.1 step
// 3), equal-cost next hops merged, next hops computed as 16.1.1 says (a
// directly attached network has none; a router behind it is reached at its
// address on that network; a point-to-point neighbor at the address its
// hellos came from), then the stub networks of each router added (stage 2).
// It also reports each reachable router, so inter-area and external routes
// can find the ABRs and ASBRs (16.2-16.4).

import type { TimeNs } from "../../runtime/device.ts";
import { LSA_TYPE, OSPF_MAX_AGE, ROUTER_LINK_TYPE } from "../../wire/ospf/index.ts";
import { entryAge, type Lsdb, type LsdbEntry, lsaKey } from "./lsdb.ts";

/** One way out: an interface and a next-hop address (0: the destination is on the attached network). */
export interface NextHop {
  ifc: string;
  address: number;
}

/** A destination the calculation reached. */
export interface SpfDestination {
  cost: number;
  nextHops: NextHop[];
}

/** A router reached in the area, with its router-LSA flags (B: ABR, E: ASBR). */
export interface SpfRouter extends SpfDestination {
  flags: number;
}

/** An intra-area network route. */
export interface SpfNetwork extends SpfDestination {
  prefix: number;
  length: number;
  /** The network is on one of the root's own interfaces (no next hop; summarized by an ABR, not installed). */
  attached: boolean;
}

export interface SpfResult {
  routers: Map<number, SpfRouter>;
  networks: SpfNetwork[];
}

/** What the calculation asks of the router it runs on. */
export interface SpfRoot {
  routerId: number;
  /** The interface holding a local address (from the root's link data). */
  interfaceOf(address: number): string | undefined;
  /** A neighbor's address on an interface, from its hellos (point-to-point and point-to-multipoint next hops). */
  neighborAddress(ifc: string, routerId: number): number | undefined;
}

interface Vertex {
  type: 1 | 2;
  id: number;
  entry: LsdbEntry;
  cost: number;
  nextHops: NextHop[];
  /** True when the vertex is the root or a network directly attached to it (a next hop of address 0). */
  attached: boolean;
}

const maskLength = (mask: number): number => {
  let n = 0;
  for (let m = mask >>> 0; m & 0x80000000; m = (m << 1) >>> 0) n++;
  return n;
};

function mergeHops(a: NextHop[], b: NextHop[]): NextHop[] {
  const out = [...a];
  for (const h of b) if (!out.some((x) => x.ifc === h.ifc && x.address === h.address)) out.push(h);
  return out;
}

/** Min-heap of candidates by (cost, networks before routers). */
class CandidateHeap {
  private readonly items: Vertex[] = [];
  private static less(a: Vertex, b: Vertex): boolean {
    return a.cost !== b.cost ? a.cost < b.cost : a.type > b.type;
  }
  get size(): number {
    return this.items.length;
  }
  push(v: Vertex): void {
    const a = this.items;
    a.push(v);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!CandidateHeap.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): Vertex | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && CandidateHeap.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && CandidateHeap.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** Runs the intra-area calculation of one area's database from `root`. */
export function intraAreaSpf(db: Lsdb, root: SpfRoot, now: TimeNs): SpfResult {
  const live = (type: number, id: number, adv: number): LsdbEntry | undefined => {
    const e = db.get(lsaKey(type, id, adv));
    return e !== undefined && entryAge(e, now) < OSPF_MAX_AGE ? e : undefined;
  };
  const routerLsa = (id: number) => live(LSA_TYPE.ROUTER, id, id);
  // A network-LSA is keyed by its DR's address and advertised by the DR: find it by Link State ID.
  const networkLsa = (id: number): LsdbEntry | undefined => {
    for (const e of db.ofType(LSA_TYPE.NETWORK))
      if (e.lsa.header.linkStateId === id >>> 0 && entryAge(e, now) < OSPF_MAX_AGE) return e;
    return undefined;
  };

  const rootEntry = routerLsa(root.routerId);
  const routers = new Map<number, SpfRouter>();
  const networks: SpfNetwork[] = [];
  if (rootEntry === undefined) return { routers, networks };

  const done = new Map<string, Vertex>();
  const best = new Map<string, Vertex>();
  const heap = new CandidateHeap();
  const vkey = (type: number, id: number) => `${type}:${id >>> 0}`;
  const rootVertex: Vertex = { type: 1, id: root.routerId, entry: rootEntry, cost: 0, nextHops: [], attached: true };
  best.set(vkey(1, root.routerId), rootVertex);
  heap.push(rootVertex);

  const linksBack = (w: LsdbEntry, v: Vertex): boolean => {
    const b = w.lsa.body;
    if (b.kind === "network") return v.type === 1 && b.attachedRouters.includes(v.id >>> 0);
    if (b.kind !== "router") return false;
    return b.links.some((l) =>
      v.type === 1
        ? (l.type === ROUTER_LINK_TYPE.POINT_TO_POINT || l.type === ROUTER_LINK_TYPE.VIRTUAL) && l.linkId === v.id >>> 0
        : l.type === ROUTER_LINK_TYPE.TRANSIT && l.linkId === v.id >>> 0,
    );
  };

  const consider = (v: Vertex, type: 1 | 2, w: LsdbEntry, id: number, cost: number, viaLinkData: number) => {
    const k = vkey(type, id);
    if (done.has(k) || !linksBack(w, v)) return;
    let hops: NextHop[];
    let attached = false;
    if (v.id === root.routerId && v.type === 1) {
      const ifc = root.interfaceOf(viaLinkData);
      if (ifc === undefined) return;
      if (type === 2) {
        hops = [{ ifc, address: 0 }];
        attached = true;
      } else {
        const address = root.neighborAddress(ifc, id);
        if (address === undefined) return;
        hops = [{ ifc, address }];
      }
    } else if (v.type === 2 && type === 1) {
      // Behind a network: where the network is attached to the root, the router is reached at its own
      // address on it (16.1.1); other next hops are inherited.
      const b = w.lsa.body;
      const link =
        b.kind === "router"
          ? b.links.find((l) => l.type === ROUTER_LINK_TYPE.TRANSIT && l.linkId === v.id >>> 0)
          : undefined;
      if (link === undefined) return;
      hops = v.nextHops.map((h) => (h.address === 0 ? { ifc: h.ifc, address: link.linkData } : h));
    } else {
      hops = v.nextHops;
    }
    const cur = best.get(k);
    if (cur === undefined || cost < cur.cost) {
      const nv: Vertex = { type, id, entry: w, cost, nextHops: hops, attached };
      best.set(k, nv);
      heap.push(nv);
    } else if (cost === cur.cost) {
      cur.nextHops = mergeHops(cur.nextHops, hops);
      cur.attached ||= attached;
    }
  };

  while (heap.size > 0) {
    const v = heap.pop()!;
    const k = vkey(v.type, v.id);
    // A vertex pushed again at a lower cost leaves its older entry behind: skip it.
    if (done.has(k) || best.get(k) !== v) continue;
    done.set(k, v);
    const body = v.entry.lsa.body;
    if (body.kind === "router") {
      if (v.id !== root.routerId) routers.set(v.id >>> 0, { cost: v.cost, nextHops: v.nextHops, flags: body.flags });
      for (const l of body.links) {
        if (l.type === ROUTER_LINK_TYPE.POINT_TO_POINT) {
          const w = routerLsa(l.linkId);
          if (w) consider(v, 1, w, l.linkId, v.cost + l.metric, l.linkData);
        } else if (l.type === ROUTER_LINK_TYPE.TRANSIT) {
          const w = networkLsa(l.linkId);
          if (w) consider(v, 2, w, l.linkId, v.cost + l.metric, l.linkData);
        }
      }
    } else if (body.kind === "network") {
      for (const r of body.attachedRouters) {
        const w = routerLsa(r);
        if (w) consider(v, 1, w, r, v.cost, 0);
      }
    }
  }

  // Networks: transit networks from their network-LSAs, then each router's stub links (16.1 stage 2).
  const byPrefix = new Map<string, SpfNetwork>();
  const add = (prefix: number, length: number, cost: number, nextHops: NextHop[], attached: boolean) => {
    const k = `${prefix >>> 0}/${length}`;
    const cur = byPrefix.get(k);
    if (cur === undefined || cost < cur.cost)
      byPrefix.set(k, { prefix: prefix >>> 0, length, cost, nextHops: attached ? [] : nextHops, attached });
    else if (cost === cur.cost && !cur.attached) {
      if (attached) Object.assign(cur, { nextHops: [], attached });
      else cur.nextHops = mergeHops(cur.nextHops, nextHops);
    }
  };
  for (const v of done.values()) {
    const body = v.entry.lsa.body;
    const isRoot = v.type === 1 && v.id === root.routerId;
    if (body.kind === "network") {
      add(v.id & body.mask, maskLength(body.mask), v.cost, v.nextHops, v.attached);
    } else if (body.kind === "router") {
      for (const l of body.links)
        if (l.type === ROUTER_LINK_TYPE.STUB)
          add(l.linkId & l.linkData, maskLength(l.linkData), v.cost + l.metric, v.nextHops, isRoot);
    }
  }
  networks.push(...byPrefix.values());
  return { routers, networks };
}
