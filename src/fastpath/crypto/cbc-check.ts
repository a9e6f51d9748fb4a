// Input checks shared by every CBC implementation, so the Wasm and reference
// ciphers refuse exactly the same inputs with the same reasons.
import { type CryptoResult, cryptoFail, cryptoOk } from "./types.ts";

/** Checks parallel batch arrays: same count, IV size, block-multiple lengths, room in dst. */
export function checkCbcBatch(
  primitive: string,
  blockSize: number,
  ivs: readonly Uint8Array[],
  src: readonly Uint8Array[],
  dst: readonly Uint8Array[],
): CryptoResult<void> {
  if (ivs.length !== src.length || dst.length !== src.length) {
    return cryptoFail(primitive, "badCount", `ivs ${ivs.length}, src ${src.length}, dst ${dst.length} items`);
  }
  for (let i = 0; i < src.length; i++) {
    const iv = ivs[i]!,
      s = src[i]!,
      d = dst[i]!;
    if (iv.length !== blockSize)
      return cryptoFail(primitive, "badIvSize", `item ${i}: IV is ${iv.length} bytes, need ${blockSize}`);
    if (s.length % blockSize !== 0)
      return cryptoFail(primitive, "badLength", `item ${i}: ${s.length} bytes is not a multiple of ${blockSize}`);
    if (d.length < s.length)
      return cryptoFail(primitive, "bufferTooShort", `item ${i}: dst ${d.length} bytes < src ${s.length}`);
  }
  return cryptoOk(undefined);
}
