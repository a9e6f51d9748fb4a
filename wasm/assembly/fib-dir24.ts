// asc-flags: --runtime stub
// IPv4 longest-prefix match, DIR-24-8 (Gupta, Lin, McKeown, "Routing Lookups in
// Hardware at Memory Access Speeds", INFOCOM 1998; the layout DPDK's rte_lpm uses),
// with incremental insert/remove. Implements src/dataplane/fib.ts through the
// wrapper in src/fastpath/fib/wasm-fib.ts.
//
// Memory layout (all offsets absolute in linear memory):
//   IO_IN / IO_OUT   batch lookup scratch, BATCH_MAX addresses in, path lists out
//   intern tables    path lists too large for an 18-bit tbl24 code (refcounted)
//   T24              2^24 entries of 3 bytes (48 MB; 4-byte aligned stride when
//                    init(wide): 64 MB, faster loads) + 1 pad byte:
//                      bit 23 set: bits 0..22 = tbl8 group index (address = g * GROUP_BYTES)
//                      else bits 18..22 = depth (prefix length 0..24 owning the entry),
//                           bits 0..17 = code: 0 miss, < INTERN_CODE pathList+1, else intern id
//   groups / shadow  allocated by a bump pointer past T24; memory grows on demand.
//     tbl8 group: 256 u32 (pathList+1, 0 miss), 256 u8 depth, u32 header (the tbl24
//     leaf the group replaced, kept current so the group can collapse back).
//     shadow: open-addressing hash (linear probing, backward-shift delete) of every
//     prefix; slot u64 = key33 | pathList << 33, key33 = (prefix >> (32-len)) | 1 << len.
// The per-entry depth is what makes remove exact: entries of depth == len belong to
// the removed prefix and are rewritten to the next-longer covering prefix from the shadow.
// Groups are allocated without a fixed pool, so there is no 32,768-group ceiling.

const BATCH_MAX: u32 = 4096;
const IO_IN: usize = 65536;
const IO_OUT: usize = IO_IN + (BATCH_MAX << 2);
const INTERN_MAX: u32 = 16384;
const INTERN_CODE: u32 = 0x40000 - INTERN_MAX;
const INTERN_VAL: usize = 131072;
const INTERN_REF: usize = INTERN_VAL + (INTERN_MAX << 2);
const INTERN_FREE: usize = INTERN_REF + (INTERN_MAX << 2);
const INTERN_HASH: usize = INTERN_FREE + (INTERN_MAX << 2);
const INTERN_CAP: u32 = INTERN_MAX * 2;
const LEN_COUNT: usize = INTERN_HASH + (<usize>INTERN_CAP << 3);
const T24: usize = 1048576;
const EXT: u32 = 0x800000;
const GROUP_BYTES: usize = 1284;
const KEY_MASK: u64 = 0x1ffffffff;

let s24: usize = 3; // tbl24 stride: 3 (compact, 48 MB) or 4 (wide, 64 MB, aligned loads)
let heapTop: usize = 0; // bump pointer (a multiple of GROUP_BYTES)
let holeTop: usize = 0; // bump range left by a relocated shadow table
let holeEnd: usize = 0;
let freeGroup: u32 = 0; // free-list head (group index), 0 = empty
let groups: u32 = 0;
let shadowBase: usize = 0;
let shadowCap: u32 = 0;
let shadowCount: u32 = 0;
let internNext: u32 = 0;
let internFreeTop: u32 = 0;
let dirtyLo: u32 = 0xffffffff;
let dirtyHi: u32 = 0;

/** Byte offset of the batch input (u32 addresses). */
export function ioIn(): usize { return IO_IN; }
/** Byte offset of the batch output (i32 path lists). */
export function ioOut(): usize { return IO_OUT; }
/** Largest batch per call. */
export function batchMax(): u32 { return BATCH_MAX; }
/** Number of prefixes held. */
export function size(): u32 { return shadowCount; }
/** tbl8 groups in use. */
export function groupCount(): u32 { return groups; }

@inline function t24Bytes(): usize { return (<usize>1 << 24) * s24 + 4; }
function roundGroup(a: usize): usize { return ((a + GROUP_BYTES - 1) / GROUP_BYTES) * GROUP_BYTES; }

function ensure(end: usize): void {
  const have = <usize>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 65535) >> 16);
    if (memory.grow(pages) < 0) unreachable();
  }
}

/** Sets up an empty table sized for about expected prefixes; wide selects 4-byte tbl24 entries. */
export function init(expected: u32, wide: bool): void {
  s24 = wide ? 4 : 3;
  heapTop = roundGroup(T24 + t24Bytes());
  ensure(heapTop);
  holeTop = 0; holeEnd = 0; freeGroup = 0; groups = 0;
  internNext = 0; internFreeTop = 0;
  shadowCount = 0;
  let cap: u32 = <u32>(<f64>expected / 0.75) + 64;
  shadowCap = cap;
  shadowBase = heapTop;
  heapTop = roundGroup(shadowBase + (<usize>cap << 3));
  ensure(heapTop);
}

// ---- generic linear-probing hash of u64 slots (0 = empty) ----
@inline function home(key: u64, cap: u32): u32 {
  return <u32>((((key * 0x9E3779B97F4A7C15) >> 32) * <u64>cap) >> 32);
}
function hfind(base: usize, cap: u32, mask: u64, key: u64): i32 {
  let i = home(key, cap);
  while (true) {
    const s = load<u64>(base + (<usize>i << 3));
    if (s == 0) return -1 - <i32>i; // not found: -(empty slot) - 1
    if ((s & mask) == key) return <i32>i;
    if (++i == cap) i = 0;
  }
}
function hdelete(base: usize, cap: u32, mask: u64, at: u32): void {
  let i = at;
  let j = at;
  while (true) {
    if (++j == cap) j = 0;
    const s = load<u64>(base + (<usize>j << 3));
    if (s == 0) break;
    const k = home(s & mask, cap);
    const move = i <= j ? (k <= i || k > j) : (k <= i && k > j);
    if (move) {
      store<u64>(base + (<usize>i << 3), s);
      i = j;
    }
  }
  store<u64>(base + (<usize>i << 3), 0);
}

// ---- intern table for path lists >= INTERN_CODE - 1 ----
function internAcquire(value: u32): i32 {
  const key = <u64>value + 1;
  const f = hfind(INTERN_HASH, INTERN_CAP, 0xffffffff, key);
  if (f >= 0) {
    const id = <u32>(load<u64>(INTERN_HASH + (<usize>f << 3)) >> 32);
    store<u32>(INTERN_REF + (id << 2), load<u32>(INTERN_REF + (id << 2)) + 1);
    return <i32>id;
  }
  let id: u32;
  if (internFreeTop > 0) id = load<u32>(INTERN_FREE + (--internFreeTop << 2));
  else if (internNext < INTERN_MAX) id = internNext++;
  else return -1;
  store<u64>(INTERN_HASH + (<usize>(-1 - f) << 3), key | (<u64>id << 32));
  store<u32>(INTERN_VAL + (id << 2), value);
  store<u32>(INTERN_REF + (id << 2), 1);
  return <i32>id;
}
function internRelease(value: u32): void {
  const f = hfind(INTERN_HASH, INTERN_CAP, 0xffffffff, <u64>value + 1);
  if (f < 0) return;
  const id = <u32>(load<u64>(INTERN_HASH + (<usize>f << 3)) >> 32);
  const r = load<u32>(INTERN_REF + (id << 2)) - 1;
  store<u32>(INTERN_REF + (id << 2), r);
  if (r == 0) {
    hdelete(INTERN_HASH, INTERN_CAP, 0xffffffff, <u32>f);
    store<u32>(INTERN_FREE + (internFreeTop++ << 2), id);
  }
}
/** tbl24 code of a path list already held (no reference taken). */
function codeOf(value: u32): u32 {
  if (value + 1 < INTERN_CODE) return value + 1;
  const f = hfind(INTERN_HASH, INTERN_CAP, 0xffffffff, <u64>value + 1);
  return INTERN_CODE + <u32>(load<u64>(INTERN_HASH + (<usize>f << 3)) >> 32);
}
/** Path list + 1 (0 = miss) of a tbl24 leaf code. */
@inline function valueOfCode(code: u32): u32 {
  if (code < INTERN_CODE) return code;
  return load<u32>(INTERN_VAL + ((code - INTERN_CODE) << 2)) + 1;
}

// ---- shadow of every prefix ----
@inline function maskOf(len: i32): u32 { return len == 0 ? 0 : <u32>(0xffffffff << (32 - len)); }
@inline function skey(p: u32, len: i32): u64 {
  return len == 0 ? 1 : ((<u64>p >> (32 - len)) | (<u64>1 << len));
}
function shadowGrow(): void {
  const oldBase = shadowBase;
  const oldCap = shadowCap;
  const cap = oldCap * 2;
  const bytes = <usize>cap << 3;
  const base = heapTop;
  heapTop = roundGroup(base + bytes);
  ensure(heapTop);
  memory.fill(base, 0, bytes);
  for (let i: u32 = 0; i < oldCap; i++) {
    const s = load<u64>(oldBase + (<usize>i << 3));
    if (s == 0) continue;
    let j = home(s & KEY_MASK, cap);
    while (load<u64>(base + (<usize>j << 3)) != 0) if (++j == cap) j = 0;
    store<u64>(base + (<usize>j << 3), s);
  }
  shadowBase = base;
  shadowCap = cap;
  // The old table becomes room for tbl8 groups.
  holeTop = roundGroup(oldBase);
  holeEnd = oldBase + (<usize>oldCap << 3);
}

// ---- tbl24 / tbl8 entry access ----
@inline function get24(i: u32): u32 { return load<u32>(T24 + <usize>i * s24) & 0xffffff; }
@inline function set24(i: u32, e: u32): void {
  const a = T24 + <usize>i * s24;
  store<u16>(a, <u16>e);
  store<u8>(a + 2, <u8>(e >> 16));
}
@inline function leaf(depth: i32, code: u32): u32 { return (<u32>depth << 18) | code; }
@inline function leafDepth(e: u32): i32 { return <i32>((e >> 18) & 31); }

function allocGroup(): u32 {
  let g: u32;
  if (freeGroup != 0) {
    g = freeGroup;
    freeGroup = load<u32>(<usize>g * GROUP_BYTES);
  } else if (holeTop + GROUP_BYTES <= holeEnd) {
    g = <u32>(holeTop / GROUP_BYTES);
    holeTop += GROUP_BYTES;
  } else {
    g = <u32>(heapTop / GROUP_BYTES);
    heapTop += GROUP_BYTES;
    ensure(heapTop);
  }
  groups++;
  return g;
}

function touch(lo: u32, hi: u32): void {
  if (lo < dirtyLo) dirtyLo = lo;
  if (hi > dirtyHi) dirtyHi = hi;
}

/** Writes value/len over group entries [j0, j0+n) whose depth <= len. */
function groupWrite(blk: usize, j0: u32, n: u32, len: i32, v1: u32): void {
  for (let j = j0; j < j0 + n; j++) {
    if (<i32>load<u8>(blk + 1024 + j) <= len) {
      store<u32>(blk + (j << 2), v1);
      store<u8>(blk + 1024 + j, <u8>len);
    }
  }
}
/** Rewrites group entries [j0, j0+n) owned by len to the cover (cv1, cdepth). */
function groupRestore(blk: usize, j0: u32, n: u32, len: i32, cv1: u32, cdepth: i32): void {
  for (let j = j0; j < j0 + n; j++) {
    if (<i32>load<u8>(blk + 1024 + j) == len && load<u32>(blk + (j << 2)) != 0) {
      store<u32>(blk + (j << 2), cv1);
      store<u8>(blk + 1024 + j, <u8>cdepth);
    }
  }
}

/** Adds or replaces prefix/len -> value. Returns 1 added, 0 replaced, -1 intern table full. */
export function insert(prefix: u32, len: i32, value: u32): i32 {
  const p = prefix & maskOf(len);
  const key = skey(p, len);
  if ((shadowCount + 1) * 4 > shadowCap * 3) shadowGrow();
  const f = hfind(shadowBase, shadowCap, KEY_MASK, key);
  let old: u32 = 0;
  if (f >= 0) {
    old = <u32>(load<u64>(shadowBase + (<usize>f << 3)) >> 33);
    if (old == value) return 0;
  }
  let code: u32;
  if (value + 1 < INTERN_CODE) code = value + 1;
  else {
    const id = internAcquire(value);
    if (id < 0) return -1;
    code = INTERN_CODE + <u32>id;
  }
  const slot = f >= 0 ? <u32>f : <u32>(-1 - f);
  store<u64>(shadowBase + (<usize>slot << 3), key | (<u64>value << 33));
  if (f < 0) {
    shadowCount++;
    const c = LEN_COUNT + (<usize>len << 2);
    store<u32>(c, load<u32>(c) + 1);
  }
  const v1 = value + 1;
  if (len <= 24) {
    const start = p >> 8;
    const end = start + (<u32>1 << (24 - len));
    touch(start, end);
    const e24 = leaf(len, code);
    for (let i = start; i < end; i++) {
      const e = get24(i);
      if (e & EXT) {
        const blk = <usize>(e & 0x7fffff) * GROUP_BYTES;
        groupWrite(blk, 0, 256, len, v1);
        if (leafDepth(load<u32>(blk + 1280)) <= len) store<u32>(blk + 1280, e24);
      } else if (leafDepth(e) <= len) {
        set24(i, e24);
      }
    }
  } else {
    const i = p >> 8;
    touch(i, i + 1);
    let e = get24(i);
    if (!(e & EXT)) {
      const g = allocGroup();
      const blk = <usize>g * GROUP_BYTES;
      const inh = valueOfCode(e & 0x3ffff);
      for (let j: u32 = 0; j < 256; j++) store<u32>(blk + (j << 2), inh);
      memory.fill(blk + 1024, <u8>leafDepth(e), 256);
      store<u32>(blk + 1280, e);
      e = EXT | g;
      set24(i, e);
    }
    groupWrite(<usize>(e & 0x7fffff) * GROUP_BYTES, p & 255, <u32>1 << (32 - len), len, v1);
  }
  if (f >= 0 && old + 1 >= INTERN_CODE) internRelease(old);
  return f >= 0 ? 0 : 1;
}

/** Removes exactly prefix/len; 1 if removed, 0 if absent. */
export function remove(prefix: u32, len: i32): i32 {
  const p = prefix & maskOf(len);
  const f = hfind(shadowBase, shadowCap, KEY_MASK, skey(p, len));
  if (f < 0) return 0;
  const old = <u32>(load<u64>(shadowBase + (<usize>f << 3)) >> 33);
  hdelete(shadowBase, shadowCap, KEY_MASK, <u32>f);
  shadowCount--;
  const c = LEN_COUNT + (<usize>len << 2);
  store<u32>(c, load<u32>(c) - 1);
  // Next-longer covering prefix from the shadow.
  let cdepth: i32 = 0;
  let cv1: u32 = 0;
  let ccode: u32 = 0;
  for (let l = len - 1; l >= 0; l--) {
    if (load<u32>(LEN_COUNT + (<usize>l << 2)) == 0) continue;
    const h = hfind(shadowBase, shadowCap, KEY_MASK, skey(p & maskOf(l), l));
    if (h >= 0) {
      const cv = <u32>(load<u64>(shadowBase + (<usize>h << 3)) >> 33);
      cdepth = l;
      cv1 = cv + 1;
      ccode = codeOf(cv);
      break;
    }
  }
  if (len <= 24) {
    const start = p >> 8;
    const end = start + (<u32>1 << (24 - len));
    const ce = leaf(cdepth, ccode);
    for (let i = start; i < end; i++) {
      const e = get24(i);
      if (e & EXT) {
        const blk = <usize>(e & 0x7fffff) * GROUP_BYTES;
        groupRestore(blk, 0, 256, len, cv1, cdepth);
        const h = load<u32>(blk + 1280);
        if (leafDepth(h) == len && (h & 0x3ffff) != 0) store<u32>(blk + 1280, ce);
      } else if (leafDepth(e) == len && (e & 0x3ffff) != 0) {
        set24(i, ce);
      }
    }
  } else {
    const i = p >> 8;
    const e = get24(i);
    if (e & EXT) {
      const g = e & 0x7fffff;
      const blk = <usize>g * GROUP_BYTES;
      groupRestore(blk, p & 255, <u32>1 << (32 - len), len, cv1, cdepth);
      let deep = false;
      for (let j: u32 = 0; j < 256; j++) {
        if (load<u8>(blk + 1024 + j) > 24) { deep = true; break; }
      }
      if (!deep) {
        set24(i, load<u32>(blk + 1280));
        store<u32>(blk, freeGroup);
        freeGroup = g;
        groups--;
      }
    }
  }
  if (old + 1 >= INTERN_CODE) internRelease(old);
  return 1;
}

/** Path list of the longest match for address, or -1. */
export function lookup(a: u32): i32 {
  const e = load<u32>(T24 + <usize>(a >> 8) * s24) & 0xffffff;
  if (e & EXT) return load<i32>(<usize>(e & 0x7fffff) * GROUP_BYTES + ((a & 255) << 2)) - 1;
  const code = e & 0x3ffff;
  if (code < INTERN_CODE) return <i32>code - 1;
  return load<i32>(INTERN_VAL + ((code - INTERN_CODE) << 2));
}

/** Looks up IO_IN[0..n) into IO_OUT[0..n): first every tbl24 load (independent, so
 * the cache misses overlap), then the tbl8 / intern resolution. */
export function lookupBatch(n: u32): void {
  for (let k: u32 = 0; k < n; k++) {
    const a = load<u32>(IO_IN + (k << 2));
    store<u32>(IO_OUT + (k << 2), load<u32>(T24 + <usize>(a >> 8) * s24) & 0xffffff);
  }
  for (let k: u32 = 0; k < n; k++) {
    const e = load<u32>(IO_OUT + (k << 2));
    let r: i32;
    if (e & EXT) {
      const a = load<u32>(IO_IN + (k << 2));
      r = load<i32>(<usize>(e & 0x7fffff) * GROUP_BYTES + ((a & 255) << 2)) - 1;
    } else {
      const code = e & 0x3ffff;
      r = code < INTERN_CODE ? <i32>code - 1 : load<i32>(INTERN_VAL + ((code - INTERN_CODE) << 2));
    }
    store<i32>(IO_OUT + (k << 2), r);
  }
}

/** Removes every prefix (only the touched part of tbl24 is zeroed). */
export function clear(): void {
  if (dirtyHi > dirtyLo) memory.fill(T24 + <usize>dirtyLo * s24, 0, <usize>(dirtyHi - dirtyLo) * s24);
  dirtyLo = 0xffffffff;
  dirtyHi = 0;
  memory.fill(INTERN_HASH, 0, <usize>INTERN_CAP << 3);
  memory.fill(LEN_COUNT, 0, 33 << 2);
  memory.fill(shadowBase, 0, <usize>shadowCap << 3);
  shadowCount = 0;
  internNext = 0;
  internFreeTop = 0;
  freeGroup = 0;
  groups = 0;
  // Groups restart from the end of T24 (memory already there stays allocated).
  heapTop = roundGroup(shadowBase + (<usize>shadowCap << 3));
  holeTop = roundGroup(T24 + t24Bytes());
  holeEnd = shadowBase;
}
