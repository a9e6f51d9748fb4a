// The lines classic mode (config-router) and named mode (config-router-af)
// take alike: `network A [wildcard]` and `eigrp router-id A`. One body each,
// wrapped by each mode's own lookup of the process's configuration.

import type { EigrpConfig } from "../../protocols/eigrp/eigrp-config.ts";
import { classfulNetwork } from "../../protocols/rip/rip-config.ts";
import { parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import type { HandlerResult } from "../cli/modes.ts";

const ip = (a: Args, name: string): number => parseIpv4Address(String(a[name]))! >>> 0;

/** The wildcard a `network` line without one means: the classful network's (0.0.0.0 alone: every interface). */
export function defaultNetworkWildcard(address: number): number {
  return address === 0 ? 0xffffffff : ~((0xffffffff << (32 - classfulNetwork(address).length)) >>> 0) >>> 0;
}

/** `[no] network A.B.C.D:address [A.B.C.D:wildcard]`. */
export function applyEigrpNetwork(c: EigrpConfig, a: Args, negated: boolean): HandlerResult {
  const address = ip(a, "address");
  const wildcard = a.wildcard !== undefined ? ip(a, "wildcard") : defaultNetworkWildcard(address);
  const n = { address: (address & ~wildcard) >>> 0, wildcard };
  const i = c.networks.findIndex((x) => x.address === n.address && x.wildcard === n.wildcard);
  if (negated) {
    if (i >= 0) c.networks.splice(i, 1);
  } else if (i < 0) c.networks.push(n);
}

/** `[no] eigrp router-id A.B.C.D:id`. */
export function applyEigrpRouterId(c: EigrpConfig, a: Args, negated: boolean): HandlerResult {
  if (negated) {
    delete c.routerId;
    return;
  }
  const id = ip(a, "id");
  if (id === 0 || id === 0xffffffff) return "% Invalid router ID";
  c.routerId = id;
}
