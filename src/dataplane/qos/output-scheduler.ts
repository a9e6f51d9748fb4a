// The seam between an interface's output queue and a queueing strategy. The
// output queue (output-queue.ts) owns the packets and the line: it hands a
// frame to the port while the transmitter is free, otherwise it asks the
// interface's OutputScheduler to classify the packet and queue its handle,
// and asks it for the next handle each time the serialization of the frame
// before ends on the virtual clock. A strategy (FIFO, WFQ, PQ, CQ here; MQC's
// CBWFQ/LLQ in mqc*) only sees handles, lengths and classifications; which
// strategy an interface runs is decided by the SchedulerProviders, first
// match wins (MQC's `service-policy output` before the legacy commands).

import type { VerdictCode } from "../../fastpath/sched/types.ts";
import type { AclPacket } from "../acl.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";

/** What a scheduler decided about one packet (filled by its classify()). */
export interface PacketClass {
  /** PQ queue, CQ queue, WFQ conversation or MQC class index. */
  key: number;
  /** Conversation inside a fair-queue class (CBWFQ); 0 otherwise. */
  flow: number;
  /** IP precedence 0-7 (the WFQ weight), filled from the ToS before classify(); 0 for what is not IP. */
  precedence: number;
  /** A ToS byte classify() wants written into the packet (`set dscp|precedence`); -1 leaves it. */
  setTos: number;
}

/** One queueing strategy on one interface's output. */
export interface OutputScheduler {
  /** What `show interfaces` prints after `Queueing strategy: ` (fifo, weighted fair, priority-list 1, ...). */
  readonly strategy: string;
  /** Packets it holds at most, all queues together (the `max` of `Output queue: size/max`). */
  readonly limit: number;
  /**
   * True when classify() matches access lists or class-maps: the device then
   * runs the classification seam (IpStack.classification), so a tunnel's or
   * crypto map's `qos pre-classify` shows it the inner header (and Ethernet
   * fast switching steps aside). False: classify() gets the frame's own header.
   */
  readonly usesClassificationSeam: boolean;
  /**
   * True for the legacy strategies, which act only under congestion: while
   * nothing waits and the line is free, a frame goes straight out without
   * classify() (IOS: queueing "only takes effect when congestion is
   * experienced"). False (MQC): every packet is classified and queued, so
   * counters, policers and shapers see all traffic; dequeue() runs at once
   * when the line is free.
   */
  readonly bypassWhenIdle: boolean;
  /**
   * Classifies a packet about to be queued. `header` holds the fields a
   * class-map or access list matches: the datagram's own, or the inner one
   * a tunnel or crypto map with `qos pre-classify` kept visible; null for
   * what is not IP (ARP). `egress` is the interface it leaves by (maybe a
   * subinterface of the queue's port).
   */
  classify(header: AclPacket | null, egress: RouterInterface, out: PacketClass): void;
  /** Queues a packet handle of `length` bytes; returns a Verdict code (queued or which drop). */
  enqueue(handle: number, length: number, cls: PacketClass, nowUs: number): VerdictCode;
  /** The handle to transmit next, or -1 (empty, or a shaper holds what waits). Called when the line is free. */
  dequeue(): number;
  /**
   * For a shaper: when dequeue() gave -1 while packets wait, the virtual time
   * (ns) to ask again. Absent or not later than now: not before the next
   * enqueue.
   */
  nextDequeueAt?(nowNs: number): number;
  /** Packets queued now. */
  readonly packets: number;
  /** Drops everything queued (the output queue frees the handles); configuration stays. */
  clear(): void;
  /** The `show interfaces` lines from `Queueing strategy:` on (strategy, output queue, per-queue state). */
  interfaceLines(): string[];
  /** `clear counters`: zeroes the drop and served counts it shows (what is queued stays). */
  clearCounters?(): void;
}

/** Chooses an interface's strategy: null to leave it to the next provider. */
export interface SchedulerProvider {
  /**
   * The strategy `ifc` (a physical interface) should run now, as a key that
   * changes whenever the scheduler must be rebuilt (configuration it depends
   * on changed) and a factory; null when this provider does not apply.
   */
  schedulerFor(ifc: RouterInterface): { key: string; create: () => OutputScheduler } | null;
}
