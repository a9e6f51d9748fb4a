// The OSPF neighbor state machine (RFC 2328 10.1-10.3) as a pure step
// function: (state, event) -> the next state, the actions the neighbor's
// owner carries out, and the reason from a closed set that IOS's
// %OSPF-5-ADJCHG names. States carry IOS's names (show ip ospf neighbor).
// Decisions the machine cannot make alone travel in the event: whether an
// adjacency should be formed with this neighbor (10.4), and whether the
// request list is empty when the exchange ends.

/** Neighbor states, as IOS prints them. */
export const NEIGHBOR_STATES = ["DOWN", "ATTEMPT", "INIT", "2WAY", "EXSTART", "EXCHANGE", "LOADING", "FULL"] as const;
export type NeighborState = (typeof NEIGHBOR_STATES)[number];

/** Why a neighbor changed state: the event of 10.2, with KillNbr/LLDown split by cause. */
export type NeighborReason =
  | "helloReceived"
  | "start"
  | "twoWayReceived"
  | "negotiationDone"
  | "exchangeDone"
  | "loadingDone"
  | "adjOk"
  | "seqNumberMismatch"
  | "badLsReq"
  | "oneWayReceived"
  | "deadTimerExpired"
  | "interfaceDown"
  | "adjacencyReset";

/** Neighbor events (10.2). */
export type NeighborEvent =
  | { kind: "helloReceived" }
  | { kind: "start" }
  /** `adjacency`: 10.4 says an adjacency should be formed (p2p, DR or BDR on either side). */
  | { kind: "twoWayReceived"; adjacency: boolean }
  | { kind: "negotiationDone" }
  /** `requestsPending`: the Link state request list is not empty. */
  | { kind: "exchangeDone"; requestsPending: boolean }
  | { kind: "loadingDone" }
  | { kind: "adjOk"; adjacency: boolean }
  | { kind: "seqNumberMismatch" }
  | { kind: "badLsReq" }
  | { kind: "oneWayReceived" }
  | { kind: "inactivityTimer" }
  | { kind: "killNbr"; cause: "interfaceDown" | "adjacencyReset" }
  | { kind: "llDown" };

/** What the owner does on a transition (10.3's actions, named). */
export type NeighborAction =
  /** Send a hello to the neighbor now (NBMA Start). */
  | "sendHello"
  /** (Re)start the inactivity (dead) timer. */
  | "armInactivity"
  | "cancelInactivity"
  /** ExStart: bump the DD sequence number, claim master, send an empty DBD with I, M and MS set, retransmit it. */
  | "beginExStart"
  /** Exchange: list the database summary and describe it in DBDs. */
  | "beginExchange"
  /** Clear the retransmission, database summary and request lists. */
  | "clearLists";

/** The outcome of one event. `reason` is set when the state changed. */
export interface NeighborStep {
  state: NeighborState;
  actions: NeighborAction[];
  reason?: NeighborReason;
}

const rank = (s: NeighborState): number => NEIGHBOR_STATES.indexOf(s);

/** Applies one event to a neighbor in `state`. Events that do not apply in a state change nothing. */
export function neighborStep(state: NeighborState, e: NeighborEvent): NeighborStep {
  const stay: NeighborStep = { state, actions: [] };
  const go = (next: NeighborState, reason: NeighborReason, actions: NeighborAction[]): NeighborStep =>
    next === state ? { state, actions } : { state: next, actions, reason };
  switch (e.kind) {
    case "start":
      return state === "DOWN" ? go("ATTEMPT", "start", ["sendHello", "armInactivity"]) : stay;
    case "helloReceived":
      if (state === "DOWN" || state === "ATTEMPT") return go("INIT", "helloReceived", ["armInactivity"]);
      return { state, actions: ["armInactivity"] };
    case "twoWayReceived":
      if (state !== "INIT") return stay;
      return e.adjacency ? go("EXSTART", "twoWayReceived", ["beginExStart"]) : go("2WAY", "twoWayReceived", []);
    case "negotiationDone":
      return state === "EXSTART" ? go("EXCHANGE", "negotiationDone", ["beginExchange"]) : stay;
    case "exchangeDone":
      if (state !== "EXCHANGE") return stay;
      return e.requestsPending ? go("LOADING", "exchangeDone", []) : go("FULL", "exchangeDone", []);
    case "loadingDone":
      return state === "LOADING" ? go("FULL", "loadingDone", []) : stay;
    case "adjOk":
      if (state === "2WAY" && e.adjacency) return go("EXSTART", "adjOk", ["beginExStart"]);
      if (rank(state) >= rank("EXSTART") && !e.adjacency) return go("2WAY", "adjOk", ["clearLists"]);
      return stay;
    case "seqNumberMismatch":
    case "badLsReq":
      if (rank(state) < rank("EXCHANGE")) return stay;
      return go("EXSTART", e.kind, ["clearLists", "beginExStart"]);
    case "oneWayReceived":
      return rank(state) >= rank("2WAY") ? go("INIT", "oneWayReceived", ["clearLists"]) : stay;
    case "inactivityTimer":
      return go("DOWN", "deadTimerExpired", ["clearLists"]);
    case "killNbr":
      return go("DOWN", e.cause, ["clearLists", "cancelInactivity"]);
    case "llDown":
      return go("DOWN", "interfaceDown", ["clearLists", "cancelInactivity"]);
  }
}

/** True once the neighbor is at least two-way (it takes part in DR election and is listed in hellos). */
export function isTwoWay(s: NeighborState): boolean {
  return rank(s) >= rank("2WAY");
}

/** True from ExStart on: an adjacency is forming or formed. */
export function isAdjacent(s: NeighborState): boolean {
  return rank(s) >= rank("EXSTART");
}
