// The port/link model: one device port's transmitter on its wire. Frames are
// clocked out one after the other (serialization delay from the frame size and
// the wire's bit rate, with Ethernet's preamble, FCS, minimum size and gap or
// HDLC's flag and FCS), wait in IOS's output hold queue meanwhile (40 packets
// unless the device sets another limit: `hold-queue N out`),
// and are lost with the wire's probability drawn from a seeded source per
// sending port. A wire with jitter delays each frame by a further uniform draw
// in [0, jitter] from another seeded source per sending port, but never past
// the frame sent after it: the wire stays FIFO (arrival = max(previous
// arrival, now + latency + draw)). Carrier needs the wire up and, on a point-to-point link, the
// far end enabled. Frames towards each end of the wire take that end's event
// lane, as their keys only grow.

import type { PortInfo, TimeNs } from "./device.ts";
import { EventLane } from "./event-queue.ts";
import { hashSeed, SeededRandom } from "./random.ts";
import type { SimEvent } from "./sim-event.ts";
import type { PortSpec, WireSpec } from "./topology.ts";

/** IOS's default output hold queue (packets). */
export const HOLD_QUEUE_OUT = 40;

/** One port's transmitter and its view of the wire. */
export class PortModel {
  readonly info: PortInfo;
  /** HDLC framing (serial) rather than Ethernet. */
  readonly serial: boolean;
  enabled = false;
  /** Far end of a point-to-point wire is enabled (always true on a segment). */
  remoteEnabled: boolean;
  txBusyUntil: TimeNs = 0;
  /** Interface MTU last reported for a port on a wire to a host TAP (only sent on when it changes). */
  tapMtu = 0;
  /** Output hold queue limit in packets (`hold-queue N out`). */
  outputQueueLimit = HOLD_QUEUE_OUT;
  /** Start of serialization of the frame enqueue() accepted last. */
  txStart: TimeNs = 0;
  /** Transmit-completion times of frames still in the output queue, from txHead on (in increasing order). */
  private readonly txQueue: TimeNs[] = [];
  private txHead = 0;
  private readonly lossRandom: SeededRandom;
  private readonly jitterRandom: SeededRandom;
  /** Arrival time of the last frame sent on a jittery wire: no later frame arrives before it. */
  private lastArrival: TimeNs = 0;
  /** Frames to each end of the wire come in key order: one event lane per end. */
  readonly lanes: EventLane<SimEvent>[];

  constructor(
    spec: PortSpec,
    readonly wire: WireSpec,
    seed: number,
    deviceName: string,
  ) {
    this.info = {
      index: spec.index,
      name: spec.name,
      kind: spec.kind,
      bitsPerSecond: wire.bitsPerSecond,
      wireMtu: wire.mtu,
    };
    this.serial = spec.kind === "serial";
    this.remoteEnabled = wire.segment;
    this.lossRandom = new SeededRandom(hashSeed(seed, `loss:${deviceName}:${spec.name}`));
    this.jitterRandom = new SeededRandom(hashSeed(seed, `jitter:${deviceName}:${spec.name}`));
    this.lanes = wire.ends.map(() => new EventLane<SimEvent>());
  }

  /** Carrier as the device sees it, given whether the wire itself is up. */
  carrier(wireUp: boolean): boolean {
    return wireUp && this.remoteEnabled;
  }

  /** The port was shut: what waits in the output queue is gone. */
  reset(now: TimeNs): void {
    this.txQueue.length = 0;
    this.txHead = 0;
    this.txBusyUntil = now;
  }

  /** Frames waiting behind the one being serialized. */
  queueDepth(now: TimeNs): number {
    let inFlight = 0;
    for (let i = this.txHead; i < this.txQueue.length; i++) if (this.txQueue[i]! > now) inFlight++;
    return Math.max(0, inFlight - 1);
  }

  /**
   * Accepts a frame for transmission: returns the time its last bit leaves the
   * port (txStart holds when its first bit does), or -1 if it is a giant for
   * the wire or the hold queue is full.
   */
  enqueue(now: TimeNs, bytes: Uint8Array): TimeNs {
    const wire = this.wire;
    if (bytes.length - layer2Header(this.serial, bytes) > wire.mtu) return -1;
    // Frames whose serialization ended have left the hold queue.
    const q = this.txQueue;
    let head = this.txHead;
    while (head < q.length && q[head]! <= now) head++;
    if (head === q.length) {
      q.length = 0;
      head = 0;
    } else if (head >= 64) {
      q.copyWithin(0, head);
      q.length -= head;
      head = 0;
    }
    this.txHead = head;
    if (q.length - head >= this.outputQueueLimit) return -1;
    const txStart = Math.max(now, this.txBusyUntil);
    const txEnd = txStart + serializationNs(this.serial, bytes.length, wire.bitsPerSecond);
    this.txStart = txStart;
    this.txBusyUntil = txEnd;
    q.push(txEnd);
    return txEnd;
  }

  /** Draws whether the wire loses the frame just sent. */
  lost(): boolean {
    const loss = this.wire.loss;
    return loss > 0 && this.lossRandom.next() < loss;
  }

  /**
   * When the frame whose last bit leaves at txEnd reaches the far end(s): the
   * wire's latency plus, on a jittery wire, a seeded draw in [0, jitter],
   * never before the frame sent before it (FIFO).
   */
  arrival(txEnd: TimeNs): TimeNs {
    const wire = this.wire;
    const jitter = wire.jitterNs ?? 0;
    if (jitter <= 0) return txEnd + wire.latencyNs;
    const at = Math.max(this.lastArrival, txEnd + wire.latencyNs + Math.round(this.jitterRandom.next() * jitter));
    this.lastArrival = at;
    return at;
  }
}

/** Bytes of layer-2 header before the layer-3 payload. */
function layer2Header(serial: boolean, bytes: Uint8Array): number {
  if (serial) return 4;
  return bytes.length >= 14 && bytes[12] === 0x81 && bytes[13] === 0x00 ? 18 : 14;
}

/** Time to clock a frame onto the wire, with Ethernet's preamble, FCS, minimum size and gap, or HDLC's flag and FCS. */
function serializationNs(serial: boolean, length: number, bitsPerSecond: number): number {
  const onWire = serial ? length + 4 : Math.max(length, 60) + 4 + 8 + 12;
  return Math.ceil((onWire * 8 * 1e9) / bitsPerSecond);
}
