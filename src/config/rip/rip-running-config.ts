// The running-config lines of RIP, in IOS's order: the interface's
// `no ip split-horizon`, and the `router rip` block (version, timers,
// redistribute, passive-interface, network, default-information,
// distribute-list, default-metric, no auto-summary).

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { formatRedistributionSource } from "../../protocols/redistribution.ts";
import { RIP_DEFAULT_TIMERS } from "../../protocols/rip/rip-config.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import { passiveInterfaceLines } from "../passive-interface.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { ripConfig, splitHorizonOn } from "./rip-store.ts";

/** Lines inside `interface X` for RIP. */
export function ripInterfaceLines(ifc: RouterInterface): string[] {
  return splitHorizonOn(ifc) ? [] : [" no ip split-horizon"];
}

/** The `router rip` block and its `!`, or nothing. */
export function ripRouterLines(device: RouterDevice): string[] {
  const c = ripConfig(device);
  if (c === undefined) return [];
  const lines = ["router rip"];
  if (c.version !== undefined) lines.push(` version ${c.version}`);
  const t = c.timers;
  if (
    t.update !== RIP_DEFAULT_TIMERS.update ||
    t.invalid !== RIP_DEFAULT_TIMERS.invalid ||
    t.holddown !== RIP_DEFAULT_TIMERS.holddown ||
    t.flush !== RIP_DEFAULT_TIMERS.flush
  )
    lines.push(` timers basic ${t.update} ${t.invalid} ${t.holddown} ${t.flush}`);
  for (const r of c.redistribute)
    lines.push(
      ` redistribute ${formatRedistributionSource(r.source)}${r.metric !== undefined ? ` metric ${r.metric}` : ""}${r.routeMap !== undefined ? ` route-map ${r.routeMap}` : ""}`,
    );
  lines.push(...passiveInterfaceLines(c, device));
  for (const n of [...c.networks].sort((a, b) => a - b)) lines.push(` network ${formatIpv4Address(n)}`);
  if (c.defaultOriginate !== undefined)
    lines.push(
      ` default-information originate${c.defaultOriginate.routeMap !== undefined ? ` route-map ${c.defaultOriginate.routeMap}` : ""}`,
    );
  for (const d of c.distributeLists)
    lines.push(
      ` distribute-list prefix ${d.prefixList} ${d.direction}${d.interface !== undefined ? ` ${d.interface}` : ""}`,
    );
  if (c.defaultMetric !== undefined) lines.push(` default-metric ${c.defaultMetric}`);
  if (c.distance !== undefined) lines.push(` distance ${c.distance}`);
  if (!c.autoSummary) lines.push(" no auto-summary");
  lines.push("!");
  return lines;
}
