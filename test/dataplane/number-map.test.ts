// NumberMap against a JavaScript Map: the same operations give the same results,
// sizes and insertion order, including deletions during an iteration.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { NumberMap } from "../../src/dataplane/number-map.ts";

type Op = { op: "set"; key: number; value: number } | { op: "delete"; key: number } | { op: "clear" };

// Keys as the RIB makes them (prefix * 64 + length), drawn from a small pool so sets and deletes collide.
const key = fc.integer({ min: 0, max: 40 }).map((i) => (0xac100000 + i * 256) * 64 + (i % 33));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("set" as const), key, value: fc.integer() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("delete" as const), key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("clear" as const) }) },
);

describe("NumberMap", () => {
  test("behaves as a Map for random operations", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const ref = new Map<number, number>();
        const m = new NumberMap<number>();
        for (const o of ops) {
          if (o.op === "set") {
            ref.set(o.key, o.value);
            m.set(o.key, o.value);
          } else if (o.op === "delete") expect(m.delete(o.key)).toBe(ref.delete(o.key));
          else {
            ref.clear();
            m.clear();
          }
          expect(m.size).toBe(ref.size);
        }
        expect([...m]).toEqual([...ref]);
        expect([...m.values()]).toEqual([...ref.values()]);
        expect([...m.keysInOrder()]).toEqual([...ref.keys()]);
        for (const k of ref.keys()) expect(m.get(k)).toBe(ref.get(k));
        expect(m.get(-5)).toBeUndefined();
        expect(m.has(-5)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  test("a key set again keeps its place; deleted and added again goes last; deleting while iterating", () => {
    const m = new NumberMap<string>();
    for (let i = 0; i < 100; i++) m.set(i * 64 + 24, `v${i}`);
    m.set(5 * 64 + 24, "again");
    m.delete(7 * 64 + 24);
    m.set(7 * 64 + 24, "last");
    const keys = [...m.keysInOrder()];
    expect(keys[5]).toBe(5 * 64 + 24);
    expect(m.get(5 * 64 + 24)).toBe("again");
    expect(keys.at(-1)).toBe(7 * 64 + 24);
    for (const [k] of m) if (k % 128 === 24) m.delete(k);
    expect(m.size).toBe(50);
    expect([...m.values()].every((v, i) => v !== undefined && i >= 0)).toBe(true);
  });

  test("keys past 2^32 that share their low half are told apart", () => {
    const m = new NumberMap<number>();
    m.set(1, 1);
    m.set(1 + 2 ** 32, 2);
    m.set(1 + 2 ** 33, 3);
    expect([m.get(1), m.get(1 + 2 ** 32), m.get(1 + 2 ** 33)]).toEqual([1, 2, 3]);
  });
});
