// The IOS route policy objects shared by the routing protocols (and later
// BGP, policy routing and NAT): `ip prefix-list`, `route-map`, their shows
// and running-config sections. Evaluation lives in src/dataplane
// (prefix-list.ts, route-map.ts); the objects of a device in the store here.

import type { CommandSpec, CommandTable } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { prefixListSpecs } from "./prefix-list-commands.ts";
import { addRouteMapCommands } from "./route-map-commands.ts";
import { describeRoutePolicyCommands } from "./route-policy-help.ts";
import { renderShowIpPrefixList, renderShowRouteMap } from "./show-route-policy.ts";

export { prefixListRunningLines, routeMapRunningLines } from "./route-policy-running-config.ts";
export { routePolicy, routePolicyLookups } from "./route-policy-store.ts";

const execSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "show ip prefix-list [detail | summary]:mode [WORD:name]",
    handler: (a, ctx) =>
      renderShowIpPrefixList(
        ctx.device,
        a.mode === "detail" ? "detail" : a.mode === "summary" ? "summary" : "plain",
        a.name === undefined ? undefined : String(a.name),
      ),
  },
  {
    syntax: "show route-map [WORD:name]",
    handler: (a, ctx) => renderShowRouteMap(ctx.device, a.name === undefined ? undefined : String(a.name)),
  },
];

/** Registers the route policy commands on the router table. */
export function addRoutePolicyCommands(table: CommandTable<RouterDevice>): void {
  table.add("config", ...prefixListSpecs);
  addRouteMapCommands(table);
  table.add("exec", ...execSpecs);
  describeRoutePolicyCommands(table);
}
