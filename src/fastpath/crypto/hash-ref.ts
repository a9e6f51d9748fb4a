// Reference hashes and HMAC behind the same interfaces as the Wasm ones, built
// on @noble/hashes (audited TypeScript: md5/sha1 from legacy.js, SHA-2 from
// sha2.js, RFC 2104 HMAC from hmac.js). HMAC keeps noble's keyed instance and
// clones it per message, which is noble's own form of ipad/opad precomputation.
import { hmac } from "@noble/hashes/hmac.js";
import { md5, sha1 } from "@noble/hashes/legacy.js";
import { sha256, sha384, sha512 } from "@noble/hashes/sha2.js";
import { checkDigestBatch, checkMacLength, equalConstantTime } from "./hash-check.ts";
import {
  type BatchHash,
  type CryptoResult,
  cryptoFail,
  cryptoOk,
  DIGEST_LENGTH,
  type HashAlgorithm,
  type Mac,
} from "./types.ts";

const NOBLE = { md5, sha1, sha256, sha384, sha512 } as const;

/** A hash over batches of buffers in TypeScript (@noble/hashes). */
export class HashRef implements BatchHash {
  readonly digestLength: number;

  /** Creates an instance for one algorithm. */
  constructor(readonly algorithm: HashAlgorithm) {
    this.digestLength = DIGEST_LENGTH[algorithm];
  }

  digestBatch(src: readonly Uint8Array[], out: readonly Uint8Array[]): CryptoResult<void> {
    const checked = checkDigestBatch(this.algorithm, this.digestLength, src, out);
    if (!checked.ok) return checked;
    for (let i = 0; i < src.length; i++) out[i]!.set(NOBLE[this.algorithm](src[i]!));
    return cryptoOk(undefined);
  }

  digest(data: Uint8Array): Uint8Array {
    return NOBLE[this.algorithm](data);
  }
}

/** HMAC in TypeScript (@noble/hashes), truncated to outputLength. */
export class HmacRef implements Mac {
  private constructor(
    readonly algorithm: HashAlgorithm,
    readonly outputLength: number,
    private readonly keyed: ReturnType<typeof hmac.create>,
  ) {}

  /** Keys an HMAC; outputLength defaults to the full digest. */
  static create(
    algorithm: HashAlgorithm,
    key: Uint8Array,
    outputLength = DIGEST_LENGTH[algorithm],
  ): CryptoResult<HmacRef> {
    const name = `hmac-${algorithm}`;
    if (!(algorithm in NOBLE)) return cryptoFail(name, "badLength", `unknown hash ${algorithm}`);
    const len = checkMacLength(name, outputLength, DIGEST_LENGTH[algorithm]);
    if (!len.ok) return len;
    return cryptoOk(new HmacRef(algorithm, outputLength, hmac.create(NOBLE[algorithm], key)));
  }

  macBatch(src: readonly Uint8Array[], out: readonly Uint8Array[]): CryptoResult<void> {
    const checked = checkDigestBatch(`hmac-${this.algorithm}`, this.outputLength, src, out);
    if (!checked.ok) return checked;
    for (let i = 0; i < src.length; i++) out[i]!.set(this.mac(src[i]!));
    return cryptoOk(undefined);
  }

  mac(data: Uint8Array): Uint8Array {
    return this.keyed.clone().update(data).digest().subarray(0, this.outputLength);
  }

  verify(data: Uint8Array, icv: Uint8Array): boolean {
    return icv.length === this.outputLength && equalConstantTime(this.mac(data), icv);
  }
}
