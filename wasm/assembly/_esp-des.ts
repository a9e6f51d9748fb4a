// DES and 3DES (EDE3) in CBC mode (FIPS 46-3, SP 800-67, SP 800-38A) for the
// ESP module, two blocks at a time: the rounds of DES form one long chain of
// dependent table lookups, so two independent blocks (two packets' CBC chains
// when encrypting, two ciphertext blocks of a packet when decrypting) go
// through the rounds interleaved and the CPU overlaps their lookups.
//
// Tables are built at start-up from the FIPS 46-3 tables in _crypto-des-tables:
// IP and IP^-1 as eight byte-indexed 64-bit tables each, and the S-boxes merged
// with P into eight 64-entry tables indexed by the six E-expanded bits. E itself
// is two rotations of R: rotr(R, 1) puts the chunks 1, 3, 5, 7 (1-based) at bit
// 26, 18, 10, 2 and rotl(R, 3) puts chunks 2, 4, 6, 8 there, so each round key
// is stored as two words with its 6-bit chunks at the same places. Between the
// passes of 3DES the IP^-1 / IP pair cancels and is skipped.
import { buildDesTables, desSchedule, perm64 } from "./_crypto-des-core";

const IPT: usize = memory.data(8 * 256 * 8, 16);
const FPT: usize = memory.data(8 * 256 * 8, 16);
const SPT: usize = memory.data(8 * 64 * 4, 16); // S-box i + P at SPT + 256 i, indexed by 4 * (six bits)
const ENC: usize = memory.data(48 * 8, 16); // round keys in encryption order, {odd chunks, even chunks} per round
const DEC: usize = memory.data(48 * 8, 16); // in decryption order
const LANE_PTR: usize = memory.data(8, 16);
const LANE_LEFT: usize = memory.data(8, 16);
const LANE_CHAIN: usize = memory.data(16, 16);

let passes: i32 = 0;
let out0: u64 = 0, out1: u64 = 0;

buildDesTables(IPT, FPT, SPT);

/** The f function: S-boxes and P of E(r) ^ key, with the chunk indices pre-scaled by 4. */
@inline function f(r: u32, ka: u32, kb: u32): u32 {
  const u = rotr<u32>(r, 1) ^ ka, t = rotl<u32>(r, 3) ^ kb;
  return load<u32>(SPT + <usize>((u >> 24) & 0xfc)) ^ load<u32>(SPT + 512 + <usize>((u >> 16) & 0xfc))
    ^ load<u32>(SPT + 1024 + <usize>((u >> 8) & 0xfc)) ^ load<u32>(SPT + 1536 + <usize>(u & 0xfc))
    ^ load<u32>(SPT + 256 + <usize>((t >> 24) & 0xfc)) ^ load<u32>(SPT + 768 + <usize>((t >> 16) & 0xfc))
    ^ load<u32>(SPT + 1280 + <usize>((t >> 8) & 0xfc)) ^ load<u32>(SPT + 1792 + <usize>(t & 0xfc));
}

@inline function be64(p: usize): u64 { return bswap<u64>(load<u64>(p)); }

/** Sets an 8-byte DES key or a 24-byte 3DES key (K1 || K2 || K3); false for other lengths. */
export function desSetKey(key: usize, len: u32): bool {
  if (len == 8) {
    passes = 1;
    desSchedule(be64(key), ENC, false);
    for (let i: usize = 0; i < 16; i++) store<u64>(DEC + (i << 3), load<u64>(ENC + ((15 - i) << 3)));
    return true;
  }
  if (len != 24) return false;
  passes = 3;
  desSchedule(be64(key), ENC, false); // E(K1)
  desSchedule(be64(key + 8), ENC + 128, true); // D(K2)
  desSchedule(be64(key + 16), ENC + 256, false); // E(K3)
  // Decryption is D(K3), E(K2), D(K1): the 48 encryption round keys in reverse order.
  for (let i: usize = 0; i < 48; i++) store<u64>(DEC + (i << 3), load<u64>(ENC + ((47 - i) << 3)));
  return true;
}

/** All rounds of one block (after IP); the halves are swapped after each pass. Result in out0. */
function rounds1(x: u64, keys: usize): void {
  let l = <u32>(x >> 32), r = <u32>x;
  const end = keys + (<usize>passes << 7);
  for (let k = keys; k < end; k += 128) {
    for (let j: usize = 0; j < 128; j += 16) {
      l ^= f(r, load<u32>(k + j), load<u32>(k + j, 4));
      r ^= f(l, load<u32>(k + j, 8), load<u32>(k + j, 12));
    }
    const t = l; l = r; r = t;
  }
  out0 = (<u64>l << 32) | <u64>r;
}

/** All rounds of two independent blocks, interleaved. Results in out0, out1. */
function rounds2(x0: u64, x1: u64, keys: usize): void {
  let l0 = <u32>(x0 >> 32), r0 = <u32>x0, l1 = <u32>(x1 >> 32), r1 = <u32>x1;
  const end = keys + (<usize>passes << 7);
  for (let k = keys; k < end; k += 128) {
    for (let j: usize = 0; j < 128; j += 16) {
      const ka = load<u32>(k + j), kb = load<u32>(k + j, 4), kc = load<u32>(k + j, 8), kd = load<u32>(k + j, 12);
      l0 ^= f(r0, ka, kb);
      l1 ^= f(r1, ka, kb);
      r0 ^= f(l0, kc, kd);
      r1 ^= f(l1, kc, kd);
    }
    let t = l0; l0 = r0; r0 = t;
    t = l1; l1 = r1; r1 = t;
  }
  out0 = (<u64>l0 << 32) | <u64>r0;
  out1 = (<u64>l1 << 32) | <u64>r1;
}

/**
 * CBC-encrypts n packets in place (packet i: blocks[i] blocks at data[i], IV
 * at ivs[i]; u32 arrays), two chains at a time: a lane takes the next packet
 * when its own ends; a chain left alone finishes one block at a time.
 */
export function desCbcEncryptPackets(data: usize, blocks: usize, ivs: usize, n: i32): void {
  let next = 0;
  store<u32>(LANE_LEFT, 0);
  store<u32>(LANE_LEFT, 0, 4);
  for (;;) {
    for (let k: usize = 0; k < 2; k++) {
      if (load<u32>(LANE_LEFT + (k << 2)) == 0 && next < n) {
        const o = <usize>next << 2;
        store<u32>(LANE_PTR + (k << 2), load<u32>(data + o));
        store<u32>(LANE_LEFT + (k << 2), load<u32>(blocks + o));
        store<u64>(LANE_CHAIN + (k << 3), be64(<usize>load<u32>(ivs + o)));
        next++;
      }
    }
    const left0 = load<u32>(LANE_LEFT), left1 = load<u32>(LANE_LEFT, 4);
    if (left0 == 0 && left1 == 0) return;
    if (left0 != 0 && left1 != 0) {
      // Both lanes run until one packet ends.
      let p0 = <usize>load<u32>(LANE_PTR), p1 = <usize>load<u32>(LANE_PTR, 4);
      let c0 = load<u64>(LANE_CHAIN), c1 = load<u64>(LANE_CHAIN, 8);
      const steps = left0 < left1 ? left0 : left1;
      for (let s: u32 = 0; s < steps; s++) {
        rounds2(perm64(IPT, be64(p0) ^ c0), perm64(IPT, be64(p1) ^ c1), ENC);
        c0 = perm64(FPT, out0); c1 = perm64(FPT, out1);
        store<u64>(p0, bswap<u64>(c0)); store<u64>(p1, bswap<u64>(c1));
        p0 += 8; p1 += 8;
      }
      store<u32>(LANE_PTR, <u32>p0); store<u32>(LANE_PTR, <u32>p1, 4);
      store<u64>(LANE_CHAIN, c0); store<u64>(LANE_CHAIN, c1, 8);
      store<u32>(LANE_LEFT, left0 - steps); store<u32>(LANE_LEFT, left1 - steps, 4);
      continue;
    }
    if (next < n) continue; // refill the idle lane first
    // One chain left and nothing to pair it with.
    const k: usize = left0 != 0 ? 0 : 1;
    let p = <usize>load<u32>(LANE_PTR + (k << 2));
    let c = load<u64>(LANE_CHAIN + (k << 3));
    for (let s: u32 = 0, left = left0 | left1; s < left; s++) {
      rounds1(perm64(IPT, be64(p) ^ c), ENC);
      c = perm64(FPT, out0);
      store<u64>(p, bswap<u64>(c));
      p += 8;
    }
    return;
  }
}

/** CBC-decrypts `blocks` blocks at p in place with the IV at iv, two blocks per pass through the rounds. */
export function desCbcDecrypt(p: usize, blocks: u32, iv: usize): void {
  let prev = be64(iv);
  let b: u32 = 0;
  for (; b + 2 <= blocks; b += 2) {
    const q = p + (<usize>b << 3);
    const x0 = be64(q), x1 = be64(q + 8);
    rounds2(perm64(IPT, x0), perm64(IPT, x1), DEC);
    store<u64>(q, bswap<u64>(perm64(FPT, out0) ^ prev));
    store<u64>(q + 8, bswap<u64>(perm64(FPT, out1) ^ x0));
    prev = x1;
  }
  if (b < blocks) {
    const q = p + (<usize>b << 3);
    const x = be64(q);
    rounds1(perm64(IPT, x), DEC);
    store<u64>(q, bswap<u64>(perm64(FPT, out0) ^ prev));
  }
}
