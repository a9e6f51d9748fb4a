// TypeScript reference schedulers: PQ, CQ (deficit round robin by byte count),
// WFQ (self-clocked fair queueing on a binary heap of packets, IOS weights
// 32384/(precedence+1)) and CBWFQ with LLQ. Plain arrays and objects, written to
// be read; the Wasm module (wasm/assembly/sched-core.ts) must match them packet
// for packet on the shared case suite. TsWfq is also the benchmark's baseline.
import {
  type CbwfqConfig,
  type CbwfqPlan,
  type CqConfig,
  type DescriptorBatch,
  type PacketScheduler,
  type PqConfig,
  planCbwfq,
  Verdict,
  type VerdictCode,
  type WfqConfig,
  wfqWeight,
} from "./types.ts";

interface Packet {
  id: number;
  length: number;
  tag: number;
  seq: number;
  conv: number;
}

/** FIFO of packets with amortised O(1) shift. */
class Fifo {
  private items: Packet[] = [];
  private head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  push(p: Packet): void {
    this.items.push(p);
  }
  peek(): Packet | undefined {
    return this.items[this.head];
  }
  shift(): Packet {
    const p = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return p;
  }
}

/** Base: byte/packet totals and the batch loops. */
abstract class TsScheduler implements PacketScheduler {
  protected totalPackets = 0;
  protected totalBytes = 0;
  protected abstract admit(batch: DescriptorBatch, i: number, nowUs: number): VerdictCode;
  protected abstract next(): Packet | undefined;
  abstract clear(): void;

  /** Enqueues batch[0..count); returns how many were queued. */
  enqueue(batch: DescriptorBatch, count: number, nowUs: number): number {
    let ok = 0;
    for (let i = 0; i < count; i++) {
      const v = this.admit(batch, i, nowUs);
      batch.verdict[i] = v;
      if (v === Verdict.queued) {
        ok++;
        this.totalPackets++;
        this.totalBytes += batch.length[i]!;
      }
    }
    return ok;
  }

  /** Dequeues up to max packets in transmit order. */
  dequeue(outIds: Uint32Array, max: number, outLengths?: Uint32Array): number {
    let n = 0;
    while (n < max) {
      const p = this.next();
      if (!p) break;
      this.totalPackets--;
      this.totalBytes -= p.length;
      outIds[n] = p.id;
      if (outLengths) outLengths[n] = p.length;
      n++;
    }
    return n;
  }

  /** Packets queued. */
  get packets(): number {
    return this.totalPackets;
  }

  /** Bytes queued. */
  get bytes(): number {
    return this.totalBytes;
  }
}

const packet = (b: DescriptorBatch, i: number): Packet => ({
  id: b.id[i]!,
  length: b.length[i]!,
  tag: 0,
  seq: 0,
  conv: 0,
});

/** Priority queuing reference: high, medium, normal, low; keys above 3 go to normal. */
export class TsPq extends TsScheduler {
  private readonly queues = [new Fifo(), new Fifo(), new Fifo(), new Fifo()];
  private readonly limits: number[];
  constructor(config: PqConfig = {}) {
    super();
    this.limits = [...(config.limits ?? [20, 40, 60, 80])];
  }
  protected admit(b: DescriptorBatch, i: number): VerdictCode {
    const q = b.key[i]! < 4 ? b.key[i]! : 2;
    if (this.queues[q]!.size >= this.limits[q]!) return Verdict.tailDrop;
    this.queues[q]!.push(packet(b, i));
    return Verdict.queued;
  }
  protected next(): Packet | undefined {
    for (const q of this.queues) if (q.size > 0) return q.shift();
    return undefined;
  }
  /** Drops everything queued. */
  clear(): void {
    this.queues.splice(0, 4, new Fifo(), new Fifo(), new Fifo(), new Fifo());
    this.totalPackets = this.totalBytes = 0;
  }
}

/** Custom queuing reference: 16 queues (key & 15), deficit round robin with quantum = byte count. */
export class TsCq extends TsScheduler {
  private queues: Fifo[] = [];
  private readonly deficit = new Array<number>(16).fill(0);
  private readonly quantum: number[];
  private readonly limits: number[];
  private cur = 0;
  private fresh = true;
  constructor(config: CqConfig = {}) {
    super();
    this.quantum = Array.from({ length: 16 }, (_, i) => config.byteCounts?.[i] ?? 1500);
    this.limits = Array.from({ length: 16 }, (_, i) => config.limits?.[i] ?? 20);
    this.clear();
  }
  protected admit(b: DescriptorBatch, i: number): VerdictCode {
    const q = b.key[i]! & 15;
    if (this.queues[q]!.size >= this.limits[q]!) return Verdict.tailDrop;
    this.queues[q]!.push(packet(b, i));
    return Verdict.queued;
  }
  protected next(): Packet | undefined {
    if (this.totalPackets === 0) return undefined;
    for (;;) {
      const q = this.cur;
      const fifo = this.queues[q]!;
      if (fifo.size === 0) {
        this.deficit[q] = 0;
        this.advance();
        continue;
      }
      if (this.fresh) {
        this.deficit[q]! += this.quantum[q]!;
        this.fresh = false;
      }
      const len = fifo.peek()!.length;
      if (len <= this.deficit[q]!) {
        this.deficit[q]! -= len;
        const p = fifo.shift();
        if (fifo.size === 0) {
          this.deficit[q] = 0;
          this.advance();
        }
        return p;
      }
      this.advance();
    }
  }
  private advance(): void {
    this.cur = (this.cur + 1) & 15;
    this.fresh = true;
  }
  /** Drops everything queued. */
  clear(): void {
    this.queues = Array.from({ length: 16 }, () => new Fifo());
    this.deficit.fill(0);
    this.cur = 0;
    this.fresh = true;
    this.totalPackets = this.totalBytes = 0;
  }
}

/** Self-clocked fair queueing over conversations; a binary heap of packets keyed (tag, seq). */
class WfqEngine {
  private heap: Packet[] = [];
  private count: number[];
  private last: number[];
  private vTime = 0;
  private seq = 0;
  constructor(
    readonly conversations: number,
    readonly cdt: number,
  ) {
    this.count = new Array<number>(conversations).fill(0);
    this.last = new Array<number>(conversations).fill(0);
  }
  get size(): number {
    return this.heap.length;
  }
  enqueue(key: number, id: number, length: number, precedence: number): VerdictCode {
    const conv = (key >>> 0) % this.conversations;
    if (this.count[conv]! >= this.cdt) return Verdict.congestiveDiscard;
    const tag = Math.max(this.vTime, this.last[conv]!) + length * wfqWeight(precedence);
    this.last[conv] = tag;
    this.count[conv]!++;
    this.push({ id, length, tag, seq: this.seq++, conv });
    return Verdict.queued;
  }
  peek(): Packet | undefined {
    return this.heap[0];
  }
  dequeue(): Packet | undefined {
    const h = this.heap;
    const top = h[0];
    if (!top) return undefined;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      this.down(0);
    }
    this.count[top.conv]!--;
    this.vTime = top.tag;
    return top;
  }
  private static less(a: Packet, b: Packet): boolean {
    return a.tag < b.tag || (a.tag === b.tag && a.seq < b.seq);
  }
  private push(p: Packet): void {
    const h = this.heap;
    let i = h.length;
    h.push(p);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!WfqEngine.less(p, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = p;
  }
  private down(i: number): void {
    const h = this.heap;
    const p = h[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= h.length) break;
      if (c + 1 < h.length && WfqEngine.less(h[c + 1]!, h[c]!)) c++;
      if (!WfqEngine.less(h[c]!, p)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = p;
  }
}

/** Flow-based WFQ reference (binary heap of packets). */
export class TsWfq extends TsScheduler {
  private engine: WfqEngine;
  private readonly hold: number;
  constructor(private readonly config: WfqConfig = {}) {
    super();
    this.engine = new WfqEngine(config.conversations ?? 256, config.cdt ?? 64);
    this.hold = config.holdQueueLimit ?? 1000;
  }
  protected admit(b: DescriptorBatch, i: number): VerdictCode {
    if (this.totalPackets >= this.hold) return Verdict.tailDrop;
    return this.engine.enqueue(b.key[i]!, b.id[i]!, b.length[i]!, b.precedence[i]!);
  }
  protected next(): Packet | undefined {
    return this.engine.dequeue();
  }
  /** Drops everything queued. */
  clear(): void {
    this.engine = new WfqEngine(this.config.conversations ?? 256, this.config.cdt ?? 64);
    this.totalPackets = this.totalBytes = 0;
  }
}

/** CBWFQ with LLQ reference: priority FIFO first, then the class with the smallest head finish tag. */
export class TsCbwfq extends TsScheduler {
  private readonly plan: CbwfqPlan;
  private fifos: Fifo[] = [];
  private prio = new Fifo();
  private fair: WfqEngine;
  private count: number[] = [];
  private tag: number[] = [];
  private tokens: number[] = [];
  private lastUs: number[] = [];
  private classV = 0;
  constructor(config: CbwfqConfig) {
    super();
    this.plan = planCbwfq(config);
    this.fair = new WfqEngine(this.plan.conversations, this.plan.cdt);
    this.clear();
  }
  protected admit(b: DescriptorBatch, i: number, nowUs: number): VerdictCode {
    const n = this.plan.kind.length;
    const c = b.key[i]! < n ? b.key[i]! : n - 1;
    const kind = this.plan.kind[c]!;
    const len = b.length[i]!;
    const count = this.count[c]!;
    if (kind === "priority") {
      let tokens = Math.min(
        this.plan.burstBytes[c]!,
        this.tokens[c]! + (nowUs - this.lastUs[c]!) * this.plan.rateBytesPerUs[c]!,
      );
      this.lastUs[c] = nowUs;
      if (len <= tokens) tokens -= len;
      else if (this.totalPackets > 0) {
        this.tokens[c] = tokens;
        return Verdict.policed;
      }
      this.tokens[c] = tokens;
      if (count >= this.plan.limit[c]!) return Verdict.tailDrop;
      const p = packet(b, i);
      p.conv = c;
      this.prio.push(p);
      this.count[c] = count + 1;
      return Verdict.queued;
    }
    if (count >= this.plan.limit[c]!) return Verdict.tailDrop;
    if (kind === "fair") {
      const v = this.fair.enqueue(b.flow[i]!, b.id[i]!, len, b.precedence[i]!);
      if (v !== Verdict.queued) return v;
    } else this.fifos[c]!.push(packet(b, i));
    this.count[c] = count + 1;
    if (count === 0) {
      const head = kind === "fair" ? this.fair.peek()!.length : len;
      this.tag[c] = Math.max(this.classV, this.tag[c]!) + head * this.plan.weight[c]!;
    }
    return Verdict.queued;
  }
  protected next(): Packet | undefined {
    if (this.prio.size > 0) {
      const p = this.prio.shift();
      this.count[p.conv]!--;
      return p;
    }
    let best = -1;
    for (let c = 0; c < this.plan.kind.length; c++) {
      if (this.count[c] === 0 || this.plan.kind[c] === "priority") continue;
      if (best < 0 || this.tag[c]! < this.tag[best]!) best = c;
    }
    if (best < 0) return undefined;
    const fair = this.plan.kind[best] === "fair";
    const p = fair ? this.fair.dequeue()! : this.fifos[best]!.shift();
    this.classV = this.tag[best]!;
    if (--this.count[best]! > 0) {
      const head = fair ? this.fair.peek()!.length : this.fifos[best]!.peek()!.length;
      this.tag[best] = this.tag[best]! + head * this.plan.weight[best]!;
    }
    return p;
  }
  /** Drops everything queued. */
  clear(): void {
    const n = this.plan.kind.length;
    this.fifos = Array.from({ length: n }, () => new Fifo());
    this.prio = new Fifo();
    this.fair = new WfqEngine(this.plan.conversations, this.plan.cdt);
    this.count = new Array<number>(n).fill(0);
    this.tag = new Array<number>(n).fill(0);
    this.tokens = [...this.plan.burstBytes];
    this.lastUs = new Array<number>(n).fill(0);
    this.classV = 0;
    this.totalPackets = this.totalBytes = 0;
  }
}
