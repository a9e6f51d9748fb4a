// A partition runs a set of device actors on one event queue: it delivers
// frames, fires timers, applies carrier and wire changes and hands console
// commands to devices in key order, on one virtual clock. The transmitters are
// the port model (port-model.ts); devices are built, called into and
// restarted by the supervisor (supervisor.ts). The lab runs one partition
// inline or one per Worker; frames to devices held elsewhere leave through
// the outbox and come back to the owner at their arrival time.

import type { CryptoKeyRecord } from "../capture/crypto-keys.ts";
import type { DeviceContext, DeviceFactory, TimeNs, TimerId } from "./device.ts";
import { type EventKey, EventQueue } from "./event-queue.ts";
import type { KeyedLifecycle, LifecycleFact } from "./lifecycle.ts";
import type { PortModel } from "./port-model.ts";
import { type CrossEvent, EventKind, frameEvent, type SimEvent, simEvent, timerEvent } from "./sim-event.ts";
import { type DeviceSlot, Supervisor, type SupervisorHost } from "./supervisor.ts";
import type { LabSpec } from "./topology.ts";

export { type CrossEvent, EventKind, frameEvent, type SimEvent, simEvent } from "./sim-event.ts";

/** A line ordered by the key of the event that produced it. */
export interface KeyedLine {
  atNs: TimeNs;
  senderId: number;
  seq: number;
  receiverId: number;
  text: string;
  /** A console line's own timestamp text (null: none; absent: the default stamp). */
  stamp?: string | null;
}

/**
 * Key material a device exported, ordered like a console line by (time,
 * device, the device's sequence at that moment); records from one device at
 * one instant keep the order the device gave them (the lab's sort is stable).
 */
export interface KeyedRecord {
  atNs: TimeNs;
  senderId: number;
  seq: number;
  receiverId: number;
  record: CryptoKeyRecord;
}

/** Console output of a command. */
export interface CommandReply {
  commandId: number;
  deviceId: number;
  atNs: TimeNs;
  text: string;
  done: boolean;
  /** Prompt after the command (on the final reply). */
  prompt?: string;
}

/** A frame as a sniffer on its wire sees it. */
export interface CaptureRecord {
  wireId: number;
  atNs: TimeNs;
  senderId: number;
  seq: number;
  bytes: Uint8Array;
}

/**
 * What a port on a wire to a host TAP did (src/host-bridge): a frame it sent,
 * its carrier (interface shutdown), or its interface MTU; keyed like a frame.
 */
export interface TapRecord {
  wireId: number;
  atNs: TimeNs;
  senderId: number;
  seq: number;
  bytes?: Uint8Array;
  up?: boolean;
  mtu?: number;
}

/** What one window of work produced. */
export interface WindowResult {
  outbound: CrossEvent[];
  trace: KeyedLine[];
  console: KeyedLine[];
  replies: CommandReply[];
  captures: CaptureRecord[];
  /** Frames, carrier and MTU of ports on wires to host TAPs, for the coordinator to pass on. */
  tapOut: TapRecord[];
  /** Key material of SAs set up in this window (for Wireshark decryption). */
  keys: KeyedRecord[];
  /** Lifecycle facts (device left down, command cut short by a crash) for the lab to render. */
  lifecycle: KeyedLifecycle[];
  /** Time of the earliest event still queued, or Infinity. */
  nextAtNs: TimeNs;
  /** Time the epoch ended at (set by the epoch loop; earlier than asked when a command finished). */
  reachedNs: TimeNs;
  /** Count of delivered frames and fired timers (for benchmarks). */
  events: number;
}

/** Options for a partition. */
export interface PartitionOptions {
  lab: LabSpec;
  /** Partition index of every device, by device id. */
  placement: number[];
  self: number;
  trace: boolean;
  capture: boolean;
  factories: Record<string, DeviceFactory>;
}

/** A set of device actors on one event queue. */
export class Partition implements SupervisorHost {
  private readonly queue = new EventQueue<SimEvent>();
  private readonly supervisor: Supervisor;
  private readonly slots: Map<number, DeviceSlot>;
  private readonly wireUp: boolean[];
  private nowNs: TimeNs = 0;
  /** runTo() stops before this time; a send to another partition can bring it closer. */
  private horizon: TimeNs = 0;
  private lookaheadNs: TimeNs = Infinity;
  /** Earliest time a console command finished since takeCompletion() (the lab stops on the grid after it). */
  private completedAt: TimeNs = Infinity;
  private result: WindowResult = emptyResult();

  constructor(private readonly opts: PartitionOptions) {
    this.wireUp = opts.lab.wires.map(() => true);
    this.supervisor = new Supervisor(opts.lab, opts.factories, this);
    this.slots = this.supervisor.slots;
    for (const spec of opts.lab.devices) if (opts.placement[spec.id] === opts.self) this.supervisor.add(spec);
    for (const slot of this.slots.values()) this.supervisor.start(slot);
  }

  /** Runs every event before untilNs after queueing the inbound events; returns what happened. */
  advance(untilNs: TimeNs, inbound: CrossEvent[]): WindowResult {
    this.absorb(inbound);
    this.runTo(untilNs);
    return this.takeResult();
  }

  /** Queues events from the coordinator or another partition. */
  absorb(inbound: readonly CrossEvent[]): void {
    for (const e of inbound) {
      // The windows guarantee this; if they ever did not, the run would silently differ by placement.
      if (e.atNs < this.nowNs)
        throw new Error(`partition ${this.opts.self}: event for ${e.atNs} ns at ${this.nowNs} ns`);
      this.queue.push(simEvent(e));
    }
  }

  /**
   * Runs every event before untilNs, or before the horizon that the events
   * this partition sends to others set as it goes (each send's arrival time
   * plus `lookaheadNs`: the earliest another partition's answer could come
   * back). Returns the time reached.
   */
  runTo(untilNs: TimeNs, lookaheadNs: TimeNs = Infinity): TimeNs {
    this.horizon = untilNs;
    this.lookaheadNs = lookaheadNs;
    for (;;) {
      const next = this.queue.peek();
      if (next === undefined || next.atNs >= this.horizon) break;
      this.queue.pop();
      this.nowNs = next.atNs;
      this.dispatch(next);
    }
    const reached = this.horizon;
    if (this.nowNs < reached && reached !== Infinity) this.nowNs = reached;
    // A horizon behind the clock (another partition is behind) moves nothing.
    return Math.max(reached, this.nowNs);
  }

  /** Time of the earliest event queued, or Infinity. */
  nextAt(): TimeNs {
    return this.queue.peek()?.atNs ?? Infinity;
  }

  /** Earliest time a command finished since the last call (Infinity if none). */
  takeCompletion(): TimeNs {
    const t = this.completedAt;
    this.completedAt = Infinity;
    return t;
  }

  /** Events for other partitions produced since the last call. */
  takeOutbound(): CrossEvent[] {
    const out = this.result.outbound;
    this.result.outbound = [];
    return out;
  }

  /** What happened since the last call (including start-up); a fresh buffer takes over. */
  takeResult(): WindowResult {
    const result = this.result;
    result.nextAtNs = this.nextAt();
    this.result = emptyResult();
    return result;
  }

  /** Device names this partition holds. */
  deviceIds(): number[] {
    return [...this.slots.keys()];
  }

  private dispatch(e: SimEvent): void {
    if (e.kind === EventKind.WireAdmin) {
      this.applyWireAdmin(e);
      return;
    }
    const slot = this.slots.get(e.receiverId);
    if (slot === undefined) return;
    const tracing = this.opts.trace;
    switch (e.kind) {
      case EventKind.Frame: {
        const port = slot.ports[e.port]!;
        // A frame in flight when the receiver shut its port, or the wire failed, is lost.
        if (!port.enabled || !this.wireUp[port.wire.id]) return;
        this.result.events++;
        if (tracing)
          this.traceLine(e, `${slot.spec.name} rx ${port.info.name} len=${e.bytes!.length} h=${fnv(e.bytes!)}`);
        if (slot.failed) return;
        // As invoke(), without a closure per frame.
        try {
          slot.actor.receive(e.port, e.bytes!);
        } catch (err) {
          this.supervisor.crash(slot, err);
          return;
        }
        if (slot.reloadRequested) this.supervisor.reload(slot);
        return;
      }
      case EventKind.Timer: {
        if (e.generation !== slot.generation) return;
        if (slot.cancelled.delete(e.timerId!)) return;
        this.result.events++;
        if (tracing) this.traceLine(e, `${slot.spec.name} timer ${e.tag}`);
        try {
          slot.actor.timer(e.tag!);
        } catch (err) {
          this.supervisor.crash(slot, err);
          return;
        }
        if (slot.reloadRequested) this.supervisor.reload(slot);
        return;
      }
      case EventKind.Carrier: {
        const port = slot.ports[e.port]!;
        port.remoteEnabled = e.up!;
        if (tracing) this.traceLine(e, `${slot.spec.name} carrier ${port.info.name} ${e.up ? "up" : "down"}`);
        if (slot.failed) return;
        const up = this.carrierOf(port);
        this.supervisor.invoke(slot, () => slot.actor.carrier(e.port, up));
        return;
      }
      case EventKind.Command: {
        if (tracing) this.traceLine(e, `${slot.spec.name} command ${e.line}`);
        if (slot.failed) {
          this.pushFact(slot, { kind: "commandRefused", commandId: e.commandId! });
          return;
        }
        slot.pendingCommands.add(e.commandId!);
        this.supervisor.invoke(slot, () => slot.actor.command(e.commandId!, e.line!));
        return;
      }
    }
  }

  private applyWireAdmin(e: SimEvent): void {
    const wire = this.opts.lab.wires[e.wireId!]!;
    if (e.up === undefined) {
      // An impairment: frames sent from now on see the new loss and latency (ports read the wire's spec).
      if (e.loss !== undefined) wire.loss = e.loss;
      if (e.latencyNs !== undefined) wire.latencyNs = e.latencyNs;
      if (this.opts.trace) this.traceLine(e, `wire ${wire.name} loss ${wire.loss} latency ${wire.latencyNs}`);
      return;
    }
    this.wireUp[wire.id] = e.up;
    for (const end of wire.ends) {
      const slot = this.slots.get(end.deviceId);
      if (slot === undefined || slot.failed) continue;
      const port = slot.ports[end.port]!;
      const up = this.carrierOf(port);
      if (this.opts.trace)
        this.traceLine(
          { ...e, receiverId: end.deviceId },
          `${slot.spec.name} wire ${wire.name} ${e.up ? "up" : "down"}`,
        );
      this.supervisor.invoke(slot, () => slot.actor.carrier(end.port, up));
    }
  }

  carrierOf(port: PortModel): boolean {
    return port.carrier(this.wireUp[port.wire.id]!);
  }

  private traceLine(e: EventKey, text: string): void {
    this.result.trace.push({
      atNs: e.atNs,
      senderId: e.senderId,
      seq: e.seq,
      receiverId: e.receiverId,
      text: `${e.atNs} ${text}`,
    });
  }

  now(): TimeNs {
    return this.nowNs;
  }

  contextFor(slot: DeviceSlot): DeviceContext {
    const self = this;
    const portInfos = slot.ports.map((p) => p.info);
    return {
      name: slot.spec.name,
      id: slot.spec.id,
      ports: portInfos,
      now: () => self.nowNs,
      schedule(delayNs: TimeNs, tag: string): TimerId {
        const id = ++slot.timerCounter;
        const atNs = self.nowNs + Math.max(0, Math.round(delayNs));
        self.queue.push(timerEvent(atNs, slot.spec.id, slot.seq++, tag, id, slot.generation));
        return id;
      },
      cancel(id: TimerId): void {
        if (id > 0 && id <= slot.timerCounter) slot.cancelled.add(id);
      },
      send: (port, bytes) => self.transmit(slot, port, bytes),
      txBusyUntil: (port) => Math.max(self.nowNs, slot.ports[port]?.txBusyUntil ?? 0),
      outputQueueDepth: (port) => self.outputQueueDepth(slot, port),
      setOutputQueueLimit: (port, packets) => {
        const model = slot.ports[port];
        if (model !== undefined) model.outputQueueLimit = packets;
      },
      nvram: slot.nvram,
      boot: slot.boot,
      reload: () => {
        slot.reloadRequested = true;
      },
      setPortEnabled: (port, enabled) => self.setPortEnabled(slot, port, enabled),
      setPortMtu: (port, mtu) => self.setPortMtu(slot, port, mtu),
      random: () => slot.random.next(),
      randomU32: () => slot.random.nextU32(),
      reply: (commandId, text, done, prompt) => {
        if (!slot.pendingCommands.has(commandId)) return;
        if (done) slot.pendingCommands.delete(commandId);
        self.pushReply(slot, commandId, text, done, prompt);
      },
      console: (line, stamp) => self.pushConsole(slot, line, stamp),
      exportKeys: (record) => self.pushKeys(slot, record),
    };
  }

  pushReply(slot: DeviceSlot, commandId: number, text: string, done: boolean, prompt?: string): void {
    if (done && this.nowNs < this.completedAt) this.completedAt = this.nowNs;
    this.result.replies.push({ commandId, deviceId: slot.spec.id, atNs: this.nowNs, text, done, prompt });
  }

  pushConsole(slot: DeviceSlot, text: string, stamp?: string | null): void {
    const line: KeyedLine = {
      atNs: this.nowNs,
      senderId: slot.spec.id,
      seq: slot.seq++,
      receiverId: slot.spec.id,
      text: `${slot.spec.name}: ${text}`,
    };
    if (stamp !== undefined) line.stamp = stamp;
    this.result.console.push(line);
  }

  pushFact(slot: DeviceSlot, fact: LifecycleFact): void {
    if (fact.kind !== "leftDown" && this.nowNs < this.completedAt) this.completedAt = this.nowNs;
    this.result.lifecycle.push({
      atNs: this.nowNs,
      senderId: slot.spec.id,
      seq: slot.seq++,
      receiverId: slot.spec.id,
      fact,
    });
  }

  /** Keeps exported key material; it takes no sequence number, so frames and timers are keyed as without it. */
  private pushKeys(slot: DeviceSlot, record: CryptoKeyRecord): void {
    this.result.keys.push({
      atNs: this.nowNs,
      senderId: slot.spec.id,
      seq: slot.seq,
      receiverId: slot.spec.id,
      record: { ...record },
    });
  }

  setPortEnabled(slot: DeviceSlot, portIndex: number, enabled: boolean): void {
    const port = slot.ports[portIndex];
    if (port === undefined || port.enabled === enabled) return;
    port.enabled = enabled;
    if (!enabled) port.reset(this.nowNs);
    if (port.wire.tap !== undefined) this.pushTap(slot, port.wire.id, { up: enabled });
    if (port.wire.segment) return;
    // Point-to-point: the far end sees carrier follow this end after the wire latency.
    const seq = slot.seq++;
    for (const end of port.wire.ends) {
      if (end.deviceId === slot.spec.id && end.port === portIndex) continue;
      this.route(
        simEvent({
          kind: EventKind.Carrier,
          atNs: this.nowNs + port.wire.latencyNs,
          senderId: slot.spec.id,
          seq,
          receiverId: end.deviceId,
          port: end.port,
          up: enabled,
        }),
      );
    }
  }

  /** A port's interface MTU: only a wire to a host TAP does anything with it (the TAP follows). */
  setPortMtu(slot: DeviceSlot, portIndex: number, mtu: number): void {
    const port = slot.ports[portIndex];
    if (port === undefined || port.wire.tap === undefined || port.tapMtu === mtu) return;
    port.tapMtu = mtu;
    this.pushTap(slot, port.wire.id, { mtu });
  }

  private pushTap(slot: DeviceSlot, wireId: number, what: { bytes?: Uint8Array; up?: boolean; mtu?: number }): void {
    this.result.tapOut.push({ wireId, atNs: this.nowNs, senderId: slot.spec.id, seq: slot.seq++, ...what });
  }

  /** Frames waiting behind the one being serialized. */
  private outputQueueDepth(slot: DeviceSlot, portIndex: number): number {
    return slot.ports[portIndex]?.queueDepth(this.nowNs) ?? 0;
  }

  private transmit(slot: DeviceSlot, portIndex: number, bytes: Uint8Array): boolean {
    const port = slot.ports[portIndex];
    if (port === undefined || !port.enabled || !this.carrierOf(port)) return false;
    const txEnd = port.enqueue(this.nowNs, bytes);
    if (txEnd < 0) return false;
    const wire = port.wire;
    const senderId = slot.spec.id;
    const seq = slot.seq++;
    if (this.opts.capture)
      this.result.captures.push({ wireId: wire.id, atNs: port.txStart, senderId, seq, bytes: bytes.slice() });
    if (port.lost()) return true;
    const atNs = port.arrival(txEnd);
    if (wire.tap !== undefined) this.result.tapOut.push({ wireId: wire.id, atNs, senderId, seq, bytes: bytes.slice() });
    let first = true;
    const ends = wire.ends;
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i]!;
      if (end.deviceId === senderId && end.port === portIndex) continue;
      // Ownership of the bytes moves with the frame (the sender keeps no reference); extra receivers on a segment get their own copy.
      const copy = first ? bytes : bytes.slice();
      first = false;
      const e = frameEvent(atNs, senderId, seq, end.deviceId, end.port, copy);
      if (this.opts.placement[end.deviceId] === this.opts.self) this.queue.pushLane(port.lanes[i]!, e);
      else this.sendOut(e);
    }
    return true;
  }

  private route(e: SimEvent): void {
    if (this.opts.placement[e.receiverId] === this.opts.self) this.queue.push(e);
    else this.sendOut(e);
  }

  /** An event for another partition: nothing it causes there can come back before its arrival plus the lookahead. */
  private sendOut(e: SimEvent): void {
    this.result.outbound.push(e);
    const answer = e.atNs + this.lookaheadNs;
    if (answer < this.horizon) this.horizon = answer;
  }
}

function emptyResult(): WindowResult {
  return {
    outbound: [],
    trace: [],
    console: [],
    replies: [],
    captures: [],
    tapOut: [],
    keys: [],
    lifecycle: [],
    nextAtNs: Infinity,
    reachedNs: 0,
    events: 0,
  };
}

/** FNV-1a of a frame, for the trace. */
function fnv(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}
