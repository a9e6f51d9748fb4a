// Public surface of the IOS CDP configuration: the commands and the
// running-config lines. The protocol itself is src/protocols/cdp.

export { addCdpCommands } from "./cdp-commands.ts";
export { cdpGlobalLines, cdpInterfaceLines } from "./cdp-running-config.ts";
