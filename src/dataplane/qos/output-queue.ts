// The output queue of every port-backed interface. A frame leaves at once
// when the port's transmitter is free and nothing waits (an uncongested
// interface pays one comparison); otherwise the interface's scheduler
// classifies it and queues its handle, and a timer at the end of the current
// frame's serialization (from the wire's bit rate, on the virtual clock)
// takes the next handle from the scheduler and hands that frame to the port:
// so a congested T1 really queues, and its strategy (FIFO, WFQ, PQ, CQ,
// CBWFQ) decides who goes next and who is dropped. Subinterfaces share their
// port's queue, as on IOS.

import { Verdict } from "../../fastpath/sched/types.ts";
import type { DeviceContext, TimeNs } from "../../runtime/device.ts";
import { checksumUpdate16 } from "../../wire/checksum.ts";
import { ETHERTYPE_VLAN } from "../../wire/ethernet.ts";
import type { AclPacket } from "../acl.ts";
import { aclFields } from "../pipeline/acl-fields.ts";
import type { OutputClassification, OutputClassifier } from "../pipeline/output-classification.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";
import { FifoScheduler } from "./fifo-scheduler.ts";
import type { OutputScheduler, PacketClass, SchedulerProvider } from "./output-scheduler.ts";

/** Hands a frame to the port now and counts it (false: the port refused it). */
export type SendNow = (egress: RouterInterface, port: number, frame: Uint8Array) => boolean;

/** One port's queue: the scheduler, the frames it holds by handle, the drain timer. */
export class OutputQueue {
  scheduler: OutputScheduler;
  /** Provider key the scheduler was built for. */
  key = "";
  /** OutputQueues generation the scheduler was checked against. */
  generation = -1;
  /** Packets dropped on enqueue (tail drop, congestive discard, policed) since the last clear. */
  drops = 0;
  private readonly frames: (Uint8Array | null)[] = [];
  private readonly egress: (RouterInterface | null)[] = [];
  private readonly free: number[] = [];
  /** A drain timer is armed. */
  armed = false;

  constructor(
    readonly port: number,
    readonly ifc: RouterInterface,
  ) {
    this.scheduler = new FifoScheduler();
  }

  /** Takes a handle for a frame. */
  hold(frame: Uint8Array, egress: RouterInterface): number {
    const h = this.free.length > 0 ? this.free.pop()! : this.frames.length;
    this.frames[h] = frame;
    this.egress[h] = egress;
    return h;
  }

  /** Gives a handle back; returns its frame and egress. */
  release(h: number): { frame: Uint8Array; egress: RouterInterface } {
    const frame = this.frames[h]!;
    const egress = this.egress[h]!;
    this.frames[h] = null;
    this.egress[h] = null;
    this.free.push(h);
    return { frame, egress };
  }

  /** Replaces the scheduler: what waited in the old one is dropped (IOS resets the queue). */
  replace(scheduler: OutputScheduler, key: string): void {
    for (let h = this.scheduler.dequeue(); h >= 0; h = this.scheduler.dequeue()) this.release(h);
    this.scheduler = scheduler;
    this.key = key;
  }
}

/** The output queues of one device, one per port, and the strategy providers. */
export class OutputQueues {
  /** Who decides each interface's strategy; the first that answers wins (MQC before the legacy commands). */
  readonly providers: SchedulerProvider[] = [];
  private readonly queues: (OutputQueue | undefined)[] = [];
  /** Bumped when configuration a strategy depends on changed: queues re-ask the providers lazily. */
  private generation = 0;
  /** The header the classification seam kept for the next frame (qos pre-classify), and who it leaves by. */
  private pendingHeader: AclPacket | null = null;
  private pendingEgress: RouterInterface | null = null;
  private readonly cls: PacketClass = { key: 0, flow: 0, precedence: 0, setTos: -1 };

  constructor(
    private readonly ctx: DeviceContext,
    private readonly after: (delayNs: TimeNs, name: string, fn: () => void) => void,
    private readonly mainInterface: (port: number) => RouterInterface | undefined,
    private readonly sendNow: SendNow,
    private readonly classification: OutputClassification,
  ) {}

  /**
   * Configuration changed (queueing commands, bandwidth, hold-queue, lists):
   * every port's strategy is chosen again now, and the classification seam
   * runs only while some strategy matches headers.
   */
  invalidate(): void {
    this.generation++;
    for (const port of this.ctx.ports) this.current(port.index);
    this.updateSeam();
  }

  /**
   * One interface changed (its state, addresses, bandwidth, hold-queue): only its port's strategy is
   * chosen again. (invalidate() for each interface refresh chose every port's again: a router with
   * hundreds of ports paid ports x ports choices to load its configuration.)
   */
  invalidateInterface(ifc: RouterInterface): void {
    const main = ifc.parent ?? ifc;
    if (main.port === null) return;
    const q = this.queues[main.port];
    if (q === undefined) return; // chosen when the port first sends
    this.choose(q);
    this.updateSeam();
  }

  /** The classification seam runs only while some port's strategy matches headers. */
  private updateSeam(): void {
    let seam = false;
    for (const q of this.queues) if (q?.scheduler.usesClassificationSeam) seam = true;
    this.classification.classifier = seam ? this.seam : null;
  }

  /** The seam's classifier: keeps the header for the transmit that follows. */
  private readonly seam: OutputClassifier = (egress, header) => {
    this.pendingHeader = header;
    this.pendingEgress = egress.parent ?? egress;
  };

  /** The queue of a port, its strategy brought up to date; undefined for an interface without a port. */
  queueOf(ifc: RouterInterface): OutputQueue | undefined {
    const main = ifc.parent ?? ifc;
    if (main.port === null) return undefined;
    return this.current(main.port);
  }

  /** Sends a frame out of a port now, or queues it behind what is being serialized; false when dropped. */
  transmit(egress: RouterInterface, port: number, frame: Uint8Array): boolean {
    const header = this.pendingEgress === (egress.parent ?? egress) ? this.pendingHeader : null;
    this.pendingHeader = null;
    this.pendingEgress = null;
    const q = this.current(port);
    if (q === undefined) return this.sendNow(egress, port, frame);
    const scheduler = q.scheduler;
    const ctx = this.ctx;
    const now = ctx.now();
    const lineFree = ctx.txBusyUntil(port) <= now;
    if (scheduler.bypassWhenIdle && lineFree && scheduler.packets === 0) return this.sendNow(egress, port, frame);
    const cls = this.cls;
    cls.key = 0;
    cls.flow = 0;
    cls.precedence = 0;
    cls.setTos = -1;
    const serial = q.ifc.kind === "serial";
    const ipAt = ipOffsetIn(frame, serial);
    const fields = header ?? (ipAt < 0 ? null : aclFields(frame.subarray(ipAt)));
    if (fields !== null) cls.precedence = fields.tos >>> 5;
    scheduler.classify(fields, egress, cls);
    if (cls.setTos >= 0 && ipAt >= 0) setTos(frame, ipAt, cls.setTos);
    const h = q.hold(frame, egress);
    const verdict = scheduler.enqueue(h, frame.length, cls, Math.floor(now / 1000));
    if (verdict !== Verdict.queued) {
      q.release(h);
      q.drops++;
      egress.counters.outputDrops++;
      if (egress.parent !== null) egress.parent.counters.outputDrops++;
      return false;
    }
    if (!q.armed) {
      if (lineFree) this.drain(q);
      else this.arm(q, ctx.txBusyUntil(port));
    }
    return true;
  }

  /** Drops what a port's queue holds (interface shut, counters cleared keep it). */
  flush(port: number): void {
    const q = this.queues[port];
    if (q === undefined) return;
    for (let h = q.scheduler.dequeue(); h >= 0; h = q.scheduler.dequeue()) q.release(h);
  }

  private current(port: number): OutputQueue | undefined {
    let q = this.queues[port];
    if (q === undefined) {
      const main = this.mainInterface(port);
      if (main === undefined) return undefined;
      q = new OutputQueue(port, main);
      this.queues[port] = q;
    }
    if (q.generation !== this.generation) {
      q.generation = this.generation;
      this.choose(q);
    }
    return q;
  }

  /** Asks the providers which strategy the port's interface runs; rebuilds the scheduler when it changed. */
  private choose(q: OutputQueue): void {
    for (const provider of this.providers) {
      const choice = provider.schedulerFor(q.ifc);
      if (choice === null) continue;
      if (choice.key !== q.key) q.replace(choice.create(), choice.key);
      return;
    }
    const limit = q.ifc.config.holdQueueOut ?? undefined;
    const key = `fifo ${limit}`;
    if (key !== q.key) q.replace(new FifoScheduler(limit), key);
  }

  /** Wakes up at `atNs` (the end of the frame on the wire, or when a shaper releases the next). */
  private arm(q: OutputQueue, atNs: TimeNs): void {
    q.armed = true;
    this.after(Math.max(0, atNs - this.ctx.now()), "output-queue", () => {
      q.armed = false;
      this.drain(q);
    });
  }

  /** The line is free: the scheduler names the next frame. */
  private drain(q: OutputQueue): void {
    // (Brings the strategy up to date: if it was replaced meanwhile, what waited was dropped with the old one.)
    if (this.current(q.port) !== q || q.armed) return;
    const ctx = this.ctx;
    const h = q.scheduler.dequeue();
    if (h < 0) {
      const at = q.scheduler.packets > 0 ? (q.scheduler.nextDequeueAt?.(ctx.now()) ?? -1) : -1;
      if (at > ctx.now()) this.arm(q, at);
      return;
    }
    const { frame, egress } = q.release(h);
    this.sendNow(egress, q.port, frame);
    if (q.scheduler.packets > 0) this.arm(q, ctx.txBusyUntil(q.port));
  }
}

/** Offset of the IPv4 header in a frame (HDLC or Ethernet, maybe 802.1Q-tagged); -1 if it holds no IPv4. */
export function ipOffsetIn(frame: Uint8Array, serial: boolean): number {
  let offset: number;
  if (serial) {
    if (frame.length < 24 || frame[2] !== 0x08 || frame[3] !== 0x00) return -1;
    offset = 4;
  } else {
    offset = 12;
    if (frame.length >= 18 && ((frame[12]! << 8) | frame[13]!) === ETHERTYPE_VLAN) offset = 16;
    if (frame.length < offset + 22 || frame[offset] !== 0x08 || frame[offset + 1] !== 0x00) return -1;
    offset += 2;
  }
  return frame[offset]! >>> 4 === 4 ? offset : -1;
}

/** Rewrites the ToS byte of the IPv4 header at `at`, keeping its checksum right. */
function setTos(frame: Uint8Array, at: number, tos: number): void {
  const oldWord = (frame[at]! << 8) | frame[at + 1]!;
  frame[at + 1] = tos & 0xff;
  const newWord = (frame[at]! << 8) | frame[at + 1]!;
  const sum = checksumUpdate16((frame[at + 10]! << 8) | frame[at + 11]!, oldWord, newWord);
  frame[at + 10] = sum >>> 8;
  frame[at + 11] = sum & 0xff;
}
