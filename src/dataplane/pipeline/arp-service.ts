// ARP on a router's Ethernet interfaces (RFC 826): answers requests for our
// addresses (and for NAT's inside global aliases), proxy ARP for addresses
// routed out of another interface, learns senders per RFC 826's merge rule,
// sends requests when a next hop is unresolved, and gratuitous ARP when an
// interface comes up.

import { ARP_REPLY, ARP_REQUEST, type ArpPacket, arpReply, arpRequest, emitArp, parseArp } from "../../wire/arp.ts";
import { ETHERTYPE_ARP, emitEthernet } from "../../wire/ethernet.ts";
import { formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";
import { formatMacCisco, MAC_BROADCAST, writeMac } from "../../wire/mac-address.ts";
import type { IpStack } from "./ip-stack.ts";
import type { RouterInterface } from "./router-interface.ts";

/** The ARP half of one device's stack. */
export class ArpService {
  constructor(private readonly stack: IpStack) {}

  /** An ARP packet arrived on an Ethernet interface. */
  input(ifc: RouterInterface, payload: Uint8Array): void {
    const stack = this.stack;
    const parsed = parseArp(payload);
    if (!parsed.ok) return void ifc.counters.inputErrors++;
    const p = parsed.value;
    const now = stack.now();
    // NAT's inside global addresses on an outside interface are ours too (IOS's IP aliases).
    const ours = ifc.addresses().some((a) => a.address === p.targetIp) || stack.nat?.alias(ifc, p.targetIp) === true;
    // Learn the sender if the packet is for us or we already know it (RFC 826 merge).
    if (ours || stack.arp.has(p.senderIp)) stack.arp.learn(p.senderIp, macBytes(p.senderMac), ifc.name, now);
    const debug = stack.hooks.debug;
    if (p.operation === ARP_REQUEST && (ours || this.proxyArpFor(ifc, p))) {
      debug(
        "arp",
        () =>
          `IP ARP: rcvd req src ${formatIpv4Address(p.senderIp)} ${formatMacCisco(p.senderMac)}, dst ${formatIpv4Address(p.targetIp)} ${ifc.name}`,
      );
      this.send(ifc, arpReply(p, (ifc.parent ?? ifc).mac), p.senderMac);
      debug(
        "arp",
        () =>
          `IP ARP: sent rep src ${formatIpv4Address(p.targetIp)} ${formatMacCisco((ifc.parent ?? ifc).mac)},\n                 dst ${formatIpv4Address(p.senderIp)} ${formatMacCisco(p.senderMac)} ${ifc.name}`,
      );
    } else if (p.operation === ARP_REPLY) {
      debug(
        "arp",
        () =>
          `IP ARP: rcvd rep src ${formatIpv4Address(p.senderIp)} ${formatMacCisco(p.senderMac)}, dst ${formatIpv4Address(p.targetIp)} ${ifc.name}`,
      );
    }
  }

  /** Proxy ARP: answer for an address we route out of a different interface. */
  private proxyArpFor(ifc: RouterInterface, p: ArpPacket): boolean {
    if (!ifc.config.proxyArp || !this.stack.routing) return false;
    const onSubnet = ifc.addresses().some((a) => ((a.address ^ p.targetIp) & maskFromLength(a.length)) === 0);
    if (onSubnet) return false;
    const pl = this.stack.lookupPathList(p.targetIp);
    if (pl === undefined || pl.kind !== "forward") return false;
    return pl.paths.every((path) => path.interface !== ifc.name);
  }

  /** Asks who has `target` on `ifc` (to resolve it, or to refresh an aged entry that stays in use meanwhile). */
  sendRequest(ifc: RouterInterface, target: number, refresh = false): void {
    const src =
      ifc.addresses().find((a) => ((a.address ^ target) & maskFromLength(a.length)) === 0)?.address ??
      ifc.config.address?.address ??
      0;
    this.send(ifc, arpRequest((ifc.parent ?? ifc).mac, src, target), MAC_BROADCAST);
    const debug = this.stack.hooks.debug;
    if (!refresh)
      debug(
        "arp",
        () => `IP ARP: creating incomplete entry for IP address: ${formatIpv4Address(target)} interface ${ifc.name}`,
      );
    debug(
      "arp",
      () =>
        `IP ARP: sent req src ${formatIpv4Address(src)} ${formatMacCisco((ifc.parent ?? ifc).mac)},\n                 dst ${formatIpv4Address(target)} 0000.0000.0000 ${ifc.name}`,
    );
  }

  /** Sends a gratuitous ARP for each address of an interface that came up. */
  announce(ifc: RouterInterface): void {
    if ((ifc.parent ?? ifc).kind !== "ethernet" || !ifc.lineProtocolUp) return;
    for (const a of ifc.addresses())
      this.send(ifc, arpRequest((ifc.parent ?? ifc).mac, a.address, a.address), MAC_BROADCAST);
  }

  private send(ifc: RouterInterface, packet: ArpPacket, dstMac: number): void {
    const physical = ifc.parent ?? ifc;
    if (physical.port === null) return;
    const vlan = ifc.parent !== null ? ifc.config.vlan : undefined;
    const frame = emitEthernet({
      dst: dstMac,
      src: physical.mac,
      ethertype: ETHERTYPE_ARP,
      vlan: vlan !== undefined ? { pcp: 0, dei: false, vid: vlan } : undefined,
      payload: emitArp(packet),
    });
    this.stack.transmit(ifc, physical.port, frame);
  }
}

/** A MAC address number as its six bytes. */
export function macBytes(mac: number): Uint8Array {
  const b = new Uint8Array(6);
  writeMac(b, 0, mac);
  return b;
}
