// A binary min-heap of simulation events ordered by (time, sender id, sender
// sequence, receiver id). The key does not depend on which worker holds a
// device, so the same lab gives the same order whatever the worker count (ns-3's
// (time, uid) rule, extended so that one frame delivered to a whole Ethernet
// segment still has a total order). Sources whose events come in key order (a
// port's frames) queue through a lane: only a lane's earliest event sits in the
// heap, which keeps the heap as small as the number of busy links.

import type { TimeNs } from "./device.ts";

/** Ordering key fields every event carries. */
export interface EventKey {
  atNs: TimeNs;
  /** Device that caused the event (-1 for the lab coordinator). */
  senderId: number;
  /** Per-sender counter at the moment the event was created. */
  seq: number;
  /** Device that handles the event. */
  receiverId: number;
}

/** True if a sorts strictly before b. */
export function keyBefore(a: EventKey, b: EventKey): boolean {
  if (a.atNs !== b.atNs) return a.atNs < b.atNs;
  if (a.senderId !== b.senderId) return a.senderId < b.senderId;
  if (a.seq !== b.seq) return a.seq < b.seq;
  return a.receiverId < b.receiverId;
}

/** Comparison for Array.prototype.sort on event keys. */
export function compareKeys(a: EventKey, b: EventKey): number {
  return keyBefore(a, b) ? -1 : keyBefore(b, a) ? 1 : 0;
}

/**
 * Events from one source whose keys only grow (frames leaving one port towards
 * one receiver): only the earliest sits in the heap, the rest wait here in
 * order, so a busy link costs the heap one entry instead of one per frame.
 */
export class EventLane<E extends EventKey> {
  /** Events after the one in the heap, from `head` on. */
  readonly waiting: E[] = [];
  head = 0;
  /** The lane's latest event (in the heap or waiting), while it has any. */
  last: E | null = null;
}

/**
 * Min-heap of events by key. Events pushed through a lane take the lane's
 * place in order; an event that would break a lane's order (a port reset
 * while frames were in flight) goes into the heap on its own, so the order
 * popped is always the order of the keys.
 */
export class EventQueue<E extends EventKey> {
  private heap: E[] = [];
  /** Lane of each heap entry (null for an event pushed on its own), moved together with the heap. */
  private lanes: (EventLane<E> | null)[] = [];
  private waiting = 0;

  /** Events queued, in the heap and waiting in lanes. */
  get size(): number {
    return this.heap.length + this.waiting;
  }

  /** Earliest event without removing it. */
  peek(): E | undefined {
    return this.heap[0];
  }

  push(e: E): void {
    this.insert(e, null);
  }

  /** Queues an event of a lane (its key must not sort before the lane's previous one, or it is queued on its own). */
  pushLane(lane: EventLane<E>, e: E): void {
    const last = lane.last;
    if (last === null) {
      lane.last = e;
      this.insert(e, lane);
    } else if (keyBefore(e, last)) {
      this.insert(e, null);
    } else {
      lane.waiting.push(e);
      lane.last = e;
      this.waiting++;
    }
  }

  pop(): E | undefined {
    const h = this.heap;
    const top = h[0];
    if (top === undefined) return undefined;
    const lane = this.lanes[0]!;
    if (lane !== null) {
      if (lane.head < lane.waiting.length) {
        // The lane's next event takes its place at the root.
        const waiting = lane.waiting;
        const next = waiting[lane.head++]!;
        if (lane.head === waiting.length) {
          waiting.length = 0;
          lane.head = 0;
        } else if (lane.head >= 256 && 2 * lane.head >= waiting.length) {
          // A lane that never drains (a steady stream) drops what it has handed out.
          waiting.copyWithin(0, lane.head);
          waiting.length -= lane.head;
          lane.head = 0;
        }
        this.waiting--;
        this.siftDown(next, lane);
        return top;
      }
      lane.last = null;
    }
    const last = h.pop()!;
    const lastLane = this.lanes.pop()!;
    if (h.length > 0) this.siftDown(last, lastLane);
    return top;
  }

  private insert(e: E, lane: EventLane<E> | null): void {
    const h = this.heap;
    const lanes = this.lanes;
    let i = h.length;
    h.push(e);
    lanes.push(lane);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent]!;
      if (!keyBefore(e, p)) break;
      h[i] = p;
      lanes[i] = lanes[parent]!;
      i = parent;
    }
    h[i] = e;
    lanes[i] = lane;
  }

  /** Puts `e` (of `lane`) at the root and moves it down to its place. */
  private siftDown(e: E, lane: EventLane<E> | null): void {
    const h = this.heap;
    const lanes = this.lanes;
    const n = h.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && keyBefore(h[r]!, h[l]!) ? r : l;
      if (!keyBefore(h[c]!, e)) break;
      h[i] = h[c]!;
      lanes[i] = lanes[c]!;
      i = c;
    }
    h[i] = e;
    lanes[i] = lane;
  }
}
