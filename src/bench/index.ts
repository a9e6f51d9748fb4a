// Benchmarks and the lab generators they use (chain, idle fleet), for the
// `bench` command and for later scale commands.
export { type ChainLab, type ChainLinkKind, type ChainOptions, chainLab } from "./chain-lab.ts";
export { deviceName, dottedQuad } from "./device-names.ts";
export { benchForwarding, type ForwardingOptions, type ForwardingResult } from "./forwarding.ts";
export { type IdleFleet, type IdleFleetOptions, idleFleet } from "./idle-fleet.ts";
export { benchIdleStart, type IdleStartOptions, type IdleStartResult } from "./idle-start.ts";
export { framesReceived, framesReceivedByAll } from "./interface-counters.ts";
export { type Cell, fmt, renderTable } from "./table.ts";
