// The MQC token buckets against their RFCs: the two-colour policer passes
// CIR over time, srTCM (RFC 2697) and trTCM (RFC 2698) colour a burst as the
// RFCs' examples do, and the shaper spaces packets at its rate.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  defaultPoliceBurstBytes,
  defaultShapeBcBits,
  Shaper,
  SingleRateThreeColourMeter,
  shapeRateBps,
  TwoColourMeter,
  TwoRateThreeColourMeter,
} from "../../../src/dataplane/qos/mqc-meter.ts";

const MS = 1_000_000;

describe("policers", () => {
  test("two colours: a full bucket passes bc, then CIR", () => {
    const m = new TwoColourMeter(64_000, 2000); // 8000 bytes/s
    const colours = [0, 1].map(() => m.mark(0, 1000));
    expect(colours).toEqual(["conform", "conform"]);
    expect(m.mark(0, 1000)).toBe("exceed");
    // 125 ms later 1000 bytes have accrued.
    expect(m.mark(125 * MS, 1000)).toBe("conform");
    expect(m.mark(125 * MS, 100)).toBe("exceed");
  });

  test("two colours: over a long run what conforms is CIR × time + bc", () => {
    fc.assert(
      fc.property(fc.integer({ min: 8_000, max: 2_000_000 }), fc.integer({ min: 64, max: 1500 }), (cir, size) => {
        const bc = defaultPoliceBurstBytes(cir);
        const m = new TwoColourMeter(cir, bc);
        let conformed = 0;
        const seconds = 10;
        const step = Math.max(1, Math.floor(((size * 8) / (cir * 3)) * 1e9)); // offered at 3 × CIR
        for (let t = 0; t <= seconds * 1e9; t += step) if (m.mark(t, size) === "conform") conformed += size;
        const allowed = (cir / 8) * seconds + bc;
        expect(conformed).toBeLessThanOrEqual(allowed + 1e-6);
        expect(conformed).toBeGreaterThan(allowed - 2 * size - (cir / 8) * (step / 1e9));
      }),
      { numRuns: 30 },
    );
  });

  test("srTCM (RFC 2697): committed, then excess, then violate; E fills from C's overflow", () => {
    const m = new SingleRateThreeColourMeter(8000, 1000, 500); // 1000 bytes/s
    expect(m.mark(0, 1000)).toBe("conform");
    expect(m.mark(0, 500)).toBe("exceed");
    expect(m.mark(0, 1)).toBe("violate");
    // 2 s: C refills to 1000 (1000 accrued), the other 1000 overflow into E (capped at 500).
    expect(m.mark(2000 * MS, 1000)).toBe("conform");
    expect(m.mark(2000 * MS, 500)).toBe("exceed");
  });

  test("trTCM (RFC 2698): red when P lacks, yellow when C lacks", () => {
    const m = new TwoRateThreeColourMeter(8000, 1000, 16000, 3000);
    expect(m.mark(0, 1000)).toBe("conform"); // P 2000, C 0
    expect(m.mark(0, 1500)).toBe("exceed"); // P 500
    expect(m.mark(0, 600)).toBe("violate");
    // 1 s: C +1000, P +2000 (to 2500).
    expect(m.mark(1000 * MS, 1000)).toBe("conform");
  });

  test("IOS defaults: police bc is CIR/32 bytes (at least 1500), shape Bc is 4 ms at CIR", () => {
    expect(defaultPoliceBurstBytes(8000)).toBe(1500);
    expect(defaultPoliceBurstBytes(1_000_000)).toBe(31250);
    expect(defaultShapeBcBits(256_000)).toBe(1024);
    expect(shapeRateBps({ kind: "peak", cirBps: 256_000, bcBits: 1024, beBits: 1024 })).toBe(512_000);
  });
});

describe("shaper", () => {
  test("sends at its rate once the burst is spent", () => {
    const s = new Shaper({ kind: "average", cirBps: 80_000, bcBits: 8000, beBits: 0 }); // 10000 B/s, 1000 B credit
    let now = 0;
    let sent = 0;
    while (now < 10_000 * MS) {
      const at = s.readyAt(now);
      now = at;
      s.take(now, 500);
      sent += 500;
    }
    // 10 s at 10000 B/s plus the first burst and one packet of overdraft.
    expect(sent).toBeGreaterThanOrEqual(100_000);
    expect(sent).toBeLessThanOrEqual(100_000 + 1000 + 500);
  });
});
