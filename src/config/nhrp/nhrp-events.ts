// IOS's syslog lines for NHRP events:
//   %DMVPN-5-NHRP_NHS_UP: Tunnel0: Next Hop Server : (Tunnel: 10.1.1.5 NBMA: 169.254.100.5) for (Tunnel: 10.1.1.1 NBMA: 169.254.100.1) is UP
//   %DMVPN-5-NHRP_NHC_UP: Tunnel0: Next Hop Client : (Tunnel: 10.1.1.1 NBMA: 169.254.100.1) for (Tunnel: 10.1.1.5 NBMA: 169.254.100.5) is UP
//   %DMVPN-5-NHRP_NHP_UP: Tunnel0: Next Hop Peer : (Tunnel: 10.1.1.2 NBMA: 169.254.100.2) for (Tunnel: 10.1.1.1 NBMA: 169.254.100.1) is UP

import type { NhrpEndpoint, NhrpEvent } from "../../protocols/nhrp/events.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";

const pair = (e: NhrpEndpoint) => `(Tunnel: ${formatIpv4Address(e.protocol)} NBMA: ${formatIpv4Address(e.nbma)})`;

/** The syslog line of one event. */
export function nhrpEventText(e: NhrpEvent): string {
  const name = e.ifc.name;
  switch (e.kind) {
    case "nhsUp":
    case "nhsDown": {
      const tail = e.kind === "nhsUp" ? "is UP" : "is DOWN, Reason: No Response(NHRP: no error)";
      const tag = e.kind === "nhsUp" ? "NHRP_NHS_UP" : "NHRP_NHS_DOWN";
      return `%DMVPN-5-${tag}: ${name}: Next Hop Server : ${pair(e.server)} for ${pair(e.local)} ${tail}`;
    }
    case "nhcUp":
    case "nhcDown":
      return `%DMVPN-5-NHRP_NHC_${e.kind === "nhcUp" ? "UP" : "DOWN"}: ${name}: Next Hop Client : ${pair(e.client)} for ${pair(e.local)} is ${e.kind === "nhcUp" ? "UP" : "DOWN"}`;
    case "nhpUp":
    case "nhpDown":
      return `%DMVPN-5-NHRP_NHP_${e.kind === "nhpUp" ? "UP" : "DOWN"}: ${name}: Next Hop Peer : ${pair(e.peer)} for ${pair(e.local)} is ${e.kind === "nhpUp" ? "UP" : "DOWN"}`;
  }
}

/** The renderer the router hands the process when it starts it. */
export function nhrpRenderer(device: RouterDevice): (e: NhrpEvent) => void {
  return (e) => device.log(nhrpEventText(e));
}
