// `show running-config`: the configuration as IOS prints it, built from the
// device model (never from stored text), in IOS's order: header, hostname,
// crypto, interfaces, routing switches, NAT, static routes, access lists,
// end. Loading this text into a fresh device gives the same running
// configuration.

import { renderAclConfig } from "../../dataplane/acl.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";
import { cdpGlobalLines, cdpInterfaceLines } from "../cdp/index.ts";
import { consoleLoggingLines } from "../console-line.ts";
import { renderCryptoConfig } from "../crypto/crypto-running-config.ts";
import { eigrpInterfaceLines, eigrpRouterLines } from "../eigrp/index.ts";
import { gdoiRunningConfigBlocks } from "../gdoi/gdoi-running-config.ts";
import { keyChainRunningLines } from "../key-chain/index.ts";
import { DEFAULT_LOG_BUFFER_BYTES, DEFAULT_LOG_BUFFER_LEVEL, SEVERITY_NAMES } from "../logging-buffer.ts";
import { renderNatConfig } from "../nat/nat-running-config.ts";
import { nhrpInterfaceLines } from "../nhrp/index.ts";
import { odrRouterLines } from "../odr/odr-commands.ts";
import { ospfInterfaceLines, ospfRouterLines } from "../ospf/ospf-running-config.ts";
import { legacyQueueingRunningLines, queueingConfigLines } from "../qos/legacy-commands.ts";
import { mqcInterfaceLines, mqcRunningLines } from "../qos/mqc-index.ts";
import { ripInterfaceLines, ripRouterLines } from "../rip/index.ts";
import { prefixListRunningLines, routeMapRunningLines } from "../route-policy/index.ts";
import type { RouterDevice } from "./router-device.ts";
import { serviceConfigLines } from "./service-commands.ts";
import { tcpAdjustMssLines } from "./tcp-adjust-mss.ts";
import { tunnelConfigLines } from "./tunnel-commands.ts";

const mask = (length: number): string => formatIpv4Address(maskFromLength(length));

/** The `interface X` block of one interface, without the trailing `!`. */
export function interfaceConfigLines(ifc: RouterInterface): string[] {
  const c = ifc.config;
  const lines = [`interface ${ifc.name}`];
  if (c.description !== undefined) lines.push(` description ${c.description}`);
  if (c.vlan !== undefined) lines.push(` encapsulation dot1Q ${c.vlan}`);
  if (c.mtu !== undefined) lines.push(` mtu ${c.mtu}`);
  if (c.bandwidthKbps !== undefined) lines.push(` bandwidth ${c.bandwidthKbps}`);
  if (c.address !== undefined) {
    lines.push(` ip address ${formatIpv4Address(c.address.address)} ${mask(c.address.length)}`);
    for (const s of c.secondaries)
      lines.push(` ip address ${formatIpv4Address(s.address)} ${mask(s.length)} secondary`);
  } else if (ifc.kind !== "null") {
    lines.push(" no ip address");
  }
  if (c.accessGroupIn !== undefined) lines.push(` ip access-group ${c.accessGroupIn} in`);
  if (c.accessGroupOut !== undefined) lines.push(` ip access-group ${c.accessGroupOut} out`);
  if (!c.redirects) lines.push(" no ip redirects");
  if (!c.unreachables) lines.push(" no ip unreachables");
  if (!c.proxyArp) lines.push(" no ip proxy-arp");
  if (c.ipMtu !== undefined) lines.push(` ip mtu ${c.ipMtu}`);
  if (c.nat !== undefined) lines.push(` ip nat ${c.nat}`);
  lines.push(...tcpAdjustMssLines(c.tcpAdjustMss));
  lines.push(...nhrpInterfaceLines(ifc));
  lines.push(...ospfInterfaceLines(ifc));
  lines.push(...ripInterfaceLines(ifc));
  lines.push(...cdpInterfaceLines(ifc));
  lines.push(...eigrpInterfaceLines(ifc));
  if (c.perPacketLoadSharing) lines.push(" ip load-sharing per-packet");
  if (c.delayTensOfUs !== undefined) lines.push(` delay ${c.delayTensOfUs}`);
  if (c.arpTimeoutSec !== 14400) lines.push(` arp timeout ${c.arpTimeoutSec}`);
  lines.push(...queueingConfigLines(ifc));
  if (c.shutdown) lines.push(" shutdown");
  lines.push(...tunnelConfigLines(ifc));
  if (c.cryptoMap !== undefined) lines.push(` crypto map ${c.cryptoMap}`);
  lines.push(...mqcInterfaceLines(ifc));
  if (c.holdQueueIn !== undefined) lines.push(` hold-queue ${c.holdQueueIn} in`);
  if (c.holdQueueOut !== undefined) lines.push(` hold-queue ${c.holdQueueOut} out`);
  return lines;
}

/** The whole running configuration; `interfaceName` limits it to one interface block. */
export function renderRunningConfig(device: RouterDevice, interfaceName?: string): string {
  if (interfaceName !== undefined) {
    const ifc = device.findInterface(interfaceName);
    if (ifc === undefined) return "% Invalid interface\n";
    const body = `${[...interfaceConfigLines(ifc), "end"].join("\n")}\n`;
    return `Building configuration...\n\nCurrent configuration : ${body.length} bytes\n!\n${body}\n`;
  }
  const lines: string[] = ["!", "version 15.2", ...serviceConfigLines(device), "!", `hostname ${device.hostname}`, "!"];
  if (!device.loggingBuffered) lines.push("no logging buffered", "!");
  else if (device.logging.maxBytes !== DEFAULT_LOG_BUFFER_BYTES || device.logging.level !== DEFAULT_LOG_BUFFER_LEVEL) {
    const size = device.logging.maxBytes !== DEFAULT_LOG_BUFFER_BYTES ? ` ${device.logging.maxBytes}` : "";
    const level = device.logging.level !== DEFAULT_LOG_BUFFER_LEVEL ? ` ${SEVERITY_NAMES[device.logging.level]}` : "";
    lines.push(`logging buffered${size}${level}`, "!");
  }
  lines.push(...consoleLoggingLines(device.consoleLine));
  if (device.role === "router")
    lines.push(
      "no ip domain lookup",
      ...(device.domainName === null ? [] : [`ip domain name ${device.domainName}`]),
      "ip cef",
      "!",
    );
  lines.push(...keyChainRunningLines(device));
  lines.push(...mqcRunningLines(device));
  lines.push(...renderCryptoConfig(device.crypto, gdoiRunningConfigBlocks(device)));
  for (const ifc of device.interfaces()) {
    if (ifc.kind === "null") continue;
    lines.push(...interfaceConfigLines(ifc), "!");
  }
  lines.push(...eigrpRouterLines(device));
  lines.push(...ospfRouterLines(device));
  lines.push(...ripRouterLines(device));
  lines.push(...odrRouterLines(device));
  lines.push(...cdpGlobalLines(device));
  if (device.role === "router" && !device.stack.routing) lines.push("no ip routing", "!");
  if (device.stack.defaultGateway !== null)
    lines.push(`ip default-gateway ${formatIpv4Address(device.stack.defaultGateway)}`);
  const nat = device.nat === null ? [] : renderNatConfig(device.nat.config);
  lines.push(...nat);
  const statics = device.stack.rib.staticRoutes();
  for (const r of statics) {
    let line = `ip route ${formatIpv4Address(r.prefix)} ${mask(r.length)}`;
    if (r.interface !== undefined) line += ` ${r.interface}`;
    if (r.nextHop !== undefined) line += ` ${formatIpv4Address(r.nextHop)}`;
    if (r.distance !== undefined) line += ` ${r.distance}`;
    if (r.tag !== undefined) line += ` tag ${r.tag}`;
    if (r.name !== undefined) line += ` name ${r.name}`;
    if (r.permanent) line += " permanent";
    lines.push(line);
  }
  if (statics.length > 0 || nat.length > 0 || device.stack.defaultGateway !== null) lines.push("!");
  const acls = [...device.acls.values()];
  const named = acls.filter((a) => !a.numbered).sort((a, b) => a.name.localeCompare(b.name));
  const numbered = acls.filter((a) => a.numbered).sort((a, b) => Number(a.name) - Number(b.name));
  for (const acl of named) lines.push(...renderAclConfig(acl));
  if (named.length > 0) lines.push("!");
  lines.push(...prefixListRunningLines(device));
  for (const acl of numbered) lines.push(...renderAclConfig(acl));
  if (numbered.length > 0) lines.push("!");
  lines.push(...legacyQueueingRunningLines(device));
  lines.push(...routeMapRunningLines(device));
  lines.push("end");
  const body = `${lines.join("\n")}\n`;
  return `Building configuration...\n\nCurrent configuration : ${body.length} bytes\n${body}\n`;
}

/** Strips what `show running-config` prints around the configuration, so it can be loaded back. */
export function configFromShowRun(text: string): string {
  return text
    .split("\n")
    .filter((l) => !/^Building configuration\.\.\.$/.test(l) && !/^Current configuration : \d+ bytes$/.test(l))
    .join("\n");
}
