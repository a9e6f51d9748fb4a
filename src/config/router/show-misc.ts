// Small IOS 15.x exec views of one device: `show logging` (header and the
// buffered lines), `show clock`, `show version` (a short 7200-style block
// naming wanlab, uptime from virtual time) and `show ip traffic` (the
// `IP statistics:` and `ICMP statistics:` sections from the stack counters).

import { showClock } from "../ios-clock.ts";
import { SEVERITY_NAMES } from "../logging-buffer.ts";
import type { RouterDevice } from "./router-device.ts";

/** `show logging`. */
export function renderShowLogging(device: RouterDevice): string {
  const n = device.logging.total;
  const buffer = device.logging;
  const out = [
    "Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)",
    "",
    "No Active Message Discriminator.",
    "",
    "",
    "",
    "No Inactive Message Discriminator.",
    "",
    "",
    ...(device.consoleLine.logging
      ? [
          `    Console logging: level ${SEVERITY_NAMES[device.consoleLine.level]}, ${n} messages logged, xml disabled,`,
          "                     filtering disabled",
        ]
      : ["    Console logging: disabled"]),
    ...(device.consoleLine.monitorLogging
      ? [
          `    Monitor logging: level ${SEVERITY_NAMES[device.consoleLine.monitorLevel]}, ${device.consoleLine.monitorLogged} messages logged, xml disabled,`,
          "                     filtering disabled",
        ]
      : ["    Monitor logging: disabled"]),
    device.loggingBuffered
      ? `    Buffer logging:  level ${SEVERITY_NAMES[buffer.level]}, ${buffer.logged} messages logged, xml disabled,`
      : "    Buffer logging:  disabled, xml disabled,",
    "                    filtering disabled",
    "    Exception Logging: size (8192 bytes)",
    "    Count and timestamp logging messages: disabled",
    "    Persistent logging: disabled",
    "",
    "No active filter modules.",
    "",
    `    Trap logging: level informational, ${n} message lines logged`,
    "        Logging Source-Interface:       VRF Name:",
  ];
  if (device.loggingBuffered) out.push("", `Log Buffer (${buffer.maxBytes} bytes):`, "", ...buffer.entries());
  return `${out.join("\n")}\n`;
}

/** `show clock`: `*00:16:42.183 UTC Mon Mar 1 1993`. */
export function renderShowClock(device: RouterDevice): string {
  return `${showClock(device.now())}\n`;
}

/** Uptime in `show version` words: `5 minutes`, `1 hour, 2 minutes`, `1 week, 2 days, 3 hours, 4 minutes`. */
export function uptimeWords(durationNs: number): string {
  let m = Math.floor(durationNs / 60e9);
  const units: Array<[string, number]> = [
    ["year", 525_600],
    ["week", 10_080],
    ["day", 1_440],
    ["hour", 60],
    ["minute", 1],
  ];
  const parts: string[] = [];
  for (const [name, size] of units) {
    const v = Math.floor(m / size);
    m -= v * size;
    if (v > 0) parts.push(`${v} ${name}${v === 1 ? "" : "s"}`);
  }
  return parts.length > 0 ? parts.join(", ") : "0 minutes";
}

/** How `show version` names an interface family. */
const FAMILY: ReadonlyArray<[RegExp, string, string]> = [
  [/^Ethernet/, "Ethernet interface", "Ethernet interfaces"],
  [/^FastEthernet/, "FastEthernet interface", "FastEthernet interfaces"],
  [/^GigabitEthernet/, "Gigabit Ethernet interface", "Gigabit Ethernet interfaces"],
  [/^Serial/, "Serial interface", "Serial interfaces"],
];

/** `show version`: a short IOS 15 block naming wanlab, with uptime from virtual time. */
export function renderShowVersion(device: RouterDevice): string {
  const image = "WANLAB-ADVENTERPRISEK9-M";
  const out = [
    `Cisco IOS Software, wanlab Software (${image}), Version 15.2(4)M11, RELEASE SOFTWARE (fc2)`,
    "Technical Support: http://www.cisco.com/techsupport",
    "Copyright (c) 1986-2016 by Cisco Systems, Inc.",
    "Compiled Sat 08-Oct-16 08:03 by prod_rel_team",
    "",
    "ROM: ROMMON Emulation Microcode",
    `BOOTLDR: wanlab Software (${image}), Version 15.2(4)M11, RELEASE SOFTWARE (fc2)`,
    "",
    `${device.hostname} uptime is ${uptimeWords(device.now() - device.bootedAt)}`,
    "System returned to ROM by power-on",
    `System image file is "wanlab:${image.toLowerCase()}"`,
    "Last reload reason: Unknown reason",
    "",
    "",
    "Cisco 7206VXR (NPE400) processor (revision A) with 491520K/32768K bytes of memory.",
    `Processor board ID ${String(4279256517 + device.ctx.id)}`,
    "R7000 CPU at 150MHz, Implementation 39, Rev 2.1, 256KB L2 Cache",
    "6 slot VXR midplane, Version 2.1",
    "",
    "Last reset from power-on",
    "",
  ];
  const physical = device.interfaces().filter((i) => i.port !== null && i.parent === null);
  for (const [re, one, many] of FAMILY) {
    const n = physical.filter((i) => re.test(i.name)).length;
    if (n > 0) out.push(`${n} ${n === 1 ? one : many}`);
  }
  out.push(
    "509K bytes of NVRAM.",
    "",
    "8192K bytes of Flash internal SIMM (Sector size 256K).",
    "Configuration register is 0x2102",
  );
  return `${out.join("\n")}\n`;
}

/** `show ip traffic`: IP and ICMP statistics from the stack counters (the kinds of packet wanlab never makes or accepts, such as source routes or mask requests, stay 0). */
export function renderShowIpTraffic(device: RouterDevice): string {
  const c = device.stack.counters;
  const generated = c.echoRepliesSent + c.echoRequestsSent + c.unreachablesSent + c.timeExceededSent + c.redirectsSent;
  const out = [
    "IP statistics:",
    `  Rcvd:  ${c.received} total, ${c.delivered} local destination`,
    `         ${c.formatErrors} format errors, ${c.checksumErrors} checksum errors, ${c.badTtl} bad hop count`,
    `         ${c.unknownProtocol} unknown protocol, 0 not a gateway`,
    `         0 security failures, 0 bad options, ${c.withOptions} with options`,
    "  Opts:  0 end, 0 nop, 0 basic security, 0 loose source route",
    "         0 timestamp, 0 extended security, 0 record route",
    "         0 stream ID, 0 strict source route, 0 alert, 0 cipso, 0 ump",
    "         0 other, 0 ignored",
    `  Frags: ${c.reassembled} reassembled, ${c.reassemblyTimeouts} timeouts, 0 couldn't reassemble`,
    `         ${c.fragmented} fragmented, ${c.fragmentsCreated} fragments, ${c.couldNotFragment} couldn't fragment`,
    "         0 invalid hole",
    `  Bcast: ${c.broadcastsReceived} received, ${c.broadcastsSent} sent`,
    `  Mcast: ${c.multicastReceived} received, ${c.multicastSent} sent`,
    `  Sent:  ${generated} generated, ${c.forwarded} forwarded`,
    `  Drop:  ${c.encapsulationFailed} encapsulation failed, 0 unresolved, 0 no adjacency`,
    `         ${c.noRoute} no route, 0 unicast RPF, ${c.forcedDrop} forced drop, 0 unsupported-addr`,
    "         0 options denied, 0 source IP address zero",
    "",
    "ICMP statistics:",
    `  Rcvd: ${c.icmpFormatErrors} format errors, ${c.icmpChecksumErrors} checksum errors, ${c.redirectsReceived} redirects, ${c.unreachablesReceived} unreachable`,
    `        ${c.echoRequestsReceived} echo, ${c.echoRepliesReceived} echo reply, 0 mask requests, 0 mask replies, 0 quench`,
    `        0 parameter, 0 timestamp, 0 timestamp replies, 0 info request, ${c.icmpOtherReceived} other`,
    "        0 irdp solicitations, 0 irdp advertisements",
    `        ${c.timeExceededReceived} time exceeded, 0 info replies`,
    `  Sent: ${c.redirectsSent} redirects, ${c.unreachablesSent} unreachable, ${c.echoRequestsSent} echo, ${c.echoRepliesSent} echo reply`,
    "        0 mask requests, 0 mask replies, 0 quench, 0 timestamp, 0 timestamp replies",
    `        0 info reply, ${c.timeExceededSent} time exceeded, 0 parameter problem`,
    "        0 irdp solicitations, 0 irdp advertisements",
  ];
  return `${out.join("\n")}\n`;
}
