// Partitions synchronising among themselves (conservative PDES without the
// coordinator in the loop). The coordinator hands every partition the same
// epoch [from, until) and the earliest event each holds. Then in rounds: every
// partition runs up to a horizon no other partition's events can reach
// sooner, the earliest event any other partition holds or was just sent plus
// the smallest latency of any wire between partitions, brought closer as it
// sends (whatever it sends cannot be answered before its arrival plus that
// latency); then it sends every other partition, over its own MessagePort,
// the events for it (frames packed in one binary block), its earliest event
// (held or sent) and the time it reached. Every partition computes the same
// end from the same reports. Idle time costs nothing, and a partition that
// nobody can reach soon runs ahead (a ping crossing partitions costs a round
// per crossing, not one per latency). The receiving queue orders events by
// key, so the order batches arrive in does not matter.

import type { TimeNs } from "./device.ts";
import { packFrameEvents, unpackFrameEvents } from "./frame-batch.ts";
import { decodeMessage, encodeMessage } from "./frame-codec.ts";
import type { Partition, WindowResult } from "./partition.ts";
import type { CrossEvent } from "./sim-event.ts";

/** What one partition sends another after a round. */
interface PeerBatch {
  /** Earliest event the sender holds or just sent. */
  bound: TimeNs;
  /** Time the sender reached. */
  reached: TimeNs;
  others: CrossEvent[];
  frames: Uint8Array | null;
}

/** A partition's ports to the other partitions. */
export class PeerExchange {
  private readonly ports: (MessagePort | null)[];
  /** Batches received from each peer and not consumed yet, in order. */
  private readonly received: PeerBatch[][];
  private waiting: (() => void) | null = null;

  constructor(
    private readonly self: number,
    count: number,
  ) {
    this.ports = Array.from({ length: count }, () => null);
    this.received = Array.from({ length: count }, () => []);
  }

  /** Attaches the port to partition `peer`. */
  connect(peer: number, port: MessagePort): void {
    this.ports[peer] = port;
    port.onmessage = (ev: { data: unknown }) => {
      this.received[peer]!.push(decodeMessage<PeerBatch>(ev.data as ArrayBuffer));
      if (this.waiting !== null && this.roundComplete()) {
        const w = this.waiting;
        this.waiting = null;
        w();
      }
    };
  }

  /** True once every port is attached. */
  get connected(): boolean {
    return this.ports.every((p, i) => i === this.self || p !== null);
  }

  /**
   * Runs the epoch [fromNs, untilNs) together with the other partitions;
   * `bounds` holds every partition's earliest event at the start. Returns
   * what it produced.
   */
  async runEpoch(
    partition: Partition,
    placement: readonly number[],
    lookaheadNs: TimeNs,
    untilNs: TimeNs,
    bounds: readonly TimeNs[],
  ): Promise<WindowResult> {
    const count = this.ports.length;
    if (count === 1) {
      partition.runTo(untilNs);
      return partition.takeResult();
    }
    // Earliest event any other partition holds (or that this one sent it).
    let others = Infinity;
    for (let q = 0; q < count; q++) if (q !== this.self) others = Math.min(others, bounds[q]!);
    for (;;) {
      const reached = partition.runTo(Math.min(untilNs, others + lookaheadNs), lookaheadNs);
      const outbound = partition.takeOutbound();
      let bound = partition.nextAt();
      let sentAt = Infinity;
      const byPeer: CrossEvent[][] = this.ports.map(() => []);
      for (const e of outbound) {
        byPeer[placement[e.receiverId]!]!.push(e);
        if (e.atNs < sentAt) sentAt = e.atNs;
      }
      if (sentAt < bound) bound = sentAt;
      for (let q = 0; q < count; q++) {
        if (q === this.self) continue;
        const { others, frames } = packFrameEvents(byPeer[q]!);
        const buf = encodeMessage({ bound, reached, others, frames } satisfies PeerBatch);
        this.ports[q]!.postMessage(buf, [buf]);
      }
      if (!this.roundComplete()) await new Promise<void>((resolve) => (this.waiting = resolve));
      // Every partition sees the same reports, so all stop after the same round.
      let done = reached >= untilNs;
      others = sentAt;
      for (let q = 0; q < count; q++) {
        if (q === this.self) continue;
        const batch = this.received[q]!.shift()!;
        if (batch.frames) unpackFrameEvents(batch.frames, batch.others);
        partition.absorb(batch.others);
        if (batch.bound < others) others = batch.bound;
        if (batch.reached < untilNs) done = false;
      }
      if (done) break;
    }
    return partition.takeResult();
  }

  close(): void {
    for (const p of this.ports) p?.close();
  }

  private roundComplete(): boolean {
    for (let q = 0; q < this.received.length; q++) if (q !== this.self && this.received[q]!.length === 0) return false;
    return true;
  }
}
