// IOS's `?` help texts for the RIP commands, keyed as config/cli/help.ts
// describes, in IOS 15's wording.

import { describeCommands } from "../cli/help.ts";

const EXEC: Readonly<Record<string, string>> = {
  "show ip rip": "IP RIP show commands",
  "show ip rip database": "IP RIP database",
  "show ip route rip": "Routing Information Protocol (RIP)",
  "debug ip rip": "RIP protocol transactions",
  "undebug ip rip": "RIP protocol transactions",
};

const CONFIG: Readonly<Record<string, string>> = {
  router: "Enable a routing process",
  "router rip": "Routing Information Protocol (RIP)",
};

const INTERFACE: Readonly<Record<string, string>> = {
  "ip split-horizon": "Perform split horizon",
};

const ROUTER: Readonly<Record<string, string>> = {
  "auto-summary": "Enable automatic network number summarization",
  "default-information": "Control distribution of default information",
  "default-information originate": "Distribute a default route",
  "default-information originate route-map": "Route-map reference",
  "default-information originate <map>": "Route map name",
  "default-information originate <originate>": "The rest of the line",
  distance: "Define an administrative distance",
  "distance <distance>": "Administrative distance",
  "default-metric": "Set metric of redistributed routes",
  "default-metric <metric>": "Default metric",
  "distribute-list": "Filter networks in routing updates",
  "distribute-list prefix": "Filter prefixes in routing updates",
  "distribute-list prefix <list>": "Name of an IP prefix-list",
  "distribute-list prefix in": "Filter incoming routing updates",
  "distribute-list prefix out": "Filter outgoing routing updates",
  "distribute-list prefix <ifc>": "Interface",
  network: "Enable routing on an IP network",
  "network <address>": "Network number",
  "passive-interface": "Suppress routing updates on an interface",
  "passive-interface default": "Suppress routing updates on all interfaces",
  "passive-interface <ifc>": "Interface",
  redistribute: "Redistribute information from another routing protocol",
  "redistribute <source>": "Source of the routes",
  "redistribute connected": "Connected",
  "redistribute static": "Static routes",
  "redistribute metric": "Metric for redistributed routes",
  "redistribute <metric>": "Default metric",
  "redistribute <line>": "The rest of the line",
  "redistribute <proto>": "Source protocol",
  "redistribute ospf": "Open Shortest Path First (OSPF)",
  "redistribute eigrp": "Enhanced Interior Gateway Routing Protocol (EIGRP)",
  "redistribute <process>": "Process ID or autonomous system number",
  "redistribute route-map": "Route map reference",
  "redistribute <map>": "Pointer to route-map entries",
  timers: "Adjust routing timers",
  "timers basic": "Basic routing protocol update timers",
  "timers basic <update>": "Interval between updates for RIP",
  "timers basic <invalid>": "Invalid",
  "timers basic <holddown>": "Holddown",
  "timers basic <flush>": "Flush",
  "timers basic <basic>": "The rest of the line",
  version: "Set routing protocol version",
  "version <version>": "RIP version 1 or 2",
};

/** Registers the RIP help texts on the router's command table. */
export function describeRipCommands(table: object, routerMode = "config-router-rip"): void {
  describeCommands(table, "exec", EXEC);
  describeCommands(table, "config", CONFIG);
  describeCommands(table, ["config-if", "config-subif"], INTERFACE);
  describeCommands(table, routerMode, ROUTER);
}
