// OSPF interface network types (RFC 2328 1.2, 9; point-to-multipoint 9 and
// C.3; IOS's loopback type) and the defaults IOS gives each: hello and dead
// intervals, whether a DR is elected, whether hellos are multicast.

export type OspfNetworkType = "broadcast" | "nonBroadcast" | "pointToPoint" | "pointToMultipoint" | "loopback";

export interface NetworkTypeTraits {
  helloSec: number;
  deadSec: number;
  /** A DR and BDR are elected (broadcast and NBMA). */
  electsDr: boolean;
  /** Hellos go to AllSPFRouters; otherwise unicast to configured neighbors. */
  multicast: boolean;
}

export const NETWORK_TYPE_TRAITS: Readonly<Record<OspfNetworkType, NetworkTypeTraits>> = {
  broadcast: { helloSec: 10, deadSec: 40, electsDr: true, multicast: true },
  nonBroadcast: { helloSec: 30, deadSec: 120, electsDr: true, multicast: false },
  pointToPoint: { helloSec: 10, deadSec: 40, electsDr: false, multicast: true },
  pointToMultipoint: { helloSec: 30, deadSec: 120, electsDr: false, multicast: true },
  loopback: { helloSec: 10, deadSec: 40, electsDr: false, multicast: false },
};
