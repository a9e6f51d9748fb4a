// Public surface of the IOS NHRP configuration: the commands and the
// running-config lines. The protocol itself is src/protocols/nhrp.

export { addNhrpCommands } from "./nhrp-commands.ts";
export { nhrpInterfaceLines } from "./nhrp-running-config.ts";
