// Anti-replay window (RFC 4303 §3.4.3, Appendix A): fast-check properties at
// window sizes 64 and 1024 (and random sizes) against a plain model: a packet
// is accepted when its sequence is not 0, was never accepted before, and is
// greater than (highest accepted - window size).
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ReplayWindow } from "../../../src/fastpath/esp/index.ts";

/** The model: a set of accepted numbers and the highest one. */
class Model {
  private readonly seen = new Set<number>();
  private top = 0;
  constructor(private readonly size: number) {}
  accept(seq: number): boolean {
    if (seq < 1 || seq > 0xffffffff || this.seen.has(seq) || seq <= this.top - this.size) return false;
    this.seen.add(seq);
    this.top = Math.max(this.top, seq);
    return true;
  }
}

/** Shuffles 1..n so that no packet arrives more than `maxLate` places after its turn. */
function boundedShuffle(n: number, maxLate: number, rnd: number[]): number[] {
  const keyed = Array.from({ length: n }, (_, i) => ({ seq: i + 1, key: i + (rnd[i % rnd.length]! % (maxLate + 1)) }));
  return keyed.sort((a, b) => a.key - b.key || a.seq - b.seq).map((x) => x.seq);
}

for (const size of [64, 1024]) {
  describe(`replay window ${size}`, () => {
    test("agrees with the model on random arrival orders with duplicates and jumps", () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              fc.integer({ min: 0, max: 3 * size }),
              fc.integer({ min: 0, max: 0xffffffff }),
              fc.integer({ min: -2, max: 2 }), // relative to the last: duplicates and neighbours
            ),
            { maxLength: 300 },
          ),
          (steps) => {
            const w = new ReplayWindow(size);
            const m = new Model(size);
            let last = 1;
            for (const s of steps) {
              const seq = s >= -2 && s <= 2 ? Math.max(0, last + s) : s;
              last = seq;
              const before = w.check(seq);
              expect(w.check(seq)).toBe(before); // check changes nothing
              const accepted = w.update(seq);
              expect(accepted).toBe(before);
              expect(accepted).toBe(m.accept(seq));
            }
          },
        ),
        { numRuns: 300, seed: size },
      );
    });

    test("every packet that arrives while still inside the window is accepted exactly once", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 4 * size }),
          fc.array(fc.nat(), { minLength: 1, maxLength: 64 }),
          fc.integer({ min: 0, max: 0xffff0000 }),
          (n, rnd, base) => {
            const w = new ReplayWindow(size);
            // Arrival lateness below the window size keeps every packet inside the window when it arrives.
            const order = boundedShuffle(n, size - 1, rnd).map((s) => base + s);
            for (const seq of order) expect(w.update(seq)).toBe(true);
            for (const seq of order) {
              expect(w.check(seq)).toBe(false);
              expect(w.update(seq)).toBe(false);
            }
          },
        ),
        { numRuns: 100, seed: size + 1 },
      );
    });

    test("everything left of the window is rejected, even if never seen", () => {
      fc.assert(
        fc.property(fc.integer({ min: size + 1, max: 0xffffffff }), fc.nat(), (top, k) => {
          const w = new ReplayWindow(size);
          expect(w.update(top)).toBe(true);
          const left = top - size - (k % (top - size));
          expect(left).toBeGreaterThanOrEqual(0);
          expect(w.check(left)).toBe(false);
          expect(w.check(top - size + 1)).toBe(true);
          expect(w.update(top - size + 1)).toBe(true);
        }),
        { numRuns: 200, seed: size + 2 },
      );
    });

    test("sequence 0 and numbers outside 32 bits are never valid", () => {
      const w = new ReplayWindow(size);
      for (const bad of [0, -1, 0x100000000, 1.5, Number.NaN]) {
        expect(w.check(bad)).toBe(false);
        expect(w.update(bad)).toBe(false);
      }
      expect(w.update(0xffffffff)).toBe(true);
      expect(w.top).toBe(0xffffffff);
    });

    test("a jump wider than the window forgets everything behind it", () => {
      const w = new ReplayWindow(size);
      for (let s = 1; s <= size; s++) expect(w.update(s)).toBe(true);
      expect(w.update(10 * size)).toBe(true);
      expect(w.check(9 * size + 1)).toBe(true);
      expect(w.check(9 * size)).toBe(false);
      // Bits set before the jump must not leak into the new window (same ring positions).
      for (let s = 9 * size + 1; s < 10 * size; s++) expect(w.update(s)).toBe(true);
    });
  });
}

describe("replay window sizes", () => {
  test("random sizes 1..1024 agree with the model", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1024 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 200 }),
        (size, seqs) => {
          const w = new ReplayWindow(size);
          const m = new Model(size);
          for (const s of seqs) expect(w.update(s)).toBe(m.accept(s));
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  test("the default is 64 and sizes outside 1..1024 are refused", () => {
    expect(new ReplayWindow().size).toBe(64);
    for (const bad of [0, -1, 1025, 2.5]) expect(() => new ReplayWindow(bad)).toThrow(RangeError);
  });
});
