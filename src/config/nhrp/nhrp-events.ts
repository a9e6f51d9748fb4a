// IOS's syslog lines for NHRP events:
//   %DMVPN-5-NHRP_NHS_UP: Tunnel0: Next Hop Server : (Tunnel: 10.1.1.5 NBMA: 169.254.100.5) for (Tunnel: 10.1.1.1 NBMA: 169.254.100.1) is UP
//   %DMVPN-5-NHRP_NHC_UP: Tunnel0: Next Hop Client : (Tunnel: 10.1.1.1 NBMA: 169.254.100.1) for (Tunnel: 10.1.1.5 NBMA: 169.254.100.5) is UP
//   %DMVPN-5-NHRP_NHP_UP: Tunnel0: Next Hop Peer : (Tunnel: 10.1.1.2 NBMA: 169.254.100.2) for (Tunnel: 10.1.1.1 NBMA: 169.254.100.1) is UP
// and, while `debug nhrp` is on, a line per packet:
//   NHRP: Send Registration Request via Tunnel0 vrf 0, packet size: 88
//    src: 10.1.1.1, dst: 10.1.1.5
//   NHRP: Receive Registration Reply via Tunnel0 vrf 0, packet size: 108

import type { NhrpEndpoint, NhrpEvent } from "../../protocols/nhrp/events.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import { NHRP_TYPE } from "../../wire/nhrp.ts";
import type { RouterDevice } from "../router/router-device.ts";

const pair = (e: NhrpEndpoint) => `(Tunnel: ${formatIpv4Address(e.protocol)} NBMA: ${formatIpv4Address(e.nbma)})`;

/** IOS's names of the packet types in debug lines. */
const TYPE_WORDS: Readonly<Record<number, string>> = {
  [NHRP_TYPE.resolutionRequest]: "Resolution Request",
  [NHRP_TYPE.resolutionReply]: "Resolution Reply",
  [NHRP_TYPE.registrationRequest]: "Registration Request",
  [NHRP_TYPE.registrationReply]: "Registration Reply",
  [NHRP_TYPE.purgeRequest]: "Purge Request",
  [NHRP_TYPE.purgeReply]: "Purge Reply",
  [NHRP_TYPE.errorIndication]: "Error Indication",
  [NHRP_TYPE.trafficIndication]: "Traffic Indication",
};

/** The `debug nhrp` lines of a packet event. */
export function nhrpPacketDebugText(e: Extract<NhrpEvent, { kind: "packet" }>): string {
  const what = TYPE_WORDS[e.type] ?? `type ${e.type}`;
  const verb = e.direction === "sent" ? "Send" : "Receive";
  const head = `NHRP: ${verb} ${what} via ${e.ifc.name} vrf 0, packet size: ${e.size}`;
  if (e.src === null || e.dst === null) return head;
  return `${head}\n src: ${formatIpv4Address(e.src)}, dst: ${formatIpv4Address(e.dst)}`;
}

/** The syslog line of one event (packets have none: they are debug lines). */
export function nhrpEventText(e: NhrpEvent): string | null {
  const name = e.ifc.name;
  switch (e.kind) {
    case "packet":
      return null;
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

/** The renderer the router hands the process when it starts it: syslog, and debug lines while `debug nhrp` is on. */
export function nhrpRenderer(device: RouterDevice): (e: NhrpEvent) => void {
  return (e) => {
    if (e.kind === "packet") {
      if (device.debug.nhrp) device.debugLine("nhrp", () => nhrpPacketDebugText(e));
      return;
    }
    const text = nhrpEventText(e);
    if (text !== null) device.log(text);
  };
}
