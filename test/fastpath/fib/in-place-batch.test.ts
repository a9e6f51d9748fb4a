// The zero-copy batch calls (inputView, lookupInPlace, outputView) on every FIB:
// results equal lookup(), the count is checked, and the Wasm views follow memory
// growth when asked for again.
import { describe, expect, test } from "bun:test";
import { FIB_MISS } from "../../../src/dataplane/fib.ts";
import type { InPlaceBatch } from "../../../src/fastpath/fib/in-place-batch.ts";
import { BinaryTrieFib, TsDir24Fib, WasmFib } from "../../../src/fastpath/fib/index.ts";
import { ensureWasmBuilt } from "./wasm-build.ts";

ensureWasmBuilt();

describe.each([
  ["WasmFib", () => new WasmFib()],
  ["TsDir24Fib", () => new TsDir24Fib()],
  ["BinaryTrieFib", () => new BinaryTrieFib()],
] as const)("%s in-place batch", (_name, make) => {
  test("lookupInPlace fills outputView with what lookup answers, for count entries only", () => {
    const fib = make();
    fib.insert(0x0a000000, 8, 1);
    fib.insert(0x0a010000, 16, 2);
    fib.insert(0x0a010105, 32, 3);
    const input = fib.inputView();
    const output = fib.outputView();
    const addrs = [0x0a010105, 0x0a010106, 0x0a020000, 0x0b000000, 0xffffffff];
    addrs.forEach((a, i) => (input[i] = a));
    output[5] = 42;
    fib.lookupInPlace(5);
    expect(Array.from(output.subarray(0, 6))).toEqual([3, 2, 1, FIB_MISS, FIB_MISS, 42]);
    fib.lookupInPlace(0);
    expect(output[0]).toBe(3);
  });

  test("count above batchMax or fractional throws RangeError", () => {
    const fib: InPlaceBatch = make();
    expect(() => fib.lookupInPlace(fib.batchMax + 1)).toThrow(RangeError);
    expect(() => fib.lookupInPlace(1.5)).toThrow(RangeError);
    expect(() => fib.lookupInPlace(-1)).toThrow(RangeError);
  });

  test("a full batchMax batch of random addresses matches lookup", () => {
    const fib = make();
    let s = 7;
    const next = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s;
    };
    for (let i = 0; i < 3000; i++) fib.insert(next(), 8 + (next() % 25), next() & 0xff);
    const input = fib.inputView();
    for (let i = 0; i < fib.batchMax; i++) input[i] = next();
    fib.lookupInPlace(fib.batchMax);
    const output = fib.outputView();
    for (let i = 0; i < fib.batchMax; i++) expect(output[i]).toBe(fib.lookup(input[i]!));
  });
});

test("WasmFib views asked for again after the table grows see the new memory", () => {
  const fib = new WasmFib({ expectedPrefixes: 64 });
  const before = fib.memoryBytes;
  for (let i = 0; i < 20_000; i++) fib.insert((0x0a000080 + i * 256) >>> 0, 25, i);
  expect(fib.memoryBytes).toBeGreaterThan(before);
  const input = fib.inputView();
  input[0] = (0x0a000080 + 19_999 * 256) >>> 0;
  input[1] = 0x0a000000;
  fib.lookupInPlace(2);
  expect(Array.from(fib.outputView().subarray(0, 2))).toEqual([19_999, FIB_MISS]);
});
