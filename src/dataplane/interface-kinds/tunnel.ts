// Tunnel interfaces (`interface TunnelN`): a routed point-to-point (or, as
// mGRE, multipoint) interface with no port. A datagram routed out of one is wrapped in GRE (RFC 2784)
// and an outer IPv4 header and routed again towards the tunnel destination;
// GRE arriving for the tunnel comes back in through it. The per-device work
// (encapsulation, decapsulation, keepalives, line-protocol evaluation) is the
// device's GreTunnels (../tunnel/gre-tunnels.ts), found through the interface.

import { tunnelOf } from "../tunnel/gre-tunnels.ts";
import type { InterfaceKindDriver } from "./interface-kind.ts";

/** IOS's layer-2 MTU of a GRE tunnel interface (`MTU 17916 bytes` in show interfaces). */
export const TUNNEL_L2_MTU = 17916;

/** `interface TunnelN` (GRE over IPv4). */
export const tunnelKind: InterfaceKindDriver = {
  kind: "tunnel",
  hasPort: false,
  defaultMtu: TUNNEL_L2_MTU,
  // IOS: BW 100 Kbit/sec, DLY 50000 usec on a tunnel interface.
  defaultDelayTensOfUs: () => 5000,
  defaultBandwidthKbps: 100,
  lineProtocol(ifc) {
    return tunnelOf(ifc)?.lineState().up ?? false;
  },
  defaultIpMtu(ifc) {
    return tunnelOf(ifc)?.defaultIpMtu() ?? TUNNEL_L2_MTU;
  },
  output(_stack, egress, nextHop, dgram) {
    const tunnel = tunnelOf(egress);
    if (tunnel === undefined) return { ok: false, failure: "encapsulationFailed", egress };
    // mGRE needs the overlay next hop to find its NBMA address.
    return tunnel.encapsulate(dgram, nextHop);
  },
  outputCdp(_stack, egress, payload) {
    return tunnelOf(egress)?.sendCdp(payload) ?? false;
  },
};
