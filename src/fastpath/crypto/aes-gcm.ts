// AES-GCM (SP 800-38D) on the Wasm fast path (wasm/assembly/crypto-aes.ts):
// one key per instance; batches of {iv, aad, src, dst, tag} items per call.
// Opening checks each tag in constant time inside Wasm and writes plaintext only
// for items that authenticate.
import { checkAeadBatch, checkTagLength, gcmAlgorithm } from "./aead-check.ts";
import { type KeyedArena, keyedArena } from "./cbc-wasm.ts";
import { type AeadAlgorithm, type AeadCipher, type CryptoResult, cryptoFail, cryptoOk } from "./types.ts";
import type { WasmArena } from "./wasm-instance.ts";

interface GcmExports {
  setKey(ptr: number, len: number): number;
  gcmSeal(table: number, n: number, tagLen: number): number;
  gcmOpen(table: number, n: number, tagLen: number, status: number): number;
}

const al = (n: number) => (n + 15) & ~15;

/** AES-GCM-128/192/256 in WebAssembly. */
export class AesGcmWasm implements AeadCipher {
  private constructor(
    readonly algorithm: AeadAlgorithm,
    readonly tagLength: number,
    private readonly keyed: KeyedArena<GcmExports>,
  ) {}

  /** The pooled instance holding this key (taken again for each call). */
  private get arena(): WasmArena<GcmExports> {
    return this.keyed.get();
  }

  /** Expands the key and H once; key 16/24/32 bytes, tagLength 4, 8 or 12..16 (default 16). */
  static create(key: Uint8Array, tagLength = 16): CryptoResult<AesGcmWasm> {
    const algorithm = gcmAlgorithm(key.length);
    if (!algorithm) return cryptoFail("aes-gcm", "badKeySize", `AES key is ${key.length} bytes, need 16, 24 or 32`);
    const t = checkTagLength(algorithm, tagLength);
    if (!t.ok) return t;
    const arena = keyedArena<GcmExports>("crypto-aes", key);
    if (!arena) return cryptoFail(algorithm, "badKeySize", "wasm refused the key");
    return cryptoOk(new AesGcmWasm(algorithm, tagLength, arena));
  }

  /** Copies the batch in; returns the table offset. Items: {iv, ivLen, aad, aadLen, src, dst, len, tag}. */
  private layout(
    nonces: readonly Uint8Array[],
    aads: readonly Uint8Array[],
    src: readonly Uint8Array[],
    tags: readonly Uint8Array[] | null,
  ): number {
    const n = src.length,
      a = this.arena;
    let total = n * 32 + al(n) + n * 16;
    for (let i = 0; i < n; i++) total += al(nonces[i]!.length) + al(aads[i]!.length) + al(src[i]!.length);
    a.reset();
    const table = a.alloc(total);
    const u8 = a.u8,
      u32 = a.u32;
    let at = table + n * 32 + al(n);
    const put = (b: Uint8Array) => {
      u8.set(b, at);
      const p = at;
      at += al(b.length);
      return p;
    };
    for (let i = 0; i < n; i++) {
      const w = (table >> 2) + i * 8;
      u32[w] = put(nonces[i]!);
      u32[w + 1] = nonces[i]!.length;
      u32[w + 2] = put(aads[i]!);
      u32[w + 3] = aads[i]!.length;
      const s = put(src[i]!);
      u32[w + 4] = s;
      u32[w + 5] = s;
      u32[w + 6] = src[i]!.length;
      u32[w + 7] = at;
      if (tags) u8.set(tags[i]!.subarray(0, this.tagLength), at);
      at += 16;
    }
    return table;
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
    const table = this.layout(nonces, aads, src, null);
    const rc = this.arena.exports.gcmSeal(table, src.length, this.tagLength);
    if (rc !== 0) return cryptoFail(this.algorithm, "badLength", `wasm refused the batch (status ${rc})`);
    const u8 = this.arena.u8,
      u32 = this.arena.u32;
    for (let i = 0; i < src.length; i++) {
      const w = (table >> 2) + i * 8;
      dst[i]!.set(u8.subarray(u32[w + 5]!, u32[w + 5]! + src[i]!.length));
      tags[i]!.set(u8.subarray(u32[w + 7]!, u32[w + 7]! + this.tagLength));
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
    const n = src.length;
    const table = this.layout(nonces, aads, src, tags);
    const status = table + n * 32;
    const rc = this.arena.exports.gcmOpen(table, n, this.tagLength, status);
    if (rc < 0) return cryptoFail(this.algorithm, "badLength", `wasm refused the batch (status ${rc})`);
    const u8 = this.arena.u8,
      u32 = this.arena.u32;
    const ok: boolean[] = [];
    for (let i = 0; i < n; i++) {
      const good = u8[status + i] === 0;
      ok.push(good);
      const w = (table >> 2) + i * 8;
      if (good) dst[i]!.set(u8.subarray(u32[w + 5]!, u32[w + 5]! + src[i]!.length));
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
