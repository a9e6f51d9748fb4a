// IOS's `?` help texts for the MQC commands (class-map, policy-map and their
// sub-modes, service-policy, max-reserved-bandwidth, the shows), keyed as
// config/cli/help.ts describes, in IOS 15's wording.

import { MATCH_PROTOCOLS } from "../../dataplane/qos/mqc-classify.ts";
import { describeCommands } from "../cli/help.ts";
import { CMAP_MODE, PMAP_CLASS_MODE, PMAP_MODE } from "./mqc-commands.ts";

const EXEC: Readonly<Record<string, string>> = {
  "show class-map": "Show QoS Class Map",
  "show class-map <name>": "class-map name",
  "show policy-map": "Show QoS Policy Map",
  "show policy-map <name>": "policy-map name",
  "show policy-map interface": "Qos Policy Interface",
  "show policy-map interface <interface>": "Interface",
  "show policy-map interface <direction>": "Direction of the service policy",
  "show policy-map interface input": "Input policy",
  "show policy-map interface output": "Output policy",
};

const CONFIG: Readonly<Record<string, string>> = {
  "class-map": "Configure Class Map",
  "class-map <type>": "Logical-AND or Logical-OR of all matching statements",
  "class-map match-all": "Logical-AND all matching statements under this classmap",
  "class-map match-any": "Logical-OR all matching statements under this classmap",
  "class-map <name>": "class-map name",
  "policy-map": "Configure QoS Policy Map",
  "policy-map <name>": "policy-map name",
};

const CMAP: Readonly<Record<string, string>> = {
  match: "classification criteria",
  "match access-group": "Access group",
  "match access-group <number>": "Access list index",
  "match access-group name": "Named Access List",
  "match access-group name <acl>": "Access List name",
  "match ip": "IP specific values",
  "match <ip>": "IP specific values",
  "match ip dscp": "Match IP DSCP (DiffServ CodePoints)",
  "match dscp": "Match DSCP in IP(v4) and IPv6 packets",
  "match <values>": "Up to 8 DSCP values (0-63 or names such as ef, af41) or 4 precedence values (0-7 or names)",
  "match ip dscp <values>": "Up to 8 DSCP values (0-63 or names such as ef, af41)",
  "match dscp <values>": "Up to 8 DSCP values (0-63 or names such as ef, af41)",
  "match ip precedence": "Match IP precedence",
  "match precedence": "Match Precedence in IP(v4) and IPv6 packets",
  "match ip precedence <values>": "Up to 4 precedence values (0-7 or names such as critical)",
  "match precedence <values>": "Up to 4 precedence values (0-7 or names such as critical)",
  "match protocol": "Protocol",
  "match protocol <protocol>": "Protocol",
  "match any": "Any packets",
};
for (const [name, p] of Object.entries(MATCH_PROTOCOLS))
  (CMAP as Record<string, string>)[`match protocol ${name}`] = p.help;

const PMAP: Readonly<Record<string, string>> = {
  class: "policy criteria",
  "class <name>": "class-map name",
};

const ACTION_HELP: Readonly<Record<string, string>> = {
  transmit: "transmit packet",
  drop: "drop packet",
  "set-dscp-transmit": "set dscp and send it",
  "set-prec-transmit": "rewrite packet precedence and send it",
};

const PMAP_C: Record<string, string> = {
  bandwidth: "Bandwidth",
  "bandwidth <kbps>": "Kilo Bits per second",
  "bandwidth percent": "% of total Bandwidth",
  "bandwidth percent <percent>": "Percentage",
  "bandwidth remaining": "percent/ratio of the remaining bandwidth",
  "bandwidth remaining percent": "% of the remaining bandwidth",
  "bandwidth remaining percent <percent>": "Percentage",
  "bandwidth <line>": "The rest of the line",
  priority: "Strict Scheduling Priority for this Class",
  "priority <kbps>": "Kilo Bits per second",
  "priority <burst>": "Burst in bytes",
  "priority percent": "% of total bandwidth",
  "priority percent <percent>": "Percentage",
  "priority percent <burst>": "Burst in bytes",
  "priority <line>": "The rest of the line",
  "fair-queue": "Enable Flow-based Fair Queuing in this Class",
  "fair-queue <queues>": "Number Dynamic Conversation Queues",
  "queue-limit": "Queue Max Threshold for Tail Drop",
  "queue-limit <packets>": "Packets",
  police: "Police",
  "police cir": "Committed information rate",
  "police <cir>": "Bits per second",
  "police bc": "Conform burst",
  "police <bc>": "Burst bytes",
  "police pir": "Peak Information Rate",
  "police <pir>": "Bits per second",
  "police be": "Excess burst",
  "police <be>": "Burst bytes",
  "police conform-action": "action when rate is less than conform burst",
  "police exceed-action": "action when rate is within conform and conform + exceed burst",
  "police violate-action": "action when rate is greater than conform + exceed burst",
  "police <conform>": "Conform action",
  "police <exceed>": "Exceed action",
  "police <violate>": "Violate action",
  "police <cdscp>": "DSCP value (0-63 or a name such as af11)",
  "police <edscp>": "DSCP value (0-63 or a name such as af11)",
  "police <vdscp>": "DSCP value (0-63 or a name such as af11)",
  "police <cprec>": "new precedence",
  "police <eprec>": "new precedence",
  "police <vprec>": "new precedence",
  "police <line>": "The rest of the line",
  shape: "Traffic Shaping",
  "shape <kind>": "Shaping type",
  "shape average": "configure token bucket: CIR (bps) [Bc (bits) [Be (bits)]], send out Bc only per interval",
  "shape peak": "configure token bucket: CIR (bps) [Bc (bits) [Be (bits)]], send out Bc+Be per interval",
  "shape <cir>": "Target Bit Rate (bits/sec).",
  "shape <bc>": "bits per interval, sustained.",
  "shape <be>": "bits per interval, excess.",
  "shape <line>": "The rest of the line",
  set: "Set QoS values",
  "set ip": "Set IP specific values",
  "set <ip>": "Set IP specific values",
  "set dscp": "Set DSCP in IP(v4) and IPv6 packets",
  "set ip dscp": "Set IP DSCP (DiffServ CodePoints)",
  "set precedence": "Set precedence in IP(v4) and IPv6 packets",
  "set ip precedence": "Set IP precedence",
  "set <value>": "Value (a number or an IOS name)",
  drop: "Drop all packets",
  "service-policy": "Configure Flow Next",
  "service-policy <child>": "policy-map name",
};
for (const [word, text] of Object.entries(ACTION_HELP)) PMAP_C[`police cir ${word}`] = text;
// After `police cir`, the words are keyed under both leading keywords.
for (const [k, v] of Object.entries(PMAP_C))
  if (k.startsWith("police ") && !k.startsWith("police cir")) PMAP_C[`police cir ${k.slice(7)}`] = v;
// The `no` forms take the rest of the line.
PMAP_C["bandwidth <bandwidth>"] = "Kilo Bits per second";
PMAP_C["priority <priority>"] = "Kilo Bits per second";
PMAP_C["police <police>"] = "The rest of the line";
PMAP_C["shape <shape>"] = "The rest of the line";

const INTERFACE: Readonly<Record<string, string>> = {
  "service-policy": "Configure CPL Service Policy",
  "service-policy <direction>": "Assign policy-map to the input or output of an interface",
  "service-policy input": "Assign policy-map to the input of an interface",
  "service-policy output": "Assign policy-map to the output of an interface",
  "service-policy <name>": "policy-map name",
  "load-interval": "Specify interval for load calculation for an interface",
  "load-interval <seconds>": "Load interval delay in seconds",
  "max-reserved-bandwidth": "Maximum Reservable Bandwidth on an Interface",
  "max-reserved-bandwidth <percent>": "Max. reservable bandwidth as % of interface bandwidth",
};

/** Registers the MQC help texts. */
export function describeMqcCommands(table: object): void {
  describeCommands(table, "exec", EXEC);
  describeCommands(table, "config", CONFIG);
  describeCommands(table, CMAP_MODE, CMAP);
  describeCommands(table, PMAP_MODE, PMAP);
  describeCommands(table, PMAP_CLASS_MODE, PMAP_C);
  describeCommands(table, "config-if", INTERFACE);
}
