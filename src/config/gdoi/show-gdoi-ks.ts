// `show crypto gdoi ks acl` and `show crypto gdoi ks rekey` in IOS's layout:
// per key server group, the ACL each `sa ipsec` is configured with (what the
// members download), and the rekey state: rekeys sent and retransmitted, the
// KEK's lifetime and what is left of it, the retransmit policy, and each TEK's
// lifetime and remaining time on the virtual clock.

import { DEFAULT_KEK_LIFETIME_SEC } from "../../protocols/gdoi/gdoi-config.ts";
import { groupAceFrom } from "../../protocols/gdoi/group-policy.ts";
import { rekeyConfigured } from "../../protocols/gdoi/key-server.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { gdoiConfig, gdoiProtocolOf } from "./gdoi-store.ts";
import { groupAceText } from "./show-gdoi.ts";

const SEC = 1_000_000_000;
/** IOS's default `rekey retransmit` (10 s, 2 times). */
const DEFAULT_RETRANSMIT = { periodSec: 10, count: 2 };

/** `show crypto gdoi ks acl`. */
export function renderShowCryptoGdoiKsAcl(device: RouterDevice): string {
  const ks = gdoiProtocolOf(device)?.keyServer;
  const out: string[] = [];
  for (const g of ks?.groups.values() ?? []) {
    const c = gdoiConfig(device).groups.get(g.name)?.server;
    if (c === undefined || c === null) continue;
    out.push(`Group Name: ${g.name}`, " Configured ACL:");
    for (const sa of [...c.sas.values()].sort((a, b) => a.number - b.number)) {
      if (sa.matchAcl === undefined) continue;
      for (const e of device.acls.get(sa.matchAcl)?.entries ?? [])
        out.push(`   ${groupAceText(groupAceFrom(e, 0)).replace("access-list   ", `access-list   ${sa.matchAcl} `)}`);
    }
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

/** `show crypto gdoi ks rekey`. */
export function renderShowCryptoGdoiKsRekey(device: RouterDevice): string {
  const ks = gdoiProtocolOf(device)?.keyServer;
  const now = device.now();
  const out: string[] = [];
  for (const g of ks?.groups.values() ?? []) {
    const c = gdoiConfig(device).groups.get(g.name)?.server;
    if (c === undefined || c === null) continue;
    const pad = (label: string) => `    ${label.padEnd(36)}: `;
    out.push(`Group ${g.name} (${c.rekeyUnicast ? "Unicast" : "Multicast"})`);
    let retries = 0;
    const multicast = ks!.multicastAddress(c);
    if (multicast !== null) out.push(`${pad("Multicast Destination Address")}${formatIpv4Address(multicast.group)}`);
    for (const m of g.members.values()) retries += m.rekeyRetries;
    if (multicast !== null) retries = g.multicastRetransmits;
    out.push(`${pad("Number of Rekeys sent")}${g.rekeysSent}`, `${pad("Number of Rekeys retransmitted")}${retries}`);
    if (rekeyConfigured(c)) {
      const lifetime = c.rekeyLifetimeSec ?? DEFAULT_KEK_LIFETIME_SEC;
      out.push(`${pad("KEK rekey lifetime (sec)")}${lifetime}`);
      if (g.kek !== null)
        out.push(
          `${pad("    Remaining lifetime (sec)")}${Math.max(0, lifetime - Math.floor((now - g.kek.createdAt) / SEC))}`,
        );
      const r = c.rekeyRetransmit ?? DEFAULT_RETRANSMIT;
      out.push(`${pad("Retransmit period")}${r.periodSec}`, `${pad("Number of retransmissions")}${r.count}`);
    }
    // The newest TEK of each sa ipsec (the one rekeys replace).
    const newest = new Map<number, (typeof g.teks)[number]>();
    for (const t of g.teks) newest.set(t.saNumber, t);
    for (const t of [...newest.values()].sort((a, b) => a.saNumber - b.saNumber))
      out.push(
        `${pad(`IPSec SA ${t.saNumber} lifetime (sec)`)}${t.lifetimeSec}`,
        `${pad("    Remaining lifetime (sec)")}${ks!.remainingSec(t)}`,
      );
    out.push("");
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
