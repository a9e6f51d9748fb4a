// A router's route policy objects as the IOS commands build them: its
// `ip prefix-list`s and `route-map`s, kept beside the device (keyed by it) so
// the router model needs no policy fields. Consumers (RIP, EIGRP, OSPF, later
// BGP, PBR and NAT) look lists up by name when they evaluate, so an edit
// applies at the next evaluation.

import type { PrefixList } from "../../dataplane/prefix-list.ts";
import type { RouteMap, RouteMapLookups } from "../../dataplane/route-map.ts";
import type { RouterDevice } from "../router/router-device.ts";

/** The policy objects of one router. */
export interface RoutePolicyState {
  readonly prefixLists: Map<string, PrefixList>;
  readonly routeMaps: Map<string, RouteMap>;
}

const states = new WeakMap<RouterDevice, RoutePolicyState>();

/** The route policy of a device (created empty on first use). */
export function routePolicy(device: RouterDevice): RoutePolicyState {
  let s = states.get(device);
  if (s === undefined) {
    s = { prefixLists: new Map(), routeMaps: new Map() };
    states.set(device, s);
  }
  return s;
}

/** How a route map evaluated on this device finds its access lists and prefix lists. */
export function routePolicyLookups(device: RouterDevice): RouteMapLookups {
  const policy = routePolicy(device);
  return {
    acl: (name) => device.acls.get(name),
    prefixList: (name) => policy.prefixLists.get(name),
  };
}
