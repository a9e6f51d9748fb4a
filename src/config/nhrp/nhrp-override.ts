// Next-hop override as `show ip route` marks it (`%`): a route whose network
// has an NHRP shortcut that lost to it in the RIB, so the tunnel sends that
// network's traffic to the shortcut's NBMA address instead of the route's
// next hop (IOS 15's NHO, DMVPN phase 3 with routes learned through the hub).

import type { RouterDevice } from "../router/router-device.ts";
import { nhrpProcess } from "./nhrp-store.ts";

/** True when an NHRP shortcut for exactly this network overrides the installed route's next hop. */
export function nhrpOverridesRoute(device: RouterDevice, prefix: number, length: number): boolean {
  for (const n of nhrpProcess(device)?.all() ?? []) {
    const e = n.cache.get(prefix >>> 0, length);
    if (e?.flags.rib === true && !n.routeInstalled(e)) return true;
  }
  return false;
}
