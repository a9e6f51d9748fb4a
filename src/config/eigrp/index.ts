// Public surface of the IOS EIGRP configuration: the commands, the
// running-config lines, the syslog renderer and show ip protocols' block.
// The protocol itself is src/protocols/eigrp.

export { addEigrpCommands } from "./eigrp-commands.ts";
export { eigrpInterfaceLines, eigrpRouterLines } from "./eigrp-running-config.ts";
export { eigrpEventText, eigrpRenderer } from "./eigrp-syslog.ts";
export { renderShowIpProtocolsEigrp } from "./show-eigrp.ts";
