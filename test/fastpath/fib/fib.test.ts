// The shared FIB contract cases (test/dataplane/fib-cases.ts) on the Wasm DIR-24-8,
// the TypeScript DIR-24-8 and the binary trie, plus properties aimed at DIR-24-8's
// own edges: /25-/32 groups appearing and collapsing, covering-prefix restore,
// interned large path lists and tables past the old 32,768-group ceiling.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import fc from "fast-check";
import { registerFibCases } from "../../dataplane/fib-cases.ts";
import { FIB_MISS, type Fib } from "../../../src/dataplane/fib.ts";
import { BinaryTrieFib, TsDir24Fib, WasmFib } from "../../../src/fastpath/fib/index.ts";
import { ensureWasmBuilt } from "./wasm-build.ts";

ensureWasmBuilt();
// The shared property case inserts /0-/8 prefixes (16M tbl24 writes each) 300 times.
setDefaultTimeout(30_000);

// One instance per implementation, cleared per case: a Wasm FIB reserves 48 MB.
const shared = <T extends Fib>(make: () => T): (() => T) => {
  let fib: T | undefined;
  return () => {
    fib ??= make();
    fib.clear();
    return fib;
  };
};
const wasmFactory = shared(() => new WasmFib());
const wideFactory = shared(() => new WasmFib({ layout: "wide" }));
const tsFactory = shared(() => new TsDir24Fib());

registerFibCases("WasmFib (Wasm DIR-24-8)", wasmFactory);
registerFibCases("WasmFib wide (4-byte tbl24)", wideFactory);
registerFibCases("TsDir24Fib (TypeScript DIR-24-8)", tsFactory);
registerFibCases("BinaryTrieFib", () => new BinaryTrieFib());

const mask = (l: number): number => (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0);

/** Linear-scan reference. */
class Linear {
  readonly routes = new Map<string, [number, number, number]>();
  insert(p: number, l: number, v: number): void {
    const n = (p & mask(l)) >>> 0;
    this.routes.set(`${n}/${l}`, [n, l, v]);
  }
  remove(p: number, l: number): boolean {
    return this.routes.delete(`${(p & mask(l)) >>> 0}/${l}`);
  }
  lookup(a: number): number {
    let best = -1;
    let r = FIB_MISS;
    for (const [n, l, v] of this.routes.values()) if (l > best && ((a & mask(l)) >>> 0) === n) [best, r] = [l, v];
    return r;
  }
}

describe.each([
  ["WasmFib", wasmFactory],
  ["WasmFib wide", wideFactory],
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
        const ref = new Linear();
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
});
