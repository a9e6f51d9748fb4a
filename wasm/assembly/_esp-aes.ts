// AES-128/192/256 in CBC mode (FIPS-197, SP 800-38A) for the ESP module, two ways:
//
// * Bitsliced on SIMD128: eight blocks at once, bit i of all 128 bytes in one
//   v128 "plane" (byte j of a plane = state byte j, one bit per block). The
//   S-box is a boolean circuit of about 140 gates (_esp-aes-sbox.ts, derived in
//   src/fastpath/esp/aes-sbox-circuit.ts), ShiftRows and the byte rotations of
//   MixColumns are byte shuffles, xtime moves planes. CBC decryption takes any
//   eight blocks (every ciphertext is known); CBC encryption runs eight packets
//   side by side, one chain per lane, refilling a lane with the next packet as
//   soon as its packet ends.
// * T-tables, one block at a time, for the last one or two chains of an
//   encryption batch, where eight-wide work would be mostly idle.
//
// Blocks move between byte form and planes with an 8x8 bit transpose in each
// byte position (three rounds of SWAPMOVE). The caller checks all pointers.
import { sboxPlanes, invSboxPlanes } from "./_esp-aes-sbox";

const SBOX: usize = memory.data(256);
const TE: usize = memory.data(4096, 16); // Te0..Te3, 256 u32 each (byte order as loaded big-endian)
const EK: usize = memory.data(240, 16); // round keys as big-endian words, 4 per round
const RKB: usize = memory.data(15 * 128, 16); // bitsliced round keys: round r, plane p at RKB + 128 r + 16 p
const PL: usize = memory.data(128, 16); // the eight planes being worked on
const CHAIN: usize = memory.data(128, 16); // CBC chaining value per encryption lane
const LANE_PTR: usize = memory.data(32, 16);
const LANE_LEFT: usize = memory.data(32, 16);
const DUMMY: usize = memory.data(16 * 16, 16); // where idle decryption lanes read and write

let rounds: i32 = 0;

function xtime8(b: u32): u32 {
  return ((b << 1) ^ (b & 0x80 ? 0x1b : 0)) & 0xff;
}

function initTables(): void {
  // S-box from the definition: multiplicative inverse (via a generator's powers) then the affine map.
  const exp = memory.data(256), log = memory.data(256);
  let x: u32 = 1;
  for (let i: u32 = 0; i < 255; i++) {
    store<u8>(exp + i, <u8>x);
    store<u8>(log + x, <u8>i);
    x ^= xtime8(x); // multiply by the generator 3
  }
  for (let a: u32 = 0; a < 256; a++) {
    const inv: u32 = a == 0 ? 0 : <u32>load<u8>(exp + ((255 - <u32>load<u8>(log + a)) % 255));
    let s = inv;
    for (let k: u32 = 1; k <= 4; k++) s ^= ((inv << k) | (inv >> (8 - k))) & 0xff;
    store<u8>(SBOX + a, <u8>(s ^ 0x63));
  }
  for (let a: u32 = 0; a < 256; a++) {
    const s = <u32>load<u8>(SBOX + a);
    const s2 = xtime8(s), s3 = s2 ^ s;
    const te = (s2 << 24) | (s << 16) | (s << 8) | s3;
    for (let t: u32 = 0; t < 4; t++) store<u32>(TE + (t << 10) + (a << 2), rotr<u32>(te, 8 * t));
  }
}
initTables();

@inline function sb(b: u32): u32 { return <u32>load<u8>(SBOX + (b & 0xff)); }

/** Expands a 16, 24 or 32-byte key (FIPS-197 §5.2) and its bitsliced form; returns false for other lengths. */
export function aesSetKey(key: usize, len: u32): bool {
  if (len != 16 && len != 24 && len != 32) return false;
  const nk = <i32>(len >> 2);
  rounds = nk + 6;
  const total = 4 * (rounds + 1);
  for (let i = 0; i < nk; i++) store<u32>(EK + (<usize>i << 2), bswap<u32>(load<u32>(key + (<usize>i << 2))));
  let rcon: u32 = 1;
  for (let i = nk; i < total; i++) {
    let t = load<u32>(EK + (<usize>(i - 1) << 2));
    if (i % nk == 0) {
      t = rotl<u32>(t, 8);
      t = ((sb(t >> 24) << 24) | (sb(t >> 16) << 16) | (sb(t >> 8) << 8) | sb(t)) ^ (rcon << 24);
      rcon = xtime8(rcon);
    } else if (nk > 6 && i % nk == 4) {
      t = (sb(t >> 24) << 24) | (sb(t >> 16) << 16) | (sb(t >> 8) << 8) | sb(t);
    }
    store<u32>(EK + (<usize>i << 2), load<u32>(EK + (<usize>(i - nk) << 2)) ^ t);
  }
  // Bitsliced round keys: plane p byte j is 0xff where bit p of round key byte j is set.
  const zero = i8x16.splat(0);
  for (let r = 0; r <= rounds; r++) {
    const w = v128.load(EK + (<usize>r << 4));
    const bytes = i8x16.shuffle(w, w, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12); // big-endian words to key bytes
    for (let p = 0; p < 8; p++) {
      const bit = v128.and(bytes, i32x4.splat(0x01010101 << p));
      v128.store(RKB + (<usize>r << 7) + (<usize>p << 4), i8x16.ne(bit, zero));
    }
  }
  return true;
}

// ---- one block with T-tables ----

@inline function te(t: usize, scaled: u32): u32 {
  return load<u32>(TE + (t << 10) + <usize>(scaled & 0x3fc));
}

/** Encrypts the block at p (big-endian words s0..s3 in, result stored at q). */
function encryptBlockT(p: usize, q: usize, c0: u32, c1: u32, c2: u32, c3: u32): void {
  let a0 = bswap<u32>(load<u32>(p)) ^ c0 ^ load<u32>(EK), a1 = bswap<u32>(load<u32>(p, 4)) ^ c1 ^ load<u32>(EK, 4);
  let a2 = bswap<u32>(load<u32>(p, 8)) ^ c2 ^ load<u32>(EK, 8), a3 = bswap<u32>(load<u32>(p, 12)) ^ c3 ^ load<u32>(EK, 12);
  let k = EK + 16;
  const last = EK + (<usize>rounds << 4);
  while (k < last) {
    const t0 = te(0, a0 >> 22) ^ te(1, a1 >> 14) ^ te(2, a2 >> 6) ^ te(3, a3 << 2) ^ load<u32>(k);
    const t1 = te(0, a1 >> 22) ^ te(1, a2 >> 14) ^ te(2, a3 >> 6) ^ te(3, a0 << 2) ^ load<u32>(k, 4);
    const t2 = te(0, a2 >> 22) ^ te(1, a3 >> 14) ^ te(2, a0 >> 6) ^ te(3, a1 << 2) ^ load<u32>(k, 8);
    const t3 = te(0, a3 >> 22) ^ te(1, a0 >> 14) ^ te(2, a1 >> 6) ^ te(3, a2 << 2) ^ load<u32>(k, 12);
    a0 = t0; a1 = t1; a2 = t2; a3 = t3;
    k += 16;
  }
  const o0 = ((sb(a0 >> 24) << 24) | (sb(a1 >> 16) << 16) | (sb(a2 >> 8) << 8) | sb(a3)) ^ load<u32>(k);
  const o1 = ((sb(a1 >> 24) << 24) | (sb(a2 >> 16) << 16) | (sb(a3 >> 8) << 8) | sb(a0)) ^ load<u32>(k, 4);
  const o2 = ((sb(a2 >> 24) << 24) | (sb(a3 >> 16) << 16) | (sb(a0 >> 8) << 8) | sb(a1)) ^ load<u32>(k, 8);
  const o3 = ((sb(a3 >> 24) << 24) | (sb(a0 >> 16) << 16) | (sb(a1 >> 8) << 8) | sb(a2)) ^ load<u32>(k, 12);
  store<u32>(q, bswap<u32>(o0)); store<u32>(q, bswap<u32>(o1), 4);
  store<u32>(q, bswap<u32>(o2), 8); store<u32>(q, bswap<u32>(o3), 12);
}

/** CBC-encrypts `blocks` blocks at p in place, chaining from the 16 bytes at chain. */
function cbcEncryptT(p: usize, blocks: u32, chain: usize): void {
  let c0 = bswap<u32>(load<u32>(chain)), c1 = bswap<u32>(load<u32>(chain, 4));
  let c2 = bswap<u32>(load<u32>(chain, 8)), c3 = bswap<u32>(load<u32>(chain, 12));
  for (let b: u32 = 0; b < blocks; b++) {
    const q = p + (<usize>b << 4);
    encryptBlockT(q, q, c0, c1, c2, c3);
    c0 = bswap<u32>(load<u32>(q)); c1 = bswap<u32>(load<u32>(q, 4));
    c2 = bswap<u32>(load<u32>(q, 8)); c3 = bswap<u32>(load<u32>(q, 12));
  }
}

// ---- bitsliced rounds on PL ----

/**
 * Transposes the 8x8 bit matrix in every byte position of the eight rows in PL
 * (row k byte j bit p <-> row p byte j bit k): three rounds of SWAPMOVE, each
 * exchanging the bits of b at a mask with the bits of a at mask << s. Its own inverse.
 */
@inline function transpose8(): void {
  let r0 = v128.load(PL), r1 = v128.load(PL, 16), r2 = v128.load(PL, 32), r3 = v128.load(PL, 48);
  let r4 = v128.load(PL, 64), r5 = v128.load(PL, 80), r6 = v128.load(PL, 96), r7 = v128.load(PL, 112);
  const m1 = i8x16.splat(0x55), m2 = i8x16.splat(0x33), m4 = i8x16.splat(0x0f);
  let t: v128;
  t = v128.and(v128.xor(i16x8.shr_u(r0, 1), r1), m1); r1 = v128.xor(r1, t); r0 = v128.xor(r0, i16x8.shl(t, 1));
  t = v128.and(v128.xor(i16x8.shr_u(r2, 1), r3), m1); r3 = v128.xor(r3, t); r2 = v128.xor(r2, i16x8.shl(t, 1));
  t = v128.and(v128.xor(i16x8.shr_u(r4, 1), r5), m1); r5 = v128.xor(r5, t); r4 = v128.xor(r4, i16x8.shl(t, 1));
  t = v128.and(v128.xor(i16x8.shr_u(r6, 1), r7), m1); r7 = v128.xor(r7, t); r6 = v128.xor(r6, i16x8.shl(t, 1));
  t = v128.and(v128.xor(i16x8.shr_u(r0, 2), r2), m2); r2 = v128.xor(r2, t); r0 = v128.xor(r0, i16x8.shl(t, 2));
  t = v128.and(v128.xor(i16x8.shr_u(r1, 2), r3), m2); r3 = v128.xor(r3, t); r1 = v128.xor(r1, i16x8.shl(t, 2));
  t = v128.and(v128.xor(i16x8.shr_u(r4, 2), r6), m2); r6 = v128.xor(r6, t); r4 = v128.xor(r4, i16x8.shl(t, 2));
  t = v128.and(v128.xor(i16x8.shr_u(r5, 2), r7), m2); r7 = v128.xor(r7, t); r5 = v128.xor(r5, i16x8.shl(t, 2));
  t = v128.and(v128.xor(i16x8.shr_u(r0, 4), r4), m4); r4 = v128.xor(r4, t); r0 = v128.xor(r0, i16x8.shl(t, 4));
  t = v128.and(v128.xor(i16x8.shr_u(r1, 4), r5), m4); r5 = v128.xor(r5, t); r1 = v128.xor(r1, i16x8.shl(t, 4));
  t = v128.and(v128.xor(i16x8.shr_u(r2, 4), r6), m4); r6 = v128.xor(r6, t); r2 = v128.xor(r2, i16x8.shl(t, 4));
  t = v128.and(v128.xor(i16x8.shr_u(r3, 4), r7), m4); r7 = v128.xor(r7, t); r3 = v128.xor(r3, i16x8.shl(t, 4));
  v128.store(PL, r0); v128.store(PL, r1, 16); v128.store(PL, r2, 32); v128.store(PL, r3, 48);
  v128.store(PL, r4, 64); v128.store(PL, r5, 80); v128.store(PL, r6, 96); v128.store(PL, r7, 112);
}

/** AddRoundKey with round r's planes. */
function addRoundKey(r: i32): void {
  const k = RKB + (<usize>r << 7);
  for (let p: usize = 0; p < 128; p += 16) v128.store(PL + p, v128.xor(v128.load(PL + p), v128.load(k + p)));
}

// Byte shuffles on a plane (byte j = state row j & 3, column j >> 2):
//   SR:   ShiftRows, out(r, c) = in(r, c + r)
//   SR1:  rotate-within-column after ShiftRows, out(r, c) = SR(r + 1, c)
//   SR3:  out(r, c) = SR(r + 3, c)
//   ROT1: out(r, c) = in(r + 1, c);  ROT2, ROT3 likewise
//   ISR:  InvShiftRows, out(r, c) = in(r, c - r)
@inline function sr(x: v128): v128 { return i8x16.shuffle(x, x, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11); }
@inline function sr1(x: v128): v128 { return i8x16.shuffle(x, x, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12); }
@inline function sr3(x: v128): v128 { return i8x16.shuffle(x, x, 15, 0, 5, 10, 3, 4, 9, 14, 7, 8, 13, 2, 11, 12, 1, 6); }
@inline function rot1(x: v128): v128 { return i8x16.shuffle(x, x, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12); }
@inline function rot2(x: v128): v128 { return i8x16.shuffle(x, x, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13); }
@inline function rot3(x: v128): v128 { return i8x16.shuffle(x, x, 3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14); }
@inline function isr(x: v128): v128 { return i8x16.shuffle(x, x, 0, 13, 10, 7, 4, 1, 14, 11, 8, 5, 2, 15, 12, 9, 6, 3); }

/** ShiftRows, MixColumns (b = xtime(t) ^ rot1(t) ^ rot3(y), t = y ^ rot1(y)) and AddRoundKey r, on PL. */
function shiftMixAdd(r: i32): void {
  const k = RKB + (<usize>r << 7);
  const x0 = v128.load(PL), x1 = v128.load(PL, 16), x2 = v128.load(PL, 32), x3 = v128.load(PL, 48);
  const x4 = v128.load(PL, 64), x5 = v128.load(PL, 80), x6 = v128.load(PL, 96), x7 = v128.load(PL, 112);
  const t0 = v128.xor(sr(x0), sr1(x0)), t1 = v128.xor(sr(x1), sr1(x1)), t2 = v128.xor(sr(x2), sr1(x2)), t3 = v128.xor(sr(x3), sr1(x3));
  const t4 = v128.xor(sr(x4), sr1(x4)), t5 = v128.xor(sr(x5), sr1(x5)), t6 = v128.xor(sr(x6), sr1(x6)), t7 = v128.xor(sr(x7), sr1(x7));
  // xtime(t): plane i takes t(i-1), and t7 feeds planes 0, 1, 3, 4 (x^8 = x^4 + x^3 + x + 1).
  v128.store(PL, v128.xor(v128.xor(t7, rot1(t0)), v128.xor(sr3(x0), v128.load(k))));
  v128.store(PL, v128.xor(v128.xor(v128.xor(t0, t7), rot1(t1)), v128.xor(sr3(x1), v128.load(k, 16))), 16);
  v128.store(PL, v128.xor(v128.xor(t1, rot1(t2)), v128.xor(sr3(x2), v128.load(k, 32))), 32);
  v128.store(PL, v128.xor(v128.xor(v128.xor(t2, t7), rot1(t3)), v128.xor(sr3(x3), v128.load(k, 48))), 48);
  v128.store(PL, v128.xor(v128.xor(v128.xor(t3, t7), rot1(t4)), v128.xor(sr3(x4), v128.load(k, 64))), 64);
  v128.store(PL, v128.xor(v128.xor(t4, rot1(t5)), v128.xor(sr3(x5), v128.load(k, 80))), 80);
  v128.store(PL, v128.xor(v128.xor(t5, rot1(t6)), v128.xor(sr3(x6), v128.load(k, 96))), 96);
  v128.store(PL, v128.xor(v128.xor(t6, rot1(t7)), v128.xor(sr3(x7), v128.load(k, 112))), 112);
}

/** ShiftRows and AddRoundKey r (the last round). */
function shiftAdd(r: i32): void {
  const k = RKB + (<usize>r << 7);
  for (let p: usize = 0; p < 128; p += 16) v128.store(PL + p, v128.xor(sr(v128.load(PL + p)), v128.load(k + p)));
}

/** InvShiftRows and AddRoundKey r (the last decryption round). */
function invShiftAdd(r: i32): void {
  const k = RKB + (<usize>r << 7);
  for (let p: usize = 0; p < 128; p += 16) v128.store(PL + p, v128.xor(isr(v128.load(PL + p)), v128.load(k + p)));
}

/**
 * InvShiftRows, AddRoundKey r, InvMixColumns on PL. InvMixColumns is
 * MixColumns after u = y ^ xtime(xtime(y ^ rot2(y))) (the 0e 0b 0d 09 matrix
 * factors as 02 03 01 01 times 05 00 04 00).
 */
function invShiftAddMix(r: i32): void {
  const k = RKB + (<usize>r << 7);
  const y0 = v128.xor(isr(v128.load(PL)), v128.load(k)), y1 = v128.xor(isr(v128.load(PL, 16)), v128.load(k, 16));
  const y2 = v128.xor(isr(v128.load(PL, 32)), v128.load(k, 32)), y3 = v128.xor(isr(v128.load(PL, 48)), v128.load(k, 48));
  const y4 = v128.xor(isr(v128.load(PL, 64)), v128.load(k, 64)), y5 = v128.xor(isr(v128.load(PL, 80)), v128.load(k, 80));
  const y6 = v128.xor(isr(v128.load(PL, 96)), v128.load(k, 96)), y7 = v128.xor(isr(v128.load(PL, 112)), v128.load(k, 112));
  const v0 = v128.xor(y0, rot2(y0)), v1 = v128.xor(y1, rot2(y1)), v2 = v128.xor(y2, rot2(y2)), v3 = v128.xor(y3, rot2(y3));
  const v4 = v128.xor(y4, rot2(y4)), v5 = v128.xor(y5, rot2(y5)), v6 = v128.xor(y6, rot2(y6)), v7 = v128.xor(y7, rot2(y7));
  // x^2 * v: plane i takes v(i-2), with v6 and v7 reduced (x^8 = x^4 + x^3 + x + 1, x^9 = x^5 + x^4 + x^2 + x).
  const w0 = v6, w1 = v128.xor(v6, v7), w2 = v128.xor(v0, v7), w3 = v128.xor(v1, v6);
  const w4 = v128.xor(v128.xor(v2, v6), v7), w5 = v128.xor(v3, v7), w6 = v4, w7 = v5;
  const u0 = v128.xor(y0, w0), u1 = v128.xor(y1, w1), u2 = v128.xor(y2, w2), u3 = v128.xor(y3, w3);
  const u4 = v128.xor(y4, w4), u5 = v128.xor(y5, w5), u6 = v128.xor(y6, w6), u7 = v128.xor(y7, w7);
  const t0 = v128.xor(u0, rot1(u0)), t1 = v128.xor(u1, rot1(u1)), t2 = v128.xor(u2, rot1(u2)), t3 = v128.xor(u3, rot1(u3));
  const t4 = v128.xor(u4, rot1(u4)), t5 = v128.xor(u5, rot1(u5)), t6 = v128.xor(u6, rot1(u6)), t7 = v128.xor(u7, rot1(u7));
  v128.store(PL, v128.xor(v128.xor(t7, rot1(t0)), rot3(u0)));
  v128.store(PL, v128.xor(v128.xor(v128.xor(t0, t7), rot1(t1)), rot3(u1)), 16);
  v128.store(PL, v128.xor(v128.xor(t1, rot1(t2)), rot3(u2)), 32);
  v128.store(PL, v128.xor(v128.xor(v128.xor(t2, t7), rot1(t3)), rot3(u3)), 48);
  v128.store(PL, v128.xor(v128.xor(v128.xor(t3, t7), rot1(t4)), rot3(u4)), 64);
  v128.store(PL, v128.xor(v128.xor(t4, rot1(t5)), rot3(u5)), 80);
  v128.store(PL, v128.xor(v128.xor(t5, rot1(t6)), rot3(u6)), 96);
  v128.store(PL, v128.xor(v128.xor(t6, rot1(t7)), rot3(u7)), 112);
}

/** Encrypts the eight blocks in PL (byte form in, byte form out). */
function encrypt8(): void {
  transpose8();
  addRoundKey(0);
  for (let r = 1; r < rounds; r++) {
    sboxPlanes(PL);
    shiftMixAdd(r);
  }
  sboxPlanes(PL);
  shiftAdd(rounds);
  transpose8();
}

/** Decrypts the eight blocks in PL (byte form in, byte form out). */
function decrypt8(): void {
  transpose8();
  addRoundKey(rounds);
  for (let r = rounds - 1; r >= 1; r--) {
    invSboxPlanes(PL);
    invShiftAddMix(r);
  }
  invSboxPlanes(PL);
  invShiftAdd(0);
  transpose8();
}

/**
 * CBC-encrypts n packets in place: packet i has blocks[i] blocks at data[i]
 * and its IV at ivs[i] (u32 arrays at the given addresses). Eight chains run
 * side by side; a lane takes the next packet when its own ends; the last one
 * or two chains finish with T-tables.
 */
export function aesCbcEncryptPackets(data: usize, blocks: usize, ivs: usize, n: i32): void {
  let next = 0;
  for (let k: usize = 0; k < 8; k++) store<u32>(LANE_LEFT + (k << 2), 0);
  for (;;) {
    let active = 0;
    for (let k: usize = 0; k < 8; k++) {
      if (load<u32>(LANE_LEFT + (k << 2)) == 0 && next < n) {
        const o = <usize>next << 2;
        store<u32>(LANE_PTR + (k << 2), load<u32>(data + o));
        store<u32>(LANE_LEFT + (k << 2), load<u32>(blocks + o));
        v128.store(CHAIN + (k << 4), v128.load(<usize>load<u32>(ivs + o)));
        next++;
      }
      if (load<u32>(LANE_LEFT + (k << 2)) != 0) active++;
    }
    if (active == 0) return;
    if (active <= 2 && next >= n) {
      for (let k: usize = 0; k < 8; k++) {
        const left = load<u32>(LANE_LEFT + (k << 2));
        if (left != 0) cbcEncryptT(<usize>load<u32>(LANE_PTR + (k << 2)), left, CHAIN + (k << 4));
      }
      return;
    }
    for (let k: usize = 0; k < 8; k++) {
      const row = load<u32>(LANE_LEFT + (k << 2)) != 0
        ? v128.xor(v128.load(<usize>load<u32>(LANE_PTR + (k << 2))), v128.load(CHAIN + (k << 4)))
        : v128.splat<i32>(0);
      v128.store(PL + (k << 4), row);
    }
    encrypt8();
    for (let k: usize = 0; k < 8; k++) {
      const left = load<u32>(LANE_LEFT + (k << 2));
      if (left == 0) continue;
      const p = <usize>load<u32>(LANE_PTR + (k << 2));
      const c = v128.load(PL + (k << 4));
      v128.store(p, c);
      v128.store(CHAIN + (k << 4), c);
      store<u32>(LANE_PTR + (k << 2), <u32>(p + 16));
      store<u32>(LANE_LEFT + (k << 2), left - 1);
    }
  }
}

// Pending decryption lanes: block address and the address of the block before it (or the IV).
const DEC_BLOCK: usize = memory.data(32, 16);
const DEC_PREV: usize = memory.data(32, 16);
let pending = 0;

/** Decrypts the pending lanes (idle lanes work on DUMMY) and writes P = D(C) ^ previous ciphertext in place. */
function flushDecrypt(): void {
  if (pending == 0) return;
  for (let k: usize = 0; k < 8; k++) {
    if (<i32>k >= pending) {
      store<u32>(DEC_BLOCK + (k << 2), <u32>(DUMMY + (k << 4)));
      store<u32>(DEC_PREV + (k << 2), <u32>(DUMMY + (k << 4)));
    }
    v128.store(PL + (k << 4), v128.load(<usize>load<u32>(DEC_BLOCK + (k << 2))));
  }
  decrypt8();
  // Every previous block is read before any block is written (they may be blocks of this group).
  for (let k: usize = 0; k < 8; k++) v128.store(PL + (k << 4), v128.xor(v128.load(PL + (k << 4)), v128.load(<usize>load<u32>(DEC_PREV + (k << 2)))));
  for (let k: usize = 0; k < <usize>pending; k++) v128.store(<usize>load<u32>(DEC_BLOCK + (k << 2)), v128.load(PL + (k << 4)));
  pending = 0;
}

/**
 * CBC-decrypts in place `blocks` blocks at p with the IV at iv, eight blocks
 * per bitsliced pass, pooling blocks across calls until aesCbcDecryptFlush.
 * Blocks are queued last to first, so a block's predecessor is never
 * overwritten before the block itself is done.
 */
export function aesCbcDecryptQueue(p: usize, blocks: u32, iv: usize): void {
  for (let b = <i32>blocks - 1; b >= 0; b--) {
    const k = <usize>pending << 2;
    const at = p + (<usize>b << 4);
    store<u32>(DEC_BLOCK + k, <u32>at);
    store<u32>(DEC_PREV + k, <u32>(b == 0 ? iv : at - 16));
    pending++;
    if (pending == 8) flushDecrypt();
  }
}

/** Finishes every queued block. */
export function aesCbcDecryptFlush(): void {
  flushDecrypt();
}
