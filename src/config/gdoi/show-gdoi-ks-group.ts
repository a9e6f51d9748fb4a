// The key server's block of `show crypto gdoi` and `show crypto gdoi group
// NAME`, in seed 002's layout (R4, the key server of GDOI-GROUP):
//     Group Name               : GDOI-GROUP (Unicast)
//     Group Identity           : 777
//     Group Members            : 2
//     IPSec SA Direction       : Both
//     Active Group Server      : Local
//     Group Rekey Lifetime     : 86400 secs
//     Group Rekey
//         Remaining Lifetime   : 84481 secs
//     Rekey Retransmit Period  : 10 secs
//     Rekey Retransmit Attempts: 3
//       IPSec SA Number        : 1
//       IPSec SA Rekey Lifetime: 3600 secs
//       Replay method          : Count Based
//       Replay Window Size     : 64
//       SA Rekey
//          Remaining Lifetime  : 1682 secs
//       ACL Configured         : access-list CRYPTO-ACL
// (a multicast group's destination follows the transport). The values are the
// running key server's: members, the KEK's and newest TEKs' lifetimes left.

import { DEFAULT_KEK_LIFETIME_SEC, type KeyServerConfig } from "../../protocols/gdoi/gdoi-config.ts";
import { type KsGroup, rekeyConfigured } from "../../protocols/gdoi/key-server.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { gdoiProtocolOf } from "./gdoi-store.ts";

const SEC = 1_000_000_000;
const DEFAULT_RETRANSMIT = { periodSec: 10, count: 2 };

/** The key server lines of one group (after Group Identity's header lines). */
export function ksGroupLines(device: RouterDevice, g: KsGroup, c: KeyServerConfig, direction: string): string[] {
  const ks = gdoiProtocolOf(device)?.keyServer;
  const multicast = ks?.multicastAddress(c) ?? null;
  const lines = [
    `    Group Members            : ${g.members.size}`,
    `    IPSec SA Direction       : ${direction}`,
    "    Active Group Server      : Local",
  ];
  if (multicast !== null) lines.push(`    Multicast Destination    : ${formatIpv4Address(multicast.group)}`);
  if (rekeyConfigured(c)) {
    const life = c.rekeyLifetimeSec ?? DEFAULT_KEK_LIFETIME_SEC;
    const left = g.kek === null ? life : Math.max(0, life - Math.floor((device.now() - g.kek.createdAt) / SEC));
    const r = c.rekeyRetransmit ?? DEFAULT_RETRANSMIT;
    lines.push(
      `    Group Rekey Lifetime     : ${life} secs`,
      "    Group Rekey",
      `        Remaining Lifetime   : ${left} secs`,
      `    Rekey Retransmit Period  : ${r.periodSec} secs`,
      `    Rekey Retransmit Attempts: ${r.count}`,
    );
  }
  const newest = new Map<number, KsGroup["teks"][number]>();
  for (const t of g.teks) newest.set(t.saNumber, t);
  for (const sa of [...c.sas.values()].sort((a, b) => a.number - b.number)) {
    const t = newest.get(sa.number);
    lines.push("", `      IPSec SA Number        : ${sa.number}`);
    if (t !== undefined) lines.push(`      IPSec SA Rekey Lifetime: ${t.lifetimeSec} secs`);
    if (sa.profile !== undefined) lines.push(`      Profile Name           : ${sa.profile}`);
    if (sa.replay !== undefined)
      lines.push(
        `      Replay method          : ${sa.replay.kind === "time" ? "Time Based" : "Count Based"}`,
        `      Replay Window Size     : ${sa.replay.window}`,
      );
    if (t !== undefined && ks !== undefined)
      lines.push("      SA Rekey", `         Remaining Lifetime  : ${ks.remainingSec(t)} secs`);
    if (sa.matchAcl !== undefined) lines.push(`      ACL Configured         : access-list ${sa.matchAcl}`);
  }
  return lines;
}
