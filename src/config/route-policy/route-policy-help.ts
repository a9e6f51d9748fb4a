// IOS's `?` help texts for the route policy commands (ip prefix-list,
// route-map and its config-route-map lines, their shows), keyed as
// config/cli/help.ts describes, in IOS 15's wording.

import { describeCommands } from "../cli/help.ts";
import { ROUTE_MAP_MODE } from "./route-map-commands.ts";

const EXEC: Readonly<Record<string, string>> = {
  "show ip prefix-list": "List IP prefix lists",
  "show ip prefix-list detail": "Detail of prefix lists",
  "show ip prefix-list summary": "Summarized prefix lists",
  "show ip prefix-list <name>": "Name of a prefix list",
  "show route-map": "route-map information",
  "show route-map <name>": "route-map name",
};

const CONFIG: Readonly<Record<string, string>> = {
  "ip prefix-list": "Build a prefix list",
  "ip prefix-list <name>": "Name of a prefix list",
  "ip prefix-list seq": "sequence number of an entry",
  "ip prefix-list <seq>": "Sequence number",
  "ip prefix-list <action>": "Specify packets to forward or reject",
  "ip prefix-list permit": "Specify packets to forward",
  "ip prefix-list deny": "Specify packets to reject",
  "ip prefix-list <prefix>": "IP prefix <network>/<length>, e.g., 35.0.0.0/8",
  "ip prefix-list ge": "Minimum prefix length to be matched",
  "ip prefix-list <ge>": "Minimum prefix length",
  "ip prefix-list le": "Maximum prefix length to be matched",
  "ip prefix-list <le>": "Maximum prefix length",
  "ip prefix-list description": "Prefix-list specific description",
  "ip prefix-list <text>": "Up to 80 characters describing this prefix-list",
  "ip prefix-list <rest>": "The entry to remove: [seq N] [permit|deny A.B.C.D/LEN [ge N] [le N]] or description",
  "route-map": "Create route-map or enter route-map command mode",
  "route-map <name>": "Route map tag",
  "route-map <action>": "Route map permits or denies set operations",
  "route-map permit": "Route map permits set operations",
  "route-map deny": "Route map denies set operations",
  "route-map <seq>": "Sequence to insert to/delete from existing route-map entry",
};

const ROUTE_MAP: Readonly<Record<string, string>> = {
  match: "Match values from routing table",
  "match ip": "IP specific information",
  "match ip address": "Match address of route or match packet",
  "match ip address prefix-list": "Match entries of prefix-lists",
  "match ip address prefix-list <lists>": "IP prefix-list name(s)",
  "match ip address <lists>": "IP access-list number(s) or name(s)",
  "match interface": "Match first hop interface of route",
  "match interface <ifcs>": "Interface name(s)",
  "match route-type": "Match route-type of route",
  "match route-type internal": "internal route (including OSPF intra/inter area)",
  "match route-type <kind>": "Route type",
  "match route-type external": "external route (BGP, EIGRP and OSPF type 1/2)",
  "match route-type nssa-external": "nssa-external route (OSPF type 1/2)",
  "match route-type <metric>": "OSPF metric type",
  "match route-type type-1": "OSPF external type 1 route",
  "match route-type type-2": "OSPF external type 2 route",
  "match tag": "Match tag of route",
  "match tag <tags>": "Tag value(s)",
  set: "Set values in destination routing protocol",
  "set tag": "Tag value for destination routing protocol",
  "set tag <tag>": "Tag value",
  "set metric-type": "Type of metric for destination routing protocol",
  "set metric-type type-1": "OSPF external type 1 metric",
  "set metric-type type-2": "OSPF external type 2 metric",
  "set metric-type <line>": "The rest of the line",
  "set metric-type <metric-type>": "OSPF external metric type",
  "set tag <line>": "The rest of the line",
  "match tag <line>": "The rest of the line",
  "set metric": "Metric value for destination routing protocol",
  "set metric <metric>": "Metric value or Bandwidth in Kbits per second",
  "set metric <delay>": "IGRP delay metric, in 10 microsecond units",
  "set metric <reliability>": "IGRP reliability metric where 255 is 100% reliable",
  "set metric <load>": "IGRP Effective bandwidth metric (Loading) where 255 is 100% loaded",
  "set metric <mtu>": "IGRP MTU of the path",
  "set metric <line>": "The rest of the line",
  "set interface": "Output interface",
  "set interface <ifcs>": "Interface name(s)",
  description: "Route-map comment",
  "description <text>": "Comment up to 100 characters",
  "description <description>": "Comment up to 100 characters",
};

/** Registers the route policy help texts on the router's command table. */
export function describeRoutePolicyCommands(table: object): void {
  describeCommands(table, "exec", EXEC);
  describeCommands(table, "config", CONFIG);
  describeCommands(table, ROUTE_MAP_MODE, ROUTE_MAP);
}
