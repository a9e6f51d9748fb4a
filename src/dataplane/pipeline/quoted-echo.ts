// Reading the datagram an ICMP error quotes (IP header + 8 bytes, RFC 792):
// ping matches errors to the echo it has outstanding by id and sequence.

import { ICMP_ECHO_REQUEST } from "../../wire/icmp.ts";
import { IP_PROTO_ICMP } from "../../wire/ipv4.ts";
import { readIpv4 } from "../../wire/ipv4-address.ts";

/** True if `quoted` is an echo request to `target` with this id and sequence. */
export function quotesEcho(quoted: Uint8Array, target: number, id: number, seq: number): boolean {
  if (quoted.length < 28 || quoted[9] !== IP_PROTO_ICMP || readIpv4(quoted, 16) !== target) return false;
  const hlen = (quoted[0]! & 0x0f) * 4;
  if (quoted.length < hlen + 8 || quoted[hlen] !== ICMP_ECHO_REQUEST) return false;
  return (
    ((quoted[hlen + 4]! << 8) | quoted[hlen + 5]!) === id && ((quoted[hlen + 6]! << 8) | quoted[hlen + 7]!) === seq
  );
}
