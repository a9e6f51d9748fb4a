// Public surface of the IOS OSPF configuration: the commands, the
// running-config lines and the syslog renderer. The protocol itself is
// src/protocols/ospf.

export { addOspfCommands } from "./ospf-commands.ts";
export { ospfDebugLines } from "./ospf-debug.ts";
export { ospfInterfaceLines, ospfRouterLines } from "./ospf-running-config.ts";
export { ospfEventText, ospfRenderer } from "./ospf-syslog.ts";
