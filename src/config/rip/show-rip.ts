// `show ip rip database`: what RIP holds, as IOS prints it: per network,
// `directly connected, IF` for its interfaces' networks, `redistributed`,
// and `[metric] via NEXT-HOP, AGE, IF` per path of a learned route (or `is possibly
// down` while in holddown); with auto-summary, the summary line of each
// major network first.

import { classfulNetwork } from "../../protocols/rip/rip-config.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { ripConfig, ripInstance } from "./rip-store.ts";

const SEC = 1_000_000_000;

function age(ns: number): string {
  const s = Math.floor(ns / SEC);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/** `show ip rip database`. */
export function renderShowIpRipDatabase(device: RouterDevice): string {
  const rip = ripInstance(device);
  const config = ripConfig(device);
  if (rip === undefined || config === undefined) return "";
  const now = device.now();
  const rows: Array<{ prefix: number; length: number; lines: string[] }> = [];
  for (const l of rip.local()) {
    if (l.kind === "default") continue;
    const what = l.kind === "connected" ? `directly connected, ${l.interface}` : "redistributed";
    const lines = [`${formatIpv4Address(l.prefix)}/${l.length}    ${what}`];
    if (l.kind === "redistributed") lines.push(`    [${l.sentMetric}] via 0.0.0.0,`);
    rows.push({ prefix: l.prefix, length: l.length, lines });
  }
  for (const r of rip.learned()) {
    const net = `${formatIpv4Address(r.prefix)}/${r.length}`;
    const lines =
      r.state === "possiblyDown"
        ? [`${net}    is possibly down`]
        : [
            net,
            ...[r, ...r.extra].map(
              (p) => `    [${r.metric}] via ${formatIpv4Address(p.nextHop)}, ${age(now - p.lastHeard)}, ${p.interface}`,
            ),
          ];
    rows.push({ prefix: r.prefix, length: r.length, lines });
  }
  if (config.autoSummary) {
    const majors = new Map<number, number>();
    for (const r of rows) {
      const m = classfulNetwork(r.prefix);
      if (r.length > m.length) majors.set(m.network, m.length);
    }
    for (const [network, length] of majors)
      if (!rows.some((r) => r.prefix === network && r.length === length))
        rows.push({ prefix: network, length, lines: [`${formatIpv4Address(network)}/${length}    auto-summary`] });
  }
  rows.sort((a, b) => a.prefix - b.prefix || a.length - b.length);
  const out = rows.flatMap((r) => r.lines);
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
