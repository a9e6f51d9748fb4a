// Priority queueing (`priority-group N` with `priority-list N`): four queues
// served strictly in order high, medium, normal, low, each with its own limit
// (tail drop). The queues run in the Wasm scheduler (WasmPq); the per-queue
// depths and drops `show` prints are kept here.

import { DescriptorBatch, Verdict, type VerdictCode } from "../../fastpath/sched/types.ts";
import { WasmPq } from "../../fastpath/sched/wasm-schedulers.ts";
import type { AccessList, AclPacket } from "../acl.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";
import { PQ_QUEUES, type PriorityList, queueFor } from "./legacy-lists.ts";
import type { OutputScheduler, PacketClass } from "./output-scheduler.ts";
import { QueueBook } from "./queue-book.ts";

/** PQ on one interface. */
export class PqScheduler implements OutputScheduler {
  readonly strategy: string;
  readonly usesClassificationSeam = true;
  readonly bypassWhenIdle = true;
  readonly limit: number;
  /** Packet limit per queue, high first. */
  readonly limits: number[];
  private readonly wasm: WasmPq;
  private readonly batch = new DescriptorBatch(1);
  private readonly out = new Uint32Array(1);
  /** Depth, drops and sent packets per queue. */
  readonly book = new QueueBook(PQ_QUEUES.length);

  constructor(
    readonly listNumber: number,
    private readonly list: PriorityList,
    private readonly acl: (name: string) => AccessList | undefined,
  ) {
    this.strategy = `priority-list ${listNumber}`;
    this.limits = [...list.limits];
    this.limit = this.limits.reduce((a, b) => a + b, 0);
    this.wasm = new WasmPq({ limits: this.limits as [number, number, number, number] });
  }

  /** The queue of the first rule that matches, else the list's default. */
  classify(header: AclPacket | null, _egress: RouterInterface, out: PacketClass): void {
    out.key = queueFor(this.list, header, this.acl);
  }

  enqueue(handle: number, length: number, cls: PacketClass, nowUs: number): VerdictCode {
    const b = this.batch;
    b.set(0, handle, length, cls.key);
    this.wasm.enqueue(b, 1, nowUs);
    const v = b.verdict[0]! as VerdictCode;
    if (v === Verdict.queued) this.book.queued(handle, cls.key);
    else this.book.dropped(cls.key);
    return v;
  }

  dequeue(): number {
    if (this.book.packets === 0 || this.wasm.dequeue(this.out, 1) === 0) return -1;
    const handle = this.out[0]!;
    this.book.dequeued(handle);
    return handle;
  }

  get packets(): number {
    return this.book.packets;
  }

  /** `clear counters`: drops and utilization start again. */
  clearCounters(): void {
    this.book.clearCounters();
  }

  clear(): void {
    this.wasm.clear();
    this.book.clear();
  }

  /** `Output queue (queue priority: size/max/drops):` with the four queues. */
  interfaceLines(): string[] {
    const q = PQ_QUEUES.map((name, i) => `${name}: ${this.book.depth[i]}/${this.limits[i]}/${this.book.drops[i]}`);
    return [
      `  Queueing strategy: ${this.strategy}`,
      "  Output queue (queue priority: size/max/drops):",
      `     ${q.join(", ")}`,
    ];
  }
}
