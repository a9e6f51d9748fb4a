// Fast switching, as IOS does it before punting to the full path: an
// untagged Ethernet frame that holds an option-less datagram for a unicast
// destination with one path out of an untagged, up Ethernet interface whose
// next hop is in the ARP table, with no ACL, NAT or crypto map on either
// interface, no redirect to send and no fragmentation, is checked and
// rewritten in place (TTL, MACs) and handed to the port, with no view or
// object made per packet. It does what the full path does for such a frame,
// counters included; in any other case it returns false before changing
// anything and the frame takes the full path (forwarding.ts).

import { internetChecksum } from "../../wire/checksum.ts";
import { ETHERNET_HEADER_LEN } from "../../wire/ethernet.ts";
import { ipv4DecrementTtl } from "../../wire/ipv4.ts";
import { readIpv4 } from "../../wire/ipv4-address.ts";
import { writeMac } from "../../wire/mac-address.ts";
import { FIB_MISS } from "../fib.ts";
import type { IpStack } from "./ip-stack.ts";
import type { RouterInterface } from "./router-interface.ts";

/** Forwards the frame in place if it qualifies; false leaves it untouched for the full path. */
export function fastForward(stack: IpStack, ingress: RouterInterface, frame: Uint8Array): boolean {
  const off = ETHERNET_HEADER_LEN;
  const length = frame.length;
  if (!stack.routing || length < off + 20 || frame[off] !== 0x45 || frame[off + 8]! <= 1) return false;
  const total = (frame[off + 2]! << 8) | frame[off + 3]!;
  // The frame holds the datagram alone, or a short datagram padded to Ethernet's minimum.
  if (total < 20 || (length !== off + total && !(length === 60 && off + total < 60))) return false;
  const crypto = stack.crypto;
  const nat = stack.nat;
  const inCfg = ingress.config;
  if (inCfg.accessGroupIn !== undefined || (crypto !== null && inCfg.cryptoMap !== undefined)) return false;
  if (nat !== null && inCfg.nat !== undefined) return false;
  if (inCfg.tcpAdjustMss !== undefined) return false; // the full path clamps SYNs' MSS
  if (stack.classification.active) return false; // output QoS classifies on the full path
  if (stack.inputPolicy !== null) return false; // so does input QoS
  const dst = readIpv4(frame, off + 16);
  if (dst >>> 28 === 0xe || dst === 0xffffffff || stack.isLocalAddress(dst) || stack.isBroadcastAddress(dst))
    return false;
  if (internetChecksum(frame, off, off + 20) !== 0) return false;
  const index = stack.rib.fib.lookup(dst);
  if (index === FIB_MISS) return false;
  const pathList = stack.rib.pathList(index);
  if (pathList === undefined || pathList.kind !== "forward" || pathList.paths.length !== 1) return false;
  const path = pathList.paths[0]!;
  const egress = stack.interface(path.interface);
  if (
    egress === undefined ||
    egress.kind !== "ethernet" ||
    egress.parent !== null ||
    egress.port === null ||
    !egress.lineProtocolUp
  )
    return false;
  // Leaving by the interface it came in on: the full path decides on a redirect.
  if (egress === ingress && inCfg.redirects) return false;
  const outCfg = egress.config;
  if (
    outCfg.accessGroupOut !== undefined ||
    (crypto !== null && outCfg.cryptoMap !== undefined) ||
    total > egress.ipMtu
  )
    return false;
  if (nat !== null && outCfg.nat !== undefined) return false;
  if (outCfg.tcpAdjustMss !== undefined) return false;
  const nextHop = path.nextHop ?? dst;
  if (nextHop === 0xffffffff || stack.isBroadcastAddress(nextHop)) return false;
  // An ARP hit, as arp.resolve() sees it (a miss has side effects: the full path handles it).
  const arp = stack.arp.get(nextHop);
  const mac = arp?.mac;
  if (
    arp === undefined ||
    mac === null ||
    mac === undefined ||
    (arp.expiresAt !== null && stack.now() >= arp.expiresAt)
  )
    return false;
  stack.counters.forwarded++;
  ipv4DecrementTtl(frame, off);
  frame[0] = mac[0]!;
  frame[1] = mac[1]!;
  frame[2] = mac[2]!;
  frame[3] = mac[3]!;
  frame[4] = mac[4]!;
  frame[5] = mac[5]!;
  writeMac(frame, 6, egress.mac);
  // Padding must not leak what the previous hop put there.
  if (length > off + total) frame.fill(0, off + total);
  stack.transmit(egress, egress.port, frame);
  return true;
}
