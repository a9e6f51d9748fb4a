// asc-flags: --runtime stub
// Output-queue schedulers of IOS, one per instance, over packet descriptors in
// linear memory: PQ (four strict queues), CQ (16 queues, byte-count deficit round
// robin, Shreedhar & Varghese, SIGCOMM 1995), WFQ (self-clocked fair queueing,
// Golestani, INFOCOM 1994, with IOS's weight 32384/(precedence+1), congestive
// discard threshold and hold-queue limit) and CBWFQ with an LLQ priority queue
// policed under congestion. The TypeScript references in src/fastpath/sched/
// implement the same rules; both run one shared case suite.
//
// Batch I/O (struct of arrays at fixed offsets, BATCH entries each):
//   D_ID u32, D_LEN u32, D_KEY u32 (queue/flow/class), D_FLOW u32 (conversation
//   inside a fair-queue class), D_PREC u8, D_VERDICT u8 (0 queued, 1 tail drop,
//   2 congestive discard, 3 policed); OUT_ID u32 and OUT_LEN u32 for dequeue.
// Ties in WFQ finish tags break on arrival order (sequence number).

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

let mode: u32 = 0;
let top: usize = HEAP_START;
// packet pool
let poolCap: u32 = 0;
let pId: usize = 0;
let pLen: usize = 0;
let pNext: usize = 0;
let pTag: usize = 0;
let pSeq: usize = 0;
let freeSlot: i32 = -1;
// queues
let nQueues: u32 = 0;
let qHead: usize = 0;
let qTail: usize = 0;
let qCount: usize = 0;
let qLimit: usize = 0;
let qLast: usize = 0; // f64: WFQ last finish tag
let qQuantum: usize = 0; // i32: CQ byte count
let qDeficit: usize = 0; // i32: CQ deficit
// totals
let totalPackets: u32 = 0;
let totalBytes: f64 = 0;
let seq: f64 = 0;
// WFQ engine (WFQ mode, or the fair-queue class of CBWFQ)
let wfqBase: u32 = 0;
let wfqCount: u32 = 0;
let wfqCdt: u32 = 64;
let holdLimit: u32 = 1000;
let vTime: f64 = 0;
let heap: usize = 0;
let heapN: u32 = 0;
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
let fairClass: i32 = -1;
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
export function bytes(): f64 { return totalBytes; }

/** Allocates the packet pool and queues; mode 0 PQ, 1 CQ, 2 WFQ, 3 CBWFQ. */
export function init(m: u32, queues: u32, pool: u32, classes: u32): void {
  mode = m;
  top = HEAP_START;
  poolCap = pool;
  pId = alloc(<usize>pool << 2);
  pLen = alloc(<usize>pool << 2);
  pNext = alloc(<usize>pool << 2);
  pTag = alloc(<usize>pool << 3);
  pSeq = alloc(<usize>pool << 3);
  nQueues = queues;
  qHead = alloc(<usize>queues << 2);
  qTail = alloc(<usize>queues << 2);
  qCount = alloc(<usize>queues << 2);
  qLimit = alloc(<usize>queues << 2);
  qLast = alloc(<usize>queues << 3);
  qQuantum = alloc(<usize>queues << 2);
  qDeficit = alloc(<usize>queues << 2);
  heap = alloc(<usize>queues << 2);
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
  fairClass = -1;
  reset();
}

/** Empties every queue (configuration stays). */
export function reset(): void {
  freeSlot = -1;
  for (let i = <i32>poolCap - 1; i >= 0; i--) {
    store<i32>(pNext + (<usize>i << 2), freeSlot);
    freeSlot = i;
  }
  for (let q: u32 = 0; q < nQueues; q++) {
    store<i32>(qHead + (q << 2), -1);
    store<i32>(qTail + (q << 2), -1);
    store<u32>(qCount + (q << 2), 0);
    store<f64>(qLast + (q << 3), 0);
    store<i32>(qDeficit + (q << 2), 0);
  }
  for (let c: u32 = 0; c < nClasses; c++) {
    store<f64>(cTag + (c << 3), 0);
    store<u32>(cCount + (c << 2), 0);
    store<f64>(cTokens + (c << 3), load<f64>(cBurst + (c << 3)));
    store<f64>(cLastUs + (c << 3), 0);
  }
  totalPackets = 0;
  totalBytes = 0;
  seq = 0;
  vTime = 0;
  classV = 0;
  heapN = 0;
  cqCur = 0;
  cqFresh = true;
}

/** Sets a queue's packet limit and (CQ) byte count. */
export function setQueue(q: u32, limit: u32, quantum: i32): void {
  store<u32>(qLimit + (q << 2), limit);
  store<i32>(qQuantum + (q << 2), quantum);
}

/** Places the WFQ conversations at queues [base, base+count) with a discard threshold and hold-queue limit. */
export function setWfq(base: u32, count: u32, cdt: u32, hold: u32): void {
  wfqBase = base;
  wfqCount = count;
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
  if (kind == KIND_FAIR) fairClass = <i32>c;
}
/** Sets which queue is the shared LLQ FIFO. */
export function setPriorityQueue(q: u32): void { prioQueue = q; }

// ---- FIFO of packet slots ----
@inline function qCountOf(q: u32): u32 { return load<u32>(qCount + (q << 2)); }
function push(q: u32, id: u32, len: u32): i32 {
  const s = freeSlot;
  freeSlot = load<i32>(pNext + (<usize>s << 2));
  store<u32>(pId + (<usize>s << 2), id);
  store<u32>(pLen + (<usize>s << 2), len);
  store<i32>(pNext + (<usize>s << 2), -1);
  const t = load<i32>(qTail + (q << 2));
  if (t < 0) store<i32>(qHead + (q << 2), s);
  else store<i32>(pNext + (<usize>t << 2), s);
  store<i32>(qTail + (q << 2), s);
  store<u32>(qCount + (q << 2), qCountOf(q) + 1);
  totalPackets++;
  totalBytes += <f64>len;
  return s;
}
function pop(q: u32): i32 {
  const s = load<i32>(qHead + (q << 2));
  const n = load<i32>(pNext + (<usize>s << 2));
  store<i32>(qHead + (q << 2), n);
  if (n < 0) store<i32>(qTail + (q << 2), -1);
  store<u32>(qCount + (q << 2), qCountOf(q) - 1);
  store<i32>(pNext + (<usize>s << 2), freeSlot);
  freeSlot = s;
  totalPackets--;
  totalBytes -= <f64>load<u32>(pLen + (<usize>s << 2));
  return s;
}
@inline function headLen(q: u32): u32 {
  return load<u32>(pLen + (<usize>load<i32>(qHead + (q << 2)) << 2));
}

// ---- WFQ engine: heap of conversations keyed by their head packet's (tag, seq) ----
@inline function before(a: u32, b: u32): bool {
  const sa = <usize>load<i32>(qHead + (a << 2));
  const sb = <usize>load<i32>(qHead + (b << 2));
  const ta = load<f64>(pTag + (sa << 3));
  const tb = load<f64>(pTag + (sb << 3));
  return ta < tb || (ta == tb && load<f64>(pSeq + (sa << 3)) < load<f64>(pSeq + (sb << 3)));
}
function siftUp(i: u32): void {
  const q = load<u32>(heap + (i << 2));
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pq = load<u32>(heap + (p << 2));
    if (!before(q, pq)) break;
    store<u32>(heap + (i << 2), pq);
    i = p;
  }
  store<u32>(heap + (i << 2), q);
}
function siftDown(i: u32): void {
  const q = load<u32>(heap + (i << 2));
  while (true) {
    let c: u32 = 2 * i + 1;
    if (c >= heapN) break;
    let cq = load<u32>(heap + (c << 2));
    if (c + 1 < heapN) {
      const rq = load<u32>(heap + ((c + 1) << 2));
      if (before(rq, cq)) { c++; cq = rq; }
    }
    if (!before(cq, q)) break;
    store<u32>(heap + (i << 2), cq);
    i = c;
  }
  store<u32>(heap + (i << 2), q);
}
function wfqEnqueue(conv: u32, id: u32, len: u32, prec: u32): u8 {
  const q = wfqBase + conv % wfqCount;
  const count = qCountOf(q);
  if (count >= wfqCdt) return CONGESTIVE;
  const wi: u32 = <u32>32384 / ((prec & 7) + 1); // integer division, as IOS
  const w = <f64>wi;
  let start = load<f64>(qLast + (q << 3));
  if (vTime > start) start = vTime;
  const tag = start + <f64>len * w;
  store<f64>(qLast + (q << 3), tag);
  const s = <usize>push(q, id, len);
  store<f64>(pTag + (s << 3), tag);
  store<f64>(pSeq + (s << 3), seq);
  seq += 1;
  if (count == 0) {
    store<u32>(heap + (heapN << 2), q);
    siftUp(heapN++);
  }
  return QUEUED;
}
function wfqDequeue(): i32 {
  if (heapN == 0) return -1;
  const q = load<u32>(heap);
  const s = pop(q);
  vTime = load<f64>(pTag + (<usize>s << 3));
  if (qCountOf(q) == 0) {
    heapN--;
    if (heapN > 0) {
      store<u32>(heap, load<u32>(heap + (heapN << 2)));
      siftDown(0);
    }
  } else siftDown(0);
  return s;
}
@inline function wfqHeadLen(): u32 { return headLen(load<u32>(heap)); }

// ---- per-mode enqueue ----
function enqueueOne(k: u32, nowUs: f64): u8 {
  const id = load<u32>(D_ID + (k << 2));
  const len = load<u32>(D_LEN + (k << 2));
  const key = load<u32>(D_KEY + (k << 2));
  if (freeSlot < 0) return TAIL_DROP;
  if (mode == MODE_PQ) {
    const q = key < 4 ? key : 2;
    if (qCountOf(q) >= load<u32>(qLimit + (q << 2))) return TAIL_DROP;
    push(q, id, len);
    return QUEUED;
  }
  if (mode == MODE_CQ) {
    const q = key & 15;
    if (qCountOf(q) >= load<u32>(qLimit + (q << 2))) return TAIL_DROP;
    push(q, id, len);
    return QUEUED;
  }
  const prec = <u32>load<u8>(D_PREC + k);
  if (mode == MODE_WFQ) {
    if (totalPackets >= holdLimit) return TAIL_DROP;
    return wfqEnqueue(key, id, len, prec);
  }
  // CBWFQ
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
    if (count >= load<u32>(cLimit + (c << 2))) return TAIL_DROP;
    push(prioQueue, id, len);
    store<u32>(cCount + (c << 2), count + 1);
    // remember the class in the tag field so dequeue can decrement its count
    store<f64>(pTag + (<usize>load<i32>(qTail + (prioQueue << 2)) << 3), <f64>c);
    return QUEUED;
  }
  if (count >= load<u32>(cLimit + (c << 2))) return TAIL_DROP;
  if (kind == KIND_FAIR) {
    const v = wfqEnqueue(load<u32>(D_FLOW + (k << 2)), id, len, prec);
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
  for (let k: u32 = 0; k < n; k++) {
    const v = enqueueOne(k, nowUs);
    store<u8>(D_VERDICT + k, v);
    if (v == QUEUED) ok++;
  }
  return ok;
}

// ---- per-mode dequeue: slot of the next packet to transmit, or -1 ----
function dequeueOne(): i32 {
  if (totalPackets == 0) return -1;
  if (mode == MODE_PQ) {
    for (let q: u32 = 0; q < 4; q++) if (qCountOf(q) > 0) return pop(q);
    return -1;
  }
  if (mode == MODE_CQ) {
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
        const s = pop(q);
        if (qCountOf(q) == 0) {
          d = 0;
          cqCur = (cqCur + 1) & 15;
          cqFresh = true;
        }
        store<i32>(qDeficit + (q << 2), d);
        return s;
      }
      store<i32>(qDeficit + (q << 2), d);
      cqCur = (cqCur + 1) & 15;
      cqFresh = true;
    }
  }
  if (mode == MODE_WFQ) return wfqDequeue();
  // CBWFQ: the LLQ first, then the class with the smallest head tag
  if (qCountOf(prioQueue) > 0) {
    const s = pop(prioQueue);
    const c = <u32>load<f64>(pTag + (<usize>s << 3));
    store<u32>(cCount + (c << 2), load<u32>(cCount + (c << 2)) - 1);
    return s;
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
  if (best < 0) return -1;
  const c = <u32>best;
  const fair = load<u32>(cKind + (c << 2)) == KIND_FAIR;
  const s = fair ? wfqDequeue() : pop(c);
  classV = bestTag;
  const left = load<u32>(cCount + (c << 2)) - 1;
  store<u32>(cCount + (c << 2), left);
  if (left > 0) {
    const head = fair ? wfqHeadLen() : headLen(c);
    store<f64>(cTag + (c << 3), bestTag + <f64>head * load<f64>(cWeight + (c << 3)));
  }
  return s;
}

/** Dequeues up to max packets into OUT_ID/OUT_LEN; returns how many. */
export function dequeue(max: u32): u32 {
  let n: u32 = 0;
  while (n < max) {
    const s = dequeueOne();
    if (s < 0) break;
    store<u32>(OUT_ID + (n << 2), load<u32>(pId + (<usize>s << 2)));
    store<u32>(OUT_LEN + (n << 2), load<u32>(pLen + (<usize>s << 2)));
    n++;
  }
  return n;
}
