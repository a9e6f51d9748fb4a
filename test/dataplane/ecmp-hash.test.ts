import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { flowHash, LoadBalancer, perDestinationIndex, universalIdFrom } from "../../src/dataplane/ecmp-hash.ts";

describe("ecmp-hash", () => {
  test("per-destination is stable for a flow and in range", () => {
    fc.assert(
      fc.property(
        fc.nat(0xffffffff),
        fc.nat(0xffffffff),
        fc.nat(0xffffffff),
        fc.integer({ min: 1, max: 16 }),
        (s, d, id, n) => {
          const i = perDestinationIndex(s, d, id, n);
          expect(i).toBeGreaterThanOrEqual(0);
          expect(i).toBeLessThan(n);
          expect(perDestinationIndex(s, d, id, n)).toBe(i);
        },
      ),
    );
  });

  test("flows spread roughly evenly over 2 and 4 paths", () => {
    for (const n of [2, 4]) {
      const counts = new Array(n).fill(0);
      for (let i = 0; i < 4000; i++) counts[perDestinationIndex(0x0a000001, (0xc0a80000 + i) >>> 0, 12345, n)]++;
      for (const c of counts) expect(Math.abs(c - 4000 / n)).toBeLessThan((4000 / n) * 0.15);
    }
  });

  test("different universal ids give different choices (no polarisation)", () => {
    let differ = 0;
    for (let i = 0; i < 200; i++) {
      if (
        perDestinationIndex(0x0a000001, 0x0b000000 + i, universalIdFrom("R1"), 2) !==
        perDestinationIndex(0x0a000001, 0x0b000000 + i, universalIdFrom("R2"), 2)
      )
        differ++;
    }
    expect(differ).toBeGreaterThan(60);
    expect(flowHash(1, 2, 3)).toBe(flowHash(1, 2, 3));
  });

  test("per-packet is round robin per path list; exact-route matches forwarding", () => {
    const lb = new LoadBalancer(universalIdFrom("R1"));
    const seq = [0, 1, 2, 3, 4].map(() => lb.selectPath(7, 3, 1, 2, "per-packet"));
    expect(seq).toEqual([0, 1, 2, 0, 1]);
    expect(lb.selectPath(8, 3, 1, 2, "per-packet")).toBe(0);
    expect(lb.exactRoute(7, 3, 1, 2, "per-packet")).toBe(2);
    expect(lb.selectPath(7, 3, 1, 2, "per-packet")).toBe(2);
    lb.resetPathList(7);
    expect(lb.selectPath(7, 3, 1, 2, "per-packet")).toBe(0);
    expect(lb.exactRoute(1, 4, 10, 20)).toBe(lb.selectPath(1, 4, 10, 20));
    expect(lb.selectPath(1, 1, 10, 20, "per-packet")).toBe(0);
  });
});
