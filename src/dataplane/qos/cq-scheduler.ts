// Custom queueing (`custom-queue-list N` with `queue-list N`): queue 0 is the
// system queue, emptied first; queues 1-16 are served round robin by byte
// count, each with its own packet limit. The Wasm scheduler runs a deficit
// round robin with the byte count as quantum (a packet that would cross the
// count waits for the next turn, and the unused credit carries over; IOS
// lets the crossing packet go): both give each queue a share of the line
// proportional to its byte count. Queues 1-16 run in the Wasm scheduler (WasmCq, keys 0-15);
// the per-queue depths and drops `show` prints are kept here.

import { DescriptorBatch, Verdict, type VerdictCode } from "../../fastpath/sched/types.ts";
import { WasmCq } from "../../fastpath/sched/wasm-schedulers.ts";
import type { AccessList, AclPacket } from "../acl.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";
import { FifoScheduler } from "./fifo-scheduler.ts";
import { CQ_QUEUES, type QueueList, queueFor } from "./legacy-lists.ts";
import type { OutputScheduler, PacketClass } from "./output-scheduler.ts";
import { QueueBook } from "./queue-book.ts";

/** CQ on one interface. */
export class CqScheduler implements OutputScheduler {
  readonly strategy: string;
  readonly usesClassificationSeam = true;
  readonly bypassWhenIdle = true;
  readonly limit: number;
  /** Packet limit per queue 0-16. */
  readonly limits: number[];
  private readonly system: FifoScheduler;
  private readonly wasm: WasmCq;
  private readonly batch = new DescriptorBatch(1);
  private readonly out = new Uint32Array(1);
  /** Depth, drops and sent packets per queue. */
  readonly book = new QueueBook(CQ_QUEUES);

  constructor(
    readonly listNumber: number,
    private readonly list: QueueList,
    private readonly acl: (name: string) => AccessList | undefined,
  ) {
    this.strategy = `custom-list ${listNumber}`;
    this.limits = [...list.limits];
    this.limit = this.limits.reduce((a, b) => a + b, 0);
    this.system = new FifoScheduler(this.limits[0]);
    this.wasm = new WasmCq({ byteCounts: list.byteCounts.slice(1), limits: this.limits.slice(1) });
  }

  /** The queue of the first rule that matches, else the list's default. */
  classify(header: AclPacket | null, _egress: RouterInterface, out: PacketClass): void {
    out.key = queueFor(this.list, header, this.acl);
  }

  enqueue(handle: number, length: number, cls: PacketClass, nowUs: number): VerdictCode {
    const q = cls.key;
    let v: VerdictCode;
    if (q === 0) v = this.system.enqueue(handle);
    else {
      const b = this.batch;
      b.set(0, handle, length, q - 1);
      this.wasm.enqueue(b, 1, nowUs);
      v = b.verdict[0]! as VerdictCode;
    }
    if (v === Verdict.queued) this.book.queued(handle, q);
    else this.book.dropped(q);
    return v;
  }

  dequeue(): number {
    if (this.book.packets === 0) return -1;
    let handle = this.system.dequeue();
    if (handle < 0) {
      if (this.wasm.dequeue(this.out, 1) === 0) return -1;
      handle = this.out[0]!;
    }
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
    this.system.clear();
    this.wasm.clear();
    this.book.clear();
  }

  /** `Output queues: (queue #: size/max/drops)`, five queues a line. */
  interfaceLines(): string[] {
    const cells = this.book.depth.map((d, q) => `${q}: ${d}/${this.limits[q]}/${this.book.drops[q]} `);
    const rows: string[] = [];
    for (let i = 0; i < cells.length; i += 5) rows.push(`     ${cells.slice(i, i + 5).join("")}`);
    return [`  Queueing strategy: ${this.strategy}`, "  Output queues: (queue #: size/max/drops)", ...rows];
  }
}
