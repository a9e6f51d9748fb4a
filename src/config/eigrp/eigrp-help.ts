// IOS's `?` help texts for the EIGRP commands, keyed as config/cli/help.ts
// describes, in IOS 15's wording.

import { describeCommands } from "../cli/help.ts";

const EXEC: Readonly<Record<string, string>> = {
  "show ip eigrp": "IP-EIGRP show commands",
  "show ip eigrp <as>": "Autonomous System",
  "show ip eigrp neighbors": "IP-EIGRP neighbors",
  "show ip eigrp topology": "IP-EIGRP Topology Table",
  "show ip eigrp topology all-links": "Show all links in topology table",
  "show ip eigrp interfaces": "IP-EIGRP interfaces",
  "show ip eigrp traffic": "IP-EIGRP Traffic Statistics",
  "show ip route eigrp": "Enhanced Interior Gateway Routing Protocol (EIGRP)",
  "show ip route eigrp <as>": "Autonomous system number",
  "clear ip eigrp": "Clear IPv4 EIGRP",
  "clear ip eigrp <as>": "Autonomous System",
  "clear ip eigrp neighbors": "Clear IPv4-EIGRP neighbors",
};

const CONFIG: Readonly<Record<string, string>> = {
  router: "Enable a routing process",
  "router eigrp": "Enhanced Interior Gateway Routing Protocol (EIGRP)",
  "router eigrp <as>": "Autonomous System",
};

const INTERFACE: Readonly<Record<string, string>> = {
  "ip authentication": "authentication subcommands",
  "ip authentication mode": "mode",
  "ip authentication mode eigrp": "Enhanced Interior Gateway Routing Protocol (EIGRP)",
  "ip authentication mode eigrp <as>": "Autonomous system number",
  "ip authentication mode eigrp md5": "Keyed message digest",
  "ip authentication key-chain": "key-chain",
  "ip authentication key-chain eigrp": "Enhanced Interior Gateway Routing Protocol (EIGRP)",
  "ip authentication key-chain eigrp <as>": "Autonomous system number",
  "ip authentication key-chain eigrp <chain>": "name of key-chain",
  "ip hello-interval": "Configures EIGRP-IPv4 hello interval",
  "ip hello-interval eigrp": "Enhanced Interior Gateway Routing Protocol (EIGRP)",
  "ip hello-interval eigrp <as>": "Autonomous system number",
  "ip hello-interval eigrp <seconds>": "Seconds between hello transmissions",
  "ip hold-time": "Configures EIGRP-IPv4 hold time",
  "ip hold-time eigrp": "Enhanced Interior Gateway Routing Protocol (EIGRP)",
  "ip hold-time eigrp <as>": "Autonomous system number",
  "ip hold-time eigrp <seconds>": "Seconds before neighbor is considered down",
  "ip split-horizon eigrp": "Enhanced Interior Gateway Routing Protocol (EIGRP)",
  "ip split-horizon eigrp <as>": "Autonomous system number",
  "ip next-hop-self": "Configures EIGRP-IPv4 next-hop-self",
  "ip next-hop-self eigrp": "Enhanced Interior Gateway Routing Protocol (EIGRP)",
  "ip next-hop-self eigrp <as>": "Autonomous system number",
  "ip summary-address": "Perform address summarization",
  "ip summary-address eigrp": "Enhanced Interior Gateway Routing Protocol (EIGRP)",
  "ip summary-address eigrp <as>": "Autonomous system number",
  "ip summary-address eigrp <prefix>": "IP address",
  "ip summary-address eigrp <mask>": "IP network mask",
  "ip summary-address eigrp <distance>": "Administrative distance",
};

const ROUTER: Readonly<Record<string, string>> = {
  "auto-summary": "Enable automatic network number summarization",
  "default-metric": "Set metric of redistributed routes",
  "default-metric <bw>": "Bandwidth metric in Kbits per second",
  "default-metric <delay>": "Delay metric, in 10 microsecond units",
  "default-metric <rel>": "Reliability metric where 255 is 100% reliable",
  "default-metric <load>": "Effective bandwidth metric (Loading) where 255 is 100% loaded",
  "default-metric <mtu>": "Maximum Transmission Unit metric of the path",
  "default-metric <default-metric>": "The rest of the line",
  eigrp: "EIGRP specific commands",
  "eigrp router-id": "router-id for this EIGRP process",
  "eigrp stub": "Set IP-EIGRP as stubbed router",
  "eigrp stub connected": "Do advertise connected routes",
  "eigrp stub summary": "Do advertise summary routes",
  "eigrp stub static": "Do advertise static routes",
  "eigrp stub redistributed": "Do advertise redistributed routes",
  "eigrp stub receive-only": "Set IP-EIGRP as receive only neighbor",
  "eigrp stub <stub>": "The rest of the line",
  "eigrp router-id <id>": "EIGRP Router-ID in IP address format",
  "maximum-paths": "Forward packets over multiple paths",
  "maximum-paths <n>": "Number of paths",
  network: "Enable routing on an IP network",
  "network <address>": "Network number",
  "network <wildcard>": "EIGRP wild card bits",
  "offset-list": "Add or subtract offset from EIGRP metrics",
  "offset-list <acl>": "Access list of networks to apply offset (0 selects all networks)",
  "offset-list <offset-list>": "Access list of networks to apply offset (0 selects all networks)",
  "offset-list in": "Perform offset on incoming updates",
  "offset-list out": "Perform offset on outgoing updates",
  "offset-list <offset>": "Offset",
  "offset-list <ifc>": "Interface to match",
  "passive-interface": "Suppress routing updates on an interface",
  "passive-interface default": "Suppress routing updates on all interfaces",
  "passive-interface <ifc>": "Interface",
  redistribute: "Redistribute IPv4 routes from another routing protocol",
  "redistribute <source>": "Source of the routes",
  "redistribute connected": "Connected",
  "redistribute static": "Static routes",
  "redistribute rip": "Routing Information Protocol (RIP)",
  "redistribute <proto>": "Routing protocol",
  "redistribute ospf": "Open Shortest Path First (OSPF)",
  "redistribute eigrp": "Enhanced Interior Gateway Routing Protocol (EIGRP)",
  "redistribute <process>": "Process or autonomous system number",
  "redistribute metric": "Metric for redistributed routes",
  "redistribute <bw>": "Bandwidth metric in Kbits per second",
  "redistribute <delay>": "EIGRP delay metric, in 10 microsecond units",
  "redistribute <rel>": "EIGRP reliability metric where 255 is 100% reliable",
  "redistribute <load>": "EIGRP Effective bandwidth metric (Loading) where 255 is 100% loaded",
  "redistribute <mtu>": "EIGRP MTU of the path",
  "redistribute route-map": "Route map reference",
  "redistribute <map>": "Pointer to route-map entries",
  "redistribute <line>": "The rest of the line",
  variance: "Control load balancing variance",
  "variance <v>": "Metric variance multiplier",
};

/** Registers the EIGRP help texts on the router's command table. */
export function describeEigrpCommands(table: object, routerMode = "config-router-eigrp"): void {
  describeCommands(table, "exec", EXEC);
  describeCommands(table, "config", CONFIG);
  describeCommands(table, ["config-if", "config-subif"], INTERFACE);
  describeCommands(table, routerMode, ROUTER);
}
