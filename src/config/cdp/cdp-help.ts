// IOS's `?` help texts for the CDP commands, in IOS 15's wording.

import { describeCommands } from "../cli/help.ts";

const EXEC: Readonly<Record<string, string>> = {
  "show cdp": "CDP information",
  "show cdp neighbors": "CDP neighbor entries",
  "show cdp neighbors <ifc>": "Interface",
  "show cdp neighbors detail": "Show detailed information",
  "show cdp interface": "CDP interface status and configuration",
  "show cdp interface <ifc>": "Interface",
  "show cdp traffic": "CDP statistics",
  "clear cdp": "Reset cdp information",
  "clear cdp table": "Clear cdp table",
  "clear cdp counters": "Clear cdp counters",
};

const CONFIG: Readonly<Record<string, string>> = {
  cdp: "Global CDP configuration subcommands",
  "cdp run": "Enable CDP",
  "cdp timer": "Specify the rate at which CDP packets are sent (in sec)",
  "cdp timer <seconds>": "Rate at which CDP packets are sent (in  sec)",
  "cdp holdtime": "Specify the holdtime (in sec) to be sent in packets",
  "cdp holdtime <seconds>": "Length  of time  (in sec) that receiver must keep this packet",
};

const INTERFACE: Readonly<Record<string, string>> = {
  cdp: "CDP interface subcommands",
  "cdp enable": "Enable CDP on interface",
};

/** Registers the CDP help texts on the router's command table. */
export function describeCdpCommands(table: object): void {
  describeCommands(table, "exec", EXEC);
  describeCommands(table, "config", CONFIG);
  describeCommands(table, ["config-if", "config-subif"], INTERFACE);
}
