// RSA key generation from the device's seeded random source, so a lab with
// the same seed generates the same keys (FIPS 186-4 B.3.3 in spirit, not to
// the letter): two primes of half the modulus each, found by an incremental
// search from a random odd start with the two top bits set (so p*q has
// exactly the requested size), a sieve of the small primes below 2^14, then
// Miller-Rabin with random bases (error below 2^-80 for the sizes IOS allows).
// e = 65537; a prime p with p = 1 mod e is skipped, so gcd(e, (p-1)(q-1)) = 1.
// d = e^-1 mod lcm(p-1, q-1), with the CRT values dP, dQ and qInv of PKCS #1
// (RFC 8017 3.2). Nothing here reads a clock or another random source.
// Arithmetic is BigInt, with the modular exponentiation of the DH code.

import { bytesToBigInt, modPow } from "../ike/modpow.ts";

/** The public exponent IOS and everyone else use. */
export const RSA_PUBLIC_EXPONENT = 65537n;
/** The modulus sizes `crypto key generate rsa modulus N` accepts (IOS 15: 360 to 4096). */
export const RSA_MIN_MODULUS_BITS = 360;
export const RSA_MAX_MODULUS_BITS = 4096;

/** An RSA private key with its CRT values (RFC 8017 3.2, second representation). */
export interface RsaPrivateKey {
  /** Modulus size in bits (the size asked for; n has exactly this many bits). */
  bits: number;
  n: bigint;
  e: bigint;
  d: bigint;
  /** p > q. */
  p: bigint;
  q: bigint;
  /** d mod (p - 1). */
  dp: bigint;
  /** d mod (q - 1). */
  dq: bigint;
  /** q^-1 mod p. */
  qi: bigint;
}

/** A source of random bytes (the device's seeded one). */
export type RandomBytes = (n: number) => Uint8Array;

/** Odd primes below 2^14, for the sieve. */
const SMALL_PRIMES: readonly number[] = (() => {
  const limit = 1 << 14;
  const composite = new Uint8Array(limit);
  const out: number[] = [];
  for (let i = 3; i < limit; i += 2) {
    if (composite[i]) continue;
    out.push(i);
    for (let j = i * i; j < limit; j += 2 * i) composite[j] = 1;
  }
  return out;
})();

/** Miller-Rabin rounds for a candidate of this size (the table OpenSSL used for a 2^-80 error). */
export function millerRabinRounds(bits: number): number {
  if (bits >= 1300) return 2;
  if (bits >= 850) return 3;
  if (bits >= 650) return 4;
  if (bits >= 550) return 5;
  if (bits >= 450) return 6;
  if (bits >= 400) return 7;
  if (bits >= 350) return 8;
  if (bits >= 300) return 9;
  if (bits >= 250) return 12;
  if (bits >= 200) return 15;
  if (bits >= 150) return 18;
  return 27;
}

/** A uniformly random integer of `bits` bits or fewer. */
function randomBits(bits: number, random: RandomBytes): bigint {
  const bytes = random(Math.ceil(bits / 8));
  const extra = bytes.length * 8 - bits;
  if (extra > 0) bytes[0]! &= 0xff >>> extra;
  return bytesToBigInt(bytes);
}

/** A random integer in [lo, hi] (hi - lo small against 2^bits is fine for witnesses). */
function randomBetween(lo: bigint, hi: bigint, random: RandomBytes): bigint {
  const span = hi - lo + 1n;
  const bits = span.toString(2).length + 64;
  return lo + (randomBits(bits, random) % span);
}

/** Miller-Rabin with `rounds` random bases; true when n is probably prime. */
export function isProbablePrime(n: bigint, rounds: number, random: RandomBytes): boolean {
  if (n < 2n) return false;
  for (const sp of SMALL_PRIMES.slice(0, 64)) {
    const p = BigInt(sp);
    if (n === p) return true;
    if (n % p === 0n) return false;
  }
  if (n === 2n) return true;
  if ((n & 1n) === 0n) return false;
  const nMinus1 = n - 1n;
  let d = nMinus1;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  next: for (let i = 0; i < rounds; i++) {
    const a = randomBetween(2n, n - 2n, random);
    let x = modPow(a, d, n);
    if (x === 1n || x === nMinus1) continue;
    for (let r = 1; r < s; r++) {
      x = (x * x) % n;
      if (x === nMinus1) continue next;
      if (x === 1n) return false;
    }
    return false;
  }
  return true;
}

/**
 * A prime of exactly `bits` bits with its two top bits set and p mod e != 1:
 * an incremental search from a random odd start, each step checked against
 * the small primes with residues kept as numbers (no BigInt division per step).
 */
export function randomPrime(bits: number, e: bigint, random: RandomBytes): bigint {
  const rounds = millerRabinRounds(bits);
  for (;;) {
    const start = randomBits(bits, random) | (3n << BigInt(bits - 2)) | 1n;
    const residues = SMALL_PRIMES.map((p) => Number(start % BigInt(p)));
    const eMod = Number(start % e);
    const eNum = Number(e);
    // Search a window of 2^16 odd values, then draw a new start (it rarely comes to that).
    for (let delta = 0; delta < 1 << 17; delta += 2) {
      let divisible = false;
      for (let i = 0; i < SMALL_PRIMES.length; i++) {
        if ((residues[i]! + delta) % SMALL_PRIMES[i]! === 0) {
          divisible = true;
          break;
        }
      }
      if (divisible || (eMod + delta) % eNum === 1) continue;
      const candidate = start + BigInt(delta);
      if (candidate.toString(2).length !== bits) break;
      if (isProbablePrime(candidate, rounds, random)) return candidate;
    }
  }
}

/** a^-1 mod m (gcd(a, m) must be 1), by the extended Euclidean algorithm. */
export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError("rsa: no inverse (not coprime)");
  return ((oldS % m) + m) % m;
}

export function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** Whether `bits` is a modulus size IOS accepts. */
export function validModulusBits(bits: number): boolean {
  return Number.isInteger(bits) && bits >= RSA_MIN_MODULUS_BITS && bits <= RSA_MAX_MODULUS_BITS;
}

/**
 * Generates an RSA key of `bits` bits (360..4096) from `random`. The same
 * random bytes give the same key. Throws RangeError for a size out of range.
 */
export function generateRsaKey(bits: number, random: RandomBytes): RsaPrivateKey {
  if (!validModulusBits(bits))
    throw new RangeError(`rsa: modulus ${bits} outside ${RSA_MIN_MODULUS_BITS}..${RSA_MAX_MODULUS_BITS}`);
  const e = RSA_PUBLIC_EXPONENT;
  const pBits = Math.ceil(bits / 2);
  const qBits = bits - pBits;
  for (;;) {
    let p = randomPrime(pBits, e, random);
    let q = randomPrime(qBits, e, random);
    if (p === q) continue;
    if (p < q) [p, q] = [q, p];
    const n = p * q;
    if (n.toString(2).length !== bits) continue;
    const p1 = p - 1n;
    const q1 = q - 1n;
    if (gcd(e, p1 * q1) !== 1n) continue;
    const lambda = (p1 / gcd(p1, q1)) * q1;
    const d = modInverse(e, lambda);
    return { bits, n, e, d, p, q, dp: d % p1, dq: d % q1, qi: modInverse(q, p) };
  }
}
