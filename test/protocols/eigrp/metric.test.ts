// EIGRP's classic composite metric against the seeds' numbers. Seed 003's
// R2 reaches R9's loopback 9.9.9.9 over a T1 to R3 (1544 kbit/s, 20000 µs),
// R3's FastEthernet to R9 (100 µs) and R9's loopback (5000 µs): IOS prints
// metric 2300416 = 256 × (10^7/1544 + 25100/10). Its BGP NHT lab shows IGP
// metric 10880 to 4.4.4.4 across GigabitEthernet1.124 to R4's loopback:
// classic EIGRP would give 256 × (10 + 501) = 130816 there, so 10880 is not a
// classic metric. It is named mode's wide metric scaled into the RIB by
// `metric rib-scale 128`: throughput 65536 × 10^7 / 10^6 kbit/s = 655360,
// latency 65536 × (10 µs + 1.25 µs) = 737280 (named mode gives a loopback,
// 8 Gbit/s, the delay 10^13 / bandwidth in kbit/s = 1250000 ps = 1.25 µs, not 5000 µs),
// total 1392640, / 128 = 10880. Named mode (src/protocols/eigrp/wide-metric.ts)
// reproduces it end to end in eigrp-named.test.ts; the arithmetic stays here.

import { describe, expect, test } from "bun:test";
import {
  addLink,
  compositeMetric,
  EIGRP_INFINITY,
  interfaceMetric,
  scaledBandwidth,
  unreachableMetric,
} from "../../../src/protocols/eigrp/metric.ts";

const T1 = { bandwidthKbps: 1544, delayTensOfUs: 2000, mtu: 1500 };
const FAST = { bandwidthKbps: 100_000, delayTensOfUs: 10, mtu: 1500 };
const GIG = { bandwidthKbps: 1_000_000, delayTensOfUs: 1, mtu: 1500 };
const LOOPBACK = { bandwidthKbps: 8_000_000, delayTensOfUs: 500, mtu: 1514 };

describe("EIGRP classic metric", () => {
  test("seed 003: R2 -> T1 -> R3 -> FastEthernet -> R9's loopback is 2300416", () => {
    const atR9 = interfaceMetric(LOOPBACK);
    const atR3 = addLink(atR9, FAST);
    const atR2 = addLink(atR3, T1);
    expect(compositeMetric(atR9)).toBe(128256);
    expect(compositeMetric(atR3)).toBe(156160); // R3's reported distance in R2's topology table
    expect(compositeMetric(atR2)).toBe(2300416);
    expect(compositeMetric(atR2)).toBe(256 * (Math.floor(1e7 / 1544) + (20000 + 100 + 5000) / 10));
    expect(atR2.hopCount).toBe(2);
    // The path's minimum bandwidth is the T1's, carried scaled by 256 on the wire.
    expect(atR2.bandwidth).toBe(scaledBandwidth(1544));
  });

  test("an inbound offset adds exactly its value (offset-list 0 in 50)", () => {
    const viaR4 = addLink(addLink(interfaceMetric(LOOPBACK), FAST), T1, 50);
    expect(compositeMetric(viaR4)).toBe(2300466);
  });

  test("IOS's connected metrics: FastEthernet 28160, serial T1 2169856, GigabitEthernet 2816", () => {
    expect(compositeMetric(interfaceMetric(FAST))).toBe(28160);
    expect(compositeMetric(interfaceMetric(T1))).toBe(2169856);
    expect(compositeMetric(interfaceMetric(GIG))).toBe(2816);
  });

  test("10880 (seed 003's BGP NHT) is not classic: classic gives 130816 over Gig to a loopback", () => {
    expect(compositeMetric(addLink(interfaceMetric(LOOPBACK), GIG))).toBe(130816);
    // Named mode, wide metrics: 65536 × (10^7 / kbit/s) + 65536 × (sum of delays in µs), / rib-scale 128.
    const throughput = (65536 * 1e7) / 1_000_000;
    const loopbackDelayUs = 1e13 / 8_000_000 / 1e6; // 10^13 / kbit/s picoseconds -> 1.25 µs
    const latency = 65536 * (10 + loopbackDelayUs);
    expect(throughput + latency).toBe(1392640);
    expect((throughput + latency) / 128).toBe(10880);
  });

  test("unreachable stays unreachable; K5 uses reliability", () => {
    expect(compositeMetric(unreachableMetric())).toBe(EIGRP_INFINITY);
    expect(compositeMetric(addLink(unreachableMetric(), T1))).toBe(EIGRP_INFINITY);
    const m = { ...interfaceMetric(FAST), reliability: 255 };
    expect(compositeMetric(m, [1, 0, 1, 0, 1])).toBe(Math.floor(28160 / 255));
  });
});
