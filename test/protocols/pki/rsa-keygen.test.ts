// RSA key generation from a seeded source: the same seed gives the same key,
// the numbers are consistent (primes, CRT values, e*d = 1 mod lambda), and
// node:crypto, importing the key as a JWK, signs and verifies with it in both
// signature forms (the differential test of the generated key). Times for
// 1024 and 2048 bits are printed.
import { describe, expect, test } from "bun:test";
import { constants, createPublicKey, publicDecrypt, sign, verify } from "node:crypto";
import fc from "fast-check";
import { modPow } from "../../../src/protocols/ike/modpow.ts";
import {
  gcd,
  generateRsaKey,
  isProbablePrime,
  modInverse,
  RSA_MAX_MODULUS_BITS,
  RSA_MIN_MODULUS_BITS,
  type RsaPrivateKey,
  randomPrime,
} from "../../../src/protocols/pki/rsa-keygen.ts";
import {
  nodePrivateKey,
  rsaPublicJwk,
  rsaSignRaw,
  rsaSignSha256,
  rsaVerifyDigest,
  rsaVerifyRaw,
} from "../../../src/protocols/pki/rsa-sign.ts";
import { SeededRandom } from "../../../src/runtime/random.ts";

const source = (seed: number) => {
  const rng = new SeededRandom(seed);
  return (n: number) => rng.fill(new Uint8Array(n));
};

function checkKey(k: RsaPrivateKey, bits: number): void {
  expect(k.n.toString(2).length).toBe(bits);
  expect(k.p * k.q).toBe(k.n);
  expect(k.p).not.toBe(k.q);
  expect(k.p > k.q).toBe(true);
  expect(k.e).toBe(65537n);
  const p1 = k.p - 1n;
  const q1 = k.q - 1n;
  expect(gcd(k.e, p1 * q1)).toBe(1n);
  const lambda = (p1 / gcd(p1, q1)) * q1;
  expect((k.e * k.d) % lambda).toBe(1n);
  expect(k.dp).toBe(k.d % p1);
  expect(k.dq).toBe(k.d % q1);
  expect((k.q * k.qi) % k.p).toBe(1n);
}

describe("primality", () => {
  const rnd = source(7);
  test("known primes and composites", () => {
    // 2^127 - 1 and 2^521 - 1 are Mersenne primes; a Carmichael number and a product of two primes are not.
    expect(isProbablePrime((1n << 127n) - 1n, 20, rnd)).toBe(true);
    expect(isProbablePrime((1n << 521n) - 1n, 10, rnd)).toBe(true);
    expect(isProbablePrime(561n, 20, rnd)).toBe(false);
    expect(isProbablePrime(((1n << 61n) - 1n) * ((1n << 89n) - 1n), 20, rnd)).toBe(false);
    for (const small of [2n, 3n, 5n, 65537n]) expect(isProbablePrime(small, 5, rnd)).toBe(true);
    for (const c of [0n, 1n, 4n, 65535n]) expect(isProbablePrime(c, 5, rnd)).toBe(false);
  });
  test("random primes have the asked size, the two top bits set, and p mod e != 1", () => {
    for (const bits of [180, 256, 512]) {
      const p = randomPrime(bits, 65537n, rnd);
      expect(p.toString(2).length).toBe(bits);
      expect(p >> BigInt(bits - 2)).toBe(3n);
      expect(p % 65537n).not.toBe(1n);
      expect(isProbablePrime(p, 30, source(99))).toBe(true);
    }
  });
  test("modInverse", () => {
    expect((modInverse(17n, 3120n) * 17n) % 3120n).toBe(1n);
    expect(() => modInverse(6n, 9n)).toThrow(RangeError);
  });
});

describe("generateRsaKey", () => {
  test("the same seed gives the same key; another seed another", () => {
    const a = generateRsaKey(512, source(1));
    const b = generateRsaKey(512, source(1));
    const c = generateRsaKey(512, source(2));
    expect(b.n).toBe(a.n);
    expect(b.d).toBe(a.d);
    expect(c.n).not.toBe(a.n);
  });
  test("sizes IOS allows, odd ones too, are exact and consistent", () => {
    for (const bits of [360, 361, 512, 768, 1000, 1024]) checkKey(generateRsaKey(bits, source(bits)), bits);
  });
  test("sizes outside 360..4096 are refused", () => {
    expect(() => generateRsaKey(RSA_MIN_MODULUS_BITS - 1, source(1))).toThrow(RangeError);
    expect(() => generateRsaKey(RSA_MAX_MODULUS_BITS + 1, source(1))).toThrow(RangeError);
    expect(() => generateRsaKey(512.5, source(1))).toThrow(RangeError);
  });
  test("1024 and 2048 bits: timings (1024 well under a second)", () => {
    for (const bits of [1024, 2048]) {
      const times: number[] = [];
      for (let seed = 1; seed <= 3; seed++) {
        const t = performance.now();
        checkKey(generateRsaKey(bits, source(seed * 31 + bits)), bits);
        times.push(performance.now() - t);
      }
      console.log(`rsa keygen ${bits}: ${times.map((t) => t.toFixed(0)).join(", ")} ms`);
      if (bits === 1024) expect(Math.max(...times)).toBeLessThan(1000);
    }
  });
});

describe("node:crypto agrees with the generated keys (JWK import)", () => {
  const key = generateRsaKey(1024, source(42));
  const pub = createPublicKey({ key: rsaPublicJwk(key), format: "jwk" });

  test("node:crypto imports it and derives the same public numbers", () => {
    const jwk = nodePrivateKey(key).export({ format: "jwk" });
    expect(Buffer.from(jwk.n!, "base64url").toString("hex")).toBe(key.n.toString(16));
  });
  test("sha256WithRSAEncryption: ours signs, node:crypto verifies, and the other way", () => {
    const data = new TextEncoder().encode("tbsCertificate");
    const s = rsaSignSha256(key, data);
    expect(verify("sha256", data, pub, s)).toBe(true);
    const theirs = new Uint8Array(sign("sha256", data, nodePrivateKey(key)));
    expect(rsaVerifyDigest(key, "sha256", data, theirs)).toBe(true);
    s[5]! ^= 1;
    expect(rsaVerifyDigest(key, "sha256", data, s)).toBe(false);
  });
  test("the IKEv1 raw form: type-1 padding around the hash itself, no DigestInfo", () => {
    const hash = new Uint8Array(20).fill(0xab);
    const s = rsaSignRaw(key, hash);
    expect(s.length).toBe(128);
    // Recovered by hand: s^e mod n = 00 01 FF..FF 00 || hash.
    const em = modPow(BigInt(`0x${Buffer.from(s).toString("hex")}`), key.e, key.n)
      .toString(16)
      .padStart(256, "0");
    expect(em.startsWith("0001ffffffff")).toBe(true);
    expect(em.endsWith(`00${"ab".repeat(20)}`)).toBe(true);
    expect(new Uint8Array(publicDecrypt({ key: pub, padding: constants.RSA_PKCS1_PADDING }, s))).toEqual(hash);
    expect(rsaVerifyRaw(key, hash, s)).toBe(true);
  });
  test("raw verification is false, never a throw, for anything else", () => {
    const hash = new Uint8Array(20).fill(1);
    const s = rsaSignRaw(key, hash);
    expect(rsaVerifyRaw(key, new Uint8Array(20).fill(2), s)).toBe(false);
    expect(rsaVerifyRaw(generateRsaKey(1024, source(43)), hash, s)).toBe(false);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (junk) => rsaVerifyRaw(key, hash, junk) === false),
      { numRuns: 200 },
    );
  });
});
