// The key server's pseudotime: 0 at the group's first registration, then the
// key server's clock in milliseconds; a cooperative server adopting the
// primary's reads the same from then on; only time-based replay carries it.

import { expect, test } from "bun:test";
import { adoptKsPseudotimeMs, ksPseudotimeMs, withKsPseudotime } from "../../../src/protocols/gdoi/tbar-pseudotime.ts";

const S = 1_000_000_000;

test("pseudotime starts at the first registration; a COOP peer adopts it", () => {
  const primary = {};
  const secondary = {};
  expect(ksPseudotimeMs(primary, 100 * S)).toBe(0);
  expect(ksPseudotimeMs(primary, 112.5 * S)).toBe(12_500);
  expect(ksPseudotimeMs(secondary, 112.5 * S)).toBe(0);
  adoptKsPseudotimeMs(secondary, ksPseudotimeMs(primary, 120 * S), 120 * S);
  expect(ksPseudotimeMs(secondary, 130 * S)).toBe(ksPseudotimeMs(primary, 130 * S));
  expect(withKsPseudotime(primary, { kind: "time", window: 5 }, 130 * S)).toEqual({
    kind: "time",
    window: 5,
    pseudotimeMs: 30_000,
  });
  expect(withKsPseudotime(primary, { kind: "counter", window: 64 }, 130 * S)).toEqual({ kind: "counter", window: 64 });
  expect(withKsPseudotime(primary, null, 130 * S)).toBeNull();
});
