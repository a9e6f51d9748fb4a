// A router's CDP configuration as the IOS commands build it: the global
// `cdp run`, `cdp timer`, `cdp holdtime` (kept beside the device, keyed by it)
// and the interfaces' `[no] cdp enable` overrides. Defaults follow the seed's
// platform (seed 001: "enable cdp on all routers and tunnel interfaces"): CDP
// is off until `cdp run`; then it runs on Ethernet and serial interfaces
// unless `no cdp enable`, and on a tunnel only with `cdp enable`.
// The services the running process uses (framing per interface kind, the
// software version and platform, ODR's IP Prefix item) are built here.

import { setCdpReceiver } from "../../dataplane/pipeline/link-control.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import {
  CDP_DEFAULT_HOLDTIME_SEC,
  CDP_DEFAULT_TIMER_SEC,
  CDP_INSTANCE,
  type CdpConfig,
  type CdpPrefixItem,
  type CdpProcess,
  type CdpServices,
} from "../../protocols/cdp/cdp-process.ts";
import type { RouterDevice } from "../router/router-device.ts";

/** The platform string IOS puts in CDP (`show version`'s chassis). */
export const CDP_PLATFORM = "Cisco 7206VXR";
/** The Software Version item: `show version`'s first lines. */
export const CDP_SOFTWARE_VERSION = [
  "Cisco IOS Software, wanlab Software (WANLAB-ADVENTERPRISEK9-M), Version 15.2(4)M11, RELEASE SOFTWARE (fc2)",
  "Technical Support: http://www.cisco.com/techsupport",
  "Copyright (c) 1986-2016 by Cisco Systems, Inc.",
  "Compiled Sat 08-Oct-16 08:03 by prod_rel_team",
].join("\n");

const configs = new WeakMap<RouterDevice, CdpConfig>();
const overrides = new WeakMap<RouterInterface, boolean>();

/** The global settings (defaults until changed). */
export function cdpConfig(device: RouterDevice): CdpConfig {
  let c = configs.get(device);
  if (c === undefined) {
    c = { timerSec: CDP_DEFAULT_TIMER_SEC, holdtimeSec: CDP_DEFAULT_HOLDTIME_SEC };
    configs.set(device, c);
  }
  return c;
}

/** The running CDP process (`cdp run`), if any. */
export function cdpProcess(device: RouterDevice): CdpProcess | undefined {
  return device.protocols.get(CDP_INSTANCE) as CdpProcess | undefined;
}

/** CDP's default on an interface of this kind once `cdp run` is on. */
export function cdpDefaultOn(ifc: RouterInterface): boolean {
  return ifc.kind === "ethernet" || ifc.kind === "serial";
}

/** Whether CDP runs on an interface (its `[no] cdp enable`, else the kind's default; never where the kind cannot carry it). */
export function cdpEnabledOn(ifc: RouterInterface): boolean {
  if (ifc.driver.outputCdp === undefined) return false;
  return overrides.get(ifc) ?? cdpDefaultOn(ifc);
}

/** `[no] cdp enable`: an override only where it differs from the default. */
export function setCdpEnabled(ifc: RouterInterface, on: boolean): void {
  if (on === cdpDefaultOn(ifc)) overrides.delete(ifc);
  else overrides.set(ifc, on);
}

/** The override on an interface, for the running configuration. */
export function cdpOverride(ifc: RouterInterface): boolean | undefined {
  return overrides.get(ifc);
}

/** The router's services for its CDP process; `ipPrefixItem` is ODR's (see odr-store.ts). */
export function cdpServices(device: RouterDevice, ipPrefixItem: (ifc: RouterInterface) => CdpPrefixItem): CdpServices {
  return {
    config: cdpConfig(device),
    enabledOn: cdpEnabledOn,
    send: (ifc, payload) => ifc.driver.outputCdp?.(device.stack, ifc, payload) ?? false,
    listen: (receiver) => setCdpReceiver(device.stack, receiver),
    platform: CDP_PLATFORM,
    softwareVersion: CDP_SOFTWARE_VERSION,
    ipPrefixItem,
  };
}
