// A router's ODR as the IOS layer keeps it: the `router odr` configuration,
// whether the router is a stub (it runs no routing protocol, so its CDP
// carries its connected prefixes), and the IP Prefix item its CDP sends out
// of an interface: a hub's own address there (the stubs' default gateway), a
// stub's connected prefixes, or nothing.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import type { CdpPrefixItem } from "../../protocols/cdp/cdp-process.ts";
import { ODR_INSTANCE, type OdrConfig, type OdrProcess } from "../../protocols/odr/odr-process.ts";
import type { RouterDevice } from "../router/router-device.ts";

const configs = new WeakMap<RouterDevice, OdrConfig>();

/** The `router odr` configuration, if configured. */
export function odrConfig(device: RouterDevice): OdrConfig | undefined {
  return configs.get(device);
}

export function setOdrConfig(device: RouterDevice, config: OdrConfig | undefined): void {
  if (config === undefined) configs.delete(device);
  else configs.set(device, config);
}

/** The running ODR process. */
export function odrProcess(device: RouterDevice): OdrProcess | undefined {
  return device.protocols.get(ODR_INSTANCE) as OdrProcess | undefined;
}

/** Protocol-set instances that are routing protocols (a router running one is no ODR stub). */
const ROUTING = /^(rip|ospf|eigrp|bgp|odr)\b/;

/** True while the router runs no routing protocol (connected and static routes only). */
export function isOdrStub(device: RouterDevice): boolean {
  return !device.protocols.names().some((n) => ROUTING.test(n));
}

/** What ODR puts in the IP Prefix item of a CDP advertisement out of `ifc`. */
export function odrPrefixItem(device: RouterDevice, ifc: RouterInterface): CdpPrefixItem {
  if (odrProcess(device) !== undefined) {
    const a = ifc.config.address;
    return a === undefined ? null : { defaultGateway: a.address };
  }
  if (!isOdrStub(device)) return null;
  const prefixes: Array<{ prefix: number; length: number }> = [];
  for (const i of device.interfaces()) {
    if (!i.lineProtocolUp || i.kind === "null") continue;
    for (const a of i.addresses()) {
      const mask = a.length === 0 ? 0 : (0xffffffff << (32 - a.length)) >>> 0;
      const prefix = (a.address & mask) >>> 0;
      if (!prefixes.some((p) => p.prefix === prefix && p.length === a.length))
        prefixes.push({ prefix, length: a.length });
    }
  }
  return prefixes.length === 0 ? null : { prefixes };
}
