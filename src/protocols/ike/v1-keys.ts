// IKEv1 key derivation (RFC 2409 section 5, 5.5, 5.7 and appendix B; NAT-D from
// RFC 3947 section 3.2) as pure functions over byte strings. The prf is HMAC
// with the negotiated phase-1 hash (RFC 2409 section 3.2: "prf ... is often a
// keyed hash"; every IOS hash policy is HMAC); plain hashes (IVs, NAT-D) use the
// hash itself. HMAC and the hashes come from @noble/hashes, so tests can check
// these against node:crypto as a separate implementation.
//
// Conventions: "|" is concatenation; *_b values are payload bodies without the
// generic payload header (RFC 2409 section 3.2); message ids are written as 4
// bytes big-endian; protocol ids as 1 byte; the SPI as given (4 bytes for
// ESP/AH). Lengths that make no sense (negative, fractional, beyond
// MAX_DERIVED_BYTES) are clamped, so nothing here throws.
import { hmac } from "@noble/hashes/hmac.js";
import { md5, sha1 } from "@noble/hashes/legacy.js";
import { sha256, sha384, sha512 } from "@noble/hashes/sha2.js";
import { DIGEST_LENGTH, type HashAlgorithm } from "../../fastpath/crypto/types.ts";

/** The negotiated phase-1 hash: md5, sha1 (IOS "sha"), sha256, sha384, sha512. */
export type IkeHash = HashAlgorithm;

/** Digest (and prf output) length in bytes per hash. */
export const IKE_HASH_LENGTH: Readonly<Record<IkeHash, number>> = DIGEST_LENGTH;

/** The longest key material any function here returns (far above any cipher + MAC need). */
export const MAX_DERIVED_BYTES = 1024;

const HASHES = { md5, sha1, sha256, sha384, sha512 } as const;
const ZERO = new Uint8Array([0]);
const ONE = new Uint8Array([1]);
const TWO = new Uint8Array([2]);

/** prf(key, data1 | data2 | ...) = HMAC-hash(key, data1 | data2 | ...). */
export function prf(hash: IkeHash, key: Uint8Array, ...data: Uint8Array[]): Uint8Array {
  const mac = hmac.create(HASHES[hash], key);
  for (const d of data) mac.update(d);
  return mac.digest();
}

/** hash(data1 | data2 | ...) with the negotiated hash (no key). */
export function ikeHash(hash: IkeHash, ...data: Uint8Array[]): Uint8Array {
  const h = HASHES[hash].create();
  for (const d of data) h.update(d);
  return h.digest();
}

/** Message id (or any uint32) as 4 bytes big-endian. */
export function uint32Bytes(value: number): Uint8Array {
  const v = value >>> 0;
  return new Uint8Array([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
}

function clampLength(n: number): number {
  if (!Number.isFinite(n) || n <= 0) return 0;
  return Math.min(Math.floor(n), MAX_DERIVED_BYTES);
}

/** SKEYID for pre-shared keys: prf(pre-shared-key, Ni_b | Nr_b) (RFC 2409 section 5). */
export function skeyidPsk(hash: IkeHash, psk: Uint8Array, niB: Uint8Array, nrB: Uint8Array): Uint8Array {
  return prf(hash, psk, niB, nrB);
}

/** SKEYID for signatures: prf(Ni_b | Nr_b, g^xy) (RFC 2409 section 5). */
export function skeyidSig(hash: IkeHash, niB: Uint8Array, nrB: Uint8Array, gxy: Uint8Array): Uint8Array {
  return prf(hash, concat(niB, nrB), gxy);
}

/** SKEYID for public key encryption: prf(hash(Ni_b | Nr_b), CKY-I | CKY-R) (RFC 2409 section 5). */
export function skeyidPke(
  hash: IkeHash,
  niB: Uint8Array,
  nrB: Uint8Array,
  ckyI: Uint8Array,
  ckyR: Uint8Array,
): Uint8Array {
  return prf(hash, ikeHash(hash, niB, nrB), ckyI, ckyR);
}

/** SKEYID_d, SKEYID_a and SKEYID_e of an ISAKMP SA. */
export interface Skeyids {
  /** Keys IPsec SAs: prf(SKEYID, g^xy | CKY-I | CKY-R | 0). */
  d: Uint8Array;
  /** Authenticates ISAKMP messages: prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1). */
  a: Uint8Array;
  /** Encrypts ISAKMP messages: prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2). */
  e: Uint8Array;
}

/** SKEYID_d, SKEYID_a, SKEYID_e from SKEYID (RFC 2409 section 5). */
export function deriveSkeyids(
  hash: IkeHash,
  skeyid: Uint8Array,
  gxy: Uint8Array,
  ckyI: Uint8Array,
  ckyR: Uint8Array,
): Skeyids {
  const d = prf(hash, skeyid, gxy, ckyI, ckyR, ZERO);
  const a = prf(hash, skeyid, d, gxy, ckyI, ckyR, ONE);
  const e = prf(hash, skeyid, a, gxy, ckyI, ckyR, TWO);
  return { d, a, e };
}

/**
 * The phase-1 encryption key (RFC 2409 appendix B): the first keyBytes of
 * SKEYID_e when it is long enough, otherwise the first keyBytes of
 * K1 | K2 | K3 ... with K1 = prf(SKEYID_e, 0) (one zero octet) and
 * Kn = prf(SKEYID_e, Kn-1). Weak DES keys are not checked here (see
 * ikeCipherKeyIsWeak in v1-cipher.ts).
 */
export function phase1EncryptionKey(hash: IkeHash, skeyidE: Uint8Array, keyBytes: number): Uint8Array {
  const n = clampLength(keyBytes);
  if (skeyidE.length >= n) return skeyidE.slice(0, n);
  const out = new Uint8Array(n);
  let k = prf(hash, skeyidE, ZERO);
  let filled = 0;
  for (;;) {
    const take = Math.min(k.length, n - filled);
    out.set(k.subarray(0, take), filled);
    filled += take;
    if (filled >= n) return out;
    k = prf(hash, skeyidE, k);
  }
}

/** Phase-1 IV: hash(g^xi | g^xr) truncated to the cipher block (RFC 2409 appendix B). */
export function phase1Iv(hash: IkeHash, gxi: Uint8Array, gxr: Uint8Array, blockSize: number): Uint8Array {
  return ikeHash(hash, gxi, gxr).slice(0, clampLength(blockSize));
}

/**
 * IV of a quick mode or informational exchange: hash(last phase-1 CBC output
 * block | M-ID) truncated to the cipher block (RFC 2409 appendix B). Each
 * exchange then chains from its own last ciphertext block.
 */
export function phase2Iv(
  hash: IkeHash,
  lastPhase1CipherBlock: Uint8Array,
  messageId: number,
  blockSize: number,
): Uint8Array {
  return ikeHash(hash, lastPhase1CipherBlock, uint32Bytes(messageId)).slice(0, clampLength(blockSize));
}

/** Initiator's HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b) (RFC 2409 section 5). */
export function hashI(
  hash: IkeHash,
  skeyid: Uint8Array,
  gxi: Uint8Array,
  gxr: Uint8Array,
  ckyI: Uint8Array,
  ckyR: Uint8Array,
  saiB: Uint8Array,
  idiiB: Uint8Array,
): Uint8Array {
  return prf(hash, skeyid, gxi, gxr, ckyI, ckyR, saiB, idiiB);
}

/**
 * Responder's HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 * (RFC 2409 section 5); arguments come in the order they are hashed, and SAi_b
 * is the initiator's SA payload body in both hashes.
 */
export function hashR(
  hash: IkeHash,
  skeyid: Uint8Array,
  gxr: Uint8Array,
  gxi: Uint8Array,
  ckyR: Uint8Array,
  ckyI: Uint8Array,
  saiB: Uint8Array,
  idirB: Uint8Array,
): Uint8Array {
  return prf(hash, skeyid, gxr, gxi, ckyR, ckyI, saiB, idirB);
}

/**
 * Quick mode HASH(1) = prf(SKEYID_a, M-ID | rest), rest being the whole message
 * after the HASH payload (SA | Ni [| KE] [| IDci | IDcr], with their generic
 * headers) (RFC 2409 section 5.5).
 */
export function quickModeHash1(hash: IkeHash, skeyidA: Uint8Array, messageId: number, rest: Uint8Array): Uint8Array {
  return prf(hash, skeyidA, uint32Bytes(messageId), rest);
}

/** Quick mode HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest) (RFC 2409 section 5.5). */
export function quickModeHash2(
  hash: IkeHash,
  skeyidA: Uint8Array,
  messageId: number,
  niB: Uint8Array,
  rest: Uint8Array,
): Uint8Array {
  return prf(hash, skeyidA, uint32Bytes(messageId), niB, rest);
}

/** Quick mode HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) (RFC 2409 section 5.5). */
export function quickModeHash3(
  hash: IkeHash,
  skeyidA: Uint8Array,
  messageId: number,
  niB: Uint8Array,
  nrB: Uint8Array,
): Uint8Array {
  return prf(hash, skeyidA, ZERO, uint32Bytes(messageId), niB, nrB);
}

/** Informational HASH(1) = prf(SKEYID_a, M-ID | N/D), rest being the payloads after HASH (RFC 2409 section 5.7). */
export function informationalHash(hash: IkeHash, skeyidA: Uint8Array, messageId: number, rest: Uint8Array): Uint8Array {
  return prf(hash, skeyidA, uint32Bytes(messageId), rest);
}

/**
 * KEYMAT for one direction of an IPsec SA (RFC 2409 section 5.5):
 * K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
 * Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
 * KEYMAT = the first lengthBytes of K1 | K2 | ... The SPI is the one the
 * receiving side chose, so each direction has its own KEYMAT; gxyQm is the
 * quick mode shared secret when PFS is used.
 */
export function keymat(
  hash: IkeHash,
  skeyidD: Uint8Array,
  protocolId: number,
  spi: Uint8Array,
  niB: Uint8Array,
  nrB: Uint8Array,
  lengthBytes: number,
  gxyQm?: Uint8Array,
): Uint8Array {
  const n = clampLength(lengthBytes);
  const out = new Uint8Array(n);
  const tail = [...(gxyQm ? [gxyQm] : []), new Uint8Array([protocolId & 0xff]), spi, niB, nrB];
  let filled = 0;
  let k: Uint8Array | null = null;
  while (filled < n) {
    k = k === null ? prf(hash, skeyidD, ...tail) : prf(hash, skeyidD, k, ...tail);
    const take = Math.min(k.length, n - filled);
    out.set(k.subarray(0, take), filled);
    filled += take;
  }
  return out;
}

/**
 * Splits KEYMAT the way RFC 2407 and IOS take it for ESP with both services:
 * encryption key first, then the integrity key. A KEYMAT shorter than the two
 * gives correspondingly shorter keys (which the cipher then refuses).
 */
export function splitKeymat(
  keymat: Uint8Array,
  encryptionKeyBytes: number,
  integrityKeyBytes: number,
): {
  encryptionKey: Uint8Array;
  integrityKey: Uint8Array;
} {
  const e = clampLength(encryptionKeyBytes);
  const i = clampLength(integrityKeyBytes);
  return { encryptionKey: keymat.slice(0, e), integrityKey: keymat.slice(e, e + i) };
}

/**
 * NAT-D payload data (RFC 3947 section 3.2): hash(CKY-I | CKY-R | IP | Port)
 * with the negotiated hash. address is an IPv4 address as a uint32 or the raw
 * address bytes (4 or 16); port is the UDP port.
 */
export function natDHash(
  hash: IkeHash,
  ckyI: Uint8Array,
  ckyR: Uint8Array,
  address: number | Uint8Array,
  port: number,
): Uint8Array {
  const ip = typeof address === "number" ? uint32Bytes(address) : address;
  const p = port & 0xffff;
  return ikeHash(hash, ckyI, ckyR, ip, new Uint8Array([p >>> 8, p & 0xff]));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
