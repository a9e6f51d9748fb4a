// The lab coordinator: places devices on partitions by the topology graph
// (inline, or one per Worker), hands every partition the same epochs of
// virtual time (the partitions synchronise among themselves within an epoch
// in windows no longer than the smallest latency of any wire between them,
// see peer-exchange.ts), issues console commands and wire changes as events
// at epoch starts, and merges traces, syslog, exported key material and
// captures in key order so the output does not depend on placement.

import type { CryptoKeyRecord } from "../capture/crypto-keys.ts";
import type { DeviceFactory, TimeNs } from "./device.ts";
import { compareKeys } from "./event-queue.ts";
import type { KeyedLifecycle, LifecycleFact } from "./lifecycle.ts";
import {
  type CaptureRecord,
  type CommandReply,
  type CrossEvent,
  EventKind,
  type KeyedLine,
  type KeyedRecord,
  type TapRecord,
  type WindowResult,
} from "./partition.ts";
import { connectPeers, InlineHost, type PartitionHost, WorkerHost } from "./partition-host.ts";
import { crossPartitionLatency, placeDevices } from "./placement.ts";
import type { LabSpec, WireSpec } from "./topology.ts";

/** Console commands start on this grid so step timing never depends on the window size. */
export const COMMAND_GRID_NS = 1_000_000;
/** Longest epoch: what an epoch produced (trace, syslog, captures) waits in the partitions until it ends. */
const EPOCH_MAX_NS = 1_000_000_000;

/** Where captured frames go. */
export interface CaptureSink {
  write(wire: WireSpec, atNs: TimeNs, bytes: Uint8Array): void;
  /** Key material of SAs set up since the last call, in key order (to decrypt the captures). */
  keys?(records: readonly CryptoKeyRecord[]): void;
  close(): void;
}

/** Where frames, carrier and MTU of ports on wires to host TAPs go (src/host-bridge). */
export interface TapSink {
  frame(wire: WireSpec, atNs: TimeNs, bytes: Uint8Array): void;
  carrier(wire: WireSpec, up: boolean): void;
  mtu(wire: WireSpec, mtu: number): void;
}

/**
 * Holds a lab to the wall clock (a lab with host TAPs: the host's stack runs in
 * real time). Virtual time never passes `ceiling()`, commands included; when
 * the lab gets there it awaits `wait()` (which also moves frames from the
 * host into the lab).
 */
export interface LabPace {
  ceiling(): TimeNs;
  wait(): Promise<void>;
}

/** How to run a lab. */
export interface LabOptions {
  /** 0 runs every device in this thread; N >= 1 uses N Bun Workers. */
  workers: number;
  factories: Record<string, DeviceFactory>;
  /** Receives trace lines in order. */
  trace?: (line: string) => void;
  capture?: CaptureSink;
  /** Receives what ports on wires to host TAPs send (a lab with TAPs runs on the wall clock). */
  tap?: TapSink;
  /** Keeps virtual time behind the wall clock (set for a lab with TAPs). */
  pace?: LabPace;
  /** Receives syslog/console lines as they happen, with their time. */
  syslog?: (atNs: TimeNs, line: string) => void;
  /** Receives the key material of each SA a device sets up, with its time. */
  keys?: (atNs: TimeNs, record: CryptoKeyRecord) => void;
  /** Partition of every device by id (default: by the topology graph); for tests of placement independence. */
  placement?: number[];
}

/** A wire's impairment for Lab.impairWire: what is given changes, the rest stays. */
export interface WireImpairment {
  /** Probability that a frame is lost, in [0, 1). */
  loss?: number;
  /** One-way latency in milliseconds. */
  latencyMs?: number;
}

/** A syslog line with its virtual time. */
export interface SyslogLine {
  atNs: TimeNs;
  text: string;
  /** The device's own timestamp text (`service timestamps`): null for none, absent for the default one. */
  stamp?: string | null;
}

/** What a console command printed, and the prompt after it. */
export interface CommandOutput {
  output: string;
  prompt: string;
  /** Virtual time when the command finished. */
  doneAtNs: TimeNs;
}

interface PendingCommand {
  deviceId: number;
  text: string;
  done: boolean;
  prompt: string;
  doneAtNs: TimeNs;
  onOutput?: (text: string) => void;
}

/** A running lab. */
export class Lab {
  readonly spec: LabSpec;
  private readonly hosts: PartitionHost[];
  private readonly placement: number[];
  private readonly inbox: CrossEvent[][];
  private readonly nextAt: TimeNs[];
  /** Smallest latency of any wire between partitions (Infinity if none). */
  private readonly lookaheadNs: TimeNs;
  private readonly pending = new Map<number, PendingCommand>();
  private pendingCaptures: CaptureRecord[] = [];
  private nowNs: TimeNs = 0;
  private coordinatorSeq = 0;
  private commandCounter = 0;
  /** Frames read from host TAPs, to deliver at the start of the next window (see injectTapFrame). */
  private readonly tapFrames: { wireId: number; bytes: Uint8Array }[] = [];
  /** Console requests to send at the start of the next window (see interject). */
  private readonly interjections: { deviceId: number; line: string }[] = [];
  /** Every syslog line so far. */
  readonly syslog: SyslogLine[] = [];
  /** Frames delivered plus timers fired so far. */
  events = 0;

  private constructor(
    spec: LabSpec,
    private readonly opts: LabOptions,
  ) {
    this.spec = spec;
    const partitions = Math.max(1, Math.min(opts.workers || 1, spec.devices.length || 1));
    this.placement = opts.placement ?? placeDevices(spec, partitions);
    if (this.placement.length !== spec.devices.length || this.placement.some((p) => !(p >= 0 && p < partitions)))
      throw new Error(
        `a placement names a partition for each of the ${spec.devices.length} devices, below ${partitions}`,
      );
    this.lookaheadNs = crossPartitionLatency(spec, this.placement);
    if (this.lookaheadNs <= 0) throw new Error("every wire between workers needs a latency above zero");
    const init = {
      lab: spec,
      placement: this.placement,
      trace: opts.trace !== undefined,
      capture: opts.capture !== undefined,
    };
    if (opts.workers === 0) {
      this.hosts = [new InlineHost({ ...init, self: 0, factories: opts.factories })];
    } else {
      const workers: WorkerHost[] = [];
      for (let p = 0; p < partitions; p++)
        workers.push(new WorkerHost({ ...init, self: p, partitions, lookaheadNs: this.lookaheadNs }));
      connectPeers(workers);
      this.hosts = workers;
    }
    this.inbox = this.hosts.map(() => []);
    this.nextAt = this.hosts.map(() => 0);
  }

  /** Builds the lab and starts every device at time zero. */
  static async create(spec: LabSpec, opts: LabOptions): Promise<Lab> {
    return new Lab(spec, opts);
  }

  /** Current virtual time. */
  get now(): TimeNs {
    return this.nowNs;
  }

  /** Number of partitions (Workers, or 1 inline). */
  get partitions(): number {
    return this.hosts.length;
  }

  /** Lets virtual time pass. */
  async run(durationNs: TimeNs): Promise<void> {
    await this.runUntil(this.nowNs + durationNs, () => false);
  }

  /** Advances to an absolute time (used by the wall-clock console). */
  async runTo(atNs: TimeNs): Promise<void> {
    if (atNs > this.nowNs) await this.runUntil(atNs, () => false);
  }

  /** Runs an exec command on a device and resolves with its whole output once it finishes. */
  async command(deviceName: string, line: string, onOutput?: (text: string) => void): Promise<CommandOutput> {
    return (await this.commands([{ device: deviceName, line, onOutput }]))[0]!;
  }

  /**
   * Runs exec commands on several devices at the same virtual time (one per
   * console, as on several terminals at once) and resolves once all finish.
   */
  async commands(
    requests: readonly { device: string; line: string; onOutput?: (text: string) => void }[],
  ): Promise<CommandOutput[]> {
    const started = requests.map(({ device: name, line, onOutput }) => {
      const device = this.deviceByName(name);
      const commandId = ++this.commandCounter;
      const pending: PendingCommand = {
        deviceId: device.id,
        text: "",
        done: false,
        prompt: `${device.name}#`,
        doneAtNs: 0,
        onOutput,
      };
      this.pending.set(commandId, pending);
      return { commandId, pending, line };
    });
    await this.alignToGrid();
    for (const { commandId, pending, line } of started) {
      this.post({
        kind: EventKind.Command,
        atNs: this.nowNs,
        senderId: -1,
        seq: this.coordinatorSeq++,
        receiverId: pending.deviceId,
        port: -1,
        commandId,
        line,
      });
    }
    await this.runUntil(Infinity, () => started.every((c) => c.pending.done));
    return started.map(({ commandId, pending }) => {
      this.pending.delete(commandId);
      return { output: pending.text, prompt: pending.prompt, doneAtNs: pending.doneAtNs };
    });
  }

  /**
   * Sends a line to a device at the start of the next window, even while a
   * command runs there (the console's Ctrl-C); nobody waits for its answer.
   */
  interject(deviceName: string, line: string): void {
    this.interjections.push({ deviceId: this.deviceByName(deviceName).id, line });
  }

  /** Brings a wire down or up (a cable pulled, a carrier failure). */
  async setWire(wireName: string, up: boolean): Promise<void> {
    const wire = this.spec.wires.find((w) => w.name === wireName);
    if (wire === undefined) throw new Error(`no wire named '${wireName}'`);
    await this.alignToGrid();
    const owners = new Set(wire.ends.map((e) => this.placement[e.deviceId]!));
    for (const p of owners) {
      this.inbox[p]!.push({
        kind: EventKind.WireAdmin,
        atNs: this.nowNs,
        senderId: -1,
        seq: this.coordinatorSeq++,
        receiverId: -1,
        port: -1,
        wireId: wire.id,
        up,
      });
    }
  }

  /**
   * Changes a wire's impairment from now on (fault injection): the probability
   * that a frame is lost, in [0, 1), and its latency. A wire between Workers
   * may not get a latency below the lab's lookahead: frames would arrive in a
   * window the far side has already run.
   */
  async impairWire(wireName: string, impairment: WireImpairment): Promise<void> {
    const wire = this.spec.wires.find((w) => w.name === wireName);
    if (wire === undefined) throw new Error(`no wire named '${wireName}'`);
    const { loss, latencyMs } = impairment;
    if (loss !== undefined && !(loss >= 0 && loss < 1)) throw new Error("loss must be in [0, 1)");
    if (latencyMs !== undefined && !(latencyMs >= 0 && latencyMs <= 10_000))
      throw new Error("latency must be 0 to 10,000 ms");
    const latencyNs = latencyMs === undefined ? undefined : Math.round(latencyMs * 1e6);
    const owners = new Set(wire.ends.map((e) => this.placement[e.deviceId]!));
    if (latencyNs !== undefined && owners.size > 1 && latencyNs < this.lookaheadNs)
      throw new Error(
        `${wireName} joins two Workers: its latency cannot go below the lab's lookahead (${this.lookaheadNs / 1e6} ms)`,
      );
    await this.alignToGrid();
    for (const p of owners) {
      this.inbox[p]!.push({
        kind: EventKind.WireAdmin,
        atNs: this.nowNs,
        senderId: -1,
        seq: this.coordinatorSeq++,
        receiverId: -1,
        port: -1,
        wireId: wire.id,
        ...(loss !== undefined ? { loss } : {}),
        ...(latencyNs !== undefined ? { latencyNs } : {}),
      });
    }
    // The coordinator's copy too (what a dashboard shows); an inline partition shares it, and the
    // event, first at this instant (sender -1), sets the same values before any frame is sent.
    if (loss !== undefined) wire.loss = loss;
    if (latencyNs !== undefined) wire.latencyNs = latencyNs;
  }

  /**
   * A frame put on a wire from outside the lab now (a scenario's `replay`:
   * someone on the provider's wire sending again what crossed it): every port
   * of the wire receives it, and each keeps it only if it is addressed to it,
   * as on a shared medium.
   */
  async injectFrame(wireName: string, bytes: Uint8Array): Promise<void> {
    const wire = this.spec.wires.find((w) => w.name === wireName);
    if (wire === undefined) throw new Error(`no wire named '${wireName}'`);
    await this.alignToGrid();
    for (const end of wire.ends)
      this.post({
        kind: EventKind.Frame,
        atNs: this.nowNs,
        senderId: -1,
        seq: this.coordinatorSeq++,
        receiverId: end.deviceId,
        port: end.port,
        bytes: bytes.slice(),
      });
  }

  /**
   * A frame read from a host TAP: it arrives on the lab port of the TAP's
   * wire at the start of the next window (the lab's present).
   */
  injectTapFrame(wireId: number, bytes: Uint8Array): void {
    const wire = this.spec.wires[wireId];
    if (wire?.tap === undefined) throw new Error(`wire ${wireId} does not lead to a TAP`);
    // Queued, not posted: a window may be running, and the frame must not arrive in its past.
    this.tapFrames.push({ wireId, bytes });
  }

  /** Stops the Workers and flushes captures. */
  close(): void {
    this.flushCaptures(Infinity);
    this.opts.capture?.close();
    for (const h of this.hosts) h.close();
  }

  private deviceByName(name: string) {
    const device = this.spec.devices.find((d) => d.name.toLowerCase() === name.toLowerCase());
    if (device === undefined) throw new Error(`no device named '${name}'`);
    return device;
  }

  private post(e: CrossEvent): void {
    this.inbox[this.placement[e.receiverId]!]!.push(e);
  }

  private async alignToGrid(): Promise<void> {
    const grid = Math.ceil(this.nowNs / COMMAND_GRID_NS) * COMMAND_GRID_NS;
    if (grid > this.nowNs) await this.runUntil(grid, () => false);
  }

  /**
   * Advances window by window until `done()` holds at a grid point, or `target` is reached.
   * While a command is outstanding, windows stop at every grid point so the next step starts
   * at the same virtual time whatever the number of workers.
   */
  private async runUntil(target: TimeNs, done: () => boolean): Promise<void> {
    for (;;) {
      if (done() && this.nowNs % COMMAND_GRID_NS === 0) return;
      if (this.nowNs >= target) return;
      const commandsOutstanding = this.pending.size > 0;
      const ceiling = this.opts.pace?.ceiling() ?? Infinity;
      // A paced lab advances in steps of at least a grid interval, waiting for the wall clock in between
      // (and for what the host sends), rather than spinning on microseconds.
      if (this.nowNs + COMMAND_GRID_NS > ceiling) {
        await this.opts.pace!.wait();
        continue;
      }
      // With commands outstanding the partitions end the epoch on the grid point after one finishes.
      const end = Math.min(target, this.nowNs + EPOCH_MAX_NS, ceiling);
      const earliest = this.earliestEvent();
      if (earliest >= end) {
        // Nothing happens before `end`: skip idle time (to a grid point while commands are outstanding).
        if (done()) {
          // Finished off the grid: go no further than the next grid point, whatever the window size.
          const grid = (Math.floor(this.nowNs / COMMAND_GRID_NS) + 1) * COMMAND_GRID_NS;
          this.nowNs = earliest >= grid ? grid : end;
          continue;
        }
        // (A paced lab waits for its host TAPs instead: an answer may come from the host.)
        if (earliest === Infinity && target === Infinity && this.opts.pace === undefined)
          throw new Error("the lab went idle before the command finished");
        let jump = Math.min(target, earliest, ceiling);
        if (commandsOutstanding) jump = Math.floor(jump / COMMAND_GRID_NS) * COMMAND_GRID_NS;
        this.nowNs = Math.max(end, jump);
        continue;
      }
      await this.window(end, commandsOutstanding ? COMMAND_GRID_NS : 0);
    }
  }

  private earliestEvent(): TimeNs {
    if (this.interjections.length > 0 || this.tapFrames.length > 0) return this.nowNs;
    let t = Infinity;
    for (let p = 0; p < this.hosts.length; p++) {
      t = Math.min(t, this.nextAt[p]!);
      for (const e of this.inbox[p]!) t = Math.min(t, e.atNs);
    }
    return t;
  }

  /** Runs one epoch [now, end) on every partition (they exchange frames among themselves) and merges what they produced. */
  private async window(end: TimeNs, gridNs: TimeNs): Promise<void> {
    for (const { deviceId, line } of this.interjections.splice(0)) {
      const commandId = ++this.commandCounter;
      this.post({
        kind: EventKind.Command,
        atNs: this.nowNs,
        senderId: -1,
        seq: this.coordinatorSeq++,
        receiverId: deviceId,
        port: -1,
        commandId,
        line,
      });
    }
    for (const { wireId, bytes } of this.tapFrames.splice(0)) {
      const end = this.spec.wires[wireId]!.ends[0]!;
      this.post({
        kind: EventKind.Frame,
        atNs: this.nowNs,
        senderId: -1,
        seq: this.coordinatorSeq++,
        receiverId: end.deviceId,
        port: end.port,
        bytes,
      });
    }
    const inbound = this.inbox.map((box) => box.splice(0));
    // Every partition takes part (an idle one still tells the others it has nothing for them).
    const bounds = this.hosts.map((_, p) => inbound[p]!.reduce((t, e) => Math.min(t, e.atNs), this.nextAt[p]!));
    const results: (WindowResult | null)[] = await Promise.all(
      this.hosts.map((h, p) => h.advance(end, inbound[p]!, bounds, gridNs)),
    );
    const trace: KeyedLine[] = [];
    const syslog: KeyedLine[] = [];
    const keys: KeyedRecord[] = [];
    const facts: KeyedLifecycle[] = [];
    const replies: CommandReply[] = [];
    const tapOut: TapRecord[] = [];
    for (let p = 0; p < results.length; p++) {
      const r = results[p];
      if (!r) continue;
      this.nextAt[p] = r.nextAtNs;
      this.events += r.events;
      for (const e of r.outbound) this.post(e);
      for (const line of r.trace) trace.push(line);
      for (const line of r.console) syslog.push(line);
      for (const c of r.captures) this.pendingCaptures.push(c);
      for (const k of r.keys) keys.push(k);
      for (const f of r.lifecycle) facts.push(f);
      for (const reply of r.replies) replies.push(reply);
      if (r.tapOut !== undefined) for (const t of r.tapOut) tapOut.push(t);
    }
    if (tapOut.length > 0) this.passToTaps(tapOut);
    // Syslog and command output in time order: a line logged while a command runs (debug with terminal
    // monitor, a link going down during a ping) is out before the output that follows it.
    for (const f of facts) if (f.fact.kind === "leftDown") this.lifecycleFact(f, syslog);
    syslog.sort(compareKeys);
    replies.sort((a, b) => a.atNs - b.atNs); // stable: each device's replies keep their order
    let logged = 0;
    for (const reply of replies) {
      while (logged < syslog.length && syslog[logged]!.atNs <= reply.atNs) this.log(syslog[logged++]!);
      const pending = this.pending.get(reply.commandId);
      if (pending === undefined) continue;
      pending.text += reply.text;
      if (reply.text) pending.onOutput?.(reply.text);
      if (reply.done) {
        pending.done = true;
        pending.doneAtNs = reply.atNs;
        if (reply.prompt !== undefined) pending.prompt = reply.prompt;
      }
    }
    while (logged < syslog.length) this.log(syslog[logged++]!);
    // After the replies: a crash ends a command after whatever it printed.
    for (const f of facts) if (f.fact.kind !== "leftDown") this.lifecycleFact(f, syslog);
    // Every partition ended the epoch at the same time (end, or the grid point after a command finished).
    const reached = results[0]!.reachedNs;
    if (reached !== Infinity) this.nowNs = Math.max(this.nowNs, reached);
    if (this.opts.trace !== undefined && trace.length > 0) {
      trace.sort(compareKeys);
      for (const line of trace) this.opts.trace(line.text);
    }
    if (keys.length > 0) {
      // Stable: one device's records at one instant keep the order it gave them.
      keys.sort(compareKeys);
      for (const k of keys) {
        this.opts.keys?.(k.atNs, k.record);
      }
      this.opts.capture?.keys?.(keys.map((k) => k.record));
    }
    this.flushCaptures(this.nowNs);
  }

  /** Hands what ports sent towards host TAPs to the sink, in key order. */
  private passToTaps(records: TapRecord[]): void {
    const sink = this.opts.tap;
    if (sink === undefined) return;
    records.sort((a, b) => a.atNs - b.atNs || a.senderId - b.senderId || a.seq - b.seq);
    for (const t of records) {
      const wire = this.spec.wires[t.wireId]!;
      if (t.bytes !== undefined) sink.frame(wire, t.atNs, t.bytes);
      if (t.up !== undefined) sink.carrier(wire, t.up);
      if (t.mtu !== undefined) sink.mtu(wire, t.mtu);
    }
  }

  /** Keeps a syslog line and hands it to the listener. */
  private log(line: KeyedLine): void {
    this.syslog.push(
      line.stamp === undefined
        ? { atNs: line.atNs, text: line.text }
        : { atNs: line.atNs, text: line.text, stamp: line.stamp },
    );
    this.opts.syslog?.(line.atNs, line.text);
  }

  /** Renders a lifecycle fact the runtime reported: a syslog line, or the end of a command's output. */
  private lifecycleFact(f: KeyedLifecycle, syslog: KeyedLine[]): void {
    const name = this.spec.devices.find((d) => d.id === f.senderId)!.name;
    const fact = f.fact;
    if (fact.kind === "leftDown") {
      syslog.push({ ...f, text: `${name}: ${lifecycleText(name, fact)}` });
      return;
    }
    const pending = this.pending.get(fact.commandId);
    if (pending === undefined) return;
    const text = lifecycleText(name, fact);
    pending.text += text;
    pending.onOutput?.(text);
    pending.done = true;
    pending.doneAtNs = f.atNs;
  }

  /** Writes captured frames older than `before` in time order (frames queued for later stay buffered). */
  private flushCaptures(before: TimeNs): void {
    const sink = this.opts.capture;
    if (sink === undefined || this.pendingCaptures.length === 0) return;
    const ready = this.pendingCaptures.filter((c) => c.atNs < before);
    if (ready.length === 0) return;
    this.pendingCaptures = this.pendingCaptures.filter((c) => c.atNs >= before);
    ready.sort((a, b) => a.atNs - b.atNs || a.senderId - b.senderId || a.seq - b.seq);
    for (const c of ready) sink.write(this.spec.wires[c.wireId]!, c.atNs, c.bytes);
  }
}

/**
 * The lab's wording of lifecycle facts (the emulator speaking, not IOS: a
 * device renders its own restart from ctx.boot).
 */
export function lifecycleText(device: string, fact: LifecycleFact): string {
  switch (fact.kind) {
    case "leftDown":
      return `% wanlab: ${device} crashed ${fact.crashes} times in ${fact.windowSeconds} seconds and is left down (last error: ${fact.error})`;
    case "commandCrashed":
      return `% ${device} crashed while running this command: ${fact.error}\n`;
    case "commandRefused":
      return `% ${device} is not running (too many crashes)\n`;
  }
}
