// Reference AES-GCM behind the AeadCipher interface, on @noble/ciphers (audited
// TypeScript GCM, SP 800-38D). Truncated tags are the leading bytes of the full
// tag (SP 800-38D §7.1 step 7, MSB_t), compared in constant time.
import { gcm } from "@noble/ciphers/aes.js";
import { checkAeadBatch, checkTagLength, gcmAlgorithm } from "./aead-check.ts";
import { equalConstantTime } from "./hash-check.ts";
import { type AeadAlgorithm, type AeadCipher, type CryptoResult, cryptoFail, cryptoOk } from "./types.ts";

/** AES-GCM in TypeScript (@noble/ciphers). */
export class AesGcmRef implements AeadCipher {
  private constructor(
    readonly algorithm: AeadAlgorithm,
    readonly tagLength: number,
    private readonly key: Uint8Array,
  ) {}

  /** Key 16/24/32 bytes, tagLength 4, 8 or 12..16 (default 16). */
  static create(key: Uint8Array, tagLength = 16): CryptoResult<AesGcmRef> {
    const algorithm = gcmAlgorithm(key.length);
    if (!algorithm) return cryptoFail("aes-gcm", "badKeySize", `AES key is ${key.length} bytes, need 16, 24 or 32`);
    const t = checkTagLength(algorithm, tagLength);
    if (!t.ok) return t;
    return cryptoOk(new AesGcmRef(algorithm, tagLength, Uint8Array.from(key)));
  }

  sealBatch(
    nonces: readonly Uint8Array[],
    aads: readonly Uint8Array[],
    src: readonly Uint8Array[],
    dst: readonly Uint8Array[],
    tags: readonly Uint8Array[],
  ): CryptoResult<void> {
    const checked = checkAeadBatch(this.algorithm, this.tagLength, nonces, aads, src, dst, tags, false);
    if (!checked.ok) return checked;
    for (let i = 0; i < src.length; i++) {
      const out = gcm(this.key, nonces[i]!, aads[i]!).encrypt(src[i]!);
      const len = src[i]!.length;
      dst[i]!.set(out.subarray(0, len));
      tags[i]!.set(out.subarray(len, len + this.tagLength));
    }
    return cryptoOk(undefined);
  }

  openBatch(
    nonces: readonly Uint8Array[],
    aads: readonly Uint8Array[],
    src: readonly Uint8Array[],
    tags: readonly Uint8Array[],
    dst: readonly Uint8Array[],
  ): CryptoResult<boolean[]> {
    const checked = checkAeadBatch(this.algorithm, this.tagLength, nonces, aads, src, dst, tags, true);
    if (!checked.ok) return checked;
    const ok: boolean[] = [];
    for (let i = 0; i < src.length; i++) {
      // Recompute the tag by sealing the recovered plaintext (CTR is its own inverse).
      const len = src[i]!.length;
      const pt = gcm(this.key, nonces[i]!, aads[i]!).encrypt(src[i]!).subarray(0, len);
      const again = gcm(this.key, nonces[i]!, aads[i]!).encrypt(pt);
      const good = equalConstantTime(again.subarray(len, len + this.tagLength), tags[i]!);
      if (good) dst[i]!.set(pt);
      ok.push(good);
    }
    return cryptoOk(ok);
  }

  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): CryptoResult<Uint8Array> {
    const out = new Uint8Array(plaintext.length + this.tagLength);
    const r = this.sealBatch(
      [nonce],
      [aad],
      [plaintext],
      [out.subarray(0, plaintext.length)],
      [out.subarray(plaintext.length)],
    );
    return r.ok ? cryptoOk(out) : r;
  }

  open(nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): CryptoResult<Uint8Array> {
    if (sealed.length < this.tagLength)
      return cryptoFail(
        this.algorithm,
        "bufferTooShort",
        `sealed input ${sealed.length} bytes < tag ${this.tagLength}`,
      );
    const len = sealed.length - this.tagLength;
    const out = new Uint8Array(len);
    const r = this.openBatch([nonce], [aad], [sealed.subarray(0, len)], [sealed.subarray(len)], [out]);
    if (!r.ok) return r;
    return r.value[0] ? cryptoOk(out) : cryptoFail(this.algorithm, "authFailed", "tag mismatch");
  }
}
