// The Wasm CBC engine shared by AES and DES/3DES: both modules export the same
// batch ABI (setKey, cbcEncrypt, cbcDecrypt over a table of {src, dst, len, iv}
// u32 items). The wrapper checks inputs, copies the batch into linear memory,
// runs it in place and copies the results out.
import { checkCbcBatch } from "./cbc-check.ts";
import { type CbcAlgorithm, type CbcCipher, type CryptoResult, cryptoFail, cryptoOk } from "./types.ts";
import { arenaPool, type WasmArena } from "./wasm-instance.ts";

/** Exports of crypto-aes.wasm and crypto-des.wasm used for CBC. */
export interface CbcExports {
  setKey(ptr: number, len: number): number;
  cbcEncrypt(table: number, n: number): number;
  cbcDecrypt(table: number, n: number): number;
}

/** A key for a module's pooled instances: each use gets an instance holding this key's schedule. */
export class KeyedArena<E extends { setKey(ptr: number, len: number): number }> {
  constructor(
    private readonly module: string,
    private readonly key: Uint8Array,
  ) {}

  /** An instance loaded with the key, or null when the module refuses it. */
  tryGet(): WasmArena<E> | null {
    return arenaPool<E>(this.module).acquire(this, (arena) => {
      arena.reset();
      const at = arena.put(this.key);
      const rc = arena.exports.setKey(at, this.key.length);
      arena.u8.fill(0, at, at + this.key.length); // no key bytes left in scratch memory
      return rc === 0;
    });
  }

  /** An instance loaded with the key (accepted once already, so it is again). */
  get(): WasmArena<E> {
    const arena = this.tryGet();
    if (arena === null) throw new Error(`${this.module}: the module refused a key it took before`);
    return arena;
  }
}

/** A key for the module's instances; null when the module refuses the key. */
export function keyedArena<E extends { setKey(ptr: number, len: number): number }>(
  module: string,
  key: Uint8Array,
): KeyedArena<E> | null {
  const keyed = new KeyedArena<E>(module, key.slice());
  return keyed.tryGet() === null ? null : keyed;
}

/** CBC over a Wasm module instance holding one key schedule. */
export class CbcWasm implements CbcCipher {
  constructor(
    readonly algorithm: CbcAlgorithm,
    readonly blockSize: number,
    private readonly keyed: KeyedArena<CbcExports>,
  ) {}

  /** The pooled instance holding this key (taken again for each call). */
  private get arena(): WasmArena<CbcExports> {
    return this.keyed.get();
  }

  encryptBatch(ivs: readonly Uint8Array[], src: readonly Uint8Array[], dst: readonly Uint8Array[]): CryptoResult<void> {
    return this.run(true, ivs, src, dst);
  }

  decryptBatch(ivs: readonly Uint8Array[], src: readonly Uint8Array[], dst: readonly Uint8Array[]): CryptoResult<void> {
    return this.run(false, ivs, src, dst);
  }

  encrypt(iv: Uint8Array, data: Uint8Array): CryptoResult<Uint8Array> {
    const out = new Uint8Array(data.length);
    const r = this.run(true, [iv], [data], [out]);
    return r.ok ? cryptoOk(out) : r;
  }

  decrypt(iv: Uint8Array, data: Uint8Array): CryptoResult<Uint8Array> {
    const out = new Uint8Array(data.length);
    const r = this.run(false, [iv], [data], [out]);
    return r.ok ? cryptoOk(out) : r;
  }

  private run(
    enc: boolean,
    ivs: readonly Uint8Array[],
    src: readonly Uint8Array[],
    dst: readonly Uint8Array[],
  ): CryptoResult<void> {
    const checked = checkCbcBatch(this.algorithm, this.blockSize, ivs, src, dst);
    if (!checked.ok) return checked;
    const n = src.length;
    const bs = this.blockSize;
    let total = n * 16 + n * ((bs + 15) & ~15);
    for (let i = 0; i < n; i++) total += (src[i]!.length + 15) & ~15;
    const a = this.arena;
    a.reset();
    const table = a.alloc(total);
    const u8 = a.u8,
      u32 = a.u32;
    let at = table + n * 16;
    for (let i = 0; i < n; i++) {
      const s = src[i]!;
      const w = (table >> 2) + i * 4;
      u8.set(ivs[i]!, at);
      u32[w + 3] = at;
      at += (bs + 15) & ~15;
      u8.set(s, at);
      u32[w] = at;
      u32[w + 1] = at;
      u32[w + 2] = s.length;
      at += (s.length + 15) & ~15;
    }
    const rc = enc ? a.exports.cbcEncrypt(table, n) : a.exports.cbcDecrypt(table, n);
    if (rc !== 0) return cryptoFail(this.algorithm, "badLength", `wasm refused the batch (status ${rc})`);
    for (let i = 0; i < n; i++) {
      const off = u32[(table >> 2) + i * 4]!;
      dst[i]!.set(u8.subarray(off, off + src[i]!.length));
    }
    return cryptoOk(undefined);
  }
}
