// The host device actor: an end station (PC, server) with an address and a
// default gateway, no routing, and Windows-style ping.

import { hostCommandTable } from "../src/config/router/host-commands.ts";
import type { DeviceActor } from "../src/runtime/device.ts";
import { IosDeviceActor } from "./router.ts";

/** Builds a host actor. */
export function createHost(name: string, configText: string): DeviceActor {
  return new IosDeviceActor(name, configText, "host", hostCommandTable());
}
