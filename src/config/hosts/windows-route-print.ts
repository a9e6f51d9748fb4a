// `route print` on a Windows-style host: the interface list and the IPv4
// route table as Windows prints them, from what the host really routes by
// (forwarding.ts hostPathList): the default gateway, and per interface that is
// up with an address its subnet, its own address and its subnet broadcast, all
// On-link. Metrics are Windows 10's automatic ones: the interface metric from
// the link speed (25 at 1 Gbit/s, 35 at 100 Mbit/s, 50 at 10 Mbit/s), plus
// 256 for an On-link route and 0 for the gateway. The host has no loopback
// interface and no multicast routes, so none are listed. `-4` limits the
// output to IPv4, which is all a lab host has.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";

const RULE = "===========================================================================";

/** Windows 10's automatic interface metric for a link speed. */
export function windowsInterfaceMetric(bitsPerSecond: number): number {
  const steps: [number, number][] = [
    [100e9, 5],
    [40e9, 10],
    [10e9, 15],
    [2e9, 20],
    [200e6, 25],
    [80e6, 35],
    [20e6, 45],
    [4e6, 50],
    [500e3, 55],
  ];
  for (const [speed, metric] of steps) if (bitsPerSecond >= speed) return metric;
  return 65;
}

/** The interface index Windows shows (`arp -a`'s `0x2`): the port number plus 2. */
export function windowsInterfaceIndex(ifc: RouterInterface): number {
  return (ifc.port ?? 0) + 2;
}

function row(dest: number, mask: number, gateway: string, ifAddress: number, metric: number): string {
  return (
    formatIpv4Address(dest).padStart(17) +
    formatIpv4Address(mask).padStart(17) +
    gateway.padStart(16) +
    formatIpv4Address(ifAddress).padStart(18) +
    String(metric).padStart(7)
  );
}

/** Renders `route print`. */
export function renderRoutePrint(device: RouterDevice): string {
  const ifaces = device.interfaces();
  const lines = [RULE, "Interface List"];
  for (const ifc of ifaces) {
    const mac = ifc.mac.toString(16).padStart(12, "0").replace(/(..)/g, "$1 ");
    lines.push(`${String(windowsInterfaceIndex(ifc)).padStart(3)}...${mac}......wanlab Ethernet Adapter (${ifc.name})`);
  }
  lines.push(RULE, "", "IPv4 Route Table", RULE, "Active Routes:");
  lines.push("Network Destination        Netmask          Gateway       Interface  Metric");
  const routes: { dest: number; length: number; text: string }[] = [];
  const up = ifaces.filter((i) => i.lineProtocolUp && i.config.address !== undefined);
  const gw = device.stack.defaultGateway;
  for (const ifc of up) {
    const metric = windowsInterfaceMetric(ifc.bitsPerSecond);
    for (const a of ifc.addresses()) {
      const mask = maskFromLength(a.length);
      const net = (a.address & mask) >>> 0;
      const broadcast = (net | ~mask) >>> 0;
      routes.push({ dest: net, length: a.length, text: row(net, mask, "On-link", a.address, metric + 256) });
      routes.push({
        dest: a.address,
        length: 32,
        text: row(a.address, 0xffffffff, "On-link", a.address, metric + 256),
      });
      if (a.length < 31)
        routes.push({
          dest: broadcast,
          length: 32,
          text: row(broadcast, 0xffffffff, "On-link", a.address, metric + 256),
        });
      if (gw !== null && ((gw ^ a.address) & mask) === 0)
        routes.push({ dest: 0, length: 0, text: row(0, 0, formatIpv4Address(gw), a.address, metric) });
    }
  }
  // Windows sorts by destination, then by mask.
  routes.sort((x, y) => x.dest - y.dest || x.length - y.length);
  for (const r of routes) lines.push(r.text);
  lines.push(RULE, "Persistent Routes:", "  None", "");
  return lines.join("\n");
}
