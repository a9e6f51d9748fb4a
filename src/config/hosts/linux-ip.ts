// A Linux-style host's view of its interfaces and routes, as iproute2 prints
// them: `ip addr`, `ip link`, `ip route`, `ip neigh`, and the host's
// configuration as the `ip` commands that rebuild it (its running config). The
// topology wires a Linux host's ports as eth0, eth1 ... (IOS canonicalises them
// to Ethernet0, Ethernet1, which is how the runtime names the ports); the host
// shows the Linux names. Interface indexes start at 2 as on Linux, where 1 is
// `lo`: a lab host has no loopback interface, so none is listed. The queue is
// the runtime port's FIFO (40 packets), shown as `qdisc pfifo ... qlen 40`.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { HOLD_QUEUE_OUT } from "../../runtime/port-model.ts";
import { formatIpv4Address, maskFromLength, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";

/** `Ethernet0` -> `eth0` (other names, which a Linux host's topology refuses, stay as they are). */
export function linuxInterfaceName(ifc: RouterInterface | string): string {
  const name = typeof ifc === "string" ? ifc : ifc.name;
  const m = /^Ethernet(\d+)$/.exec(name);
  return m === null ? name : `eth${m[1]}`;
}

/** The interface a Linux name (`eth0`) refers to. */
export function findLinuxInterface(device: RouterDevice, name: string): RouterInterface | undefined {
  return device.interfaces().find((i) => i.parent === null && linuxInterfaceName(i) === name);
}

/** A MAC as Linux prints it: `aa:bb:cc:00:03:00`. */
export function linuxMac(mac: number): string {
  return mac
    .toString(16)
    .padStart(12, "0")
    .replace(/(..)(?!$)/g, "$1:");
}

function flags(ifc: RouterInterface): string {
  if (ifc.config.shutdown) return "<BROADCAST,MULTICAST>";
  if (!ifc.lineProtocolUp) return "<NO-CARRIER,BROADCAST,MULTICAST,UP>";
  return "<BROADCAST,MULTICAST,UP,LOWER_UP>";
}

function linkLines(ifc: RouterInterface, index: number): string[] {
  const state = ifc.lineProtocolUp ? "UP" : "DOWN";
  return [
    `${index}: ${linuxInterfaceName(ifc)}: ${flags(ifc)} mtu ${ifc.ipMtu} qdisc pfifo state ${state} group default qlen ${HOLD_QUEUE_OUT}`,
    `    link/ether ${linuxMac(ifc.mac)} brd ff:ff:ff:ff:ff:ff`,
  ];
}

function physical(device: RouterDevice): RouterInterface[] {
  return device.interfaces().filter((i) => i.parent === null && i.port !== null);
}

/** `ip link [show [dev] NAME]`. */
export function renderIpLink(device: RouterDevice, only?: string): string {
  const lines: string[] = [];
  physical(device).forEach((ifc, i) => {
    if (only === undefined || linuxInterfaceName(ifc) === only) lines.push(...linkLines(ifc, i + 2));
  });
  return lines.join("\n");
}

/** `ip addr [show [dev] NAME]`. */
export function renderIpAddr(device: RouterDevice, only?: string): string {
  const lines: string[] = [];
  physical(device).forEach((ifc, i) => {
    if (only !== undefined && linuxInterfaceName(ifc) !== only) return;
    lines.push(...linkLines(ifc, i + 2));
    const primary = ifc.config.address;
    for (const a of ifc.addresses()) {
      const mask = maskFromLength(a.length);
      const brd = formatIpv4Address((a.address | ~mask) >>> 0);
      const secondary =
        primary !== undefined && a !== primary && ((a.address ^ primary.address) & mask) === 0 ? "secondary " : "";
      const brdText = a.length < 31 ? ` brd ${brd}` : "";
      lines.push(
        `    inet ${formatIpv4Address(a.address)}/${a.length}${brdText} scope global ${secondary}${linuxInterfaceName(ifc)}`,
        "       valid_lft forever preferred_lft forever",
      );
    }
  });
  return lines.join("\n");
}

/** The interface a neighbour (the default gateway) is reached through: a connected subnet holds it. */
export function gatewayInterface(device: RouterDevice, gateway: number): RouterInterface | undefined {
  return physical(device).find((ifc) =>
    ifc.addresses().some((a) => ((a.address ^ gateway) & maskFromLength(a.length)) === 0),
  );
}

/** `ip route [show]`: the default route, then one kernel route per connected subnet of a device that is up. */
export function renderIpRoute(device: RouterDevice): string {
  const lines: string[] = [];
  const gw = device.stack.defaultGateway;
  if (gw !== null) {
    const via = gatewayInterface(device, gw);
    if (via !== undefined && !via.config.shutdown)
      lines.push(
        `default via ${formatIpv4Address(gw)} dev ${linuxInterfaceName(via)} ${via.lineProtocolUp ? "" : "linkdown "}`,
      );
  }
  const kernel: { net: number; text: string }[] = [];
  for (const ifc of physical(device)) {
    // A device that is down has no routes; one without carrier keeps them, marked linkdown (and unused).
    if (ifc.config.shutdown) continue;
    for (const a of ifc.addresses()) {
      const net = (a.address & maskFromLength(a.length)) >>> 0;
      if (kernel.some((k) => k.net === net)) continue;
      kernel.push({
        net,
        text: `${formatIpv4Address(net)}/${a.length} dev ${linuxInterfaceName(ifc)} proto kernel scope link src ${formatIpv4Address(a.address)} ${ifc.lineProtocolUp ? "" : "linkdown "}`,
      });
    }
  }
  kernel.sort((x, y) => x.net - y.net);
  lines.push(...kernel.map((k) => k.text));
  return lines.join("\n");
}

/** `ip neigh`: the ARP cache as Linux prints it (REACHABLE for a resolved entry, INCOMPLETE while resolving). */
export function renderIpNeigh(device: RouterDevice): string {
  const lines: string[] = [];
  for (const r of device.stack.arp.rows(device.now())) {
    if (r.age === "-") continue; // our own addresses
    if (r.hardware === "Incomplete") {
      // An unresolved entry has no interface in the cache: the one whose subnet holds the address.
      const address = parseIpv4Address(r.address) ?? 0;
      const via = gatewayInterface(device, address);
      lines.push(`${r.address} dev ${via === undefined ? "eth0" : linuxInterfaceName(via)} INCOMPLETE`);
      continue;
    }
    const mac = r.hardware.replace(/\./g, "").replace(/(..)(?!$)/g, "$1:");
    lines.push(`${r.address} dev ${linuxInterfaceName(r.interface)} lladdr ${mac} REACHABLE`);
  }
  return lines.join("\n");
}

/** The host's configuration as the commands that rebuild it (its running config, and what its .cfg holds). */
export function renderLinuxConfig(device: RouterDevice): string {
  const lines = [`hostname ${device.hostname}`];
  for (const ifc of physical(device)) {
    const name = linuxInterfaceName(ifc);
    if (ifc.config.mtu !== undefined) lines.push(`ip link set ${name} mtu ${ifc.config.mtu}`);
    if (!ifc.config.shutdown) lines.push(`ip link set ${name} up`);
    for (const a of ifc.addresses()) lines.push(`ip addr add ${formatIpv4Address(a.address)}/${a.length} dev ${name}`);
  }
  const gw = device.stack.defaultGateway;
  if (gw !== null) lines.push(`ip route add default via ${formatIpv4Address(gw)}`);
  return `${lines.join("\n")}\n`;
}
