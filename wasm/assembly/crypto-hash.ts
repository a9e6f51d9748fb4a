// asc-flags: --initialMemory 2
// MD5 (RFC 1321), SHA-1, SHA-256, SHA-384, SHA-512 (FIPS 180-4) and HMAC
// (RFC 2104) over batches of independent buffers. An instance is set to one
// algorithm; for HMAC it keeps the inner and outer states after absorbing
// K^ipad and K^opad, computed once per key, so each message costs its own
// blocks plus two finalisations. Outputs may be truncated (RFC 2403/2404: 96
// bits; RFC 4868: half the digest). Batch tables are {src, len, out} u32 items.
import { BAD_TABLE, inBounds, tableInBounds, field, scratchBase } from "./_crypto-batch";
import { SHA256_K, SHA512_K, MD5_T } from "./_crypto-hash-consts";

export const MD5: i32 = 0;
export const SHA1: i32 = 1;
export const SHA256: i32 = 2;
export const SHA384: i32 = 3;
export const SHA512: i32 = 4;

const IV_MD5: usize = memory.data<u32>([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
const IV_SHA1: usize = memory.data<u32>([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
const IV_SHA256: usize = memory.data<u32>([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const IV_SHA384: usize = memory.data<u64>([
  0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
  0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
]);
const IV_SHA512: usize = memory.data<u64>([
  0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
  0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
]);
const MD5_S: usize = memory.data<u8>([7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]);

const STATE: usize = memory.data(64, 16); // working chaining value
const ISTATE: usize = memory.data(64, 16); // HMAC inner state (or the IV for plain hashing)
const OSTATE: usize = memory.data(64, 16); // HMAC outer state
const PAD: usize = memory.data(256, 16); // final block(s)
const DIG: usize = memory.data(64, 16); // digest of the last message
const W: usize = memory.data(80 * 8, 16); // message schedule

let alg: i32 = -1;
let blockLen: u32 = 64;
let digestLen: u32 = 16;
let stateLen: u32 = 16;
let hmacReady: bool = false;

// ---- compression functions: state at STATE, one block at p ----

function md5Block(p: usize): void {
  let a = load<u32>(STATE), b = load<u32>(STATE, 4), c = load<u32>(STATE, 8), d = load<u32>(STATE, 12);
  for (let i = 0; i < 64; i++) {
    let f: u32, g: i32;
    if (i < 16) { f = (b & c) | (~b & d); g = i; }
    else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) & 15; }
    else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) & 15; }
    else { f = c ^ (b | ~d); g = (7 * i) & 15; }
    const s = <u32>load<u8>(MD5_S + ((i >> 4) << 2) + (i & 3));
    const t = d;
    d = c; c = b;
    b = b + rotl<u32>(a + f + load<u32>(MD5_T + (<usize>i << 2)) + load<u32>(p + (<usize>g << 2)), s);
    a = t;
  }
  store<u32>(STATE, load<u32>(STATE) + a); store<u32>(STATE, load<u32>(STATE, 4) + b, 4);
  store<u32>(STATE, load<u32>(STATE, 8) + c, 8); store<u32>(STATE, load<u32>(STATE, 12) + d, 12);
}

function sha1Block(p: usize): void {
  for (let i: usize = 0; i < 16; i++) store<u32>(W + (i << 2), bswap<u32>(load<u32>(p + (i << 2))));
  for (let i: usize = 16; i < 80; i++) {
    const x = load<u32>(W + ((i - 3) << 2)) ^ load<u32>(W + ((i - 8) << 2)) ^ load<u32>(W + ((i - 14) << 2)) ^ load<u32>(W + ((i - 16) << 2));
    store<u32>(W + (i << 2), rotl<u32>(x, 1));
  }
  let a = load<u32>(STATE), b = load<u32>(STATE, 4), c = load<u32>(STATE, 8), d = load<u32>(STATE, 12), e = load<u32>(STATE, 16);
  for (let i: usize = 0; i < 80; i++) {
    let f: u32, k: u32;
    if (i < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
    else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
    else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; }
    else { f = b ^ c ^ d; k = 0xca62c1d6; }
    const t = rotl<u32>(a, 5) + f + e + k + load<u32>(W + (i << 2));
    e = d; d = c; c = rotl<u32>(b, 30); b = a; a = t;
  }
  store<u32>(STATE, load<u32>(STATE) + a); store<u32>(STATE, load<u32>(STATE, 4) + b, 4);
  store<u32>(STATE, load<u32>(STATE, 8) + c, 8); store<u32>(STATE, load<u32>(STATE, 12) + d, 12);
  store<u32>(STATE, load<u32>(STATE, 16) + e, 16);
}

function sha256Block(p: usize): void {
  for (let i: usize = 0; i < 16; i++) store<u32>(W + (i << 2), bswap<u32>(load<u32>(p + (i << 2))));
  for (let i: usize = 16; i < 64; i++) {
    const w15 = load<u32>(W + ((i - 15) << 2)), w2 = load<u32>(W + ((i - 2) << 2));
    const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >> 3);
    const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >> 10);
    store<u32>(W + (i << 2), load<u32>(W + ((i - 16) << 2)) + s0 + load<u32>(W + ((i - 7) << 2)) + s1);
  }
  let a = load<u32>(STATE), b = load<u32>(STATE, 4), c = load<u32>(STATE, 8), d = load<u32>(STATE, 12);
  let e = load<u32>(STATE, 16), f = load<u32>(STATE, 20), g = load<u32>(STATE, 24), h = load<u32>(STATE, 28);
  for (let i: usize = 0; i < 64; i++) {
    const t1 = h + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) + ((e & f) ^ (~e & g))
      + load<u32>(SHA256_K + (i << 2)) + load<u32>(W + (i << 2));
    const t2 = (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  store<u32>(STATE, load<u32>(STATE) + a); store<u32>(STATE, load<u32>(STATE, 4) + b, 4);
  store<u32>(STATE, load<u32>(STATE, 8) + c, 8); store<u32>(STATE, load<u32>(STATE, 12) + d, 12);
  store<u32>(STATE, load<u32>(STATE, 16) + e, 16); store<u32>(STATE, load<u32>(STATE, 20) + f, 20);
  store<u32>(STATE, load<u32>(STATE, 24) + g, 24); store<u32>(STATE, load<u32>(STATE, 28) + h, 28);
}

function sha512Block(p: usize): void {
  for (let i: usize = 0; i < 16; i++) store<u64>(W + (i << 3), bswap<u64>(load<u64>(p + (i << 3))));
  for (let i: usize = 16; i < 80; i++) {
    const w15 = load<u64>(W + ((i - 15) << 3)), w2 = load<u64>(W + ((i - 2) << 3));
    const s0 = rotr<u64>(w15, 1) ^ rotr<u64>(w15, 8) ^ (w15 >> 7);
    const s1 = rotr<u64>(w2, 19) ^ rotr<u64>(w2, 61) ^ (w2 >> 6);
    store<u64>(W + (i << 3), load<u64>(W + ((i - 16) << 3)) + s0 + load<u64>(W + ((i - 7) << 3)) + s1);
  }
  let a = load<u64>(STATE), b = load<u64>(STATE, 8), c = load<u64>(STATE, 16), d = load<u64>(STATE, 24);
  let e = load<u64>(STATE, 32), f = load<u64>(STATE, 40), g = load<u64>(STATE, 48), h = load<u64>(STATE, 56);
  for (let i: usize = 0; i < 80; i++) {
    const t1 = h + (rotr<u64>(e, 14) ^ rotr<u64>(e, 18) ^ rotr<u64>(e, 41)) + ((e & f) ^ (~e & g))
      + load<u64>(SHA512_K + (i << 3)) + load<u64>(W + (i << 3));
    const t2 = (rotr<u64>(a, 28) ^ rotr<u64>(a, 34) ^ rotr<u64>(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  store<u64>(STATE, load<u64>(STATE) + a); store<u64>(STATE, load<u64>(STATE, 8) + b, 8);
  store<u64>(STATE, load<u64>(STATE, 16) + c, 16); store<u64>(STATE, load<u64>(STATE, 24) + d, 24);
  store<u64>(STATE, load<u64>(STATE, 32) + e, 32); store<u64>(STATE, load<u64>(STATE, 40) + f, 40);
  store<u64>(STATE, load<u64>(STATE, 48) + g, 48); store<u64>(STATE, load<u64>(STATE, 56) + h, 56);
}

@inline function compress(p: usize): void {
  if (alg == MD5) md5Block(p);
  else if (alg == SHA1) sha1Block(p);
  else if (alg == SHA256) sha256Block(p);
  else sha512Block(p);
}

/**
 * Hashes len bytes at src starting from the chaining value at init, as if
 * `prefix` bytes had already been absorbed; leaves the digest at DIG.
 */
function hashFrom(init: usize, src: usize, len: u32, prefix: u32): void {
  memory.copy(STATE, init, 64);
  let off: u32 = 0;
  for (; off + blockLen <= len; off += blockLen) compress(src + off);
  const rem = len - off;
  memory.fill(PAD, 0, 256);
  memory.copy(PAD, src + off, rem);
  store<u8>(PAD + rem, 0x80);
  const lenField: u32 = blockLen == 128 ? 16 : 8;
  const total: u32 = rem + 1 + lenField <= blockLen ? blockLen : 2 * blockLen;
  const bits = (<u64>prefix + <u64>len) << 3;
  if (alg == MD5) store<u64>(PAD + total - 8, bits);
  else store<u64>(PAD + total - 8, bswap<u64>(bits));
  compress(PAD);
  if (total > blockLen) compress(PAD + blockLen);
  if (alg == MD5) {
    memory.copy(DIG, STATE, 16);
  } else if (alg <= SHA256) {
    for (let i: usize = 0; i < <usize>(digestLen >> 2); i++) store<u32>(DIG + (i << 2), bswap<u32>(load<u32>(STATE + (i << 2))));
  } else {
    for (let i: usize = 0; i < <usize>(digestLen >> 3); i++) store<u64>(DIG + (i << 3), bswap<u64>(load<u64>(STATE + (i << 3))));
  }
}

// ---- exports ----

/** Start of caller memory (tables, buffers). */
export function heapStart(): u32 {
  return <u32>scratchBase();
}

/** Selects the algorithm (MD5..SHA512); returns its digest length, or -1. */
export function setAlgorithm(a: i32): i32 {
  if (a < MD5 || a > SHA512) return -1;
  alg = a;
  blockLen = a >= SHA384 ? 128 : 64;
  digestLen = a == MD5 ? 16 : a == SHA1 ? 20 : a == SHA256 ? 32 : a == SHA384 ? 48 : 64;
  stateLen = a == MD5 ? 16 : a == SHA1 ? 20 : a == SHA256 ? 32 : 64;
  const iv = a == MD5 ? IV_MD5 : a == SHA1 ? IV_SHA1 : a == SHA256 ? IV_SHA256 : a == SHA384 ? IV_SHA384 : IV_SHA512;
  memory.fill(ISTATE, 0, 64);
  memory.copy(ISTATE, iv, stateLen);
  hmacReady = false;
  return <i32>digestLen;
}

function checkItems(table: u32, n: i32, outLen: u32): i32 {
  if (alg < 0 || !tableInBounds(table, n, 3)) return BAD_TABLE;
  for (let i = 0; i < n; i++) {
    const src = field(table, i, 3, 0), len = field(table, i, 3, 1), out = field(table, i, 3, 2);
    if (len > 0x1fffffff || !inBounds(src, len) || !inBounds(out, outLen)) return -(1 + i);
  }
  return 0;
}

/** Hashes n items {src, len, out}, writing the full digest to out. Returns 0 or a negative status. */
export function hashBatch(table: u32, n: i32): i32 {
  const bad = checkItems(table, n, digestLen);
  if (bad != 0) return bad;
  // Plain hashing needs the IV, not an HMAC inner state, at ISTATE.
  if (hmacReady) setAlgorithm(alg);
  for (let i = 0; i < n; i++) {
    hashFrom(ISTATE, <usize>field(table, i, 3, 0), field(table, i, 3, 1), 0);
    memory.copy(<usize>field(table, i, 3, 2), DIG, digestLen);
  }
  return 0;
}

/** Sets the HMAC key (RFC 2104): hashes long keys, then absorbs K^ipad and K^opad once. */
export function hmacSetKey(ptr: u32, len: u32): i32 {
  if (alg < 0) return BAD_TABLE;
  if (!inBounds(ptr, len)) return -2;
  if (hmacReady) setAlgorithm(alg);
  const k0 = PAD + 128; // PAD is free here; hashFrom below only touches PAD[0..256) for long keys
  const key = memory.data(128, 16);
  memory.fill(key, 0, 128);
  if (len > blockLen) {
    hashFrom(ISTATE, <usize>ptr, len, 0);
    memory.copy(key, DIG, digestLen);
  } else {
    memory.copy(key, <usize>ptr, len);
  }
  const iv = memory.data(64, 16);
  memory.copy(iv, ISTATE, 64);
  for (let i: usize = 0; i < <usize>blockLen; i++) store<u8>(k0 + i, load<u8>(key + i) ^ 0x36);
  memory.copy(STATE, iv, 64);
  compress(k0);
  memory.copy(ISTATE, STATE, 64);
  for (let i: usize = 0; i < <usize>blockLen; i++) store<u8>(k0 + i, load<u8>(key + i) ^ 0x5c);
  memory.copy(STATE, iv, 64);
  compress(k0);
  memory.copy(OSTATE, STATE, 64);
  memory.fill(key, 0, 128);
  memory.fill(k0, 0, 128);
  hmacReady = true;
  return 0;
}

/** HMACs n items {src, len, out}, writing the first outLen bytes of each MAC. */
export function hmacBatch(table: u32, n: i32, outLen: u32): i32 {
  if (!hmacReady || outLen == 0 || outLen > digestLen) return BAD_TABLE;
  const bad = checkItems(table, n, outLen);
  if (bad != 0) return bad;
  const inner = memory.data(64, 16);
  for (let i = 0; i < n; i++) {
    hashFrom(ISTATE, <usize>field(table, i, 3, 0), field(table, i, 3, 1), blockLen);
    memory.copy(inner, DIG, digestLen);
    hashFrom(OSTATE, inner, digestLen, blockLen);
    memory.copy(<usize>field(table, i, 3, 2), DIG, outLen);
  }
  return 0;
}
