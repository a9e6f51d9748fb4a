// A hub's pre-shared keys (seed 001: "if there are 1000 spokes, hub has to
// store 1K keys") are found by longest match by key, with the same answer as
// comparing every key: the longest mask wins, the first configured on a tie.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { CryptoConfig, type IsakmpKey } from "../../../src/protocols/ipsec/crypto-config.ts";

/** The rule keyFor follows, by scanning every key. */
function scan(keys: readonly IsakmpKey[], peer: number): IsakmpKey | undefined {
  let best: IsakmpKey | undefined;
  for (const k of keys) {
    if (((peer ^ k.address) & k.mask) !== 0) continue;
    if (best === undefined || k.mask >>> 0 > best.mask >>> 0) best = k;
  }
  return best;
}

const lengthMask = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);

describe("crypto isakmp key lookup", () => {
  test("1000 host keys and a wildcard: each peer gets its own key, reading no other key", () => {
    const crypto = new CryptoConfig();
    crypto.setIsakmpKey({ key: "wild", address: 0, mask: 0 });
    for (let i = 1; i <= 1000; i++)
      crypto.setIsakmpKey({ key: `spoke${i}`, address: 0xc0a80000 + i, mask: 0xffffffff });
    let reads = 0;
    for (const k of crypto.isakmpKeys) {
      const { mask, address } = k;
      Object.defineProperty(k, "mask", {
        get: () => {
          reads++;
          return mask;
        },
      });
      Object.defineProperty(k, "address", {
        get: () => {
          reads++;
          return address;
        },
      });
    }
    expect(crypto.keyFor(0xc0a80000 + 777)?.key).toBe("spoke777");
    expect(crypto.keyFor(0x0a000001)?.key).toBe("wild");
    expect(reads).toBe(0);
    expect(crypto.removeIsakmpKey(0xc0a80000 + 777, 0xffffffff)).toBe(true);
    expect(crypto.keyFor(0xc0a80000 + 777)?.key).toBe("wild");
  });

  test("property: the same key as a scan, through sets, replacements and removals, odd masks included", () => {
    const key = fc.record({
      key: fc.string({ minLength: 1, maxLength: 3 }),
      address: fc.integer({ min: 0, max: 0xffffffff }).map((a) => (a & 0xff0000ff) >>> 0),
      mask: fc.oneof(
        fc.integer({ min: 0, max: 32 }).map(lengthMask),
        fc.constant(0xff00ff00), // not contiguous
      ),
    });
    fc.assert(
      fc.property(
        fc.array(key, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (keys, removals, peer) => {
          const crypto = new CryptoConfig();
          for (const k of keys) crypto.setIsakmpKey(k);
          for (const r of removals) {
            if (crypto.isakmpKeys.length === 0) break;
            const k = crypto.isakmpKeys[r % crypto.isakmpKeys.length]!;
            crypto.removeIsakmpKey(k.address, k.mask);
          }
          for (const p of [peer >>> 0, ...crypto.isakmpKeys.map((k) => k.address)])
            expect(crypto.keyFor(p)).toBe(scan(crypto.isakmpKeys, p));
        },
      ),
    );
  });
});
