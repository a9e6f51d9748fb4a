// The per-queue bookkeeping of a scheduler with numbered queues (PQ's four,
// CQ's seventeen): which queue each waiting packet handle is in, and per queue
// the packets waiting, dropped and sent that `show interfaces` and `show
// queueing` print. The queues themselves run in the Wasm schedulers.

/** Depth, drops and sent packets per queue, and the queue of each waiting handle. */
export class QueueBook {
  /** Packets waiting per queue. */
  readonly depth: number[];
  /** Drops per queue. */
  readonly drops: number[];
  /** Packets each queue has sent (`show queueing interface`'s utilization). */
  readonly sent: number[];
  private queueOf = new Uint8Array(64);
  private count = 0;

  constructor(queues: number) {
    this.depth = new Array<number>(queues).fill(0);
    this.drops = new Array<number>(queues).fill(0);
    this.sent = new Array<number>(queues).fill(0);
  }

  /** Packets waiting in all queues. */
  get packets(): number {
    return this.count;
  }

  dropped(queue: number): void {
    this.drops[queue]!++;
  }

  queued(handle: number, queue: number): void {
    if (handle >= this.queueOf.length) {
      const bigger = new Uint8Array(Math.max(handle + 1, this.queueOf.length * 2));
      bigger.set(this.queueOf);
      this.queueOf = bigger;
    }
    this.queueOf[handle] = queue;
    this.depth[queue]!++;
    this.count++;
  }

  /** A waiting handle left its queue for the line. */
  dequeued(handle: number): void {
    const queue = this.queueOf[handle]!;
    this.depth[queue]!--;
    this.sent[queue]!++;
    this.count--;
  }

  /** `clear counters`: drops and utilization start again. */
  clearCounters(): void {
    this.drops.fill(0);
    this.sent.fill(0);
  }

  /** The queues were emptied. */
  clear(): void {
    this.depth.fill(0);
    this.count = 0;
  }
}
