// Encryption of ISAKMP message bodies after the key exchange (RFC 2408 section
// 3.1 "E" flag, RFC 2409 appendix B): DES-CBC, 3DES-CBC (EDE3) or AES-CBC over
// everything after the 28-byte ISAKMP header. The body is zero-padded to the
// block size (RFC 2408 section 3.5 allows zero padding) and then CBC-encrypted
// without further padding; the next IV is the last ciphertext block, which is
// how IKEv1 chains IVs across the messages of an exchange. Also the DES weak and
// semi-weak key check (FIPS 74 / Schneier) that RFC 2409 asks for on derived
// DES keys. Control plane only, so node:crypto does the block cipher; nothing
// here throws.
import { createCipheriv, createDecipheriv } from "node:crypto";

/** A phase-1 cipher as the ISAKMP encryption and key length attributes give it. */
export interface IkeCipher {
  algorithm: "des" | "3des" | "aes";
  /** 64 for DES, 192 for 3DES (parity bits included), 128/192/256 for AES. */
  keyBits: number;
}

/** Why a body could not be processed. */
export type IsakmpCipherError = "badLength" | "badKeySize" | "badIvSize";

/** Block (and IV) size in bytes: 8 for DES/3DES, 16 for AES. */
export function ikeCipherBlockSize(c: IkeCipher): number {
  return c.algorithm === "aes" ? 16 : 8;
}

/** Key size in bytes: 8 (DES), 24 (3DES), 16/24/32 (AES); 0 for a combination that does not exist. */
export function ikeCipherKeyBytes(c: IkeCipher): number {
  switch (c.algorithm) {
    case "des":
      return c.keyBits === 64 ? 8 : 0;
    case "3des":
      return c.keyBits === 192 ? 24 : 0;
    case "aes":
      return c.keyBits === 128 || c.keyBits === 192 || c.keyBits === 256 ? c.keyBits / 8 : 0;
    default:
      return 0;
  }
}

function nodeCipherName(c: IkeCipher): string | null {
  if (ikeCipherKeyBytes(c) === 0) return null;
  if (c.algorithm === "des") return "des-cbc";
  if (c.algorithm === "3des") return "des-ede3-cbc";
  return `aes-${c.keyBits}-cbc`;
}

function checkKeyAndIv(c: IkeCipher, key: Uint8Array, iv: Uint8Array): IsakmpCipherError | null {
  const keyBytes = ikeCipherKeyBytes(c);
  if (keyBytes === 0 || key.length !== keyBytes) return "badKeySize";
  if (iv.length !== ikeCipherBlockSize(c)) return "badIvSize";
  return null;
}

/**
 * Result of encrypting a body. Both outcomes carry ciphertext and nextIv so
 * callers can destructure; a refusal (wrong key or IV size, which only a
 * programming error produces) gives an empty ciphertext and the IV unchanged.
 */
export type IsakmpEncryptResult =
  | { ok: true; ciphertext: Uint8Array; nextIv: Uint8Array }
  | { ok: false; reason: IsakmpCipherError; ciphertext: Uint8Array; nextIv: Uint8Array };

/** Result of decrypting a body: the plaintext still carries its padding (ISAKMP lengths say where payloads end). */
export type IsakmpDecryptResult =
  | { ok: true; plaintext: Uint8Array; nextIv: Uint8Array }
  | { ok: false; reason: IsakmpCipherError };

/** Zero-pads plaintext to a whole number of blocks (at least one) and CBC-encrypts it. */
export function encryptIsakmpBody(
  cipher: IkeCipher,
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
): IsakmpEncryptResult {
  const refused = checkKeyAndIv(cipher, key, iv);
  if (refused) return { ok: false, reason: refused, ciphertext: new Uint8Array(0), nextIv: iv.slice() };
  const block = ikeCipherBlockSize(cipher);
  const padded = new Uint8Array(Math.max(block, Math.ceil(plaintext.length / block) * block));
  padded.set(plaintext);
  try {
    const c = createCipheriv(nodeCipherName(cipher)!, key, iv).setAutoPadding(false);
    const ciphertext = concat(c.update(padded), c.final());
    return { ok: true, ciphertext, nextIv: ciphertext.slice(ciphertext.length - block) };
  } catch {
    return { ok: false, reason: "badKeySize", ciphertext: new Uint8Array(0), nextIv: iv.slice() };
  }
}

/** CBC-decrypts a body; badLength when it is empty or not whole blocks. Never throws. */
export function decryptIsakmpBody(
  cipher: IkeCipher,
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
): IsakmpDecryptResult {
  const refused = checkKeyAndIv(cipher, key, iv);
  if (refused) return { ok: false, reason: refused };
  const block = ikeCipherBlockSize(cipher);
  if (ciphertext.length === 0 || ciphertext.length % block !== 0) return { ok: false, reason: "badLength" };
  try {
    const d = createDecipheriv(nodeCipherName(cipher)!, key, iv).setAutoPadding(false);
    const plaintext = concat(d.update(ciphertext), d.final());
    return { ok: true, plaintext, nextIv: ciphertext.slice(ciphertext.length - block) };
  } catch {
    return { ok: false, reason: "badKeySize" };
  }
}

// The 4 weak and 12 semi-weak DES keys (FIPS 74 section 3.6; Schneier, Applied
// Cryptography 2nd ed. section 12.3), with odd parity as usually printed.
const WEAK_DES_KEYS_HEX = [
  "0101010101010101",
  "fefefefefefefefe",
  "e0e0e0e0f1f1f1f1",
  "1f1f1f1f0e0e0e0e",
  "01fe01fe01fe01fe",
  "fe01fe01fe01fe01",
  "1fe01fe00ef10ef1",
  "e01fe01ff10ef10e",
  "01e001e001f101f1",
  "e001e001f101f101",
  "1ffe1ffe0efe0efe",
  "fe1ffe1ffe0efe0e",
  "011f011f010e010e",
  "1f011f010e010e01",
  "e0fee0fef1fef1fe",
  "fee0fee0fef1fef1",
];

/** The weak (first 4) and semi-weak DES keys, parity bits as printed in FIPS 74. */
export const WEAK_DES_KEYS: readonly Uint8Array[] = WEAK_DES_KEYS_HEX.map((h) =>
  Uint8Array.from(Buffer.from(h, "hex")),
);

/** The 56 key bits of an 8-byte DES key with the parity bits (bit 0 of each byte) cleared, as a string key. */
function keyBits(key: Uint8Array, offset: number): string {
  let s = "";
  for (let i = 0; i < 8; i++) s += String.fromCharCode(key[offset + i]! & 0xfe);
  return s;
}

const WEAK_SET = new Set(WEAK_DES_KEYS.map((k) => keyBits(k, 0)));

/** True for a weak or semi-weak DES key (parity bits ignored); false for anything not 8 bytes long. */
export function isWeakDesKey(key: Uint8Array): boolean {
  return key.length === 8 && WEAK_SET.has(keyBits(key, 0));
}

/**
 * True when a derived key must not be used: a weak or semi-weak DES key; for
 * 3DES any of the three DES keys weak or semi-weak, or K1 = K2 or K2 = K3
 * (EDE3 then collapses to single DES, RFC 2451 section 2.3). AES keys are never
 * weak; a key of the wrong size counts as weak.
 */
export function ikeCipherKeyIsWeak(cipher: IkeCipher, key: Uint8Array): boolean {
  const keyBytes = ikeCipherKeyBytes(cipher);
  if (keyBytes === 0 || key.length !== keyBytes) return true;
  if (cipher.algorithm === "des") return isWeakDesKey(key);
  if (cipher.algorithm === "3des") {
    const [k1, k2, k3] = [keyBits(key, 0), keyBits(key, 8), keyBits(key, 16)];
    return WEAK_SET.has(k1) || WEAK_SET.has(k2) || WEAK_SET.has(k3) || k1 === k2 || k2 === k3;
  }
  return false;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
