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

/**
 * What one partition sends another after a round: a small structured-clone
 * object (no msgpack on the common path), with the frame block and, when
 * there are any, the other events (msgpack) as transferred buffers.
 */
interface PeerBatch {
  /** Earliest event the sender holds or just sent. */
  bound: TimeNs;
  /** Time the sender reached. */
  reached: TimeNs;
  /** Where the epoch ends as far as the sender knows (a command finished before it). */
  stop: TimeNs;
  /** Carrier changes and the like, msgpack-encoded (rare). */
  others: ArrayBuffer | null;
  frames: ArrayBuffer | null;
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
      this.received[peer]!.push(ev.data as PeerBatch);
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
   * Runs the epoch up to untilNs together with the other partitions;
   * `bounds` holds every partition's earliest event at the start. While
   * console commands are outstanding (gridNs > 0) the epoch ends instead on
   * the first grid point after any of them finishes, anywhere: no partition
   * runs past a grid point before every partition is sure that no command can
   * finish before it. Returns what the partition produced, with the time the
   * epoch ended at.
   */
  async runEpoch(
    partition: Partition,
    placement: readonly number[],
    lookaheadNs: TimeNs,
    untilNs: TimeNs,
    bounds: readonly TimeNs[],
    gridNs: TimeNs,
  ): Promise<WindowResult> {
    const count = this.ports.length;
    const gridAfter = (t: TimeNs): TimeNs => (Math.floor(t / gridNs) + 1) * gridNs;
    // Earliest event any other partition holds (or that this one sent it).
    let others = Infinity;
    for (let q = 0; q < count; q++) if (q !== this.self) others = Math.min(others, bounds[q]!);
    let stopAt = untilNs;
    for (;;) {
      let horizon = Math.min(stopAt, others + lookaheadNs);
      // A command can finish no sooner than the earliest event anywhere.
      if (gridNs > 0) horizon = Math.min(horizon, gridAfter(Math.min(others, partition.nextAt())));
      const reached = partition.runTo(horizon, lookaheadNs);
      const finished = partition.takeCompletion();
      if (gridNs > 0 && finished !== Infinity) stopAt = Math.min(stopAt, gridAfter(finished));
      let done = reached >= stopAt;
      if (count === 1) {
        if (done) break;
        continue;
      }
      const outbound = partition.takeOutbound();
      let bound = partition.nextAt();
      let sentAt = Infinity;
      const byPeer: CrossEvent[][] = this.ports.map(() => []);
      for (const e of outbound) {
        byPeer[placement[e.receiverId]!]!.push(e);
        if (e.atNs < sentAt) sentAt = e.atNs;
      }
      if (sentAt < bound) bound = sentAt;
      const stop = stopAt;
      for (let q = 0; q < count; q++) {
        if (q === this.self) continue;
        const packed = packFrameEvents(byPeer[q]!);
        const others = packed.others.length > 0 ? encodeMessage(packed.others) : null;
        const frames = packed.frames === null ? null : (packed.frames.buffer as ArrayBuffer);
        const transfer = [others, frames].filter((b) => b !== null);
        this.ports[q]!.postMessage({ bound, reached, stop, others, frames } satisfies PeerBatch, transfer);
      }
      if (!this.roundComplete()) await new Promise<void>((resolve) => (this.waiting = resolve));
      others = sentAt;
      const reachedAll = [reached];
      for (let q = 0; q < count; q++) {
        if (q === this.self) continue;
        const batch = this.received[q]!.shift()!;
        const events = batch.others === null ? [] : decodeMessage<CrossEvent[]>(batch.others);
        if (batch.frames !== null) unpackFrameEvents(new Uint8Array(batch.frames), events);
        partition.absorb(events);
        if (batch.bound < others) others = batch.bound;
        if (batch.stop < stopAt) stopAt = batch.stop;
        reachedAll.push(batch.reached);
      }
      // Every partition saw the same reports, so all stop after the same round.
      done = reachedAll.every((t) => t >= stopAt);
      if (done) break;
    }
    const result = partition.takeResult();
    result.reachedNs = stopAt;
    return result;
  }

  close(): void {
    for (const p of this.ports) p?.close();
  }

  private roundComplete(): boolean {
    for (let q = 0; q < this.received.length; q++) if (q !== this.self && this.received[q]!.length === 0) return false;
    return true;
  }
}
