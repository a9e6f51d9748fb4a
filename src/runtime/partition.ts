// A partition runs a set of device actors on one event queue: it delivers
// frames, fires timers, models each port's transmitter (serialization delay,
// output hold queue, seeded loss) and each wire's latency and carrier, and
// supervises the actors (a device that throws is logged, rebuilt from its
// configuration and restarted; the rest of the lab goes on). The lab runs one
// partition inline or one per Worker; frames to devices held elsewhere leave
// through the outbox and come back to the owner at their arrival time.

import type { CryptoKeyRecord } from "../capture/crypto-keys.ts";
import type {
  BootReason,
  DeviceActor,
  DeviceContext,
  DeviceFactory,
  DeviceNvram,
  PortInfo,
  TimeNs,
  TimerId,
} from "./device.ts";
import { type EventKey, EventLane, EventQueue } from "./event-queue.ts";
import { hashSeed, SeededRandom } from "./random.ts";
import type { DeviceSpec, LabSpec, WireSpec } from "./topology.ts";

/** Event kinds the partition handles. */
export const enum EventKind {
  Command = 0,
  Frame = 1,
  Timer = 2,
  Carrier = 3,
  WireAdmin = 4,
}

/** An event on the queue; crossing partitions it travels as a CrossEvent. */
export interface SimEvent extends EventKey {
  kind: EventKind;
  port: number;
  bytes?: Uint8Array;
  up?: boolean;
  tag?: string;
  timerId?: number;
  generation?: number;
  commandId?: number;
  line?: string;
  wireId?: number;
}

/** An event sent to another partition (plain data; the lab encodes it with msgpack). */
export type CrossEvent = SimEvent;

/** A line ordered by the key of the event that produced it. */
export interface KeyedLine {
  atNs: TimeNs;
  senderId: number;
  seq: number;
  receiverId: number;
  text: string;
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

/** What one window of work produced. */
export interface WindowResult {
  outbound: CrossEvent[];
  trace: KeyedLine[];
  console: KeyedLine[];
  replies: CommandReply[];
  captures: CaptureRecord[];
  /** Key material of SAs set up in this window (for Wireshark decryption). */
  keys: KeyedRecord[];
  /** Time of the earliest event still queued, or Infinity. */
  nextAtNs: TimeNs;
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

/** IOS's default output hold queue (packets). */
const HOLD_QUEUE_OUT = 40;
/** Crashes within this window of virtual time before the supervisor gives up on a device. */
const CRASH_WINDOW_NS = 60_000_000_000;
const MAX_CRASHES_IN_WINDOW = 5;

interface PortState {
  info: PortInfo;
  wire: WireSpec;
  /** HDLC framing (serial) rather than Ethernet. */
  serial: boolean;
  enabled: boolean;
  /** Far end of a point-to-point wire is enabled (always true on a segment). */
  remoteEnabled: boolean;
  txBusyUntil: TimeNs;
  /** Transmit-completion times of frames still in the output queue, from txHead on (in increasing order). */
  txQueue: TimeNs[];
  txHead: number;
  lossRandom: SeededRandom;
  /** Frames to each end of the wire come in key order: one event lane per end. */
  lanes: EventLane<SimEvent>[];
}

interface DeviceSlot {
  spec: DeviceSpec;
  actor: DeviceActor;
  generation: number;
  seq: number;
  timerCounter: number;
  cancelled: Set<TimerId>;
  random: SeededRandom;
  ports: PortState[];
  pendingCommands: Set<number>;
  crashTimes: TimeNs[];
  failed: boolean;
  /** NVRAM: carried from one instance of the device to the next. */
  nvram: DeviceNvram;
  boot: BootReason;
  /** `reload` asked for a restart once the current event is handled. */
  reloadRequested: boolean;
  ctx: DeviceContext;
}

/** A set of device actors on one event queue. */
export class Partition {
  private readonly queue = new EventQueue<SimEvent>();
  private readonly slots = new Map<number, DeviceSlot>();
  private readonly wireUp: boolean[];
  private nowNs: TimeNs = 0;
  private result: WindowResult = emptyResult();

  constructor(private readonly opts: PartitionOptions) {
    this.wireUp = opts.lab.wires.map(() => true);
    for (const spec of opts.lab.devices) {
      if (opts.placement[spec.id] !== opts.self) continue;
      this.slots.set(spec.id, this.buildSlot(spec, spec.config, 0));
    }
    for (const slot of this.slots.values()) this.startActor(slot);
  }

  /** Starts an actor and tells it which ports have carrier (segments always do; links once the far end is enabled). */
  private startActor(slot: DeviceSlot): void {
    this.invoke(slot, () => {
      slot.actor.start(slot.ctx);
      for (const port of slot.ports) if (this.carrierOf(port)) slot.actor.carrier(port.info.index, true);
    });
  }

  /** Runs every event before untilNs after queueing the inbound events; returns what happened. */
  advance(untilNs: TimeNs, inbound: CrossEvent[]): WindowResult {
    for (const e of inbound) this.queue.push(simEvent(e));
    // What happened since the last window (including start-up) is returned now; a fresh buffer takes over.
    const result = this.result;
    for (;;) {
      const next = this.queue.peek();
      if (next === undefined || next.atNs >= untilNs) break;
      this.queue.pop();
      this.nowNs = next.atNs;
      this.dispatch(next);
    }
    if (this.nowNs < untilNs && untilNs !== Infinity) this.nowNs = untilNs;
    result.nextAtNs = this.queue.peek()?.atNs ?? Infinity;
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
          this.crash(slot, err);
        }
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
          this.crash(slot, err);
        }
        return;
      }
      case EventKind.Carrier: {
        const port = slot.ports[e.port]!;
        port.remoteEnabled = e.up!;
        if (tracing) this.traceLine(e, `${slot.spec.name} carrier ${port.info.name} ${e.up ? "up" : "down"}`);
        if (slot.failed) return;
        const up = this.carrierOf(port);
        this.invoke(slot, () => slot.actor.carrier(e.port, up));
        return;
      }
      case EventKind.Command: {
        if (tracing) this.traceLine(e, `${slot.spec.name} command ${e.line}`);
        if (slot.failed) {
          this.pushReply(slot, e.commandId!, `% ${slot.spec.name} is not running (too many crashes)\n`, true);
          return;
        }
        slot.pendingCommands.add(e.commandId!);
        this.invoke(slot, () => slot.actor.command(e.commandId!, e.line!));
        return;
      }
    }
  }

  private applyWireAdmin(e: SimEvent): void {
    const wire = this.opts.lab.wires[e.wireId!]!;
    this.wireUp[wire.id] = e.up!;
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
      this.invoke(slot, () => slot.actor.carrier(end.port, up));
    }
  }

  private carrierOf(port: PortState): boolean {
    return this.wireUp[port.wire.id]! && port.remoteEnabled;
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

  /** Calls into an actor under supervision. */
  private invoke(slot: DeviceSlot, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.crash(slot, err);
      return;
    }
    if (slot.reloadRequested) this.reload(slot);
  }

  /** `reload`: the device restarts from its NVRAM; neighbours see its ports go dark. */
  private reload(slot: DeviceSlot): void {
    slot.reloadRequested = false;
    for (const id of slot.pendingCommands) this.pushReply(slot, id, "", true);
    slot.pendingCommands.clear();
    let privateConfig: string | undefined;
    try {
      privateConfig = slot.actor.privateConfig?.();
    } catch {
      // Nothing readable in the private NVRAM: the device restarts without it.
    }
    for (const port of slot.ports) if (port.enabled) this.setPortEnabled(slot, port.info.index, false);
    const fresh = this.buildSlot(slot.spec, slot.nvram.startupConfig ?? "", slot.generation + 1, slot, privateConfig, {
      kind: "reload",
    });
    this.slots.set(slot.spec.id, fresh);
    this.startActor(fresh);
  }

  private crash(slot: DeviceSlot, err: unknown): void {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const name = slot.spec.name;
    slot.crashTimes = slot.crashTimes.filter((t) => this.nowNs - t < CRASH_WINDOW_NS);
    slot.crashTimes.push(this.nowNs);
    for (const id of slot.pendingCommands)
      this.pushReply(slot, id, `% ${name} crashed while running this command: ${message}\n`, true);
    slot.pendingCommands.clear();
    this.pushConsole(slot, `%SYS-2-ACTOR_CRASH: ${name}: device actor failed: ${message}`);
    let config = slot.spec.config;
    try {
      config = slot.actor.runningConfig();
    } catch {
      // The running configuration could not be read from the broken actor: fall back to the startup one.
    }
    let privateConfig: string | undefined;
    try {
      privateConfig = slot.actor.privateConfig?.();
    } catch {
      // Nothing readable in the broken actor's private NVRAM: the device restarts without it.
    }
    // The old instance's ports go dark, so neighbours see the reload.
    for (const port of slot.ports) if (port.enabled) this.setPortEnabled(slot, port.info.index, false);
    if (slot.crashTimes.length > MAX_CRASHES_IN_WINDOW) {
      slot.failed = true;
      slot.generation++;
      this.pushConsole(
        slot,
        `%SYS-2-ACTOR_CRASH: ${name}: ${slot.crashTimes.length} crashes in 60 seconds, device left down`,
      );
      return;
    }
    const fresh = this.buildSlot(slot.spec, config, slot.generation + 1, slot, privateConfig);
    this.slots.set(slot.spec.id, fresh);
    this.pushConsole(fresh, `%SYS-5-RESTART: ${name}: restarted from its running configuration`);
    this.startActor(fresh);
  }

  private buildSlot(
    spec: DeviceSpec,
    config: string,
    generation: number,
    previous?: DeviceSlot,
    privateConfig?: string,
    boot: BootReason = { kind: "powerOn" },
  ): DeviceSlot {
    const factory = this.opts.factories[spec.kind];
    if (factory === undefined) throw new Error(`device ${spec.name}: unknown kind '${spec.kind}'`);
    const seed = this.opts.lab.seed;
    const ports: PortState[] =
      previous?.ports ??
      spec.ports.map((p) => {
        const wire = this.opts.lab.wires[p.wireId]!;
        return {
          info: { index: p.index, name: p.name, kind: p.kind, bitsPerSecond: wire.bitsPerSecond, wireMtu: wire.mtu },
          wire,
          serial: p.kind === "serial",
          enabled: false,
          remoteEnabled: wire.segment,
          txBusyUntil: 0,
          txQueue: [],
          txHead: 0,
          lossRandom: new SeededRandom(hashSeed(seed, `loss:${spec.name}:${p.name}`)),
          lanes: wire.ends.map(() => new EventLane<SimEvent>()),
        };
      });
    const slot: DeviceSlot = {
      spec,
      actor: factory(spec.name, config, privateConfig),
      generation,
      seq: previous?.seq ?? 0,
      timerCounter: previous?.timerCounter ?? 0,
      cancelled: new Set(),
      random: previous?.random ?? new SeededRandom(hashSeed(seed, `device:${spec.name}`)),
      ports,
      pendingCommands: new Set(),
      crashTimes: previous?.crashTimes ?? [],
      failed: false,
      nvram: previous?.nvram ?? { startupConfig: spec.config },
      boot,
      reloadRequested: false,
      ctx: undefined as unknown as DeviceContext,
    };
    slot.ctx = this.contextFor(slot);
    return slot;
  }

  private contextFor(slot: DeviceSlot): DeviceContext {
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
      nvram: slot.nvram,
      boot: slot.boot,
      reload: () => {
        slot.reloadRequested = true;
      },
      setPortEnabled: (port, enabled) => self.setPortEnabled(slot, port, enabled),
      random: () => slot.random.next(),
      randomU32: () => slot.random.nextU32(),
      reply: (commandId, text, done, prompt) => {
        if (!slot.pendingCommands.has(commandId)) return;
        if (done) slot.pendingCommands.delete(commandId);
        self.pushReply(slot, commandId, text, done, prompt);
      },
      console: (line) => self.pushConsole(slot, line),
      exportKeys: (record) => self.pushKeys(slot, record),
    };
  }

  private pushReply(slot: DeviceSlot, commandId: number, text: string, done: boolean, prompt?: string): void {
    this.result.replies.push({ commandId, deviceId: slot.spec.id, atNs: this.nowNs, text, done, prompt });
  }

  private pushConsole(slot: DeviceSlot, text: string): void {
    this.result.console.push({
      atNs: this.nowNs,
      senderId: slot.spec.id,
      seq: slot.seq++,
      receiverId: slot.spec.id,
      text: `${slot.spec.name}: ${text}`,
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

  private setPortEnabled(slot: DeviceSlot, portIndex: number, enabled: boolean): void {
    const port = slot.ports[portIndex];
    if (port === undefined || port.enabled === enabled) return;
    port.enabled = enabled;
    if (!enabled) {
      port.txQueue.length = 0;
      port.txHead = 0;
      port.txBusyUntil = this.nowNs;
    }
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

  /** Frames waiting behind the one being serialized. */
  private outputQueueDepth(slot: DeviceSlot, portIndex: number): number {
    const port = slot.ports[portIndex];
    if (port === undefined) return 0;
    let inFlight = 0;
    for (let i = port.txHead; i < port.txQueue.length; i++) if (port.txQueue[i]! > this.nowNs) inFlight++;
    return Math.max(0, inFlight - 1);
  }

  private transmit(slot: DeviceSlot, portIndex: number, bytes: Uint8Array): boolean {
    const port = slot.ports[portIndex];
    if (port === undefined || !port.enabled || !this.carrierOf(port)) return false;
    const wire = port.wire;
    if (bytes.length - layer2Header(port.serial, bytes) > wire.mtu) return false;
    const now = this.nowNs;
    // Frames whose serialization ended have left the hold queue.
    const q = port.txQueue;
    let head = port.txHead;
    while (head < q.length && q[head]! <= now) head++;
    if (head === q.length) {
      q.length = 0;
      head = 0;
    } else if (head >= 64) {
      q.copyWithin(0, head);
      q.length -= head;
      head = 0;
    }
    port.txHead = head;
    if (q.length - head >= HOLD_QUEUE_OUT) return false;
    const txStart = Math.max(now, port.txBusyUntil);
    const txEnd = txStart + serializationNs(port.serial, bytes.length, wire.bitsPerSecond);
    port.txBusyUntil = txEnd;
    q.push(txEnd);
    const senderId = slot.spec.id;
    const seq = slot.seq++;
    if (this.opts.capture)
      this.result.captures.push({ wireId: wire.id, atNs: txStart, senderId, seq, bytes: bytes.slice() });
    if (wire.loss > 0 && port.lossRandom.next() < wire.loss) return true;
    const atNs = txEnd + wire.latencyNs;
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
      else this.result.outbound.push(e);
    }
    return true;
  }

  private route(e: SimEvent): void {
    if (this.opts.placement[e.receiverId] === this.opts.self) this.queue.push(e);
    else this.result.outbound.push(e);
  }
}

/**
 * Builds an event with every field present in one order, so the event queue
 * and dispatch only ever see one object shape (a large share of per-hop time).
 */
export function simEvent(
  e: Pick<SimEvent, "kind" | "atNs" | "senderId" | "seq" | "receiverId" | "port"> & Partial<SimEvent>,
): SimEvent {
  return {
    atNs: e.atNs,
    senderId: e.senderId,
    seq: e.seq,
    receiverId: e.receiverId,
    kind: e.kind,
    port: e.port,
    bytes: e.bytes,
    up: e.up,
    tag: e.tag,
    timerId: e.timerId,
    generation: e.generation,
    commandId: e.commandId,
    line: e.line,
    wireId: e.wireId,
  };
}

/** A frame event, built in simEvent's shape without an intermediate object. */
export function frameEvent(
  atNs: TimeNs,
  senderId: number,
  seq: number,
  receiverId: number,
  port: number,
  bytes: Uint8Array,
): SimEvent {
  return {
    atNs,
    senderId,
    seq,
    receiverId,
    kind: EventKind.Frame,
    port,
    bytes,
    up: undefined,
    tag: undefined,
    timerId: undefined,
    generation: undefined,
    commandId: undefined,
    line: undefined,
    wireId: undefined,
  };
}

/** A timer event, built in simEvent's shape without an intermediate object. */
function timerEvent(
  atNs: TimeNs,
  deviceId: number,
  seq: number,
  tag: string,
  timerId: number,
  generation: number,
): SimEvent {
  return {
    atNs,
    senderId: deviceId,
    seq,
    receiverId: deviceId,
    kind: EventKind.Timer,
    port: -1,
    bytes: undefined,
    up: undefined,
    tag,
    timerId,
    generation,
    commandId: undefined,
    line: undefined,
    wireId: undefined,
  };
}

function emptyResult(): WindowResult {
  return { outbound: [], trace: [], console: [], replies: [], captures: [], keys: [], nextAtNs: Infinity, events: 0 };
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

/** FNV-1a of a frame, for the trace. */
function fnv(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}
