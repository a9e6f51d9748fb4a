// IOS's syslog wording for virtual fragment reassembly events
// (src/dataplane/nat/virtual-reassembly.ts): the reassembly table of an
// interface full, a datagram in too many fragments.

import type { VfrEvent } from "../../dataplane/nat/virtual-reassembly.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";

/** The %IP_VFR message of an event. */
export function renderVfrEvent(e: VfrEvent): string {
  if (e.kind === "tableOverflow")
    return `%IP_VFR-4-FRAG_TABLE_OVERFLOW: ${e.ifc}: the fragment table has reached its maximum threshold ${e.max}`;
  return `%IP_VFR-4-TOO_MANY_FRAGMENTS: ${e.ifc}: Too many fragments per datagram (more than ${e.max}) - sent by ${formatIpv4Address(e.src)}, destined to ${formatIpv4Address(e.dst)}`;
}
