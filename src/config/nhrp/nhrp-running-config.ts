// The `ip nhrp` lines of an interface in `show running-config`, in IOS's
// order (authentication, maps, multicast maps, network-id, holdtime, nhs,
// registration timeout, redirect, shortcut), defaults omitted.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { NHRP_DEFAULT_HOLDTIME } from "../../protocols/nhrp/nhrp-config.ts";
import { formatIpv4Address as ip } from "../../wire/ipv4-address.ts";
import { nhrpConfig } from "./nhrp-store.ts";

/** The interface's NHRP lines. */
export function nhrpInterfaceLines(ifc: RouterInterface): string[] {
  const c = nhrpConfig(ifc);
  if (c === undefined) return [];
  const lines: string[] = [];
  if (c.authentication !== undefined) lines.push(` ip nhrp authentication ${c.authentication}`);
  for (const [protocol, nbma] of c.maps) lines.push(` ip nhrp map ${ip(protocol)} ${ip(nbma)}`);
  for (const nbma of c.multicastMaps) lines.push(` ip nhrp map multicast ${ip(nbma)}`);
  if (c.multicastDynamic) lines.push(" ip nhrp map multicast dynamic");
  if (c.networkId !== undefined) lines.push(` ip nhrp network-id ${c.networkId}`);
  if (c.holdtimeSec !== NHRP_DEFAULT_HOLDTIME) lines.push(` ip nhrp holdtime ${c.holdtimeSec}`);
  for (const s of c.servers)
    lines.push(
      ` ip nhrp nhs ${ip(s.protocol)}${s.nbma !== undefined ? ` nbma ${ip(s.nbma)}` : ""}${s.multicast ? " multicast" : ""}`,
    );
  if (c.registrationTimeoutSec !== undefined) lines.push(` ip nhrp registration timeout ${c.registrationTimeoutSec}`);
  if (c.redirect) lines.push(" ip nhrp redirect");
  if (c.shortcut) lines.push(" ip nhrp shortcut");
  return lines;
}
