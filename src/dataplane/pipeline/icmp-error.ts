// When a router may send an ICMP error about a datagram (RFC 1812 4.3.2.7):
// never about an ICMP error, a non-first fragment, a datagram sent to a group
// or the limited broadcast (RFC 1122 3.2.2), or a datagram whose source
// is not a unicast host; and IOS's rate limit of one unreachable per 500 ms.

import type { TimeNs } from "../../runtime/device.ts";
import {
  ICMP_DEST_UNREACHABLE,
  ICMP_PARAMETER_PROBLEM,
  ICMP_REDIRECT,
  ICMP_TIME_EXCEEDED,
  UNREACH,
} from "../../wire/icmp.ts";
import { IP_PROTO_ICMP } from "../../wire/ipv4.ts";

/** IOS default `ip icmp rate-limit unreachable 500`. */
export const UNREACHABLE_INTERVAL_NS = 500_000_000;

/** True if an ICMP error may be generated about the datagram at `off` in `b`. */
export function mayReportError(b: Uint8Array, off: number): boolean {
  const fragOffset = ((b[off + 6]! & 0x1f) << 8) | b[off + 7]!;
  if (fragOffset !== 0) return false;
  const src = ((b[off + 12]! << 24) | (b[off + 13]! << 16) | (b[off + 14]! << 8) | b[off + 15]!) >>> 0;
  if (src === 0 || src === 0xffffffff || src >>> 28 === 0xe || src >>> 24 === 127) return false;
  // Nor about a datagram sent to a multicast group or the limited broadcast (RFC 1122 3.2.2).
  const dst = ((b[off + 16]! << 24) | (b[off + 17]! << 16) | (b[off + 18]! << 8) | b[off + 19]!) >>> 0;
  if (dst >>> 28 === 0xe || dst === 0xffffffff) return false;
  if (b[off + 9] === IP_PROTO_ICMP) {
    const hlen = (b[off]! & 0x0f) * 4;
    const type = b[off + hlen];
    if (
      type === ICMP_DEST_UNREACHABLE ||
      type === ICMP_TIME_EXCEEDED ||
      type === ICMP_REDIRECT ||
      type === ICMP_PARAMETER_PROBLEM
    )
      return false;
  }
  return true;
}

/** IOS's per-router unreachable rate limiter (fragmentation-needed is not limited by default). */
export class UnreachableLimiter {
  private lastAt: TimeNs = -Infinity;
  /** Suppressed because of the rate limit. */
  suppressed = 0;

  /** True if an unreachable with this code may go out now (and records it). */
  allow(code: number, now: TimeNs): boolean {
    if (code === UNREACH.FRAG_NEEDED) return true;
    if (now - this.lastAt < UNREACHABLE_INTERVAL_NS) {
      this.suppressed++;
      return false;
    }
    this.lastAt = now;
    return true;
  }
}
