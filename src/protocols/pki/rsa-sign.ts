// RSA operations on our generated keys through node:crypto: the key is
// imported as a JWK (RFC 7517/7518 6.3), so every signature also checks that
// the generated numbers form a key OpenSSL/BoringSSL accepts. Two signature
// forms: PKCS #1 v1.5 over a SHA-256 DigestInfo (RFC 8017 8.2, certificates),
// and the raw form IKEv1 uses for SIG_I/SIG_R (RFC 2409 5.1): PKCS #1 v1.5
// type-1 padding around the HASH itself, without a DigestInfo, which is what
// IOS and strongSwan send; privateEncrypt/publicDecrypt with RSA_PKCS1_PADDING
// do exactly that. Verification never throws: a bad signature is false.

import {
  constants,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  privateEncrypt,
  publicDecrypt,
  sign,
  verify,
} from "node:crypto";
import { equalConstantTime } from "../../fastpath/crypto/hash-check.ts";
import { bigIntToBytes } from "../ike/modpow.ts";
import type { RsaPrivateKey } from "./rsa-keygen.ts";

/** An RSA public key as its two numbers. */
export interface RsaPublicNumbers {
  n: bigint;
  e: bigint;
}

/** An RSA JWK (RFC 7518 6.3): the public members, and the private ones for a private key. */
export interface RsaJwk {
  kty: "RSA";
  n: string;
  e: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
}

/** Unsigned big-endian bytes of a positive integer, no leading zero. */
export function unsignedBytes(v: bigint): Uint8Array {
  const length = Math.max(1, Math.ceil(v.toString(16).length / 2));
  return bigIntToBytes(v, length) ?? new Uint8Array(0);
}

function b64url(v: bigint): string {
  return Buffer.from(unsignedBytes(v)).toString("base64url");
}

/** The private key as a JWK (RFC 7518 6.3.2). */
export function rsaPrivateJwk(k: RsaPrivateKey): RsaJwk {
  return {
    kty: "RSA",
    n: b64url(k.n),
    e: b64url(k.e),
    d: b64url(k.d),
    p: b64url(k.p),
    q: b64url(k.q),
    dp: b64url(k.dp),
    dq: b64url(k.dq),
    qi: b64url(k.qi),
  };
}

/** The public key as a JWK (RFC 7518 6.3.1). */
export function rsaPublicJwk(k: RsaPublicNumbers): RsaJwk {
  return { kty: "RSA", n: b64url(k.n), e: b64url(k.e) };
}

const privateObjects = new WeakMap<RsaPrivateKey, KeyObject>();

/** node:crypto's object for a generated key (imported once per key). */
export function nodePrivateKey(k: RsaPrivateKey): KeyObject {
  let o = privateObjects.get(k);
  if (o === undefined) {
    o = createPrivateKey({ key: rsaPrivateJwk(k), format: "jwk" });
    privateObjects.set(k, o);
  }
  return o;
}

/** node:crypto's object for a public key; null when node:crypto refuses the numbers. */
export function nodePublicKey(k: RsaPublicNumbers): KeyObject | null {
  try {
    return createPublicKey({ key: rsaPublicJwk(k), format: "jwk" });
  } catch {
    return null;
  }
}

/** The modulus size in bytes (the length of every signature). */
export function modulusBytes(k: RsaPublicNumbers): number {
  return Math.ceil(k.n.toString(2).length / 8);
}

/** IKEv1's signature: PKCS #1 v1.5 type 1 padding around `data` (no DigestInfo), then the private-key operation. */
export function rsaSignRaw(k: RsaPrivateKey, data: Uint8Array): Uint8Array {
  return new Uint8Array(privateEncrypt({ key: nodePrivateKey(k), padding: constants.RSA_PKCS1_PADDING }, data));
}

/** Checks an IKEv1 signature: the public-key operation must give type 1 padding around exactly `data`. */
export function rsaVerifyRaw(k: RsaPublicNumbers, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== modulusBytes(k)) return false;
  const key = nodePublicKey(k);
  if (key === null) return false;
  try {
    const recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
    return equalConstantTime(new Uint8Array(recovered), data);
  } catch {
    return false;
  }
}

/** sha256WithRSAEncryption (PKCS #1 v1.5 with a SHA-256 DigestInfo). */
export function rsaSignSha256(k: RsaPrivateKey, data: Uint8Array): Uint8Array {
  return new Uint8Array(sign("sha256", data, nodePrivateKey(k)));
}

/** Checks a PKCS #1 v1.5 signature with the given digest (sha1, sha256, ...); false on any failure. */
export function rsaVerifyDigest(k: RsaPublicNumbers, digest: string, data: Uint8Array, signature: Uint8Array): boolean {
  const key = nodePublicKey(k);
  if (key === null) return false;
  try {
    return verify(digest, data, key, signature);
  } catch {
    return false;
  }
}
