// `crypto gdoi group` blocks as IOS prints them in the running config (seed
// 003's KS1 and CE1), one block per group, in configuration order:
//   crypto gdoi group GDOI-GROUP1
//    identity number 1234
//    server local
//     rekey algorithm aes 128
//     rekey authentication mypubkey rsa MYRSAKEY
//     rekey transport unicast
//     authorization address ipv4 10
//     sa ipsec 1
//      profile profile1
//      match address ipv4 getvpn-acl
//      replay time window-size 5
//     address ipv4 192.168.111.111
//     redundancy
//      local priority 100
//      peer address ipv4 192.168.222.222

import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { coopRunningConfigLines } from "./coop-commands.ts";
import { gdoiConfig } from "./gdoi-store.ts";

/** The running-config blocks of the router's GDOI groups. */
export function gdoiRunningConfigBlocks(device: RouterDevice): string[][] {
  const blocks: string[][] = [];
  for (const g of gdoiConfig(device).groups.values()) {
    const lines = [`crypto gdoi group ${g.name}`];
    if (g.identity !== undefined) lines.push(` identity number ${g.identity}`);
    for (const s of g.servers) lines.push(` server address ipv4 ${formatIpv4Address(s)}`);
    if (g.passive === true) lines.push(" passive");
    const s = g.server;
    if (s !== null) {
      lines.push(" server local");
      if (s.rekeyAddressAcl !== undefined) lines.push(`  rekey address ipv4 ${s.rekeyAddressAcl}`);
      if (s.rekeyAlgorithm !== undefined) lines.push(`  rekey algorithm ${s.rekeyAlgorithm}`);
      if (s.rekeyLifetimeSec !== undefined) lines.push(`  rekey lifetime seconds ${s.rekeyLifetimeSec}`);
      if (s.rekeyRetransmit !== undefined)
        lines.push(`  rekey retransmit ${s.rekeyRetransmit.periodSec} number ${s.rekeyRetransmit.count}`);
      if (s.rekeyAuthenticationKey !== undefined)
        lines.push(`  rekey authentication mypubkey rsa ${s.rekeyAuthenticationKey}`);
      if (s.rekeyUnicast) lines.push("  rekey transport unicast");
      if (s.authorizationAcl !== undefined) lines.push(`  authorization address ipv4 ${s.authorizationAcl}`);
      for (const sa of [...s.sas.values()].sort((a, b) => a.number - b.number)) {
        lines.push(`  sa ipsec ${sa.number}`);
        if (sa.profile !== undefined) lines.push(`   profile ${sa.profile}`);
        if (sa.matchAcl !== undefined) lines.push(`   match address ipv4 ${sa.matchAcl}`);
        if (sa.replay !== undefined) lines.push(`   replay ${sa.replay.kind} window-size ${sa.replay.window}`);
      }
      if (s.receiveOnly === true) lines.push("  sa receive-only");
      if (s.address !== undefined)
        lines.push(`  address ipv4 ${s.address.kind === "ip" ? formatIpv4Address(s.address.ip) : s.address.name}`);
      lines.push(...coopRunningConfigLines(s.redundancy));
    }
    blocks.push(lines);
  }
  return blocks;
}
