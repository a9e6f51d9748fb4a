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
  /** A database description packet went to a neighbor (first send; retransmissions are not reported). */
  | {
      kind: "dbdSent";
      processId: number;
      ifc: string;
      neighborId: number;
      sequence: number;
      options: number;
      flags: number;
      /** The OSPF packet length field (header and body, no MD5 digest). */
      length: number;
    }
  /** A database description packet from a known neighbor, before it is checked; `state` is the neighbor's then. */
  | {
      kind: "dbdReceived";
      processId: number;
      ifc: string;
      neighborId: number;
      sequence: number;
      options: number;
      flags: number;
      length: number;
      mtu: number;
      state: NeighborState;
    }
  /** ExStart ended: who is master of the exchange (10.6, just before NegotiationDone). */
  | { kind: "dbdNegotiated"; processId: number; ifc: string; neighborId: number; master: boolean }
  /** A link state request went to a neighbor (first send of a batch). */
  | { kind: "lsrSent"; processId: number; ifc: string; neighborId: number; length: number; count: number }
  /** A hello went out an interface to `destination`. */
  | { kind: "helloSent"; processId: number; ifc: string; area: number; destination: number; source: number }
  /** A hello passed the area and authentication checks (parameters are checked after). */
  | { kind: "helloReceived"; processId: number; ifc: string; area: number; routerId: number; source: number }
  /** A hello whose hello or dead interval differs from ours (dropped, also reported as packetRejected). */
  | {
      kind: "helloTimersMismatch";
      processId: number;
      ifc: string;
      source: number;
      deadReceived: number;
      deadConfigured: number;
      helloReceived: number;
      helloConfigured: number;
    }
  | { kind: "noRouterId"; processId: number }
  | { kind: "spfRun"; processId: number; areas: number; routes: number };
