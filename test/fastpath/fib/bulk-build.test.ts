// WasmFib.build (sort, then fill tbl24 range by range): it must give the table the
// same routes inserted one by one give, keep the last of repeated prefixes, replace
// whatever was there, refuse bad input without touching the table, take any
// number of /25-/32 groups, stay open to incremental inserts and removes, and hold
// the 500,000-prefix benchmark table within 64 MB.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import fc from "fast-check";
import { FIB_MISS } from "../../../src/dataplane/fib.ts";
import { randomTable, TsDir24Fib, WasmFib } from "../../../src/fastpath/fib/index.ts";
import { edgeAddresses, LinearFib } from "./linear-fib.ts";
import { ensureWasmBuilt } from "./wasm-build.ts";

ensureWasmBuilt();
setDefaultTimeout(60_000);

interface Route {
  base: number;
  noise: number;
  length: number;
  pathList: number;
}
// Prefixes from a few bases so routes repeat, nest and share tbl24 blocks and groups.
const routeArb: fc.Arbitrary<Route> = fc.record({
  base: fc.constantFrom(0, 0x0a000000, 0x0a0a0a00, 0x0a0a4000, 0xc0a80100, 0xffffff00),
  noise: fc.integer({ min: 0, max: 0x3ffff }),
  length: fc.oneof(fc.integer({ min: 0, max: 32 }), fc.integer({ min: 18, max: 28 })),
  pathList: fc.oneof(fc.nat(20), fc.constant(0x7fffffff)),
});
const prefixOf = (r: Route): number => (r.base ^ r.noise) >>> 0;
// Up to 120 routes, plus re-announcements of some of them with another path list
// spliced in anywhere (the later one must win).
const tableArb: fc.Arbitrary<Route[]> = fc
  .tuple(
    fc.array(routeArb, { maxLength: 120, size: "large" }),
    fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(20)), { maxLength: 30, size: "large" }),
  )
  .map(([routes, again]) => {
    const out = [...routes];
    if (routes.length > 0)
      for (const [which, at, pathList] of again)
        out.splice(at % (out.length + 1), 0, { ...routes[which % routes.length]!, pathList });
    return out;
  });

function arrays(routes: Route[]): { prefixes: Uint32Array; lengths: Uint8Array; pathLists: Int32Array } {
  return {
    prefixes: Uint32Array.from(routes, prefixOf),
    lengths: Uint8Array.from(routes, (r) => r.length),
    pathLists: Int32Array.from(routes, (r) => r.pathList),
  };
}

let bulkFib: WasmFib | undefined;
let insertFib: WasmFib | undefined;

describe("WasmFib.build", () => {
  test("property: a bulk build equals the same routes inserted one by one, and a linear scan", () => {
    fc.assert(
      fc.property(tableArb, fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 40 }), (routes, extra) => {
        const { prefixes, lengths, pathLists } = arrays(routes);
        bulkFib ??= new WasmFib();
        insertFib ??= new WasmFib();
        bulkFib.build(prefixes, lengths, pathLists);
        insertFib.clear();
        const ref = new LinearFib();
        for (const r of routes) {
          insertFib.insert(prefixOf(r), r.length, r.pathList);
          ref.insert(prefixOf(r), r.length, r.pathList);
        }
        expect(bulkFib.size).toBe(ref.routes.size);
        expect(bulkFib.groups).toBe(insertFib.groups);
        const addrs = edgeAddresses(
          routes.map((r) => [prefixOf(r), r.length]),
          extra,
        );
        const out = new Int32Array(addrs.length);
        bulkFib.lookupBatch(addrs, out, addrs.length);
        for (let i = 0; i < addrs.length; i++) {
          const want = ref.lookup(addrs[i]!);
          expect(out[i]).toBe(want);
          expect(bulkFib.lookup(addrs[i]!)).toBe(want);
          expect(insertFib.lookup(addrs[i]!)).toBe(want);
        }
      }),
      { numRuns: 150 },
    );
  });

  test("property: after a bulk build, random inserts and removes still agree with a linear scan", () => {
    const opArb = fc.record({ insert: fc.boolean(), route: routeArb });
    fc.assert(
      fc.property(tableArb, fc.array(opArb, { maxLength: 60, size: "large" }), (routes, ops) => {
        const { prefixes, lengths, pathLists } = arrays(routes);
        bulkFib ??= new WasmFib();
        bulkFib.build(prefixes, lengths, pathLists);
        const ref = new LinearFib();
        for (const r of routes) ref.insert(prefixOf(r), r.length, r.pathList);
        for (const { insert, route } of ops) {
          if (insert) {
            bulkFib.insert(prefixOf(route), route.length, route.pathList);
            ref.insert(prefixOf(route), route.length, route.pathList);
          } else {
            expect(bulkFib.remove(prefixOf(route), route.length)).toBe(ref.remove(prefixOf(route), route.length));
          }
        }
        // Remove some of the bulk-built routes too (they live in exact-size slots).
        for (let i = 0; i < routes.length; i += 3) {
          const r = routes[i]!;
          expect(bulkFib.remove(prefixOf(r), r.length)).toBe(ref.remove(prefixOf(r), r.length));
        }
        expect(bulkFib.size).toBe(ref.routes.size);
        const addrs = edgeAddresses([...routes, ...ops.map((o) => o.route)].map((r) => [prefixOf(r), r.length]));
        for (const a of addrs) expect(bulkFib.lookup(a)).toBe(ref.lookup(a));
      }),
      { numRuns: 150 },
    );
  });

  test("a repeated prefix/length keeps its last path list; host bits are ignored", () => {
    const fib = new WasmFib();
    fib.build(
      Uint32Array.of(0x0a000000, 0x0a0000ff, 0x0a000080, 0, 0x0a0000c1, 0x0a000000, 0x0a0000c0),
      Uint8Array.of(24, 24, 25, 0, 26, 0, 26),
      Int32Array.of(1, 2, 3, 8, 5, 9, 6),
    );
    expect(fib.size).toBe(4);
    expect(fib.lookup(0x0a000001)).toBe(2);
    expect(fib.lookup(0x0a000081)).toBe(3);
    expect(fib.lookup(0x0a0000c1)).toBe(6);
    expect(fib.lookup(0x0b000000)).toBe(9);
    // count takes the first routes only.
    fib.build(Uint32Array.of(0x0a000000, 0x0a000000), Uint8Array.of(8, 8), Int32Array.of(5, 6), 1);
    expect(fib.size).toBe(1);
    expect(fib.lookup(0x0a000081)).toBe(5);
  });

  test("replaces the table: earlier routes, inserted or built, are gone", () => {
    const fib = new WasmFib();
    fib.insert(0xc0a80000, 16, 1);
    fib.insert(0xc0a80101, 32, 2);
    fib.build(Uint32Array.of(0x0a000000), Uint8Array.of(8), Int32Array.of(3));
    expect(fib.size).toBe(1);
    expect(fib.groups).toBe(0);
    expect(fib.lookup(0xc0a80101)).toBe(FIB_MISS);
    expect(fib.lookup(0x0a010203)).toBe(3);
    expect(fib.remove(0xc0a80000, 16)).toBe(false);
    fib.build(Uint32Array.of(0xc0a80101), Uint8Array.of(32), Int32Array.of(4));
    expect(fib.lookup(0x0a010203)).toBe(FIB_MISS);
    expect(fib.lookup(0xc0a80101)).toBe(4);
    expect(fib.groups).toBe(1);
  });

  test("bad input throws RangeError and leaves the table as it was", () => {
    const fib = new WasmFib();
    fib.build(Uint32Array.of(0x0a000000, 0x0a000001), Uint8Array.of(8, 32), Int32Array.of(1, 2));
    const bad: [Uint32Array, Uint8Array, Int32Array | Uint32Array, number?][] = [
      [Uint32Array.of(0x0b000000), Uint8Array.of(33), Int32Array.of(1)],
      [Uint32Array.of(0x0b000000), Uint8Array.of(8), Int32Array.of(-1)],
      [Uint32Array.of(0x0b000000), Uint8Array.of(8), Uint32Array.of(0x80000000)],
      [Uint32Array.of(0x0b000000), Uint8Array.of(8), Int32Array.of(1), 2],
      [Uint32Array.of(0x0b000000, 0x0c000000), Uint8Array.of(8), Int32Array.of(1, 1)],
    ];
    for (const [p, l, v, n] of bad) {
      expect(() => fib.build(p, l, v, n)).toThrow(RangeError);
      expect(fib.size).toBe(2);
      expect(fib.lookup(0x0a000001)).toBe(2);
      expect(fib.lookup(0x0a000002)).toBe(1);
      expect(fib.lookup(0x0b000000)).toBe(FIB_MISS);
    }
  });

  test("50,000 /32 routes in distinct /24s build as 50,000 groups, which removes collapse", () => {
    const n = 50_000;
    const prefixes = new Uint32Array(n + 1);
    const lengths = new Uint8Array(n + 1).fill(32);
    const pathLists = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) [prefixes[i], pathLists[i]] = [(0x0a000001 + i * 256) >>> 0, i];
    [prefixes[n], lengths[n], pathLists[n]] = [0x0a000000, 8, 7];
    const fib = new WasmFib();
    fib.build(prefixes, lengths, pathLists);
    expect(fib.groups).toBe(n);
    expect(fib.size).toBe(n + 1);
    for (let i = 0; i < n; i += 991) {
      expect(fib.lookup((0x0a000001 + i * 256) >>> 0)).toBe(i);
      expect(fib.lookup((0x0a000002 + i * 256) >>> 0)).toBe(7);
    }
    for (let i = 0; i < n; i++) expect(fib.remove((0x0a000001 + i * 256) >>> 0, 32)).toBe(true);
    expect(fib.groups).toBe(0);
    expect(fib.size).toBe(1);
    expect(fib.lookup(0x0a000001)).toBe(7);
  });

  test("the 500,000-prefix benchmark table: bulk build agrees with the TypeScript DIR-24-8 and fits in 64 MB", () => {
    const table = randomTable(500_000, 3);
    const fib = new WasmFib({ expectedPrefixes: 500_000 });
    fib.build(table.prefix, table.length, table.pathList);
    expect(fib.memoryBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
    const ts = new TsDir24Fib();
    for (let i = 0; i < table.prefix.length; i++) ts.insert(table.prefix[i]!, table.length[i]!, table.pathList[i]!);
    expect(fib.size).toBe(ts.size);
    // Random addresses, and the edges of every /25-/32 route (groups) and of every 500th route.
    let s = 99;
    const random = Array.from({ length: 200_000 }, () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s;
    });
    const edges: [number, number][] = [];
    for (let i = 0; i < table.prefix.length; i++)
      if (table.length[i]! > 24 || i % 500 === 0) edges.push([table.prefix[i]!, table.length[i]!]);
    const addrs = edgeAddresses(edges, random);
    const want = new Int32Array(addrs.length);
    const got = new Int32Array(addrs.length);
    ts.lookupBatch(addrs, want, addrs.length);
    fib.lookupBatch(addrs, got, addrs.length);
    let mismatches = 0;
    for (let i = 0; i < addrs.length; i++) if (want[i] !== got[i]) mismatches++;
    expect(mismatches).toBe(0);
    // Built one route at a time it fits too.
    const inserted = new WasmFib({ expectedPrefixes: 500_000 });
    for (let i = 0; i < table.prefix.length; i++)
      inserted.insert(table.prefix[i]!, table.length[i]!, table.pathList[i]!);
    expect(inserted.memoryBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
    inserted.lookupBatch(addrs, got, addrs.length);
    for (let i = 0; i < addrs.length; i++) if (want[i] !== got[i]) mismatches++;
    expect(mismatches).toBe(0);
  });

  test("rebuilding the same table again and again does not grow memory", () => {
    const table = randomTable(20_000, 5);
    const fib = new WasmFib();
    fib.build(table.prefix, table.length, table.pathList);
    const first = fib.memoryBytes;
    for (let i = 0; i < 5; i++) fib.build(table.prefix, table.length, table.pathList);
    expect(fib.memoryBytes).toBe(first);
    expect(fib.size).toBe(new Set(Array.from(table.prefix, (p, i) => `${p}/${table.length[i]}`)).size);
  });
});
