// asc-flags: --runtime stub
// IPv4 longest-prefix match, DIR-24-8 (Gupta, Lin, McKeown, "Routing Lookups in
// Hardware at Memory Access Speeds", INFOCOM 1998; the layout DPDK's rte_lpm uses)
// with tbl24 compressed the way Poptrie compresses its leaves (Asai, Ohara,
// "Poptrie", SIGCOMM 2015): a bitmap of where the value changes plus popcount.
// Incremental insert/remove, a bulk build from sorted prefixes, batch lookup.
// Implements src/dataplane/fib.ts through the wrapper in src/fastpath/fib/wasm-fib.ts.
//
// Why compressed: a flat tbl24 is 32-64 MB, and random destinations then miss the
// TLB on every lookup (55-80 M random loads/s on the 2-core test VM whatever the
// entry width); the compressed tbl24 of a 500k-prefix table is about 9 MB, of
// which lookups touch the 3 MB of headers and about 4.3 MB of run values.
//
// Bulk build (bulkStage + bulkBuild): an LSD radix sort of (prefix, length) keys,
// the last of repeated keys kept, the shadow filled in home-slot order, then one
// sweep in address order with a stack of the covering prefixes writes every
// header, run and group once.
//
// tbl24 = 2^18 blocks of 64 entries (one block per /18), each a 12-byte header:
//   u64 bitmap  bit j set: a run starts at entry j (bit 0 always set)
//   u32 vbase   address of the block's run values - 4
// and, in a separate array, the address of its depth slot (u8 capacity, then one
// u8 depth per run). 12 rather than 16 bytes keeps the header table at 3 MB, which
// measured about 30% faster (median) when other processes compete for the cache.
// The value of entry j is values[popcount(bitmap & bits 0..j) - 1]: one header
// load and one value load. A run value is the path list (>= 0), -1 for a miss, or
// 0x80000000 | (group address >> 2) for a tbl8 group. The depth (the prefix length
// owning the run) is only read by updates, so depth slots live apart from values.
//   tbl8 group (GROUP_BYTES): 256 i32 values, 256 u8 depths, then the leaf the
//   group replaced (i32 value, u8 depth), kept current so the group can collapse.
// Memory comes from one bump heap. Run values are allocated from "hot" 64 KB
// chunks and everything else from "cold" ones, so the values lookups touch stay
// dense (a bulk build lays them out in one contiguous array); freed slots go to
// free lists by capacity (1..64) and groups to their own, so there is no fixed
// group pool and no 32,768-group ceiling. Blocks with no route share EMPTY_V/EMPTY_D.
// Every prefix is also in the shadow: an open-addressing hash (linear probing,
// backward-shift delete); slot u64 = key33 | pathList << 33 with
// key33 = (prefix >> (32-len)) | 1 << len. The per-entry depth is what makes
// remove exact: entries of depth == len belong to the removed prefix and are
// rewritten to the next-longer covering prefix found in the shadow.

const BATCH_MAX: u32 = 4096;
const IO_IN: usize = 65536;
const IO_OUT: usize = IO_IN + (<usize>BATCH_MAX << 2);
const LEN_COUNT: usize = 98304; // 33 u32: prefixes held per length
const FREE_V: usize = LEN_COUNT + 256; // u32 free-list head of value slots per capacity 1..64
const FREE_D: usize = FREE_V + 512; // u32 free-list head of depth slots per capacity 1..64
const SCR_V: usize = FREE_D + 512; // one block decoded: 64 i32 values
const SCR_D: usize = SCR_V + 256; //                       64 u8 depths
const RUN_V: usize = SCR_D + 64; // one block's runs being encoded: 64 i32 values
const RUN_D: usize = RUN_V + 256; //                                64 u8 depths
const STACK: usize = 100864; // bulk sweep: 33 x (u32 end, i32 value, u32 depth)
const HIST: usize = 102400; // bulk radix sort: 3 x 8192 u32 counts
const EMPTY_V: usize = 200704; // run value of blocks without a route: -1
const EMPTY_D: usize = EMPTY_V + 8; // their depth slot: capacity 1, depth 0
const HDR: usize = 262144;
const BLOCKS: u32 = 1 << 18;
const DSLOTS: usize = HDR + <usize>BLOCKS * 12; // u32 per block: its depth slot
const HEAP0: usize = DSLOTS + (<usize>BLOCKS << 2);
const GROUP_BYTES: usize = 1288;
const CHUNK: usize = 65536;
const KEY_MASK: u64 = 0x1ffffffff;

let heapTop: usize = 0; // bump pointer (multiple of 8)
let holeTop: usize = 0; // a free range [holeTop, holeEnd) below heapTop, used first
let holeEnd: usize = 0;
let hotTop: usize = 0; // current chunk for run values
let hotEnd: usize = 0;
let coldTop: usize = 0; // current chunk for depth slots and groups
let coldEnd: usize = 0;
let freeGroup: usize = 0; // free-list head (group address), 0 = empty
let groups: u32 = 0;
let shadowBase: usize = 0;
let shadowCap: u32 = 0;
let shadowCount: u32 = 0;
let dirtyLo: u32 = BLOCKS; // blocks written since the last clear: [dirtyLo, dirtyHi)
let dirtyHi: u32 = 0;
let allocCap: u32 = 0; // capacity of the slots allocRuns returned last
let allocDep: usize = 0; // and the depth slot
let stageBase: usize = 0;
let stageCount: u32 = 0;

/** Byte offset of the batch input (u32 addresses). */
export function ioIn(): usize { return IO_IN; }
/** Byte offset of the batch output (i32 path lists, -1 miss). */
export function ioOut(): usize { return IO_OUT; }
/** Largest batch per call. */
export function batchMax(): u32 { return BATCH_MAX; }
/** Number of prefixes held. */
export function size(): u32 { return shadowCount; }
/** tbl8 groups in use. */
export function groupCount(): u32 { return groups; }
/** Byte offset of the 2^18 tbl24 block headers (12 bytes each). */
export function headerBase(): usize { return HDR; }
/** Bytes of linear memory in use (heap top). */
export function usedBytes(): usize { return heapTop; }

// ---- memory ----
function ensure(end: usize): void {
  const have = <usize>memory.size() << 16;
  if (end > have) {
    if (memory.grow(<i32>((end - have + 65535) >> 16)) < 0) unreachable();
  }
}
@inline function align8(a: usize): usize { return (a + 7) & ~(<usize>7); }
function bump(bytes: usize): usize {
  bytes = align8(bytes);
  if (holeTop + bytes <= holeEnd) {
    const a = holeTop;
    holeTop += bytes;
    return a;
  }
  const a = heapTop;
  heapTop += bytes;
  ensure(heapTop);
  return a;
}
/** Offers [lo, hi) as the hole if it is larger than the one left. */
function offerHole(lo: usize, hi: usize): void {
  lo = align8(lo);
  if (hi > lo && hi - lo > holeEnd - holeTop) {
    holeTop = lo;
    holeEnd = hi;
  }
}
function hotAlloc(bytes: usize): usize {
  if (hotTop + bytes > hotEnd) {
    hotTop = bump(CHUNK);
    hotEnd = hotTop + CHUNK;
  }
  const a = hotTop;
  hotTop += bytes;
  return a;
}
function coldAlloc(bytes: usize): usize {
  if (coldTop + bytes > coldEnd) {
    coldTop = bump(CHUNK);
    coldEnd = coldTop + CHUNK;
  }
  const a = coldTop;
  coldTop += bytes;
  return a;
}
function resetArenas(): void {
  hotTop = 0;
  hotEnd = 0;
  coldTop = 0;
  coldEnd = 0;
  memory.fill(FREE_V, 0, 1024);
  freeGroup = 0;
  groups = 0;
}

// ---- run slots: cap i32 values (hot) + a depth slot of u8 cap and cap u8 depths (cold) ----
@inline function depBytes(cap: u32): usize { return (<usize>cap + 4) & ~(<usize>3); }
@inline function popFree(head: usize): usize {
  const f = <usize>load<u32>(head);
  if (f != 0) store<u32>(head, load<u32>(f));
  return f;
}
@inline function pushFree(head: usize, slot: usize): void {
  store<u32>(slot, load<u32>(head));
  store<u32>(head, <u32>slot);
}
/** Value slot for count runs (allocCap, allocDep: its capacity and depth slot). */
function allocRuns(count: u32): usize {
  const hi = count * 2 < 64 ? count * 2 : 64;
  let c: u32 = 0;
  let v: usize = 0;
  for (let k = count; k <= hi; k++) {
    v = popFree(FREE_V + (<usize>k << 2));
    if (v != 0) {
      c = k;
      break;
    }
  }
  if (c == 0) {
    c = 1;
    while (c < count) c <<= 1;
    v = hotAlloc(<usize>c << 2);
  }
  let d = popFree(FREE_D + (<usize>c << 2));
  if (d == 0) d = coldAlloc(depBytes(c));
  store<u8>(d, <u8>c);
  allocCap = c;
  allocDep = d;
  return v;
}
function freeRuns(v: usize, d: usize): void {
  if (v == EMPTY_V) return;
  const c = <usize>load<u8>(d);
  pushFree(FREE_V + (c << 2), v);
  pushFree(FREE_D + (c << 2), d);
}

// ---- block headers ----
@inline function hdr(b: u32): usize { return HDR + <usize>b * 12; }
@inline function dslotOf(b: u32): usize { return <usize>load<u32>(DSLOTS + (<usize>b << 2)); }
@inline function setDslot(b: u32, d: usize): void { store<u32>(DSLOTS + (<usize>b << 2), <u32>d); }
@inline function setEmpty(b: u32): void {
  const h = hdr(b);
  store<u64>(h, 1);
  store<u32>(h, <u32>(EMPTY_V - 4), 8);
  setDslot(b, EMPTY_D);
}
function resetHeaders(lo: u32, hi: u32): void {
  for (let b = lo; b < hi; b++) {
    const h = hdr(b);
    store<u64>(h, 1);
    store<u32>(h, <u32>(EMPTY_V - 4), 8);
  }
  const d = i32x4.splat(<i32>EMPTY_D);
  let b = lo;
  for (; b < hi && (b & 3) != 0; b++) setDslot(b, EMPTY_D);
  for (; b + 4 <= hi; b += 4) v128.store(DSLOTS + (<usize>b << 2), d);
  for (; b < hi; b++) setDslot(b, EMPTY_D);
}
@inline function touch(b: u32): void {
  if (b < dirtyLo) dirtyLo = b;
  if (b >= dirtyHi) dirtyHi = b + 1;
}
/** Loads block b's entries into SCR_V / SCR_D. */
function decode(b: u32): void {
  const h = hdr(b);
  const bm = load<u64>(h);
  const vals = <usize>load<u32>(h, 8) + 4;
  const dep = dslotOf(b) + 1;
  let r: usize = 0;
  let v: i32 = 0;
  let d: u8 = 0;
  for (let j: usize = 0; j < 64; j++) {
    if ((bm >> j) & 1) {
      v = load<i32>(vals + (r << 2));
      d = load<u8>(dep + r);
      r++;
    }
    store<i32>(SCR_V + (j << 2), v);
    store<u8>(SCR_D + j, d);
  }
}
/** Stores SCR_V / SCR_D back into block b as runs. */
function encode(b: u32): void {
  let pv = load<i32>(SCR_V);
  let pd = load<u8>(SCR_D);
  store<i32>(RUN_V, pv);
  store<u8>(RUN_D, pd);
  let n: u32 = 1;
  let bm: u64 = 1;
  for (let j: usize = 1; j < 64; j++) {
    const v = load<i32>(SCR_V + (j << 2));
    const d = load<u8>(SCR_D + j);
    if (v != pv || d != pd) {
      store<i32>(RUN_V + (<usize>n << 2), v);
      store<u8>(RUN_D + <usize>n, d);
      n++;
      bm |= <u64>1 << j;
      pv = v;
      pd = d;
    }
  }
  writeRuns(b, bm, n);
}
/** Writes the n runs in RUN_V / RUN_D as block b (reusing its slots when they fit). */
function writeRuns(b: u32, bm: u64, n: u32): void {
  const h = hdr(b);
  let vals = <usize>load<u32>(h, 8) + 4;
  let dslot = dslotOf(b);
  if (n == 1 && load<i32>(RUN_V) == -1 && load<u8>(RUN_D) == 0) {
    freeRuns(vals, dslot);
    setEmpty(b);
    return;
  }
  const cap = <u32>load<u8>(dslot);
  if (vals == EMPTY_V || n > cap || (cap > 4 && n << 2 <= cap)) {
    freeRuns(vals, dslot);
    vals = allocRuns(n);
    dslot = allocDep;
  }
  memory.copy(vals, RUN_V, <usize>n << 2);
  memory.copy(dslot + 1, RUN_D, <usize>n);
  store<u64>(h, bm);
  store<u32>(h, <u32>(vals - 4), 8);
  setDslot(b, dslot);
  touch(b);
}
/** Value of entry j of block b. */
@inline function entryValue(b: u32, j: u32): i32 {
  const h = hdr(b);
  const idx = <usize>popcnt<u64>(load<u64>(h) << <u64>(~j & 63));
  return load<i32>(<usize>load<u32>(h, 8) + (idx << 2));
}
/** Depth of entry j of block b. */
function entryDepth(b: u32, j: u32): u8 {
  const h = hdr(b);
  const idx = <usize>popcnt<u64>(load<u64>(h) << <u64>(~j & 63));
  return load<u8>(dslotOf(b) + idx);
}

// ---- tbl8 groups ----
@inline function isGroup(v: i32): bool { return v < -1; }
@inline function groupRef(g: usize): i32 { return <i32>(0x80000000 | <u32>(g >> 2)); }
@inline function groupAddr(v: i32): usize { return <usize>(<u32>v << 2); }
/** Fills group g with the leaf it replaces (value v, depth d). */
function groupInit(g: usize, v: i32, d: u8): void {
  const s = i32x4.splat(v);
  for (let j: usize = 0; j < 1024; j += 16) v128.store(g + j, s);
  memory.fill(g + 1024, d, 256);
  store<i32>(g, v, 1280);
  store<u8>(g, d, 1284);
}
function newGroup(v: i32, d: u8): usize {
  let g = freeGroup;
  if (g != 0) freeGroup = <usize>load<u32>(g);
  else g = coldAlloc(GROUP_BYTES);
  groups++;
  groupInit(g, v, d);
  return g;
}
function freeGroupAt(g: usize): void {
  store<u32>(g, <u32>freeGroup);
  freeGroup = g;
  groups--;
}
/** Writes v/len over group entries [j0, j0+n) whose depth <= len. */
function groupWrite(g: usize, j0: u32, n: u32, len: i32, v: i32): void {
  for (let j = <usize>j0; j < <usize>(j0 + n); j++) {
    if (<i32>load<u8>(g + 1024 + j) <= len) {
      store<i32>(g + (j << 2), v);
      store<u8>(g + 1024 + j, <u8>len);
    }
  }
}
/** Rewrites group entries [j0, j0+n) owned by len to the cover (cv, cd). */
function groupRestore(g: usize, j0: u32, n: u32, len: i32, cv: i32, cd: i32): void {
  for (let j = <usize>j0; j < <usize>(j0 + n); j++) {
    if (<i32>load<u8>(g + 1024 + j) == len && load<i32>(g + (j << 2)) != -1) {
      store<i32>(g + (j << 2), cv);
      store<u8>(g + 1024 + j, <u8>cd);
    }
  }
}
/** True if a prefix longer than /24 still owns an entry of the group. */
function groupDeep(g: usize): bool {
  const lim = i8x16.splat(24);
  let any = i8x16.splat(0);
  for (let j: usize = 0; j < 256; j += 16) any = v128.or(any, i8x16.gt_u(v128.load(g + 1024 + j), lim));
  return v128.any_true(any);
}

// ---- shadow: linear-probing hash of u64 slots (0 = empty) ----
@inline function home(key: u64, cap: u32): u32 {
  return <u32>((((key * 0x9E3779B97F4A7C15) >> 32) * <u64>cap) >> 32);
}
function hfind(key: u64): i32 {
  const base = shadowBase;
  const cap = shadowCap;
  let i = home(key, cap);
  while (true) {
    const s = load<u64>(base + (<usize>i << 3));
    if (s == 0) return -1 - <i32>i; // not found: -(empty slot) - 1
    if ((s & KEY_MASK) == key) return <i32>i;
    if (++i == cap) i = 0;
  }
}
function hdelete(at: u32): void {
  const base = shadowBase;
  const cap = shadowCap;
  let i = at;
  let j = at;
  while (true) {
    if (++j == cap) j = 0;
    const s = load<u64>(base + (<usize>j << 3));
    if (s == 0) break;
    const k = home(s & KEY_MASK, cap);
    const move = i <= j ? (k <= i || k > j) : (k <= i && k > j);
    if (move) {
      store<u64>(base + (<usize>i << 3), s);
      i = j;
    }
  }
  store<u64>(base + (<usize>i << 3), 0);
}
@inline function hput(s: u64): void {
  const base = shadowBase;
  const cap = shadowCap;
  let j = home(s & KEY_MASK, cap);
  while (load<u64>(base + (<usize>j << 3)) != 0) if (++j == cap) j = 0;
  store<u64>(base + (<usize>j << 3), s);
}
@inline function shadowCapFor(n: u32): u32 { return <u32>(<f64>n / 0.75) + 64; }
/** Allocates an empty shadow of cap slots. */
function shadowAlloc(cap: u32): void {
  const bytes = <usize>cap << 3;
  shadowBase = bump(bytes);
  shadowCap = cap;
  memory.fill(shadowBase, 0, bytes);
}
function shadowGrow(): void {
  const oldBase = shadowBase;
  const oldCap = shadowCap;
  shadowAlloc(oldCap * 2);
  for (let i: u32 = 0; i < oldCap; i++) {
    const s = load<u64>(oldBase + (<usize>i << 3));
    if (s != 0) hput(s);
  }
  offerHole(oldBase, oldBase + (<usize>oldCap << 3));
}
@inline function maskOf(len: i32): u32 { return len == 0 ? 0 : <u32>(0xffffffff << (32 - len)); }
@inline function skey(p: u32, len: i32): u64 {
  return len == 0 ? 1 : ((<u64>p >> (32 - len)) | (<u64>1 << len));
}
@inline function countLen(len: i32, delta: i32): void {
  const c = LEN_COUNT + (<usize>len << 2);
  store<i32>(c, load<i32>(c) + delta);
}

// ---- set up, clear ----
/** Empties the table and restarts the heap with a fresh shadow for about expected prefixes. */
function emptyTable(expected: u32): void {
  if (dirtyHi > dirtyLo) resetHeaders(dirtyLo, dirtyHi);
  dirtyLo = BLOCKS;
  dirtyHi = 0;
  memory.fill(LEN_COUNT, 0, 33 << 2);
  resetArenas();
  heapTop = HEAP0;
  ensure(heapTop);
  holeTop = 0;
  holeEnd = 0;
  shadowCount = 0;
  shadowAlloc(shadowCapFor(expected));
}

/** Sets up an empty table, the shadow sized for about expected prefixes. */
export function init(expected: u32): void {
  ensure(HEAP0);
  store<i32>(EMPTY_V, -1);
  store<u8>(EMPTY_D, 1);
  store<u8>(EMPTY_D + 1, 0);
  dirtyLo = 0;
  dirtyHi = BLOCKS;
  emptyTable(expected);
}

/** Removes every prefix (only the blocks written since the last clear are reset). */
export function clear(): void {
  if (dirtyHi > dirtyLo) resetHeaders(dirtyLo, dirtyHi);
  dirtyLo = BLOCKS;
  dirtyHi = 0;
  memory.fill(LEN_COUNT, 0, 33 << 2);
  resetArenas();
  memory.fill(shadowBase, 0, <usize>shadowCap << 3);
  shadowCount = 0;
  // Everything but the shadow is free again: below it is the hole, above it the heap.
  heapTop = align8(shadowBase + (<usize>shadowCap << 3));
  holeTop = HEAP0;
  holeEnd = shadowBase;
}

// ---- incremental update ----
/** Writes v/len over tbl24 entries [start, end) whose depth <= len (groups entry by entry). */
function writeRange(start: u32, end: u32, len: i32, v: i32): void {
  const last = (end - 1) >> 6;
  for (let b = start >> 6; b <= last; b++) {
    const lo = b << 6;
    const j0 = start > lo ? start - lo : 0;
    const j1 = end < lo + 64 ? end - lo : 64;
    const h = hdr(b);
    if (j1 - j0 == 64 && load<u64>(h) == 1) {
      // One run over the whole block (never a group: a group is one entry).
      if (<i32>load<u8>(dslotOf(b) + 1) <= len) {
        store<i32>(RUN_V, v);
        store<u8>(RUN_D, <u8>len);
        writeRuns(b, 1, 1);
      }
      continue;
    }
    decode(b);
    let changed = false;
    for (let j = <usize>j0; j < <usize>j1; j++) {
      const e = load<i32>(SCR_V + (j << 2));
      if (isGroup(e)) {
        const g = groupAddr(e);
        groupWrite(g, 0, 256, len, v);
        if (<i32>load<u8>(g, 1284) <= len) {
          store<i32>(g, v, 1280);
          store<u8>(g, <u8>len, 1284);
        }
      } else if (<i32>load<u8>(SCR_D + j) <= len) {
        store<i32>(SCR_V + (j << 2), v);
        store<u8>(SCR_D + j, <u8>len);
        changed = true;
      }
    }
    if (changed) encode(b);
  }
}
/** Rewrites tbl24 entries [start, end) owned by len to the cover (cv, cd). */
function restoreRange(start: u32, end: u32, len: i32, cv: i32, cd: i32): void {
  const last = (end - 1) >> 6;
  for (let b = start >> 6; b <= last; b++) {
    const lo = b << 6;
    const j0 = start > lo ? start - lo : 0;
    const j1 = end < lo + 64 ? end - lo : 64;
    const h = hdr(b);
    if (j1 - j0 == 64 && load<u64>(h) == 1) {
      if (<i32>load<u8>(dslotOf(b) + 1) == len && load<i32>(<usize>load<u32>(h, 8) + 4) != -1) {
        store<i32>(RUN_V, cv);
        store<u8>(RUN_D, <u8>cd);
        writeRuns(b, 1, 1);
      }
      continue;
    }
    decode(b);
    let changed = false;
    for (let j = <usize>j0; j < <usize>j1; j++) {
      const e = load<i32>(SCR_V + (j << 2));
      if (isGroup(e)) {
        const g = groupAddr(e);
        groupRestore(g, 0, 256, len, cv, cd);
        if (<i32>load<u8>(g, 1284) == len && load<i32>(g, 1280) != -1) {
          store<i32>(g, cv, 1280);
          store<u8>(g, <u8>cd, 1284);
        }
      } else if (<i32>load<u8>(SCR_D + j) == len && e != -1) {
        store<i32>(SCR_V + (j << 2), cv);
        store<u8>(SCR_D + j, <u8>cd);
        changed = true;
      }
    }
    if (changed) encode(b);
  }
}
/** Sets tbl24 entry i to the value v with depth d. */
function setEntry(i: u32, v: i32, d: u8): void {
  const b = i >> 6;
  decode(b);
  store<i32>(SCR_V + (<usize>(i & 63) << 2), v);
  store<u8>(SCR_D + <usize>(i & 63), d);
  encode(b);
}

/** Adds or replaces prefix/len -> value (0 <= value < 2^31). Returns 1 added, 0 replaced, -1 bad input. */
export function insert(prefix: u32, len: i32, value: i32): i32 {
  if (<u32>len > 32 || value < 0) return -1;
  const p = prefix & maskOf(len);
  const key = skey(p, len);
  if ((shadowCount + 1) * 4 > shadowCap * 3) shadowGrow();
  const f = hfind(key);
  const slot = shadowBase + (<usize>(f >= 0 ? f : -1 - f) << 3);
  if (f >= 0) {
    if (<i32>(load<u64>(slot) >> 33) == value) return 0;
  } else {
    shadowCount++;
    countLen(len, 1);
  }
  store<u64>(slot, key | (<u64>value << 33));
  if (len <= 24) {
    const start = p >> 8;
    writeRange(start, start + (<u32>1 << (24 - len)), len, value);
  } else {
    const i = p >> 8;
    let e = entryValue(i >> 6, i & 63);
    if (!isGroup(e)) {
      const g = newGroup(e, entryDepth(i >> 6, i & 63));
      e = groupRef(g);
      setEntry(i, e, 0);
    }
    groupWrite(groupAddr(e), p & 255, <u32>1 << (32 - len), len, value);
  }
  return f >= 0 ? 0 : 1;
}

/** Removes exactly prefix/len; 1 if removed, 0 if absent. */
export function remove(prefix: u32, len: i32): i32 {
  if (<u32>len > 32) return 0;
  const p = prefix & maskOf(len);
  const f = hfind(skey(p, len));
  if (f < 0) return 0;
  hdelete(<u32>f);
  shadowCount--;
  countLen(len, -1);
  // Next-longer covering prefix from the shadow.
  let cd: i32 = 0;
  let cv: i32 = -1;
  for (let l = len - 1; l >= 0; l--) {
    if (load<u32>(LEN_COUNT + (<usize>l << 2)) == 0) continue;
    const h = hfind(skey(p & maskOf(l), l));
    if (h >= 0) {
      cv = <i32>(load<u64>(shadowBase + (<usize>h << 3)) >> 33);
      cd = l;
      break;
    }
  }
  if (len <= 24) {
    const start = p >> 8;
    restoreRange(start, start + (<u32>1 << (24 - len)), len, cv, cd);
  } else {
    const i = p >> 8;
    const e = entryValue(i >> 6, i & 63);
    if (isGroup(e)) {
      const g = groupAddr(e);
      groupRestore(g, p & 255, <u32>1 << (32 - len), len, cv, cd);
      if (!groupDeep(g)) {
        setEntry(i, load<i32>(g, 1280), load<u8>(g, 1284));
        freeGroupAt(g);
      }
    }
  }
  return 1;
}

// ---- lookup ----
/** Path list of the longest match for address a, or -1. */
export function lookup(a: u32): i32 {
  const h = HDR + <usize>(a >> 14) * 12;
  const idx = <usize>popcnt<u64>(load<u64>(h) << <u64>(~(a >> 8))); // i64.shl takes the count mod 64
  let r = load<i32>(<usize>load<u32>(h, 8) + (idx << 2));
  if (r < -1) r = load<i32>(groupAddr(r) + (<usize>(a & 255) << 2));
  return r;
}

@inline function lookupOne(a: u32): i32 {
  const h = HDR + <usize>(a >> 14) * 12;
  const idx = <usize>popcnt<u64>(load<u64>(h) << <u64>(~(a >> 8))); // i64.shl takes the count mod 64
  return load<i32>(<usize>load<u32>(h, 8) + (idx << 2));
}

/** Looks up IO_IN[0..n) into IO_OUT[0..n): a header load and a run load per address,
 * four addresses per iteration so their cache misses overlap; groups resolve after. */
export function lookupBatch(n: u32): void {
  const end = <usize>n << 2;
  const end4 = end & ~(<usize>15);
  let k: usize = 0;
  for (; k < end4; k += 16) {
    const a0 = load<u32>(IO_IN + k);
    const a1 = load<u32>(IO_IN + k, 4);
    const a2 = load<u32>(IO_IN + k, 8);
    const a3 = load<u32>(IO_IN + k, 12);
    const r0 = lookupOne(a0);
    const r1 = lookupOne(a1);
    const r2 = lookupOne(a2);
    const r3 = lookupOne(a3);
    store<i32>(IO_OUT + k, r0);
    store<i32>(IO_OUT + k, r1, 4);
    store<i32>(IO_OUT + k, r2, 8);
    store<i32>(IO_OUT + k, r3, 12);
    if (min(min(r0, r1), min(r2, r3)) < -1) {
      for (let q: usize = 0; q < 16; q += 4) {
        const r = load<i32>(IO_OUT + k + q);
        if (r < -1) store<i32>(IO_OUT + k + q, load<i32>(groupAddr(r) + (<usize>(load<u32>(IO_IN + k + q) & 255) << 2)));
      }
    }
  }
  for (; k < end; k += 4) store<i32>(IO_OUT + k, lookup(load<u32>(IO_IN + k)));
}

// ---- bulk build ----
/** Discards the table and returns the offset of staging for n routes: n u32
 * prefixes, then n i32 path lists, then n u8 lengths. bulkBuild(n) consumes it;
 * lookups in between see whatever the staging overwrote. */
export function bulkStage(n: u32): usize {
  const s = HEAP0;
  ensure(s + <usize>n * 25 + 64); // bulkBuild sorts in [s + 9n, s + 25n)
  stageBase = s;
  stageCount = n;
  return s;
}

let encCur: u32 = 0; // next tbl24 entry the sweep emits
let encN: u32 = 0; // runs of the block being emitted
let encBm: u64 = 0;
let encVals: usize = 0; // where the next block's run values go (one contiguous array)
let encDeps: usize = 0; // where its depth slot goes
let encGroups: usize = 0; // where the next group goes

/** Stores the runs in RUN_V / RUN_D as block b at the bulk cursors (exact capacity n). */
function finishBlock(b: u32, bm: u64, n: u32): void {
  const h = hdr(b);
  if (n == 1 && load<i32>(RUN_V) == -1 && load<u8>(RUN_D) == 0) {
    setEmpty(b);
    return;
  }
  const vals = encVals;
  const dslot = encDeps;
  encVals += <usize>n << 2;
  encDeps += depBytes(n);
  for (let r: usize = 0; r < <usize>n; r++) store<i32>(vals + (r << 2), load<i32>(RUN_V + (r << 2)));
  store<u8>(dslot, <u8>n);
  for (let r: usize = 0; r < <usize>n; r++) store<u8>(dslot + 1 + r, load<u8>(RUN_D + r));
  store<u64>(h, bm);
  store<u32>(h, <u32>(vals - 4), 8);
  setDslot(b, dslot);
}
/** Emits tbl24 entries [encCur, to) as value v, depth d. */
function emit(to: u32, v: i32, d: u32): void {
  while (encCur < to) {
    const j = encCur & 63;
    if (j == 0 && to - encCur >= 64) {
      store<i32>(RUN_V, v);
      store<u8>(RUN_D, <u8>d);
      finishBlock(encCur >> 6, 1, 1);
      encCur += 64;
      continue;
    }
    if (j == 0 || v != load<i32>(RUN_V + (<usize>(encN - 1) << 2)) || <u8>d != load<u8>(RUN_D + <usize>(encN - 1))) {
      store<i32>(RUN_V + (<usize>encN << 2), v);
      store<u8>(RUN_D + <usize>encN, <u8>d);
      encN++;
      encBm |= <u64>1 << j;
    }
    const blockEnd = (encCur | 63) + 1;
    encCur = to < blockEnd ? to : blockEnd;
    if ((encCur & 63) == 0) {
      finishBlock((encCur - 1) >> 6, encBm, encN);
      encN = 0;
      encBm = 0;
    }
  }
}
/** Sweeps the m sorted routes (keys at k, values at vs: address, then length, so
 * covers come before what they cover) with a stack of the enclosing /0-/24
 * prefixes, emitting tbl24 in address order and filling a group per /24 that holds
 * longer prefixes. */
function sweep(k: usize, vs: usize, m: usize): void {
  encCur = 0;
  encN = 0;
  encBm = 0;
  let sp: usize = 0;
  let groupAt: u32 = 0xffffffff;
  let g: usize = 0;
  for (let r: usize = 0; r < m; r++) {
    const key = load<u64>(k + (r << 3));
    const len = <i32>(key & 63);
    const p = <u32>(key >> 6);
    const v = load<i32>(vs + (r << 2));
    const i = p >> 8;
    while (sp > 0 && load<u32>(STACK + (sp - 1) * 12) <= i) {
      const t = STACK + (sp - 1) * 12;
      emit(load<u32>(t), load<i32>(t, 4), load<u32>(t, 8));
      sp--;
    }
    const tv = sp > 0 ? load<i32>(STACK + (sp - 1) * 12, 4) : -1;
    const td = sp > 0 ? load<u32>(STACK + (sp - 1) * 12, 8) : 0;
    if (len <= 24) {
      emit(i, tv, td);
      const t = STACK + sp * 12;
      store<u32>(t, i + (<u32>1 << (24 - len)));
      store<i32>(t, v, 4);
      store<u32>(t, <u32>len, 8);
      sp++;
    } else {
      if (i != groupAt) {
        emit(i, tv, td);
        g = encGroups;
        encGroups += GROUP_BYTES;
        groupInit(g, tv, <u8>td);
        groups++;
        emit(i + 1, groupRef(g), 0);
        groupAt = i;
      }
      // In sorted order every prefix comes after those covering it: overwrite.
      const j0 = <usize>(p & 255);
      const j1 = j0 + (<usize>1 << (32 - len));
      for (let j = j0; j < j1; j++) {
        store<i32>(g + (j << 2), v);
        store<u8>(g + 1024 + j, <u8>len);
      }
    }
  }
  while (sp > 0) {
    const t = STACK + (sp - 1) * 12;
    emit(load<u32>(t), load<i32>(t, 4), load<u32>(t, 8));
    sp--;
  }
  emit(1 << 24, -1, 0);
}

/** One LSD radix pass over u64 records on the digit (rec >> shift) & mask. */
function radixPass(src: usize, dst: usize, n: usize, shift: u64, mask: u64, hist: usize): void {
  for (let i: usize = 0; i < n; i++) {
    const rec = load<u64>(src + (i << 3));
    const c = hist + (<usize>((rec >> shift) & mask) << 2);
    const at = <usize>load<u32>(c);
    store<u32>(c, <u32>at + 1);
    store<u64>(dst + (at << 3), rec);
  }
}
/** Turns hist[0..buckets) counts into starting offsets. */
function exclusiveSum(hist: usize, buckets: usize): void {
  let sum: u32 = 0;
  for (let d: usize = 0; d < buckets; d++) {
    const c = load<u32>(hist + (d << 2));
    store<u32>(hist + (d << 2), sum);
    sum += c;
  }
}

const INDEX_BITS: u64 = 26; // sort records: prefix << 32 | length << 26 | staging index
/** Largest route count one bulk build takes. */
export function bulkMax(): u32 { return 1 << <u32>INDEX_BITS; }

/** Fills the (empty) shadow with the m routes (keys at k, values at vs), in order of
 * their home slot so the probes stay cache-local, scattering through tmp (8m bytes). */
function shadowFill(k: usize, vs: usize, m: usize, tmp: usize): void {
  const cap = shadowCap;
  let shift: u32 = 0;
  while ((cap >> shift) > 1024) shift++;
  const buckets = <usize>(cap >> shift) + 1;
  memory.fill(HIST, 0, buckets << 2);
  for (let i: usize = 0; i < m; i++) {
    const key = load<u64>(k + (i << 3));
    const c = HIST + (<usize>(home(skey(<u32>(key >> 6), <i32>(key & 63)), cap) >> shift) << 2);
    store<u32>(c, load<u32>(c) + 1);
  }
  exclusiveSum(HIST, buckets);
  for (let i: usize = 0; i < m; i++) {
    const key = load<u64>(k + (i << 3));
    const s = skey(<u32>(key >> 6), <i32>(key & 63)) | (<u64>load<u32>(vs + (i << 2)) << 33);
    const c = HIST + (<usize>(home(s & KEY_MASK, cap) >> shift) << 2);
    const at = <usize>load<u32>(c);
    store<u32>(c, <u32>at + 1);
    store<u64>(tmp + (at << 3), s);
  }
  for (let i: usize = 0; i < m; i++) hput(load<u64>(tmp + (i << 3)));
  shadowCount = <u32>m;
}

/** Replaces the table with the n staged routes (a repeated prefix/length keeps its
 * last path list, as repeated inserts would). Returns the distinct prefixes held,
 * or -1 (and an empty table) if a length is over 32, a path list negative or n
 * over bulkMax(). */
export function bulkBuild(n: u32): i32 {
  if (stageBase == 0 || n != stageCount) return -1;
  const S = stageBase;
  const nn = <usize>n;
  const sP = S;
  const sV = S + (nn << 2);
  const sL = S + (nn << 3);
  stageBase = 0;
  if (n > bulkMax()) {
    emptyTable(64);
    return -1;
  }
  for (let i: usize = 0; i < nn; i++) {
    if (load<u8>(sL + i) > 32 || load<i32>(sV + (i << 2)) < 0) {
      emptyTable(64);
      return -1;
    }
  }
  // Records prefix << 32 | length << 26 | index, sorted on their top 38 bits by
  // three LSD passes (13, 13, 12 bits): staging -> A -> B -> A. Equal keys keep
  // staging order.
  const A = align8(S + nn * 9);
  const B = A + (nn << 3);
  memory.fill(HIST, 0, 3 * 8192 * 4);
  for (let i: usize = 0; i < nn; i++) {
    const len = <i32>load<u8>(sL + i);
    const rec = (<u64>(load<u32>(sP + (i << 2)) & maskOf(len)) << 32) | (<u64>len << INDEX_BITS);
    const c0 = HIST + (<usize>((rec >> 26) & 8191) << 2);
    const c1 = HIST + 32768 + (<usize>((rec >> 39) & 8191) << 2);
    const c2 = HIST + 65536 + (<usize>(rec >> 52) << 2);
    store<u32>(c0, load<u32>(c0) + 1);
    store<u32>(c1, load<u32>(c1) + 1);
    store<u32>(c2, load<u32>(c2) + 1);
  }
  exclusiveSum(HIST, 8192);
  exclusiveSum(HIST + 32768, 8192);
  exclusiveSum(HIST + 65536, 4096);
  for (let i: usize = 0; i < nn; i++) {
    const len = <i32>load<u8>(sL + i);
    const rec = (<u64>(load<u32>(sP + (i << 2)) & maskOf(len)) << 32) | (<u64>len << INDEX_BITS) | <u64>i;
    const c = HIST + (<usize>((rec >> 26) & 8191) << 2);
    const at = <usize>load<u32>(c);
    store<u32>(c, <u32>at + 1);
    store<u64>(A + (at << 3), rec);
  }
  radixPass(A, B, nn, 39, 8191, HIST + 32768);
  radixPass(B, A, nn, 52, 4095, HIST + 65536);
  // Keep the last of equal keys: keys (prefix << 6 | length) compacted in place in
  // A, path lists into B. Count the /24s holding longer prefixes (one group each).
  let m: usize = 0;
  let groupCount: usize = 0;
  let lastDeep: u32 = 0xffffffff;
  for (let i: usize = 0; i < nn; i++) {
    const rec = load<u64>(A + (i << 3));
    const key = rec >> INDEX_BITS;
    if (i + 1 < nn && (load<u64>(A + ((i + 1) << 3)) >> INDEX_BITS) == key) continue;
    const len = <u32>(key & 63);
    const p = <u32>(key >> 6);
    const k = (<u64>p << 6) | <u64>len;
    store<u64>(A + (m << 3), k);
    store<i32>(B + (m << 2), load<i32>(sV + (<usize>(rec & 0x3ffffff) << 2)));
    m++;
    if (len > 24 && p >> 8 != lastDeep) {
      lastDeep = p >> 8;
      groupCount++;
    }
  }
  let keys = A;
  let vals = B;

  // The new table goes from HEAP0: the shadow, the groups, every block's run values
  // in one array, then the depth slots. A block has at least one run and each route
  // adds at most two, which bounds the values and depth slots; the routes move out
  // of the way first if the table would reach them.
  const runBound = <usize>BLOCKS + 2 * m < (<usize>1 << 24) ? <usize>BLOCKS + 2 * m : <usize>1 << 24;
  const cap = shadowCapFor(<u32>m);
  const shadowBytes = align8(<usize>cap << 3);
  const groupBytes = align8(groupCount * GROUP_BYTES);
  const valBytes = align8(runBound << 2);
  const depBound = align8(runBound + (<usize>BLOCKS << 2));
  const total = shadowBytes + groupBytes + valBytes + depBound;
  if (HEAP0 + total > A) {
    const to = align8(HEAP0 + (total > B + (nn << 3) - HEAP0 ? total : B + (nn << 3) - HEAP0));
    ensure(to + m * 12);
    memory.copy(to, keys, m << 3);
    memory.copy(to + (m << 3), vals, m << 2);
    keys = to;
    vals = to + (m << 3);
  }
  memory.fill(LEN_COUNT, 0, 33 << 2);
  resetArenas();
  holeTop = 0;
  holeEnd = 0;
  heapTop = HEAP0;
  shadowAlloc(cap);
  encGroups = bump(groupBytes);
  encVals = bump(valBytes);
  encDeps = bump(depBound);
  for (let i: usize = 0; i < m; i++) countLen(<i32>(load<u64>(keys + (i << 3)) & 63), 1);
  // The values region is scratch for the shadow fill until the sweep writes it.
  if (m << 3 <= valBytes) shadowFill(keys, vals, m, encVals);
  else {
    for (let i: usize = 0; i < m; i++) {
      const key = load<u64>(keys + (i << 3));
      hput(skey(<u32>(key >> 6), <i32>(key & 63)) | (<u64>load<u32>(vals + (i << 2)) << 33));
    }
    shadowCount = <u32>m;
  }
  const valStart = encVals;
  sweep(keys, vals, m);
  // The unused end of the depth slots is the heap top again, that of the values the hole.
  heapTop = align8(encDeps);
  offerHole(encVals, valStart + valBytes);
  dirtyLo = 0;
  dirtyHi = BLOCKS;
  return <i32>m;
}
