// The routers' NHRP configuration as the `ip nhrp` commands build it: one
// NhrpInterfaceConfig per interface, kept beside the interface (keyed by it)
// so the router model needs no NHRP fields, and the process, started with the
// first `ip nhrp network-id` and stopped when none is left.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { emptyNhrpConfig, type NhrpInterfaceConfig } from "../../protocols/nhrp/nhrp-config.ts";
import { type NhrpProcess, nhrpProtocol } from "../../protocols/nhrp/nhrp-process.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { nhrpRenderer } from "./nhrp-events.ts";

/** The instance name of the process in the router's protocol set. */
export const NHRP_INSTANCE = "nhrp";

const configs = new WeakMap<RouterInterface, NhrpInterfaceConfig>();

/** An interface's NHRP configuration, if any `ip nhrp` command was given. */
export function nhrpConfig(ifc: RouterInterface): NhrpInterfaceConfig | undefined {
  return configs.get(ifc);
}

/** The configuration, created on the first `ip nhrp` command. */
export function ensureNhrpConfig(ifc: RouterInterface): NhrpInterfaceConfig {
  let c = configs.get(ifc);
  if (c === undefined) configs.set(ifc, (c = emptyNhrpConfig()));
  return c;
}

/** The running process, if any. */
export function nhrpProcess(device: RouterDevice): NhrpProcess | undefined {
  return device.protocols.get(NHRP_INSTANCE) as NhrpProcess | undefined;
}

/** Starts, updates or stops the process after an `ip nhrp` command. */
export function syncNhrp(device: RouterDevice): void {
  const wanted = device.interfaces().some((i) => configs.get(i)?.networkId !== undefined);
  const running = nhrpProcess(device);
  if (!wanted) {
    if (running !== undefined) device.protocols.stop(NHRP_INSTANCE);
    return;
  }
  if (running === undefined) device.protocols.start(nhrpProtocol(nhrpConfig), nhrpRenderer(device), NHRP_INSTANCE);
  else running.sync();
}
