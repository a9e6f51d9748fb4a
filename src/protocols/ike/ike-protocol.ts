// IKEv1 as a router protocol: the ISAKMP daemon is created on the router's
// protocol host (UDP 500/4500 bindings, routed sending, interfaces) with the
// IKE-specific services it needs besides (crypto configuration, the
// crypto-map data plane, logging). IKE still writes its own IOS text.

import type { ProtocolDefinition } from "../protocol.ts";
import { type IkeHost, IkeV1Engine } from "./v1/ike-engine.ts";

/** What IKE needs from the router besides the protocol host. */
export type IkeServices = Omit<IkeHost, "net" | "hostname">;

/** The IKEv1 protocol definition for one router. */
export function ikeProtocol(services: IkeServices): ProtocolDefinition<IkeV1Engine, never> {
  return {
    name: "isakmp",
    create(net) {
      const host: IkeHost = Object.assign(Object.create(null) as object, services, {
        net,
        get hostname() {
          return net.hostname;
        },
      });
      return new IkeV1Engine(host);
    },
  };
}
