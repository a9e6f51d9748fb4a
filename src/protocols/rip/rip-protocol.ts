// The RIP process as a protocol definition for the router's protocol set
// (src/protocols/protocol.ts): `router rip` starts it with its configuration.

import type { ProtocolDefinition } from "../protocol.ts";
import type { RipEvent } from "./events.ts";
import type { RipConfig } from "./rip-config.ts";
import { RipInstance } from "./rip-instance.ts";

/** The definition of a RIP process over the given configuration. */
export function ripProtocol(config: RipConfig): ProtocolDefinition<RipInstance, RipEvent> {
  return { name: "rip", create: (host) => new RipInstance(host, config) };
}
