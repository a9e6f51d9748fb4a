// Ethernet interfaces and their 802.1Q subinterfaces: Ethernet II framing,
// ARP for unicast next hops, the broadcast address for broadcasts, and
// 01:00:5e plus the group's low 23 bits for IPv4 multicast (RFC 1112 6.4).
// On input the port's main interface demultiplexes tagged frames to its
// subinterfaces, ignores unicast frames for other stations (a segment is a
// hub), and hands ARP and IPv4 to the stack
// and CDP (802.3 LLC/SNAP) to the device's CDP.

import { cdpFromSnap, emitCdpEthernetFrame } from "../../wire/cdp.ts";
import { ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_VLAN } from "../../wire/ethernet.ts";
import { MAC_BROADCAST, readMac, writeMac } from "../../wire/mac-address.ts";
import { cdpInput } from "../pipeline/link-control.ts";
import type { InterfaceKindDriver } from "./interface-kind.ts";

/** The multicast MAC address of an IPv4 group (01:00:5e, then the group's low 23 bits). */
export function multicastMac(group: number): number {
  return 0x01005e000000 + (group & 0x7fffff);
}

/** `interface GigabitEthernetX/Y[.N]`, FastEthernet, Ethernet. */
export const ethernetKind: InterfaceKindDriver = {
  kind: "ethernet",
  hasPort: true,
  defaultMtu: 1500,
  defaultDelayTensOfUs(name) {
    if (/^GigabitEthernet/i.test(name)) return 1;
    if (/^FastEthernet/i.test(name)) return 10;
    return 100;
  },
  defaultBandwidthKbps: null,
  output(stack, egress, nextHop, dgram) {
    const physical = egress.parent ?? egress;
    const port = physical.port;
    if (port === null) return { ok: false, failure: "interfaceDown", egress };
    let dstMac: Uint8Array | number;
    if (nextHop === 0xffffffff || stack.isBroadcastAddress(nextHop)) dstMac = MAC_BROADCAST;
    else if (nextHop >>> 28 === 0xe) dstMac = multicastMac(nextHop);
    else {
      const resolution = stack.arp.resolve(nextHop, egress.name, stack.now());
      if (resolution.kind === "miss") {
        // IOS drops the packet that triggers ARP (the first ping shows '.').
        stack.counters.encapsulationFailed++;
        if (resolution.sendRequest) stack.arpService.sendRequest(egress, nextHop);
        return { ok: false, failure: "encapsulationFailed", egress };
      }
      dstMac = resolution.mac;
      if (resolution.refresh === true) stack.arpService.sendRequest(egress, nextHop, true);
    }
    const vlan = egress.parent !== null ? egress.config.vlan : undefined;
    const header = vlan !== undefined ? ETHERNET_HEADER_LEN + 4 : ETHERNET_HEADER_LEN;
    const frame = stack.frameAround(dgram, header, 60);
    if (typeof dstMac === "number") writeMac(frame, 0, dstMac);
    else frame.set(dstMac, 0);
    writeMac(frame, 6, physical.mac);
    if (vlan !== undefined) {
      frame[12] = 0x81;
      frame[13] = 0x00;
      frame[14] = (vlan >> 8) & 0x0f;
      frame[15] = vlan & 0xff;
      frame[16] = 0x08;
      frame[17] = 0x00;
    } else {
      frame[12] = 0x08;
      frame[13] = 0x00;
    }
    return stack.transmit(egress, port, frame) ? { ok: true, egress } : { ok: false, failure: "queueFull", egress };
  },
  input(stack, main, frame) {
    if (frame.length < ETHERNET_HEADER_LEN) return void main.counters.inputErrors++;
    let ifc = main;
    let offset = ETHERNET_HEADER_LEN;
    let type = (frame[12]! << 8) | frame[13]!;
    if (type === ETHERTYPE_VLAN) {
      if (frame.length < ETHERNET_HEADER_LEN + 4) return void main.counters.inputErrors++;
      const vid = ((frame[14]! << 8) | frame[15]!) & 0x0fff;
      const sub = stack.subinterfaceFor(main, vid);
      if (sub === undefined) return void main.counters.inputDrops++;
      ifc = sub;
      offset = ETHERNET_HEADER_LEN + 4;
      type = (frame[16]! << 8) | frame[17]!;
    }
    if (!ifc.lineProtocolUp) return;
    const dstMac = readMac(frame, 0);
    const broadcast = dstMac === MAC_BROADCAST;
    // A segment is a hub: frames for other stations are seen and ignored.
    if (!broadcast && dstMac !== ifc.mac && (frame[0]! & 1) === 0) return;
    stack.countInput(ifc, frame.length, broadcast, (frame[0]! & 1) !== 0);
    if (type === ETHERTYPE_ARP) stack.arpService.input(ifc, frame.subarray(offset));
    else if (type === ETHERTYPE_IPV4) stack.ipInput(ifc, frame, offset);
    else if (type <= 1500) {
      // IEEE 802.3 length: LLC/SNAP, of which we speak CDP.
      const cdp = cdpFromSnap(frame.subarray(offset), type);
      if (cdp !== null) cdpInput(stack, ifc, cdp);
    }
  },
  outputCdp(stack, egress, payload) {
    const physical = egress.parent ?? egress;
    if (physical.port === null) return false;
    const vlan = egress.parent !== null ? egress.config.vlan : undefined;
    return stack.transmit(egress, physical.port, emitCdpEthernetFrame(physical.mac, payload, vlan));
  },
};
