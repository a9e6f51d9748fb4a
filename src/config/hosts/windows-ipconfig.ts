// `ipconfig` and `ipconfig /all` on a Windows-style host, from its real state:
// one `Ethernet adapter NAME:` block per interface (the topology's interface
// name), `Media disconnected` while it is down or has no address, its address
// and mask, and the default gateway on the adapter whose subnet holds it.
// `/all` adds what the host knows besides: host name, routing (off), the
// adapter's physical address, DHCP (never: addresses are configured).
// Nothing is printed that the lab does not hold (no DNS, WINS or NetBIOS lines).

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";

/** A dotted `ipconfig` label: `   IPv4 Address. . . . . . . . . . . : ` (dots in the odd columns up to 35). */
export function ipconfigLabel(label: string): string {
  let text = `   ${label}`;
  while (text.length < 36) text += text.length % 2 === 1 ? "." : " ";
  return `${text} : `;
}

const DNS_SUFFIX = "   Connection-specific DNS Suffix  . :";

/** The MAC as Windows prints it: `AA-BB-CC-00-01-00`. */
export function windowsPhysicalAddress(mac: number): string {
  const hex = mac.toString(16).padStart(12, "0").toUpperCase();
  return hex.replace(/(..)(?!$)/g, "$1-");
}

/** The gateway shown on an adapter: the default gateway when it lies in one of the adapter's subnets. */
function gatewayOn(device: RouterDevice, ifc: RouterInterface): number | null {
  const gw = device.stack.defaultGateway;
  if (gw === null) return null;
  const inside = ifc.addresses().some((a) => ((a.address ^ gw) & maskFromLength(a.length)) === 0);
  return inside ? gw : null;
}

/** Renders `ipconfig` (`all` for `/all`). */
export function renderIpconfig(device: RouterDevice, all: boolean): string {
  const lines = ["", "Windows IP Configuration", ""];
  if (all) {
    lines.push(`${ipconfigLabel("Host Name")}${device.hostname}`);
    lines.push(`${ipconfigLabel("IP Routing Enabled")}No`, "");
  } else lines.push("");
  for (const ifc of device.interfaces()) {
    lines.push(`Ethernet adapter ${ifc.name}:`, "");
    const a = ifc.config.address;
    const connected = a !== undefined && ifc.lineProtocolUp;
    if (!connected) lines.push(`${ipconfigLabel("Media State")}Media disconnected`);
    lines.push(DNS_SUFFIX);
    if (all) {
      lines.push(`${ipconfigLabel("Physical Address")}${windowsPhysicalAddress(ifc.mac)}`);
      lines.push(`${ipconfigLabel("DHCP Enabled")}No`);
    }
    if (connected) {
      for (const addr of ifc.addresses()) {
        lines.push(`${ipconfigLabel("IPv4 Address")}${formatIpv4Address(addr.address)}${all ? "(Preferred) " : ""}`);
        lines.push(`${ipconfigLabel("Subnet Mask")}${formatIpv4Address(maskFromLength(addr.length))}`);
      }
      const gw = gatewayOn(device, ifc);
      lines.push(`${ipconfigLabel("Default Gateway")}${gw === null ? "" : formatIpv4Address(gw)}`.trimEnd());
    }
    lines.push("");
  }
  return lines.join("\n");
}
