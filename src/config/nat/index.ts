// Public surface of the IOS NAT CLI: the commands (interfaces, global config,
// show, clear, debug), the running-config lines and the show renderers. The
// model and the data plane are in src/dataplane/nat/.

export { addNatCommands } from "./nat-commands.ts";
export { poolLine, renderNatConfig, staticLine } from "./nat-running-config.ts";
export { renderShowIpNatStatistics, renderShowIpNatTranslations, translationLine } from "./show-nat.ts";
