// Shared types of the crypto fast path: the result type every primitive returns
// (bad input never throws, it answers { ok: false, error }), the closed set of
// reasons, and the interfaces that the Wasm and TypeScript reference
// implementations both satisfy so one case suite can run against each.

/** Why a crypto call refused its input; a closed union so callers can count it. */
export type CryptoErrorReason =
  | "badKeySize"
  | "badIvSize"
  | "badLength"
  | "bufferTooShort"
  | "badTagSize"
  | "badCount"
  | "authFailed";

/** A refused call: which primitive, why, and a human-readable detail. */
export interface CryptoError {
  primitive: string;
  reason: CryptoErrorReason;
  detail: string;
}

/** Outcome of a crypto call. */
export type CryptoResult<T> = { ok: true; value: T } | { ok: false; error: CryptoError };

/** Builds a successful result. */
export function cryptoOk<T>(value: T): CryptoResult<T> {
  return { ok: true, value };
}

/** Builds a failed result. */
export function cryptoFail<T = never>(primitive: string, reason: CryptoErrorReason, detail: string): CryptoResult<T> {
  return { ok: false, error: { primitive, reason, detail } };
}

/** CBC cipher names as IOS transform sets use them (esp-aes 128/192/256, esp-3des, esp-des). */
export type CbcAlgorithm = "aes-128-cbc" | "aes-192-cbc" | "aes-256-cbc" | "des-cbc" | "des-ede3-cbc";

/**
 * A block cipher in CBC mode under one key schedule, without padding (ESP pads
 * itself). Batch calls take parallel arrays: item i encrypts src[i] under ivs[i]
 * into dst[i]; dst[i] may be src[i] (in place). Every item is checked before any
 * output is written.
 */
export interface CbcCipher {
  readonly algorithm: CbcAlgorithm;
  /** Block and IV size in bytes (16 for AES, 8 for DES/3DES). */
  readonly blockSize: number;
  /** Encrypts every item; src lengths must be multiples of blockSize and dst at least as long. */
  encryptBatch(ivs: readonly Uint8Array[], src: readonly Uint8Array[], dst: readonly Uint8Array[]): CryptoResult<void>;
  /** Decrypts every item, same rules as encryptBatch. */
  decryptBatch(ivs: readonly Uint8Array[], src: readonly Uint8Array[], dst: readonly Uint8Array[]): CryptoResult<void>;
  /** Encrypts one buffer into a new array. */
  encrypt(iv: Uint8Array, data: Uint8Array): CryptoResult<Uint8Array>;
  /** Decrypts one buffer into a new array. */
  decrypt(iv: Uint8Array, data: Uint8Array): CryptoResult<Uint8Array>;
}

/** AEAD names (IKEv2/FlexVPN encr aes-gcm-128/256). */
export type AeadAlgorithm = "aes-128-gcm" | "aes-192-gcm" | "aes-256-gcm";

/**
 * AES-GCM under one key. Batch seal writes ciphertext to dst[i] and the tag to
 * tags[i]; batch open checks tags[i] in constant time and writes plaintext only
 * for items that authenticate, answering one boolean per item.
 */
export interface AeadCipher {
  readonly algorithm: AeadAlgorithm;
  /** Tag length in bytes (16 by default; 8 and 12 for ESP ICVs per RFC 4106). */
  readonly tagLength: number;
  sealBatch(
    nonces: readonly Uint8Array[],
    aads: readonly Uint8Array[],
    src: readonly Uint8Array[],
    dst: readonly Uint8Array[],
    tags: readonly Uint8Array[],
  ): CryptoResult<void>;
  openBatch(
    nonces: readonly Uint8Array[],
    aads: readonly Uint8Array[],
    src: readonly Uint8Array[],
    tags: readonly Uint8Array[],
    dst: readonly Uint8Array[],
  ): CryptoResult<boolean[]>;
  /** Encrypts one message; returns ciphertext || tag. */
  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): CryptoResult<Uint8Array>;
  /** Decrypts ciphertext || tag; fails with authFailed when the tag does not match. */
  open(nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): CryptoResult<Uint8Array>;
}

/** Hash names as used by node:crypto. */
export type HashAlgorithm = "md5" | "sha1" | "sha256" | "sha384" | "sha512";

/** Digest length in bytes per algorithm. */
export const DIGEST_LENGTH: Readonly<Record<HashAlgorithm, number>> = {
  md5: 16,
  sha1: 20,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/** Block length in bytes per algorithm. */
export const BLOCK_LENGTH: Readonly<Record<HashAlgorithm, number>> = {
  md5: 64,
  sha1: 64,
  sha256: 64,
  sha384: 128,
  sha512: 128,
};

/**
 * ESP ICV length in bytes per HMAC: 96 bits for HMAC-MD5-96 and HMAC-SHA1-96
 * (RFC 2403, RFC 2404), half the digest for HMAC-SHA-256/384/512 (RFC 4868).
 */
export const ICV_LENGTH: Readonly<Record<HashAlgorithm, number>> = {
  md5: 12,
  sha1: 12,
  sha256: 16,
  sha384: 24,
  sha512: 32,
};

/** A hash over many independent buffers per call. */
export interface BatchHash {
  readonly algorithm: HashAlgorithm;
  readonly digestLength: number;
  /** Hashes src[i] into out[i] (out[i] at least digestLength bytes). */
  digestBatch(src: readonly Uint8Array[], out: readonly Uint8Array[]): CryptoResult<void>;
  /** Hashes one buffer. */
  digest(data: Uint8Array): Uint8Array;
}

/**
 * HMAC under one key whose inner and outer states are computed once; the output
 * is truncated to outputLength bytes (e.g. ICV_LENGTH for ESP).
 */
export interface Mac {
  readonly algorithm: HashAlgorithm;
  readonly outputLength: number;
  /** MACs src[i] into out[i] (out[i] at least outputLength bytes). */
  macBatch(src: readonly Uint8Array[], out: readonly Uint8Array[]): CryptoResult<void>;
  /** MACs one buffer. */
  mac(data: Uint8Array): Uint8Array;
  /** Compares the MAC of data with icv in constant time (icv must be outputLength bytes). */
  verify(data: Uint8Array, icv: Uint8Array): boolean;
}
