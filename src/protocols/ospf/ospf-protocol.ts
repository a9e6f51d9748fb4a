// The OSPF process as a protocol definition on the router's contract: the IOS
// layer starts one per `router ospf N` with its configuration and a renderer
// for the events (device.protocols.start(ospfProtocol(config), render, "ospf N")).

import type { ProtocolDefinition } from "../protocol.ts";
import type { OspfEvent } from "./events.ts";
import type { OspfProcessConfig } from "./ospf-config.ts";
import { OspfInstance } from "./ospf-instance.ts";

/** A definition that starts an OSPF process with `config`. */
export function ospfProtocol(config: OspfProcessConfig): ProtocolDefinition<OspfInstance, OspfEvent> {
  return { name: "ospf", create: (host) => new OspfInstance(host, config) };
}
