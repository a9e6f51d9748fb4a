// The header fields an access list matches, read straight from a datagram's
// bytes (addresses, protocol, ToS, and for the first fragment the ports, the
// TCP flags or the ICMP type and code).

import { IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP } from "../../wire/ipv4.ts";
import { readIpv4 } from "../../wire/ipv4-address.ts";
import type { AclPacket } from "../acl.ts";

/** Header fields an ACL looks at. */
export function aclFields(dgram: Uint8Array): AclPacket {
  const hlen = (dgram[0]! & 0x0f) * 4;
  const protocol = dgram[9]!;
  const p: AclPacket = { src: readIpv4(dgram, 12), dst: readIpv4(dgram, 16), protocol, tos: dgram[1]! };
  const firstFragment = (((dgram[6]! & 0x1f) << 8) | dgram[7]!) === 0;
  if (firstFragment && dgram.length >= hlen + 4) {
    if (protocol === IP_PROTO_TCP || protocol === IP_PROTO_UDP) {
      p.srcPort = (dgram[hlen]! << 8) | dgram[hlen + 1]!;
      p.dstPort = (dgram[hlen + 2]! << 8) | dgram[hlen + 3]!;
      if (protocol === IP_PROTO_TCP && dgram.length >= hlen + 14) p.tcpFlags = dgram[hlen + 13]!;
    } else if (protocol === IP_PROTO_ICMP) {
      p.icmpType = dgram[hlen]!;
      p.icmpCode = dgram[hlen + 1]!;
    }
  }
  return p;
}
