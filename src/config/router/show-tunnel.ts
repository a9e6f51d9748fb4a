// The tunnel lines of `show interfaces TunnelN`, as IOS 15 prints them for a
// GRE/IP (or multi-GRE/IP) tunnel: encapsulation, keepalive, line-state evaluation, source and
// destination, protocol/transport, key and sequencing, TTL, transport MTU.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { tunnelOf } from "../../dataplane/tunnel/gre-tunnels.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";

/** The lines after `reliability ...` in a tunnel's `show interfaces` block. */
export function tunnelInterfaceLines(ifc: RouterInterface): string[] {
  const tunnel = tunnelOf(ifc);
  const config = ifc.config.tunnel;
  if (tunnel === undefined || config === undefined) return ["  Encapsulation TUNNEL, loopback not set"];
  const k = config.keepalive;
  const source = config.source;
  const srcAddress = tunnel.sourceAddress();
  let sourceText = "UNKNOWN";
  if (source !== undefined && "address" in source) sourceText = formatIpv4Address(source.address);
  else if (source !== undefined)
    sourceText = `${srcAddress === undefined ? "0.0.0.0" : formatIpv4Address(srcAddress)} (${source.interface})`;
  const destination = config.destination === undefined ? "UNKNOWN" : formatIpv4Address(config.destination);
  const lines = [
    "  Encapsulation TUNNEL, loopback not set",
    k === undefined ? "  Keepalive not set" : `  Keepalive set (${k.periodSec} sec), retries ${k.retries}`,
    `  Tunnel linestate evaluation ${ifc.status === "up" && tunnel.lineState().up ? "up" : "down"}`,
    // mGRE has no destination (each peer's comes from NHRP).
    tunnel.isMultipoint()
      ? `  Tunnel source ${sourceText}`
      : `  Tunnel source ${sourceText}, destination ${destination}`,
    ...(tunnel.isVti()
      ? ["  Tunnel protocol/transport IPSEC/IP"]
      : [
          `  Tunnel protocol/transport ${tunnel.isMultipoint() ? "multi-GRE/IP" : "GRE/IP"}`,
          `    Key ${config.key === undefined ? "disabled" : `0x${config.key.toString(16).toUpperCase()}`}, sequencing disabled`,
          "    Checksumming of packets disabled",
        ]),
    "  Tunnel TTL 255, Fast tunneling enabled",
    `  Tunnel transport MTU ${tunnel.transportMtu()} bytes`,
    "  Tunnel transmit bandwidth 8000 (kbps)",
    "  Tunnel receive bandwidth 8000 (kbps)",
  ];
  if (config.pathMtuDiscovery) lines.push("  Path MTU Discovery, ager 10 mins, min MTU 92");
  if (config.protection !== undefined)
    lines.push(`  Tunnel protection via IPSec (profile "${config.protection.profile}")`);
  return lines;
}
