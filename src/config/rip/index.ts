// Public surface of the IOS RIP configuration: the commands, the
// running-config lines and the debug renderer. The protocol itself is
// src/protocols/rip.

export { addRipCommands } from "./rip-commands.ts";
export { ripDebugText, ripRenderer } from "./rip-debug.ts";
export { ripInterfaceLines, ripRouterLines } from "./rip-running-config.ts";
