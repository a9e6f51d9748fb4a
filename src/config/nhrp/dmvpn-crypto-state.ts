// The State column of `show dmvpn` on a protected mGRE tunnel (IPsec over
// DMVPN): IOS shows how far a peer got in the order of operations, crypto
// first, then NHRP. "IKE": no ISAKMP SA with the peer's NBMA address is up
// (QM_IDLE) yet; "IPSEC": ISAKMP is up but the tunnel's map has no IPsec SA
// pair with the peer; after that NHRP decides ("NHRP" until registered or
// resolved, then "UP"). Looked up by the peer's address, never by walking
// every SA.

import type { NhrpInterface } from "../../protocols/nhrp/nhrp-interface.ts";
import type { RouterDevice } from "../router/router-device.ts";

/** How far crypto got with an NBMA peer: null when the tunnel is not protected or crypto is up. */
export function dmvpnCryptoState(device: RouterDevice, n: NhrpInterface, nbma: number | null): "IKE" | "IPSEC" | null {
  const protection = n.ifc.config.tunnel?.protection;
  if (protection === undefined || nbma === null) return null;
  for (const flow of device.ipsec?.flowsOfPeer(nbma) ?? [])
    if (flow.request.mapName === protection.map && flow.pairs.length > 0) return null;
  const ikeUp = (device.ike?.sasWith(nbma) ?? []).some((sa) => !sa.deleted && sa.state === "QM_IDLE");
  return ikeUp ? "IPSEC" : "IKE";
}
