// Input checks shared by the AES-GCM implementations (SP 800-38D §5.2.1.1:
// IV of at least one byte; tags of 4..16 bytes, ESP uses 8, 12 or 16 per RFC 4106).
import { type CryptoResult, cryptoFail, cryptoOk } from "./types.ts";

/** Algorithm for an AES-GCM key length, or null. */
export function gcmAlgorithm(keyLength: number): "aes-128-gcm" | "aes-192-gcm" | "aes-256-gcm" | null {
  return keyLength === 16 ? "aes-128-gcm" : keyLength === 24 ? "aes-192-gcm" : keyLength === 32 ? "aes-256-gcm" : null;
}

/** Checks a tag length: 4, 8 or 12..16 bytes. */
export function checkTagLength(primitive: string, tagLength: number): CryptoResult<void> {
  const okLen = tagLength === 4 || tagLength === 8 || (tagLength >= 12 && tagLength <= 16);
  return okLen
    ? cryptoOk(undefined)
    : cryptoFail(primitive, "badTagSize", `tag length ${tagLength} not in {4, 8, 12..16}`);
}

/** Checks parallel batch arrays for seal/open. */
export function checkAeadBatch(
  primitive: string,
  tagLength: number,
  nonces: readonly Uint8Array[],
  aads: readonly Uint8Array[],
  src: readonly Uint8Array[],
  dst: readonly Uint8Array[],
  tags: readonly Uint8Array[],
  opening: boolean,
): CryptoResult<void> {
  const n = src.length;
  if (nonces.length !== n || aads.length !== n || dst.length !== n || tags.length !== n) {
    return cryptoFail(primitive, "badCount", "nonces, aads, src, dst and tags must have the same number of items");
  }
  for (let i = 0; i < n; i++) {
    if (nonces[i]!.length < 1) return cryptoFail(primitive, "badIvSize", `item ${i}: empty nonce`);
    if (dst[i]!.length < src[i]!.length)
      return cryptoFail(primitive, "bufferTooShort", `item ${i}: dst shorter than src`);
    const t = tags[i]!.length;
    if (opening ? t !== tagLength : t < tagLength)
      return cryptoFail(primitive, "badTagSize", `item ${i}: tag buffer ${t} bytes, tag is ${tagLength}`);
  }
  return cryptoOk(undefined);
}
