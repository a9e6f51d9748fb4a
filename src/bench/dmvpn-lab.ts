// The lab of the `bench dmvpn` command: scenarios/dmvpn-1000 at a given number
// of spokes (its groups scaled: SPOKE = n, PE = n / 25 rounded up), so the
// benchmark measures the very lab the scenario test checks. `ipsec: "group14"`
// adds seed 001's IPsec over DMVPN to the hub and every spoke: an ISAKMP policy
// with Diffie-Hellman group 14, the wildcard pre-shared key, an ESP transform
// set in transport mode and `tunnel protection` on Tunnel0 (after the tunnel
// source has its address). It also says what the benchmark needs to know about
// the lab: the spokes' names and LAN addresses.

import type { LabSpec } from "../runtime/topology.ts";
import { loadScenario } from "../scenario/load.ts";

/** Spokes per provider-edge router in dmvpn-1000 (pe.cfg's access ports). */
export const SPOKES_PER_PE = 25;

/** The routing protocol over the tunnel: EIGRP as the scenario has it, or OSPF point-to-multipoint (seed 001's phase 3 variant). */
export type DmvpnRouting = "eigrp" | "ospf";

/** IPsec on the tunnels: none, or IKEv1 with DH group 14 and ESP in transport mode. */
export type DmvpnIpsec = "none" | "group14";

/** What `--ipsec group14` adds to the hub's and each spoke's configuration. */
export const IPSEC_GROUP14_LINES = [
  "crypto isakmp policy 10",
  " encr aes 256",
  " hash sha256",
  " authentication pre-share",
  " group 14",
  "crypto isakmp key DMVPN-SCALE address 0.0.0.0 0.0.0.0",
  "!",
  "crypto ipsec transform-set DMVPN-TS esp-aes 256 esp-sha-hmac",
  " mode transport",
  "!",
  "crypto ipsec profile DMVPN-PROFILE",
  " set transform-set DMVPN-TS",
  "!",
  "interface Tunnel0",
  " tunnel protection ipsec profile DMVPN-PROFILE",
  "!",
];

export interface DmvpnLab {
  spec: LabSpec;
  hub: string;
  /** SPOKE1 ... SPOKEn. */
  spokes: string[];
  /** Each spoke's LAN address (its Loopback0), by index in spokes. */
  lans: string[];
  pes: number;
}

/** dmvpn-1000 with `spokes` spokes. */
export function dmvpnLab(
  spokes: number,
  seed = 1,
  ipsec: DmvpnIpsec = "none",
  routing: DmvpnRouting = "eigrp",
): DmvpnLab {
  if (!(Number.isInteger(spokes) && spokes >= 2 && spokes <= 6000))
    throw new Error("bench dmvpn needs 2 to 6,000 spokes");
  const pes = Math.ceil(spokes / SPOKES_PER_PE);
  const { lab } = loadScenario("dmvpn-1000", seed, undefined, undefined, { SPOKE: spokes, PE: pes });
  const names = Array.from({ length: spokes }, (_, i) => `SPOKE${i + 1}`);
  // The last PE may serve fewer than 25 spokes: its unwired access ports would be refused, so they go.
  const last = lab.devices.find((d) => d.name === `PE${pes}`);
  for (let port = spokes - (pes - 1) * SPOKES_PER_PE + 1; last !== undefined && port <= SPOKES_PER_PE; port++)
    last.config = last.config.replace(new RegExp(`\ninterface GigabitEthernet${port}/0\n( [^\n]*\n)*!\n`), "\n");
  if (routing === "ospf")
    for (const d of lab.devices)
      if (d.name === "HUB" || d.name.startsWith("SPOKE")) d.config = ospfOverlay(d.config, d.name === "HUB");
  if (ipsec === "group14")
    for (const d of lab.devices) {
      if (d.name !== "HUB" && !d.name.startsWith("SPOKE")) continue;
      const end = d.config.lastIndexOf("\nend");
      if (end < 0) throw new Error(`dmvpn-1000's ${d.name} configuration has no end line`);
      d.config = `${d.config.slice(0, end + 1)}${IPSEC_GROUP14_LINES.join("\n")}\n${d.config.slice(end + 1)}`;
    }
  const configs = new Map(lab.devices.map((d) => [d.name, d.config]));
  const lans = names.map((name) => {
    const m = /\ninterface Loopback0\n ip address (\S+) /.exec(configs.get(name) ?? "");
    if (m === null) throw new Error(`dmvpn-1000's ${name} has no Loopback0 address`);
    return m[1]!;
  });
  return { spec: lab, hub: "HUB", spokes: names, lans, pes };
}

/**
 * The OSPF variant of a hub or spoke configuration (seed 001's phase 3 with OSPF): EIGRP's lines go, Tunnel0
 * becomes point-to-multipoint and an OSPF process (the hub's second one, its first runs the provider core)
 * takes the tunnel and the LAN. Spoke-to-spoke routes then go through the hub at distance 110, and a
 * shortcut (distance 250) overrides their next hop (`%`) instead of becoming an `H` route.
 */
function ospfOverlay(config: string, hub: boolean): string {
  const kept = config
    .replace(/\nrouter eigrp 1\n( [^\n]*\n)*/, "\n")
    .replace(/\n ip summary-address eigrp 1 [^\n]*/, "")
    .replace(/\n no ip split-horizon eigrp 1/, "");
  const end = kept.lastIndexOf("\nend");
  // The LAN goes as its /24 (seed 001's loopbacks), so a shortcut overrides the OSPF route's next hop.
  const lines = [
    "interface Tunnel0",
    " ip ospf network point-to-multipoint",
    "interface Loopback0",
    " ip ospf network point-to-point",
    "!",
    ...(hub
      ? [
          "router ospf 2",
          " router-id 10.0.0.1",
          " network 10.0.0.0 0.0.255.255 area 0",
          " network 192.168.0.0 0.0.0.255 area 0",
        ]
      : ["router ospf 1", " network 10.0.0.0 0.0.255.255 area 0", " network 172.16.0.0 0.15.255.255 area 0"]),
    "!",
  ];
  return `${kept.slice(0, end + 1)}${lines.join("\n")}\n${kept.slice(end + 1)}`;
}
