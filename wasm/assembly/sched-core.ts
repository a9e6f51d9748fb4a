// asc-flags: --runtime stub
// Output-queue schedulers of IOS, one per instance, over packet descriptors in
// linear memory: PQ (four strict queues), CQ (16 queues, byte-count deficit round
// robin, Shreedhar & Varghese, SIGCOMM 1995), WFQ (self-clocked fair queueing,
// Golestani, INFOCOM 1994, with IOS's weight 32384/(precedence+1), congestive
// discard threshold and hold-queue limit) and CBWFQ with an LLQ priority queue
// policed under congestion. The TypeScript references in src/fastpath/sched/
// implement the same rules; both run one shared case suite.
//
// WFQ finish tags are exact integers (u64; the reference's f64 tags are the
// same integers, exact below 2^53) and the engine keeps packets, not
// conversations, in a radix heap with 64-way digits (Ahuja, Mehlhorn, Orlin &
// Tarjan, JACM 1990): instead of sifting through log2(n) heap levels, a packet
// moves down at most once per digit, whatever the number of flows (about two
// moves per packet on the benchmark's traffic). SCFQ never tags a packet below
// the virtual time (the last tag sent), so keys are monotone. Bucket (L, d) holds
// the packets whose tag first differs from the virtual time in digit L-1 and has
// value d there; level 0 is the one bucket of tags equal to the virtual time,
// sent from its head. When it is empty, the lowest non-empty bucket (found with
// two count-trailing-zeros on occupancy bitmaps) holds the smallest tag: the
// virtual time moves to it, its first packet with that tag is sent and the rest
// go to lower buckets. Buckets are FIFOs and a bucket is only ever split into
// buckets that are empty, so each stays in arrival order: equal tags leave in
// arrival order, as in the reference's (tag, sequence) heap, with no sequence
// number stored.
//
// Batch I/O (struct of arrays at fixed offsets, BATCH entries each):
//   D_ID u32, D_LEN u32, D_KEY u32 (queue/flow/class), D_FLOW u32 (conversation
//   inside a fair-queue class), D_PREC u8, D_VERDICT u8 (0 queued, 1 tail drop,
//   2 congestive discard, 3 policed); OUT_ID u32 and OUT_LEN u32 for dequeue.

const BATCH: u32 = 1024;
const D_ID: usize = 1024;
const D_LEN: usize = D_ID + (BATCH << 2);
const D_KEY: usize = D_LEN + (BATCH << 2);
const D_FLOW: usize = D_KEY + (BATCH << 2);
const OUT_ID: usize = D_FLOW + (BATCH << 2);
const OUT_LEN: usize = OUT_ID + (BATCH << 2);
const D_PREC: usize = OUT_LEN + (BATCH << 2);
const D_VERDICT: usize = D_PREC + BATCH;
const HEAP_START: usize = D_VERDICT + BATCH;

const MODE_PQ: u32 = 0;
const MODE_CQ: u32 = 1;
const MODE_WFQ: u32 = 2;
const MODE_CBWFQ: u32 = 3;

const QUEUED: u8 = 0;
const TAIL_DROP: u8 = 1;
const CONGESTIVE: u8 = 2;
const POLICED: u8 = 3;

const KIND_FIFO: u32 = 0;
const KIND_PRIORITY: u32 = 1;
const KIND_FAIR: u32 = 2;

// Packet slot, 24 bytes, named by its address (0 is none): next slot in its
// FIFO, bucket or the free list; packet id; WFQ finish tag; length; WFQ
// conversation or, in the LLQ, the CBWFQ class.
const SLOT: usize = 24;
const S_NEXT: usize = 0; // usize
const S_ID: usize = 4; // u32
const S_TAG: usize = 8; // u64
const S_LEN: usize = 16; // u32
const S_OWNER: usize = 20; // u32
// Conversation, 16 bytes: last finish tag given, packets queued.
const CONV: usize = 16;
const C_LAST: usize = 0; // u64
const C_COUNT: usize = 8; // u32
// Radix heap buckets: level L (0..LEVELS) by digit value d, index L * VALUES + d;
// 6-bit digits make one u64 occupancy word per level.
const DIGIT: u32 = 6;
const VALUES: u32 = 1 << DIGIT;
const LEVELS: u32 = (64 + DIGIT - 1) / DIGIT;
const BUCKETS: u32 = (LEVELS + 1) * VALUES;
const B_HEAD: usize = 0; // usize: first slot
const B_TAIL: usize = 4; // usize: where the next slot is linked (B_HEAD of the bucket, or S_NEXT of its last slot)
const B_MIN: usize = 8; // u64: smallest tag (u64.MAX when empty)
const BUCKET: usize = 16;

let mode: u32 = 0;
let top: usize = HEAP_START;
// packet pool
let poolCap: u32 = 0;
let slots: usize = 0;
let freeList: usize = 0;
// FIFO queues (PQ, CQ, CBWFQ classes and the LLQ)
let nQueues: u32 = 0;
let qHead: usize = 0; // usize
let qTail: usize = 0; // usize
let qCount: usize = 0; // u32
let qLimit: usize = 0; // u32
let qQuantum: usize = 0; // i32: CQ byte count
let qDeficit: usize = 0; // i32: CQ deficit
// totals
let totalPackets: u32 = 0;
let totalBytes: u64 = 0;
// WFQ engine (WFQ mode, or the fair-queue class of CBWFQ)
let nConvs: u32 = 0;
let convs: usize = 0;
let weights: usize = 0; // u32 per precedence
let wfqCdt: u32 = 64;
let holdLimit: u32 = 1000;
let vTime: u64 = 0;
let buckets: usize = 0;
let occupied: usize = 0; // u64 per level: bit d set when bucket (L, d) is not empty
let levels: u32 = 0; // bit L set when occupied[L] is not 0
// CQ
let cqCur: u32 = 0;
let cqFresh: bool = true;
// CBWFQ classes
let nClasses: u32 = 0;
let cKind: usize = 0; // u32
let cWeight: usize = 0; // f64
let cTag: usize = 0; // f64
let cCount: usize = 0; // u32 packets in class
let cLimit: usize = 0; // u32
let cRate: usize = 0; // f64 bytes per microsecond
let cBurst: usize = 0; // f64 bytes
let cTokens: usize = 0; // f64
let cLastUs: usize = 0; // f64
let prioQueue: u32 = 0;
let classV: f64 = 0;

function alloc(bytes: usize): usize {
  const at = (top + 7) & ~<usize>7;
  top = at + bytes;
  const have = <usize>memory.size() << 16;
  if (top > have) {
    if (memory.grow(<i32>((top - have + 65535) >> 16)) < 0) unreachable();
  }
  memory.fill(at, 0, bytes);
  return at;
}

/** Batch capacity of one call. */
export function batchSize(): u32 { return BATCH; }
/** Offsets of the batch arrays: 0 id, 1 len, 2 key, 3 flow, 4 prec, 5 verdict, 6 out id, 7 out len. */
export function ioOffset(which: u32): usize {
  switch (which) {
    case 0: return D_ID;
    case 1: return D_LEN;
    case 2: return D_KEY;
    case 3: return D_FLOW;
    case 4: return D_PREC;
    case 5: return D_VERDICT;
    case 6: return OUT_ID;
    default: return OUT_LEN;
  }
}
/** Packets queued. */
export function packets(): u32 { return totalPackets; }
/** Bytes queued. */
export function bytes(): f64 { return <f64>totalBytes; }

/** Allocates the packet pool, FIFO queues and WFQ conversations; mode 0 PQ, 1 CQ, 2 WFQ, 3 CBWFQ. */
export function init(m: u32, queues: u32, conversations: u32, pool: u32, classes: u32): void {
  mode = m;
  top = HEAP_START;
  poolCap = pool;
  slots = alloc(<usize>pool * SLOT);
  nQueues = queues;
  qHead = alloc(<usize>queues << 2);
  qTail = alloc(<usize>queues << 2);
  qCount = alloc(<usize>queues << 2);
  qLimit = alloc(<usize>queues << 2);
  qQuantum = alloc(<usize>queues << 2);
  qDeficit = alloc(<usize>queues << 2);
  nConvs = conversations;
  convs = alloc(<usize>conversations * CONV);
  weights = alloc(8 << 2);
  for (let p: u32 = 0; p < 8; p++) store<u32>(weights + (p << 2), <u32>32384 / (p + 1)); // integer division, as IOS
  buckets = alloc(<usize>BUCKETS * BUCKET);
  occupied = alloc(<usize>(LEVELS + 1) << 3);
  nClasses = classes;
  cKind = alloc(<usize>(classes + 1) << 2);
  cWeight = alloc(<usize>(classes + 1) << 3);
  cTag = alloc(<usize>(classes + 1) << 3);
  cCount = alloc(<usize>(classes + 1) << 2);
  cLimit = alloc(<usize>(classes + 1) << 2);
  cRate = alloc(<usize>(classes + 1) << 3);
  cBurst = alloc(<usize>(classes + 1) << 3);
  cTokens = alloc(<usize>(classes + 1) << 3);
  cLastUs = alloc(<usize>(classes + 1) << 3);
  reset();
}

@inline function emptyBucket(at: usize): void {
  store<usize>(at, 0, B_HEAD);
  store<usize>(at, at + B_HEAD, B_TAIL);
  store<u64>(at, u64.MAX_VALUE, B_MIN);
}

/** Empties every queue (configuration stays). */
export function reset(): void {
  freeList = 0;
  for (let i = <i32>poolCap - 1; i >= 0; i--) {
    const p = slots + <usize>i * SLOT;
    store<usize>(p, freeList, S_NEXT);
    freeList = p;
  }
  for (let q: u32 = 0; q < nQueues; q++) {
    store<usize>(qHead + (q << 2), 0);
    store<usize>(qTail + (q << 2), 0);
    store<u32>(qCount + (q << 2), 0);
    store<i32>(qDeficit + (q << 2), 0);
  }
  memory.fill(convs, 0, <usize>nConvs * CONV);
  for (let b: u32 = 0; b < BUCKETS; b++) emptyBucket(buckets + <usize>b * BUCKET);
  memory.fill(occupied, 0, <usize>(LEVELS + 1) << 3);
  levels = 0;
  vTime = 0;
  for (let c: u32 = 0; c < nClasses; c++) {
    store<f64>(cTag + (c << 3), 0);
    store<u32>(cCount + (c << 2), 0);
    store<f64>(cTokens + (c << 3), load<f64>(cBurst + (c << 3)));
    store<f64>(cLastUs + (c << 3), 0);
  }
  totalPackets = 0;
  totalBytes = 0;
  classV = 0;
  cqCur = 0;
  cqFresh = true;
}

/** Sets a FIFO queue's packet limit and (CQ) byte count. */
export function setQueue(q: u32, limit: u32, quantum: i32): void {
  store<u32>(qLimit + (q << 2), limit);
  store<i32>(qQuantum + (q << 2), quantum);
}

/** Sets the WFQ congestive discard threshold and hold-queue limit. */
export function setWfq(cdt: u32, hold: u32): void {
  wfqCdt = cdt;
  holdLimit = hold;
}

/** Configures CBWFQ class c: kind 0 bandwidth FIFO (queue c), 1 priority, 2 fair-queue. */
export function setClass(c: u32, kind: u32, weight: f64, limit: u32, rateBytesPerUs: f64, burstBytes: f64): void {
  store<u32>(cKind + (c << 2), kind);
  store<f64>(cWeight + (c << 3), weight);
  store<u32>(cLimit + (c << 2), limit);
  store<f64>(cRate + (c << 3), rateBytesPerUs);
  store<f64>(cBurst + (c << 3), burstBytes);
  store<f64>(cTokens + (c << 3), burstBytes);
}
/** Sets which queue is the shared LLQ FIFO. */
export function setPriorityQueue(q: u32): void { prioQueue = q; }

// ---- packet slots ----
/** Takes a slot from the free list (the caller checked it is not empty) and counts the packet. */
@inline function takeSlot(id: u32, len: u32): usize {
  const p = freeList;
  freeList = load<usize>(p, S_NEXT);
  store<usize>(p, 0, S_NEXT);
  store<u32>(p, id, S_ID);
  store<u32>(p, len, S_LEN);
  totalPackets++;
  totalBytes += <u64>len;
  return p;
}
@inline function releaseSlot(p: usize): void {
  store<usize>(p, freeList, S_NEXT);
  freeList = p;
  totalPackets--;
  totalBytes -= <u64>load<u32>(p, S_LEN);
}

// ---- FIFO queues ----
@inline function qCountOf(q: u32): u32 { return load<u32>(qCount + (q << 2)); }
function push(q: u32, id: u32, len: u32): usize {
  const p = takeSlot(id, len);
  const t = load<usize>(qTail + (q << 2));
  if (t == 0) store<usize>(qHead + (q << 2), p);
  else store<usize>(t, p, S_NEXT);
  store<usize>(qTail + (q << 2), p);
  store<u32>(qCount + (q << 2), qCountOf(q) + 1);
  return p;
}
/** Unlinks the head of FIFO q (not empty); the caller releases the slot. */
function pop(q: u32): usize {
  const p = load<usize>(qHead + (q << 2));
  const n = load<usize>(p, S_NEXT);
  store<usize>(qHead + (q << 2), n);
  if (n == 0) store<usize>(qTail + (q << 2), 0);
  store<u32>(qCount + (q << 2), qCountOf(q) - 1);
  return p;
}
@inline function headLen(q: u32): u32 {
  return load<u32>(load<usize>(qHead + (q << 2)), S_LEN);
}

// ---- WFQ engine: radix heap of packets keyed by finish tag ----
@inline function bucketAt(b: u32): usize { return buckets + <usize>b * BUCKET; }
/** Level of a tag >= v: 0 when equal, else 1 + the highest digit differing from v. */
@inline function levelOf(tag: u64, v: u64): u32 { return (64 - <u32>clz(tag ^ v) + DIGIT - 1) / DIGIT; }
/** Appends slot p (S_NEXT 0, finish tag tag >= v, v the virtual time) to its bucket. Branch-free. */
@inline function link(p: usize, tag: u64, v: u64): void {
  const level = levelOf(tag, v);
  const value = <u32>(tag >> <u64>((level * DIGIT - DIGIT) & 63)) & select<u32>(VALUES - 1, 0, level != 0);
  const at = bucketAt(level * VALUES + value);
  store<usize>(load<usize>(at, B_TAIL), p);
  store<usize>(at, p + S_NEXT, B_TAIL);
  const m = load<u64>(at, B_MIN);
  store<u64>(at, select<u64>(tag, m, tag < m), B_MIN);
  const w = occupied + (<usize>level << 3);
  store<u64>(w, load<u64>(w) | (<u64>1 << <u64>value));
  levels |= <u32>1 << level;
}
/** Lowest non-empty bucket but 0 (there is one, and bucket 0 is empty); clears its bit. */
@inline function takeLowestBucket(): u32 {
  const level = <u32>ctz(levels);
  const w = occupied + (<usize>level << 3);
  const bits = load<u64>(w);
  const rest = bits & (bits - 1);
  store<u64>(w, rest);
  levels ^= select<u32>(<u32>1 << level, 0, rest == 0);
  return level * VALUES + <u32>ctz(bits);
}
/**
 * Bucket 0 is empty: empties the lowest bucket, which holds the smallest tag m,
 * sets vTime to m, and links its packets into lower buckets but for the first
 * with tag m, which it returns.
 */
function settle(): usize {
  const at = bucketAt(takeLowestBucket());
  let p = load<usize>(at, B_HEAD);
  const m = load<u64>(at, B_MIN);
  vTime = m;
  emptyBucket(at);
  let tag = load<u64>(p, S_TAG);
  while (tag != m) {
    const next = load<usize>(p, S_NEXT);
    store<usize>(p, 0, S_NEXT);
    link(p, tag, m);
    p = next;
    tag = load<u64>(p, S_TAG);
  }
  const taken = p;
  p = load<usize>(taken, S_NEXT);
  while (p != 0) {
    const next = load<usize>(p, S_NEXT);
    store<usize>(p, 0, S_NEXT);
    link(p, load<u64>(p, S_TAG), m);
    p = next;
  }
  return taken;
}
/** Tags and queues one packet of conversation conv (< nConvs); a slot is free. */
@inline function wfqEnqueue(conv: u32, id: u32, len: u32, prec: u32): u8 {
  const cv = convs + <usize>conv * CONV;
  const count = load<u32>(cv, C_COUNT);
  if (count >= wfqCdt) return CONGESTIVE;
  const last = load<u64>(cv, C_LAST);
  const v = vTime;
  const tag = select<u64>(v, last, v > last) + <u64>len * <u64>load<u32>(weights + ((prec & 7) << 2));
  store<u64>(cv, tag, C_LAST);
  store<u32>(cv, count + 1, C_COUNT);
  const p = takeSlot(id, len);
  store<u64>(p, tag, S_TAG);
  store<u32>(p, conv, S_OWNER);
  link(p, tag, v);
  return QUEUED;
}
/** Unlinks the packet with the smallest (tag, arrival) (the engine is not empty); vTime is its tag. The caller releases the slot. */
@inline function wfqDequeue(): usize {
  let p: usize;
  if (levels & 1) {
    p = load<usize>(buckets, B_HEAD);
    const next = load<usize>(p, S_NEXT);
    store<usize>(buckets, next, B_HEAD);
    if (next == 0) {
      emptyBucket(buckets);
      store<u64>(occupied, 0);
      levels &= ~1;
    }
  } else p = settle();
  const cv = convs + <usize>load<u32>(p, S_OWNER) * CONV;
  store<u32>(cv, load<u32>(cv, C_COUNT) - 1, C_COUNT);
  return p;
}
/** Length of the packet wfqDequeue would return next (the engine is not empty). */
function wfqHeadLen(): u32 {
  if (levels & 1) return load<u32>(load<usize>(buckets, B_HEAD), S_LEN);
  const level = <u32>ctz(levels);
  const at = bucketAt(level * VALUES + <u32>ctz(load<u64>(occupied + (<usize>level << 3))));
  const m = load<u64>(at, B_MIN);
  let p = load<usize>(at, B_HEAD);
  while (load<u64>(p, S_TAG) != m) p = load<usize>(p, S_NEXT);
  return load<u32>(p, S_LEN);
}
@inline function convOf(key: u32): u32 { return key < nConvs ? key : key % nConvs; }

// ---- CBWFQ enqueue ----
// A class holds at most its queue-limit and the pool is the sum of the limits,
// so an empty free list never decides a verdict (the check only guards memory)
// and the LLQ policer runs before the limit, as in the reference.
function cbwfqEnqueue(k: u32, nowUs: f64): u8 {
  const id = load<u32>(D_ID + (k << 2));
  const len = load<u32>(D_LEN + (k << 2));
  const key = load<u32>(D_KEY + (k << 2));
  const c = key < nClasses ? key : nClasses - 1;
  const kind = load<u32>(cKind + (c << 2));
  const count = load<u32>(cCount + (c << 2));
  if (kind == KIND_PRIORITY) {
    const rate = load<f64>(cRate + (c << 3));
    const burst = load<f64>(cBurst + (c << 3));
    let tokens = load<f64>(cTokens + (c << 3)) + (nowUs - load<f64>(cLastUs + (c << 3))) * rate;
    if (tokens > burst) tokens = burst;
    store<f64>(cLastUs + (c << 3), nowUs);
    if (<f64>len <= tokens) tokens -= <f64>len;
    else if (totalPackets > 0) {
      store<f64>(cTokens + (c << 3), tokens);
      return POLICED;
    }
    store<f64>(cTokens + (c << 3), tokens);
    if (count >= load<u32>(cLimit + (c << 2)) || freeList == 0) return TAIL_DROP;
    const p = push(prioQueue, id, len);
    store<u32>(p, c, S_OWNER); // dequeue decrements this class's count
    store<u32>(cCount + (c << 2), count + 1);
    return QUEUED;
  }
  if (count >= load<u32>(cLimit + (c << 2)) || freeList == 0) return TAIL_DROP;
  if (kind == KIND_FAIR) {
    const v = wfqEnqueue(convOf(load<u32>(D_FLOW + (k << 2))), id, len, <u32>load<u8>(D_PREC + k));
    if (v != QUEUED) return v;
  } else {
    push(c, id, len);
  }
  store<u32>(cCount + (c << 2), count + 1);
  if (count == 0) {
    let t = load<f64>(cTag + (c << 3));
    if (classV > t) t = classV;
    const head = kind == KIND_FAIR ? wfqHeadLen() : len;
    store<f64>(cTag + (c << 3), t + <f64>head * load<f64>(cWeight + (c << 3)));
  }
  return QUEUED;
}

/** Enqueues descriptors [0, n) of the batch; verdicts in D_VERDICT; returns how many were queued. */
export function enqueue(n: u32, nowUs: f64): u32 {
  let ok: u32 = 0;
  if (mode == MODE_WFQ) {
    for (let k: u32 = 0; k < n; k++) {
      let v = TAIL_DROP;
      if (totalPackets < holdLimit && freeList != 0) {
        v = wfqEnqueue(
          convOf(load<u32>(D_KEY + (k << 2))),
          load<u32>(D_ID + (k << 2)),
          load<u32>(D_LEN + (k << 2)),
          <u32>load<u8>(D_PREC + k),
        );
      }
      store<u8>(D_VERDICT + k, v);
      ok += <u32>(v == QUEUED);
    }
    return ok;
  }
  if (mode == MODE_CBWFQ) {
    for (let k: u32 = 0; k < n; k++) {
      const v = cbwfqEnqueue(k, nowUs);
      store<u8>(D_VERDICT + k, v);
      ok += <u32>(v == QUEUED);
    }
    return ok;
  }
  // PQ: keys above 3 go to normal; CQ: key & 15
  for (let k: u32 = 0; k < n; k++) {
    const key = load<u32>(D_KEY + (k << 2));
    const q = mode == MODE_PQ ? (key < 4 ? key : 2) : key & 15;
    let v = TAIL_DROP;
    if (freeList != 0 && qCountOf(q) < load<u32>(qLimit + (q << 2))) {
      push(q, load<u32>(D_ID + (k << 2)), load<u32>(D_LEN + (k << 2)));
      v = QUEUED;
    }
    store<u8>(D_VERDICT + k, v);
    ok += <u32>(v == QUEUED);
  }
  return ok;
}

// ---- per-mode dequeue: the next packet's slot (unlinked, not yet released), or 0 ----
function cqDequeue(): usize {
  while (true) {
    const q = cqCur;
    if (qCountOf(q) == 0) {
      store<i32>(qDeficit + (q << 2), 0);
      cqCur = (cqCur + 1) & 15;
      cqFresh = true;
      continue;
    }
    let d = load<i32>(qDeficit + (q << 2));
    if (cqFresh) {
      d += load<i32>(qQuantum + (q << 2));
      cqFresh = false;
    }
    const len = <i32>headLen(q);
    if (len <= d) {
      d -= len;
      const p = pop(q);
      if (qCountOf(q) == 0) {
        d = 0;
        cqCur = (cqCur + 1) & 15;
        cqFresh = true;
      }
      store<i32>(qDeficit + (q << 2), d);
      return p;
    }
    store<i32>(qDeficit + (q << 2), d);
    cqCur = (cqCur + 1) & 15;
    cqFresh = true;
  }
}
function cbwfqDequeue(): usize {
  // the LLQ first, then the class with the smallest head tag
  if (qCountOf(prioQueue) > 0) {
    const p = pop(prioQueue);
    const c = load<u32>(p, S_OWNER);
    store<u32>(cCount + (c << 2), load<u32>(cCount + (c << 2)) - 1);
    return p;
  }
  let best: i32 = -1;
  let bestTag: f64 = 0;
  for (let c: u32 = 0; c < nClasses; c++) {
    if (load<u32>(cCount + (c << 2)) == 0 || load<u32>(cKind + (c << 2)) == KIND_PRIORITY) continue;
    const t = load<f64>(cTag + (c << 3));
    if (best < 0 || t < bestTag) {
      best = <i32>c;
      bestTag = t;
    }
  }
  if (best < 0) return 0;
  const c = <u32>best;
  const fair = load<u32>(cKind + (c << 2)) == KIND_FAIR;
  const p = fair ? wfqDequeue() : pop(c);
  classV = bestTag;
  const left = load<u32>(cCount + (c << 2)) - 1;
  store<u32>(cCount + (c << 2), left);
  if (left > 0) {
    const head = fair ? wfqHeadLen() : headLen(c);
    store<f64>(cTag + (c << 3), bestTag + <f64>head * load<f64>(cWeight + (c << 3)));
  }
  return p;
}
function dequeueOne(): usize {
  if (mode == MODE_PQ) {
    for (let q: u32 = 0; q < 4; q++) if (qCountOf(q) > 0) return pop(q);
    return 0;
  }
  if (mode == MODE_CQ) return cqDequeue();
  return cbwfqDequeue();
}
@inline function emit(n: u32, p: usize): void {
  store<u32>(OUT_ID + (n << 2), load<u32>(p, S_ID));
  store<u32>(OUT_LEN + (n << 2), load<u32>(p, S_LEN));
  releaseSlot(p);
}

/** Dequeues up to max packets into OUT_ID/OUT_LEN; returns how many. */
export function dequeue(max: u32): u32 {
  let n: u32 = 0;
  if (mode == MODE_WFQ) {
    for (; n < max && totalPackets != 0; n++) emit(n, wfqDequeue());
    return n;
  }
  for (; n < max && totalPackets != 0; n++) {
    const p = dequeueOne();
    if (p == 0) break;
    emit(n, p);
  }
  return n;
}
