// asc-flags: --initialMemory 2
// AES (FIPS-197) in CBC mode (SP 800-38A §6.2) and GCM (SP 800-38D), batched.
// One instance holds one key schedule; each batch call processes N independent
// items described by a u32 table in linear memory (see _crypto-batch.ts), so the
// ESP layer can encrypt many packets with their own IVs in one call.
// AES uses 32-bit T-tables built at start-up from the S-box definition; GHASH uses
// Shoup's 4-bit tables. Every item is bounds-checked before anything is written.
import { BAD_TABLE, inBounds, tableInBounds, field, scratchBase } from "./_crypto-batch";

const SBOX: usize = memory.data(256);
const INV_SBOX: usize = memory.data(256);
const TE: usize = memory.data(4096, 16); // Te0..Te3, 256 u32 each
const TD: usize = memory.data(4096, 16); // Td0..Td3
const EK: usize = memory.data(240, 16); // encryption round keys (60 words max)
const DK: usize = memory.data(240, 16); // equivalent-inverse-cipher round keys
const HL: usize = memory.data(128, 16); // GHASH 4-bit table, low halves
const HH: usize = memory.data(128, 16); // GHASH 4-bit table, high halves
const LAST4: usize = memory.data<u64>([
  0x0000, 0x1c20, 0x3840, 0x2460, 0x7080, 0x6ca0, 0x48c0, 0x54e0,
  0xe100, 0xfd20, 0xd940, 0xc560, 0x9180, 0x8da0, 0xa9c0, 0xb5e0,
]);
const BLOCK: usize = memory.data(16, 16); // scratch block (partial GCM blocks)

let rounds: i32 = 0;
// Cipher state, kept in globals so the block functions inline into the loops.
let s0: u32 = 0, s1: u32 = 0, s2: u32 = 0, s3: u32 = 0;

function rotl8(x: u32, n: u32): u32 {
  return ((x << n) | (x >> (8 - n))) & 0xff;
}

function mul(a: u32, b: u32): u32 {
  let r: u32 = 0;
  while (b) {
    if (b & 1) r ^= a;
    a = ((a << 1) ^ (a & 0x80 ? 0x1b : 0)) & 0xff;
    b >>= 1;
  }
  return r;
}

function initTables(): void {
  // S-box: multiplicative inverse in GF(2^8) followed by the affine map (FIPS-197 §5.1.1).
  let p: u32 = 1, q: u32 = 1;
  do {
    p = (p ^ (p << 1) ^ (p & 0x80 ? 0x1b : 0)) & 0xff;
    q ^= q << 1; q ^= q << 2; q ^= q << 4; q &= 0xff;
    if (q & 0x80) q ^= 0x09;
    const x = q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4);
    store<u8>(SBOX + p, <u8>(x ^ 0x63));
  } while (p != 1);
  store<u8>(SBOX, 0x63);
  for (let i: u32 = 0; i < 256; i++) store<u8>(INV_SBOX + load<u8>(SBOX + i), <u8>i);
  for (let i: u32 = 0; i < 256; i++) {
    const s = <u32>load<u8>(SBOX + i);
    const te = (mul(s, 2) << 24) | (s << 16) | (s << 8) | mul(s, 3);
    const v = <u32>load<u8>(INV_SBOX + i);
    const td = (mul(v, 14) << 24) | (mul(v, 9) << 16) | (mul(v, 13) << 8) | mul(v, 11);
    for (let t: u32 = 0; t < 4; t++) {
      store<u32>(TE + (t << 10) + (i << 2), rotr<u32>(te, 8 * t));
      store<u32>(TD + (t << 10) + (i << 2), rotr<u32>(td, 8 * t));
    }
  }
}
initTables();

@inline function te(t: u32, b: u32): u32 { return load<u32>(TE + (t << 10) + ((b & 0xff) << 2)); }
@inline function td(t: u32, b: u32): u32 { return load<u32>(TD + (t << 10) + ((b & 0xff) << 2)); }
@inline function sb(b: u32): u32 { return <u32>load<u8>(SBOX + (b & 0xff)); }
@inline function isb(b: u32): u32 { return <u32>load<u8>(INV_SBOX + (b & 0xff)); }
@inline function be32(p: usize): u32 { return bswap<u32>(load<u32>(p)); }
@inline function putBe32(p: usize, v: u32): void { store<u32>(p, bswap<u32>(v)); }

function subWord(w: u32): u32 {
  return (sb(w >> 24) << 24) | (sb(w >> 16) << 16) | (sb(w >> 8) << 8) | sb(w);
}

/** Encrypts state s0..s3 in place with the encryption schedule. */
@inline function encryptBlock(): void {
  let a0 = s0 ^ load<u32>(EK), a1 = s1 ^ load<u32>(EK, 4), a2 = s2 ^ load<u32>(EK, 8), a3 = s3 ^ load<u32>(EK, 12);
  let k = EK + 16;
  const last = EK + (<usize>rounds << 4);
  while (k < last) {
    const t0 = te(0, a0 >> 24) ^ te(1, a1 >> 16) ^ te(2, a2 >> 8) ^ te(3, a3) ^ load<u32>(k);
    const t1 = te(0, a1 >> 24) ^ te(1, a2 >> 16) ^ te(2, a3 >> 8) ^ te(3, a0) ^ load<u32>(k, 4);
    const t2 = te(0, a2 >> 24) ^ te(1, a3 >> 16) ^ te(2, a0 >> 8) ^ te(3, a1) ^ load<u32>(k, 8);
    const t3 = te(0, a3 >> 24) ^ te(1, a0 >> 16) ^ te(2, a1 >> 8) ^ te(3, a2) ^ load<u32>(k, 12);
    a0 = t0; a1 = t1; a2 = t2; a3 = t3;
    k += 16;
  }
  s0 = ((sb(a0 >> 24) << 24) | (sb(a1 >> 16) << 16) | (sb(a2 >> 8) << 8) | sb(a3)) ^ load<u32>(k);
  s1 = ((sb(a1 >> 24) << 24) | (sb(a2 >> 16) << 16) | (sb(a3 >> 8) << 8) | sb(a0)) ^ load<u32>(k, 4);
  s2 = ((sb(a2 >> 24) << 24) | (sb(a3 >> 16) << 16) | (sb(a0 >> 8) << 8) | sb(a1)) ^ load<u32>(k, 8);
  s3 = ((sb(a3 >> 24) << 24) | (sb(a0 >> 16) << 16) | (sb(a1 >> 8) << 8) | sb(a2)) ^ load<u32>(k, 12);
}

/** Decrypts state s0..s3 in place with the equivalent inverse cipher (FIPS-197 §5.3.5). */
@inline function decryptBlock(): void {
  let a0 = s0 ^ load<u32>(DK), a1 = s1 ^ load<u32>(DK, 4), a2 = s2 ^ load<u32>(DK, 8), a3 = s3 ^ load<u32>(DK, 12);
  let k = DK + 16;
  const last = DK + (<usize>rounds << 4);
  while (k < last) {
    const t0 = td(0, a0 >> 24) ^ td(1, a3 >> 16) ^ td(2, a2 >> 8) ^ td(3, a1) ^ load<u32>(k);
    const t1 = td(0, a1 >> 24) ^ td(1, a0 >> 16) ^ td(2, a3 >> 8) ^ td(3, a2) ^ load<u32>(k, 4);
    const t2 = td(0, a2 >> 24) ^ td(1, a1 >> 16) ^ td(2, a0 >> 8) ^ td(3, a3) ^ load<u32>(k, 8);
    const t3 = td(0, a3 >> 24) ^ td(1, a2 >> 16) ^ td(2, a1 >> 8) ^ td(3, a0) ^ load<u32>(k, 12);
    a0 = t0; a1 = t1; a2 = t2; a3 = t3;
    k += 16;
  }
  s0 = ((isb(a0 >> 24) << 24) | (isb(a3 >> 16) << 16) | (isb(a2 >> 8) << 8) | isb(a1)) ^ load<u32>(k);
  s1 = ((isb(a1 >> 24) << 24) | (isb(a0 >> 16) << 16) | (isb(a3 >> 8) << 8) | isb(a2)) ^ load<u32>(k, 4);
  s2 = ((isb(a2 >> 24) << 24) | (isb(a1 >> 16) << 16) | (isb(a0 >> 8) << 8) | isb(a3)) ^ load<u32>(k, 8);
  s3 = ((isb(a3 >> 24) << 24) | (isb(a2 >> 16) << 16) | (isb(a1 >> 8) << 8) | isb(a0)) ^ load<u32>(k, 12);
}

// ---- GHASH (SP 800-38D §6.4), 4-bit tables as in Shoup / mbed TLS ----
let gh: u64 = 0, gl: u64 = 0; // GHASH accumulator X, big-endian halves

function ghashInit(): void {
  s0 = 0; s1 = 0; s2 = 0; s3 = 0;
  encryptBlock();
  let vh = (<u64>s0 << 32) | <u64>s1;
  let vl = (<u64>s2 << 32) | <u64>s3;
  store<u64>(HL + 64, vl); store<u64>(HH + 64, vh);
  store<u64>(HL, 0); store<u64>(HH, 0);
  for (let i = 4; i > 0; i >>= 1) {
    const t: u64 = (vl & 1) * 0xe1000000;
    vl = (vh << 63) | (vl >> 1);
    vh = (vh >> 1) ^ (t << 32);
    store<u64>(HL + (<usize>i << 3), vl); store<u64>(HH + (<usize>i << 3), vh);
  }
  for (let i = 2; i <= 8; i <<= 1) {
    const h = load<u64>(HH + (<usize>i << 3)), l = load<u64>(HL + (<usize>i << 3));
    for (let j = 1; j < i; j++) {
      store<u64>(HH + (<usize>(i + j) << 3), h ^ load<u64>(HH + (<usize>j << 3)));
      store<u64>(HL + (<usize>(i + j) << 3), l ^ load<u64>(HL + (<usize>j << 3)));
    }
  }
}

/** X = X * H. */
function gmult(): void {
  let lo = <usize>(gl & 0xf);
  let zh = load<u64>(HH + (lo << 3)), zl = load<u64>(HL + (lo << 3));
  for (let i = 15; i >= 0; i--) {
    const b = <usize>(i >= 8 ? (gl >> (<u64>(15 - i) << 3)) & 0xff : (gh >> (<u64>(7 - i) << 3)) & 0xff);
    lo = b & 0xf;
    const hi = b >> 4;
    let rem: usize;
    if (i != 15) {
      rem = <usize>(zl & 0xf);
      zl = (zh << 60) | (zl >> 4);
      zh = (zh >> 4) ^ (load<u64>(LAST4 + (rem << 3)) << 48);
      zh ^= load<u64>(HH + (lo << 3)); zl ^= load<u64>(HL + (lo << 3));
    }
    rem = <usize>(zl & 0xf);
    zl = (zh << 60) | (zl >> 4);
    zh = (zh >> 4) ^ (load<u64>(LAST4 + (rem << 3)) << 48);
    zh ^= load<u64>(HH + (hi << 3)); zl ^= load<u64>(HL + (hi << 3));
  }
  gh = zh; gl = zl;
}

/** Absorbs len bytes at p, zero-padding the last partial block. */
function ghashBytes(p: usize, len: u32): void {
  let off: u32 = 0;
  for (; off + 16 <= len; off += 16) {
    gh ^= bswap<u64>(load<u64>(p + off)); gl ^= bswap<u64>(load<u64>(p + off, 8));
    gmult();
  }
  if (off < len) {
    store<u64>(BLOCK, 0); store<u64>(BLOCK, 0, 8);
    memory.copy(BLOCK, p + off, len - off);
    gh ^= bswap<u64>(load<u64>(BLOCK)); gl ^= bswap<u64>(load<u64>(BLOCK, 8));
    gmult();
  }
}

// ---- exports ----

/** Sets the key (16, 24 or 32 bytes at ptr); returns 0, or -1 for a bad length. */
export function setKey(ptr: u32, len: u32): i32 {
  if (len != 16 && len != 24 && len != 32) return -1;
  if (!inBounds(ptr, len)) return -2;
  const nk = <i32>(len >> 2);
  rounds = nk + 6;
  const total = 4 * (rounds + 1);
  for (let i = 0; i < nk; i++) store<u32>(EK + (<usize>i << 2), be32(<usize>ptr + (<usize>i << 2)));
  let rcon: u32 = 1;
  for (let i = nk; i < total; i++) {
    let t = load<u32>(EK + (<usize>(i - 1) << 2));
    if (i % nk == 0) {
      t = subWord(rotl<u32>(t, 8)) ^ (rcon << 24);
      rcon = mul(rcon, 2);
    } else if (nk > 6 && i % nk == 4) {
      t = subWord(t);
    }
    store<u32>(EK + (<usize>i << 2), load<u32>(EK + (<usize>(i - nk) << 2)) ^ t);
  }
  // Decryption schedule: round keys in reverse order, InvMixColumns on the inner ones.
  for (let r = 0; r <= rounds; r++) {
    for (let j = 0; j < 4; j++) {
      let w = load<u32>(EK + (<usize>((rounds - r) * 4 + j) << 2));
      if (r > 0 && r < rounds) {
        w = td(0, sb(w >> 24)) ^ td(1, sb(w >> 16)) ^ td(2, sb(w >> 8)) ^ td(3, sb(w));
      }
      store<u32>(DK + (<usize>(r * 4 + j) << 2), w);
    }
  }
  ghashInit();
  return 0;
}

/** Start of caller memory (tables, buffers). */
export function heapStart(): u32 {
  return <u32>scratchBase();
}

/** Checks a CBC table of n items {src, dst, len, iv}; returns 0 or -(1 + bad item). */
function checkCbc(table: u32, n: i32): i32 {
  if (rounds == 0) return BAD_TABLE;
  if (!tableInBounds(table, n, 4)) return BAD_TABLE;
  for (let i = 0; i < n; i++) {
    const src = field(table, i, 4, 0), dst = field(table, i, 4, 1), len = field(table, i, 4, 2), iv = field(table, i, 4, 3);
    if ((len & 15) != 0 || !inBounds(src, len) || !inBounds(dst, len) || !inBounds(iv, 16)) return -(1 + i);
  }
  return 0;
}

/** CBC-encrypts n items {src, dst, len, iv} (dst may equal src). Returns 0 or a negative status. */
export function cbcEncrypt(table: u32, n: i32): i32 {
  const bad = checkCbc(table, n);
  if (bad != 0) return bad;
  for (let i = 0; i < n; i++) {
    const src = <usize>field(table, i, 4, 0), dst = <usize>field(table, i, 4, 1);
    const len = <usize>field(table, i, 4, 2), iv = <usize>field(table, i, 4, 3);
    let c0 = be32(iv), c1 = be32(iv + 4), c2 = be32(iv + 8), c3 = be32(iv + 12);
    for (let off: usize = 0; off < len; off += 16) {
      s0 = be32(src + off) ^ c0; s1 = be32(src + off + 4) ^ c1;
      s2 = be32(src + off + 8) ^ c2; s3 = be32(src + off + 12) ^ c3;
      encryptBlock();
      c0 = s0; c1 = s1; c2 = s2; c3 = s3;
      putBe32(dst + off, c0); putBe32(dst + off + 4, c1); putBe32(dst + off + 8, c2); putBe32(dst + off + 12, c3);
    }
  }
  return 0;
}

/** CBC-decrypts n items {src, dst, len, iv} (dst may equal src). Returns 0 or a negative status. */
export function cbcDecrypt(table: u32, n: i32): i32 {
  const bad = checkCbc(table, n);
  if (bad != 0) return bad;
  for (let i = 0; i < n; i++) {
    const src = <usize>field(table, i, 4, 0), dst = <usize>field(table, i, 4, 1);
    const len = <usize>field(table, i, 4, 2), iv = <usize>field(table, i, 4, 3);
    let c0 = be32(iv), c1 = be32(iv + 4), c2 = be32(iv + 8), c3 = be32(iv + 12);
    for (let off: usize = 0; off < len; off += 16) {
      const x0 = be32(src + off), x1 = be32(src + off + 4), x2 = be32(src + off + 8), x3 = be32(src + off + 12);
      s0 = x0; s1 = x1; s2 = x2; s3 = x3;
      decryptBlock();
      putBe32(dst + off, s0 ^ c0); putBe32(dst + off + 4, s1 ^ c1);
      putBe32(dst + off + 8, s2 ^ c2); putBe32(dst + off + 12, s3 ^ c3);
      c0 = x0; c1 = x1; c2 = x2; c3 = x3;
    }
  }
  return 0;
}

/** Checks a GCM table of n items {iv, ivLen, aad, aadLen, src, dst, len, tag}. */
function checkGcm(table: u32, n: i32, tagLen: i32): i32 {
  if (rounds == 0 || tagLen < 4 || tagLen > 16) return BAD_TABLE;
  if (!tableInBounds(table, n, 8)) return BAD_TABLE;
  for (let i = 0; i < n; i++) {
    const iv = field(table, i, 8, 0), ivLen = field(table, i, 8, 1);
    const aad = field(table, i, 8, 2), aadLen = field(table, i, 8, 3);
    const src = field(table, i, 8, 4), dst = field(table, i, 8, 5), len = field(table, i, 8, 6);
    const tag = field(table, i, 8, 7);
    if (ivLen == 0 || ivLen > 0x10000 || len > 0x7fffffe0 || aadLen > 0x7fffffe0) return -(1 + i);
    if (!inBounds(iv, ivLen) || !inBounds(aad, aadLen) || !inBounds(src, len) || !inBounds(dst, len) || !inBounds(tag, tagLen)) return -(1 + i);
  }
  return 0;
}

// Pre-counter block J0 for the current item, kept as four words.
let j0: u32 = 0, j1: u32 = 0, j2: u32 = 0, j3: u32 = 0;

function deriveJ0(iv: usize, ivLen: u32): void {
  if (ivLen == 12) {
    j0 = be32(iv); j1 = be32(iv + 4); j2 = be32(iv + 8); j3 = 1;
    return;
  }
  gh = 0; gl = 0;
  ghashBytes(iv, ivLen);
  gl ^= <u64>ivLen << 3;
  gmult();
  j0 = <u32>(gh >> 32); j1 = <u32>gh; j2 = <u32>(gl >> 32); j3 = <u32>gl;
}

/** CTR from inc32(J0) over len bytes (SP 800-38D §6.5). */
function gctr(src: usize, dst: usize, len: u32): void {
  let ctr = j3;
  let off: u32 = 0;
  for (; off + 16 <= len; off += 16) {
    ctr++;
    s0 = j0; s1 = j1; s2 = j2; s3 = ctr;
    encryptBlock();
    const p = src + off, q = dst + off;
    putBe32(q, be32(p) ^ s0); putBe32(q + 4, be32(p + 4) ^ s1);
    putBe32(q + 8, be32(p + 8) ^ s2); putBe32(q + 12, be32(p + 12) ^ s3);
  }
  if (off < len) {
    ctr++;
    s0 = j0; s1 = j1; s2 = j2; s3 = ctr;
    encryptBlock();
    putBe32(BLOCK, s0); putBe32(BLOCK + 4, s1); putBe32(BLOCK + 8, s2); putBe32(BLOCK + 12, s3);
    for (let k: u32 = 0; off + k < len; k++) {
      store<u8>(dst + off + k, load<u8>(src + off + k) ^ load<u8>(BLOCK + k));
    }
  }
}

/** Computes the full 16-byte tag into BLOCK for ciphertext c and aad. */
function computeTag(aad: usize, aadLen: u32, c: usize, len: u32): void {
  gh = 0; gl = 0;
  ghashBytes(aad, aadLen);
  ghashBytes(c, len);
  gh ^= <u64>aadLen << 3; gl ^= <u64>len << 3;
  gmult();
  s0 = j0; s1 = j1; s2 = j2; s3 = j3;
  encryptBlock();
  putBe32(BLOCK, s0 ^ <u32>(gh >> 32)); putBe32(BLOCK + 4, s1 ^ <u32>gh);
  putBe32(BLOCK + 8, s2 ^ <u32>(gl >> 32)); putBe32(BLOCK + 12, s3 ^ <u32>gl);
}

/** GCM-encrypts n items, writing ciphertext to dst and tagLen tag bytes to tag. */
export function gcmSeal(table: u32, n: i32, tagLen: i32): i32 {
  const bad = checkGcm(table, n, tagLen);
  if (bad != 0) return bad;
  for (let i = 0; i < n; i++) {
    const iv = <usize>field(table, i, 8, 0), ivLen = field(table, i, 8, 1);
    const aad = <usize>field(table, i, 8, 2), aadLen = field(table, i, 8, 3);
    const src = <usize>field(table, i, 8, 4), dst = <usize>field(table, i, 8, 5), len = field(table, i, 8, 6);
    const tag = <usize>field(table, i, 8, 7);
    deriveJ0(iv, ivLen);
    gctr(src, dst, len);
    computeTag(aad, aadLen, dst, len);
    memory.copy(tag, BLOCK, tagLen);
  }
  return 0;
}

/**
 * GCM-decrypts n items: checks each tag in constant time and, only when it
 * matches, writes the plaintext. status[i] (u8) is 0 for ok, 1 for auth failed.
 * Returns the number of failed items, or a negative status for a bad table.
 */
export function gcmOpen(table: u32, n: i32, tagLen: i32, status: u32): i32 {
  const bad = checkGcm(table, n, tagLen);
  if (bad != 0) return bad;
  if (!inBounds(status, <u32>n)) return BAD_TABLE;
  let failed = 0;
  for (let i = 0; i < n; i++) {
    const iv = <usize>field(table, i, 8, 0), ivLen = field(table, i, 8, 1);
    const aad = <usize>field(table, i, 8, 2), aadLen = field(table, i, 8, 3);
    const src = <usize>field(table, i, 8, 4), dst = <usize>field(table, i, 8, 5), len = field(table, i, 8, 6);
    const tag = <usize>field(table, i, 8, 7);
    deriveJ0(iv, ivLen);
    computeTag(aad, aadLen, src, len);
    let diff: u32 = 0;
    for (let k = 0; k < tagLen; k++) diff |= <u32>(load<u8>(tag + k) ^ load<u8>(BLOCK + k));
    if (diff == 0) {
      gctr(src, dst, len);
      store<u8>(<usize>status + i, 0);
    } else {
      store<u8>(<usize>status + i, 1);
      failed++;
    }
  }
  return failed;
}
