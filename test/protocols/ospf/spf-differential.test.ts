// Differential test of the intra-area SPF (RFC 2328 16.1): for random areas
// of routers joined by point-to-point links (each direction its own cost)
// and broadcast segments with a DR, the routes intraAreaSpf computes from
// router- and network-LSAs equal those of a plain Dijkstra written here over
// the same graph: cost, and the set of first hops (interface and next-hop
// address) of every equal-cost shortest path.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Lsdb } from "../../../src/protocols/ospf/lsdb.ts";
import { intraAreaSpf } from "../../../src/protocols/ospf/spf.ts";
import { buildLsa, type RouterLink } from "../../../src/wire/ospf/index.ts";

interface Area {
  n: number;
  p2p: Array<{ a: number; b: number; ab: number; ba: number }>;
  segments: Array<{ members: number[]; costs: number[] }>;
}

const area: fc.Arbitrary<Area> = fc.integer({ min: 2, max: 9 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    p2p: fc
      .uniqueArray(
        fc.record({
          a: fc.integer({ min: 0, max: n - 1 }),
          b: fc.integer({ min: 0, max: n - 1 }),
          ab: fc.integer({ min: 1, max: 12 }),
          ba: fc.integer({ min: 1, max: 12 }),
        }),
        { maxLength: 14, selector: (l) => `${Math.min(l.a, l.b)}-${Math.max(l.a, l.b)}` },
      )
      .map((ls) => ls.filter((l) => l.a !== l.b)),
    segments: fc.array(
      fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 2, maxLength: 4 }).chain((members) =>
        fc.record({
          members: fc.constant(members),
          costs: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: members.length, maxLength: members.length }),
        }),
      ),
      { maxLength: 3 },
    ),
  }),
);

const rid = (i: number) => 0x01010100 + i + 1;
const loop = (i: number) => 0xc0a80000 + i + 1;
const p2pAddr = (l: number, side: 0 | 1) => 0x0a000000 + l * 4 + 1 + side;
const segAddr = (s: number, m: number) => 0xac100000 + s * 256 + m + 1;
const segNet = (s: number) => 0xac100000 + s * 256;

function database(g: Area): Lsdb {
  const db = new Lsdb();
  for (let i = 0; i < g.n; i++) {
    const links: RouterLink[] = [];
    g.p2p.forEach((l, li) => {
      if (l.a === i) links.push({ linkId: rid(l.b), linkData: p2pAddr(li, 0), type: 1, metric: l.ab, tos: [] });
      if (l.b === i) links.push({ linkId: rid(l.a), linkData: p2pAddr(li, 1), type: 1, metric: l.ba, tos: [] });
    });
    g.segments.forEach((s, si) => {
      const m = s.members.indexOf(i);
      if (m >= 0)
        links.push({ linkId: segAddr(si, 0), linkData: segAddr(si, m), type: 2, metric: s.costs[m]!, tos: [] });
    });
    links.push({ linkId: loop(i), linkData: 0xffffffff, type: 3, metric: 1, tos: [] });
    db.install(
      buildLsa({
        header: {
          age: 0,
          options: 0x22,
          type: 1,
          linkStateId: rid(i),
          advertisingRouter: rid(i),
          sequence: -0x7fffffff,
        },
        body: { kind: "router", flags: 0, links },
      }),
      0,
    );
  }
  g.segments.forEach((s, si) => {
    const dr = s.members[0]!;
    db.install(
      buildLsa({
        header: {
          age: 0,
          options: 0x22,
          type: 2,
          linkStateId: segAddr(si, 0),
          advertisingRouter: rid(dr),
          sequence: -0x7fffffff,
        },
        body: { kind: "network", mask: 0xffffff00, attachedRouters: s.members.map(rid) },
      }),
      0,
    );
  });
  return db;
}

/**
 * Plain Dijkstra over routers (0..n-1) and segments (n..n+s-1) for the costs, then the first hops of every
 * shortest path over the predecessor graph, nodes taken by cost with segments before routers (the only
 * zero-cost edges run from a segment to its routers). First hops are "ifc|address" strings; address 0
 * means the segment is attached to the root, and a router behind it is reached at its segment address.
 */
function reference(g: Area): Map<string, { cost: number; hops: string[] }> {
  const total = g.n + g.segments.length;
  type Edge = { from: number; to: number; cost: number; hop: string };
  const edges: Edge[] = [];
  g.p2p.forEach((l, li) => {
    edges.push({ from: l.a, to: l.b, cost: l.ab, hop: `p2p${li}|${p2pAddr(li, 1)}` });
    edges.push({ from: l.b, to: l.a, cost: l.ba, hop: `p2p${li}|${p2pAddr(li, 0)}` });
  });
  g.segments.forEach((s, si) => {
    s.members.forEach((m, mi) => {
      edges.push({ from: m, to: g.n + si, cost: s.costs[mi]!, hop: `seg${si}|0` });
      edges.push({ from: g.n + si, to: m, cost: 0, hop: `${segAddr(si, mi)}` });
    });
  });
  const dist = new Array<number>(total).fill(Infinity);
  const done = new Array<boolean>(total).fill(false);
  dist[0] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < total; i++) if (!done[i] && dist[i]! < Infinity && (u < 0 || dist[i]! < dist[u]!)) u = i;
    if (u < 0) break;
    done[u] = true;
    for (const e of edges) if (e.from === u && dist[u]! + e.cost < dist[e.to]!) dist[e.to] = dist[u]! + e.cost;
  }
  const order = [...Array(total).keys()]
    .filter((v) => dist[v]! < Infinity && v !== 0)
    .sort((a, b) => dist[a]! - dist[b]! || Number(b >= g.n) - Number(a >= g.n));
  const hops: Array<Set<string>> = Array.from({ length: total }, () => new Set());
  for (const v of order) {
    for (const e of edges) {
      if (e.to !== v || dist[e.from]! + e.cost !== dist[v]) continue;
      if (e.from === 0) hops[v]!.add(e.hop);
      else if (e.from >= g.n)
        for (const h of hops[e.from]!) hops[v]!.add(h.endsWith("|0") ? `${h.split("|")[0]}|${e.hop}` : h);
      else for (const h of hops[e.from]!) hops[v]!.add(h);
    }
  }
  const out = new Map<string, { cost: number; hops: string[] }>();
  for (let i = 1; i < g.n; i++)
    if (dist[i]! < Infinity) out.set(`${loop(i)}/32`, { cost: dist[i]! + 1, hops: [...hops[i]!].sort() });
  g.segments.forEach((_, si) => {
    const v = g.n + si;
    const attached = [...hops[v]!].some((h) => h.endsWith("|0"));
    if (dist[v]! < Infinity && !attached) out.set(`${segNet(si)}/24`, { cost: dist[v]!, hops: [...hops[v]!].sort() });
  });
  return out;
}

function computed(g: Area): Map<string, { cost: number; hops: string[] }> {
  const ifcOf = new Map<number, string>();
  g.p2p.forEach((l, li) => {
    if (l.a === 0) ifcOf.set(p2pAddr(li, 0), `p2p${li}`);
    if (l.b === 0) ifcOf.set(p2pAddr(li, 1), `p2p${li}`);
  });
  g.segments.forEach((s, si) => {
    const m = s.members.indexOf(0);
    if (m >= 0) ifcOf.set(segAddr(si, m), `seg${si}`);
  });
  const r = intraAreaSpf(
    database(g),
    {
      routerId: rid(0),
      interfaceOf: (a) => ifcOf.get(a),
      neighborAddress: (ifc, id) => {
        const li = Number(ifc.slice(3));
        const l = g.p2p[li]!;
        return rid(l.a) === id ? p2pAddr(li, 0) : p2pAddr(li, 1);
      },
    },
    0,
  );
  const out = new Map<string, { cost: number; hops: string[] }>();
  for (const n of r.networks.filter((x) => !x.attached))
    out.set(`${n.prefix}/${n.length}`, { cost: n.cost, hops: n.nextHops.map((h) => `${h.ifc}|${h.address}`).sort() });
  return out;
}

describe("intra-area SPF against a reference Dijkstra", () => {
  test("random areas of point-to-point links and broadcast segments", () => {
    fc.assert(
      fc.property(area, (g) => {
        expect(computed(g)).toEqual(reference(g));
      }),
      { numRuns: 400 },
    );
  });

  test("a one-way link is not used (the two-way check)", () => {
    const g: Area = { n: 2, p2p: [{ a: 0, b: 1, ab: 1, ba: 1 }], segments: [] };
    const db = database(g);
    // Router 2 stops listing the link back to router 1.
    db.install(
      buildLsa({
        header: {
          age: 0,
          options: 0x22,
          type: 1,
          linkStateId: rid(1),
          advertisingRouter: rid(1),
          sequence: -0x7ffffffe,
        },
        body: {
          kind: "router",
          flags: 0,
          links: [{ linkId: loop(1), linkData: 0xffffffff, type: 3, metric: 1, tos: [] }],
        },
      }),
      0,
    );
    const r = intraAreaSpf(
      db,
      { routerId: rid(0), interfaceOf: () => "p2p0", neighborAddress: () => p2pAddr(0, 1) },
      0,
    );
    expect(r.networks.filter((n) => !n.attached)).toEqual([]);
  });
});
