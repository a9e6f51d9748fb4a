// The IOS wording of RIP events, as `debug ip rip` prints them:
//   RIP: sending v2 update to 224.0.0.9 via GigabitEthernet0/0 (10.0.0.1)
//   RIP: build update entries
//   	192.168.1.0/24 via 0.0.0.0, metric 1, tag 0
//   RIP: received v2 update from 10.0.0.2 on GigabitEthernet0/0
//        192.168.2.0/24 via 0.0.0.0 in 1 hops
//   RIP: ignored v1 packet from 10.0.0.3 (illegal version)
// Route transitions print nothing here (`debug ip routing` shows the RIB's).

import type { RipEvent } from "../../protocols/rip/events.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";

const ip = formatIpv4Address;

/** The debug lines of one event (a message spans several), or null when IOS prints none. */
export function ripDebugText(e: RipEvent): string | null {
  switch (e.kind) {
    case "sent": {
      if (e.command === "request") return `RIP: sending request on ${e.interface} to ${ip(e.destination)}`;
      const head = `RIP: sending v${e.version} ${e.triggered ? "flash " : ""}update to ${ip(e.destination)} via ${e.interface} (${ip(e.source)})`;
      const entries = e.entries.map((x) =>
        e.version === 2
          ? `\t${ip(x.prefix)}/${x.length} via ${ip(x.nextHop)}, metric ${x.metric}, tag ${x.tag}`
          : `\tnetwork ${ip(x.prefix)} metric ${x.metric}`,
      );
      return [head, "RIP: build update entries", ...entries].join("\n");
    }
    case "received": {
      if (e.command === "request") return `RIP: received v${e.version} request from ${ip(e.source)} on ${e.interface}`;
      const head = `RIP: received v${e.version} update from ${ip(e.source)} on ${e.interface}`;
      const entries = e.entries.map((x) =>
        e.version === 2
          ? `     ${ip(x.prefix)}/${x.length} via ${ip(x.nextHop)} in ${x.metric} hops${x.metric >= 16 ? "  (inaccessible)" : ""}`
          : `     ${ip(x.prefix)} in ${x.metric} hops${x.metric >= 16 ? "  (inaccessible)" : ""}`,
      );
      return [head, ...entries].join("\n");
    }
    case "ignored":
      switch (e.reason) {
        case "illegalVersion":
          return `RIP: ignored v${e.version ?? 0} packet from ${ip(e.source)} (illegal version)`;
        case "badSource":
          return `RIP: ignored v2 update from bad source ${ip(e.source)} on ${e.interface}`;
        case "authentication":
          return `RIP: ignored v2 packet from ${ip(e.source)} (invalid authentication)`;
        default:
          return null;
      }
    case "route":
      return null;
  }
}

/** The renderer `router rip` gives its process: debug lines while `debug ip rip` is on (DebugFlags.ipRip). */
export function ripRenderer(device: RouterDevice): (e: RipEvent) => void {
  return (e) => {
    if (!device.debug.ipRip) return;
    const text = ripDebugText(e);
    if (text !== null) device.debugLine("ip-rip", () => text);
  };
}
