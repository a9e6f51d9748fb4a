// CBWFQ/LLQ on an interface's output queue (the OutputScheduler of a
// `service-policy output` whose classes queue): one FIFO per class weighted by
// its bandwidth, the priority classes in one strict queue policed at their
// rate while the link is congested, class-default optionally flow-fair. The
// queues, finish tags and the LLQ policer run in the Wasm CBWFQ engine
// (src/fastpath/sched, WasmCbwfq: TsCbwfq is its TypeScript reference); this
// object maps handles to classes and feeds the attachment's per-class
// counters. A hierarchical policy's shaper gates dequeue: when it holds the
// next packet back, nextDequeueAt says when the queue may send again.

import { DescriptorBatch, Verdict, type VerdictCode } from "../../fastpath/sched/types.ts";
import { WasmCbwfq } from "../../fastpath/sched/wasm-schedulers.ts";
import type { AclPacket } from "../acl.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";
import type { PolicyAttachment } from "./mqc-attachment.ts";
import type { OutputScheduler, PacketClass } from "./output-scheduler.ts";

/** Conversation numbers IOS gives the class queues: after the dynamic (256) and link (8) queues. */
export const FIRST_CLASS_CONVERSATION = 264;

/** The class an attachment chose for the datagram now being framed (set by the marker, used once by classify). */
export interface PendingAdmission {
  egress: RouterInterface | null;
  queue: number;
  flow: number;
}

/** CBWFQ/LLQ for one attached output policy. */
export class MqcScheduler implements OutputScheduler {
  readonly strategy = "Class-based queueing";
  readonly usesClassificationSeam = true;
  /** Every packet is classified and queued: the per-class counters, the policers and the shaper see all traffic. */
  readonly bypassWhenIdle = false;
  readonly limit: number;
  private readonly engine: WasmCbwfq;
  private readonly batch = new DescriptorBatch(1);
  private readonly outIds = new Uint32Array(1);
  private readonly outLens = new Uint32Array(1);
  private queueOf: Int32Array = new Int32Array(64);
  private count = 0;
  /** Drops at enqueue (tail drops and the LLQ policer) since the scheduler was built. */
  drops = 0;
  /** Most class queues holding packets at once. */
  private maxActive = 0;
  /** The packet the shaper held back (already out of the engine), if any. */
  private held = -1;
  private heldLength = 0;

  constructor(
    readonly attachment: PolicyAttachment,
    ifKbps: number,
    private readonly pending: PendingAdmission,
    private readonly now: () => number,
    /** What the reservations leave of the interface's reservable bandwidth (`Available Bandwidth`). */
    private readonly availableKbps: number,
  ) {
    const config = attachment.schedulerConfig(ifKbps);
    this.engine = new WasmCbwfq(config);
    this.limit = config.classes.reduce((s, c) => s + (c.queueLimit ?? 64), 0);
  }

  /** The class the marker chose for this datagram, or (not IP, or not seen by the marker) classified now. */
  classify(header: AclPacket | null, egress: RouterInterface, out: PacketClass): void {
    const p = this.pending;
    if (p.egress !== null && p.egress === (egress.parent ?? egress)) {
      // (A policy edited between the marker and here leaves fewer classes: the last one takes it.)
      out.key = Math.min(p.queue, this.attachment.queueing.classes.length - 1);
      out.flow = p.flow;
      p.egress = null;
      return;
    }
    // Link traffic (ARP, keepalives) and what bypassed the marker go to class-default, as on IOS.
    out.key = this.attachment.queueing.classes.length - 1;
    out.flow = header === null ? 0 : (header.src ^ header.dst) >>> 0;
  }

  enqueue(handle: number, length: number, cls: PacketClass, nowUs: number): VerdictCode {
    const b = this.batch;
    b.set(0, handle, length, cls.key, cls.precedence, cls.flow);
    this.engine.enqueue(b, 1, nowUs);
    const v = b.verdict[0]! as VerdictCode;
    if (v !== Verdict.queued) {
      this.drops++;
      this.attachment.refused(cls.key, this.now(), length, v === Verdict.policed);
      return v;
    }
    if (handle >= this.queueOf.length) {
      const bigger = new Int32Array(Math.max(handle + 1, this.queueOf.length * 2));
      bigger.set(this.queueOf);
      this.queueOf = bigger;
    }
    this.queueOf[handle] = cls.key;
    this.attachment.queued(cls.key);
    this.count++;
    const active = this.activeClasses();
    if (active > this.maxActive) this.maxActive = active;
    return v;
  }

  dequeue(): number {
    if (this.count === 0) return -1;
    let handle = this.held;
    let length = this.heldLength;
    if (handle < 0) {
      if (this.engine.dequeue(this.outIds, 1, this.outLens) === 0) return -1;
      handle = this.outIds[0]!;
      length = this.outLens[0]!;
    }
    const shaper = this.attachment.shaper;
    if (shaper !== null) {
      const now = this.now();
      if (shaper.readyAt(now) > now) {
        this.held = handle;
        this.heldLength = length;
        return -1;
      }
      shaper.take(now, length);
    }
    this.held = -1;
    this.count--;
    this.attachment.sent(this.queueOf[handle]!, length);
    return handle;
  }

  /** When a shaper holds the next packet back: the time it may leave; otherwise now. */
  nextDequeueAt(nowNs: number): number {
    const shaper = this.attachment.shaper;
    return shaper === null ? nowNs : shaper.readyAt(nowNs);
  }

  /** `clear counters` on the interface: the queue's drops and the policy's per-class counts start again. */
  clearCounters(): void {
    this.drops = 0;
    this.maxActive = this.activeClasses();
    this.attachment.clearCounters();
  }

  get packets(): number {
    return this.count;
  }

  clear(): void {
    this.engine.clear();
    this.held = -1;
    this.count = 0;
    this.attachment.flushed();
  }

  /** Class queues holding packets now. */
  private activeClasses(): number {
    let n = 0;
    for (const c of this.attachment.queueing.classes) if (c.counters.queueDepth > 0) n++;
    return n;
  }

  /**
   * IOS's `show interfaces` block for CBWFQ: queued of the total with the per-class threshold and the drops,
   * class queues active now and at most, reserved (bandwidth or priority) class queues, what is left to reserve.
   */
  interfaceLines(): string[] {
    const classes = this.attachment.queueing.classes;
    const reserved = classes.filter((c) => c.config.bandwidth !== undefined || c.config.priority !== undefined).length;
    const threshold = Math.max(...classes.map((c) => c.config.queueLimit ?? 64));
    return [
      `  Queueing strategy: ${this.strategy}`,
      `  Output queue: ${this.count}/${this.limit}/${threshold}/${this.drops} (size/max total/threshold/drops)`,
      `     Conversations  ${this.activeClasses()}/${this.maxActive}/${classes.length} (active/max active/max total)`,
      `     Reserved Conversations ${reserved}/${reserved} (allocated/max allocated)`,
      `     Available Bandwidth ${this.availableKbps} kilobits/sec`,
    ];
  }
}
