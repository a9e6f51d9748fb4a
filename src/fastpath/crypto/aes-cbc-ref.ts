// Reference AES-CBC behind the CbcCipher interface, on @noble/ciphers (audited
// TypeScript AES, FIPS-197) with padding disabled as ESP needs.
import { cbc } from "@noble/ciphers/aes.js";
import { aesCbcAlgorithm } from "./aes-cbc.ts";
import { checkCbcBatch } from "./cbc-check.ts";
import { type CbcAlgorithm, type CbcCipher, type CryptoResult, cryptoFail, cryptoOk } from "./types.ts";

/** AES-CBC in TypeScript (@noble/ciphers); key length picks AES-128/192/256. */
export class AesCbcRef implements CbcCipher {
  readonly blockSize = 16;
  private constructor(
    readonly algorithm: CbcAlgorithm,
    private readonly key: Uint8Array,
  ) {}

  /** Refuses key lengths other than 16, 24 or 32 bytes. */
  static create(key: Uint8Array): CryptoResult<AesCbcRef> {
    const algorithm = aesCbcAlgorithm(key.length);
    if (!algorithm) return cryptoFail("aes-cbc", "badKeySize", `AES key is ${key.length} bytes, need 16, 24 or 32`);
    return cryptoOk(new AesCbcRef(algorithm, Uint8Array.from(key)));
  }

  encryptBatch(ivs: readonly Uint8Array[], src: readonly Uint8Array[], dst: readonly Uint8Array[]): CryptoResult<void> {
    const checked = checkCbcBatch(this.algorithm, 16, ivs, src, dst);
    if (!checked.ok) return checked;
    for (let i = 0; i < src.length; i++) dst[i]!.set(cbc(this.key, ivs[i]!, { disablePadding: true }).encrypt(src[i]!));
    return cryptoOk(undefined);
  }

  decryptBatch(ivs: readonly Uint8Array[], src: readonly Uint8Array[], dst: readonly Uint8Array[]): CryptoResult<void> {
    const checked = checkCbcBatch(this.algorithm, 16, ivs, src, dst);
    if (!checked.ok) return checked;
    for (let i = 0; i < src.length; i++) dst[i]!.set(cbc(this.key, ivs[i]!, { disablePadding: true }).decrypt(src[i]!));
    return cryptoOk(undefined);
  }

  encrypt(iv: Uint8Array, data: Uint8Array): CryptoResult<Uint8Array> {
    const out = new Uint8Array(data.length);
    const r = this.encryptBatch([iv], [data], [out]);
    return r.ok ? cryptoOk(out) : r;
  }

  decrypt(iv: Uint8Array, data: Uint8Array): CryptoResult<Uint8Array> {
    const out = new Uint8Array(data.length);
    const r = this.decryptBatch([iv], [data], [out]);
    return r.ok ? cryptoOk(out) : r;
  }
}
