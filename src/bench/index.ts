// Benchmarks and the lab generators they use (chain, idle fleet), for the
// `bench` command and for later scale commands.
export { chainLab, type ChainLab, type ChainLinkKind, type ChainOptions } from "./chain-lab.ts";
export { idleFleet, type IdleFleet, type IdleFleetOptions } from "./idle-fleet.ts";
export { deviceName, dottedQuad } from "./device-names.ts";
export { framesReceived, framesReceivedByAll } from "./interface-counters.ts";
export { benchForwarding, type ForwardingOptions, type ForwardingResult } from "./forwarding.ts";
export { benchIdleStart, type IdleStartOptions, type IdleStartResult } from "./idle-start.ts";
export { renderTable, fmt, type Cell } from "./table.ts";
