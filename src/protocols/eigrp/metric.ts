// EIGRP's classic composite metric (RFC 7868 5.6.1, IOS's formula):
//   metric = 256 × (K1·BW + K2·BW/(256 − load) + K3·DLY) × (K5 / (K4 + reliability)) [last factor only if K5 ≠ 0]
// with BW = 10^7 / (minimum bandwidth on the path in kbit/s) and DLY = the sum
// of the delays in tens of microseconds. On the wire (classic TLVs) both are
// carried scaled by 256: bandwidth 256 × 10^7 / kbit/s, delay tens-of-µs × 256.
// IOS's defaults K1 = K3 = 1 make the metric 256 × (10^7/BW + DLY): a T1
// (1544 kbit/s, 20000 µs) then FastEthernet (100 µs) to a loopback (5000 µs)
// gives 256 × (6476 + 2510) = 2300416. An offset-list adds to the scaled delay,
// so it adds exactly its offset to the composite metric.

import type { EigrpMetric } from "../../wire/eigrp.ts";
import { EIGRP_UNREACHABLE_DELAY } from "../../wire/eigrp.ts";

/** K1..K5 (K6 is for wide metrics and stays 0). */
export type KValues = readonly [number, number, number, number, number];

/** IOS's default `metric weights 0 1 0 1 0 0`. */
export const DEFAULT_K: KValues = [1, 0, 1, 0, 0];

/** The largest classic metric; a route at or above it is unreachable. */
export const EIGRP_INFINITY = 0xffffffff;

/** Scaled bandwidth (the wire value) of a link of `kbps`. */
export function scaledBandwidth(kbps: number): number {
  return Math.floor(2_560_000_000 / Math.max(1, kbps));
}

/** Scaled delay (the wire value) of `tensOfUs`. */
export function scaledDelay(tensOfUs: number): number {
  return Math.min(EIGRP_UNREACHABLE_DELAY - 1, tensOfUs * 256);
}

/** Whether a metric block says the destination is unreachable. */
export function isUnreachable(m: EigrpMetric): boolean {
  return m.delay >>> 0 === EIGRP_UNREACHABLE_DELAY;
}

/** The composite metric of a metric block (EIGRP_INFINITY when unreachable). */
export function compositeMetric(m: EigrpMetric, k: KValues = DEFAULT_K): number {
  if (isUnreachable(m)) return EIGRP_INFINITY;
  const [k1, k2, k3, k4, k5] = k;
  const bw = Math.floor(m.bandwidth / 256) * 256;
  let metric = k1 * bw + Math.floor((k2 * bw) / (256 - Math.min(255, m.load))) + k3 * m.delay;
  if (k5 !== 0) metric = Math.floor((metric * k5) / (m.reliability + k4));
  return Math.min(EIGRP_INFINITY, metric);
}

/** The metric of a route heard in a TLV, extended over the link it came in on (and an inbound offset). */
export function addLink(
  received: EigrpMetric,
  link: { bandwidthKbps: number; delayTensOfUs: number; mtu: number },
  offset = 0,
): EigrpMetric {
  if (isUnreachable(received)) return { ...received };
  const delay = received.delay + scaledDelay(link.delayTensOfUs) + offset;
  return {
    ...received,
    delay: Math.min(EIGRP_UNREACHABLE_DELAY - 1, delay),
    bandwidth: Math.max(received.bandwidth, scaledBandwidth(link.bandwidthKbps)),
    mtu: Math.min(received.mtu, link.mtu),
    hopCount: Math.min(255, received.hopCount + 1),
  };
}

/** The metric of a directly connected network (its interface's bandwidth and delay, no hops). */
export function interfaceMetric(link: { bandwidthKbps: number; delayTensOfUs: number; mtu: number }): EigrpMetric {
  return {
    delay: scaledDelay(link.delayTensOfUs),
    bandwidth: scaledBandwidth(link.bandwidthKbps),
    mtu: link.mtu,
    hopCount: 0,
    reliability: 255,
    load: 1,
    internalTag: 0,
    flags: 0,
  };
}

/** An unreachable metric block (delay all ones), as withdrawals and infinite replies carry. */
export function unreachableMetric(): EigrpMetric {
  return {
    delay: EIGRP_UNREACHABLE_DELAY,
    bandwidth: 0,
    mtu: 1500,
    hopCount: 0,
    reliability: 255,
    load: 1,
    internalTag: 0,
    flags: 0,
  };
}
