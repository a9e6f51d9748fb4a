// `?` help of the legacy queueing commands, in IOS 15's wording.

import { describeCommands } from "../cli/help.ts";

const INTERFACE: Readonly<Record<string, string>> = {
  "fair-queue": "Enable Fair Queuing on an Interface",
  "fair-queue <cdt>": "Congestive Discard Threshold",
  "fair-queue <dynamic>": "Number Dynamic Conversation Queues",
  "fair-queue <reservable>": "Number Reservable Conversation Queues",
};

/** Adds the help texts of the legacy queueing commands. */
export function describeLegacyQueueingCommands(table: object): void {
  describeCommands(table, "config-if", INTERFACE);
}
