// `show crypto gdoi ks coop` in IOS's layout (seed 003's KS1): per COOP
// group the local server (address, priority, role, its refresh timer and
// anti-replay sequence number), then one session per peer server with what
// its announcements said, the state of the ISAKMP SA with it and the
// ANNOUNCE counters. A secondary prints its timers as IOS's secondaries do
// ("Secondary Timers", the time left before the primary counts as lost).

import { COOP_DEAD_SEC, COOP_REFRESH_SEC, type CoopGroup } from "../../protocols/gdoi/coop-key-server.ts";
import { GDOI_VERSION } from "../../protocols/gdoi/key-server.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { gdoiProtocolOf } from "./gdoi-store.ts";

const ip = formatIpv4Address;
const SEC = 1_000_000_000;
const T1 = "        ";
const T2 = "                ";
const T3 = "                    ";

/** `Primary   ` / `Secondary `: IOS pads the role to ten characters. */
function role(r: string | null): string {
  return (r ?? "Unknown").padEnd(10);
}

export function renderShowCryptoGdoiKsCoop(device: RouterDevice): string {
  const gdoi = gdoiProtocolOf(device);
  if (gdoi === undefined) return "";
  const coop = gdoi.coop;
  const out: string[] = [];
  for (const g of coop.groups.values()) out.push(...groupLines(device, g));
  return out.length === 0 ? "" : `${out.join("\n")}\n`;

  function groupLines(dev: RouterDevice, g: CoopGroup): string[] {
    const local = coop.localAddress(g.name);
    const lines = [
      `Crypto Gdoi Group Name :${g.name}`,
      `${T1}Group handle: ${g.handle}, Local Key Server handle: ${g.handle}`,
      "",
      `${T1}Local Address: ${local === undefined ? "0.0.0.0" : ip(local)}`,
      `${T1}Local Priority: ${coop.localPriority(g.name)}`,
      `${T1}Local KS Role: ${role(g.role)}, Local KS Status: Alive`,
      `${T1}Local KS version: ${GDOI_VERSION}`,
    ];
    if (g.role === "Primary") {
      lines.push(
        `${T1}Primary Timers:`,
        `${T2}Primary Refresh Policy Time: ${COOP_REFRESH_SEC}`,
        `${T2}Remaining Time: ${coop.remainingSec(g)}`,
        `${T2}Antireplay Sequence Number: ${g.antiReplay}`,
      );
    } else {
      const primary = g.primary === null ? undefined : g.peers.get(g.primary);
      const heard = primary?.lastHeard ?? null;
      const left = heard === null ? COOP_DEAD_SEC : Math.max(0, COOP_DEAD_SEC - Math.floor((dev.now() - heard) / SEC));
      lines.push(
        `${T1}Secondary Timers:`,
        `${T2}Sec Primary Periodic Time: ${COOP_DEAD_SEC}`,
        `${T2}Remaining Time: ${left}, Retries: 0`,
        `${T2}Antireplay Sequence Number: ${g.antiReplay}`,
      );
    }
    lines.push("", `${T1}Peer Sessions:`);
    let n = 0;
    for (const p of g.peers.values()) {
      n++;
      const c = p.counters;
      const ike = coop.established(p.address) ? "Established" : p.ikeFailed ? "Failed to establish" : "Not Established";
      lines.push(
        `${T1}Session ${n}:`,
        `${T2}Server handle: ${g.handle + n}`,
        `${T2}Peer Address: ${ip(p.address)}`,
        `${T2}Peer Version: ${p.version ?? "0.0.0"}`,
        `${T2}Peer Priority: ${p.priority ?? 0}`,
        `${T2}Peer KS Role: ${role(p.role)}, Peer KS Status: ${p.alive ? "Alive" : "Dead"}`,
        `${T2}Antireplay Sequence Number: ${p.antiReplay}`,
        "",
        `${T2}IKE status: ${ike}`,
        `${T2}Counters:`,
        `${T3}Ann msgs sent: ${c.annSent}`,
        `${T3}Ann msgs sent with reply request: ${c.annSentReply}`,
        `${T3}Ann msgs recv: ${c.annRecv}`,
        `${T3}Ann msgs recv with reply request: ${c.annRecvReply}`,
        `${T3}Packet sent drops: ${c.sendDrops}`,
        `${T3}Packet Recv drops: ${c.recvDrops}`,
        `${T3}Total bytes sent: ${c.bytesSent}`,
        `${T3}Total bytes recv: ${c.bytesRecv}`,
      );
    }
    lines.push("");
    return lines;
  }
}
