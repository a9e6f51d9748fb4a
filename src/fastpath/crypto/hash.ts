// MD5, SHA-1, SHA-256/384/512 and HMAC on the Wasm fast path
// (wasm/assembly/crypto-hash.ts). HMAC instances absorb K^ipad and K^opad once
// at creation (RFC 2104 §4 note on precomputation); each batch call then MACs N
// independent buffers and writes the (optionally truncated) MACs.
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
import { arenaPool, type WasmArena } from "./wasm-instance.ts";

interface HashExports {
  setAlgorithm(a: number): number;
  hashBatch(table: number, n: number): number;
  hmacSetKey(ptr: number, len: number): number;
  hmacBatch(table: number, n: number, outLen: number): number;
}

const ALG_ID: Readonly<Record<HashAlgorithm, number>> = { md5: 0, sha1: 1, sha256: 2, sha384: 3, sha512: 4 };

/** Lays out src in the arena with a {src, len, out} table; runs fn; copies outLen bytes per item out. */
function runBatch(
  arena: WasmArena<HashExports>,
  src: readonly Uint8Array[],
  out: readonly Uint8Array[],
  outLen: number,
  fn: (table: number, n: number) => number,
): number {
  const n = src.length;
  let total = n * 12 + 16 + n * ((outLen + 15) & ~15);
  for (let i = 0; i < n; i++) total += (src[i]!.length + 15) & ~15;
  arena.reset();
  const table = arena.alloc(total);
  const u8 = arena.u8,
    u32 = arena.u32;
  let at = (table + n * 12 + 15) & ~15;
  for (let i = 0; i < n; i++) {
    const s = src[i]!;
    const w = (table >> 2) + i * 3;
    u8.set(s, at);
    u32[w] = at;
    u32[w + 1] = s.length;
    at += (s.length + 15) & ~15;
    u32[w + 2] = at;
    at += (outLen + 15) & ~15;
  }
  const rc = fn(table, n);
  if (rc !== 0) return rc;
  for (let i = 0; i < n; i++) {
    const o = u32[(table >> 2) + i * 3 + 2]!;
    out[i]!.set(u8.subarray(o, o + outLen));
  }
  return 0;
}

/** A hash over batches of buffers in WebAssembly. */
export class HashWasm implements BatchHash {
  readonly digestLength: number;

  /** Creates a hasher for one algorithm. */
  constructor(readonly algorithm: HashAlgorithm) {
    this.digestLength = DIGEST_LENGTH[algorithm];
  }

  /** A pooled instance set to this algorithm (taken again for each call). */
  private get arena(): WasmArena<HashExports> {
    return arenaPool<HashExports>("crypto-hash").acquire(this, (arena) => {
      arena.exports.setAlgorithm(ALG_ID[this.algorithm]);
      return true;
    })!;
  }

  digestBatch(src: readonly Uint8Array[], out: readonly Uint8Array[]): CryptoResult<void> {
    const checked = checkDigestBatch(this.algorithm, this.digestLength, src, out);
    if (!checked.ok) return checked;
    const arena = this.arena;
    const rc = runBatch(arena, src, out, this.digestLength, (t, n) => arena.exports.hashBatch(t, n));
    return rc === 0
      ? cryptoOk(undefined)
      : cryptoFail(this.algorithm, "badLength", `wasm refused the batch (status ${rc})`);
  }

  digest(data: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.digestLength);
    this.digestBatch([data], [out]);
    return out;
  }
}

/** HMAC in WebAssembly with the key's inner/outer states precomputed; output truncated to outputLength. */
export class HmacWasm implements Mac {
  private constructor(
    readonly algorithm: HashAlgorithm,
    readonly outputLength: number,
    private readonly key: Uint8Array,
  ) {}

  /** A pooled instance holding this key's pads (taken again for each call; null if the module refuses the key). */
  private keyedArena(): WasmArena<HashExports> | null {
    return arenaPool<HashExports>("crypto-hash").acquire(this, (arena) => {
      arena.exports.setAlgorithm(ALG_ID[this.algorithm]);
      arena.reset();
      const at = arena.put(this.key);
      const rc = arena.exports.hmacSetKey(at, this.key.length);
      arena.u8.fill(0, at, at + this.key.length); // no key bytes left in scratch memory
      return rc === 0;
    });
  }

  private get arena(): WasmArena<HashExports> {
    const arena = this.keyedArena();
    if (arena === null) throw new Error("crypto-hash: the module refused a key it took before");
    return arena;
  }

  /** Keys an HMAC; outputLength defaults to the full digest (use ICV_LENGTH for ESP). Any key length is allowed. */
  static create(
    algorithm: HashAlgorithm,
    key: Uint8Array,
    outputLength = DIGEST_LENGTH[algorithm],
  ): CryptoResult<HmacWasm> {
    const name = `hmac-${algorithm}`;
    if (!(algorithm in ALG_ID)) return cryptoFail(name, "badLength", `unknown hash ${algorithm}`);
    const len = checkMacLength(name, outputLength, DIGEST_LENGTH[algorithm]);
    if (!len.ok) return len;
    const mac = new HmacWasm(algorithm, outputLength, key.slice());
    if (mac.keyedArena() === null) return cryptoFail(name, "badKeySize", "wasm refused the key");
    return cryptoOk(mac);
  }

  macBatch(src: readonly Uint8Array[], out: readonly Uint8Array[]): CryptoResult<void> {
    const name = `hmac-${this.algorithm}`;
    const checked = checkDigestBatch(name, this.outputLength, src, out);
    if (!checked.ok) return checked;
    const arena = this.arena;
    const rc = runBatch(arena, src, out, this.outputLength, (t, n) => arena.exports.hmacBatch(t, n, this.outputLength));
    return rc === 0 ? cryptoOk(undefined) : cryptoFail(name, "badLength", `wasm refused the batch (status ${rc})`);
  }

  mac(data: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.outputLength);
    this.macBatch([data], [out]);
    return out;
  }

  verify(data: Uint8Array, icv: Uint8Array): boolean {
    return icv.length === this.outputLength && equalConstantTime(this.mac(data), icv);
  }
}
