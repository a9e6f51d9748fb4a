// DUAL (RFC 7868 section 3) on its own, through a recording DualIo:
//  - with a feasible successor (its reported distance below FD) the loss of
//    the successor is settled locally: no query, the feasible successor is
//    installed and FD becomes its distance;
//  - without one the destination goes active, queries every neighbour, keeps
//    waiting while replies are missing, answers other queries with its
//    query distance, and goes passive on the last reply with the best path
//    left (FD reset), answering the query that sent it active;
//  - a neighbour lost while active counts as its reply; a query for an
//    unknown destination is answered as unreachable at once.

import { describe, expect, test } from "bun:test";
import { Dual, type DualIo, type TopologyEntry, type TopologyPath } from "../../../src/protocols/eigrp/dual.ts";
import { EIGRP_INFINITY, interfaceMetric } from "../../../src/protocols/eigrp/metric.ts";

const P = 0x09090909;
const L = 32;

interface Recorded {
  queries: string[];
  replies: Array<{ to: string; distance: number | null }>;
  transitions: string[];
  neighbors: string[];
}

function dual(neighbors: string[]): { d: Dual; rec: Recorded } {
  const rec: Recorded = { queries: [], replies: [], transitions: [], neighbors };
  const io: DualIo = {
    queryTargets: () => rec.neighbors,
    sendQuery: (n) => rec.queries.push(n),
    sendReply: (to, _e, path) => rec.replies.push({ to, distance: path?.distance ?? null }),
    changed: () => {},
    wentActive: (_e: TopologyEntry, n) => rec.transitions.push(`active ${n}`),
    wentPassive: (e: TopologyEntry) => rec.transitions.push(`passive ${e.fd}`),
  };
  return { d: new Dual(io, () => ({ variance: 1, maximumPaths: 4 })), rec };
}

function path(from: string, distance: number, reported: number, nextHop = 1): TopologyPath {
  return {
    from,
    nextHop,
    interface: from,
    metric: interfaceMetric({ bandwidthKbps: 1544, delayTensOfUs: 2000, mtu: 1500 }),
    distance,
    reported,
  };
}

describe("DUAL", () => {
  test("a feasible successor takes over without a query; FD follows it", () => {
    const { d, rec } = dual(["A", "B"]);
    d.input(P, L, "A", path("A", 2300416, 156160, 3), "update");
    d.input(P, L, "B", path("B", 2300466, 156160, 4), "update");
    const e = d.get(P, L)!;
    expect(e.fd).toBe(2300416);
    expect(e.successors.map((s) => s.from)).toEqual(["A"]);
    // B's reported distance 156160 < FD 2300416: B is a feasible successor.
    expect(d.feasiblePaths(e, e.fd).map((p) => p.from)).toEqual(["A", "B"]);
    d.input(P, L, "A", null, "lost");
    expect(rec.queries).toEqual([]);
    expect(rec.transitions).toEqual([]);
    expect(e.state).toBe("passive");
    expect(e.successors.map((s) => s.from)).toEqual(["B"]);
    expect(e.fd).toBe(2300466);
  });

  test("without a feasible successor the route goes active, queries, and goes passive on the last reply", () => {
    const { d, rec } = dual(["A", "B", "C"]);
    d.input(P, L, "A", path("A", 156160, 128256), "update");
    // B's reported distance (2300416) is not below FD (156160): not feasible.
    d.input(P, L, "B", path("B", 2812416, 2300416), "update");
    const e = d.get(P, L)!;
    expect(d.feasiblePaths(e, e.fd).map((p) => p.from)).toEqual(["A"]);
    d.input(P, L, "A", null, "lost");
    expect(e.state).toBe("active");
    expect(rec.queries).toEqual(["A", "B", "C"]);
    expect(rec.transitions).toEqual(["active 3"]);
    expect(e.fd).toBe(156160);
    // A query from C while active is answered at once (C is no successor).
    d.input(P, L, "C", null, "query");
    expect(rec.replies).toEqual([{ to: "C", distance: null }]);
    // Replies come in; A is gone (counts as a reply), B confirms its path.
    d.input(P, L, "B", path("B", 2812416, 2300416), "reply");
    expect(e.state).toBe("active");
    d.input(P, L, "A", null, "lost");
    expect(e.state).toBe("active");
    d.input(P, L, "C", null, "reply");
    expect(e.state).toBe("passive");
    expect(rec.transitions).toEqual(["active 3", "passive 2812416"]);
    expect(e.fd).toBe(2812416);
    expect(e.successors.map((s) => s.from)).toEqual(["B"]);
  });

  test("a query from the successor that leaves no feasible path is answered when the route goes passive", () => {
    const { d, rec } = dual(["A", "B"]);
    d.input(P, L, "A", path("A", 156160, 128256), "update");
    d.input(P, L, "B", path("B", 2812416, 2300416), "update");
    // A (the successor) asks: its own path is gone.
    d.input(P, L, "A", null, "query");
    const e = d.get(P, L)!;
    expect(e.state).toBe("active");
    expect(rec.replies).toEqual([]);
    d.input(P, L, "A", null, "reply");
    d.input(P, L, "B", path("B", 2812416, 2300416), "reply");
    expect(e.state).toBe("passive");
    // A gets our new distance, through B.
    expect(rec.replies).toEqual([{ to: "A", distance: 2812416 }]);
  });

  test("a query answered at once when a feasible path remains, poisoned towards the successor", () => {
    const { d, rec } = dual(["A", "B"]);
    d.input(P, L, "A", path("A", 2300416, 156160), "update");
    d.input(P, L, "B", path("B", 2300466, 156160), "update");
    d.input(P, L, "B", path("B", 2400000, 200000), "query");
    expect(rec.queries).toEqual([]);
    expect(rec.replies).toEqual([{ to: "B", distance: 2300416 }]);
    d.input(P, L, "A", path("A", 2300416, 156160), "query");
    expect(rec.replies[1]).toEqual({ to: "A", distance: null });
  });

  test("the last path gone with nobody to ask: passive at once, unreachable, forgotten", () => {
    const { d, rec } = dual([]);
    d.input(P, L, "local", { ...path("local", 28160, 0), origin: "connected" }, "update");
    d.input(P, L, "local", null, "lost");
    expect(rec.transitions).toEqual(["active 0", `passive ${EIGRP_INFINITY}`]);
    expect(d.get(P, L)).toBeUndefined();
  });

  test("a query for an unknown destination gets an unreachable reply and leaves nothing behind", () => {
    const { d, rec } = dual(["A"]);
    d.input(P, L, "A", null, "query");
    expect(rec.replies).toEqual([{ to: "A", distance: null }]);
    expect(d.get(P, L)).toBeUndefined();
  });
});
