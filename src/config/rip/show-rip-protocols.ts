// The RIP part of `show ip protocols` (RFC 2453's process state in IOS's
// words): filters, the update timer with the time to the next update, the
// invalid/holddown/flush timers, redistribution, the version sent and received
// per interface (passive interfaces are left out of that table, as IOS does),
// auto-summary, networks, passive interfaces and the neighbors heard from.

import { formatRedistributionSource } from "../../protocols/redistribution.ts";
import { RIP_MAX_PATHS } from "../../protocols/rip/rip-instance.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { ripConfig, ripInstance } from "./rip-store.ts";

const SEC = 1_000_000_000;

function hms(ns: number): string {
  const s = Math.floor(ns / SEC);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/** `show ip protocols` for the RIP process: its block, ended by a blank line, or "" without one. */
export function renderShowIpProtocolsRip(device: RouterDevice): string {
  const rip = ripInstance(device);
  const c = ripConfig(device);
  if (rip === undefined || c === undefined) return "";
  const filter = (direction: "in" | "out"): string[] => {
    const all = c.distributeLists.find((d) => d.direction === direction && d.interface === undefined);
    const word = direction === "out" ? "Outgoing" : "Incoming";
    return [
      `  ${word} update filter list for all interfaces is ${all === undefined ? "not set" : `(prefix-list) ${all.prefixList}`}`,
      ...c.distributeLists
        .filter((d) => d.direction === direction && d.interface !== undefined)
        .map((d) => `    ${d.interface} filtered by (prefix-list) ${d.prefixList} (per-user), default is not set`),
    ];
  };
  const t = c.timers;
  const nextDue = Math.max(0, Math.ceil((rip.nextUpdateAt() - device.now()) / SEC));
  const send = c.version ?? 1;
  const receive = c.version === undefined ? "1 2" : String(c.version);
  const out = [
    'Routing Protocol is "rip"',
    ...filter("out"),
    ...filter("in"),
    `  Sending updates every ${t.update} seconds, next due in ${nextDue} seconds`,
    `  Invalid after ${t.invalid} seconds, hold down ${t.holddown}, flushed after ${t.flush}`,
    `  Redistributing: ${[...c.redistribute.map((r) => formatRedistributionSource(r.source)), "rip"].join(", ")}`,
  ];
  if (c.defaultMetric !== undefined) out.push(`  Default redistribution metric is ${c.defaultMetric}`);
  out.push(
    `  Default version control: send version ${send}, receive ${c.version === undefined ? "any version" : `version ${c.version}`}`,
    "    Interface             Send  Recv  Triggered RIP  Key-chain",
  );
  const interfaces = rip.ripInterfaces();
  for (const ifc of interfaces)
    if (!rip.isPassive(ifc.name)) out.push(`    ${ifc.name.padEnd(22)}${String(send).padEnd(6)}${receive}`);
  out.push(
    `  Automatic network summarization is ${c.autoSummary ? "in effect" : "not in effect"}`,
    `  Maximum path: ${RIP_MAX_PATHS}`,
    "  Routing for Networks:",
    ...[...c.networks].sort((a, b) => a - b).map((n) => `    ${formatIpv4Address(n)}`),
  );
  const passive = interfaces.filter((i) => rip.isPassive(i.name)).map((i) => `    ${i.name}`);
  if (passive.length > 0) out.push("  Passive Interface(s):", ...passive);
  const distance = c.distance ?? 120;
  out.push("  Routing Information Sources:", "    Gateway         Distance      Last Update");
  for (const s of rip.sources())
    out.push(
      `    ${formatIpv4Address(s.address).padEnd(15)} ${String(distance).padStart(8)}      ${hms(device.now() - s.lastHeard)}`,
    );
  out.push(`  Distance: (default is ${distance})`, "");
  return `${out.join("\n")}\n`;
}
