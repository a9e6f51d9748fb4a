// IOS's `?` help texts for the NAT commands added after the first ones (which
// sit in src/config/router/command-help.ts): the route-map mapping and outside
// source static, keyed as config/cli/help.ts describes, in IOS 15's wording.

import { describeCommands } from "../cli/help.ts";

const CONFIG: Readonly<Record<string, string>> = {
  "ip nat inside source route-map": "Specify route-map",
  "ip nat inside source route-map <map>": "Route-map name",
  "ip nat inside source route-map pool": "Name pool of global addresses",
  "ip nat inside source route-map <pool>": "Pool name for global addresses",
  "ip nat inside source route-map interface": "Specify interface for global address",
  "ip nat inside source route-map overload": "Overload an address translation",
  "ip nat inside source route-map <rest>": "Pool name or interface, then overload",
  "ip nat outside": "Outside address translation",
  "ip nat outside source": "Source address translation",
  "ip nat outside source static": "Specify static global->local mapping",
  "ip nat outside source static <global>": "Outside global IP address",
  "ip nat outside source static <local>": "Outside local IP address",
  "ip nat outside source static add-route": "Add a static route for outside local address",
};

const EXEC: Readonly<Record<string, string>> = {
  "show ip virtual-reassembly": "IP Virtual Fragment Reassembly (VFR) information",
  "show ip virtual-reassembly <ifc>": "Interface to show",
};

/** Registers the NAT help texts on the router's command table. */
export function describeNatCommands(table: object): void {
  describeCommands(table, "config", CONFIG);
  describeCommands(table, "exec", EXEC);
}
