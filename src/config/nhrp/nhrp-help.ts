// IOS's `?` help texts for the NHRP commands, keyed as config/cli/help.ts
// describes, in IOS 15's wording.

import { describeCommands } from "../cli/help.ts";

const EXEC: Readonly<Record<string, string>> = {
  "show dmvpn": "DMVPN information",
  "show dmvpn detail": "Detailed DMVPN information",
  "show ip nhrp": "NHRP information",
  "show ip nhrp brief": "Brief display",
  "show ip nhrp detail": "Detailed display",
  "show ip nhrp shortcut": "Shortcut entries",
  "show ip nhrp nhs": "Next Hop Server information",
  "show ip nhrp nhs detail": "Detailed Output",
  "show ip nhrp traffic": "NHRP traffic statistics",
  "clear ip nhrp": "Clear NHRP cache",
  "debug nhrp": "NHRP protocol",
  "undebug nhrp": "NHRP protocol",
};

const INTERFACE: Readonly<Record<string, string>> = {
  "ip nhrp": "NHRP interface subcommands",
  "ip nhrp network-id": "NBMA Network identifier",
  "ip nhrp network-id <id>": "Network identifier",
  "ip nhrp authentication": "Authentication string",
  "ip nhrp authentication <password>": "Authentication string",
  "ip nhrp map": "Map dest IP addresses to NBMA addresses",
  "ip nhrp map multicast": "Use this NBMA mapping for broadcasts/multicasts",
  "ip nhrp map multicast dynamic": "Dynamically learn multicast NBMA addresses",
  "ip nhrp map multicast <nbma>": "IP NBMA address",
  "ip nhrp map <protocol>": "IP address of destination",
  "ip nhrp map <nbma>": "IP NBMA address",
  "ip nhrp nhs": "Specify a next hop server",
  "ip nhrp nhs <nhs>": "IP address of next hop server",
  "ip nhrp nhs nbma": "Next hop server NBMA address",
  "ip nhrp nhs <nbma>": "NBMA address of next hop server",
  "ip nhrp nhs multicast": "Use this NBMA mapping for broadcasts/multicasts",
  "ip nhrp nhs <line>": "The rest of the line",
  "ip nhrp holdtime": "Advertised holdtime",
  "ip nhrp holdtime <seconds>": "Number of seconds",
  "ip nhrp registration": "Settings for registration packets",
  "ip nhrp registration timeout": "Interval for periodic registration",
  "ip nhrp registration timeout <seconds>": "Number of seconds",
  "ip nhrp redirect": "Enable NHRP redirect",
  "ip nhrp shortcut": "Enable shortcut switching",
};

/** Registers the NHRP help texts. */
export function describeNhrpCommands(table: object): void {
  describeCommands(table, "exec", EXEC);
  describeCommands(table, ["config-if", "config-subif"], INTERFACE);
}
