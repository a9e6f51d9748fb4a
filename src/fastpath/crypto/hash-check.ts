// Input checks shared by every hash and HMAC implementation.
import { type CryptoResult, cryptoFail, cryptoOk } from "./types.ts";

/** Checks parallel src/out arrays: same count and room for outLen bytes in each out. */
export function checkDigestBatch(
  primitive: string,
  outLen: number,
  src: readonly Uint8Array[],
  out: readonly Uint8Array[],
): CryptoResult<void> {
  if (out.length !== src.length) return cryptoFail(primitive, "badCount", `src ${src.length}, out ${out.length} items`);
  for (let i = 0; i < out.length; i++) {
    if (out[i]!.length < outLen)
      return cryptoFail(primitive, "bufferTooShort", `item ${i}: out ${out[i]!.length} bytes < ${outLen}`);
  }
  return cryptoOk(undefined);
}

/** Checks an HMAC output length: 1..digestLength bytes. */
export function checkMacLength(primitive: string, outLen: number, digestLength: number): CryptoResult<void> {
  if (!Number.isInteger(outLen) || outLen < 1 || outLen > digestLength) {
    return cryptoFail(primitive, "badLength", `output length ${outLen} outside 1..${digestLength}`);
  }
  return cryptoOk(undefined);
}

/** Constant-time equality of two byte arrays of equal length (false when lengths differ). */
export function equalConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
