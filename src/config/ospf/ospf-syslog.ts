// The IOS wording of OSPF events: %OSPF-5-ADJCHG for neighbor state changes
// (with `log-adjacency-changes`, IOS's default, only reaching FULL and going
// DOWN; every change with `detail`), %OSPF-4-DUP_RTRID_NBR and
// %OSPF-4-NORTRID. Other events (hello mismatches, MTU) are debug-level on
// IOS and print nothing here.

import type { OspfEvent } from "../../protocols/ospf/events.ts";
import type { NeighborReason } from "../../protocols/ospf/neighbor-state.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { ospfDebugLines } from "./ospf-debug.ts";
import { ospfState } from "./ospf-store.ts";

/** IOS's words for each reason. */
export const NEIGHBOR_REASON_TEXT: Readonly<Record<NeighborReason, string>> = {
  helloReceived: "Received Hello",
  start: "Start",
  twoWayReceived: "2-Way Received",
  negotiationDone: "Negotiation Done",
  exchangeDone: "Exchange Done",
  loadingDone: "Loading Done",
  adjOk: "AdjOK?",
  seqNumberMismatch: "SeqNumberMismatch",
  badLsReq: "BadLSReq",
  oneWayReceived: "1-Way",
  deadTimerExpired: "Neighbor Down: Dead timer expired",
  interfaceDown: "Neighbor Down: Interface down or detached",
  adjacencyReset: "Neighbor Down: Adjacency forced to reset",
};

/** The syslog line of an event, or null when IOS logs nothing for it. */
export function ospfEventText(e: OspfEvent, logAdjacency: "on" | "detail" | "off"): string | null {
  switch (e.kind) {
    case "neighborState": {
      // A configured neighbor never heard from has no router ID to name.
      if (logAdjacency === "off" || e.neighborId === 0) return null;
      if (logAdjacency === "on" && e.to !== "FULL" && !(e.to === "DOWN" && e.from !== "DOWN")) return null;
      return `%OSPF-5-ADJCHG: Process ${e.processId}, Nbr ${formatIpv4Address(e.neighborId)} on ${e.ifc} from ${e.from} to ${e.to}, ${NEIGHBOR_REASON_TEXT[e.reason]}`;
    }
    case "packetRejected":
      if (e.reason === "duplicateRouterId")
        return `%OSPF-4-DUP_RTRID_NBR: OSPF detected duplicate router-id ${formatIpv4Address(e.theirs ?? 0)} from ${formatIpv4Address(e.source)} on interface ${e.ifc}`;
      return null;
    case "noRouterId":
      return `%OSPF-4-NORTRID: OSPF process ${e.processId} failed to allocate unique router-id and cannot start`;
    default:
      return null;
  }
}

/** The renderer the router gives a process: events to the device's log, and to debug while `debug ip ospf …` is on. */
export function ospfRenderer(device: RouterDevice, processId: number): (e: OspfEvent) => void {
  return (e) => {
    if (device.debug.ospfAdj || device.debug.ospfHello || device.debug.ospfEvents)
      for (const l of ospfDebugLines(e))
        device.debugLine(l.category === "adj" ? "ospf-adj" : "ospf-hello", () => l.text);
    const mode = ospfState(device).processes.get(processId)?.logAdjacency ?? "on";
    const text = ospfEventText(e, mode);
    if (text !== null) device.log(text);
  };
}
