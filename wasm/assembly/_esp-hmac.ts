// Multi-buffer HMAC-MD5, HMAC-SHA1 and HMAC-SHA-256 for the ESP module: four
// independent messages go through the compression function side by side, one
// per 32-bit lane of a v128 (SIMD128), so one pass of the rounds hashes four
// packets. Message words are loaded from the four packets and transposed so
// that word t of every lane sits in one vector. Lanes whose message is shorter
// than the longest of the four keep their state (bitselect on a lane mask).
// HMAC (RFC 2104) keys are absorbed once: the inner and outer chaining values
// after K^ipad and K^opad are kept as scalars and splatted per group of four.
// Algorithms (RFC 1321, FIPS 180-4) are checked end to end by the ESP tests
// against node:crypto and by the RFC 2202/4231 HMAC known answers there.
import { SHA256_K, MD5_T } from "./_crypto-hash-consts";

export const MB_MD5: i32 = 0;
export const MB_SHA1: i32 = 1;
export const MB_SHA256: i32 = 2;

const IV_MD5: usize = memory.data<u32>([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0, 0, 0, 0]);
const IV_SHA1: usize = memory.data<u32>([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0, 0, 0, 0]);
const IV_SHA256: usize = memory.data<u32>([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const MD5_SHIFT: usize = memory.data<u8>([7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]);

const ST: usize = memory.data(8 * 16, 16); // lane states: word i of the four lanes at ST + 16 i
const OLD: usize = memory.data(8 * 16, 16); // states before a masked block
const W: usize = memory.data(80 * 16, 16); // message schedule, four lanes per word
const KW: usize = memory.data(64 * 16, 16); // SHA-256: K[t] + W[t]
const TAILS: usize = memory.data(4 * 128, 16); // padded last block(s) per lane
const KEYBLOCK: usize = memory.data(64, 16);
const IST: usize = memory.data(32, 16); // HMAC inner chaining value (scalar words)
const OST: usize = memory.data(32, 16); // HMAC outer chaining value
const OUTER: usize = memory.data(4 * 64, 16); // inner digests of the current group, one per lane

let alg: i32 = -1;
let digestLen: u32 = 0;
let stateWords: i32 = 0;

@inline function rotl(x: v128, n: i32): v128 {
  return v128.or(i32x4.shl(x, n), i32x4.shr_u(x, 32 - n));
}

@inline function rotr(x: v128, n: i32): v128 {
  return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n));
}

@inline function bswap4(x: v128): v128 {
  return i8x16.shuffle(x, x, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
}

@inline function wAt(t: usize): v128 {
  return v128.load(W + (t << 4));
}

/** Loads one 64-byte block from each lane into W[0..16), transposed; big-endian words byte-swapped. */
function loadBlocks(p0: usize, p1: usize, p2: usize, p3: usize, bigEndian: bool): void {
  for (let g: usize = 0; g < 4; g++) {
    const a0 = v128.load(p0 + (g << 4)), a1 = v128.load(p1 + (g << 4));
    const a2 = v128.load(p2 + (g << 4)), a3 = v128.load(p3 + (g << 4));
    const t0 = v128.shuffle<i32>(a0, a1, 0, 4, 1, 5);
    const t1 = v128.shuffle<i32>(a0, a1, 2, 6, 3, 7);
    const t2 = v128.shuffle<i32>(a2, a3, 0, 4, 1, 5);
    const t3 = v128.shuffle<i32>(a2, a3, 2, 6, 3, 7);
    let w0 = v128.shuffle<i32>(t0, t2, 0, 1, 4, 5);
    let w1 = v128.shuffle<i32>(t0, t2, 2, 3, 6, 7);
    let w2 = v128.shuffle<i32>(t1, t3, 0, 1, 4, 5);
    let w3 = v128.shuffle<i32>(t1, t3, 2, 3, 6, 7);
    if (bigEndian) {
      w0 = bswap4(w0); w1 = bswap4(w1); w2 = bswap4(w2); w3 = bswap4(w3);
    }
    const at = W + (g << 6);
    v128.store(at, w0); v128.store(at, w1, 16); v128.store(at, w2, 32); v128.store(at, w3, 48);
  }
}

function md5Compress(): void {
  let a = v128.load(ST), b = v128.load(ST, 16), c = v128.load(ST, 32), d = v128.load(ST, 48);
  for (let i: usize = 0; i < 64; i++) {
    let f: v128, g: usize;
    if (i < 16) { f = v128.bitselect(c, d, b); g = i; }
    else if (i < 32) { f = v128.bitselect(b, c, d); g = (5 * i + 1) & 15; }
    else if (i < 48) { f = v128.xor(v128.xor(b, c), d); g = (3 * i + 5) & 15; }
    else { f = v128.xor(c, v128.or(b, v128.not(d))); g = (7 * i) & 15; }
    const s = <i32>load<u8>(MD5_SHIFT + ((i >> 4) << 2) + (i & 3));
    const x = i32x4.add(i32x4.add(a, f), i32x4.add(v128.load32_splat(MD5_T + (i << 2)), wAt(g)));
    a = d; d = c; c = b;
    b = i32x4.add(b, rotl(x, s));
  }
  v128.store(ST, i32x4.add(v128.load(ST), a));
  v128.store(ST, i32x4.add(v128.load(ST, 16), b), 16);
  v128.store(ST, i32x4.add(v128.load(ST, 32), c), 32);
  v128.store(ST, i32x4.add(v128.load(ST, 48), d), 48);
}

/** SHA-1 rounds unrolled by five, roles renamed instead of values moved. */
function sha1Compress(): void {
  for (let t: usize = 16; t < 80; t++) {
    const x = v128.xor(v128.xor(wAt(t - 3), wAt(t - 8)), v128.xor(wAt(t - 14), wAt(t - 16)));
    v128.store(W + (t << 4), rotl(x, 1));
  }
  let a = v128.load(ST), b = v128.load(ST, 16), c = v128.load(ST, 32), d = v128.load(ST, 48), e = v128.load(ST, 64);
  let k: v128;
  k = i32x4.splat(0x5a827999);
  for (let t: usize = 0; t < 20; t += 5) {
    e = i32x4.add(i32x4.add(e, rotl(a, 5)), i32x4.add(v128.bitselect(c, d, b), i32x4.add(k, wAt(t + 0)))); b = rotl(b, 30);
    d = i32x4.add(i32x4.add(d, rotl(e, 5)), i32x4.add(v128.bitselect(b, c, a), i32x4.add(k, wAt(t + 1)))); a = rotl(a, 30);
    c = i32x4.add(i32x4.add(c, rotl(d, 5)), i32x4.add(v128.bitselect(a, b, e), i32x4.add(k, wAt(t + 2)))); e = rotl(e, 30);
    b = i32x4.add(i32x4.add(b, rotl(c, 5)), i32x4.add(v128.bitselect(e, a, d), i32x4.add(k, wAt(t + 3)))); d = rotl(d, 30);
    a = i32x4.add(i32x4.add(a, rotl(b, 5)), i32x4.add(v128.bitselect(d, e, c), i32x4.add(k, wAt(t + 4)))); c = rotl(c, 30);
  }
  k = i32x4.splat(0x6ed9eba1);
  for (let t: usize = 20; t < 40; t += 5) {
    e = i32x4.add(i32x4.add(e, rotl(a, 5)), i32x4.add(v128.xor(v128.xor(b, c), d), i32x4.add(k, wAt(t + 0)))); b = rotl(b, 30);
    d = i32x4.add(i32x4.add(d, rotl(e, 5)), i32x4.add(v128.xor(v128.xor(a, b), c), i32x4.add(k, wAt(t + 1)))); a = rotl(a, 30);
    c = i32x4.add(i32x4.add(c, rotl(d, 5)), i32x4.add(v128.xor(v128.xor(e, a), b), i32x4.add(k, wAt(t + 2)))); e = rotl(e, 30);
    b = i32x4.add(i32x4.add(b, rotl(c, 5)), i32x4.add(v128.xor(v128.xor(d, e), a), i32x4.add(k, wAt(t + 3)))); d = rotl(d, 30);
    a = i32x4.add(i32x4.add(a, rotl(b, 5)), i32x4.add(v128.xor(v128.xor(c, d), e), i32x4.add(k, wAt(t + 4)))); c = rotl(c, 30);
  }
  k = i32x4.splat(0x8f1bbcdc);
  for (let t: usize = 40; t < 60; t += 5) {
    e = i32x4.add(i32x4.add(e, rotl(a, 5)), i32x4.add(v128.bitselect(d, b, v128.xor(b, c)), i32x4.add(k, wAt(t + 0)))); b = rotl(b, 30);
    d = i32x4.add(i32x4.add(d, rotl(e, 5)), i32x4.add(v128.bitselect(c, a, v128.xor(a, b)), i32x4.add(k, wAt(t + 1)))); a = rotl(a, 30);
    c = i32x4.add(i32x4.add(c, rotl(d, 5)), i32x4.add(v128.bitselect(b, e, v128.xor(e, a)), i32x4.add(k, wAt(t + 2)))); e = rotl(e, 30);
    b = i32x4.add(i32x4.add(b, rotl(c, 5)), i32x4.add(v128.bitselect(a, d, v128.xor(d, e)), i32x4.add(k, wAt(t + 3)))); d = rotl(d, 30);
    a = i32x4.add(i32x4.add(a, rotl(b, 5)), i32x4.add(v128.bitselect(e, c, v128.xor(c, d)), i32x4.add(k, wAt(t + 4)))); c = rotl(c, 30);
  }
  k = i32x4.splat(0xca62c1d6);
  for (let t: usize = 60; t < 80; t += 5) {
    e = i32x4.add(i32x4.add(e, rotl(a, 5)), i32x4.add(v128.xor(v128.xor(b, c), d), i32x4.add(k, wAt(t + 0)))); b = rotl(b, 30);
    d = i32x4.add(i32x4.add(d, rotl(e, 5)), i32x4.add(v128.xor(v128.xor(a, b), c), i32x4.add(k, wAt(t + 1)))); a = rotl(a, 30);
    c = i32x4.add(i32x4.add(c, rotl(d, 5)), i32x4.add(v128.xor(v128.xor(e, a), b), i32x4.add(k, wAt(t + 2)))); e = rotl(e, 30);
    b = i32x4.add(i32x4.add(b, rotl(c, 5)), i32x4.add(v128.xor(v128.xor(d, e), a), i32x4.add(k, wAt(t + 3)))); d = rotl(d, 30);
    a = i32x4.add(i32x4.add(a, rotl(b, 5)), i32x4.add(v128.xor(v128.xor(c, d), e), i32x4.add(k, wAt(t + 4)))); c = rotl(c, 30);
  }
  v128.store(ST, i32x4.add(v128.load(ST), a));
  v128.store(ST, i32x4.add(v128.load(ST, 16), b), 16);
  v128.store(ST, i32x4.add(v128.load(ST, 32), c), 32);
  v128.store(ST, i32x4.add(v128.load(ST, 48), d), 48);
  v128.store(ST, i32x4.add(v128.load(ST, 64), e), 64);
}

@inline function bigSigma0(a: v128): v128 { return v128.xor(v128.xor(rotr(a, 2), rotr(a, 13)), rotr(a, 22)); }
@inline function bigSigma1(e: v128): v128 { return v128.xor(v128.xor(rotr(e, 6), rotr(e, 11)), rotr(e, 25)); }

/** SHA-256 rounds unrolled by eight, roles renamed instead of values moved; KW holds K[t] + W[t]. */
function sha256Compress(): void {
  for (let t: usize = 0; t < 16; t++) v128.store(KW + (t << 4), i32x4.add(wAt(t), v128.load32_splat(SHA256_K + (t << 2))));
  for (let t: usize = 16; t < 64; t++) {
    const w15 = wAt(t - 15), w2 = wAt(t - 2);
    const s0 = v128.xor(v128.xor(rotr(w15, 7), rotr(w15, 18)), i32x4.shr_u(w15, 3));
    const s1 = v128.xor(v128.xor(rotr(w2, 17), rotr(w2, 19)), i32x4.shr_u(w2, 10));
    const w = i32x4.add(i32x4.add(wAt(t - 16), s0), i32x4.add(wAt(t - 7), s1));
    v128.store(W + (t << 4), w);
    v128.store(KW + (t << 4), i32x4.add(w, v128.load32_splat(SHA256_K + (t << 2))));
  }
  let a = v128.load(ST), b = v128.load(ST, 16), c = v128.load(ST, 32), d = v128.load(ST, 48);
  let e = v128.load(ST, 64), f = v128.load(ST, 80), g = v128.load(ST, 96), h = v128.load(ST, 112);
  for (let t: usize = 0; t < 64; t += 8) {
    { const t1 = i32x4.add(i32x4.add(h, bigSigma1(e)), i32x4.add(v128.bitselect(f, g, e), v128.load(KW + ((t + 0) << 4))));
      d = i32x4.add(d, t1); h = i32x4.add(t1, i32x4.add(bigSigma0(a), v128.bitselect(c, a, v128.xor(a, b)))); }
    { const t1 = i32x4.add(i32x4.add(g, bigSigma1(d)), i32x4.add(v128.bitselect(e, f, d), v128.load(KW + ((t + 1) << 4))));
      c = i32x4.add(c, t1); g = i32x4.add(t1, i32x4.add(bigSigma0(h), v128.bitselect(b, h, v128.xor(h, a)))); }
    { const t1 = i32x4.add(i32x4.add(f, bigSigma1(c)), i32x4.add(v128.bitselect(d, e, c), v128.load(KW + ((t + 2) << 4))));
      b = i32x4.add(b, t1); f = i32x4.add(t1, i32x4.add(bigSigma0(g), v128.bitselect(a, g, v128.xor(g, h)))); }
    { const t1 = i32x4.add(i32x4.add(e, bigSigma1(b)), i32x4.add(v128.bitselect(c, d, b), v128.load(KW + ((t + 3) << 4))));
      a = i32x4.add(a, t1); e = i32x4.add(t1, i32x4.add(bigSigma0(f), v128.bitselect(h, f, v128.xor(f, g)))); }
    { const t1 = i32x4.add(i32x4.add(d, bigSigma1(a)), i32x4.add(v128.bitselect(b, c, a), v128.load(KW + ((t + 4) << 4))));
      h = i32x4.add(h, t1); d = i32x4.add(t1, i32x4.add(bigSigma0(e), v128.bitselect(g, e, v128.xor(e, f)))); }
    { const t1 = i32x4.add(i32x4.add(c, bigSigma1(h)), i32x4.add(v128.bitselect(a, b, h), v128.load(KW + ((t + 5) << 4))));
      g = i32x4.add(g, t1); c = i32x4.add(t1, i32x4.add(bigSigma0(d), v128.bitselect(f, d, v128.xor(d, e)))); }
    { const t1 = i32x4.add(i32x4.add(b, bigSigma1(g)), i32x4.add(v128.bitselect(h, a, g), v128.load(KW + ((t + 6) << 4))));
      f = i32x4.add(f, t1); b = i32x4.add(t1, i32x4.add(bigSigma0(c), v128.bitselect(e, c, v128.xor(c, d)))); }
    { const t1 = i32x4.add(i32x4.add(a, bigSigma1(f)), i32x4.add(v128.bitselect(g, h, f), v128.load(KW + ((t + 7) << 4))));
      e = i32x4.add(e, t1); a = i32x4.add(t1, i32x4.add(bigSigma0(b), v128.bitselect(d, b, v128.xor(b, c)))); }
  }
  v128.store(ST, i32x4.add(v128.load(ST), a));
  v128.store(ST, i32x4.add(v128.load(ST, 16), b), 16);
  v128.store(ST, i32x4.add(v128.load(ST, 32), c), 32);
  v128.store(ST, i32x4.add(v128.load(ST, 48), d), 48);
  v128.store(ST, i32x4.add(v128.load(ST, 64), e), 64);
  v128.store(ST, i32x4.add(v128.load(ST, 80), f), 80);
  v128.store(ST, i32x4.add(v128.load(ST, 96), g), 96);
  v128.store(ST, i32x4.add(v128.load(ST, 112), h), 112);
}

/** Compresses one block per lane into ST. */
@inline function compress4(p0: usize, p1: usize, p2: usize, p3: usize): void {
  loadBlocks(p0, p1, p2, p3, alg != MB_MD5);
  if (alg == MB_MD5) md5Compress();
  else if (alg == MB_SHA1) sha1Compress();
  else sha256Compress();
}

/** Sets every lane's state to the scalar chaining value at init. */
function splatState(init: usize): void {
  for (let i = 0; i < stateWords; i++) v128.store(ST + (<usize>i << 4), v128.load32_splat(init + (<usize>i << 2)));
}

/** Writes lane `lane`'s first outLen digest bytes to out. */
function writeDigest(lane: usize, out: usize, outLen: u32): void {
  for (let i: u32 = 0; i < outLen; i += 4) {
    const word = load<u32>(ST + (<usize>(i >> 2) << 4) + (lane << 2));
    const be = alg == MB_MD5 ? word : bswap<u32>(word);
    if (i + 4 <= outLen) store<u32>(out + i, be);
    else for (let k: u32 = 0; i + k < outLen; k++) store<u8>(out + i + k, <u8>(be >> (8 * k)));
  }
}

/** Padded tail for a lane: the last len % 64 bytes, 0x80, zeros, the bit length; returns its block count. */
function buildTail(lane: usize, src: usize, len: u32, prefix: u32): u32 {
  const tail = TAILS + (lane << 7);
  const rem = len & 63;
  memory.fill(tail, 0, 128);
  memory.copy(tail, src + len - rem, rem);
  store<u8>(tail + rem, 0x80);
  const blocks: u32 = rem + 9 <= 64 ? 1 : 2;
  const bits = (<u64>prefix + <u64>len) << 3;
  store<u64>(tail + (blocks << 6) - 8, alg == MB_MD5 ? bits : bswap<u64>(bits));
  return blocks;
}

/**
 * Hashes up to four messages side by side from the chaining value at init,
 * as if `prefix` bytes had been absorbed before them; writes outLen digest
 * bytes of lane k to outs[k]. Unused lanes (count < 4) repeat lane 0.
 */
function hashGroup(init: usize, count: i32, srcs: usize, lens: usize, outs: usize, prefix: u32, outLen: u32): void {
  let maxBlocks: u32 = 0;
  for (let k: usize = 0; k < 4; k++) {
    const j = k < <usize>count ? k : 0;
    const len = load<u32>(lens + (j << 2));
    const total = (len >> 6) + buildTail(k, <usize>load<u32>(srcs + (j << 2)), len, prefix);
    store<u32>(lens + 16 + (k << 2), total); // block counts after the lengths
    if (total > maxBlocks) maxBlocks = total;
  }
  splatState(init);
  for (let b: u32 = 0; b < maxBlocks; b++) {
    let p0: usize = 0, p1: usize = 0, p2: usize = 0, p3: usize = 0;
    let active: i32 = 0;
    for (let k: usize = 0; k < 4; k++) {
      const j = k < <usize>count ? k : 0;
      const len = load<u32>(lens + (j << 2));
      const full = len >> 6;
      const total = load<u32>(lens + 16 + (k << 2));
      const tail = TAILS + (k << 7);
      const p: usize = b < full ? <usize>load<u32>(srcs + (j << 2)) + (<usize>b << 6) : b < total ? tail + (<usize>(b - full) << 6) : tail;
      if (b < total) active |= 1 << <i32>k;
      if (k == 0) p0 = p; else if (k == 1) p1 = p; else if (k == 2) p2 = p; else p3 = p;
    }
    if (active == 15) {
      compress4(p0, p1, p2, p3);
    } else {
      memory.copy(OLD, ST, 128);
      compress4(p0, p1, p2, p3);
      const mask = i32x4(active & 1 ? -1 : 0, active & 2 ? -1 : 0, active & 4 ? -1 : 0, active & 8 ? -1 : 0);
      for (let i = 0; i < stateWords; i++) {
        const at = <usize>i << 4;
        v128.store(ST + at, v128.bitselect(v128.load(ST + at), v128.load(OLD + at), mask));
      }
    }
  }
  for (let k: usize = 0; k < <usize>count; k++) writeDigest(k, <usize>load<u32>(outs + (k << 2)), outLen);
}

// Per-group argument vectors (four u32 each, lengths followed by four block counts).
const SRCS: usize = memory.data(16, 16);
const LENS: usize = memory.data(32, 16);
const OUTS: usize = memory.data(16, 16);

/** The multi-buffer algorithm for a crypto-hash id (0 MD5, 1 SHA-1, 2 SHA-256), or -1 when it has none here. */
export function mbAlgorithm(hashId: i32): i32 {
  return hashId == 0 ? MB_MD5 : hashId == 1 ? MB_SHA1 : hashId == 2 ? MB_SHA256 : -1;
}

/** Selects the algorithm and absorbs the HMAC key (RFC 2104; keys longer than 64 bytes are hashed first). */
export function mbSetKey(a: i32, key: usize, keyLen: u32): void {
  alg = a;
  digestLen = a == MB_MD5 ? 16 : a == MB_SHA1 ? 20 : 32;
  stateWords = a == MB_MD5 ? 4 : a == MB_SHA1 ? 5 : 8;
  const iv = a == MB_MD5 ? IV_MD5 : a == MB_SHA1 ? IV_SHA1 : IV_SHA256;
  memory.fill(KEYBLOCK, 0, 64);
  if (keyLen > 64) {
    store<u32>(SRCS, <u32>key); store<u32>(LENS, keyLen); store<u32>(OUTS, <u32>KEYBLOCK);
    hashGroup(iv, 1, SRCS, LENS, OUTS, 0, digestLen);
  } else {
    memory.copy(KEYBLOCK, key, keyLen);
  }
  for (let pass = 0; pass < 2; pass++) {
    const pad: u8 = pass == 0 ? 0x36 : 0x5c;
    for (let i: usize = 0; i < 64; i++) store<u8>(KEYBLOCK + i, load<u8>(KEYBLOCK + i) ^ pad);
    splatState(iv);
    compress4(KEYBLOCK, KEYBLOCK, KEYBLOCK, KEYBLOCK);
    const dst = pass == 0 ? IST : OST;
    for (let i = 0; i < stateWords; i++) store<u32>(dst + (<usize>i << 2), load<u32>(ST + (<usize>i << 4)));
    for (let i: usize = 0; i < 64; i++) store<u8>(KEYBLOCK + i, load<u8>(KEYBLOCK + i) ^ pad); // back to K0
  }
  memory.fill(KEYBLOCK, 0, 64);
}

/**
 * HMACs n messages described by a table of {src, len, out} u32 items, four at
 * a time, writing outLen bytes of each MAC. The caller checked every pointer.
 */
export function mbHmac(table: usize, n: i32, outLen: u32): void {
  for (let i = 0; i < n; i += 4) {
    const count = n - i < 4 ? n - i : 4;
    for (let k = 0; k < count; k++) {
      const o = table + <usize>(i + k) * 12;
      store<u32>(SRCS + (<usize>k << 2), load<u32>(o));
      store<u32>(LENS + (<usize>k << 2), load<u32>(o, 4));
      store<u32>(OUTS + (<usize>k << 2), <u32>(OUTER + (<usize>k << 6)));
    }
    hashGroup(IST, count, SRCS, LENS, OUTS, 64, digestLen);
    for (let k = 0; k < count; k++) {
      const o = table + <usize>(i + k) * 12;
      store<u32>(SRCS + (<usize>k << 2), <u32>(OUTER + (<usize>k << 6)));
      store<u32>(LENS + (<usize>k << 2), digestLen);
      store<u32>(OUTS + (<usize>k << 2), load<u32>(o, 8));
    }
    hashGroup(OST, count, SRCS, LENS, OUTS, 64, outLen);
  }
}
