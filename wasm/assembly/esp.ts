// asc-flags: --initialMemory 2
// ESP (RFC 4303) seal and open for batches of packets of one SA, with the CBC
// cipher and the HMAC in the same module, so a batch is copied into linear
// memory once, padded, encrypted and authenticated here, and copied out once.
// AES runs bitsliced eight blocks wide (_esp-aes: eight packets side by side
// when encrypting, any eight blocks when decrypting); DES and 3DES two blocks
// at a time (_esp-des); HMAC-MD5/SHA1/SHA256 run four packets per SIMD pass
// (_esp-hmac), HMAC-SHA384/512 one by one (crypto-hash).
//
// configure() keys the instance for one SA. Batch tables are u32 items:
//   seal: {packet, payloadLen, sequence, nextHeader}; the caller has put the IV
//         at packet+8 and the payload at packet+8+ivLen; this writes SPI,
//         sequence, padding 1,2,3..., pad length, next header, encrypts, ICV.
//   open: {packet, len, status | nextHeader << 8 (out), payloadLen (out)};
//         checks the ICV in constant time, decrypts in place only packets
//         that authenticate, checks the padding. status 0 ok, 1 authFailed,
//         2 malformed. The payload is left at packet+8+ivLen.
// `scratch` is caller memory for the inner CBC/HMAC tables: 64 bytes per item.
import { aesSetKey, aesCbcEncryptPackets, aesCbcDecryptQueue, aesCbcDecryptFlush } from "./_esp-aes";
import { desSetKey, desCbcEncryptPackets, desCbcDecrypt } from "./_esp-des";
import { setAlgorithm, hmacSetKey, hmacBatch } from "./crypto-hash";
import { mbAlgorithm, mbSetKey, mbHmac } from "./_esp-hmac";
import { BAD_TABLE, inBounds, tableInBounds, field, scratchBase } from "./_crypto-batch";

/** Cipher ids for configure(). */
export const CIPHER_NULL: i32 = 0;
export const CIPHER_AES: i32 = 1;
export const CIPHER_DES: i32 = 2;
/** Integrity id for configure() when the SA has none (else MD5..SHA512 = 0..4 as in crypto-hash). */
export const INTEGRITY_NONE: i32 = -1;

export const STATUS_OK: u32 = 0;
export const STATUS_AUTH_FAILED: u32 = 1;
export const STATUS_MALFORMED: u32 = 2;

/** Scratch bytes the caller provides per item. */
export const SCRATCH_PER_ITEM: u32 = 64;

let cipher: i32 = -1;
let padBlock: u32 = 4; // outbound alignment
let inBlock: u32 = 1; // inbound multiple
let minBody: u32 = 2;
let ivLen: u32 = 0;
let integrity: i32 = INTEGRITY_NONE;
let icvLen: u32 = 0;
let multiBuffer = false; // MD5, SHA-1, SHA-256 run four packets per pass (_esp-hmac)
let spi: u32 = 0;

/** Start of caller memory (tables, buffers). */
export function heapStart(): u32 {
  return <u32>scratchBase();
}

/**
 * Keys the instance for one SA: cipher id and key, integrity id (-1 none) and
 * key, ICV length, SPI. Returns 0, or a negative status (and the instance is
 * then unusable until configured again).
 */
export function configure(c: i32, keyPtr: u32, keyLen: u32, h: i32, hKeyPtr: u32, hKeyLen: u32, icv: u32, spiValue: u32): i32 {
  cipher = -1;
  if (c == CIPHER_AES) {
    if (!inBounds(keyPtr, keyLen) || !aesSetKey(keyPtr, keyLen)) return -1;
    padBlock = 16; inBlock = 16; minBody = 16; ivLen = 16;
  } else if (c == CIPHER_DES) {
    if (!inBounds(keyPtr, keyLen) || !desSetKey(keyPtr, keyLen)) return -1;
    padBlock = 8; inBlock = 8; minBody = 8; ivLen = 8;
  } else if (c == CIPHER_NULL) {
    padBlock = 4; inBlock = 1; minBody = 2; ivLen = 0;
  } else {
    return -1;
  }
  if (h == INTEGRITY_NONE) {
    if (icv != 0) return -2;
  } else {
    const digest = setAlgorithm(h);
    if (digest < 0 || icv == 0 || icv > <u32>digest) return -2;
    if (!inBounds(hKeyPtr, hKeyLen)) return -2;
    const mb = mbAlgorithm(h);
    multiBuffer = mb >= 0;
    if (multiBuffer) mbSetKey(mb, hKeyPtr, hKeyLen);
    // The one-message path (a lone packet, or the last of a batch) stays scalar: four lanes for one message cost more.
    if (hmacSetKey(hKeyPtr, hKeyLen) != 0) return -2;
  }
  integrity = h;
  icvLen = icv;
  spi = spiValue;
  cipher = c;
  return 0;
}

/** CBC-encrypts a {src, dst, len, iv} table in place (src == dst): AES eight packets wide, DES two. */
function cbcTableEncrypt(table: u32, n: i32, scratch: u32): i32 {
  const shift: u32 = cipher == CIPHER_AES ? 4 : 3;
  const data = <usize>scratch, blocks = data + (<usize>n << 2), ivs = blocks + (<usize>n << 2);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<u32>(data + o, field(table, i, 4, 0));
    store<u32>(blocks + o, field(table, i, 4, 2) >> shift);
    store<u32>(ivs + o, field(table, i, 4, 3));
  }
  if (cipher == CIPHER_AES) aesCbcEncryptPackets(data, blocks, ivs, n);
  else desCbcEncryptPackets(data, blocks, ivs, n);
  return 0;
}

/** CBC-decrypts a {src, dst, len, iv} table in place: AES eight blocks per pass across packets, DES two. */
function cbcTableDecrypt(table: u32, n: i32): i32 {
  if (cipher != CIPHER_AES) {
    for (let i = 0; i < n; i++) desCbcDecrypt(<usize>field(table, i, 4, 0), field(table, i, 4, 2) >> 3, <usize>field(table, i, 4, 3));
    return 0;
  }
  for (let i = 0; i < n; i++) aesCbcDecryptQueue(<usize>field(table, i, 4, 0), field(table, i, 4, 2) >> 4, <usize>field(table, i, 4, 3));
  aesCbcDecryptFlush();
  return 0;
}

/** MACs a {src, len, out} table (pointers already checked): four lanes at a time where the algorithm allows. */
function macBatch(table: u32, n: i32): i32 {
  if (!multiBuffer) return hmacBatch(table, n, icvLen);
  // Groups of four in SIMD lanes; a single message left over is cheaper on the scalar path.
  const lanes = (n & 3) == 1 ? n - 1 : n;
  if (lanes > 0) mbHmac(table, lanes, icvLen);
  return lanes < n ? hmacBatch(table + <u32>lanes * 12, 1, icvLen) : 0;
}

/** Seals n items (see the header). Returns 0, or a negative status with nothing trustworthy written. */
export function seal(table: u32, n: i32, scratch: u32): i32 {
  if (cipher < 0 || !tableInBounds(table, n, 4) || !inBounds(scratch, <u32>n * SCRATCH_PER_ITEM)) return BAD_TABLE;
  for (let i = 0; i < n; i++) {
    const pkt = field(table, i, 4, 0), plen = field(table, i, 4, 1), nh = field(table, i, 4, 3);
    if (plen > 0x7fff0000 || nh > 255) return -(1 + i);
    const body = (plen + 2 + padBlock - 1) / padBlock * padBlock;
    if (!inBounds(pkt, ivLen + body + icvLen + 8)) return -(1 + i);
  }
  const cbcTable = scratch;
  const macTable = scratch + (<u32>n << 4);
  for (let i = 0; i < n; i++) {
    const pkt = <usize>field(table, i, 4, 0), plen = field(table, i, 4, 1);
    const seq = field(table, i, 4, 2), nh = field(table, i, 4, 3);
    const body = (plen + 2 + padBlock - 1) / padBlock * padBlock;
    const padLen = body - plen - 2;
    store<u32>(pkt, bswap<u32>(spi));
    store<u32>(pkt, bswap<u32>(seq), 4);
    const b = pkt + 8 + ivLen;
    for (let k: u32 = 0; k < padLen; k++) store<u8>(b + plen + k, <u8>(k + 1));
    store<u8>(b + body - 2, <u8>padLen);
    store<u8>(b + body - 1, <u8>nh);
    const c = <usize>cbcTable + (<usize>i << 4);
    store<u32>(c, <u32>b); store<u32>(c, <u32>b, 4); store<u32>(c, body, 8); store<u32>(c, <u32>(pkt + 8), 12);
    const m = <usize>macTable + <usize>i * 12;
    store<u32>(m, <u32>pkt); store<u32>(m, ivLen + body + 8, 4); store<u32>(m, <u32>b + body, 8);
  }
  if (cipher != CIPHER_NULL) {
    const rc = cbcTableEncrypt(cbcTable, n, macTable + <u32>n * 12);
    if (rc != 0) return rc;
  }
  if (integrity != INTEGRITY_NONE) {
    const rc = macBatch(macTable, n);
    if (rc != 0) return rc;
  }
  return 0;
}

/** Opens n items (see the header). Returns 0, or a negative status for a bad table. */
export function open(table: u32, n: i32, scratch: u32): i32 {
  if (cipher < 0 || !tableInBounds(table, n, 4) || !inBounds(scratch, <u32>n * SCRATCH_PER_ITEM)) return BAD_TABLE;
  const fixed: u32 = ivLen + icvLen + 8;
  for (let i = 0; i < n; i++) {
    const pkt = field(table, i, 4, 0), len = field(table, i, 4, 1);
    if (!inBounds(pkt, len)) return -(1 + i);
  }
  // Length checks (again: never trust the caller), then the ICVs of the rest in one batch.
  const macTable = scratch;
  const icvs = scratch + <u32>n * 12;
  const cbcTable = icvs + (<u32>n << 5);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const pkt = field(table, i, 4, 0), len = field(table, i, 4, 1);
    const t = <usize>table + (<usize>i << 4);
    if (len < fixed + minBody || (len - fixed) % inBlock != 0) {
      store<u32>(t, STATUS_MALFORMED, 8);
      continue;
    }
    store<u32>(t, STATUS_OK, 8);
    if (integrity != INTEGRITY_NONE) {
      const e = <usize>macTable + <usize>m * 12;
      store<u32>(e, pkt); store<u32>(e, len - icvLen, 4); store<u32>(e, icvs + (<u32>i << 5), 8);
      m++;
    }
  }
  if (m > 0) {
    const rc = macBatch(macTable, m);
    if (rc != 0) return rc;
  }
  let d = 0;
  for (let i = 0; i < n; i++) {
    const t = <usize>table + (<usize>i << 4);
    if (load<u32>(t, 8) != STATUS_OK) continue;
    const pkt = load<u32>(t), len = load<u32>(t, 4);
    if (integrity != INTEGRITY_NONE) {
      const want = <usize>icvs + (<usize>i << 5), got = <usize>pkt + len - icvLen;
      let diff: u32 = 0;
      for (let k: usize = 0; k < <usize>icvLen; k++) diff |= <u32>(load<u8>(want + k) ^ load<u8>(got + k));
      if (diff != 0) {
        store<u32>(t, STATUS_AUTH_FAILED, 8);
        continue;
      }
    }
    const c = <usize>cbcTable + (<usize>d << 4);
    const b = pkt + 8 + ivLen;
    store<u32>(c, b); store<u32>(c, b, 4); store<u32>(c, len - fixed, 8); store<u32>(c, pkt + 8, 12);
    d++;
  }
  if (d > 0 && cipher != CIPHER_NULL) {
    const rc = cbcTableDecrypt(cbcTable, d);
    if (rc != 0) return rc;
  }
  for (let i = 0; i < n; i++) {
    const t = <usize>table + (<usize>i << 4);
    if (load<u32>(t, 8) != STATUS_OK) continue;
    const pkt = <usize>load<u32>(t), len = load<u32>(t, 4);
    const body = len - fixed;
    const b = pkt + 8 + ivLen;
    const padLen = <u32>load<u8>(b + body - 2);
    if (padLen + 2 > body) {
      store<u32>(t, STATUS_MALFORMED, 8);
      continue;
    }
    const start = body - 2 - padLen;
    let bad: u32 = 0;
    for (let k: u32 = 0; k < padLen; k++) bad |= <u32>load<u8>(b + start + k) ^ (k + 1);
    if (bad != 0) {
      store<u32>(t, STATUS_MALFORMED, 8);
      continue;
    }
    store<u32>(t, STATUS_OK | (<u32>load<u8>(b + body - 1) << 8), 8);
    store<u32>(t, start, 12);
  }
  return 0;
}
