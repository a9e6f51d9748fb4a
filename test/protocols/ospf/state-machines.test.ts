// The OSPF neighbor and interface state machines (RFC 2328 9.3, 10.3) and DR
// election (9.4): the transitions of the RFC's tables, the reasons IOS names,
// and the election's rules (priority, router ID, non-preemption, priority 0,
// the router that comes up alone first).

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { type DrCandidate, electDr } from "../../../src/protocols/ospf/dr-election.ts";
import { interfaceStep } from "../../../src/protocols/ospf/interface-state.ts";
import {
  NEIGHBOR_STATES,
  type NeighborEvent,
  type NeighborState,
  neighborStep,
} from "../../../src/protocols/ospf/neighbor-state.ts";

function run(state: NeighborState, events: NeighborEvent[]): { state: NeighborState; reasons: string[] } {
  const reasons: string[] = [];
  for (const e of events) {
    const s = neighborStep(state, e);
    if (s.reason !== undefined) reasons.push(`${state}->${s.state}:${s.reason}`);
    state = s.state;
  }
  return { state, reasons };
}

describe("neighbor state machine", () => {
  test("broadcast adjacency with the DR: DOWN INIT EXSTART EXCHANGE LOADING FULL", () => {
    const r = run("DOWN", [
      { kind: "helloReceived" },
      { kind: "twoWayReceived", adjacency: true },
      { kind: "negotiationDone" },
      { kind: "exchangeDone", requestsPending: true },
      { kind: "loadingDone" },
    ]);
    expect(r.state).toBe("FULL");
    expect(r.reasons).toEqual([
      "DOWN->INIT:helloReceived",
      "INIT->EXSTART:twoWayReceived",
      "EXSTART->EXCHANGE:negotiationDone",
      "EXCHANGE->LOADING:exchangeDone",
      "LOADING->FULL:loadingDone",
    ]);
  });

  test("nothing to load: EXCHANGE goes straight to FULL on Exchange Done", () => {
    expect(neighborStep("EXCHANGE", { kind: "exchangeDone", requestsPending: false })).toEqual({
      state: "FULL",
      actions: [],
      reason: "exchangeDone",
    });
  });

  test("two DROthers stop at 2WAY; AdjOK? moves them when one becomes DR or BDR, and back", () => {
    expect(neighborStep("INIT", { kind: "twoWayReceived", adjacency: false }).state).toBe("2WAY");
    expect(neighborStep("2WAY", { kind: "adjOk", adjacency: false })).toEqual({ state: "2WAY", actions: [] });
    expect(neighborStep("2WAY", { kind: "adjOk", adjacency: true })).toMatchObject({
      state: "EXSTART",
      actions: ["beginExStart"],
    });
    expect(neighborStep("FULL", { kind: "adjOk", adjacency: false })).toMatchObject({
      state: "2WAY",
      actions: ["clearLists"],
    });
  });

  test("an MTU mismatch never gives NegotiationDone, so the neighbor stays in EXSTART", () => {
    // The owner withholds negotiationDone; nothing else moves EXSTART forward.
    let s: NeighborState = "EXSTART";
    for (const e of [{ kind: "helloReceived" }, { kind: "twoWayReceived", adjacency: true }] as NeighborEvent[])
      s = neighborStep(s, e).state;
    expect(s).toBe("EXSTART");
  });

  test("DBD sequence mismatch and bad LS request restart the exchange from EXSTART", () => {
    for (const kind of ["seqNumberMismatch", "badLsReq"] as const) {
      for (const from of ["EXCHANGE", "LOADING", "FULL"] as const)
        expect(neighborStep(from, { kind })).toEqual({
          state: "EXSTART",
          actions: ["clearLists", "beginExStart"],
          reason: kind,
        });
      expect(neighborStep("EXSTART", { kind }).state).toBe("EXSTART");
    }
  });

  test("dead timer, interface down and clear ip ospf process take any state to DOWN with their reason", () => {
    for (const s of NEIGHBOR_STATES.filter((x) => x !== "DOWN")) {
      expect(neighborStep(s, { kind: "inactivityTimer" }).reason).toBe("deadTimerExpired");
      expect(neighborStep(s, { kind: "killNbr", cause: "interfaceDown" }).reason).toBe("interfaceDown");
      expect(neighborStep(s, { kind: "killNbr", cause: "adjacencyReset" }).reason).toBe("adjacencyReset");
      expect(neighborStep(s, { kind: "llDown" }).state).toBe("DOWN");
    }
  });

  test("1-Way from a two-way neighbor drops it to INIT; hellos keep restarting the dead timer", () => {
    expect(neighborStep("FULL", { kind: "oneWayReceived" })).toMatchObject({ state: "INIT", reason: "oneWayReceived" });
    expect(neighborStep("INIT", { kind: "oneWayReceived" })).toEqual({ state: "INIT", actions: [] });
    expect(neighborStep("FULL", { kind: "helloReceived" })).toEqual({ state: "FULL", actions: ["armInactivity"] });
  });

  test("NBMA: Start takes DOWN to ATTEMPT with a hello; a hello then takes it to INIT", () => {
    expect(neighborStep("DOWN", { kind: "start" })).toEqual({
      state: "ATTEMPT",
      actions: ["sendHello", "armInactivity"],
      reason: "start",
    });
    expect(neighborStep("ATTEMPT", { kind: "helloReceived" }).state).toBe("INIT");
    expect(neighborStep("ATTEMPT", { kind: "inactivityTimer" }).state).toBe("DOWN");
  });

  test("every state change carries a reason; events that do not apply change nothing", () => {
    const event: fc.Arbitrary<NeighborEvent> = fc.oneof(
      fc.constant({ kind: "helloReceived" as const }),
      fc.constant({ kind: "start" as const }),
      fc.record({ kind: fc.constant("twoWayReceived" as const), adjacency: fc.boolean() }),
      fc.constant({ kind: "negotiationDone" as const }),
      fc.record({ kind: fc.constant("exchangeDone" as const), requestsPending: fc.boolean() }),
      fc.constant({ kind: "loadingDone" as const }),
      fc.record({ kind: fc.constant("adjOk" as const), adjacency: fc.boolean() }),
      fc.constant({ kind: "seqNumberMismatch" as const }),
      fc.constant({ kind: "oneWayReceived" as const }),
      fc.constant({ kind: "inactivityTimer" as const }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...NEIGHBOR_STATES), event, (s, e) => {
        const r = neighborStep(s, e);
        expect(r.reason !== undefined).toBe(r.state !== s);
      }),
    );
  });
});

describe("interface state machine", () => {
  test("InterfaceUp by network type and priority", () => {
    expect(interfaceStep("DOWN", { kind: "interfaceUp", networkType: "broadcast", priority: 1 })).toEqual({
      state: "WAITING",
      actions: ["startHellos", "armWaitTimer"],
      reason: "interfaceUp",
    });
    expect(interfaceStep("DOWN", { kind: "interfaceUp", networkType: "broadcast", priority: 0 }).state).toBe("DROTHER");
    expect(interfaceStep("DOWN", { kind: "interfaceUp", networkType: "pointToPoint", priority: 1 }).state).toBe(
      "POINT_TO_POINT",
    );
    expect(interfaceStep("DOWN", { kind: "interfaceUp", networkType: "pointToMultipoint", priority: 1 }).state).toBe(
      "POINT_TO_POINT",
    );
    expect(interfaceStep("DOWN", { kind: "interfaceUp", networkType: "loopback", priority: 1 }).state).toBe("LOOPBACK");
  });

  test("WAITING ends on the wait timer or BackupSeen with the election's role; NeighborChange re-elects", () => {
    expect(interfaceStep("WAITING", { kind: "waitTimer", role: "DR" }).state).toBe("DR");
    expect(interfaceStep("WAITING", { kind: "backupSeen", role: "DROTHER" }).state).toBe("DROTHER");
    expect(interfaceStep("WAITING", { kind: "neighborChange", role: "DR" }).state).toBe("WAITING");
    expect(interfaceStep("BDR", { kind: "neighborChange", role: "DR" })).toEqual({
      state: "DR",
      actions: [],
      reason: "neighborChange",
    });
    expect(interfaceStep("DR", { kind: "waitTimer", role: "BDR" }).state).toBe("DR");
  });

  test("InterfaceDown resets from any state", () => {
    for (const s of ["LOOPBACK", "WAITING", "POINT_TO_POINT", "DROTHER", "BDR", "DR"] as const)
      expect(interfaceStep(s, { kind: "interfaceDown" })).toEqual({
        state: "DOWN",
        actions: ["reset"],
        reason: "interfaceDown",
      });
  });
});

const A = 0x0a000001;
const B = 0x0a000002;
const C = 0x0a000003;
const cand = (address: number, priority: number, dr = 0, bdr = 0, routerId = address): DrCandidate => ({
  routerId,
  address,
  priority,
  dr,
  bdr,
});

/** Rounds of hellos: every router elects from the others' last declarations until nobody changes. */
function settle(routers: DrCandidate[]): { dr: number; bdr: number } {
  let rs = routers;
  for (let round = 0; round < 10; round++) {
    const next = rs.map((r) => ({
      ...r,
      ...electDr(
        r,
        rs.filter((o) => o !== r),
      ),
    }));
    if (next.every((r, i) => r.dr === rs[i]!.dr && r.bdr === rs[i]!.bdr)) {
      const views = new Set(next.map((r) => `${r.dr}/${r.bdr}`));
      if (views.size !== 1) throw new Error(`routers disagree: ${[...views]}`);
      return { dr: next[0]!.dr, bdr: next[0]!.bdr };
    }
    rs = next;
  }
  throw new Error("no fixed point in 10 rounds");
}

describe("DR election (9.4)", () => {
  test("a fresh segment: highest priority is DR, next is BDR; router ID breaks ties (after the hellos settle)", () => {
    expect(settle([cand(A, 1), cand(B, 1), cand(C, 1)])).toEqual({ dr: C, bdr: B });
    expect(settle([cand(A, 100), cand(B, 1), cand(C, 1)])).toEqual({ dr: A, bdr: C });
    expect(settle([cand(A, 1, 0, 0, 0x0b0b0b0b), cand(B, 1), cand(C, 1)])).toEqual({ dr: A, bdr: C });
    // The winner's own calculation gets there at once (step 4).
    expect(electDr(cand(C, 1), [cand(A, 1), cand(B, 1)])).toEqual({ dr: C, bdr: B });
  });

  test("alone on the segment when the wait timer fires: DR, no BDR", () => {
    expect(electDr(cand(A, 1), [])).toEqual({ dr: A, bdr: 0 });
  });

  test("non-preemptive: a hub with priority 255 arriving after a spoke became DR only becomes BDR", () => {
    const spoke = cand(A, 1, A, 0);
    const hub = cand(B, 255);
    expect(electDr(hub, [spoke])).toEqual({ dr: A, bdr: B });
    expect(electDr(spoke, [hub])).toEqual({ dr: A, bdr: B });
  });

  test("priority 0 is never elected, even alone", () => {
    expect(electDr(cand(A, 0), [cand(B, 0)])).toEqual({ dr: 0, bdr: 0 });
    expect(settle([cand(A, 0), cand(B, 1)])).toEqual({ dr: B, bdr: 0 });
  });

  test("the DR fails: the BDR takes over and a new BDR is elected", () => {
    // A was DR (gone), B was BDR; B and C remain, both declaring DR=A, BDR=B.
    expect(electDr(cand(B, 1, A, B), [cand(C, 1, A, B)])).toEqual({ dr: B, bdr: C });
    expect(settle([cand(B, 1, A, B), cand(C, 1, A, B)])).toEqual({ dr: B, bdr: C });
  });

  test("properties: elected routers are eligible, self is not both, priority 0 never wins, views settle", () => {
    const addrs = [A, B, C, 0x0a000004, 0x0a000005];
    const arb = fc.array(
      fc.record({
        priority: fc.integer({ min: 0, max: 3 }),
        dr: fc.constantFrom(0, ...addrs),
        bdr: fc.constantFrom(0, ...addrs),
      }),
      { minLength: 5, maxLength: 5 },
    );
    fc.assert(
      fc.property(arb, (rs) => {
        const cs = rs.map((r, i) => cand(addrs[i]!, r.priority, r.dr, r.bdr));
        const r = electDr(cs[0]!, cs.slice(1));
        const eligible = new Set(cs.filter((c) => c.priority > 0).map((c) => c.address));
        if (r.dr !== 0) expect(eligible.has(r.dr)).toBe(true);
        if (r.bdr !== 0) expect(eligible.has(r.bdr)).toBe(true);
        // Self is never both DR and BDR after step 4.
        if (r.dr === A) expect(r.bdr).not.toBe(A);
        if (eligible.size > 0) expect(r.dr).not.toBe(0);
        const s = settle(cs);
        if (eligible.size > 1) expect(s.bdr).not.toBe(s.dr);
      }),
      { numRuns: 500 },
    );
  });
});
