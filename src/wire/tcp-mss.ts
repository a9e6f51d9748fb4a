// TCP MSS clamping (`ip tcp adjust-mss`): in a SYN or SYN-ACK carried by an
// IPv4 datagram, an MSS option (RFC 9293 section 3.7.1, kind 2, length 4)
// larger than the limit is lowered to it, in place, and the TCP checksum is
// updated incrementally (RFC 1624), or summed again when the value straddles
// two 16-bit words. Fragments after the first, segments
// without SYN and segments without an MSS option are left alone, as on IOS;
// malformed options stop the walk without touching anything. Never throws.

import { checksumAdd, checksumFinish, checksumUpdate16, pseudoHeaderSum } from "./checksum.ts";
import { IP_PROTO_TCP } from "./ipv4.ts";
import { readIpv4 } from "./ipv4-address.ts";
import { TCP_OPT_EOL, TCP_OPT_MSS, TCP_OPT_NOP, TCP_SYN } from "./tcp.ts";

/**
 * Lowers the MSS option of a SYN in the IPv4 datagram `dgram` to `maxMss`;
 * returns the MSS it replaced, or null when nothing changed.
 */
export function clampTcpMss(dgram: Uint8Array, maxMss: number): number | null {
  if (dgram.length < 20 || dgram[9] !== IP_PROTO_TCP) return null;
  if ((((dgram[6]! & 0x1f) << 8) | dgram[7]!) !== 0) return null; // not the first fragment
  const ihl = (dgram[0]! & 0x0f) * 4;
  const total = Math.min(dgram.length, (dgram[2]! << 8) | dgram[3]!);
  if (ihl < 20 || total < ihl + 20) return null;
  if ((dgram[ihl + 13]! & TCP_SYN) === 0) return null;
  const end = Math.min(total, ihl + (dgram[ihl + 12]! >>> 4) * 4);
  let i = ihl + 20;
  while (i < end) {
    const kind = dgram[i]!;
    if (kind === TCP_OPT_EOL) return null;
    if (kind === TCP_OPT_NOP) {
      i++;
      continue;
    }
    if (i + 1 >= end) return null;
    const len = dgram[i + 1]!;
    if (len < 2 || i + len > end) return null;
    if (kind === TCP_OPT_MSS && len === 4) {
      const mss = (dgram[i + 2]! << 8) | dgram[i + 3]!;
      if (mss <= maxMss) return null;
      dgram[i + 2] = maxMss >>> 8;
      dgram[i + 3] = maxMss & 0xff;
      const sumAt = ihl + 16;
      let sum: number;
      if ((i + 2 - ihl) % 2 === 0) {
        // The value sits on a 16-bit word of the segment: RFC 1624's update.
        sum = checksumUpdate16((dgram[sumAt]! << 8) | dgram[sumAt + 1]!, mss, maxMss);
      } else {
        // Straddling two words (an odd number of NOPs before it): sum the segment again.
        dgram[sumAt] = 0;
        dgram[sumAt + 1] = 0;
        const src = readIpv4(dgram, 12);
        const dst = readIpv4(dgram, 16);
        sum = checksumFinish(checksumAdd(pseudoHeaderSum(src, dst, IP_PROTO_TCP, total - ihl), dgram, ihl, total));
      }
      dgram[sumAt] = sum >>> 8;
      dgram[sumAt + 1] = sum & 0xff;
      return mss;
    }
    i += len;
  }
  return null;
}
