// Named mode's wide metric from the metric block, against RFC 7868 5.6.2's
// formula and seed 003's 10880; the interface delays named mode assigns.

import { describe, expect, test } from "bun:test";
import {
  addLink,
  DEFAULT_K,
  EIGRP_INFINITY,
  interfaceMetric,
  unreachableMetric,
} from "../../../src/protocols/eigrp/metric.ts";
import {
  delayPicoseconds,
  namedModeDelayPs,
  psToTensOfUs,
  ribMetric,
  wideMetric,
} from "../../../src/protocols/eigrp/wide-metric.ts";

const GIG = { bandwidthKbps: 1_000_000, delayTensOfUs: 1, mtu: 1500 };
const LOOPBACK_NAMED = {
  bandwidthKbps: 8_000_000,
  delayTensOfUs: psToTensOfUs(
    namedModeDelayPs({
      bandwidthKbps: 8_000_000,
      delayTensOfUs: 500,
      bandwidthConfigured: false,
      delayConfigured: false,
    }),
  ),
  mtu: 1514,
};

describe("EIGRP wide metric", () => {
  test("named mode's interface delays: above 1 Gbit/s 10^13/kbps unless bandwidth or delay is configured", () => {
    const loop = { bandwidthKbps: 8_000_000, delayTensOfUs: 500 };
    expect(namedModeDelayPs({ ...loop, bandwidthConfigured: false, delayConfigured: false })).toBe(1_250_000);
    expect(namedModeDelayPs({ ...loop, bandwidthConfigured: true, delayConfigured: false })).toBe(5_000_000_000);
    expect(namedModeDelayPs({ ...loop, bandwidthConfigured: false, delayConfigured: true })).toBe(5_000_000_000);
    expect(namedModeDelayPs({ ...GIG, bandwidthConfigured: false, delayConfigured: false })).toBe(10_000_000);
    expect(
      namedModeDelayPs({
        bandwidthKbps: 10_000_000,
        delayTensOfUs: 1,
        bandwidthConfigured: false,
        delayConfigured: false,
      }),
    ).toBe(1_000_000);
  });

  test("seed 003's BGP NHT metric: Gig to a loopback is 1392640 wide, 10880 in the RIB", () => {
    const atR4 = interfaceMetric(LOOPBACK_NAMED);
    expect(delayPicoseconds(atR4)).toBe(1_250_000);
    expect(wideMetric(atR4, DEFAULT_K)).toBe((65536 * 1e7) / 8e6 + (65536 * 1_250_000) / 1e6);
    const atR1 = addLink(atR4, GIG);
    expect(delayPicoseconds(atR1)).toBe(11_250_000);
    expect(wideMetric(atR1, DEFAULT_K)).toBe(1392640);
    expect(ribMetric(wideMetric(atR1, DEFAULT_K), 128)).toBe(10880);
    expect(ribMetric(wideMetric(atR1, DEFAULT_K), 1)).toBe(1392640);
  });

  test("unreachable stays unreachable, slow paths saturate below infinity", () => {
    expect(wideMetric(unreachableMetric(), DEFAULT_K)).toBe(EIGRP_INFINITY);
    expect(ribMetric(EIGRP_INFINITY, 128)).toBe(EIGRP_INFINITY);
    const slow = interfaceMetric({ bandwidthKbps: 64, delayTensOfUs: 2000, mtu: 1500 });
    expect(wideMetric(slow, DEFAULT_K)).toBe(EIGRP_INFINITY - 1);
  });
});
