// The crypto map IOS builds for `tunnel protection` (Tunnel0-head-0) when the
// tunnel is sourced from a physical interface: at boot that port is still down
// while the configuration loads (carrier comes after), and the map must be built
// from the interface's configured address anyway, or the VTI never asks IKE for
// its SA. A GRE tunnel listed before its source interface (IOS's own order)
// builds it when it first sends.

import { expect, test } from "bun:test";
import { tunnelOf } from "../../../src/dataplane/tunnel/gre-tunnels.ts";
import { emitIpv4, IP_PROTO_UDP } from "../../../src/wire/ipv4.ts";
import { parseIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { routerSession } from "./router-session.ts";

test("a VTI sourced from a down GigabitEthernet gets its protection map entry from the configured address", () => {
  const r = routerSession();
  const errors = r.load([
    "crypto ipsec transform-set TS esp-aes esp-sha-hmac",
    "crypto ipsec profile P",
    " set transform-set TS",
    "interface GigabitEthernet0/0",
    " ip address 10.0.12.1 255.255.255.0",
    "interface Tunnel0",
    " tunnel source GigabitEthernet0/0",
    " tunnel destination 10.0.12.2",
    " tunnel mode ipsec ipv4",
    " tunnel protection ipsec profile P",
  ]);
  expect(errors).toEqual([]);
  expect(r.device.stack.interface("GigabitEthernet0/0")!.lineProtocolUp).toBe(false);
  const map = r.device.crypto.cryptoMaps.get("Tunnel0-head-0")!;
  expect(map.entries.length).toBe(1);
  expect(map.entries[0]!.peers).toEqual([parseIpv4Address("10.0.12.2")!]);
  expect(map.localAddressInterface).toBe("GigabitEthernet0/0");
});

test("a GRE tunnel configured before its source interface (IOS's running-config order) gets its map once it sends", () => {
  const r = routerSession();
  const errors = r.load([
    "crypto ipsec transform-set TS esp-aes esp-sha-hmac",
    "crypto ipsec profile P",
    " set transform-set TS",
    "interface Tunnel0",
    " ip address 172.16.0.1 255.255.255.252",
    " tunnel source GigabitEthernet0/0",
    " tunnel destination 10.0.12.2",
    " tunnel protection ipsec profile P",
    "interface GigabitEthernet0/0",
    " ip address 10.0.12.1 255.255.255.0",
    " no shutdown",
  ]);
  expect(errors).toEqual([]);
  // The source had no address when the tunnel line came: the map is there, still empty.
  expect(r.device.crypto.cryptoMaps.get("Tunnel0-head-0")!.entries.length).toBe(0);
  const gi = r.device.findInterface("Gi0/0")!;
  gi.carrier = true;
  r.device.interfaceChanged(gi, true);
  // The tunnel's first datagram finds the map empty and builds it (then waits for IKE).
  const tunnel = r.device.findInterface("Tunnel0")!;
  expect(tunnel.lineProtocolUp).toBe(true);
  const inner = emitIpv4({
    dscp: 0,
    ecn: 0,
    identification: 1,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol: IP_PROTO_UDP,
    src: parseIpv4Address("172.16.0.1")!,
    dst: parseIpv4Address("172.16.0.2")!,
    options: new Uint8Array(0),
    payload: new Uint8Array(8),
  });
  expect(tunnelOf(tunnel)!.encapsulate(inner).ok).toBe(false);
  const map = r.device.crypto.cryptoMaps.get("Tunnel0-head-0")!;
  expect(map.entries.length).toBe(1);
  expect(map.entries[0]!.peers).toEqual([parseIpv4Address("10.0.12.2")!]);
});
