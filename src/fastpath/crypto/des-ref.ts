// TypeScript reference DES / 3DES (EDE3) in CBC mode, written straight from
// FIPS 46-3 (bit-by-bit permutations over arrays of bits) and SP 800-67
// (EDE3 = E(K3, D(K2, E(K1, x)))). Slow and plain on purpose: it is the second
// opinion the Wasm module is tested against, and node:crypto checks both.
import { checkCbcBatch } from "./cbc-check.ts";
import { desCbcAlgorithm } from "./des-cbc.ts";
import { type CbcAlgorithm, type CbcCipher, type CryptoResult, cryptoFail, cryptoOk } from "./types.ts";

// Initial permutation IP.
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24,
  16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31,
  23, 15, 7,
];

// Permuted choice 1.
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36, 63, 55,
  47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];

// Permuted choice 2.
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47, 55, 30,
  40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];

// Left shifts per round.
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

// Permutation P.
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
];

// S-boxes S1..S8, 4 rows of 16 each.
const S = [
  14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8, 4, 1, 14,
  8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13, 15, 1, 8, 14, 6, 11,
  3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5, 0, 14, 7, 11, 10, 4, 13, 1, 5,
  8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9, 10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7,
  11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1, 13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14,
  7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12, 7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8,
  11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9, 10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10,
  1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14, 2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1,
  5, 0, 15, 10, 3, 9, 8, 6, 4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0,
  9, 10, 4, 5, 3, 12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11,
  3, 8, 9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13, 4,
  11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6, 1, 4, 11, 13,
  12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12, 13, 2, 8, 4, 6, 15, 11,
  1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2, 7, 11, 4, 1, 9, 12, 14, 2, 0, 6,
  10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
];

// E bit-selection table (FIPS 46-3).
const E = [
  32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17, 16, 17, 18, 19, 20, 21, 20, 21, 22,
  23, 24, 25, 24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1,
];

/** Input bits as an array of 0/1, bit 1 first. */
function bits(bytes: Uint8Array, offset: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((bytes[offset + (i >> 3)]! >> (7 - (i & 7))) & 1);
  return out;
}

function permute(input: readonly number[], table: readonly number[]): number[] {
  return table.map((p) => input[p - 1]!);
}

function xorBits(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x ^ b[i]!);
}

/** The 16 round subkeys (48 bits each) of an 8-byte key. */
function subkeys(key: Uint8Array, offset: number): number[][] {
  const cd = permute(bits(key, offset, 64), PC1);
  let c = cd.slice(0, 28),
    d = cd.slice(28);
  const out: number[][] = [];
  for (const s of SHIFTS) {
    c = [...c.slice(s), ...c.slice(0, s)];
    d = [...d.slice(s), ...d.slice(0, s)];
    out.push(permute([...c, ...d], PC2));
  }
  return out;
}

/** The cipher function f(R, K). */
function f(r: readonly number[], k: readonly number[]): number[] {
  const x = xorBits(permute(r, E), k);
  const out: number[] = [];
  for (let i = 0; i < 8; i++) {
    const b = x.slice(6 * i, 6 * i + 6);
    const row = (b[0]! << 1) | b[5]!;
    const col = (b[1]! << 3) | (b[2]! << 2) | (b[3]! << 1) | b[4]!;
    const v = S[i * 64 + row * 16 + col]!;
    out.push((v >> 3) & 1, (v >> 2) & 1, (v >> 1) & 1, v & 1);
  }
  return permute(out, P);
}

/** One DES pass over 64 bits with the given subkeys in application order. */
function desBlock(block: readonly number[], keys: readonly number[][]): number[] {
  const ip = permute(block, IP);
  let l = ip.slice(0, 32),
    r = ip.slice(32);
  for (const k of keys) {
    const next = xorBits(l, f(r, k));
    l = r;
    r = next;
  }
  const pre = [...r, ...l];
  const out = new Array<number>(64);
  for (let j = 0; j < 64; j++) out[IP[j]! - 1] = pre[j]!;
  return out;
}

function toBytes(b: readonly number[]): Uint8Array {
  const out = new Uint8Array(b.length >> 3);
  for (let i = 0; i < b.length; i++) out[i >> 3]! |= b[i]! << (7 - (i & 7));
  return out;
}

/** DES-CBC / 3DES-CBC reference; 8-byte key DES, 24-byte key EDE3. */
export class DesCbcRef implements CbcCipher {
  readonly blockSize = 8;
  private constructor(
    readonly algorithm: CbcAlgorithm,
    private readonly enc: number[][][],
    private readonly dec: number[][][],
  ) {}

  /** Builds the subkeys; refuses key lengths other than 8 or 24 bytes. */
  static create(key: Uint8Array): CryptoResult<DesCbcRef> {
    const algorithm = desCbcAlgorithm(key.length);
    if (!algorithm)
      return cryptoFail("des-cbc", "badKeySize", `DES key is ${key.length} bytes, need 8 (DES) or 24 (3DES EDE3)`);
    const k = [0, 8, 16].slice(0, key.length / 8).map((o) => subkeys(key, o));
    const rev = (x: number[][]) => [...x].reverse();
    if (k.length === 1) return cryptoOk(new DesCbcRef(algorithm, [k[0]!], [rev(k[0]!)]));
    return cryptoOk(new DesCbcRef(algorithm, [k[0]!, rev(k[1]!), k[2]!], [rev(k[2]!), k[1]!, rev(k[0]!)]));
  }

  private block(x: Uint8Array, offset: number, passes: number[][][]): Uint8Array {
    let b = bits(x, offset, 64);
    for (const keys of passes) b = desBlock(b, keys);
    return toBytes(b);
  }

  encryptBatch(ivs: readonly Uint8Array[], src: readonly Uint8Array[], dst: readonly Uint8Array[]): CryptoResult<void> {
    const checked = checkCbcBatch(this.algorithm, 8, ivs, src, dst);
    if (!checked.ok) return checked;
    for (let i = 0; i < src.length; i++) {
      const s = src[i]!,
        d = dst[i]!;
      let chain: Uint8Array = Uint8Array.from(ivs[i]!);
      for (let off = 0; off < s.length; off += 8) {
        const x = new Uint8Array(8);
        for (let j = 0; j < 8; j++) x[j] = s[off + j]! ^ chain[j]!;
        chain = this.block(x, 0, this.enc);
        d.set(chain, off);
      }
    }
    return cryptoOk(undefined);
  }

  decryptBatch(ivs: readonly Uint8Array[], src: readonly Uint8Array[], dst: readonly Uint8Array[]): CryptoResult<void> {
    const checked = checkCbcBatch(this.algorithm, 8, ivs, src, dst);
    if (!checked.ok) return checked;
    for (let i = 0; i < src.length; i++) {
      const s = src[i]!,
        d = dst[i]!;
      let chain: Uint8Array = Uint8Array.from(ivs[i]!);
      for (let off = 0; off < s.length; off += 8) {
        const c = s.slice(off, off + 8);
        const x = this.block(c, 0, this.dec);
        for (let j = 0; j < 8; j++) d[off + j] = x[j]! ^ chain[j]!;
        chain = c;
      }
    }
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
