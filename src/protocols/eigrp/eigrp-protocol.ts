// The EIGRP process as a protocol definition for the router's protocol set
// (src/protocols/protocol.ts): `router eigrp N` starts it with its configuration.

import type { ProtocolDefinition } from "../protocol.ts";
import type { EigrpConfig } from "./eigrp-config.ts";
import { EigrpInstance } from "./eigrp-instance.ts";
import type { EigrpEvent } from "./events.ts";

/** The definition of an EIGRP process over the given configuration. */
export function eigrpProtocol(config: EigrpConfig): ProtocolDefinition<EigrpInstance, EigrpEvent> {
  return { name: "eigrp", create: (host) => new EigrpInstance(host, config) };
}
