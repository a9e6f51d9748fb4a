// The OSPF interface state machine (RFC 2328 9.1-9.3) as a pure step
// function: (state, event) -> next state, actions, and a reason from a closed
// set. States carry IOS's names (show ip ospf interface). The DR election
// itself is dr-election.ts; events that run it carry the role it gave this
// router, so the step stays a function of its inputs.

import type { OspfNetworkType } from "./network-type.ts";

/** Interface states as IOS prints them. */
export const INTERFACE_STATES = ["DOWN", "LOOPBACK", "WAITING", "POINT_TO_POINT", "DROTHER", "BDR", "DR"] as const;
export type InterfaceState = (typeof INTERFACE_STATES)[number];

/** This router's role on a segment after an election. */
export type ElectedRole = "DR" | "BDR" | "DROTHER";

/** Interface events (9.2); the election's outcome rides on the events that run it. */
export type InterfaceFsmEvent =
  | { kind: "interfaceUp"; networkType: OspfNetworkType; priority: number }
  | { kind: "waitTimer"; role: ElectedRole }
  | { kind: "backupSeen"; role: ElectedRole }
  | { kind: "neighborChange"; role: ElectedRole }
  | { kind: "interfaceDown" }
  | { kind: "loopInd" }
  | { kind: "unloopInd" };

export type InterfaceReason = InterfaceFsmEvent["kind"];

export type InterfaceAction =
  /** Start sending hellos (and, on NBMA, Start to eligible neighbors). */
  | "startHellos"
  | "armWaitTimer"
  /** Stop hellos and timers, KillNbr every neighbor, forget DR/BDR. */
  | "reset";

export interface InterfaceStep {
  state: InterfaceState;
  actions: InterfaceAction[];
  reason?: InterfaceReason;
}

const ELECTED: Readonly<Record<ElectedRole, InterfaceState>> = { DR: "DR", BDR: "BDR", DROTHER: "DROTHER" };

/** Applies one event to an interface in `state`. */
export function interfaceStep(state: InterfaceState, e: InterfaceFsmEvent): InterfaceStep {
  const go = (next: InterfaceState, actions: InterfaceAction[]): InterfaceStep =>
    next === state ? { state, actions } : { state: next, actions, reason: e.kind };
  const stay: InterfaceStep = { state, actions: [] };
  switch (e.kind) {
    case "interfaceUp":
      if (state !== "DOWN") return stay;
      if (e.networkType === "loopback") return go("LOOPBACK", []);
      if (e.networkType === "pointToPoint" || e.networkType === "pointToMultipoint")
        return go("POINT_TO_POINT", ["startHellos"]);
      if (e.priority === 0) return go("DROTHER", ["startHellos"]);
      return go("WAITING", ["startHellos", "armWaitTimer"]);
    case "waitTimer":
    case "backupSeen":
      return state === "WAITING" ? go(ELECTED[e.role], []) : stay;
    case "neighborChange":
      return state === "DROTHER" || state === "BDR" || state === "DR" ? go(ELECTED[e.role], []) : stay;
    case "interfaceDown":
      return state === "DOWN" ? stay : go("DOWN", ["reset"]);
    case "loopInd":
      return state === "LOOPBACK" ? stay : go("LOOPBACK", ["reset"]);
    case "unloopInd":
      return state === "LOOPBACK" ? go("DOWN", []) : stay;
  }
}
