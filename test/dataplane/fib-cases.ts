// Shared FIB case suite: every Fib implementation (TypeScript reference, Wasm
// DIR-24-8) registers these same cases with its own factory.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { FIB_MISS, type Fib } from "../../src/dataplane/fib.ts";

const ip = (s: string): number => s.split(".").reduce((a, o) => a * 256 + Number(o), 0) >>> 0;

/** Linear-scan reference: the longest matching prefix wins. */
class LinearFib {
  readonly routes = new Map<string, { prefix: number; length: number; pathList: number }>();
  private static mask(l: number): number {
    return l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0;
  }
  insert(prefix: number, length: number, pathList: number): void {
    const p = (prefix & LinearFib.mask(length)) >>> 0;
    this.routes.set(`${p}/${length}`, { prefix: p, length, pathList });
  }
  remove(prefix: number, length: number): boolean {
    return this.routes.delete(`${(prefix & LinearFib.mask(length)) >>> 0}/${length}`);
  }
  lookup(address: number): number {
    let best = -1;
    let result = FIB_MISS;
    for (const r of this.routes.values()) {
      if ((address & LinearFib.mask(r.length)) >>> 0 === r.prefix && r.length > best) {
        best = r.length;
        result = r.pathList;
      }
    }
    return result;
  }
}

/** Registers the FIB contract cases against tables built by factory. */
export function registerFibCases(name: string, factory: () => Fib): void {
  describe(`Fib contract: ${name}`, () => {
    test("empty table misses", () => {
      const fib = factory();
      expect(fib.size).toBe(0);
      expect(fib.lookup(ip("10.0.0.1"))).toBe(FIB_MISS);
    });

    test("longest prefix wins, default route catches the rest", () => {
      const fib = factory();
      fib.insert(0, 0, 1);
      fib.insert(ip("10.0.0.0"), 8, 2);
      fib.insert(ip("10.1.0.0"), 16, 3);
      fib.insert(ip("10.1.1.0"), 24, 4);
      fib.insert(ip("10.1.1.1"), 32, 5);
      expect(fib.lookup(ip("10.1.1.1"))).toBe(5);
      expect(fib.lookup(ip("10.1.1.2"))).toBe(4);
      expect(fib.lookup(ip("10.1.2.2"))).toBe(3);
      expect(fib.lookup(ip("10.2.2.2"))).toBe(2);
      expect(fib.lookup(ip("192.168.1.1"))).toBe(1);
      expect(fib.lookup(0xffffffff)).toBe(1);
      expect(fib.size).toBe(5);
    });

    test("host bits of the prefix are ignored", () => {
      const fib = factory();
      fib.insert(ip("172.16.5.77"), 24, 7);
      expect(fib.lookup(ip("172.16.5.1"))).toBe(7);
      expect(fib.remove(ip("172.16.5.0"), 24)).toBe(true);
      expect(fib.size).toBe(0);
    });

    test("insert replaces the path list of an existing prefix", () => {
      const fib = factory();
      fib.insert(ip("10.0.0.0"), 8, 1);
      fib.insert(ip("10.0.0.0"), 8, 9);
      expect(fib.size).toBe(1);
      expect(fib.lookup(ip("10.9.9.9"))).toBe(9);
    });

    test("remove takes exactly prefix/length and reports absence", () => {
      const fib = factory();
      fib.insert(ip("10.0.0.0"), 8, 1);
      fib.insert(ip("10.0.0.0"), 16, 2);
      expect(fib.remove(ip("10.0.0.0"), 24)).toBe(false);
      expect(fib.remove(ip("10.0.0.0"), 16)).toBe(true);
      expect(fib.remove(ip("10.0.0.0"), 16)).toBe(false);
      expect(fib.lookup(ip("10.0.0.1"))).toBe(1);
      expect(fib.size).toBe(1);
    });

    test("/0 and /32 edges, high addresses stay unsigned", () => {
      const fib = factory();
      fib.insert(ip("255.255.255.255"), 32, 3);
      fib.insert(ip("128.0.0.0"), 1, 2);
      expect(fib.lookup(ip("255.255.255.255"))).toBe(3);
      expect(fib.lookup(ip("255.255.255.254"))).toBe(2);
      expect(fib.lookup(ip("127.255.255.255"))).toBe(FIB_MISS);
      fib.insert(0, 0, 0);
      expect(fib.lookup(ip("127.255.255.255"))).toBe(0);
      expect(fib.remove(0, 0)).toBe(true);
      expect(fib.lookup(1)).toBe(FIB_MISS);
    });

    test("large path list index", () => {
      const fib = factory();
      fib.insert(ip("1.2.3.0"), 24, 0x7fffffff);
      expect(fib.lookup(ip("1.2.3.4"))).toBe(0x7fffffff);
    });

    test("clear empties the table", () => {
      const fib = factory();
      fib.insert(ip("10.0.0.0"), 8, 1);
      fib.insert(0, 0, 2);
      fib.clear();
      expect(fib.size).toBe(0);
      expect(fib.lookup(ip("10.0.0.1"))).toBe(FIB_MISS);
    });

    test("lookupBatch agrees with lookup and honours count", () => {
      const fib = factory();
      fib.insert(ip("10.0.0.0"), 8, 1);
      fib.insert(ip("10.1.0.0"), 16, 2);
      const addrs = Uint32Array.from([ip("10.1.0.1"), ip("10.2.0.1"), ip("11.0.0.1"), ip("10.1.0.1")]);
      const out = new Int32Array(4).fill(42);
      fib.lookupBatch(addrs, out, 3);
      expect(Array.from(out)).toEqual([2, 1, FIB_MISS, 42]);
    });

    test("property: agrees with a linear scan under random inserts and removes", () => {
      // Prefixes drawn from a small pool so inserts collide and removes hit.
      const prefixArb = fc.record({
        base: fc.constantFrom(0x0a000000, 0x0a010000, 0x0a010100, 0xc0a80000, 0x80000000, 0),
        noise: fc.integer({ min: 0, max: 0xffff }),
        length: fc.integer({ min: 0, max: 32 }),
      });
      const opArb = fc.oneof(
        fc.record({ kind: fc.constant("insert" as const), p: prefixArb, pathList: fc.nat(1000) }),
        fc.record({ kind: fc.constant("remove" as const), p: prefixArb, pathList: fc.constant(0) }),
      );
      const addrArb = fc.oneof(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0x0a000000, max: 0x0a01ffff }),
        fc.integer({ min: 0xc0a80000, max: 0xc0a800ff }),
      );
      fc.assert(
        fc.property(
          fc.array(opArb, { maxLength: 60 }),
          fc.array(addrArb, { minLength: 1, maxLength: 30 }),
          (ops, addrs) => {
            const fib = factory();
            const ref = new LinearFib();
            for (const op of ops) {
              const prefix = (op.p.base | (op.p.noise << 4)) >>> 0;
              if (op.kind === "insert") {
                fib.insert(prefix, op.p.length, op.pathList);
                ref.insert(prefix, op.p.length, op.pathList);
              } else {
                expect(fib.remove(prefix, op.p.length)).toBe(ref.remove(prefix, op.p.length));
              }
            }
            expect(fib.size).toBe(ref.routes.size);
            const batch = Uint32Array.from(addrs);
            const out = new Int32Array(batch.length);
            fib.lookupBatch(batch, out, batch.length);
            for (let i = 0; i < addrs.length; i++) {
              expect(fib.lookup(addrs[i]!)).toBe(ref.lookup(addrs[i]!));
              expect(out[i]).toBe(ref.lookup(addrs[i]!));
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  });
}
