// A router's interfaces as the dashboard polls them (the `interfaces` console
// request): the same status, line protocol, counters and output queue depth
// that `show interfaces` prints, as data, without running a command.

import type { InterfaceReport } from "../cli/console-requests.ts";
import type { RouterDevice } from "./router-device.ts";

/** Every interface of the device (Null0 left out, as `show ip interface brief` leaves it). */
export function interfaceReport(device: RouterDevice): InterfaceReport[] {
  return device
    .interfaces()
    .filter((ifc) => ifc.kind !== "null")
    .map((ifc) => {
      const c = ifc.counters;
      return {
        name: ifc.name,
        status: ifc.status,
        protocolUp: ifc.lineProtocolUp,
        inPackets: c.inputPackets,
        inBytes: c.inputBytes,
        outPackets: c.outputPackets,
        outBytes: c.outputBytes,
        drops: c.inputDrops + c.outputDrops,
        queue: ifc.port === null ? 0 : device.ctx.outputQueueDepth(ifc.port),
      };
    });
}
