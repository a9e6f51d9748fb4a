// What a VTI (`tunnel mode ipsec ipv4`) does not take, refused instead of
// being stored without effect. A VTI carries IPv4 straight in ESP: there is
// no GRE header, so no GRE key and no GRE keepalives (Cisco's GRE keepalive
// technote: keepalives are not supported with IPsec tunnel protection; a
// VTI's line protocol follows its IPsec SA instead). And a VTI and a crypto
// map on the same path are mutually exclusive (seed 001: "We can not have
// VTI and Crypto map at the same time ... because router doesn't understand
// order of operation"): a crypto map on the VTI itself, or on the interface
// its ESP leaves by when the map's ACL would also take that ESP, is refused,
// and so is making a tunnel a VTI while such a map is in place. Switching a
// tunnel that has a key or keepalives to IPsec mode drops them and says so.
// The texts are wanlab's (`%` lines in IOS's style): no IOS message for
// these cases was found to copy.

import { entryMatches } from "../../dataplane/acl.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { tunnelOf } from "../../dataplane/tunnel/gre-tunnels.ts";
import type { TunnelConfig } from "../../dataplane/tunnel/tunnel-config.ts";
import { IP_PROTO_ESP } from "../../wire/ipv4.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { HandlerResult } from "../cli/modes.ts";
import type { RouterDevice } from "./router-device.ts";

function refuse(message: string): HandlerResult {
  return { error: { kind: "handler", message } };
}

/** True for a tunnel in `tunnel mode ipsec ipv4`. */
export function isVti(ifc: RouterInterface): boolean {
  return ifc.kind === "tunnel" && ifc.config.tunnel?.mode === "ipsec-ipv4";
}

/** `keepalive` or `tunnel key` on a VTI: refused (null when the tunnel is not a VTI). */
export function greOnlyOnVti(ifc: RouterInterface, what: "keepalive" | "tunnel key"): HandlerResult | null {
  if (!isVti(ifc)) return null;
  return what === "keepalive"
    ? refuse(
        `% ${ifc.name} is in IPsec mode (tunnel mode ipsec ipv4): GRE keepalives are not supported; its line protocol follows the IPsec SA`,
      )
    : refuse(`% ${ifc.name} is in IPsec mode (tunnel mode ipsec ipv4): there is no GRE header to carry a tunnel key`);
}

/** `tunnel mode ipsec ipv4`: drops the GRE-only settings, and returns what it says about them. */
export function dropGreOnlySettings(ifc: RouterInterface, config: TunnelConfig): string[] {
  const said: string[] = [];
  if (config.keepalive !== undefined) {
    config.keepalive = undefined;
    tunnelOf(ifc)?.restartKeepalives();
    said.push(`% ${ifc.name}: keepalive removed (GRE keepalives are not supported in IPsec mode)`);
  }
  if (config.key !== undefined) {
    config.key = undefined;
    said.push(`% ${ifc.name}: tunnel key removed (no GRE header in IPsec mode)`);
  }
  return said;
}

/** The outer flow of a VTI's ESP: its source address and destination, when both are known. */
function vtiFlow(device: RouterDevice, vti: RouterInterface): { src: number; dst: number; via: string[] } | null {
  const config = vti.config.tunnel;
  if (config?.destination === undefined || config.source === undefined) return null;
  const source = config.source;
  const src =
    "address" in source
      ? source.address
      : (tunnelOf(vti)?.sourceAddress() ?? device.stack.interface(source.interface)?.config.address?.address);
  if (src === undefined) return null;
  // The interfaces its ESP may leave by: the tunnel source's, and the one the route to the destination names.
  const via = new Set<string>();
  const sourceIfc =
    "interface" in source ? source.interface : device.interfaces().find((i) => i.config.address?.address === src)?.name;
  if (sourceIfc !== undefined) via.add(sourceIfc);
  const paths = device.stack.lookupPathList(config.destination);
  if (paths?.kind === "forward") for (const p of paths.paths) via.add(p.interface);
  return { src, dst: config.destination, via: [...via] };
}

/** Whether crypto map `mapName` would take ESP from src to dst (an entry's ACL permits it). */
function mapTakes(device: RouterDevice, mapName: string, src: number, dst: number): boolean {
  const map = device.crypto.cryptoMaps.get(mapName);
  if (map === undefined) return false;
  const packet = { src, dst, protocol: IP_PROTO_ESP, tos: 0 };
  for (const entry of map.entries) {
    const acl = entry.matchAcl ?? (entry.matchAddress !== undefined ? device.acls.get(entry.matchAddress) : undefined);
    const first = acl?.entries.find((e) => entryMatches(e, packet));
    if (first?.action === "permit") return true;
  }
  return false;
}

/** `crypto map NAME` on an interface: refused on a VTI, and where it would also take a VTI's ESP. */
export function cryptoMapRefusal(device: RouterDevice, ifc: RouterInterface, mapName: string): HandlerResult | null {
  if (isVti(ifc))
    return refuse(
      `% ${ifc.name} is in IPsec mode (tunnel mode ipsec ipv4): it is protected by tunnel protection, not a crypto map`,
    );
  for (const vti of device.interfaces().filter(isVti)) {
    const flow = vtiFlow(device, vti);
    if (flow === null || !flow.via.includes(ifc.name) || !mapTakes(device, mapName, flow.src, flow.dst)) continue;
    return refuse(conflictText(mapName, ifc.name, vti.name, flow.src, flow.dst));
  }
  return null;
}

/** Making `vti` a VTI (mode or protection): refused while a crypto map on it or on its path would take its ESP. */
export function vtiRefusal(device: RouterDevice, vti: RouterInterface): HandlerResult | null {
  if (vti.config.cryptoMap !== undefined)
    return refuse(`% ${vti.name} has crypto map ${vti.config.cryptoMap}: remove it before tunnel mode ipsec ipv4`);
  const flow = vtiFlow(device, vti);
  if (flow === null) return null;
  for (const name of flow.via) {
    const map = device.stack.interface(name)?.config.cryptoMap;
    if (map !== undefined && mapTakes(device, map, flow.src, flow.dst))
      return refuse(conflictText(map, name, vti.name, flow.src, flow.dst));
  }
  return null;
}

function conflictText(map: string, on: string, vti: string, src: number, dst: number): string {
  return `% Crypto map ${map} on ${on} would also protect ${vti}'s IPsec traffic (${formatIpv4Address(src)} to ${formatIpv4Address(dst)}): a VTI and a crypto map on the same path are mutually exclusive`;
}
