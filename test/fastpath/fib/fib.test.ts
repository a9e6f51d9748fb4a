// The shared FIB contract cases (test/dataplane/fib-cases.ts) on the Wasm DIR-24-8
// (emptied by clear, and emptied by an empty bulk build), the TypeScript DIR-24-8
// and the binary trie, plus properties aimed at DIR-24-8's own edges: /25-/32
// groups appearing and collapsing, covering-prefix restore, large path lists, runs
// of one compressed tbl24 block splitting and merging, slots reused after removes
// and tables past the old 32,768-group ceiling.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import fc from "fast-check";
import type { Fib } from "../../../src/dataplane/fib.ts";
import { BinaryTrieFib, TsDir24Fib, WasmFib } from "../../../src/fastpath/fib/index.ts";
import { registerFibCases } from "../../dataplane/fib-cases.ts";
import { LinearFib } from "./linear-fib.ts";
import { ensureWasmBuilt } from "./wasm-build.ts";

ensureWasmBuilt();
// The shared property case inserts /0-/8 prefixes (16M tbl24 entries each) 300 times.
setDefaultTimeout(120_000);

// One instance per implementation, emptied per case (TsDir24Fib holds 90 MB).
const shared = <T extends Fib>(make: () => T, empty: (fib: T) => void = (fib) => fib.clear()): (() => T) => {
  let fib: T | undefined;
  return () => {
    fib ??= make();
    empty(fib);
    return fib;
  };
};
const wasmFactory = shared(() => new WasmFib());
const wasmBuiltFactory = shared(
  () => new WasmFib(),
  (fib) => fib.build(new Uint32Array(0), new Uint8Array(0), new Int32Array(0)),
);
const tsFactory = shared(() => new TsDir24Fib());

registerFibCases("WasmFib (Wasm DIR-24-8)", wasmFactory);
registerFibCases("WasmFib emptied by an empty bulk build", wasmBuiltFactory);
registerFibCases("TsDir24Fib (TypeScript DIR-24-8)", tsFactory);
registerFibCases("BinaryTrieFib", () => new BinaryTrieFib());

describe.each([
  ["WasmFib", wasmFactory],
  ["WasmFib after build", wasmBuiltFactory],
  ["TsDir24Fib", tsFactory],
])("%s DIR-24-8 edges", (_name, factory) => {
  test("property: nested prefixes around one /24 and large path lists agree with a linear scan", () => {
    const op = fc.record({
      insert: fc.boolean(),
      host: fc.integer({ min: 0, max: 0x3ff }),
      length: fc.constantFrom(16, 20, 22, 23, 24, 25, 26, 28, 30, 31, 32),
      pathList: fc.oneof(fc.nat(4), fc.constantFrom(245757, 245758, 245759, 0x7ffffffe, 0x7fffffff)),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const fib = factory();
        const ref = new LinearFib();
        for (const o of ops) {
          const p = (0x0a0a0000 | o.host) >>> 0;
          if (o.insert) {
            fib.insert(p, o.length, o.pathList);
            ref.insert(p, o.length, o.pathList);
          } else expect(fib.remove(p, o.length)).toBe(ref.remove(p, o.length));
        }
        expect(fib.size).toBe(ref.routes.size);
        const addrs = new Uint32Array(0x500);
        for (let i = 0; i < addrs.length; i++) addrs[i] = (0x0a09ff80 + i) >>> 0;
        const out = new Int32Array(addrs.length);
        fib.lookupBatch(addrs, out, addrs.length);
        for (let i = 0; i < addrs.length; i++) expect(out[i]).toBe(ref.lookup(addrs[i]!));
      }),
      { numRuns: 80 },
    );
  });

  test("property: /17-/26 routes inside one /16 (runs of tbl24 blocks split, merge, move) agree with a linear scan", () => {
    // 10.20.0.0/16 spans four 64-entry tbl24 blocks; prefixes land on, across and inside them.
    const op = fc.record({
      insert: fc.boolean(),
      host: fc.integer({ min: 0, max: 0xffff }),
      length: fc.integer({ min: 17, max: 26 }),
      pathList: fc.nat(6),
    });
    const addrs = new Uint32Array(512);
    for (let i = 0; i < 256; i++) {
      addrs[2 * i] = (0x0a140000 + i * 256) >>> 0;
      addrs[2 * i + 1] = (0x0a140000 + i * 256 + 0xc7) >>> 0;
    }
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const fib = factory();
        const ref = new LinearFib();
        for (const o of ops) {
          const p = (0x0a140000 | o.host) >>> 0;
          if (o.insert) {
            fib.insert(p, o.length, o.pathList);
            ref.insert(p, o.length, o.pathList);
          } else expect(fib.remove(p, o.length)).toBe(ref.remove(p, o.length));
        }
        expect(fib.size).toBe(ref.routes.size);
        const out = new Int32Array(addrs.length);
        fib.lookupBatch(addrs, out, addrs.length);
        for (let i = 0; i < addrs.length; i++) expect(out[i]).toBe(ref.lookup(addrs[i]!));
      }),
      { numRuns: 100 },
    );
  });
});

describe("WasmFib growth", () => {
  test("50,000 /32 routes in distinct /24s (past a 32,768-group pool), then removed", () => {
    const fib = new WasmFib({ expectedPrefixes: 16 });
    fib.insert(0x0a000000, 8, 7);
    for (let i = 0; i < 50_000; i++) fib.insert((0x0a000001 + i * 256) >>> 0, 32, i);
    expect(fib.groups).toBe(50_000);
    expect(fib.size).toBe(50_001);
    for (let i = 0; i < 50_000; i += 997) {
      expect(fib.lookup((0x0a000001 + i * 256) >>> 0)).toBe(i);
      expect(fib.lookup((0x0a000002 + i * 256) >>> 0)).toBe(7);
    }
    const addrs = new Uint32Array(10_000);
    const out = new Int32Array(10_000);
    for (let i = 0; i < addrs.length; i++) addrs[i] = (0x0a000001 + i * 256) >>> 0;
    fib.lookupBatch(addrs, out, addrs.length);
    for (let i = 0; i < addrs.length; i++) expect(out[i]).toBe(i);
    for (let i = 0; i < 50_000; i++) expect(fib.remove((0x0a000001 + i * 256) >>> 0, 32)).toBe(true);
    expect(fib.groups).toBe(0);
    expect(fib.lookup(0x0a000001)).toBe(7);
    expect(fib.size).toBe(1);
  });

  test("removed routes give their memory back: the same churn six times needs no more heap than twice", () => {
    const fib = new WasmFib();
    // 20,000 /19-/26 routes over 5,000 tbl24 blocks of 10.0.0.0/8, under the /8 itself.
    const routes: [number, number, number][] = [[0x0a000000, 8, 1]];
    for (let i = 0; i < 20_000; i++) {
      const block = 0x0a000000 + ((i * 7919) % 5000) * 0x4000;
      routes.push([(block + ((i * 9473) & 0x3fff)) >>> 0, 19 + (i % 8), i % 50]);
    }
    const churn = () => {
      for (const [p, l, v] of routes) fib.insert(p, l, v);
      for (let i = routes.length - 1; i >= 0; i--) if (i % 2 === 1) fib.remove(routes[i]![0], routes[i]![1]);
      for (let i = 0; i < routes.length; i += 2) fib.remove(routes[i]![0], routes[i]![1]);
      expect(fib.size).toBe(0);
      expect(fib.groups).toBe(0);
    };
    churn();
    churn();
    const twice = fib.usedBytes;
    for (let r = 0; r < 4; r++) churn();
    // Allowance: a fresh 64 KB chunk for run values and one for depth slots.
    expect(fib.usedBytes).toBeLessThanOrEqual(twice + 128 * 1024);
    expect(fib.lookup(0x0a000001)).toBe(-1);
  });
});
