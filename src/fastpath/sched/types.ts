// Shared shapes of the output-queue schedulers (PQ, CQ, WFQ, CBWFQ/LLQ): packet
// descriptors in struct-of-arrays batches, per-descriptor verdicts, the scheduler
// interface both the TypeScript references and the Wasm module implement, and
// the IOS defaults (PQ limits 20/40/60/80, CQ 1500 bytes/20 packets, WFQ CDT 64
// and hold queue 1000, CBWFQ queue-limit 64).

/** Per-descriptor enqueue result. */
export const Verdict = {
  /** Accepted into a queue. */
  queued: 0,
  /** Queue (or hold queue) full: the arriving packet is dropped. */
  tailDrop: 1,
  /** WFQ conversation at its congestive discard threshold. */
  congestiveDiscard: 2,
  /** LLQ class above its policed rate while the interface is congested. */
  policed: 3,
} as const;
/** One of the Verdict codes. */
export type VerdictCode = (typeof Verdict)[keyof typeof Verdict];

/** A batch of packet descriptors as parallel arrays (index i is one packet). */
export class DescriptorBatch {
  /** Packet id the caller uses to find the bytes. */
  readonly id: Uint32Array;
  /** Length in bytes (what the link serializes). */
  readonly length: Uint32Array;
  /** PQ queue 0-3 (high..low), CQ queue 0-15, WFQ conversation, or CBWFQ class index. */
  readonly key: Uint32Array;
  /** Conversation inside a CBWFQ fair-queue class. */
  readonly flow: Uint32Array;
  /** IP precedence 0-7 (WFQ weight). */
  readonly precedence: Uint8Array;
  /** Filled by enqueue: a Verdict code per descriptor. */
  readonly verdict: Uint8Array;

  constructor(
    readonly capacity: number,
    buffer?: ArrayBuffer,
    offsets?: readonly number[],
  ) {
    if (buffer && offsets) {
      this.id = new Uint32Array(buffer, offsets[0], capacity);
      this.length = new Uint32Array(buffer, offsets[1], capacity);
      this.key = new Uint32Array(buffer, offsets[2], capacity);
      this.flow = new Uint32Array(buffer, offsets[3], capacity);
      this.precedence = new Uint8Array(buffer, offsets[4], capacity);
      this.verdict = new Uint8Array(buffer, offsets[5], capacity);
    } else {
      this.id = new Uint32Array(capacity);
      this.length = new Uint32Array(capacity);
      this.key = new Uint32Array(capacity);
      this.flow = new Uint32Array(capacity);
      this.precedence = new Uint8Array(capacity);
      this.verdict = new Uint8Array(capacity);
    }
  }

  /** Writes descriptor i. */
  set(i: number, id: number, length: number, key: number, precedence = 0, flow = 0): void {
    this.id[i] = id;
    this.length[i] = length;
    this.key[i] = key;
    this.precedence[i] = precedence;
    this.flow[i] = flow;
  }
}

/** An output queue: enqueue arriving packets, dequeue the next one to transmit. */
export interface PacketScheduler {
  /** Enqueues batch[0..count) at virtual time nowUs; fills batch.verdict; returns how many were queued. */
  enqueue(batch: DescriptorBatch, count: number, nowUs: number): number;
  /** Writes up to max ids (and lengths, if given) of the next packets to transmit; returns how many. */
  dequeue(outIds: Uint32Array, max: number, outLengths?: Uint32Array): number;
  /** Packets queued. */
  readonly packets: number;
  /** Bytes queued. */
  readonly bytes: number;
  /** Drops everything queued (configuration stays). */
  clear(): void;
}

/** Priority queuing (`priority-list`): four strict queues. */
export interface PqConfig {
  /** Packet limits of high, medium, normal, low (IOS default 20, 40, 60, 80). */
  limits?: [number, number, number, number];
}

/** Custom queuing (`queue-list`): 16 queues served by byte count. */
export interface CqConfig {
  /** Byte count per queue (IOS default 1500). */
  byteCounts?: number[];
  /** Packet limit per queue (IOS default 20). */
  limits?: number[];
}

/** Flow-based WFQ (`fair-queue [cdt [dynamic-queues]]`, `hold-queue N out`). */
export interface WfqConfig {
  /** Conversation queues; a descriptor's key is taken modulo this (default 256). */
  conversations?: number;
  /** Congestive discard threshold per conversation (IOS default 64). */
  cdt?: number;
  /** Total packets held (IOS default 1000). */
  holdQueueLimit?: number;
}

/** One class of a CBWFQ policy-map. */
export interface CbwfqClassConfig {
  /** Class name, for show output. */
  name: string;
  /** `priority <kbps> [burst]`: joins the LLQ, policed under congestion. */
  priorityKbps?: number;
  /** LLQ policer burst in bytes (default: 200 ms at the rate, as IOS). */
  burstBytes?: number;
  /** `bandwidth <kbps>`. */
  bandwidthKbps?: number;
  /** `bandwidth percent <n>`. */
  bandwidthPercent?: number;
  /** `queue-limit` in packets (default 64). */
  queueLimit?: number;
  /** `fair-queue` inside the class (supported on one class, normally class-default). */
  fairQueue?: { conversations?: number; cdt?: number };
}

/** A CBWFQ/LLQ policy on an interface. Descriptor key = class index; keys past the end go to the last class. */
export interface CbwfqConfig {
  /** Interface bandwidth in kbps (`bandwidth` on the interface). */
  interfaceKbps: number;
  /** Classes in policy order; the last is class-default. */
  classes: CbwfqClassConfig[];
}

/** IOS WFQ weight of a precedence: 32384 / (precedence + 1). */
export function wfqWeight(precedence: number): number {
  return Math.floor(32384 / ((precedence & 7) + 1));
}

/** Resolved per-class parameters shared by both CBWFQ implementations. */
export interface CbwfqPlan {
  kind: ("fifo" | "priority" | "fair")[];
  /** Finish-tag weight per class: 1e6 / kbps, so byte shares follow kbps. */
  weight: number[];
  limit: number[];
  rateBytesPerUs: number[];
  burstBytes: number[];
  conversations: number;
  cdt: number;
}

/** Turns a CBWFQ config into weights: unreserved bandwidth is split among classes without `bandwidth`. */
export function planCbwfq(config: CbwfqConfig): CbwfqPlan {
  const ifKbps = config.interfaceKbps;
  const kbpsOf = (c: CbwfqClassConfig): number | undefined =>
    c.bandwidthKbps ?? (c.bandwidthPercent !== undefined ? (ifKbps * c.bandwidthPercent) / 100 : undefined);
  let reserved = 0;
  let open = 0;
  for (const c of config.classes) {
    if (c.priorityKbps !== undefined) reserved += c.priorityKbps;
    else if (kbpsOf(c) !== undefined) reserved += kbpsOf(c)!;
    else open++;
  }
  const share = Math.max((ifKbps - reserved) / Math.max(open, 1), ifKbps / 100);
  const plan: CbwfqPlan = {
    kind: [],
    weight: [],
    limit: [],
    rateBytesPerUs: [],
    burstBytes: [],
    conversations: 256,
    cdt: 16,
  };
  for (const c of config.classes) {
    const priority = c.priorityKbps !== undefined;
    plan.kind.push(priority ? "priority" : c.fairQueue ? "fair" : "fifo");
    plan.weight.push(priority ? 0 : 1e6 / (kbpsOf(c) ?? share));
    plan.limit.push(c.queueLimit ?? 64);
    const rate = priority ? (c.priorityKbps! * 1000) / 8 / 1e6 : 0;
    plan.rateBytesPerUs.push(rate);
    plan.burstBytes.push(priority ? (c.burstBytes ?? rate * 200_000) : 0);
    if (c.fairQueue) {
      plan.conversations = c.fairQueue.conversations ?? 256;
      plan.cdt = c.fairQueue.cdt ?? 16;
    }
  }
  return plan;
}
