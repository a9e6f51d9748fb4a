// The IOS wording of OSPF events as `debug ip ospf adj` and `debug ip ospf
// hello` print them (`debug ip ospf events`, its own switch, prints both), in IOS 15's style:
// a "OSPF-<pid> ADJ   <short interface>:" or "OSPF-<pid> HELLO <short
// interface>:" prefix, e.g.
//   OSPF-1 ADJ   Gi0/0: 2 Way Communication to 2.2.2.2, state 2WAY
//   OSPF-1 ADJ   Gi0/0: Nbr 2.2.2.2: Prepare dbase exchange
//   OSPF-1 ADJ   Gi0/0: Send DBD to 2.2.2.2 seq 0x2137 opt 0x2 flag 0x7 len 32
//   OSPF-1 ADJ   Gi0/0: Rcv DBD from 2.2.2.2 seq 0x4E8 opt 0x2 flag 0x7 len 32  mtu 1500 state EXSTART
//   OSPF-1 ADJ   Gi0/0: NBR Negotiation Done. We are the MASTER
//   OSPF-1 ADJ   Gi0/0: Exchange Done with 2.2.2.2
//   OSPF-1 ADJ   Gi0/0: Send LS REQ to 2.2.2.2 length 36 LSA count 1
//   OSPF-1 ADJ   Gi0/0: Synchronized with 2.2.2.2, state FULL
//   OSPF-1 HELLO Gi0/0: Send hello to 224.0.0.5 area 0 from 10.0.12.1
//   OSPF-1 HELLO Gi0/0: Rcv hello from 2.2.2.2 area 0 10.0.12.2
//   OSPF-1 HELLO Gi0/0: Mismatched hello parameters from 10.0.12.2
//   OSPF-1 HELLO Gi0/0: Dead R 40 C 120, Hello R 10 C 30
// Sources: IOS 15 `debug ip ospf adj` captures published at
// networkers.wikidot.com/adjacency-formation and
// dariashantalova.github.io/2023/08/06/ospf-neighbor-states.html; the HELLO
// lines are IOS 15's form of the 12.x `debug ip ospf events` capture "OSPF:
// Send hello to 224.0.0.5 area 0 on Serial0/1/0 from 10.0.0.1 / Rcv hello
// from … / Mismatched hello parameters from 10.0.0.2 / Dead R 40 C 40, Hello
// R 10 C 20" (questionai.com, the Houston/Dallas question). The options
// byte is the one this router really sends (E or N/P), not IOS's 0x52 with
// the O and L bits it does not implement.

import type { OspfEvent } from "../../protocols/ospf/events.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import { shortInterfaceName } from "../cli/interface-name.ts";

const ip = formatIpv4Address;
const hex = (n: number): string => `0x${(n >>> 0).toString(16).toUpperCase()}`;

/** Which `debug ip ospf` switch a line belongs to. */
export type OspfDebugCategory = "adj" | "hello";

/** The debug lines of one event (one per IOS line, each stamped), empty when IOS prints none for it. */
export function ospfDebugLines(e: OspfEvent): { category: OspfDebugCategory; text: string }[] {
  if (!("ifc" in e)) return [];
  const adj = (text: string) => ({
    category: "adj" as const,
    text: `OSPF-${e.processId} ADJ   ${short(e.ifc)}: ${text}`,
  });
  const hello = (text: string) => ({
    category: "hello" as const,
    text: `OSPF-${e.processId} HELLO ${short(e.ifc)}: ${text}`,
  });
  switch (e.kind) {
    case "neighborState": {
      const nbr = ip(e.neighborId);
      const lines: { category: OspfDebugCategory; text: string }[] = [];
      // IOS names the 2WAY state even when the adjacency moves straight on to EXSTART.
      if (e.reason === "twoWayReceived") lines.push(adj(`2 Way Communication to ${nbr}, state 2WAY`));
      if (e.to === "EXSTART") lines.push(adj(`Nbr ${nbr}: Prepare dbase exchange`));
      if (e.reason === "exchangeDone") lines.push(adj(`Exchange Done with ${nbr}`));
      if (e.to === "FULL") lines.push(adj(`Synchronized with ${nbr}, state FULL`));
      return lines;
    }
    case "dbdSent":
      return [
        adj(
          `Send DBD to ${ip(e.neighborId)} seq ${hex(e.sequence)} opt ${hex(e.options)} flag ${hex(e.flags)} len ${e.length}`,
        ),
      ];
    case "dbdReceived":
      return [
        adj(
          `Rcv DBD from ${ip(e.neighborId)} seq ${hex(e.sequence)} opt ${hex(e.options)} flag ${hex(e.flags)} len ${e.length}  mtu ${e.mtu} state ${e.state}`,
        ),
      ];
    case "dbdNegotiated":
      return [adj(`NBR Negotiation Done. We are the ${e.master ? "MASTER" : "SLAVE"}`)];
    case "lsrSent":
      return [adj(`Send LS REQ to ${ip(e.neighborId)} length ${e.length} LSA count ${e.count}`)];
    case "helloSent":
      return [hello(`Send hello to ${ip(e.destination)} area ${e.area} from ${ip(e.source)}`)];
    case "helloReceived":
      return [hello(`Rcv hello from ${ip(e.routerId)} area ${e.area} ${ip(e.source)}`)];
    case "helloTimersMismatch":
      return [
        hello(`Mismatched hello parameters from ${ip(e.source)}`),
        hello(`Dead R ${e.deadReceived} C ${e.deadConfigured}, Hello R ${e.helloReceived} C ${e.helloConfigured}`),
      ];
    default:
      return [];
  }
}

function short(ifc: string): string {
  return shortInterfaceName(ifc) ?? ifc;
}
