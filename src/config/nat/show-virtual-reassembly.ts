// `show ip virtual-reassembly [INTERFACE]`: the virtual fragment reassembly
// in front of NAT, per interface, in IOS 15's layout: enabled (inbound) on
// the `ip nat inside|outside` interfaces with IOS's default bounds, and the
// state and counters (reassemblies in progress and the fragments they hold,
// reassemblies started, timed out, and fragments dropped over a bound).

import {
  VFR_MAX_FRAGMENTS,
  VFR_MAX_REASSEMBLIES,
  VFR_TIMEOUT_SEC,
  type VirtualReassembly,
} from "../../dataplane/nat/virtual-reassembly.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";

function block(vfr: VirtualReassembly, ifc: RouterInterface): string[] {
  if (ifc.config.nat === undefined) return [`${ifc.name}:`, "   Virtual Fragment Reassembly (VFR) is DISABLED"];
  const c = vfr.countersOf(ifc.name);
  const now = vfr.current(ifc.name);
  return [
    `${ifc.name}:`,
    "   Virtual Fragment Reassembly (VFR) is ENABLED [in]",
    `   Concurrent reassemblies (max-reassemblies): ${VFR_MAX_REASSEMBLIES}`,
    `   Fragments per reassembly (max-fragments): ${VFR_MAX_FRAGMENTS}`,
    `   Reassembly timeout (timeout): ${VFR_TIMEOUT_SEC} seconds`,
    "   Drop fragments: OFF",
    "",
    `   Current reassembly count:${now.reassemblies}`,
    `   Current fragment count:${now.fragments}`,
    `   Total reassembly count:${c.total}`,
    `   Total reassembly timeout count:${c.timeouts}`,
    `   Total reassembly failures:${c.tableFullDrops + c.tooManyFragmentsDrops}`,
  ];
}

/** The blocks of the NAT interfaces, or of the one interface asked for. */
export function renderShowIpVirtualReassembly(
  vfr: VirtualReassembly,
  interfaces: readonly RouterInterface[],
  only?: RouterInterface,
): string {
  const list = only !== undefined ? [only] : interfaces.filter((i) => i.config.nat !== undefined);
  return list.map((i) => `${block(vfr, i).join("\n")}\n`).join("\n");
}
