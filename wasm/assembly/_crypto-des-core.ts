// DES building blocks both DES modules share (crypto-des.ts for the cipher
// alone, _esp-des.ts inside the ESP module): the FIPS 46-3 bit permutations,
// the start-up tables (IP and IP^-1 as eight byte-indexed 64-bit tables, the
// S-boxes merged with P into eight 64-entry tables indexed by the six
// E-expanded bits) and the key schedule. Each module keeps its own table
// memory and passes its addresses in.
import { IP, PC1, PC2, SHIFTS, P, S } from "./_crypto-des-tables";

/** Applies a 1-based bit permutation table to a value of inBits bits (MSB = bit 1). */
export function permuteBits(x: u64, inBits: i32, table: StaticArray<u8>): u64 {
  let out: u64 = 0;
  for (let j = 0; j < table.length; j++) out = (out << 1) | ((x >> <u64>(inBits - <i32>table[j])) & 1);
  return out;
}

/**
 * Fills the IP table (8 x 256 u64 at ipt), the IP^-1 table (same shape at fpt)
 * and the SP tables (8 x 64 u32 at sp: S-box i then P, at sp + 256 i + 4 v).
 */
export function buildDesTables(ipt: usize, fpt: usize, sp: usize): void {
  // FP = IP^-1: output bit IP[j] comes from input bit j+1.
  const fp = new StaticArray<u8>(64);
  for (let j = 0; j < 64; j++) fp[<i32>IP[j] - 1] = <u8>(j + 1);
  for (let pos = 0; pos < 8; pos++) {
    for (let v = 0; v < 256; v++) {
      const x = <u64>v << <u64>(56 - 8 * pos);
      store<u64>(ipt + (<usize>(pos * 256 + v) << 3), permuteBits(x, 64, IP));
      store<u64>(fpt + (<usize>(pos * 256 + v) << 3), permuteBits(x, 64, fp));
    }
  }
  for (let i = 0; i < 8; i++) {
    for (let v = 0; v < 64; v++) {
      const row = ((v >> 4) & 2) | (v & 1), col = (v >> 1) & 15;
      const s = <u64>S[i * 64 + row * 16 + col];
      store<u32>(sp + (<usize>i << 8) + (<usize>v << 2), <u32>permuteBits(s << <u64>(28 - 4 * i), 32, P));
    }
  }
}

/** A 64-bit permutation through one of the byte-indexed tables built above. */
@inline export function perm64(t: usize, x: u64): u64 {
  return load<u64>(t + (<usize>(x >> 56) << 3))
    ^ load<u64>(t + 2048 + (<usize>((x >> 48) & 0xff) << 3))
    ^ load<u64>(t + 4096 + (<usize>((x >> 40) & 0xff) << 3))
    ^ load<u64>(t + 6144 + (<usize>((x >> 32) & 0xff) << 3))
    ^ load<u64>(t + 8192 + (<usize>((x >> 24) & 0xff) << 3))
    ^ load<u64>(t + 10240 + (<usize>((x >> 16) & 0xff) << 3))
    ^ load<u64>(t + 12288 + (<usize>((x >> 8) & 0xff) << 3))
    ^ load<u64>(t + 14336 + (<usize>(x & 0xff) << 3));
}

/**
 * Writes the 16 round keys of one DES key as {ka, kb} u32 pairs at out,
 * forward or reversed. E(R) is taken as rotr(R, 1) (chunks 1, 3, 5, 7, 1-based)
 * and rotl(R, 3) (chunks 2, 4, 6, 8) with the six-bit chunks at bits 26, 18,
 * 10 and 2, so ka holds the odd chunks and kb the even ones at those places.
 */
export function desSchedule(key: u64, out: usize, reverse: bool): void {
  const cd = permuteBits(key, 64, PC1);
  let c = <u32>(cd >> 28) & 0xfffffff, d = <u32>cd & 0xfffffff;
  for (let r = 0; r < 16; r++) {
    const s = <u32>SHIFTS[r];
    c = ((c << s) | (c >> (28 - s))) & 0xfffffff;
    d = ((d << s) | (d >> (28 - s))) & 0xfffffff;
    const k = permuteBits((<u64>c << 28) | <u64>d, 56, PC2);
    let ka: u32 = 0, kb: u32 = 0;
    for (let i = 0; i < 8; i++) {
      const chunk = <u32>(k >> <u64>(42 - 6 * i)) & 63;
      const at = <u32>(26 - 8 * (i >> 1));
      if (i & 1) kb |= chunk << at; else ka |= chunk << at;
    }
    const slot = <usize>(reverse ? 15 - r : r);
    store<u32>(out + (slot << 3), ka);
    store<u32>(out + (slot << 3), kb, 4);
  }
}
