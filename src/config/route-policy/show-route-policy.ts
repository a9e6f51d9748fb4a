// `show ip prefix-list [detail | summary] [NAME]` and `show route-map [NAME]`:
// the lists and maps the router holds, with the hit counts of prefix-list
// entries and the policy-routing counters of route-map entries.

import { formatPrefixListEntry, type PrefixList } from "../../dataplane/prefix-list.ts";
import { formatMetric, type RouteMap } from "../../dataplane/route-map.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { routePolicy } from "./route-policy-store.ts";

function sequences(list: PrefixList): string {
  if (list.entries.length === 0) return "-";
  return `${list.entries[0]!.sequence} - ${list.entries[list.entries.length - 1]!.sequence}`;
}

/** `show ip prefix-list`: every list (or one), plain, detailed with hit counts, or as a summary. */
export function renderShowIpPrefixList(
  device: RouterDevice,
  mode: "plain" | "detail" | "summary",
  name?: string,
): string {
  const lists = [...routePolicy(device).prefixLists.values()].filter((l) => name === undefined || l.name === name);
  const out: string[] = [];
  for (const list of lists) {
    const ranges = list.entries.filter((e) => e.ge !== undefined || e.le !== undefined).length;
    if (mode === "plain") {
      out.push(`ip prefix-list ${list.name}: ${list.entries.length} entries`);
      if (list.description !== undefined) out.push(`   Description: ${list.description}`);
      for (const e of list.entries) out.push(`   seq ${e.sequence} ${formatPrefixListEntry(e)}`);
      continue;
    }
    out.push(`ip prefix-list ${list.name}:`);
    if (list.description !== undefined) out.push(`   Description: ${list.description}`);
    out.push(`   count: ${list.entries.length}, range entries: ${ranges}, sequences: ${sequences(list)}`);
    if (mode === "detail")
      for (const e of list.entries) out.push(`   seq ${e.sequence} ${formatPrefixListEntry(e)} (hit count: ${e.hits})`);
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

function renderEntryClauses(map: RouteMap): string[] {
  const out: string[] = [];
  for (const e of map.entries) {
    out.push(`route-map ${map.name}, ${e.action}, sequence ${e.sequence}`);
    if (e.description !== undefined) out.push(`  Description:`, `    ${e.description}`);
    out.push("  Match clauses:");
    if (e.match.ipAddressAcls.length > 0)
      out.push(`    ip address (access-lists): ${e.match.ipAddressAcls.join(" ")} `);
    if (e.match.ipAddressPrefixLists.length > 0)
      out.push(`    ip address prefix-lists: ${e.match.ipAddressPrefixLists.join(" ")} `);
    if (e.match.interfaces.length > 0) out.push(`    interface ${e.match.interfaces.join(" ")} `);
    if (e.match.tags.length > 0) out.push(`    tag ${e.match.tags.join(" ")} `);
    if (e.match.routeTypes.length > 0) out.push(`    route-type ${e.match.routeTypes.join(" ")} `);
    out.push("  Set clauses:");
    if (e.set.metric !== undefined) out.push(`    metric ${formatMetric(e.set.metric)}`);
    if (e.set.metricType !== undefined) out.push(`    metric-type type-${e.set.metricType}`);
    if (e.set.tag !== undefined) out.push(`    tag ${e.set.tag}`);
    if (e.set.interfaces !== undefined) out.push(`    interface ${e.set.interfaces.join(" ")}`);
    out.push(`  Policy routing matches: ${e.policyPackets} packets, ${e.policyBytes} bytes`);
  }
  return out;
}

/** `show route-map [NAME]`. */
export function renderShowRouteMap(device: RouterDevice, name?: string): string {
  const maps = [...routePolicy(device).routeMaps.values()].filter((m) => name === undefined || m.name === name);
  if (name !== undefined && maps.length === 0) return `%route-map ${name} not found\n`;
  const out = maps.flatMap(renderEntryClauses);
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
