// What a Linux host's kernel logs when one of its NICs changes state, in
// place of IOS's %LINK/%LINEPROTO messages: the e1000 driver (the NIC lab
// hypervisors emulate) reports carrier, `e1000: eth0 NIC Link is Up 1000 Mbps
// Full Duplex, Flow Control: RX` when the link comes up and `e1000: eth0 NIC
// Link is Down` when carrier goes while the device is up; `ip link set eth0
// down` itself logs nothing. Lines carry dmesg's stamp, seconds since boot
// (`[    5.123456]`), instead of IOS's service timestamps.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import type { TimeNs } from "../../runtime/device.ts";
import { linuxInterfaceName } from "./linux-ip.ts";

/** An interface's state as the device last logged it. */
export interface LinkState {
  status: string;
  proto: boolean;
}

/** The kernel's line for a change of state, or null when the kernel says nothing. */
export function linuxLinkMessage(ifc: RouterInterface, was: LinkState, now: LinkState): string | null {
  if (was.proto === now.proto) return null;
  const name = linuxInterfaceName(ifc);
  if (now.proto)
    return `e1000: ${name} NIC Link is Up ${Math.round(ifc.bitsPerSecond / 1e6)} Mbps Full Duplex, Flow Control: RX`;
  // Taken down by `ip link set down`: the driver stops watching the link and prints nothing.
  return now.status === "administratively down" ? null : `e1000: ${name} NIC Link is Down`;
}

/** dmesg's stamp: `[    5.123456]`, seconds since boot with microseconds, the seconds padded to five places. */
export function dmesgStamp(sinceBootNs: TimeNs): string {
  const us = Math.floor(Math.max(0, sinceBootNs) / 1e3);
  const seconds = Math.floor(us / 1e6);
  return `[${String(seconds).padStart(5, " ")}.${String(us % 1e6).padStart(6, "0")}]`;
}
