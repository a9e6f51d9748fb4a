// What an OSPF process reports: typed facts with reasons from closed sets.
// The IOS layer (src/config/ospf) renders them as %OSPF syslog and debug
// lines; nothing here is IOS text.

import type { InterfaceReason, InterfaceState } from "./interface-state.ts";
import type { NeighborReason, NeighborState } from "./neighbor-state.ts";

/** Why a received packet was not accepted. */
export type OspfRejectReason =
  | "malformed"
  | "areaMismatch"
  | "authTypeMismatch"
  | "authKeyMismatch"
  | "helloIntervalMismatch"
  | "deadIntervalMismatch"
  | "networkMaskMismatch"
  | "stubFlagMismatch"
  | "nssaFlagMismatch"
  | "duplicateRouterId"
  | "mtuMismatch"
  | "secondPointToPointNeighbor";

export type OspfEvent =
  | {
      kind: "neighborState";
      processId: number;
      neighborId: number;
      address: number;
      ifc: string;
      from: NeighborState;
      to: NeighborState;
      reason: NeighborReason;
    }
  | {
      kind: "interfaceState";
      processId: number;
      ifc: string;
      from: InterfaceState;
      to: InterfaceState;
      reason: InterfaceReason;
    }
  | {
      kind: "packetRejected";
      processId: number;
      ifc: string;
      source: number;
      reason: OspfRejectReason;
      /** Ours and theirs, where the reason compares values (intervals, masks, MTUs). */
      ours?: number;
      theirs?: number;
    }
  | { kind: "noRouterId"; processId: number }
  | { kind: "spfRun"; processId: number; areas: number; routes: number };
