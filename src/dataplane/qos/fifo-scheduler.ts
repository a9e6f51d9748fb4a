// FIFO queueing: one queue of `hold-queue N out` packets (IOS default 40),
// served in arrival order, tail drop when full. What every interface runs
// unless WFQ (the serial default at E1 speed and below), PQ, CQ or a
// service-policy says otherwise, and what `no fair-queue` selects.

import { Verdict, type VerdictCode } from "../../fastpath/sched/types.ts";
import type { AclPacket } from "../acl.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";
import type { OutputScheduler, PacketClass } from "./output-scheduler.ts";

/** IOS's default output hold queue of a FIFO interface (packets). */
export const FIFO_HOLD_QUEUE = 40;

/** A ring of packet handles. */
export class FifoScheduler implements OutputScheduler {
  readonly strategy = "fifo";
  readonly usesClassificationSeam = false;
  readonly bypassWhenIdle = true;
  private ring: Int32Array;
  private head = 0;
  private count = 0;

  constructor(readonly limit: number = FIFO_HOLD_QUEUE) {
    this.ring = new Int32Array(Math.max(1, Math.min(limit, 64)));
  }

  /** FIFO does not look at packets. */
  classify(_header: AclPacket | null, _egress: RouterInterface, _out: PacketClass): void {}

  /** Tail drop at the hold-queue limit. */
  enqueue(handle: number): VerdictCode {
    if (this.count >= this.limit) return Verdict.tailDrop;
    if (this.count === this.ring.length) this.grow();
    this.ring[(this.head + this.count) % this.ring.length] = handle;
    this.count++;
    return Verdict.queued;
  }

  /** The oldest handle, or -1. */
  dequeue(): number {
    if (this.count === 0) return -1;
    const handle = this.ring[this.head]!;
    this.head = (this.head + 1) % this.ring.length;
    this.count--;
    return handle;
  }

  get packets(): number {
    return this.count;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  /** `Queueing strategy: fifo` and `Output queue: size/max`. */
  interfaceLines(): string[] {
    return ["  Queueing strategy: fifo", `  Output queue: ${this.count}/${this.limit} (size/max)`];
  }

  private grow(): void {
    const bigger = new Int32Array(Math.min(this.ring.length * 2, Math.max(this.limit, 1)));
    for (let i = 0; i < this.count; i++) bigger[i] = this.ring[(this.head + i) % this.ring.length]!;
    this.ring = bigger;
    this.head = 0;
  }
}
