// EIGRP named mode's wide metric (RFC 7868 5.6.2, IOS 15's `router eigrp NAME`):
//   metric = (K1·Throughput + K2·Throughput/(256 − load) + K3·Latency) × (K5 / (K4 + reliability)) [last factor only if K5 ≠ 0]
// with Throughput = 65536 × 10^7 / (minimum bandwidth in kbit/s) and
// Latency = 65536 × (sum of delays in picoseconds) / 10^6. The RIB takes
// metric / `metric rib-scale` (default 128); DUAL compares the wide values.
//
// Named mode gives an interface its delay in picoseconds: the configured
// `delay` if any; else, above 1 Gbit/s with no `bandwidth` configured,
// 10^13 / bandwidth (a loopback's 8 Gbit/s: 1.25 µs, not classic's 5000 µs);
// else the interface's default delay.
//
// The values travel in the classic metric TLVs (this emulator sends no
// multi-protocol 0x0602/0x0603 TLVs), whose units are bandwidth 256 × 10^7 /
// kbit/s and delay 1/256 of 10 µs (39.0625 ns): Throughput = 256 × the scaled
// bandwidth and Latency = 2560 × the scaled delay. That is exact for every
// IOS default interface (1.25 µs is 32 units, 10 µs is 256) and for bandwidths
// that divide 2.56 × 10^9 kbit/s; others lose the scaled bandwidth's fraction.

import type { EigrpMetric } from "../../wire/eigrp.ts";
import { EIGRP_INFINITY, isUnreachable, type KValues } from "./metric.ts";

/** IOS's `metric rib-scale` default. */
export const DEFAULT_RIB_SCALE = 128;

/**
 * DUAL keeps its distances below EIGRP_INFINITY: a reachable wide metric at or
 * above it (paths slower than about 150 kbit/s) saturates one below.
 */
const WIDE_CEILING = EIGRP_INFINITY - 1;

/** Throughput of a metric block: 65536 × 10^7 / minimum kbit/s. */
export function wideThroughput(m: EigrpMetric): number {
  return m.bandwidth * 256;
}

/** Latency of a metric block: 65536 × picoseconds / 10^6. */
export function wideLatency(m: EigrpMetric): number {
  return m.delay * 2560;
}

/** The named-mode total delay of a metric block in picoseconds (as show ip eigrp topology prints it). */
export function delayPicoseconds(m: EigrpMetric): number {
  return Math.round((m.delay * 1e7) / 256);
}

/** The wide composite metric of a metric block (EIGRP_INFINITY when unreachable). */
export function wideMetric(m: EigrpMetric, k: KValues): number {
  if (isUnreachable(m)) return EIGRP_INFINITY;
  const [k1, k2, k3, k4, k5] = k;
  const t = wideThroughput(m);
  let metric = k1 * t + Math.floor((k2 * t) / (256 - Math.min(255, m.load))) + k3 * wideLatency(m);
  if (k5 !== 0) metric = Math.floor((metric * k5) / (m.reliability + k4));
  return Math.min(WIDE_CEILING, metric);
}

/** The RIB's metric of a wide metric under `metric rib-scale`. */
export function ribMetric(wide: number, ribScale: number): number {
  return wide >= EIGRP_INFINITY ? EIGRP_INFINITY : Math.floor(wide / ribScale);
}

/** An interface's named-mode delay in picoseconds (rules in the header). */
export function namedModeDelayPs(ifc: {
  bandwidthKbps: number;
  delayTensOfUs: number;
  bandwidthConfigured: boolean;
  delayConfigured: boolean;
}): number {
  if (!ifc.delayConfigured && !ifc.bandwidthConfigured && ifc.bandwidthKbps > 1_000_000)
    return Math.floor(1e13 / ifc.bandwidthKbps);
  return ifc.delayTensOfUs * 1e7;
}

/** A delay in picoseconds as the tens of µs the classic metric block carries (in its 1/256 steps). */
export function psToTensOfUs(ps: number): number {
  return Math.floor((ps * 256) / 1e7) / 256;
}
