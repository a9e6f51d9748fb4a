// `?` help of the legacy queueing commands, in IOS 15's wording.

import { describeCommands } from "../cli/help.ts";

const INTERFACE: Readonly<Record<string, string>> = {
  "fair-queue": "Enable Fair Queuing on an Interface",
  "fair-queue <cdt>": "Congestive Discard Threshold",
  "fair-queue <dynamic>": "Number Dynamic Conversation Queues",
  "fair-queue <reservable>": "Number Reservable Conversation Queues",
  "priority-group": "Assign a priority group to an interface",
  "priority-group <list>": "Priority list",
  "custom-queue-list": "Assign a custom queue list to an interface",
  "custom-queue-list <list>": "Custom queue list number",
};

const MATCH: Readonly<Record<string, string>> = {
  list: "To specify an access list",
  "<list>": "IP access list",
  tcp: "Prioritize TCP packets 'to' or 'from' the specified port",
  "<tcp>": "Port number",
  udp: "Prioritize UDP packets 'to' or 'from' the specified port",
  "<udp>": "Port number",
};

/** Each MATCH key under a command prefix. */
function under(prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(MATCH).map(([k, v]) => [`${prefix} ${k}`, v]));
}

const CONFIG: Readonly<Record<string, string>> = {
  "priority-list": "Build a priority list",
  "priority-list <number>": "Priority list number",
  "priority-list protocol": "priority queueing by protocol",
  "priority-list ip": "IP",
  "priority-list high": "High priority queue",
  "priority-list medium": "Medium priority queue",
  "priority-list normal": "Normal priority queue",
  "priority-list low": "Low priority queue",
  "priority-list default": "Set priority queue for unspecified datagrams",
  "priority-list queue-limit": "Set queue limits for priority queues",
  "priority-list <high>": "High limit",
  "priority-list <medium>": "Medium limit",
  "priority-list <normal>": "Normal limit",
  "priority-list <low>": "Low limit",
  ...under("priority-list"),
  "queue-list": "Build a custom queue list",
  "queue-list <number>": "Queue list number",
  "queue-list protocol": "custom queueing by protocol",
  "queue-list ip": "IP",
  "queue-list <queue>": "queue number",
  "queue-list default": "Set custom queue for unspecified datagrams",
  "queue-list queue": "Configure parameters for a particular queue",
  "queue-list byte-count": "Specify size in bytes of a particular queue",
  "queue-list <bytes>": "size in bytes",
  "queue-list limit": "Set queue entry limit of a particular queue",
  "queue-list <limit>": "number of queue entries",
  ...under("queue-list"),
};

const EXEC: Readonly<Record<string, string>> = {
  "show queueing": "Show queueing configuration",
  "show queueing fair": "fair queueing",
  "show queueing priority": "priority queueing",
  "show queueing custom": "custom queueing",
  "show queueing interface": "queueing information for interface",
  "show queue": "Show queue contents",
};

/** Adds the help texts of the legacy queueing commands. */
export function describeLegacyQueueingCommands(table: object): void {
  describeCommands(table, "config-if", INTERFACE);
  describeCommands(table, "config", CONFIG);
  describeCommands(table, "exec", EXEC);
}
