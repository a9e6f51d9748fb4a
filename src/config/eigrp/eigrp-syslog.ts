// The IOS wording of EIGRP events, as IOS 15 logs them:
//   %DUAL-5-NBRCHANGE: EIGRP-IPv4 1: Neighbor 10.0.0.2 (Serial0/0) is up: new adjacency
//   %DUAL-5-NBRCHANGE: EIGRP-IPv4 1: Neighbor 10.0.0.2 (Serial0/0) is down: holding time expired
//   %DUAL-6-NBRINFO: EIGRP-IPv4 1: Neighbor 10.0.0.9 (Ethernet0/0) is blocked: not on common subnet (10.0.0.1/24)
// DUAL's passive/active transitions print nothing (they belong to debug eigrp fsm).

import type { EigrpDownReason, EigrpEvent } from "../../protocols/eigrp/events.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";

const DOWN_TEXT: Readonly<Record<EigrpDownReason, string | null>> = {
  holdTimeExpired: "holding time expired",
  retryLimitExceeded: "retry limit exceeded",
  interfaceDown: "interface down",
  peerTermination: "Interface PEER-TERMINATION received",
  peerRestarted: "peer restarted",
  kValueMismatch: "K-value mismatch",
  stuckInActive: "stuck in active",
  interfacePassive: "interface passive",
  manuallyCleared: "manually cleared",
  // `no router eigrp`: the process goes without a word per neighbour.
  processStopped: null,
};

/** The syslog line of an event, or null when IOS logs nothing for it. */
export function eigrpEventText(e: EigrpEvent, device?: RouterDevice): string | null {
  switch (e.kind) {
    case "neighborUp":
      return `%DUAL-5-NBRCHANGE: EIGRP-IPv4 ${e.as}: Neighbor ${formatIpv4Address(e.address)} (${e.interface}) is up: new adjacency`;
    case "neighborDown": {
      const why = DOWN_TEXT[e.reason];
      return why === null
        ? null
        : `%DUAL-5-NBRCHANGE: EIGRP-IPv4 ${e.as}: Neighbor ${formatIpv4Address(e.address)} (${e.interface}) is down: ${why}`;
    }
    case "neighborBlocked": {
      if (e.reason === "kValueMismatch")
        return `%DUAL-5-NBRCHANGE: EIGRP-IPv4 ${e.as}: Neighbor ${formatIpv4Address(e.address)} (${e.interface}) is down: K-value mismatch`;
      const a = device?.stack.interface(e.interface)?.config.address;
      const own = a === undefined ? "" : ` (${formatIpv4Address(a.address)}/${a.length})`;
      return `%DUAL-6-NBRINFO: EIGRP-IPv4 ${e.as}: Neighbor ${formatIpv4Address(e.address)} (${e.interface}) is blocked: not on common subnet${own}`;
    }
    default:
      return null;
  }
}

/** The renderer `router eigrp N` gives its process: events to the device's log. */
export function eigrpRenderer(device: RouterDevice): (e: EigrpEvent) => void {
  return (e) => {
    const text = eigrpEventText(e, device);
    if (text !== null) device.log(text);
  };
}
