// The events a partition's queue holds (frames, timers, carrier changes,
// console commands, wire changes), built in one object shape so the queue and
// the dispatch only ever see one hidden class (a large share of per-hop time).

import type { TimeNs } from "./device.ts";
import type { EventKey } from "./event-queue.ts";

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
  /** A WireAdmin event that changes a wire's impairment instead of its state: loss probability, latency. */
  loss?: number;
  latencyNs?: number;
}

/** An event sent to another partition (plain data; frames ride packed, see frame-batch.ts). */
export type CrossEvent = SimEvent;

/** Builds an event with every field present in one order. */
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
    loss: e.loss,
    latencyNs: e.latencyNs,
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
export function timerEvent(
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
