// A router's RIP configuration as the IOS commands build it: the `router rip`
// process (its RipConfig is the object the running instance reads) and the
// interfaces' `no ip split-horizon`, kept beside the device (keyed by it) so
// the router model needs no RIP fields. The config's policy callbacks look up
// the device's prefix lists and route maps at evaluation time.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { prefixListPermits } from "../../dataplane/prefix-list.ts";
import { evaluateRouteMap } from "../../dataplane/route-map.ts";
import { emptyRipConfig, type RipConfig } from "../../protocols/rip/rip-config.ts";
import type { RipInstance } from "../../protocols/rip/rip-instance.ts";
import { routePolicy, routePolicyLookups } from "../route-policy/route-policy-store.ts";
import type { RouterDevice } from "../router/router-device.ts";

/** The instance name of the process in the router's protocol set. */
export const RIP_INSTANCE = "rip";

const processes = new WeakMap<RouterDevice, RipConfig>();
/** Interfaces with `no ip split-horizon`. */
const noSplitHorizon = new WeakSet<RouterInterface>();

/** The `router rip` configuration, if the process exists. */
export function ripConfig(device: RouterDevice): RipConfig | undefined {
  return processes.get(device);
}

/** A new process configuration wired to the device's policy objects and interfaces. */
export function newRipConfig(device: RouterDevice): RipConfig {
  const config: RipConfig = {
    ...emptyRipConfig(),
    splitHorizon: (name) => {
      const ifc = device.stack.interface(name);
      return ifc === undefined || !noSplitHorizon.has(ifc);
    },
    prefixListPermits: (name, prefix, length) => {
      const list = routePolicy(device).prefixLists.get(name);
      return list === undefined || prefixListPermits(list, prefix, length);
    },
    routeMap: (name, subject) => {
      const map = routePolicy(device).routeMaps.get(name);
      return map === undefined ? undefined : evaluateRouteMap(map, subject, routePolicyLookups(device));
    },
  };
  processes.set(device, config);
  return config;
}

/** Forgets the process (`no router rip`). */
export function deleteRipConfig(device: RouterDevice): void {
  processes.delete(device);
}

/** The running process, if any. */
export function ripInstance(device: RouterDevice): RipInstance | undefined {
  return device.protocols.get(RIP_INSTANCE) as RipInstance | undefined;
}

/** Whether split horizon is on for an interface (IOS's default). */
export function splitHorizonOn(ifc: RouterInterface): boolean {
  return !noSplitHorizon.has(ifc);
}

/** `[no] ip split-horizon`. */
export function setSplitHorizon(ifc: RouterInterface, on: boolean): void {
  if (on) noSplitHorizon.delete(ifc);
  else noSplitHorizon.add(ifc);
}
