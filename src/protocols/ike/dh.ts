// MODP Diffie-Hellman for IKEv1 (RFC 2409 section 5, groups from dh-groups.ts):
// key pairs from a caller-supplied random source (so a lab seed fixes them) and
// shared secrets g^xy with the peer's value checked first (right length, in
// [2, p-2]). Public values and secrets are left-padded to the prime length, as
// the KE payload carries them and as SKEYID derivation hashes them.
//
// Two interchangeable ways to exponentiate, giving identical bytes:
//  - "engine": one node:crypto DiffieHellman object per group, reused with
//    setPrivateKey + generateKeys / computeSecret (BoringSSL under Bun). About
//    0.4 ms per operation for group 14 with a 320-bit exponent, but building the
//    object validates the prime: about 0.25 s (group 5), 0.5 s (14), 2 s (15),
//    4 s (16) once per process.
//  - "bigint": modPow in modpow.ts, about 2.3x slower per operation for group 14
//    (3.5-4x for groups 15/16) and free to start.
// (Figures from benchIkeDh in dh-bench.ts on a shared 2-core machine.)
// dhKeyPair/dhSharedSecret use BigInt for a group's first DH_ENGINE_AFTER_OPS
// operations and then build that group's engine (a small lab never pays the
// start-up; a big one amortises it); warmDhEngine builds it up front. Every
// engine call sets the private key first and resets it to 1 afterwards, so no
// call sees another's key, and any engine error falls back to BigInt.
import { createDiffieHellman, type DiffieHellman } from "node:crypto";
import {
  DH_GENERATOR,
  type DhGroup,
  dhExponentBytes,
  dhPrime,
  dhPrimeBigInt,
  dhPrimeBytes,
  isDhGroup,
} from "./dh-groups.ts";
import { bigIntToBytes, bytesToBigInt, leftPad, modPow } from "./modpow.ts";

// The groups' names and sizes come along, so callers need only this module.
export * from "./dh-groups.ts";

/** A private exponent and the matching public value g^x mod p (prime-length, big-endian). */
export interface DhKeyPair {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
}

/** How an exponentiation is done (results are identical). */
export type DhBackend = "engine" | "bigint";

/** Operations on a group done with BigInt before its node:crypto engine is built. */
export const DH_ENGINE_AFTER_OPS = 256;

interface GroupState {
  ops: number;
  engine: DiffieHellman | null;
  engineFailed: boolean;
}

const states = new Map<DhGroup, GroupState>();
const RESET_KEY = new Uint8Array([1]);

function stateOf(group: DhGroup): GroupState {
  let s = states.get(group);
  if (!s) {
    s = { ops: 0, engine: null, engineFailed: false };
    states.set(group, s);
  }
  return s;
}

function buildEngine(group: DhGroup, s: GroupState): DiffieHellman | null {
  if (s.engine || s.engineFailed) return s.engine;
  try {
    s.engine = createDiffieHellman(Buffer.from(dhPrime(group)), Buffer.from([DH_GENERATOR]));
  } catch {
    s.engineFailed = true;
  }
  return s.engine;
}

/** Builds the group's node:crypto engine now (slow once, see header); false when unavailable. */
export function warmDhEngine(group: DhGroup): boolean {
  if (!isDhGroup(group)) return false;
  return buildEngine(group, stateOf(group)) !== null;
}

/** Which way dhKeyPair/dhSharedSecret currently exponentiate for a group, and how often they have. */
export function dhGroupStatus(group: DhGroup): { backend: DhBackend; operations: number } {
  if (!isDhGroup(group)) return { backend: "bigint", operations: 0 };
  const s = stateOf(group);
  return { backend: s.engine ? "engine" : "bigint", operations: s.ops };
}

function chooseBackend(group: DhGroup): DhBackend {
  const s = stateOf(group);
  s.ops++;
  if (!s.engine && !s.engineFailed && s.ops > DH_ENGINE_AFTER_OPS) buildEngine(group, s);
  return s.engine ? "engine" : "bigint";
}

/** Adapts a seeded generator (anything with fill, e.g. SeededRandom) to the randomBytes callback. */
export function randomBytesFrom(rng: { fill(bytes: Uint8Array): Uint8Array }): (n: number) => Uint8Array {
  return (n) => rng.fill(new Uint8Array(n));
}

/** Draws the private exponent: exactly dhExponentBytes(group) bytes from the source, top bit set. */
function drawExponent(group: DhGroup, randomBytes: (n: number) => Uint8Array): Uint8Array {
  const n = dhExponentBytes(group);
  const x = new Uint8Array(n);
  const drawn = randomBytes(n);
  x.set(drawn.length > n ? drawn.subarray(0, n) : drawn);
  x[0]! |= 0x80;
  return x;
}

function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function enginePublic(engine: DiffieHellman, group: DhGroup, x: Uint8Array): Uint8Array | null {
  try {
    engine.setPrivateKey(view(x));
    return leftPad(engine.generateKeys(), dhPrimeBytes(group));
  } catch {
    return null;
  } finally {
    resetEngine(engine);
  }
}

function engineSecret(engine: DiffieHellman, group: DhGroup, x: Uint8Array, peer: Uint8Array): Uint8Array | null {
  try {
    engine.setPrivateKey(view(x));
    return leftPad(engine.computeSecret(view(peer)), dhPrimeBytes(group));
  } catch {
    return null;
  } finally {
    resetEngine(engine);
  }
}

function resetEngine(engine: DiffieHellman): void {
  try {
    engine.setPrivateKey(view(RESET_KEY));
  } catch {
    // Nothing to scrub if the engine refuses; the next call sets its own key anyway.
  }
}

function bigintPublic(group: DhGroup, x: Uint8Array): Uint8Array {
  const p = dhPrimeBigInt(group);
  return bigIntToBytes(modPow(BigInt(DH_GENERATOR), bytesToBigInt(x), p), dhPrimeBytes(group))!;
}

function bigintSecret(group: DhGroup, x: Uint8Array, peer: Uint8Array): Uint8Array {
  const p = dhPrimeBigInt(group);
  return bigIntToBytes(modPow(bytesToBigInt(peer), bytesToBigInt(x), p), dhPrimeBytes(group))!;
}

const EMPTY_PAIR = (): DhKeyPair => ({ privateKey: new Uint8Array(0), publicKey: new Uint8Array(0) });

/** Key pair computed with the named backend (falls back to BigInt if the engine is unavailable). */
export function dhKeyPairWith(backend: DhBackend, group: DhGroup, randomBytes: (n: number) => Uint8Array): DhKeyPair {
  if (!isDhGroup(group)) return EMPTY_PAIR();
  const privateKey = drawExponent(group, randomBytes);
  const engine = backend === "engine" ? buildEngine(group, stateOf(group)) : null;
  const publicKey = (engine && enginePublic(engine, group, privateKey)) ?? bigintPublic(group, privateKey);
  return { privateKey, publicKey };
}

/**
 * A fresh key pair: the private exponent is DH_EXPONENT_BITS[group] bits drawn
 * from randomBytes (top bit forced), the public value g^x mod p left-padded to
 * the prime length. An unknown group (only possible through a cast) gives empty
 * arrays, which dhSharedSecret then refuses.
 */
export function dhKeyPair(group: DhGroup, randomBytes: (n: number) => Uint8Array): DhKeyPair {
  if (!isDhGroup(group)) return EMPTY_PAIR();
  return dhKeyPairWith(chooseBackend(group), group, randomBytes);
}

/** True when a peer's public value has the prime's length and lies in [2, p-2]. */
export function dhPublicKeyValid(group: DhGroup, peerPublic: Uint8Array): boolean {
  if (!isDhGroup(group) || peerPublic.length !== dhPrimeBytes(group)) return false;
  const y = bytesToBigInt(peerPublic);
  return y >= 2n && y <= dhPrimeBigInt(group) - 2n;
}

function privateKeyValid(group: DhGroup, privateKey: Uint8Array): boolean {
  if (privateKey.length === 0 || privateKey.length > dhPrimeBytes(group)) return false;
  const x = bytesToBigInt(privateKey);
  return x >= 1n && x <= dhPrimeBigInt(group) - 2n;
}

/** Shared secret computed with the named backend; null on the same inputs dhSharedSecret refuses. */
export function dhSharedSecretWith(
  backend: DhBackend,
  group: DhGroup,
  privateKey: Uint8Array,
  peerPublic: Uint8Array,
): Uint8Array | null {
  if (!dhPublicKeyValid(group, peerPublic) || !privateKeyValid(group, privateKey)) return null;
  return computeSecret(backend, group, privateKey, peerPublic);
}

function computeSecret(backend: DhBackend, group: DhGroup, privateKey: Uint8Array, peerPublic: Uint8Array): Uint8Array {
  const engine = backend === "engine" ? buildEngine(group, stateOf(group)) : null;
  return (engine && engineSecret(engine, group, privateKey, peerPublic)) ?? bigintSecret(group, privateKey, peerPublic);
}

/**
 * g^xy mod p left-padded to the prime length; null when the peer's value has
 * the wrong length or is outside [2, p-2] (0, 1 and p-1 would force a known
 * secret), or the private key is empty, zero or too large. Never throws.
 */
export function dhSharedSecret(group: DhGroup, privateKey: Uint8Array, peerPublic: Uint8Array): Uint8Array | null {
  if (!isDhGroup(group)) return null;
  if (!dhPublicKeyValid(group, peerPublic) || !privateKeyValid(group, privateKey)) return null;
  return computeSecret(chooseBackend(group), group, privateKey, peerPublic);
}
