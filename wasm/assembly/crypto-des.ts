// asc-flags: --initialMemory 2
// DES-CBC and TDEA (3DES EDE3) CBC (FIPS 46-3, SP 800-67, SP 800-38A), batched.
// One instance holds one key: 8 bytes selects single DES, 24 bytes selects EDE3
// (K1, K2, K3). Batch calls use the same {src, dst, len, iv} table as AES-CBC.
// Speed comes from tables built at start-up: IP and IP^-1 as 8 byte-indexed
// 64-bit tables, and the S-box + P stages merged into eight 64-entry "SP" tables
// so a round is two rotations, two key XORs and eight lookups. Inside EDE3 the
// IP^-1 / IP pair between the three passes cancels and is skipped.
import { BAD_TABLE, inBounds, tableInBounds, field, scratchBase } from "./_crypto-batch";
import { buildDesTables, desSchedule, perm64 } from "./_crypto-des-core";

const IPT: usize = memory.data(8 * 256 * 8, 16); // IP, per input byte position
const FPT: usize = memory.data(8 * 256 * 8, 16); // IP^-1, per input byte position
const SP: usize = memory.data(8 * 64 * 4, 16); // S-box i + P, indexed by 6-bit input
const EKEYS: usize = memory.data(48 * 8, 16); // encrypt order: 48 rounds x {ka, kb}
const DKEYS: usize = memory.data(48 * 8, 16); // decrypt order
let passes: i32 = 0; // 1 for DES, 3 for EDE3

buildDesTables(IPT, FPT, SP);

@inline function sp(i: usize, v: u32): u32 {
  return load<u32>(SP + (i << 8) + (<usize>(v & 63) << 2));
}

/** Runs passes*16 rounds over a block already through IP; swaps halves after each pass. */
@inline function rounds(x: u64, keys: usize): u64 {
  let l = <u32>(x >> 32), r = <u32>x;
  const end = keys + (<usize>passes << 7);
  for (let k = keys; k < end; k += 128) {
    for (let j: usize = 0; j < 128; j += 16) {
      let u = rotr<u32>(r, 1) ^ load<u32>(k + j), t = rotl<u32>(r, 3) ^ load<u32>(k + j, 4);
      l ^= sp(0, u >> 26) ^ sp(2, u >> 18) ^ sp(4, u >> 10) ^ sp(6, u >> 2)
        ^ sp(1, t >> 26) ^ sp(3, t >> 18) ^ sp(5, t >> 10) ^ sp(7, t >> 2);
      u = rotr<u32>(l, 1) ^ load<u32>(k + j, 8); t = rotl<u32>(l, 3) ^ load<u32>(k + j, 12);
      r ^= sp(0, u >> 26) ^ sp(2, u >> 18) ^ sp(4, u >> 10) ^ sp(6, u >> 2)
        ^ sp(1, t >> 26) ^ sp(3, t >> 18) ^ sp(5, t >> 10) ^ sp(7, t >> 2);
    }
    const tmp = l; l = r; r = tmp;
  }
  return (<u64>l << 32) | <u64>r;
}

@inline function be64(p: usize): u64 { return bswap<u64>(load<u64>(p)); }
@inline function putBe64(p: usize, v: u64): void { store<u64>(p, bswap<u64>(v)); }

/** Sets an 8-byte (DES) or 24-byte (EDE3: K1, K2, K3) key; returns 0 or -1 for a bad length. */
export function setKey(ptr: u32, len: u32): i32 {
  if (len != 8 && len != 24) return -1;
  if (!inBounds(ptr, len)) return -2;
  const p = <usize>ptr;
  if (len == 8) {
    passes = 1;
    desSchedule(be64(p), EKEYS, false);
    desSchedule(be64(p), DKEYS, true);
  } else {
    passes = 3;
    desSchedule(be64(p), EKEYS, false); // E(K1)
    desSchedule(be64(p + 8), EKEYS + 128, true); // D(K2)
    desSchedule(be64(p + 16), EKEYS + 256, false); // E(K3)
    desSchedule(be64(p + 16), DKEYS, true); // D(K3)
    desSchedule(be64(p + 8), DKEYS + 128, false); // E(K2)
    desSchedule(be64(p), DKEYS + 256, true); // D(K1)
  }
  return 0;
}

/** Start of caller memory (tables, buffers). */
export function heapStart(): u32 {
  return <u32>scratchBase();
}

function checkCbc(table: u32, n: i32): i32 {
  if (passes == 0) return BAD_TABLE;
  if (!tableInBounds(table, n, 4)) return BAD_TABLE;
  for (let i = 0; i < n; i++) {
    const src = field(table, i, 4, 0), dst = field(table, i, 4, 1), len = field(table, i, 4, 2), iv = field(table, i, 4, 3);
    if ((len & 7) != 0 || !inBounds(src, len) || !inBounds(dst, len) || !inBounds(iv, 8)) return -(1 + i);
  }
  return 0;
}

/** CBC-encrypts n items {src, dst, len, iv} (dst may equal src). Returns 0 or a negative status. */
export function cbcEncrypt(table: u32, n: i32): i32 {
  const bad = checkCbc(table, n);
  if (bad != 0) return bad;
  for (let i = 0; i < n; i++) {
    const src = <usize>field(table, i, 4, 0), dst = <usize>field(table, i, 4, 1);
    const len = <usize>field(table, i, 4, 2);
    let c = be64(<usize>field(table, i, 4, 3));
    for (let off: usize = 0; off < len; off += 8) {
      c = perm64(FPT, rounds(perm64(IPT, be64(src + off) ^ c), EKEYS));
      putBe64(dst + off, c);
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
    const len = <usize>field(table, i, 4, 2);
    let c = be64(<usize>field(table, i, 4, 3));
    for (let off: usize = 0; off < len; off += 8) {
      const x = be64(src + off);
      putBe64(dst + off, perm64(FPT, rounds(perm64(IPT, x), DKEYS)) ^ c);
      c = x;
    }
  }
  return 0;
}
