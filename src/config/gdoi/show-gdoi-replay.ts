// `show crypto gdoi gm replay`: each group's time-based anti-replay (TBAR) on
// this member as IOS lays it out: the member's pseudotime now ("Replay
// Value"), packets stamped and checked, the drops and the largest distance
// seen, and the last few errors (IOS samples them; here the last ten).

import type { TbarClock } from "../../dataplane/ipsec/group-tbar.ts";
import { formatPseudotime } from "../../dataplane/ipsec/group-tbar.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import { showClock } from "../ios-clock.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { gdoiProtocolOf } from "./gdoi-store.ts";

function pair(l: string, lv: number | string, r: string, rv: number | string): string {
  return `     ${l.padEnd(20)}: ${String(lv).padEnd(15)}${r.padEnd(21)}: ${rv}`;
}

function tbarBlock(device: RouterDevice, clock: TbarClock): string[] {
  const out = [
    "    Timebased Replay:",
    `     ${"Replay Value".padEnd(20)}: ${formatPseudotime(clock.pseudotimeMs(device.now()))} secs`,
    pair("Input Packets", clock.inputPackets, "Output Packets", clock.outputPackets),
    pair("Input Error Packets", clock.inputErrors, "Output Error Packets", clock.outputErrors),
    pair("Time Sync Error", clock.timeSyncErrors, "Max time delta", `${formatPseudotime(clock.maxDeltaMs)} secs`),
    "",
    "    TBAR Error History (sampled at 10pak/min):",
  ];
  if (clock.history.length === 0) out.push("        No TBAR errors detected");
  for (const e of clock.history)
    out.push(
      `        ${showClock(e.at)}: src=${formatIpv4Address(e.src)}; my_pst=${formatPseudotime(e.myPseudotimeMs)} secs; peer_pst=${formatPseudotime(e.peerPseudotimeMs)} secs; delta=${formatPseudotime(Math.abs(e.peerPseudotimeMs - e.myPseudotimeMs))} secs`,
    );
  return out;
}

/** `show crypto gdoi gm replay`: groups whose TEKs use time-based anti-replay. */
export function renderShowCryptoGdoiGmReplay(device: RouterDevice): string {
  const out: string[] = [];
  for (const s of gdoiProtocolOf(device)?.members.groups.values() ?? []) {
    const g = device.ipsec?.groups.group(s.group);
    if (g === undefined) continue;
    out.push(`Anti-replay Information For Group ${s.group}:`);
    if (g.teks.some((t) => t.tbarWindowSec !== null)) out.push(...tbarBlock(device, g.tbar));
    else out.push("    No Anti-replay configured");
    out.push("");
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
