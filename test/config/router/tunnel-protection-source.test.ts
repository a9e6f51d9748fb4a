// The crypto map IOS builds for `tunnel protection` (Tunnel0-head-0) when the
// tunnel is sourced from a physical interface: at boot that port is still down
// while the configuration loads (carrier comes after), and the map must be built
// from the interface's configured address anyway, or the VTI never asks IKE for
// its SA.

import { expect, test } from "bun:test";
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
