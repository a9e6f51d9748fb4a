// `show ip interface brief`, `show interfaces [<ifc>]` and `show ip interface
// [<ifc>]` as IOS 15.x prints them on a 7200 / IOSv: fixed brief columns,
// per-kind hardware strings (M4T serial, i82543/DEC21140/AmdP2 Ethernet,
// Loopback, Null0), the output queue's strategy with its real depths, times of
// last input/output from the virtual clock, and the interface counters.

import { load255 } from "../../dataplane/pipeline/interface-rate.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import { formatMacCisco } from "../../wire/mac-address.ts";
import { uptimeText } from "../ios-clock.ts";
import { splitHorizonOn } from "../rip/rip-store.ts";
import type { RouterDevice } from "./router-device.ts";
import { tunnelInterfaceLines } from "./show-tunnel.ts";

const ip = formatIpv4Address;

/** wanlab sends no SLARP or Ethernet keepalives: line protocol follows carrier, as with IOS's `no keepalive`. */
const KEEPALIVE = "  Keepalive not set";

/** `Serial0/0 is up, line protocol is up`. */
function statusLine(ifc: RouterInterface): string {
  return `${ifc.name} is ${ifc.status}, line protocol is ${ifc.lineProtocolUp ? "up" : "down"}`;
}

/** `show ip interface brief` (Null0 is not listed, as on IOS). */
export function renderShowIpInterfaceBrief(device: RouterDevice): string {
  const out = ["Interface                  IP-Address      OK? Method Status                Protocol"];
  for (const ifc of device.interfaces()) {
    if (ifc.kind === "null") continue;
    const a = ifc.config.address;
    const addr = a ? ip(a.address) : "unassigned";
    const method = a ? "manual" : "unset";
    out.push(
      `${ifc.name.padEnd(27)}${addr.padEnd(16)}${"YES".padEnd(4)}${method.padEnd(7)}${ifc.status.padEnd(22)}${ifc.lineProtocolUp ? "up" : "down"}`,
    );
  }
  return `${out.join("\n")}\n`;
}

/** Hardware string IOS prints for the interface's controller. */
function hardware(ifc: RouterInterface): string {
  const phys = ifc.parent ?? ifc;
  switch (phys.kind) {
    case "serial":
      return "M4T";
    case "loopback":
      return "Loopback";
    case "null":
      return "Unknown";
    case "tunnel":
      return "Tunnel";
    default: {
      const chip = /^GigabitEthernet/.test(phys.name)
        ? "i82543 (Livengood)"
        : /^FastEthernet/.test(phys.name)
          ? "DEC21140"
          : "AmdP2";
      const mac = formatMacCisco(phys.mac);
      return `${chip}, address is ${mac} (bia ${mac})`;
    }
  }
}

/** Time since a virtual instant as `Last input` prints it; `never` for null. */
function since(device: RouterDevice, at: number | null): string {
  return at === null ? "never" : uptimeText(Math.max(0, device.now() - at));
}

/** When `clear counters` last ran on the interface (IOS: `never` since boot). */
function lastClearing(device: RouterDevice, ifc: RouterInterface): string {
  return `  Last clearing of "show interface" counters ${since(device, device.countersClearedAt.get(ifc.name) ?? null)}`;
}

/** Bandwidth and delay as shown; Null0 shows IOS's fixed 10 Gbit/s and 0 usec. */
function bwDly(ifc: RouterInterface): { bw: number; dly: number } {
  if (ifc.kind === "null")
    return { bw: ifc.config.bandwidthKbps ?? 10_000_000, dly: (ifc.config.delayTensOfUs ?? 0) * 10 };
  return { bw: ifc.bandwidthKbps, dly: ifc.delayTensOfUs * 10 };
}

/** `HH:MM:SS` of an ARP timeout in seconds. */
function hms(sec: number): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(Math.floor(sec / 3600))}:${p(Math.floor((sec % 3600) / 60))}:${p(sec % 60)}`;
}

/** Duplex/speed line of an Ethernet port. */
function ethernetMedia(ifc: RouterInterface): string[] {
  const mbps = Math.round(ifc.bitsPerSecond / 1e6);
  if (/^GigabitEthernet/.test(ifc.name)) {
    return [
      `  Full-duplex, ${mbps}Mb/s, link type is autonegotiation, media type is RJ45`,
      "  output flow-control is XON, input flow-control is XON",
    ];
  }
  if (/^FastEthernet/.test(ifc.name)) return [`  Full-duplex, ${mbps}Mb/s, 100BaseTX/FX`];
  return [];
}

/** One `show interfaces` block. */
function interfaceBlock(device: RouterDevice, ifc: RouterInterface): string[] {
  const c = ifc.counters;
  const { bw, dly } = bwDly(ifc);
  const out = [statusLine(ifc), `  Hardware is ${hardware(ifc)}`];
  if (ifc.config.description !== undefined) out.push(`  Description: ${ifc.config.description}`);
  const a = ifc.config.address;
  if (a) out.push(`  Internet address is ${ip(a.address)}/${a.length}`);
  const now = device.now();
  const input = ifc.inputRate.read(now);
  const output = ifc.outputRate.read(now);
  out.push(
    `  MTU ${ifc.mtu} bytes, BW ${bw} Kbit/sec, DLY ${dly} usec,`,
    `     reliability 255/255, txload ${load255(output.bitsPerSec, ifc.bandwidthKbps)}/255, rxload ${load255(input.bitsPerSec, ifc.bandwidthKbps)}/255`,
  );
  if (ifc.parent !== null) {
    // Subinterfaces carry no queues or counters of their own in this view.
    out.push(
      ifc.config.vlan !== undefined
        ? `  Encapsulation 802.1Q Virtual LAN, Vlan ID  ${ifc.config.vlan}.`
        : "  Encapsulation 802.1Q Virtual LAN, Vlan ID  1.",
      `  ARP type: ARPA, ARP Timeout ${hms(ifc.config.arpTimeoutSec)}`,
      KEEPALIVE,
      lastClearing(device, ifc),
    );
    return out;
  }
  const serial = ifc.kind === "serial";
  const ethernet = ifc.kind === "ethernet";
  if (serial) out.push("  Encapsulation HDLC, crc 16, loopback not set", KEEPALIVE, "  Restart-Delay is 0 secs");
  else if (ethernet)
    out.push(
      "  Encapsulation ARPA, loopback not set",
      KEEPALIVE,
      ...ethernetMedia(ifc),
      `  ARP type: ARPA, ARP Timeout ${hms(ifc.config.arpTimeoutSec)}`,
    );
  else if (ifc.kind === "loopback") out.push("  Encapsulation LOOPBACK, loopback not set", KEEPALIVE);
  else if (ifc.kind === "tunnel") out.push(...tunnelInterfaceLines(ifc));
  else out.push("  Encapsulation ARPA, loopback not set");
  out.push(
    `  Last input ${since(device, ifc.lastInputAt)}, output ${since(device, ifc.lastOutputAt)}, output hang never`,
    lastClearing(device, ifc),
    `  Input queue: 0/${ifc.config.holdQueueIn ?? 75}/${c.inputDrops}/0 (size/max/drops/flushes); Total output drops: ${c.outputDrops}`,
  );
  // The strategy the port's output queue really runs, with its live depths (src/dataplane/qos); no port: no queue.
  const queue = device.stack.outputQueues.queueOf(ifc);
  out.push(...(queue?.scheduler.interfaceLines() ?? ["  Queueing strategy: fifo", "  Output queue: 0/0 (size/max)"]));
  out.push(
    `  5 minute input rate ${input.bitsPerSec} bits/sec, ${input.packetsPerSec} packets/sec`,
    `  5 minute output rate ${output.bitsPerSec} bits/sec, ${output.packetsPerSec} packets/sec`,
    `     ${c.inputPackets} packets input, ${c.inputBytes} bytes, 0 no buffer`,
  );
  // Serial interfaces print broadcasts, runts, giants and throttles on one line (seed 000); Ethernet splits them.
  if (serial) out.push(`     Received ${c.inputBroadcasts} broadcasts, 0 runts, ${c.giants} giants, 0 throttles`);
  else
    out.push(
      `     Received ${c.inputBroadcasts} broadcasts (${c.inputMulticasts} IP multicasts)`,
      `     0 runts, ${c.giants} giants, 0 throttles`,
    );
  if (ethernet) {
    out.push(
      `     ${c.inputErrors} input errors, ${c.crc} CRC, 0 frame, 0 overrun, 0 ignored`,
      `     0 watchdog, ${c.inputMulticasts} multicast, 0 pause input`,
      "     0 input packets with dribble condition detected",
    );
  } else {
    out.push(`     ${c.inputErrors} input errors, ${c.crc} CRC, 0 frame, 0 overrun, 0 ignored, 0 abort`);
  }
  out.push(
    `     ${c.outputPackets} packets output, ${c.outputBytes} bytes, 0 underruns`,
    `     ${c.outputErrors} output errors, 0 collisions, ${c.interfaceResets} interface resets`,
    "     0 unknown protocol drops",
  );
  if (ethernet)
    out.push("     0 babbles, 0 late collision, 0 deferred", "     0 lost carrier, 0 no carrier, 0 pause output");
  out.push("     0 output buffer failures, 0 output buffers swapped out");
  if (serial) {
    const sig = ifc.lineProtocolUp ? "up" : "down";
    out.push(
      `     ${c.carrierTransitions} carrier transitions     DCD=${sig}  DSR=${sig}  DTR=${sig}  RTS=${sig}  CTS=${sig}`,
    );
  }
  return out;
}

/** `show interfaces [<ifc>]`: one full block per interface (Null0 included). */
export function renderShowInterfaces(device: RouterDevice, ifc?: RouterInterface): string {
  const list = ifc ? [ifc] : device.interfaces();
  return `${list.flatMap((i) => interfaceBlock(device, i)).join("\n")}\n`;
}

/** The input features IOS lists for the interface, in its order, from what is configured on it. */
function inputFeatures(ifc: RouterInterface): string[] {
  const out: string[] = [];
  if (ifc.config.accessGroupIn !== undefined) out.push("Access List");
  if (ifc.config.nat === "inside") out.push("NAT Inside");
  if (ifc.config.nat === "outside") out.push("NAT Outside");
  out.push("MCI Check");
  return out;
}

/** One `show ip interface` block. */
function ipInterfaceBlock(ifc: RouterInterface): string[] {
  const out = [statusLine(ifc)];
  const a = ifc.config.address;
  if (!a || ifc.kind === "null") {
    out.push("  Internet protocol processing disabled");
    return out;
  }
  const cfg = ifc.config;
  // Only lines about what this router really does: IOS's lines for features the
  // emulator does not have (fast and flow switching, WCCP, header compression,
  // helper addresses, policy routing, accounting) are left out, not printed as fixed text.
  out.push(
    `  Internet address is ${ip(a.address)}/${a.length}`,
    "  Broadcast address is 255.255.255.255",
    "  Address determined by setup command",
    `  MTU is ${ifc.ipMtu} bytes`,
    "  Directed broadcast forwarding is disabled",
  );
  for (const s of cfg.secondaries) out.push(`  Secondary address ${ip(s.address)}/${s.length}`);
  const acl = (name: string | undefined): string => name ?? "not set";
  out.push(
    `  Outgoing access list is ${acl(cfg.accessGroupOut)}`,
    `  Inbound  access list is ${acl(cfg.accessGroupIn)}`,
    `  Proxy ARP is ${cfg.proxyArp ? "enabled" : "disabled"}`,
    `  Split horizon is ${splitHorizonOn(ifc) ? "enabled" : "disabled"}`,
    `  ICMP redirects are ${cfg.redirects ? "always" : "never"} sent`,
    `  ICMP unreachables are ${cfg.unreachables ? "always" : "never"} sent`,
    "  ICMP mask replies are never sent",
    "  IP CEF switching is enabled",
    cfg.nat === undefined
      ? "  Network address translation is disabled"
      : `  Network address translation is enabled, interface in domain ${cfg.nat}`,
    `  Input features: ${inputFeatures(ifc).join(", ")}`,
  );
  return out;
}

/** `show ip interface [<ifc>]`: the detailed IP view of each interface. */
export function renderShowIpInterface(device: RouterDevice, ifc?: RouterInterface): string {
  const list = ifc ? [ifc] : device.interfaces();
  return `${list.flatMap((i) => ipInterfaceBlock(i)).join("\n")}\n`;
}
