// MODP groups and Diffie-Hellman for IKEv1: the primes against their RFC closed
// form (pi computed here from Machin's formula) and their safe-prime
// properties; key agreement across seeds for every group and both backends;
// refusal of degenerate and mis-sized peer values; the node:crypto engine
// against a square-and-multiply reference written here.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  DH_ENGINE_AFTER_OPS,
  type DhBackend,
  dhGroupStatus,
  dhKeyPair,
  dhKeyPairWith,
  dhPublicKeyValid,
  dhSharedSecret,
  dhSharedSecretWith,
  randomBytesFrom,
  warmDhEngine,
} from "../../../src/protocols/ike/dh.ts";
import {
  DH_EXPONENT_BITS,
  DH_GENERATOR,
  DH_GROUP_BITS,
  DH_GROUPS,
  DH_PRIME_PI_OFFSET,
  type DhGroup,
  dhPrime,
  dhPrimeBigInt,
  dhPrimeBytes,
  isDhGroup,
} from "../../../src/protocols/ike/dh-groups.ts";
import { bigIntToBytes, bytesToBigInt, leftPad, modPow } from "../../../src/protocols/ike/modpow.ts";
import { SeededRandom } from "../../../src/runtime/random.ts";

const SLOW = 60_000;

/** Plain right-to-left square-and-multiply: a second opinion on modPow. */
function slowPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

/** floor(pi * 2^bits) by Machin's formula pi = 16 atan(1/5) - 4 atan(1/239), with 64 guard bits. */
function piTimesPow2(bits: number): bigint {
  const guard = 64n;
  const scale = 1n << (BigInt(bits) + guard);
  const atanInv = (x: bigint): bigint => {
    let term = scale / x;
    const x2 = x * x;
    let sum = 0n;
    for (let k = 0n; term > 0n; k++) {
      const t = term / (2n * k + 1n);
      sum += k % 2n === 0n ? t : -t;
      term /= x2;
    }
    return sum;
  };
  const pi = 16n * atanInv(5n) - 4n * atanInv(239n);
  const low = pi & ((1n << guard) - 1n);
  // Truncation error is a few thousand units of the last place: far from a carry.
  expect(low > 1_000_000n && low < (1n << guard) - 1_000_000n).toBe(true);
  return pi >> guard;
}

/** Miller-Rabin with the given bases. */
function probablyPrime(n: bigint, bases: bigint[]): boolean {
  if (n < 2n) return false;
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  for (const a of bases) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let r = 1; r < s; r++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

const seeded = (seed: number) => randomBytesFrom(new SeededRandom(seed));

describe("modpow helpers", () => {
  test("modPow agrees with square-and-multiply and known answers", () => {
    expect(modPow(4n, 13n, 497n)).toBe(445n); // textbook example (Schneier, Applied Cryptography)
    expect(modPow(2n, 0n, 7n)).toBe(1n);
    expect(modPow(0n, 5n, 7n)).toBe(0n);
    expect(modPow(5n, 3n, 1n)).toBe(0n);
    const p = dhPrimeBigInt(1);
    const rng = new SeededRandom(7);
    for (let i = 0; i < 20; i++) {
      const b = bytesToBigInt(rng.fill(new Uint8Array(96))) % p;
      const e = bytesToBigInt(rng.fill(new Uint8Array(1 + (i % 40))));
      expect(modPow(b, e, p)).toBe(slowPow(b, e, p));
    }
  });

  test("byte conversions round-trip and refuse what does not fit", () => {
    expect(bytesToBigInt(new Uint8Array([1, 0]))).toBe(256n);
    expect(bytesToBigInt(new Uint8Array(0))).toBe(0n);
    expect(bigIntToBytes(256n, 4)).toEqual(new Uint8Array([0, 0, 1, 0]));
    expect(bigIntToBytes(0n, 2)).toEqual(new Uint8Array([0, 0]));
    expect(bigIntToBytes(65536n, 2)).toBeNull();
    expect(bigIntToBytes(-1n, 2)).toBeNull();
    expect(leftPad(new Uint8Array([7]), 3)).toEqual(new Uint8Array([0, 0, 7]));
    expect(leftPad(new Uint8Array([0, 0, 7]), 2)).toEqual(new Uint8Array([0, 7]));
    expect(leftPad(new Uint8Array([1, 0, 7]), 2)).toBeNull();
  });
});

describe("MODP primes (RFC 2409 section 6, RFC 3526)", () => {
  test("group numbers", () => {
    expect(DH_GROUPS).toEqual([1, 2, 5, 14, 15, 16]);
    expect(isDhGroup(14)).toBe(true);
    expect(isDhGroup(3)).toBe(false);
    expect(isDhGroup(24)).toBe(false);
  });

  for (const group of DH_GROUPS) {
    test(
      `group ${group}: length, ones at both ends, closed form with pi, safe prime`,
      () => {
        const n = DH_GROUP_BITS[group];
        const p = dhPrimeBigInt(group);
        expect(dhPrime(group).length).toBe(n / 8);
        expect(dhPrimeBytes(group)).toBe(n / 8);
        expect(p.toString(2).length).toBe(n);
        const ones64 = (1n << 64n) - 1n;
        expect(p >> BigInt(n - 64)).toBe(ones64);
        expect(p & ones64).toBe(ones64);
        // 2^n - 2^(n-64) - 1 + 2^64 * ([2^(n-130) pi] + k)
        const N = BigInt(n);
        const closed =
          (1n << N) - (1n << (N - 64n)) - 1n + (1n << 64n) * (piTimesPow2(n - 130) + BigInt(DH_PRIME_PI_OFFSET[group]));
        expect(closed).toBe(p);
        // Safe prime: p and q = (p-1)/2 pass Miller-Rabin (fewer bases for the large ones).
        const q = (p - 1n) / 2n;
        const bases = n <= 2048 ? [2n, 3n, 5n, 7n] : [2n, 3n];
        expect(probablyPrime(q, bases)).toBe(true);
        expect(probablyPrime(p, bases.slice(0, 2))).toBe(true);
        // p = 7 mod 8, so the generator 2 is a square and generates the subgroup of order q.
        expect(p % 8n).toBe(7n);
        expect(modPow(BigInt(DH_GENERATOR), q, p)).toBe(1n);
      },
      SLOW,
    );
  }

  test("a prime that is off by one bit fails the checks (the checks can fail)", () => {
    const p = dhPrimeBigInt(2) ^ (1n << 500n);
    expect(probablyPrime(p, [2n])).toBe(false);
  });
});

describe("key pairs", () => {
  test(
    "exponent length, top bit, public value = 2^x mod p, and exactly the bytes it asked for",
    () => {
      for (const group of DH_GROUPS) {
        const asked: number[] = [];
        const rng = new SeededRandom(group);
        const pair = dhKeyPair(group, (n) => {
          asked.push(n);
          return rng.fill(new Uint8Array(n));
        });
        expect(asked).toEqual([DH_EXPONENT_BITS[group] / 8]);
        expect(pair.privateKey.length).toBe(DH_EXPONENT_BITS[group] / 8);
        expect(pair.privateKey[0]! & 0x80).toBe(0x80);
        expect(pair.publicKey.length).toBe(dhPrimeBytes(group));
        const p = dhPrimeBigInt(group);
        expect(bytesToBigInt(pair.publicKey)).toBe(slowPow(2n, bytesToBigInt(pair.privateKey), p));
      }
    },
    SLOW,
  );

  test("same seed, same key pair; different seed, different key pair", () => {
    const a = dhKeyPair(14, seeded(42));
    const b = dhKeyPair(14, seeded(42));
    const c = dhKeyPair(14, seeded(43));
    expect(b).toEqual(a);
    expect(c.privateKey).not.toEqual(a.privateKey);
    expect(c.publicKey).not.toEqual(a.publicKey);
  });

  test("a short random source is zero-filled and still gives a full-length exponent", () => {
    const pair = dhKeyPair(1, () => new Uint8Array(3).fill(0x11));
    expect(pair.privateKey.length).toBe(20);
    expect(pair.privateKey[0]).toBe(0x91);
    expect(pair.privateKey.subarray(3).every((b) => b === 0)).toBe(true);
  });

  test("an unknown group (through a cast) gives an empty pair that agreement refuses", () => {
    const pair = dhKeyPair(3 as DhGroup, seeded(1));
    expect(pair.publicKey.length).toBe(0);
    expect(dhSharedSecret(3 as DhGroup, pair.privateKey, pair.publicKey)).toBeNull();
  });
});

describe("backend policy", () => {
  // The switch is per process and other test files (labs, the IPsec bench) may already have
  // pushed a group over it, so the test takes the first cheap group still on BigInt.
  test(
    `a group switches to the engine after ${DH_ENGINE_AFTER_OPS} operations, with unchanged results`,
    () => {
      const candidates: DhGroup[] = [2, 1, 5, 14];
      const group = candidates.find((g) => dhGroupStatus(g).backend === "bigint");
      if (group === undefined) throw new Error("every candidate group already switched to its engine in this process");
      const peer = dhKeyPairWith("bigint", group, seeded(5));
      const expectedPair = dhKeyPairWith("bigint", group, seeded(9));
      const expectedSecret = dhSharedSecretWith("bigint", group, expectedPair.privateKey, peer.publicKey)!;
      expect(dhGroupStatus(group).backend).toBe("bigint");
      for (let k = 0; dhGroupStatus(group).operations < DH_ENGINE_AFTER_OPS; k++) {
        // One operation per turn, alternating key pairs and secrets.
        if (k % 2 === 0) expect(dhKeyPair(group, seeded(9))).toEqual(expectedPair);
        else expect(dhSharedSecret(group, expectedPair.privateKey, peer.publicKey)).toEqual(expectedSecret);
      }
      expect(dhGroupStatus(group)).toEqual({ backend: "bigint", operations: DH_ENGINE_AFTER_OPS });
      const mine = dhKeyPair(group, seeded(9));
      expect(dhGroupStatus(group)).toEqual({ backend: "engine", operations: DH_ENGINE_AFTER_OPS + 1 });
      expect(mine).toEqual(expectedPair);
      expect(dhSharedSecret(group, mine.privateKey, peer.publicKey)).toEqual(expectedSecret);
      // Refused inputs are not counted.
      expect(dhSharedSecret(group, mine.privateKey, new Uint8Array(3))).toBeNull();
      expect(dhGroupStatus(group).operations).toBe(DH_ENGINE_AFTER_OPS + 2);
    },
    SLOW,
  );
});

/** Both sides of one exchange with a given backend; returns both secrets. */
function agree(group: DhGroup, backend: DhBackend, seed: number) {
  const i = dhKeyPairWith(backend, group, seeded(seed));
  const r = dhKeyPairWith(backend, group, seeded(seed + 1000));
  return {
    i,
    r,
    si: dhSharedSecretWith(backend, group, i.privateKey, r.publicKey),
    sr: dhSharedSecretWith(backend, group, r.privateKey, i.publicKey),
  };
}

describe("key agreement", () => {
  for (const group of DH_GROUPS) {
    const seeds = DH_GROUP_BITS[group] <= 2048 ? [1, 2, 3, 4, 5] : [1, 2];
    test(
      `group ${group}: both sides agree across seeds (BigInt), matching a square-and-multiply g^xy`,
      () => {
        const p = dhPrimeBigInt(group);
        for (const seed of seeds) {
          const { i, r, si, sr } = agree(group, "bigint", seed);
          expect(si).not.toBeNull();
          expect(si).toEqual(sr!);
          expect(si!.length).toBe(dhPrimeBytes(group));
          const xy = bytesToBigInt(i.privateKey) * bytesToBigInt(r.privateKey);
          expect(bytesToBigInt(si!)).toBe(slowPow(2n, xy, p));
        }
      },
      SLOW,
    );

    test(
      `group ${group}: the node:crypto engine gives the same bytes as BigInt, call after call`,
      () => {
        if (!warmDhEngine(group)) throw new Error(`no node:crypto DH engine for group ${group}`);
        for (const seed of seeds.slice(0, 2)) {
          const viaBig = agree(group, "bigint", seed);
          const viaEngine = agree(group, "engine", seed);
          expect(viaEngine.i).toEqual(viaBig.i);
          expect(viaEngine.r).toEqual(viaBig.r);
          expect(viaEngine.si).toEqual(viaBig.si!);
          expect(viaEngine.sr).toEqual(viaBig.si!);
        }
        // Interleave keys on the shared engine: no call may see the previous call's key.
        const a = dhKeyPairWith("bigint", group, seeded(77));
        const b = dhKeyPairWith("bigint", group, seeded(78));
        const c = dhKeyPairWith("bigint", group, seeded(79));
        const ab = dhSharedSecretWith("bigint", group, a.privateKey, b.publicKey)!;
        const cb = dhSharedSecretWith("bigint", group, c.privateKey, b.publicKey)!;
        expect(dhSharedSecretWith("engine", group, a.privateKey, b.publicKey)).toEqual(ab);
        expect(dhKeyPairWith("engine", group, seeded(79)).publicKey).toEqual(c.publicKey);
        expect(dhSharedSecretWith("engine", group, c.privateKey, b.publicKey)).toEqual(cb);
        expect(dhKeyPairWith("engine", group, seeded(77)).publicKey).toEqual(a.publicKey);
        expect(dhSharedSecretWith("engine", group, a.privateKey, b.publicKey)).toEqual(ab);
      },
      SLOW,
    );
  }
});

describe("refused peer values", () => {
  for (const group of DH_GROUPS) {
    test(
      `group ${group}: 0, 1, p-1, p, p+1, all-ones and wrong lengths are refused; 2 and p-2 are not`,
      () => {
        const len = dhPrimeBytes(group);
        const p = dhPrimeBigInt(group);
        const mine = dhKeyPairWith("bigint", group, seeded(3));
        const as = (v: bigint) => bigIntToBytes(v, len)!;
        for (const bad of [as(0n), as(1n), as(p - 1n), as(p), as(p + 1n), new Uint8Array(len).fill(0xff)]) {
          expect(dhPublicKeyValid(group, bad)).toBe(false);
          expect(dhSharedSecret(group, mine.privateKey, bad)).toBeNull();
          expect(dhSharedSecretWith("engine", group, mine.privateKey, bad)).toBeNull();
        }
        const good = dhKeyPairWith("bigint", group, seeded(4)).publicKey;
        for (const badLength of [good.subarray(1), new Uint8Array([0, ...good]), new Uint8Array(0)]) {
          expect(dhSharedSecret(group, mine.privateKey, badLength)).toBeNull();
        }
        for (const edge of [as(2n), as(p - 2n)]) {
          expect(dhPublicKeyValid(group, edge)).toBe(true);
          expect(dhSharedSecretWith("bigint", group, mine.privateKey, edge)!.length).toBe(len);
        }
        // Private keys: empty, zero and longer than the prime are refused too.
        expect(dhSharedSecret(group, new Uint8Array(0), good)).toBeNull();
        expect(dhSharedSecret(group, new Uint8Array(8), good)).toBeNull();
        expect(dhSharedSecret(group, new Uint8Array(len + 1).fill(1), good)).toBeNull();
      },
      SLOW,
    );
  }

  test("random peer bytes never throw: null or a prime-length secret", () => {
    const mine = dhKeyPairWith("bigint", 1, seeded(11));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 120 }), (peer) => {
        const s = dhSharedSecret(1, mine.privateKey, peer);
        return s === null || (peer.length === 96 && s.length === 96);
      }),
      { numRuns: 200 },
    );
  });
});
