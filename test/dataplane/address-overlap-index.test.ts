// The overlap index answers what scanning every address would: two addresses
// overlap when their networks agree at the shorter length.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { AddressOverlapIndex } from "../../src/dataplane/pipeline/address-overlap-index.ts";

const mask = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);
const overlaps = (a: { address: number; length: number }, address: number, length: number): boolean =>
  ((a.address ^ address) & mask(Math.min(a.length, length))) >>> 0 === 0;

describe("AddressOverlapIndex", () => {
  test.each([0, undefined])("a subnet, its supernet and its neighbour (index from %p)", (indexFrom) => {
    const index = new AddressOverlapIndex<string>(indexFrom);
    index.add("Gi0/0", 0x0a010101, 24); // 10.1.1.1/24
    index.add("Lo0", 0x01010101, 32);
    expect(index.overlapping(0x0a010180, 25)).toEqual(["Gi0/0"]); // 10.1.1.128/25 inside
    expect(index.overlapping(0x0a000001, 8)).toEqual(["Gi0/0"]); // 10.0.0.1/8 contains it
    expect(index.overlapping(0x0a010201, 24)).toEqual([]); // 10.1.2.1/24 beside it
    expect(index.overlapping(0x0a010102, 24, "Gi0/0")).toEqual([]); // its own interface is not a clash
    expect(index.overlapping(0x01010101, 32)).toEqual(["Lo0"]);
    index.remove("Gi0/0", 0x0a010101, 24);
    expect(index.overlapping(0x0a000001, 8)).toEqual([]);
  });

  // indexFrom 0: always indexed; 8: scans, then indexes once past 8 addresses; default: scans these sizes.
  test.each([0, 8, undefined])(
    "property: the same owners as a scan over every address, through adds and removes (index from %p)",
    (indexFrom) => {
      const entry = fc.record({
        owner: fc.integer({ min: 0, max: 5 }),
        address: fc.integer({ min: 0, max: 0xffffffff }).map((a) => (a & 0xff00ffff) >>> 0),
        length: fc.integer({ min: 0, max: 32 }),
      });
      fc.assert(
        fc.property(
          fc.array(entry, { maxLength: 20 }),
          fc.array(fc.nat(), { maxLength: 8 }),
          entry,
          (adds, removals, probe) => {
            const index = new AddressOverlapIndex<number>(indexFrom);
            const live = [...adds];
            for (const a of adds) index.add(a.owner, a.address, a.length);
            for (const r of removals) {
              if (live.length === 0) break;
              const [gone] = live.splice(r % live.length, 1);
              index.remove(gone!.owner, gone!.address, gone!.length);
            }
            const expected = new Set(
              live
                .filter((a) => a.owner !== probe.owner && overlaps(a, probe.address, probe.length))
                .map((a) => a.owner),
            );
            expect(new Set(index.overlapping(probe.address, probe.length, probe.owner))).toEqual(expected);
          },
        ),
      );
    },
  );
});
