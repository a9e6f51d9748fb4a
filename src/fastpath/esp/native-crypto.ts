// node:crypto (BoringSSL in Bun, AES-NI and SHA extensions where the CPU has
// them) behind the CbcCipher and Mac interfaces, used per packet the way a
// TypeScript router would: createCipheriv with padding off, and createHmac,
// once per packet. This is the `native` ESP/AH backend.
import * as nodeCrypto from "node:crypto";
import { checkCbcBatch } from "../crypto/cbc-check.ts";
import { checkDigestBatch } from "../crypto/hash-check.ts";
import {
  type CbcAlgorithm,
  type CbcCipher,
  type CryptoResult,
  cryptoOk,
  type HashAlgorithm,
  type Mac,
} from "../crypto/types.ts";
import { CIPHER_BLOCK } from "./wire.ts";

/** A plain Uint8Array view of a Buffer (so results compare equal to Uint8Arrays). */
function view(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** CBC without padding through node:crypto, one cipher object per call. The key length must suit the algorithm. */
export class NodeCbc implements CbcCipher {
  readonly blockSize: number;
  private readonly key: Uint8Array;

  constructor(
    readonly algorithm: CbcAlgorithm,
    key: Uint8Array,
  ) {
    this.blockSize = CIPHER_BLOCK[algorithm];
    this.key = Uint8Array.from(key);
  }

  private run(enc: boolean, iv: Uint8Array, data: Uint8Array): Uint8Array {
    const c = enc
      ? nodeCrypto.createCipheriv(this.algorithm, this.key, iv)
      : nodeCrypto.createDecipheriv(this.algorithm, this.key, iv);
    c.setAutoPadding(false);
    const out = c.update(data);
    c.final();
    return view(out);
  }

  encryptBatch(ivs: readonly Uint8Array[], src: readonly Uint8Array[], dst: readonly Uint8Array[]): CryptoResult<void> {
    const checked = checkCbcBatch(this.algorithm, this.blockSize, ivs, src, dst);
    if (!checked.ok) return checked;
    for (let i = 0; i < src.length; i++) dst[i]!.set(this.run(true, ivs[i]!, src[i]!));
    return cryptoOk(undefined);
  }

  decryptBatch(ivs: readonly Uint8Array[], src: readonly Uint8Array[], dst: readonly Uint8Array[]): CryptoResult<void> {
    const checked = checkCbcBatch(this.algorithm, this.blockSize, ivs, src, dst);
    if (!checked.ok) return checked;
    for (let i = 0; i < src.length; i++) dst[i]!.set(this.run(false, ivs[i]!, src[i]!));
    return cryptoOk(undefined);
  }

  encrypt(iv: Uint8Array, data: Uint8Array): CryptoResult<Uint8Array> {
    const checked = checkCbcBatch(this.algorithm, this.blockSize, [iv], [data], [data]);
    return checked.ok ? cryptoOk(this.run(true, iv, data)) : checked;
  }

  decrypt(iv: Uint8Array, data: Uint8Array): CryptoResult<Uint8Array> {
    const checked = checkCbcBatch(this.algorithm, this.blockSize, [iv], [data], [data]);
    return checked.ok ? cryptoOk(this.run(false, iv, data)) : checked;
  }
}

/** HMAC through node:crypto, one Hmac object per message, truncated to outputLength. */
export class NodeHmac implements Mac {
  private readonly key: Uint8Array;

  constructor(
    readonly algorithm: HashAlgorithm,
    key: Uint8Array,
    readonly outputLength: number,
  ) {
    this.key = Uint8Array.from(key);
  }

  macBatch(src: readonly Uint8Array[], out: readonly Uint8Array[]): CryptoResult<void> {
    const checked = checkDigestBatch(`hmac-${this.algorithm}`, this.outputLength, src, out);
    if (!checked.ok) return checked;
    for (let i = 0; i < src.length; i++) out[i]!.set(this.mac(src[i]!));
    return cryptoOk(undefined);
  }

  mac(data: Uint8Array): Uint8Array {
    return view(nodeCrypto.createHmac(this.algorithm, this.key).update(data).digest()).subarray(0, this.outputLength);
  }

  verify(data: Uint8Array, icv: Uint8Array): boolean {
    return icv.length === this.outputLength && nodeCrypto.timingSafeEqual(this.mac(data), icv);
  }
}
