// Next-hop override in CEF (IOS 15's NHO, DMVPN phase 3): when an NHRP
// shortcut for a network lost to a better route in the RIB (`%` in show ip
// route), CEF forwards that network to the shortcut's overlay next hop (the
// far spoke) out of the tunnel instead of the route's next hop (the hub), and
// `show ip cef` prints that next hop, as IOS reprograms its FIB entry.

import { nhrpProcess } from "../nhrp/nhrp-store.ts";
import type { RouterDevice } from "./router-device.ts";

/** The next hop and tunnel CEF uses for a network whose route an NHRP shortcut overrides, if one does. */
export function cefNextHopOverride(
  device: RouterDevice,
  prefix: number,
  length: number,
): { nextHop: number; interface: string } | undefined {
  for (const n of nhrpProcess(device)?.all() ?? []) {
    const e = n.cache.get(prefix >>> 0, length);
    if (e?.flags.rib === true && e.nbma !== null && !n.routeInstalled(e))
      return { nextHop: e.nextHop, interface: n.ifc.name };
  }
  return undefined;
}
